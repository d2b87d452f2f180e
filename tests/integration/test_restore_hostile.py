"""Restore does not trust the backup: each attack on a backup folder is refused and touches nothing.

Several attacks re-sign the edited manifest with the deployment's key, as someone who has stolen
the key could: path containment and content checks must hold even then. Without the key, any
edit is refused unless the operator says --trust-unsigned.
"""

import dataclasses
import hashlib
import hmac
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from habitat import maintenance
from habitat.db import connect
from habitat.db import maintenance as m
from habitat.errors import HabitatError
from tests.fixtures import images as fx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backup_dir(demo_db, config, tmp_path) -> Path:
    # nested, so that "photos/../../x" from it still lands inside tmp_path
    out = tmp_path / "a" / "b" / "backup"
    con = connect(demo_db)
    try:
        maintenance.backup(con, config.photo_root, out)
    finally:
        con.close()
    return out


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(folder: Path, manifest: dict, *, key_file: Path | None = None) -> None:
    """Write an edited manifest; with ``key_file``, sign it as a thief of that key would."""
    raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    (folder / "manifest.json").write_bytes(raw)
    if key_file is not None and key_file.exists():
        sig_path = folder / "manifest.sig"
        sig = json.loads(sig_path.read_text(encoding="utf-8"))
        secret = key_file.read_text(encoding="utf-8").strip().encode("utf-8")
        sig["tag"] = hmac.new(secret, raw, hashlib.sha256).hexdigest()
        sig_path.write_text(json.dumps(sig), encoding="utf-8")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add_entry(folder: Path, rel: str, data: bytes, key_file: Path) -> None:
    """List ``rel`` in the manifest with the checksum of ``data``, and put ``data`` where it points."""
    source = folder / rel  # pathlib folds "photos//abs" into "photos/abs": where a naive restore reads
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    manifest = _manifest(folder)
    manifest["files"][rel] = hashlib.sha256(data).hexdigest()
    _write_manifest(folder, manifest, key_file=key_file)


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")} if folder.exists() else set()


def _refused(key: str, *args, **kwargs) -> HabitatError:
    with pytest.raises(HabitatError) as info:
        maintenance.restore(*args, **kwargs)
    assert info.value.key == key, info.value
    return info.value


