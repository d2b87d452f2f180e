"""Bulk paths: a folder of photos (camera trap, SD card), a paper tally sheet as CSV, and the
batch upload after a patrol. A bad file never stops the others: each file is stored or refused
with the key and message of its reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Collection, Iterable, Sequence
from zoneinfo import ZoneInfo

from habitat import photos
from habitat.db import gardens as gardens_db
from habitat.db import species as species_db
from habitat.domain.batch import group_by_time_gap
from habitat.errors import HabitatError, PhotoError, ValidationError
from habitat.i18n import t
from habitat.services import photo_store, sightings
from habitat.services.context import Ctx, transaction
from habitat.services.photo_store import FileRejected, FilesRejected, Upload

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
UNIDENTIFIED = "待识别"


def _files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        else:
            out.append(p)
    return out


def import_photo_files(
    ctx: Ctx,
    garden_slug: str,
    paths: Sequence[Path],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    lang: str | None = None,
) -> dict:
    """Every readable image becomes a draft sighting (species unknown); nothing stops on a bad file.

    The report: ``imported``, ``sighting_ids``; ``duplicates`` (count) and ``duplicate_files``
    (photos already in the database); ``rejected`` (``file``, ``key``, ``reason``); ``warnings``
    (``file``, ``key``, ``message``): e.g. a wrong camera clock, in which case the record takes
    the file's modification time, or the import time. Messages are in ``lang`` (default: the
    acting person's language).
    """
    ctx.require("log")
    lang = lang or ctx.lang
    garden = gardens_db.by_slug(ctx.con, garden_slug)
    if garden is None:
        raise ValidationError("garden.not_found", slug=garden_slug)
    files = _files(paths)
    report: dict = {
        "imported": 0,
        "duplicates": 0,
        "duplicate_files": [],
        "rejected": [],
        "warnings": [],
        "sighting_ids": [],
    }
    tz = ZoneInfo(ctx.config.timezone)
    for n, path in enumerate(files, start=1):
        if progress:
            progress(n, len(files), path.name)
        name = str(path)
        try:
            if path.is_symlink() or not path.is_file():
                raise ValidationError("import.not_a_file")
            size = path.stat().st_size
            if size > ctx.config.max_upload_mb * 1024 * 1024:  # refused before it is read
                raise PhotoError(
                    "photo.too_large", mb=round(size / 2**20, 1), limit_mb=ctx.config.max_upload_mb
                )
            upload = Upload(name=path.name, data=path.read_bytes())
            info = photo_store.check_upload(ctx, upload)
            try:
                photo_store.check_not_duplicate(ctx, [info], [upload])
            except PhotoError:
                report["duplicates"] += 1
                report["duplicate_files"].append(name)
                continue
            hints = sightings.hints_from_photo(ctx, garden[0], info)
            inside = hints.zone_id is not None and not hints.outside_garden
            when = hints.event_date
            if when is None:  # no time in the photo, or a wrong camera clock: the file's time
                when, _ = sightings.photo_time(ctx, replace(info, taken_at=_file_time(path, tz)))
            draft = sightings.SightingDraft(
                garden_id=garden[0],
                event_date=when or ctx.now(),
                verbatim_identification=UNIDENTIFIED,
                zone_id=hints.zone_id if inside else None,
                life_stage="unknown",
                decimal_latitude=hints.lat if inside else None,
                decimal_longitude=hints.lon if inside else None,
                coordinate_uncertainty_in_meters=hints.accuracy_m,
                location_source="photo_gps" if inside else None,
                source="import_photos",
            )
            saved = sightings.save_sighting(ctx, draft, [upload])
            report["imported"] += 1
            report["sighting_ids"].append(saved.id)
            report["warnings"].extend(
                {"file": name, "key": key, "message": t(key, lang)} for key in hints.warnings
            )
        except HabitatError as err:
            reason = err.reason if isinstance(err, FileRejected) else err
            report["rejected"].append({"file": name, "key": reason.key, "reason": reason.message(lang)})
        except OSError as err:
            reason = ValidationError("import.unreadable", reason=err.strerror or str(err))
            report["rejected"].append({"file": name, "key": reason.key, "reason": reason.message(lang)})
    return report


def _file_time(path: Path, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz)


# --- paper tally sheets -------------------------------------------------------------------------

HEADERS = {
    "species": {"species", "物种", "物种名", "名称", "scientific_name", "name"},
    "count": {"count", "数量", "个体数", "individual_count"},
    "zone": {"zone", "区域", "分区"},
    "time": {"time", "时间", "日期时间", "event_date", "datetime"},
    "note": {"note", "备注"},
}
TIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y.%m.%d %H:%M",
    "%Y-%m-%d",
)


@dataclass
class TallyResult:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK, what Excel in China saves)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("import.bad_encoding")


def _column_map(header: list[str]) -> dict[str, int]:
    found = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        for field_name, names in HEADERS.items():
            if key in names:
                found[field_name] = i
    missing = [f for f in ("species", "time") if f not in found]
    if missing:
        raise ValidationError("import.missing_columns", columns=", ".join(missing))
    return found


def import_tally(ctx: Ctx, garden_id: int, data: bytes, *, visit_id: int | None = None) -> TallyResult:
    """All rows or none: any row error is listed (with its line) and nothing is saved."""
    ctx.require("log")
    limit_mb = ctx.config.max_upload_mb
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationError("import.too_large", mb=round(len(data) / 2**20, 1), limit_mb=limit_mb)
    if not data.strip():
        raise ValidationError("import.empty_file")
    if b"\x00" in data[:4096] or photos.looks_like_image(data):  # a photo or other binary file chosen
        raise ValidationError("import.not_a_table")
    text = decode_text(data)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValidationError("import.empty_file")
    cols = _column_map(rows[0])
    zones = gardens_db.zones(ctx.con, garden_id)
    zone_ids = {str(c).lower(): i for c, i in zip(zones["code"], zones["id"])} | {
        n: i for n, i in zip(zones["name"], zones["id"])
    }
    tz = ZoneInfo(ctx.config.timezone)
    drafts, result = [], TallyResult()

    def cell(row, name):
        i = cols.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        try:
            name = cell(row, "species")
            species_id = species_db.id_by_name(ctx.con, name) if name else None
            if species_id is None:
                raise ValidationError("import.unknown_species", name=name or "—")
            count_text = cell(row, "count")
            count = None
            if count_text:
                if not count_text.isdigit() or int(count_text) < 1:
                    raise ValidationError("import.bad_count", value=count_text)
                count = int(count_text)
            zone_text = cell(row, "zone")
            zone_id = None
            if zone_text:
                zone_id = zone_ids.get(zone_text.lower(), zone_ids.get(zone_text))
                if zone_id is None:
                    raise ValidationError("import.unknown_zone", zone=zone_text)
            when = _parse_time(cell(row, "time"), tz)
            draft = sightings.SightingDraft(
                garden_id=garden_id,
                event_date=when,
                species_id=species_id,
                zone_id=zone_id,
                visit_id=visit_id,
                individual_count=count,
                note=cell(row, "note") or None,
                source="csv",
            )
            drafts.append(sightings.validate(ctx, draft))
        except HabitatError as err:
            result.errors.append((line, err.message(ctx.lang)))
    if result.errors:
        return result
    if not drafts:
        raise ValidationError("import.empty_file")
    with transaction(ctx):
        for d in drafts:
            sightings.save_sighting(ctx, d)
    result.imported = len(drafts)
    return result


def _parse_time(text: str, tz: ZoneInfo) -> datetime:
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    raise ValidationError("import.bad_time", value=text or "—")


# --- batch upload after a patrol ---------------------------------------------------------------

MAX_BATCH = 40


@dataclass
class BatchGroup:
    uploads: list[Upload]
    hints: "sightings.PhotoHints"
    event_date: datetime  # the first photo's time, or now when it has none (or a wrong clock)
    shas: list[str] = field(default_factory=list)  # the photos' content hashes, in upload order

    @property
    def timed(self) -> bool:
        """False: no photo of the group gave a usable time; the volunteer sets it."""
        return self.hints.event_date is not None

    @property
    def key(self) -> str:
        """Names the group across reruns, whatever was saved before it (its first photo's content)."""
        return self.shas[0][:12] if self.shas else ""


@dataclass
class BatchPrepared:
    groups: list[BatchGroup]
    rejected: list[tuple[str, str]]  # (file name, reason in ctx.lang), one per refused file
    refused: list[FileRejected] = field(default_factory=list)  # the same files, with their reason's key


def prepare_batch(
    ctx: Ctx,
    garden_id: int,
    uploads: Sequence[Upload],
    *,
    gap_minutes: float = 2.0,
    progress: Callable[[int, int], None] | None = None,
    saved: Collection[str] = (),
) -> BatchPrepared:
    """Read every photo's EXIF, group by time gap into draft sightings, pre-fill each from its first photo.

    A file that is no usable photo, or is chosen twice, or is already saved, is refused on its own
    (``refused``), right at the upload; the others are grouped. Photos whose camera clock is wrong
    (future, before 1990, older than a record may be) are grouped among themselves by their own times
    and their groups are not ``timed`` (the volunteer sets the time); a group never holds more photos
    than one record takes. Photos whose content hash is in ``saved`` (saved from this batch already:
    their group left the screen) are passed over without a word.
    """
    ctx.require("log")
    if len(uploads) > MAX_BATCH:
        raise ValidationError("batch.too_many", n=MAX_BATCH)
    good: list[tuple[Upload, photos.PhotoInfo]] = []
    refused: list[FileRejected] = []
    seen: set[str] = set()
    saved = set(saved)
    for n, up in enumerate(uploads, start=1):
        if progress:
            progress(n, len(uploads))
        if saved and hashlib.sha256(up.data).hexdigest() in saved:
            continue
        try:
            info = photo_store.check_upload(ctx, up)
            if info.sha256 in seen:
                raise PhotoError("photo.same_twice", file=photo_store.safe_name(up.name))
            photo_store.check_not_duplicate(ctx, [info], [up])
        except FileRejected as err:
            refused.append(err)
            continue
        except PhotoError as err:
            refused.append(FileRejected(photo_store.safe_name(up.name), err))
            continue
        seen.add(info.sha256)
        good.append((up, info))

    gap = timedelta(minutes=gap_minutes)
    size = photo_store.MAX_PHOTOS_PER_RECORD
    times = [sightings.photo_time(ctx, info) for _, info in good]
    right = [(pair, when) for pair, (when, warning) in zip(good, times) if warning is None]
    wrong = [(pair, pair[1].taken_at) for pair, (_, warning) in zip(good, times) if warning is not None]
    pair_groups = group_by_time_gap([p for p, _ in right], [w for _, w in right], gap, size)
    pair_groups += group_by_time_gap([p for p, _ in wrong], [w for _, w in wrong], gap, size)
    groups = []
    for pair_list in pair_groups:
        hints = sightings.hints_from_photo(ctx, garden_id, pair_list[0][1])
        groups.append(
            BatchGroup(
                uploads=[u for u, _ in pair_list],
                hints=hints,
                event_date=hints.event_date or ctx.now(),
                shas=[info.sha256 for _, info in pair_list],
            )
        )
    rejected = [(r.file, r.reason.message(ctx.lang)) for r in refused]
    return BatchPrepared(groups=groups, rejected=rejected, refused=refused)


def save_batch(
    ctx: Ctx,
    items: Sequence[tuple["sightings.SightingDraft", Sequence[Upload]]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list["sightings.Saved | HabitatError"]:
    """Save each draft on its own (one bad group never loses the others); returns result or error per item.

    A file of a group that turns out unusable is left out and the group saved with the others;
    the files left out are listed in ``Saved.refused_files``. A group left with no usable file is
    not saved: its result is the refusal.
    """
    results: list = []
    for n, (draft, ups) in enumerate(items, start=1):
        results.append(_save_group(ctx, draft, list(ups)))
        if progress:
            progress(n, len(items))
    return results


def _save_group(
    ctx: Ctx, draft: "sightings.SightingDraft", ups: list[Upload]
) -> "sightings.Saved | HabitatError":
    left_out: list[FileRejected] = []
    while True:
        try:
            saved = sightings.save_sighting(ctx, draft, ups)
            return replace(saved, refused_files=tuple(left_out)) if left_out else saved
        except (FileRejected, FilesRejected) as err:
            bad = list(err.rejected) if isinstance(err, FilesRejected) else [err]
            if any(b.index is None for b in bad):
                return err
        except HabitatError as err:
            return err
        drop = {b.index for b in bad}
        ups = [u for i, u in enumerate(ups) if i not in drop]
        left_out.extend(bad)
        if not ups:
            return left_out[0] if len(left_out) == 1 else FilesRejected(left_out)
