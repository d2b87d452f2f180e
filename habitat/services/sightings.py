"""Logging, editing and withdrawing sightings, with photos, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Sequence

import pandas as pd
from shapely.geometry import Point

from habitat import geo, photos
from habitat.db import gardens as gardens_db
from habitat.db import sightings as sightings_db
from habitat.db import species as species_db
from habitat.db import visits as visits_db
from habitat.domain.records import (  # noqa: F401 - the vocabularies are part of this service's API
    BEHAVIOURS,
    ESTABLISHMENT,
    LIFE_STAGES,
    MAX_NOTE,
    SEXES,
    SIGHTING,
    Field,
    SightingDraft,
)
from habitat.domain.verification import is_reviewed
from habitat.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from habitat.photos import PhotoInfo
from habitat.services import events as events_service  # events: link records to a BioBlitz
from habitat.services import photo_store
from habitat.services.context import Ctx, audit, transaction
from habitat.services.photo_store import Upload
from habitat.services.review import maybe_auto_accept
from habitat.services.upkeep import open_removal_task

MAX_COUNT = 100_000
CLOCK_SKEW = timedelta(minutes=10)  # a phone clock a little ahead is not "the future"
MAX_AGE = timedelta(days=366 * 5)  # records older than this are refused (a mistyped year)
OUTSIDE_TOLERANCE_M = 30.0  # GPS error: a fix this close to the garden is not flagged


@dataclass(frozen=True)
class Saved:
    id: int
    photo_ids: tuple[int, ...]
    notices: tuple[str, ...] = field(default=())  # i18n keys to tell the volunteer (e.g. outside garden)
    refused_files: tuple[photo_store.FileRejected, ...] = field(default=())  # left out by save_batch


@dataclass(frozen=True)
class PhotoHints:
    """What the first photo suggests for the form; never applied without the volunteer seeing it."""

    event_date: datetime | None
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    zone_id: int | None
    outside_garden: bool
    distance_m: float | None
    warnings: tuple[str, ...]


def _garden_zones(ctx: Ctx, garden_id: int):
    return geo.zones_from_rows(gardens_db.zone_shapes(ctx.con, garden_id))


def photo_time(ctx: Ctx, info: PhotoInfo) -> tuple[datetime | None, str | None]:
    """The photo's time if a record may have it (not in the future, not before 1990, not older
    than MAX_AGE), else None and the warning key that says why (a wrong camera clock)."""
    now = ctx.now()
    return photos.plausible_taken_at(info.taken_at, now, oldest=now - MAX_AGE, skew=CLOCK_SKEW)


def hints_from_photo(ctx: Ctx, garden_id: int, info: PhotoInfo) -> PhotoHints:
    event_date, time_warning = photo_time(ctx, info)
    zones = _garden_zones(ctx, garden_id)
    zone_id, outside, distance = None, False, None
    if info.gps_lat is not None and info.gps_lon is not None and zones:
        tolerance = max(OUTSIDE_TOLERANCE_M, info.gps_accuracy_m or 0.0)
        hit = geo.zone_for_point(zones, info.gps_lat, info.gps_lon)
        if hit:
            zone_id = hit.id
        else:
            distance = min(geo.distance_m(z.geometry, info.gps_lat, info.gps_lon) for z in zones)
            near = geo.zone_for_point(zones, info.gps_lat, info.gps_lon, tolerance_m=tolerance)
            zone_id = near.id if near else None
            outside = distance > tolerance
    return PhotoHints(
        event_date=event_date,
        lat=info.gps_lat,
        lon=info.gps_lon,
        accuracy_m=info.gps_accuracy_m,
        zone_id=zone_id,
        outside_garden=outside,
        distance_m=distance,
        warnings=info.warnings + ((time_warning,) if time_warning else ()),
    )


def photo_hints(ctx: Ctx, garden_id: int, uploads: Sequence[Upload]) -> tuple[str, PhotoHints] | None:
    """(content hash, hints) of the first photo, for pre-filling the form; raises PhotoError if unusable."""
    ctx.require("log")
    if not uploads:
        return None
    info = photo_store.inspect_all(ctx, uploads[:1])[0]
    return info.sha256, hints_from_photo(ctx, garden_id, info)


def hints_for(ctx: Ctx, garden_id: int, info: PhotoInfo) -> PhotoHints:
    """The hints of a photo already examined (photo_store.examine): time, zone, GPS, warnings."""
    ctx.require("log")
    return hints_from_photo(ctx, garden_id, info)


def _clean_text(text: str | None, limit: int, key: str) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError(key, n=limit)
    return text or None


def _species_group(ctx: Ctx, species_id: int | None) -> str | None:
    row = species_db.by_id(ctx.con, species_id) if species_id is not None else None
    return row[4] if row else None


def _checked(ctx: Ctx, f: Field, value, draft: SightingDraft):
    """One declared field's value, checked by its kind and normalised; raises ValidationError."""
    bad = ValidationError(f.error or "sighting.bad_value")
    if value is None:
        if not f.nullable:
            raise bad
        return None
    if f.for_groups and _species_group(ctx, draft.species_id) not in f.for_groups:
        raise bad  # e.g. a nectar plant for a bird
    if f.kind == "choice" and value not in f.choices:
        raise bad
    if f.kind == "text" and f.max_len is not None:
        return _clean_text(value, f.max_len, f.error)
    if f.kind == "taxon":
        group = _species_group(ctx, value)
        if group is None or (f.pick_groups and group not in f.pick_groups):
            raise bad
    if f.kind == "bool":
        return bool(value)
    return value


