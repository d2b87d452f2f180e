"""Back up: tables to Parquet, the photo files the database uses, a signed manifest of checksums."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from habitat import backup_format as bf
from habitat import settings
from habitat.db import maintenance as m
from habitat.db.connection import applied_migrations
from habitat.errors import ValidationError
from habitat.maintenance.files import (
    MANIFEST,
    PRIVATE_DIR,
    PRIVATE_FILE,
    as_habitat_errors,
    copy_file,
    private_dirs,
    private_write,
    sha256_file,
)


def backup(
    con, photo_root: Path, out: Path, *, key_file: Path | None = None, cfg: settings.Config | None = None
) -> dict:
    """Tables to Parquet (EXPORT DATABASE), the photo files the database uses, a manifest of checksums
    and its signature. Everything is created readable by the owner only; the key is never copied."""
    cfg = cfg or settings.load()
    started = time.perf_counter()
    out, photo_root = Path(out), Path(photo_root)
    if out.is_symlink() or (out.exists() and (not out.is_dir() or any(out.iterdir()))):
        raise ValidationError("backup.out_not_empty", path=str(out))
    made_out = not out.exists()
    db_file = m.database_path(con)
    with as_habitat_errors(out):
        key = bf.key_for_backup(Path(db_file) if db_file else None, key_file=key_file, setting=cfg.backup_key)
        try:
            private_dirs(out)
            os.chmod(out, PRIVATE_DIR)  # an empty folder given by the operator, too
            manifest, photos = _write_backup(con, photo_root, out)
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            private_write(out / MANIFEST, raw)
            private_write(out / bf.SIGNATURE, bf.signature(key, raw))
        except BaseException:
            _remove_partial_backup(out, made_out)
            raise
    return {
        "out": str(out),
        "tables": len(manifest["row_counts"]),
        "rows": sum(manifest["row_counts"].values()),
        "files": len(manifest["files"]),
        **photos,
        "key": key.origin,
        "key_id": key.key_id,
        "key_created": key.created,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _write_backup(con, photo_root: Path, out: Path) -> tuple[dict, dict]:
    db_dir = out / "database"
    private_dirs(db_dir)
    m.export_database(con, str(db_dir))
    files: dict[str, str] = {}
    for p in sorted(db_dir.rglob("*")):
        os.chmod(p, PRIVATE_DIR if p.is_dir() else PRIVATE_FILE)
        if p.is_file():
            files[p.relative_to(out).as_posix()] = sha256_file(p)
    # Only the files the database uses, under the names a restore accepts: no temp or orphan files.
    copied = missing = skipped = 0
    for rel in sorted(m.photo_paths(con)):
        entry = bf.photo_entry(rel)
        if not entry:
            skipped += 1
            continue
        target = out / entry
        private_dirs(target.parent)
        try:
            files[entry] = copy_file(photo_root / rel, target, mode=PRIVATE_FILE)
        except FileNotFoundError:
            missing += 1
            continue
        except ValidationError:  # a symlink in the photo folder is not copied into a backup
            skipped += 1
            continue
        copied += 1
    manifest = {
        "format": bf.FORMAT,
        "created_at": datetime.now(timezone.utc).isoformat(),
        "row_counts": m.row_counts(con),
        "sequences": m.next_sequence_values(con),
        "migrations": applied_migrations(con),
        "files": files,
    }
    return manifest, {"photos": copied, "photos_missing": missing, "photos_skipped": skipped}


def _remove_partial_backup(out: Path, made_out: bool) -> None:
    if made_out:
        shutil.rmtree(out, ignore_errors=True)
        return
    for child in out.iterdir() if out.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