def _run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARDEN_")}
    env.update({"GARDEN_LANG": "en", **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "habitat", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


# --- paths -----------------------------------------------------------------------------------


def test_an_absolute_photo_path_is_refused_even_when_signed(backup_dir, tmp_path):
    outside = tmp_path / "outside" / "evil.txt"
    _add_entry(
        backup_dir, "photos/" + str(outside), b"written outside the photo folder", tmp_path / "backup.key"
    )
    target = tmp_path / "r" / "s" / "new.duckdb"
    _refused(
        "backup.unsafe_path",
        backup_dir,
        target,
        tmp_path / "r" / "s" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert not outside.exists()
    assert _files_under(tmp_path / "r") == set()  # no database, temp file or photo folder


def test_a_dot_dot_photo_path_is_refused_even_when_signed(backup_dir, tmp_path):
    _add_entry(backup_dir, "photos/../../evil.txt", b"written two folders up", tmp_path / "backup.key")
    photos = tmp_path / "r" / "s" / "photos"
    _refused(
        "backup.unsafe_path",
        backup_dir,
        tmp_path / "r" / "s" / "new.duckdb",
        photos,
        key_file=tmp_path / "backup.key",
    )
    assert not (tmp_path / "r" / "evil.txt").exists()
    assert _files_under(tmp_path / "r") == set()


@pytest.mark.parametrize(
    "rel, key",
    [
        ("photos/display\\..\\..\\evil.jpg", "backup.unsafe_path"),
        ("photos/display/ab/./evil.jpg", "backup.unsafe_path"),
        ("database/../evil.parquet", "backup.unsafe_path"),
        ("photos/display/ab/evil.jpg", "backup.unexpected_entry"),
        ("photos/display/zz/" + "ab" * 32 + ".jpg", "backup.unexpected_entry"),  # folder is not the hash's
        ("photos/thumbs/ab/" + "ab" * 32 + ".jpg", "backup.unexpected_entry"),
        ("notes.txt", "backup.unexpected_entry"),
    ],
)
def test_entries_that_are_not_photo_or_table_files_are_refused(backup_dir, tmp_path, rel, key):
    _add_entry(backup_dir, rel, fx.make_jpeg(width=40, height=30), tmp_path / "backup.key")
    _refused(
        key,
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        tmp_path / "r" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert _files_under(tmp_path / "r") == set()


def test_a_symlink_in_the_backup_is_refused(backup_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the committee's private notes", encoding="utf-8")
    victim = next((backup_dir / "photos").rglob("*.jpg"))
    rel = victim.relative_to(backup_dir).as_posix()
    victim.unlink()
    victim.symlink_to(secret)
    manifest = _manifest(backup_dir)
    manifest["files"][rel] = _sha(secret)
    _write_manifest(backup_dir, manifest, key_file=tmp_path / "backup.key")
    photos = tmp_path / "r" / "photos"
    _refused(
        "backup.not_a_plain_file",
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        photos,
        key_file=tmp_path / "backup.key",
    )
    assert _files_under(tmp_path / "r") == set()


def test_a_file_the_manifest_does_not_list_is_refused_and_its_sql_never_runs(backup_dir, tmp_path):
    pwned = tmp_path / "pwned.csv"
    load_sql = backup_dir / "database" / "load.sql"
    load_sql.write_text(
        load_sql.read_text(encoding="utf-8") + f"\nCOPY (SELECT 'x') TO '{pwned}';\n", encoding="utf-8"
    )
    manifest = _manifest(backup_dir)
    del manifest["files"]["database/load.sql"]  # unlisted, so no checksum covers it
    _write_manifest(backup_dir, manifest, key_file=tmp_path / "backup.key")
    _refused(
        "backup.unlisted_file",
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        tmp_path / "r" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert not pwned.exists()
    assert _files_under(tmp_path / "r") == set()


def test_restore_never_runs_sql_found_in_the_backup(backup_dir, tmp_path):
    pwned = tmp_path / "pwned.csv"
    schema_sql = backup_dir / "database" / "schema.sql"
    schema_sql.write_text(
        f"COPY (SELECT 'x') TO '{pwned}';\n" + schema_sql.read_text(encoding="utf-8"), encoding="utf-8"
    )
    manifest = _manifest(backup_dir)
    manifest["files"]["database/schema.sql"] = _sha(schema_sql)
    _write_manifest(backup_dir, manifest, key_file=tmp_path / "backup.key")
    result = maintenance.restore(
        backup_dir, tmp_path / "r" / "new.duckdb", tmp_path / "r" / "photos", key_file=tmp_path / "backup.key"
    )
    assert not pwned.exists()
    assert result["rows"] == sum(manifest["row_counts"].values())


# --- content -----------------------------------------------------------------------------------


def test_a_photo_whose_content_is_not_the_picture_its_name_says_is_refused(backup_dir, tmp_path):
    victim = next((backup_dir / "photos" / "display").rglob("*.jpg"))
    rel = victim.relative_to(backup_dir).as_posix()
    victim.write_bytes(fx.make_jpeg(width=2000, height=10))  # a valid JPEG, but not this photo's rendition
    manifest = _manifest(backup_dir)
    manifest["files"][rel] = _sha(victim)
    _write_manifest(backup_dir, manifest, key_file=tmp_path / "backup.key")
    err = _refused(
        "backup.photo_mismatch",
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        tmp_path / "r" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert victim.stem in err.message("en")
    assert _files_under(tmp_path / "r") == set()


def test_a_photo_that_is_not_a_jpeg_is_refused(backup_dir, tmp_path):
    victim = next((backup_dir / "photos" / "thumb").rglob("*.jpg"))
    rel = victim.relative_to(backup_dir).as_posix()
    victim.write_bytes(b"<html><script>alert(1)</script></html>")
    manifest = _manifest(backup_dir)
    manifest["files"][rel] = _sha(victim)
    _write_manifest(backup_dir, manifest, key_file=tmp_path / "backup.key")
    _refused(
        "backup.photo_mismatch",
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        tmp_path / "r" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert _files_under(tmp_path / "r") == set()


def _promote_wangayi(folder: Path) -> None:
    """Edit people.parquet so a volunteer becomes committee, and fix its checksum (no key needed)."""
    people = folder / "database" / "people.parquet"
    edited = folder / "people.tmp.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * REPLACE (CASE WHEN username = 'wangayi' THEN 'committee' ELSE role END AS role)"
        " FROM read_parquet(?)) TO '" + str(edited) + "' (FORMAT parquet)",
        [str(people)],
    )
    con.close()
    edited.replace(people)
    manifest = _manifest(folder)
    manifest["files"]["database/people.parquet"] = _sha(people)
    _write_manifest(folder, manifest)  # no key: the signature no longer matches


def test_an_edited_people_file_is_refused_without_the_key(backup_dir, tmp_path):
    _promote_wangayi(backup_dir)
    _refused(
        "backup.signature_mismatch",
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        tmp_path / "r" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert _files_under(tmp_path / "r") == set()


def test_trust_unsigned_restores_the_edited_backup_and_says_it_was_not_verified(backup_dir, tmp_path):
    _promote_wangayi(backup_dir)
    target = tmp_path / "r" / "new.duckdb"
    result = maintenance.restore(
        backup_dir, target, tmp_path / "r" / "photos", trust_unsigned=True, key_file=tmp_path / "backup.key"
    )
    assert result["signature"] == "unverified"
    con = connect(target)
    assert con.execute("SELECT role FROM people WHERE username = 'wangayi'").fetchall() == [("committee",)]
    con.close()


def test_cli_refuses_an_edited_backup_and_warns_loudly_with_trust_unsigned(backup_dir, tmp_path):
    _promote_wangayi(backup_dir)
    target = tmp_path / "r" / "new.duckdb"
    key = ("--key-file", str(tmp_path / "backup.key"))
    refused = _run_cli("restore", "--from", str(backup_dir), "--db", str(target), *key)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "signature" in refused.stderr.lower() and "--trust-unsigned" in refused.stderr
    assert refused.stdout == "" and not target.exists()
    done = _run_cli("restore", "--from", str(backup_dir), "--db", str(target), *key, "--trust-unsigned")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["signature"] == "unverified"
    assert "WARNING" in done.stderr and "not verified" in done.stderr


def test_a_backup_restored_where_no_key_is_found_needs_the_key_or_trust_unsigned(backup_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "new.duckdb"  # no backup.key beside it, no GARDEN_BACKUP_KEY
    _refused("backup.no_key", backup_dir, elsewhere, tmp_path / "elsewhere" / "photos")
    result = maintenance.restore(
        backup_dir, elsewhere, tmp_path / "elsewhere" / "photos", key_file=tmp_path / "backup.key"
    )
    assert result["signature"] == "verified"


def test_cli_signs_with_garden_backup_key_and_refuses_another_key(demo_db, tmp_path):
    out = tmp_path / "bk"
    env = {
        "GARDEN_BACKUP_KEY": "correct horse battery staple 2026",
        "GARDEN_PHOTOS": str(tmp_path / "photos"),
    }
    made = _run_cli("backup", "--db", str(demo_db), "--out", str(out), env_extra=env)
    assert made.returncode == 0, made.stderr
    assert not (tmp_path / "backup.key").exists()  # the setting was used; no key file was made
    wrong = _run_cli(
        "restore",
        "--from",
        str(out),
        "--db",
        str(tmp_path / "x" / "a.duckdb"),
        env_extra={"GARDEN_BACKUP_KEY": "another deployment's secret key"},
    )
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    right = _run_cli("restore", "--from", str(out), "--db", str(tmp_path / "y" / "a.duckdb"), env_extra=env)
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["signature"] == "verified"


# --- all or nothing -----------------------------------------------------------------------------


def test_a_failed_count_check_leaves_the_existing_database_untouched(backup_dir, empty_db, tmp_path):
    target = tmp_path / "live" / "garden.duckdb"
    target.parent.mkdir()
    target.write_bytes(empty_db.read_bytes())
    con = connect(target)
    con.execute(
        "INSERT INTO gardens (slug, name, town, centre_lat, centre_lon) VALUES ('keep', 'keep', 't', 31, 121)"
    )
    con.close()
    before = _sha(target)
    manifest = _manifest(backup_dir)
    manifest["row_counts"]["people"] += 1
    _write_manifest(backup_dir, manifest, key_file=tmp_path / "backup.key")
    photos = tmp_path / "live" / "restored_photos"
    _refused("backup.counts_differ", backup_dir, target, photos, force=True, key_file=tmp_path / "backup.key")
    assert _sha(target) == before
    assert _files_under(tmp_path / "live") == {"garden.duckdb"}  # no temp file, no copy aside, no photos


def test_a_failed_photo_check_removes_the_new_database_and_photo_folder(backup_dir, tmp_path):
    victim = next((backup_dir / "photos" / "thumb").rglob("*.jpg"))
    victim.write_bytes(b"bit rot")  # checksum no longer matches
    _refused(
        "backup.corrupt",
        backup_dir,
        tmp_path / "r" / "new.duckdb",
        tmp_path / "r" / "photos",
        key_file=tmp_path / "backup.key",
    )
    assert _files_under(tmp_path / "r") == set()


# --- where photos go ------------------------------------------------------------------------------


def test_cli_restore_without_photos_writes_beside_the_new_database_not_into_the_live_folder(
    backup_dir, tmp_path
):
    live = tmp_path / "live_photos"
    live.mkdir()
    target = tmp_path / "new" / "garden.duckdb"
    done = _run_cli(
        "restore",
        "--from",
        str(backup_dir),
        "--db",
        str(target),
        "--key-file",
        str(tmp_path / "backup.key"),
        env_extra={"GARDEN_PHOTOS": str(live)},
    )
    assert done.returncode == 0, done.stderr
    assert list(live.iterdir()) == []
    restored = tmp_path / "new" / "garden_photos"
    assert json.loads(done.stdout)["photos_dir"] == str(restored)
    assert len(list(restored.rglob("*.jpg"))) == sum(
        1 for r in _manifest(backup_dir)["files"] if r.startswith("photos/")
    )


def test_restore_into_a_photo_folder_that_holds_files_needs_force(backup_dir, config, tmp_path):
    _refused(
        "backup.photos_not_empty",
        backup_dir,
        tmp_path / "n" / "new.duckdb",
        config.photo_root,
        key_file=tmp_path / "backup.key",
    )
    assert not (tmp_path / "n").exists()


# --- backups are private ----------------------------------------------------------------------------


def test_backup_files_and_folders_are_readable_by_the_owner_only(backup_dir, tmp_path):
    modes = {
        p.relative_to(backup_dir).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in backup_dir.rglob("*")
    }
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert {
        rel: mode for rel, mode in modes.items() if mode != (0o700 if (backup_dir / rel).is_dir() else 0o600)
    } == {}
    assert "database/people.parquet" in modes
    key = tmp_path / "backup.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text(encoding="utf-8").strip() not in (backup_dir / "manifest.sig").read_text(
        encoding="utf-8"
    )
    assert "backup.key" not in "".join(modes)


# --- broken manifests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "this is not json {",
        "[1, 2, 3]",
        '{"files": {}}',
        '{"files": 5, "row_counts": {}}',
        '{"files": {"database/people.parquet": 7}, "row_counts": {}}',
        '{"files": {}, "row_counts": {"people": "many"}}',
        b"\xff\xfe{ not utf-8",
        "[" * 100_000,
    ],
)
def test_a_broken_manifest_gives_one_sentence_not_a_traceback(backup_dir, tmp_path, text):
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    (backup_dir / "manifest.json").write_bytes(raw)
    target = tmp_path / "r" / "new.duckdb"
    out = _run_cli("restore", "--from", str(backup_dir), "--db", str(target), "--trust-unsigned")
    assert out.returncode == 2 and out.stdout == ""
    assert "Traceback" not in out.stderr and "manifest" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not target.exists()


def test_the_restored_database_carries_the_backups_migrations_and_sequences(backup_dir, demo_db, tmp_path):
    con = connect(demo_db)
    migrations = con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
    top = con.execute("SELECT max(id) FROM sightings").fetchall()[0][0]
    con.close()
    target = tmp_path / "r" / "new.duckdb"
    result = maintenance.restore(backup_dir, target, key_file=tmp_path / "backup.key")
    assert result["signature"] == "verified" and result["photos_dir"] == str(tmp_path / "r" / "new_photos")
    con = connect(target)
    assert con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall() == migrations
    assert m.row_counts(con) == _manifest(backup_dir)["row_counts"]
    assert con.execute("SELECT nextval('seq_sightings')").fetchall()[0][0] > top
    con.close()
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "new.duckdb",
        "new_photos",
    ]  # no temp files left


# --- what must keep working -----------------------------------------------------------------------------


def test_rotated_and_large_phone_photos_pass_the_photo_checks(demo_db, config, make_ctx, con, tmp_path):
    from habitat.services import sightings
    from habitat.services.photo_store import Upload

    ctx = make_ctx("wangayi")
    gid = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    uploads = [
        Upload("side.jpg", fx.make_jpeg(width=3000, height=2000, orientation=6, noise=True)),
        Upload("tall.jpg", fx.make_jpeg(width=1001, height=3333, orientation=8)),
        Upload("tiny.jpg", fx.make_jpeg(width=120, height=90, orientation=3, color=(9, 9, 9))),
    ]
    draft = sightings.SightingDraft(
        garden_id=gid, event_date=ctx.now(), verbatim_identification="phone", note="r"
    )
    sightings.save_sighting(ctx, draft, uploads)
    out = tmp_path / "bk"
    maintenance.backup(con, config.photo_root, out)
    result = maintenance.restore(out, tmp_path / "r" / "new.duckdb", key_file=tmp_path / "backup.key")
    assert result["photos"] == sum(1 for rel in _manifest(out)["files"] if rel.startswith("photos/"))
    assert result["photos_missing"] == 0 and result["signature"] == "verified"


def test_a_backup_made_before_signing_restores_only_with_trust_unsigned(backup_dir, demo_db, tmp_path):
    leftover = "photos/display/ab/.abcdef.jpg.0123.tmp"  # format 1 copied leftovers of interrupted uploads
    _add_entry(backup_dir, leftover, b"half a photo", tmp_path / "no.key")
    manifest = _manifest(backup_dir)
    for newer in ("format", "sequences", "migrations"):
        del manifest[newer]
    _write_manifest(backup_dir, manifest)
    (backup_dir / "manifest.sig").unlink()
    target = tmp_path / "r" / "old.duckdb"
    _refused("backup.unsigned", backup_dir, target, key_file=tmp_path / "backup.key")
    result = maintenance.restore(backup_dir, target, key_file=tmp_path / "backup.key", trust_unsigned=True)
    assert result["signature"] == "unverified" and result["photos_skipped"] == 1
    assert not list((tmp_path / "r" / "old_photos").rglob("*.tmp"))
    con = connect(demo_db)
    top = con.execute("SELECT max(id) FROM people").fetchall()[0][0]
    con.close()
    con = connect(target)
    assert con.execute("SELECT nextval('seq_people')").fetchall()[0][0] == top + 1
    con.close()


def test_cli_backup_of_a_missing_database_says_so_and_creates_nothing(tmp_path):
    out = _run_cli("backup", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "bk"))
    assert out.returncode == 2 and "none.duckdb" in out.stderr and "Traceback" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_short_backup_key_is_refused_before_anything_is_written(demo_db, config, tmp_path):
    con = connect(demo_db)
    cfg = dataclasses.replace(config, backup_key="short")
    with pytest.raises(HabitatError) as info:
        maintenance.backup(con, config.photo_root, tmp_path / "bk", cfg=cfg)
    con.close()
    assert info.value.key == "backup.key_too_short" and not (tmp_path / "bk").exists()


def test_when_the_final_rename_fails_the_photos_are_taken_back_and_the_old_database_stays(
    backup_dir, empty_db, tmp_path, monkeypatch
):
    target = tmp_path / "live" / "garden.duckdb"
    target.parent.mkdir()
    target.write_bytes(empty_db.read_bytes())
    before = _sha(target)
    real_replace = os.replace

    def failing_replace(src, dst):  # the disk fills up at the very last step
        if Path(dst) == target:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    _refused("backup.io_error", backup_dir, target, key_file=tmp_path / "backup.key")
    assert _sha(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["garden.duckdb"]
