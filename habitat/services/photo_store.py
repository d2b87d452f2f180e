"""Photos attached to any record: validate all, write files (temp name + rename), then rows.

If the database part fails, the files this call created are removed again, unless another
record already uses the same content.

A file that is no usable photo is refused as ``FileRejected``: it names the file and keeps the
reason as an error of its own, so the message can be shown in any language and callers that
handle many files (batch, import) report each file with its reason's key. A record with several
bad files is refused once, naming all of them (``FilesRejected``).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Sequence

from habitat import photos
from habitat.db import sightings as sightings_db
from habitat.errors import HabitatError, PhotoError, ValidationError
from habitat.i18n import t
from habitat.services.context import Ctx

MAX_PHOTOS_PER_RECORD = 6


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


class FileRejected(PhotoError):
    """One uploaded file cannot be used: ``file`` (its shown name) and ``reason`` (an error).

    ``index`` is the file's position among the uploads of its record, when known.
    """

    def __init__(self, file: str, reason: HabitatError, *, index: int | None = None) -> None:
        super().__init__("photo.file_rejected", file=file, reason=reason.key)
        self.file = file
        self.reason = reason
        self.index = index

    def message(self, lang: str = "en", quote=None) -> str:
        if "file" in self.reason.params:  # e.g. photo.same_twice already names the file
            return self.reason.message(lang, quote)
        name = quote(self.file) if quote else self.file
        return t(self.key, lang, file=name, reason=self.reason.message(lang, quote))


class FilesRejected(PhotoError):
    """Several files of one record cannot be used; all are named in one message."""

    def __init__(self, rejected: Sequence[FileRejected]) -> None:
        self.rejected = tuple(rejected)
        super().__init__("photo.files_rejected", n=len(self.rejected), files="")

    def message(self, lang: str = "en", quote=None) -> str:
        files = "\n".join(f"- {item.message(lang, quote)}" for item in self.rejected)
        return t(self.key, lang, n=len(self.rejected), files=files)


def limits(ctx: Ctx) -> photos.PhotoLimits:
    return photos.PhotoLimits(
        max_bytes=ctx.config.max_upload_mb * 1024 * 1024, max_pixels=ctx.config.max_pixels
    )


def safe_name(name: str) -> str:
    """Keep a file name for display only: no folders, no control characters, at most 120 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "photo"
    return base[:120]


def check_upload(ctx: Ctx, upload: Upload, index: int | None = None) -> photos.PhotoInfo:
    """Validate one upload (content, the configured size and pixel limits); FileRejected if unusable."""
    try:
        return photos.inspect_photo(upload.data, limits=limits(ctx), default_tz=ctx.config.timezone)
    except PhotoError as err:
        raise FileRejected(safe_name(upload.name), err, index=index) from err


def inspect_all(ctx: Ctx, uploads: Sequence[Upload]) -> list[photos.PhotoInfo]:
    """Validate every upload before anything is written; every bad one is named, all at once."""
    if len(uploads) > MAX_PHOTOS_PER_RECORD:
        raise ValidationError("photo.too_many_files", n=MAX_PHOTOS_PER_RECORD)
    infos, rejected = [], []
    for index, up in enumerate(uploads):
        try:
            infos.append(check_upload(ctx, up, index))
        except FileRejected as err:
            rejected.append(err)
    if len(rejected) == 1:
        raise rejected[0] from rejected[0].reason
    if rejected:
        raise FilesRejected(rejected) from rejected[0].reason
    seen: set[str] = set()
    for info, up in zip(infos, uploads):
        if info.sha256 in seen:
            raise PhotoError("photo.same_twice", file=safe_name(up.name))
        seen.add(info.sha256)
    return infos


def preview(ctx: Ctx, upload: Upload, max_px: int = photos.PREVIEW_PX) -> bytes:
    """A display-safe JPEG of an upload for a page to show before saving (``photos.preview_bytes``
    with the configured limits); FileRejected, naming the file, if it is no usable photo."""
    try:
        return photos.preview_bytes(upload.data, max_px, limits=limits(ctx))
    except PhotoError as err:
        raise FileRejected(safe_name(upload.name), err) from err


