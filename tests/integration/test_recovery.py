"""Nothing lost: concurrent saves, SIGKILL in the middle of saving and importing, check, backup, restore."""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from habitat import maintenance
from habitat.clock import SHANGHAI, fixed_clock
from habitat.db import connect, open_database
from habitat.db import people as people_db
from habitat.errors import ValidationError
from habitat.services import sightings
from habitat.services.context import Ctx
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

ROOT = Path(__file__).resolve().parents[2]
CRASH_RUNS = int(os.environ.get("HABITAT_CRASH_RUNS", "5"))


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_twenty_concurrent_sessions_lose_no_rows_and_no_files(demo_db, config):
    con = open_database(demo_db)
    volunteer = people_db.by_id(con, q(con, "SELECT id FROM people WHERE username = 'wangayi'")[0][0])
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    sparrow = q(con, "SELECT id FROM species WHERE chinese_name = '麻雀'")[0][0]
    errors = []

    def session(n):
        ctx = Ctx(con=con.cursor(), user=volunteer, config=config, clock=fixed_clock(datetime.now(SHANGHAI)))
        for i in range(5):
            photo = fx.make_jpeg(width=160, height=120, color=(n * 10 % 255, i * 40, 99))
            draft = sightings.SightingDraft(
                garden_id=gid, event_date=ctx.now(), species_id=sparrow, individual_count=1, note=f"t{n}-{i}"
            )
            for attempt in range(5):  # a write-write conflict is retryable; nothing is half-written
                try:
                    sightings.save_sighting(ctx, draft, [Upload(f"{n}-{i}.jpg", photo)])
                    break
                except Exception as exc:  # noqa: BLE001 - collected and asserted below
                    if attempt == 4:
                        errors.append(repr(exc))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    notes = {r[0] for r in q(con, "SELECT note FROM sightings WHERE note LIKE 't%-%'")}
    assert len(notes) == 100
    assert q(
        con, "SELECT count(*) FROM photos p JOIN sightings s ON s.id = p.sighting_id WHERE s.note LIKE 't%-%'"
    ) == [(100,)]
    report = maintenance.check(con, config.photo_root)
    assert report["missing_files"] == [] and report["half_saved_sightings"] == []


WORKER = textwrap.dedent("""
    import sys, time
    from datetime import datetime
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from habitat.clock import SHANGHAI
    from habitat.db import open_database, people as people_db
    from habitat.services import sightings, importing
    from habitat.services.context import Ctx
    from habitat.services.photo_store import Upload
    from habitat.settings import load
    from tests.fixtures import images as fx
    db, photos, mode, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    con = open_database(db)
    user = people_db.by_id(con, con.execute("SELECT id FROM people WHERE username = 'wangayi'").fetchall()[0][0])
    ctx = Ctx(con=con, user=user, config=load(env={{}}, GARDEN_DB=db, GARDEN_PHOTOS=photos))
    gid = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    print("ready", flush=True)
    if mode == "save":
        for i in range(10_000):
            photo = fx.make_jpeg(width=640, height=480, color=(seed % 255, i % 255, (i * 7) % 255), noise=True)
            draft = sightings.SightingDraft(garden_id=gid, event_date=datetime.now(SHANGHAI), verbatim_identification="crash", source="crash")
            sightings.save_sighting(ctx, draft, [Upload(f"c{{seed}}-{{i}}.jpg", photo)])
    else:
        importing.import_photo_files(ctx, "zhongjing", [Path(sys.argv[5])])
""")


def _kill_run(db, photos, mode, seed, extra=()):
    script = Path(photos).parent / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(photos), mode, str(seed), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    time.sleep(random.Random(seed).uniform(0.2, 1.2))
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _assert_consistent(db, photos) -> dict:
    con = connect(db)  # opens after a crash: the WAL is replayed
    try:
        report = maintenance.check(con, Path(photos))
        assert report["half_saved_sightings"] == [] and report["dangling_references"] == []
        assert report["missing_files"] == []
        orphan_rows = q(
            con,
            """SELECT count(*) FROM sightings s WHERE s.source IN ('crash', 'import_photos')
                               AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id)""",
        )
        assert orphan_rows == [(0,)]
        return report
    finally:
        con.close()


def test_sigkill_while_saving_leaves_no_half_record_and_check_fix_cleans_files(demo_db, tmp_path):
    photos = tmp_path / "photos"
    saved = 0
    for run in range(CRASH_RUNS):
        _kill_run(demo_db, photos, "save", seed=run)
        _assert_consistent(demo_db, photos)
    con = connect(demo_db)
    saved = q(con, "SELECT count(*) FROM sightings WHERE source = 'crash'")[0][0]
    fixed = maintenance.check(con, photos, fix=True)
    assert maintenance.check(con, photos)["orphan_files"] == [] and maintenance.check(con, photos)["ok"]
    con.close()
    assert saved > 0, "the worker never got to save anything before being killed"
    print(
        json.dumps(
            {
                "crash_runs": CRASH_RUNS,
                "sightings_saved": saved,
                "orphans_removed": fixed["orphan_files_removed"],
                "lost": 0,
            }
        )
    )


