"""Keeping a deployment healthy: check (and fix) integrity, back up and restore.

    python -m habitat check   --db PATH [--photos DIR] [--fix]
    python -m habitat backup  --db PATH --out DIR [--photos DIR]
    python -m habitat restore --from DIR --db PATH [--photos DIR] [--force]
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from habitat import settings
from habitat.errors import HabitatError, ValidationError

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _photo_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def check(con, photo_root: Path, *, fix: bool = False) -> dict:
    """Orphan photo files (no row points at them, or a temp file from an interrupted write), rows whose
    files are missing, dangling references and half-saved sightings. With ``fix``, orphan files are removed."""
    from habitat.db import maintenance as m

    referenced = m.photo_paths(con)
    on_disk = {p.relative_to(photo_root).as_posix(): p for p in _photo_files(photo_root)}
    orphans = sorted(rel for rel in on_disk if rel not in referenced)
    missing = sorted(rel for rel in referenced if rel not in on_disk)
    removed = 0
    if fix:
        for rel in orphans:
            on_disk[rel].unlink(missing_ok=True)
            removed += 1
    return {
        "orphan_files": orphans,
        "orphan_files_removed": removed,
        "missing_files": missing,
        "dangling_references": m.dangling(con),
        "half_saved_sightings": m.half_sightings(con),
        "ok": not (orphans and not fix) and not missing and not m.dangling(con) and not m.half_sightings(con),
    }


def backup(con, photo_root: Path, out: Path) -> dict:
    """Database tables to Parquet (EXPORT DATABASE) plus the photo files, with a manifest of checksums."""
    from habitat.db import maintenance as m

    started = time.perf_counter()
    if out.exists() and any(out.iterdir()):
        raise ValidationError("backup.out_not_empty", path=str(out))
    db_dir, photo_dir = out / "database", out / "photos"
    out.mkdir(parents=True, exist_ok=True)
    m.export_database(con, str(db_dir))
    files: dict[str, str] = {}
    for p in sorted(db_dir.rglob("*")):
        if p.is_file():
            files[p.relative_to(out).as_posix()] = sha256_file(p)
    for p in _photo_files(photo_root):
        target = photo_dir / p.relative_to(photo_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, target)
        files[target.relative_to(out).as_posix()] = sha256_file(target)
    manifest = {
        "created_at": datetime.now(timezone.utc).isoformat(),
        "row_counts": m.row_counts(con),
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"out": str(out), "tables": len(manifest["row_counts"]), "rows": sum(manifest["row_counts"].values()),
            "files": len(files), "seconds": round(time.perf_counter() - started, 2)}


def verify_backup(folder: Path) -> dict:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    bad = [rel for rel, digest in manifest["files"].items() if not (folder / rel).is_file() or sha256_file(folder / rel) != digest]
    if bad:
        raise ValidationError("backup.corrupt", files=", ".join(bad[:5]), n=len(bad))
    return manifest


def restore(source: Path, db_path: Path, photo_root: Path, *, force: bool = False) -> dict:
    """Checksums first, then the database into a fresh file, then the photos; row counts must match."""
    from habitat.db import connect
    from habitat.db import maintenance as m

    if not (source / MANIFEST).is_file():
        raise ValidationError("backup.no_manifest", path=str(source))
    manifest = verify_backup(source)
    if db_path.exists():
        con = connect(db_path)
        try:
            occupied = m.has_data(con)
        finally:
            con.close()
        if occupied and not force:
            raise ValidationError("db.not_empty", path=str(db_path))
        db_path.rename(db_path.with_suffix(db_path.suffix + f".before-restore-{int(time.time())}"))
        wal = db_path.with_suffix(db_path.suffix + ".wal")
        if wal.exists():
            wal.unlink()
    con = connect(db_path)
    try:
        m.import_database(con, str(source / "database"))
        counts = m.row_counts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if counts != manifest["row_counts"]:
        raise ValidationError("backup.counts_differ")
    copied = 0
    for rel in manifest["files"]:
        if rel.startswith("photos/"):
            target = photo_root / rel.removeprefix("photos/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, target)
            copied += 1
    return {"db": str(db_path), "rows": sum(counts.values()), "photos": copied}


# --- command line -------------------------------------------------------------------------------

def _paths(db_path, photo_root):
    cfg = settings.load()
    return Path(db_path or cfg.db_path), Path(photo_root or cfg.photo_root)


def _fail(err: HabitatError) -> None:
    click.echo(err.message(settings.load().language), err=True)
    sys.exit(2)


@click.command("check")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--photos", "photo_root", type=click.Path(path_type=Path), default=None)
@click.option("--fix", is_flag=True, help="Remove orphan photo files.")
def check_cmd(db_path, photo_root, fix) -> None:
    """List orphan photo files, missing files, dangling references and half-saved records."""
    from habitat.db import open_database

    db_path, photo_root = _paths(db_path, photo_root)
    try:
        con = open_database(db_path)
    except HabitatError as err:
        _fail(err)
    report = check(con, photo_root, fix=fix)
    con.close()
    click.echo(json.dumps(report, ensure_ascii=False))
    sys.exit(0 if report["ok"] else 1)


@click.command("backup")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--photos", "photo_root", type=click.Path(path_type=Path), default=None)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
def backup_cmd(db_path, photo_root, out) -> None:
    """Back up the database (Parquet) and photos with a manifest of checksums."""
    from habitat.db import connect

    db_path, photo_root = _paths(db_path, photo_root)
    try:
        con = connect(db_path)
        try:
            click.echo(json.dumps(backup(con, photo_root, out), ensure_ascii=False))
        finally:
            con.close()
    except HabitatError as err:
        _fail(err)


@click.command("restore")
@click.option("--from", "source", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None)
@click.option("--photos", "photo_root", type=click.Path(path_type=Path), default=None)
@click.option("--force", is_flag=True, help="Replace a database that already holds data (the old file is kept aside).")
def restore_cmd(source, db_path, photo_root, force) -> None:
    """Restore a backup made by `backup`."""
    db_path, photo_root = _paths(db_path, photo_root)
    try:
        click.echo(json.dumps(restore(source, db_path, photo_root, force=force), ensure_ascii=False))
    except HabitatError as err:
        _fail(err)


COMMANDS = [check_cmd, backup_cmd, restore_cmd]
