"""Bulk paths: a folder of photos (camera trap, SD card) and a paper tally sheet as CSV."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from habitat.db import gardens as gardens_db
from habitat.db import species as species_db
from habitat.errors import HabitatError, PhotoError, ValidationError
from habitat.services import photo_store, sightings
from habitat.services.context import Ctx, transaction
from habitat.services.photo_store import Upload

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
) -> dict:
    """Every readable image becomes a draft sighting (species unknown); nothing stops on a bad file."""
    ctx.require("log")
    garden = gardens_db.by_slug(ctx.con, garden_slug)
    if garden is None:
        raise ValidationError("garden.not_found", slug=garden_slug)
    files = _files(paths)
    report = {"imported": 0, "duplicates": 0, "rejected": [], "sighting_ids": []}
    tz = ZoneInfo(ctx.config.timezone)
    for n, path in enumerate(files, start=1):
        if progress:
            progress(n, len(files), path.name)
        name = str(path)
        try:
            if path.is_symlink() or not path.is_file():
                raise ValidationError("import.not_a_file")
            if path.stat().st_size > ctx.config.max_upload_mb * 1024 * 1024:
                raise PhotoError(
                    "photo.too_large",
                    mb=round(path.stat().st_size / 2**20, 1),
                    limit_mb=ctx.config.max_upload_mb,
                )
            upload = Upload(name=path.name, data=path.read_bytes())
            info = photo_store.inspect_all(ctx, [upload])[0]
            try:
                photo_store.check_not_duplicate(ctx, [info], [upload])
            except PhotoError:
                report["duplicates"] += 1
                continue
            hints = sightings.hints_from_photo(ctx, garden[0], info)
            inside = hints.zone_id is not None and not hints.outside_garden
            when = info.taken_at or datetime.fromtimestamp(path.stat().st_mtime, tz)
            draft = sightings.SightingDraft(
                garden_id=garden[0],
                event_date=min(when, ctx.now()),
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
        except HabitatError as err:
            report["rejected"].append({"file": name, "reason": err.message(ctx.lang)})
        except OSError as err:
            report["rejected"].append({"file": name, "reason": err.strerror or str(err)})
    return report


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
    if not data.strip():
        raise ValidationError("import.empty_file")
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
    event_date: datetime


@dataclass
class BatchPrepared:
    groups: list[BatchGroup]
    rejected: list[tuple[str, str]]  # (file name, reason)


def prepare_batch(
    ctx: Ctx,
    garden_id: int,
    uploads: Sequence[Upload],
    *,
    gap_minutes: float = 2.0,
    progress: Callable[[int, int], None] | None = None,
) -> BatchPrepared:
    """Read every photo's EXIF, group by time gap into draft sightings, pre-fill each from its first photo."""
    from datetime import timedelta

    from habitat.domain.batch import group_by_time_gap

    ctx.require("log")
    if len(uploads) > MAX_BATCH:
        raise ValidationError("batch.too_many", n=MAX_BATCH)
    good, infos, rejected = [], [], []
    for n, up in enumerate(uploads, start=1):
        if progress:
            progress(n, len(uploads))
        try:
            infos.append(photo_store.inspect_all(ctx, [up])[0])
            good.append(up)
        except HabitatError as err:
            rejected.append((photo_store.safe_name(up.name), err.message(ctx.lang)))
    pairs = group_by_time_gap(
        list(zip(good, infos)), [i.taken_at for i in infos], timedelta(minutes=gap_minutes)
    )
    groups = []
    for pair_list in pairs:
        first_info = pair_list[0][1]
        hints = sightings.hints_from_photo(ctx, garden_id, first_info)
        groups.append(
            BatchGroup(
                uploads=[u for u, _ in pair_list],
                hints=hints,
                event_date=min(first_info.taken_at or ctx.now(), ctx.now()),
            )
        )
    return BatchPrepared(groups=groups, rejected=rejected)


def save_batch(
    ctx: Ctx,
    items: Sequence[tuple["sightings.SightingDraft", Sequence[Upload]]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list["sightings.Saved | HabitatError"]:
    """Save each draft on its own (one bad group never loses the others); returns result or error per item."""
    results: list = []
    for n, (draft, ups) in enumerate(items, start=1):
        try:
            results.append(sightings.save_sighting(ctx, draft, ups))
        except HabitatError as err:
            results.append(err)
        if progress:
            progress(n, len(items))
    return results