def test_sigkill_during_a_batch_import_leaves_the_database_consistent(demo_db, tmp_path):
    photos = tmp_path / "photos"
    folder = tmp_path / "sdcard"
    folder.mkdir()
    for i in range(40):
        (folder / f"IMG_{i:04d}.jpg").write_bytes(
            fx.make_jpeg(width=800, height=600, color=(i * 5, 90, 200 - i), noise=True)
        )
    for run in range(max(2, CRASH_RUNS // 2)):
        _kill_run(demo_db, photos, "import", seed=100 + run, extra=(str(folder),))
        _assert_consistent(demo_db, photos)


def test_check_lists_orphan_and_temp_files_and_fix_removes_only_those(con, config):
    root = config.photo_root
    (root / "display" / "zz").mkdir(parents=True, exist_ok=True)
    stray = root / "display" / "zz" / ("f" * 64 + ".jpg")
    stray.write_bytes(b"x")
    temp = root / "display" / "zz" / ".tmp-123.jpg"
    temp.write_bytes(b"y")
    report = maintenance.check(con, root)
    assert {f"display/zz/{stray.name}", "display/zz/.tmp-123.jpg"} <= set(report["orphan_files"])
    kept = set(con.execute("SELECT display_path FROM photos").fetchall())
    maintenance.check(con, root, fix=True)
    assert not stray.exists() and not temp.exists()
    assert all((root / p[0]).exists() for p in kept)


def test_check_reports_dangling_references(con, config):
    con.execute("UPDATE sightings SET zone_id = 999999 WHERE id = (SELECT min(id) FROM sightings)")
    report = maintenance.check(con, config.photo_root)
    assert {"table": "sightings", "column": "zone_id", "missing": 999999} in [
        {k: d[k] for k in ("table", "column", "missing")} for d in report["dangling_references"]
    ]


def test_backup_and_restore_round_trip_counts_and_checksums(demo_db, config, tmp_path):
    con = connect(demo_db)
    before = maintenance.check(con, config.photo_root)
    out = tmp_path / "backup"
    summary = maintenance.backup(con, config.photo_root, out)
    from habitat.db import maintenance as m

    counts = m.row_counts(con)
    con.close()
    assert summary["rows"] == sum(counts.values())
    target, target_photos = tmp_path / "restored.duckdb", tmp_path / "restored_photos"
    maintenance.restore(out, target, target_photos)
    con2 = connect(target)
    assert m.row_counts(con2) == counts
    assert maintenance.check(con2, target_photos)["missing_files"] == before["missing_files"] == []
    new_id = con2.execute(
        "INSERT INTO gardens (slug, name, town, centre_lat, centre_lon) VALUES ('n', 'n', 't', 31, 121) RETURNING id"
    ).fetchall()[0][0]
    assert new_id > counts["gardens"]  # sequences were restored too
    con2.close()
    originals = {
        p.relative_to(config.photo_root): maintenance.sha256_file(p)
        for p in config.photo_root.rglob("*")
        if p.is_file()
    }
    restored = {
        p.relative_to(target_photos): maintenance.sha256_file(p)
        for p in target_photos.rglob("*")
        if p.is_file()
    }
    assert originals == restored and len(originals) >= 100


def test_restore_refuses_a_non_empty_database_without_force(demo_db, config, tmp_path):
    con = connect(demo_db)
    maintenance.backup(con, config.photo_root, tmp_path / "b")
    con.close()
    with pytest.raises(ValidationError) as info:
        maintenance.restore(tmp_path / "b", demo_db, config.photo_root)
    assert info.value.key == "db.not_empty"
    assert maintenance.restore(tmp_path / "b", demo_db, config.photo_root, force=True)["rows"] > 0


def test_a_damaged_backup_is_refused_before_anything_is_touched(demo_db, config, tmp_path):
    con = connect(demo_db)
    maintenance.backup(con, config.photo_root, tmp_path / "b")
    con.close()
    victim = next((tmp_path / "b" / "photos").rglob("*.jpg"))
    victim.write_bytes(b"bit rot")
    with pytest.raises(ValidationError) as info:
        maintenance.restore(tmp_path / "b", tmp_path / "new.duckdb", tmp_path / "p")
    assert info.value.key == "backup.corrupt" and not (tmp_path / "new.duckdb").exists()


def test_cli_check_prints_json_and_exits_nonzero_on_problems(demo_db, tmp_path):
    photos = tmp_path / "photos"
    out = subprocess.run(
        [sys.executable, "-m", "habitat", "check", "--db", str(demo_db), "--photos", str(photos)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["ok"] and report["orphan_files"] == []
