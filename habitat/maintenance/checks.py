"""Integrity check: orphan photo files, missing files, dangling references, half-saved sightings."""

from __future__ import annotations

from pathlib import Path

from habitat.db import drafts as drafts_db
from habitat.db import maintenance as m
from habitat.services.drafts import FOLDER


def _photo_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _draft_paths(con, photo_root: Path) -> set[str]:
    """Photo files that half-filled drafts still hold (services/drafts.py keeps them in .drafts/)."""
    wanted = drafts_db.photo_hashes(con)
    folder = photo_root / FOLDER
    if not folder.is_dir():
        return set()
    return {p.relative_to(photo_root).as_posix() for p in folder.glob("*/*.bin") if p.stem in wanted}


def check(con, photo_root: Path, *, fix: bool = False) -> dict:
    """Orphan photo files (no row points at them, or a temp file from an interrupted write), rows whose
    files are missing, dangling references and half-saved sightings. With ``fix``, orphan files are removed."""
    referenced = m.photo_paths(con) | _draft_paths(con, photo_root)
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