def check_not_duplicate(ctx: Ctx, infos: Sequence[photos.PhotoInfo], uploads: Sequence[Upload]) -> None:
    for info, up in zip(infos, uploads):
        owner = sightings_db.photo_in_use(ctx.con, info.sha256)
        if owner is None:
            continue
        _, sighting_id, task_log_id, problem_id, question_id = owner
        if sighting_id:
            raise PhotoError("photo.duplicate_sighting", file=safe_name(up.name), id=sighting_id)
        raise PhotoError("photo.duplicate_other", file=safe_name(up.name))


def same_record(species_id: int | None, other_species: int | None) -> bool:
    """One photo may show two organisms (a butterfly on a flower): it may back a second sighting of a
    different species. A photo already in a sighting of the same species, or in any sighting when either
    record names no species, would make the same record twice."""
    return species_id is None or other_species is None or other_species == species_id


def check_not_same_record(
    ctx: Ctx, infos: Sequence[photos.PhotoInfo], uploads: Sequence[Upload], species_id: int | None
) -> None:
    """Refuse a photo already in a sighting that would be the same record (:func:`same_record`). A photo
    first sent with a question or a problem report may become a sighting."""
    for info, up in zip(infos, uploads):
        for sighting_id, other_species in sightings_db.sightings_with_photo(ctx.con, info.sha256):
            if same_record(species_id, other_species):
                raise PhotoError("photo.duplicate_same_species", file=safe_name(up.name), id=sighting_id)


@dataclass(frozen=True)
class Examined:
    """One chosen file as the form shows it right after the pick, before anything is saved."""

    name: str  # the shown file name (safe_name)
    info: photos.PhotoInfo | None  # None: no usable photo
    preview: bytes | None  # a display-safe JPEG thumbnail, when the file is a usable photo
    problem: HabitatError | None  # why it cannot be used (FileRejected), or photo.same_twice

    @property
    def usable(self) -> bool:
        return self.problem is None


def examine_file(ctx: Ctx, upload: Upload, *, preview_px: int = 220) -> Examined:
    """One chosen file on its own: its thumbnail, or why it is refused (not a photo, too large ...)."""
    name = safe_name(upload.name)
    try:
        info = check_upload(ctx, upload)
        return Examined(name, info, preview(ctx, upload, preview_px), None)
    except FileRejected as err:
        return Examined(name, None, None, err)


def examine(
    ctx: Ctx, uploads: Sequence[Upload], *, read: Callable[[Upload], Examined] | None = None
) -> list[Examined]:
    """Every chosen file at once, right after the pick (nothing is read from or written to the
    database): thumbnails, and each refused file with its reason; a picture chosen twice is refused
    the second time. ``read`` examines one file (default :func:`examine_file`; a page may remember
    the answers across its reruns)."""
    read = read or (lambda up: examine_file(ctx, up))
    out: list[Examined] = []
    seen: set[str] = set()
    for up in uploads:
        one = read(up)
        if one.info is not None and one.info.sha256 in seen:
            one = replace(one, problem=PhotoError("photo.same_twice", file=one.name))
        elif one.info is not None:
            seen.add(one.info.sha256)
        out.append(one)
    return out


def in_sightings(ctx: Ctx, sha256: str) -> list[tuple[int, int | None]]:
    """(sighting id, species id) of the live sightings that already hold a photo with this content."""
    return sightings_db.sightings_with_photo(ctx.con, sha256)


@contextmanager
def stored(
    ctx: Ctx, uploads: Sequence[Upload], *, for_sighting: bool = False, species_id: int | None = None
) -> Iterator[list[photos.StoredPhoto]]:
    """Write the renditions; if the block raises, remove what this call created. A sighting's photos
    (``for_sighting``) are checked against records of the same species only (check_not_same_record)."""
    infos = inspect_all(ctx, uploads)
    if for_sighting:
        check_not_same_record(ctx, infos, uploads, species_id)
    else:
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
    now = ctx.now()
    for item, up in zip(items, uploads):
        info = item.info
        _, clock_wrong = photos.plausible_taken_at(info.taken_at, now)
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
                    "taken_at": None if clock_wrong else info.taken_at,  # not 2099 in an export
                    "private_lat": info.gps_lat,
                    "private_lon": info.gps_lon,
                    "private_accuracy_m": info.gps_accuracy_m,
                    "uploaded_by": ctx.user.id,
                    "uploaded_at": ctx.now(),
                },
            )
        )
    return ids
