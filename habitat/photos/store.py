"""The pipeline of an upload: inspect, or validate and store a display copy and a thumbnail named by
the content hash (written atomically, rolled back on failure)."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import uuid
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

from habitat.errors import PhotoError
from habitat.photos.decode import _as_bytes, _draft, _load, _open, _reading, register_heif
from habitat.photos.exif import _describe, _zone
from habitat.photos.model import E_SAVE_FAILED, PhotoInfo, PhotoLimits, StoredPhoto
from habitat.photos.render import _JPEG_QUALITY, _fit, _render

log = logging.getLogger("habitat.photos")  # one logger for the package, named as before the split


def inspect_photo(
    data: bytes, *, limits: PhotoLimits = PhotoLimits(), default_tz: str = "Asia/Shanghai"
) -> PhotoInfo:
    """Validate ``data`` as a photo and describe it; raises ``PhotoError`` for unusable input.

    The image is decoded (JPEG at 1/8 scale) so truncated or corrupt files are caught here too.
    """
    tz = _zone(default_tz)
    data = _as_bytes(data)
    with _reading(data):
        img, fmt, mime = _open(data, limits)
        try:
            info, _orientation = _describe(img, data, fmt, mime, tz)  # before draft changes size
            _draft(img, fmt, limits.thumb_px)
            _load(img, fmt)
        finally:
            img.close()
    return info


def ingest_photo(
    data: bytes,
    photo_root: Path,
    *,
    limits: PhotoLimits = PhotoLimits(),
    default_tz: str = "Asia/Shanghai",
) -> StoredPhoto:
    """Validate ``data`` and store its display copy and thumbnail under ``photo_root``.

    Files are named by the SHA-256 of ``data``; if both already exist (same upload seen before)
    nothing is decoded or written and ``created`` is empty. On a write failure the files this
    call created are removed and ``PhotoError("photo.save_failed")`` is raised.
    """
    tz = _zone(default_tz)
    data = _as_bytes(data)
    root = Path(photo_root)
    with _reading(data):
        img, fmt, mime = _open(data, limits)
        try:
            info, orientation = _describe(img, data, fmt, mime, tz)  # before draft changes size
            display_rel, thumb_rel = _relative_paths(info.sha256)
            display_size = _existing_size(root / display_rel)
            thumb_size = _existing_size(root / thumb_rel)
            if display_size and thumb_size:
                return StoredPhoto(info, display_rel, thumb_rel, display_size, thumb_size, ())
            _draft(img, fmt, limits.display_px)
            display, thumb, icc = _render(img, fmt, orientation, info, limits)
        finally:
            img.close()

    created: list[str] = []
    try:
        for rel, image, existing in ((display_rel, display, display_size), (thumb_rel, thumb, thumb_size)):
            if not existing and _write_jpeg_once(root / rel, image, icc):
                created.append(rel)
    except OSError as exc:
        log.error("could not store photo %s under %s: %s", info.sha256, root, exc)
        _remove_relative(root, created)
        raise PhotoError(E_SAVE_FAILED) from exc
    return StoredPhoto(
        info=info,
        display_path=display_rel,
        thumb_path=thumb_rel,
        display_size=display_size or display.size,
        thumb_size=thumb_size or thumb.size,
        created=tuple(created),
    )


def remove_created(photo_root: Path, stored: StoredPhoto) -> None:
    """Delete the files ``stored.created`` lists (roll back a failed save); never raises."""
    _remove_relative(Path(photo_root), stored.created)


def naive_ingest(data: bytes, out_dir: Path) -> None:
    """Reference implementation for benchmarks: full decode, exif_transpose, two LANCZOS resizes.

    Writes the same layout as ``ingest_photo`` (display/<xx>/<sha>.jpg, thumb/<xx>/<sha>.jpg).
    No validation beyond what Pillow does; not for production use.
    """
    register_heif()
    limits = PhotoLimits()
    sha = hashlib.sha256(data).hexdigest()
    img = Image.open(io.BytesIO(data))
    img.load()
    img = ImageOps.exif_transpose(img).convert("RGB")
    display_rel, thumb_rel = _relative_paths(sha)
    for rel, edge in ((display_rel, limits.display_px), (thumb_rel, limits.thumb_px)):
        out = img.resize(_fit(*img.size, edge), Image.Resampling.LANCZOS)
        target = Path(out_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        out.save(target, "JPEG", quality=_JPEG_QUALITY)


def _relative_paths(sha: str) -> tuple[str, str]:
    return f"display/{sha[:2]}/{sha}.jpg", f"thumb/{sha[:2]}/{sha}.jpg"


def _existing_size(path: Path) -> tuple[int, int] | None:
    """Size of an already stored output, or None if it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        with Image.open(path, formats=["JPEG"]) as existing:
            return existing.size
    except Exception:  # noqa: BLE001 - any damage means: write it again
        log.warning("stored photo %s is unreadable; writing it again", path)
        return None


def _write_jpeg_once(target: Path, image: Image.Image, icc: bytes | None) -> bool:
    """Write ``image`` to ``target`` atomically; True if this call created the file.

    A file that appeared meanwhile (same content hash, so the same picture) is kept; a file
    that existed but was unreadable is replaced and not reported as created.
    """
    existed = target.exists()
    if existed and _existing_size(target):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    params: dict[str, object] = {"quality": _JPEG_QUALITY, "optimize": False, "progressive": False}
    if icc:
        params["icc_profile"] = icc
    try:
        with open(tmp, "xb") as fh:
            image.save(fh, "JPEG", **params)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return not existed


def _remove_relative(root: Path, relatives: tuple[str, ...] | list[str]) -> None:
    for rel in relatives:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            log.warning("refusing to remove suspicious photo path %r", rel)
            continue
        try:
            (root / pure).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s: %s", root / pure, exc)
