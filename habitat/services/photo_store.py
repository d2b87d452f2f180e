"""Photos attached to any record: validate all, write files (temp name + rename), then rows.

If the database part fails, the files this call created are removed again, unless another
record already uses the same content.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

from habitat import photos
from habitat.db import sightings as sightings_db
from habitat.errors import PhotoError, ValidationError
from habitat.services.context import Ctx

MAX_PHOTOS_PER_RECORD = 6


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def limits(ctx: Ctx) -> photos.PhotoLimits:
    return photos.PhotoLimits(
        max_bytes=ctx.config.max_upload_mb * 1024 * 1024, max_pixels=ctx.config.max_pixels
    )


def safe_name(name: str) -> str:
    """Keep a file name for display only: no folders, no control characters, at most 120 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "photo"
    return base[:120]


def inspect_all(ctx: Ctx, uploads: Sequence[Upload]) -> list[photos.PhotoInfo]:
    """Validate every upload before anything is written; a bad one names its file."""
    if len(uploads) > MAX_PHOTOS_PER_RECORD:
        raise ValidationError("photo.too_many_files", n=MAX_PHOTOS_PER_RECORD)
    infos = []
    seen: set[str] = set()
    for up in uploads:
        try:
            info = photos.inspect_photo(up.data, limits=limits(ctx), default_tz=ctx.config.timezone)
        except PhotoError as err:
            raise PhotoError(
                "photo.file_rejected", file=safe_name(up.name), reason=err.message(ctx.lang)
            ) from err
        if info.sha256 in seen:
            raise PhotoError("photo.same_twice", file=safe_name(up.name))
        seen.add(info.sha256)
        infos.append(info)
    return infos


def check_not_duplicate(ctx: Ctx, infos: Sequence[photos.PhotoInfo], uploads: Sequence[Upload]) -> None:
    for info, up in zip(infos, uploads):
        owner = sightings_db.photo_in_use(ctx.con, info.sha256)
        if owner is None:
            continue
        _, sighting_id, task_log_id, problem_id, question_id = owner
        if sighting_id:
            raise PhotoError("photo.duplicate_sighting", file=safe_name(up.name), id=sighting_id)
        raise PhotoError("photo.duplicate_other", file=safe_name(up.name))


@contextmanager
def stored(
    ctx: Ctx, uploads: Sequence[Upload], *, allow_duplicates: bool = False
) -> Iterator[list[photos.StoredPhoto]]:
    """Write the renditions; if the block raises, remove what this call created."""
    infos = inspect_all(ctx, uploads)
    if not allow_duplicates:
        check_not_duplicate(ctx, infos, uploads)
    written: list[photos.StoredPhoto] = []
    try:
        for up in uploads:
            written.append(
                photos.ingest_photo(
                    up.data, ctx.photo_root, limits=limits(ctx), default_tz=ctx.config.timezone
                )
            )
        yield written
    except BaseException:
        for item in written:
            if not allowed_to_keep(ctx, item):
                photos.remove_created(ctx.photo_root, item)
        raise


def allowed_to_keep(ctx: Ctx, item: photos.StoredPhoto) -> bool:
    try:
        return sightings_db.paths_in_use(ctx.con, item.info.sha256) > 0
    except Exception:  # the connection may be mid-rollback; removing is the safe default
        return False


def insert_rows(
    ctx: Ctx, items: Sequence[photos.StoredPhoto], uploads: Sequence[Upload], **link: int
) -> list[int]:
    """Photo rows for stored files, linked to one record (sighting_id=..., task_log_id=..., ...)."""
    ids = []
    for item, up in zip(items, uploads):
        info = item.info
        ids.append(
            sightings_db.insert_photo(
                ctx.con,
                {
                    "sha256": info.sha256,
                    **link,
                    "original_name": safe_name(up.name),
                    "mime": info.mime,
                    "byte_size": info.byte_size,
                    "width": info.width,
                    "height": info.height,
                    "display_path": item.display_path,
                    "thumb_path": item.thumb_path,
                    "taken_at": info.taken_at,
                    "private_lat": info.gps_lat,
                    "private_lon": info.gps_lon,
                    "private_accuracy_m": info.gps_accuracy_m,
                    "uploaded_by": ctx.user.id,
                    "uploaded_at": ctx.now(),
                },
            )
        )
    return ids
