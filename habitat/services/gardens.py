"""Gardens: the committee adds, edits and switches off gardens.

Also the look-ups the other editing services share (an active garden, an active zone, a zone of a
given garden) and what switching off a place does to its recurring tasks, so that zones, features
and task definitions depend on this module and not on each other. Coordinates are stored in WGS84;
points copied from a Chinese web map (AMap, Tencent: GCJ-02) are converted when the caller says so.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from habitat import geo
from habitat.db import gardens as gardens_db
from habitat.db import manage as manage_db
from habitat.db import tasks as tasks_db
from habitat.errors import NotFound, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.fields import apply_changes, number, optional_text, text

# Shanghai and a margin: a point outside is a typo, swapped coordinates or a projected value.
LAT_RANGE = (30.6, 31.9)
LON_RANGE = (120.8, 122.2)
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")


# ---------------------------------------------------------------- shared look-ups


def in_shanghai(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def active_garden(ctx: Ctx, garden_id: int) -> dict:
    row = manage_db.row(ctx.con, "gardens", garden_id)
    if row is None or not row["active"]:
        raise NotFound("manage.garden_not_found")
    return row


def active_zone(ctx: Ctx, zone_id: int) -> dict:
    row = manage_db.row(ctx.con, "zones", zone_id)
    if row is None or not row["active"]:
        raise NotFound("manage.zone_not_found")
    return row


def zone_in_garden(ctx: Ctx, garden_id: int, zone_id: int | None) -> int | None:
    """The zone id if it is an active zone of this garden; None stays None (the whole garden)."""
    if zone_id is None:
        return None
    row = manage_db.row(ctx.con, "zones", int(zone_id))
    if row is None or not row["active"] or row["garden_id"] != garden_id:
        raise ValidationError("manage.zone_not_in_garden")
    return int(zone_id)


def stop_task_defs(ctx: Ctx, *, garden_id: int | None = None, zone_id: int | None = None) -> list[int]:
    """Task definitions of a deactivated garden/zone would stay on everyone's due list: stop them too."""
    defs = tasks_db.task_defs_with_last_log(ctx.con, garden_id)
    if zone_id is not None:
        defs = defs[defs["zone_id"] == zone_id]
    ids = [int(i) for i in defs["id"]]
    for task_def_id in ids:
        manage_db.update(ctx.con, "task_defs", task_def_id, {"active": False})
        audit(
            ctx,
            "deactivate_task_def",
            "task_defs",
            task_def_id,
            before={"active": True},
            after={"active": False},
        )
    return ids


# ---------------------------------------------------------------- field checks


def _centre(lat, lon, coords_are_gcj02: bool) -> tuple[float, float]:
    """A garden centre in WGS84; a GCJ-02 point (AMap/Tencent) is converted first."""
    lat, lon = number(lat), number(lon)
    if lat is None or lon is None:
        raise ValidationError("manage.coords_required")
    if not in_shanghai(lat, lon):
        if in_shanghai(lon, lat):
            raise ValidationError("manage.coords_swapped", lat=lat, lon=lon)
        raise ValidationError(
            "manage.coords_outside",
            lat=lat,
            lon=lon,
            lat0=LAT_RANGE[0],
            lat1=LAT_RANGE[1],
            lon0=LON_RANGE[0],
            lon1=LON_RANGE[1],
        )
    if coords_are_gcj02:
        lat, lon = geo.gcj02_to_wgs84(lat, lon)
    return round(lat, 7), round(lon, 7)


def _area(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    area = number(value)
    if area is None or not (0 < area <= 1_000_000):
        raise ValidationError("manage.bad_area")
    return round(area, 1)


def _garden_fields(
    name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, coords_are_gcj02
) -> dict:
    lat, lon = _centre(centre_lat, centre_lon, coords_are_gcj02)
    return {
        "name": text(name, "manage.garden_name_required"),
        "name_en": optional_text(name_en, 100),
        "town": text(town, "manage.town_required"),
        "district": optional_text(district, 100),
        "theme": optional_text(theme, 100),
        "centre_lat": lat,
        "centre_lon": lon,
        "area_m2": _area(area_m2),
    }


# ---------------------------------------------------------------- gardens


def gardens(ctx: Ctx) -> pd.DataFrame:
    ctx.require("manage_gardens")
    return gardens_db.list_gardens(ctx.con)


def garden(ctx: Ctx, garden_id: int) -> dict:
    ctx.require("manage_gardens")
    return active_garden(ctx, garden_id)


def create_garden(
    ctx: Ctx,
    slug: str,
    name: str,
    name_en: str | None,
    town: str,
    district: str | None,
    theme: str | None,
    centre_lat: float,
    centre_lon: float,
    area_m2: float | None = None,
    *,
    coords_are_gcj02: bool = False,
) -> int:
    """A new garden. The slug appears in links and QR posters, so it cannot change later."""
    ctx.require("manage_gardens")
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug):
        raise ValidationError("manage.bad_slug")
    fields = _garden_fields(
        name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, coords_are_gcj02
    )
    if manage_db.slug_taken(ctx.con, slug):
        raise ValidationError("manage.slug_taken", slug=slug)
    with transaction(ctx):
        garden_id = gardens_db.insert_garden(ctx.con, slug=slug, boundary=None, **fields)
        audit(ctx, "create_garden", "gardens", garden_id, after=manage_db.row(ctx.con, "gardens", garden_id))
    return garden_id


def update_garden(
    ctx: Ctx,
    garden_id: int,
    *,
    name: str,
    name_en: str | None,
    town: str,
    district: str | None,
    theme: str | None,
    centre_lat: float,
    centre_lon: float,
    area_m2: float | None = None,
    coords_are_gcj02: bool = False,
) -> dict:
    ctx.require("manage_gardens")
    before = active_garden(ctx, garden_id)
    fields = _garden_fields(
        name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, coords_are_gcj02
    )
    with transaction(ctx):
        return apply_changes(ctx, "gardens", garden_id, before, fields, "update_garden")


def deactivate_garden(ctx: Ctx, garden_id: int) -> None:
    """Hide a garden everywhere; its records stay. Its recurring tasks stop too."""
    ctx.require("manage_gardens")
    before = active_garden(ctx, garden_id)
    with transaction(ctx):
        apply_changes(ctx, "gardens", garden_id, before, {"active": False}, "deactivate_garden")
        stop_task_defs(ctx, garden_id=garden_id)