def validate(ctx: Ctx, draft: SightingDraft) -> SightingDraft:
    """Check a draft and return it normalised; raises ValidationError with a message for the volunteer.

    Each declared field is checked by its kind (habitat.domain.records); the rules that tie
    fields together (species or description, the point, the visit) follow.
    """
    if gardens_db.by_id(ctx.con, draft.garden_id) is None:
        raise ValidationError("sighting.no_garden")
    zones = {z.id: z for z in _garden_zones(ctx, draft.garden_id)}
    if draft.zone_id is not None and draft.zone_id not in zones:
        raise ValidationError("sighting.zone_not_in_garden")
    checked = {
        f.name: _checked(ctx, f, getattr(draft, f.name), draft)
        for f in SIGHTING.recorded
        if f.kind in ("choice", "text", "taxon", "bool")
    }
    if draft.species_id is None and not checked["verbatim_identification"]:
        raise ValidationError("sighting.species_or_description")
    count = draft.individual_count
    if count is not None and not (1 <= int(count) <= MAX_COUNT):
        raise ValidationError("sighting.bad_count", max=MAX_COUNT)
    if draft.event_date.tzinfo is None:
        raise ValidationError("sighting.time_needs_zone")
    now = ctx.now()
    if draft.event_date > now + CLOCK_SKEW:
        raise ValidationError("common.future_time")
    if draft.event_date < now - MAX_AGE:
        raise ValidationError("sighting.too_old")
    lat, lon = draft.decimal_latitude, draft.decimal_longitude
    if (lat is None) != (lon is None):
        raise ValidationError("sighting.half_a_point")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError("sighting.impossible_point")
    if draft.visit_id is not None:
        visit = visits_db.get(ctx.con, draft.visit_id)
        if visit is None or visit[1] != draft.garden_id:
            raise ValidationError("sighting.visit_mismatch")
    return replace(draft, **checked, individual_count=None if count is None else int(count))


def _locate(ctx: Ctx, d: SightingDraft) -> tuple[SightingDraft, bool]:
    """Point given: keep it and flag it if outside. No point: the zone's centre with the zone's radius."""
    zones = _garden_zones(ctx, d.garden_id)
    if d.decimal_latitude is not None:
        outside = False
        if zones:
            pt = Point(d.decimal_longitude, d.decimal_latitude)
            inside = any(z.geometry.covers(pt) for z in zones)
            if not inside:
                tolerance = max(OUTSIDE_TOLERANCE_M, d.coordinate_uncertainty_in_meters or 0.0)
                outside = (
                    min(geo.distance_m(z.geometry, d.decimal_latitude, d.decimal_longitude) for z in zones)
                    > tolerance
                )
        return replace(
            d,
            location_source=d.location_source or "manual",
            coordinate_uncertainty_in_meters=d.coordinate_uncertainty_in_meters or 15.0,
        ), outside
    if d.zone_id is not None:
        zone = next(z for z in zones if z.id == d.zone_id)
        centre = zone.geometry.centroid
        radius = max(5.0, round((geo.area_m2(zone.geometry) / 3.14159) ** 0.5 + 1))
        return replace(
            d,
            decimal_latitude=centre.y,
            decimal_longitude=centre.x,
            coordinate_uncertainty_in_meters=radius,
            location_source="zone",
        ), False
    return d, False


def save_sighting(ctx: Ctx, draft: SightingDraft, uploads: Sequence[Upload] = ()) -> Saved:
    """Validate, write photo files, then the sighting, the recorder's identification and photo rows."""
    user = ctx.require("log")
    d = validate(ctx, draft)
    d, outside = _locate(ctx, d)
    notices = ["sighting.notice_outside"] if outside else []
    now = ctx.now()
    with photo_store.stored(ctx, uploads, for_sighting=True, species_id=d.species_id) as stored:
        with transaction(ctx):
            values = {f.name: getattr(d, f.name) for f in SIGHTING.recorded}
            values.update(
                recorded_by=user.id, outside_garden=outside, created_at=now, occurrence_status="present"
            )
            # events: a record made during a BioBlitz (or class) in this garden is linked to it
            values["event_id"] = events_service.event_for_sighting(ctx, d.garden_id, d.event_date)
            sid = sightings_db.insert_sighting(ctx.con, values)
            sightings_db.insert_identification(
                ctx.con,
                sighting_id=sid,
                species_id=d.species_id,
                identified_by=user.id,
                identified_at=now,
                by_expert=user.role == "expert",
                remark=d.verbatim_identification,
            )
            photo_ids = photo_store.insert_rows(ctx, stored, uploads, sighting_id=sid)
            if d.species_id is not None and d.zone_id is not None:
                if open_removal_task(ctx, d.garden_id, d.zone_id, d.species_id):
                    notices.append("sighting.notice_removal_task")
            audit(
                ctx,
                "log_sighting",
                "sightings",
                sid,
                after={"species_id": d.species_id, "photos": len(photo_ids)},
            )
    if maybe_auto_accept(ctx, sid):
        notices.append("sighting.notice_auto_accepted")
    return Saved(id=sid, photo_ids=tuple(photo_ids), notices=tuple(notices))


def _own_editable(ctx: Ctx, sighting_id: int) -> dict:
    row = sightings_db.get(ctx.con, sighting_id)
    if row is None or row["withdrawn"]:
        raise NotFound("sighting.not_found", id=sighting_id)
    own = ctx.user is not None and row["recorded_by"] == ctx.user.id
    if not own and not ctx.can("edit_others"):
        raise PermissionDenied("perm.denied", action="edit_others")
    if own and not ctx.can("edit_others") and is_reviewed(row["identification_verification_status"]):
        raise ValidationError("sighting.already_reviewed")
    return row


def update_sighting(ctx: Ctx, sighting_id: int, expected_version: int, changes: dict) -> None:
    """Edit until an expert has reviewed (the committee may always). A concurrent change is refused."""
    ctx.require("edit_own")
    row = _own_editable(ctx, sighting_id)
    unknown = set(changes) - set(SIGHTING.editable)
    if unknown:  # a programming error, not a volunteer's: say which
        raise ValueError(f"not editable: {sorted(unknown)}")
    # every recorded field from the stored row, then the changes: untouched fields keep their values
    merged = SightingDraft(**({f.name: row[f.name] for f in SIGHTING.recorded} | changes))
    clean = validate(ctx, merged)
    new_values = {k: getattr(clean, k) for k in sightings_db.EDITABLE_FIELDS}
    before = {k: row[k] for k in sightings_db.EDITABLE_FIELDS}
    with transaction(ctx):
        if sightings_db.update(ctx.con, sighting_id, expected_version, new_values, ctx.now()) == 0:
            raise ConflictError("sighting.changed_meanwhile")
        if clean.species_id != row["species_id"]:
            sightings_db.insert_identification(
                ctx.con,
                sighting_id=sighting_id,
                species_id=clean.species_id,
                identified_by=ctx.user.id,
                identified_at=ctx.now(),
                by_expert=False,
                remark="edited by recorder",
            )
        audit(ctx, "edit_sighting", "sightings", sighting_id, before=before, after=new_values)


def withdraw_sighting(ctx: Ctx, sighting_id: int, expected_version: int) -> None:
    """Soft delete: the row and its photos stay, marked withdrawn, with an audit entry."""
    ctx.require("withdraw_own")
    row = _own_editable(ctx, sighting_id)
    with transaction(ctx):
        if sightings_db.withdraw(ctx.con, sighting_id, expected_version, ctx.now()) == 0:
            raise ConflictError("sighting.changed_meanwhile")
        sightings_db.withdraw_photos(ctx.con, sighting_id)
        audit(
            ctx,
            "withdraw_sighting",
            "sightings",
            sighting_id,
            before={"status": row["identification_verification_status"]},
        )


def my_records(ctx: Ctx) -> pd.DataFrame:
    user = ctx.require("log")
    return sightings_db.my_sightings(ctx.con, user.id)


def thread(ctx: Ctx, sighting_id: int) -> pd.DataFrame:
    ctx.require("log")
    return sightings_db.comments(ctx.con, sighting_id)


def photos_of(ctx: Ctx, sighting_id: int) -> pd.DataFrame:
    ctx.require("log")
    frame = sightings_db.photos_for(ctx.con, sighting_id=sighting_id)
    if not ctx.can("see_private_gps"):
        frame = frame.drop(columns=["private_lat", "private_lon"])
    return frame


def answer_query(ctx: Ctx, sighting_id: int, body: str) -> int:
    """The recorder answers an expert's question; the thread is kept and the query flag cleared."""
    user = ctx.require("log")
    row = sightings_db.get(ctx.con, sighting_id)
    if row is None:
        raise NotFound("sighting.not_found", id=sighting_id)
    if row["recorded_by"] != user.id:
        raise PermissionDenied("perm.denied", action="answer_query")
    text = _clean_text(body, MAX_NOTE, "sighting.note_too_long")
    if not text:
        raise ValidationError("sighting.answer_empty")
    with transaction(ctx):
        cid = sightings_db.insert_comment(
            ctx.con,
            sighting_id=sighting_id,
            author_id=user.id,
            created_at=ctx.now(),
            kind="answer",
            body=text,
        )
        sightings_db.set_queried(ctx.con, sighting_id, False)
        audit(ctx, "answer_query", "sightings", sighting_id, after={"comment_id": cid})
    return cid
