"""Zones of a garden: drawn (GeoJSON), edited vertex by vertex, renamed or switched off.

A zone's code is printed on QR posters, so it never changes. Outlines are stored in WGS84 and
checked for shape, size and distance from the garden. Importing a whole file of zones is in
services.zone_import.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from habitat import geo
from habitat.db import gardens as gardens_db
from habitat.db import manage as manage_db
from habitat.errors import HabitatError, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.fields import KEEP, apply_changes, choice, optional_text, text
from habitat.services.gardens import active_garden, active_zone, in_shanghai, stop_task_defs

ZONE_KINDS = (
    "pond",
    "nectar_bed",
    "host_plants",
    "undisturbed",
    "insect_hotel",
    "lawn",
    "path",
    "woodland",
    "entrance",
)
ZONE_AREA_M2 = (5.0, 5000.0)
ZONE_MAX_DISTANCE_M = 1000.0
CODE_RE = re.compile(r"^[A-Z0-9-]{1,8}$")


def zones(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("manage_gardens")
    return gardens_db.zones(ctx.con, garden_id)


def zone_code(value) -> str:
    code = (str(value) if value is not None else "").strip().upper()
    if not CODE_RE.match(code):
        raise ValidationError("manage.bad_zone_code")
    return code


def _parse_geometry(text_or_data) -> Any:
    try:
        data = json.loads(text_or_data) if isinstance(text_or_data, str) else text_or_data
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            if len(data.get("features") or []) != 1:
                raise ValidationError("manage.zone_one_polygon")
            data = data["features"][0]
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        return shape(data)
    except HabitatError:
        raise
    except Exception as exc:  # json, shapely and key errors all mean "not a GeoJSON polygon"
        raise ValidationError("manage.zone_bad_geojson") from exc


def checked_polygon(geom, centre_lat: float, centre_lon: float) -> tuple[Polygon, float]:
    """A valid 2-D polygon of a plausible size near the garden; returns it with its area in m²."""
    if geom is None or geom.is_empty:
        raise ValidationError("manage.zone_no_geometry")
    geom = shapely.force_2d(geom)
    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if not isinstance(geom, Polygon):
        raise ValidationError("manage.zone_not_polygon", kind=geom.geom_type)
    if not geom.is_valid:
        raise ValidationError("manage.zone_invalid", reason=shapely.is_valid_reason(geom))
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (in_shanghai(min_lat, min_lon) and in_shanghai(max_lat, max_lon)):
        raise ValidationError("manage.zone_not_lonlat")
    distance = geo.distance_m(geom, centre_lat, centre_lon)
    if distance > ZONE_MAX_DISTANCE_M:
        raise ValidationError("manage.zone_far", m=round(distance), max=round(ZONE_MAX_DISTANCE_M))
    area = geo.area_m2(geom)
    if not (ZONE_AREA_M2[0] <= area <= ZONE_AREA_M2[1]):
        raise ValidationError(
            "manage.zone_area", area=round(area, 1), min=ZONE_AREA_M2[0], max=ZONE_AREA_M2[1]
        )
    rounded = shapely.transform(geom, lambda c: np.round(c, 7))  # ~1 cm; keeps stored GeoJSON short
    return (rounded if rounded.is_valid else geom), round(area, 1)


def add_zone(
    ctx: Ctx, garden_id: int, code: str, name: str, name_en: str | None, kind: str, geometry: str
) -> int:
    ctx.require("manage_gardens")
    g = active_garden(ctx, garden_id)
    code = zone_code(code)
    name = text(name, "manage.zone_name_required")
    kind = choice(kind, ZONE_KINDS, "manage.bad_zone_kind")
    polygon, area = checked_polygon(_parse_geometry(geometry), g["centre_lat"], g["centre_lon"])
    if code in manage_db.zone_codes(ctx.con, garden_id):
        raise ValidationError("manage.zone_code_taken", code=code)
    with transaction(ctx):
        zone_id = gardens_db.insert_zone(
            ctx.con,
            garden_id=garden_id,
            code=code,
            name=name,
            name_en=optional_text(name_en, 100),
            kind=kind,
            geometry=geo.to_geojson(polygon),
            area_m2=area,
        )
        audit(ctx, "add_zone", "zones", zone_id, after=manage_db.row(ctx.con, "zones", zone_id))
    return zone_id


def update_zone(ctx: Ctx, zone_id: int, *, name=KEEP, name_en=KEEP, kind=KEEP, geometry=KEEP) -> dict:
    """Change a zone's names, kind or outline (its code stays: it is printed on QR posters)."""
    ctx.require("manage_gardens")
    before = active_zone(ctx, zone_id)
    changes: dict[str, Any] = {}
    if name is not KEEP:
        changes["name"] = text(name, "manage.zone_name_required")
    if name_en is not KEEP:
        changes["name_en"] = optional_text(name_en, 100)
    if kind is not KEEP:
        changes["kind"] = choice(kind, ZONE_KINDS, "manage.bad_zone_kind")
    if geometry is not KEEP:
        g = active_garden(ctx, before["garden_id"])
        polygon, area = checked_polygon(_parse_geometry(geometry), g["centre_lat"], g["centre_lon"])
        changes["geometry"] = geo.to_geojson(polygon)
        changes["area_m2"] = area
    with transaction(ctx):
        return apply_changes(ctx, "zones", zone_id, before, changes, "update_zone")


def deactivate_zone(ctx: Ctx, zone_id: int) -> None:
    """Hide a zone (its records keep their zone); its recurring tasks stop."""
    ctx.require("manage_gardens")
    before = active_zone(ctx, zone_id)
    with transaction(ctx):
        apply_changes(ctx, "zones", zone_id, before, {"active": False}, "deactivate_zone")
        stop_task_defs(ctx, garden_id=before["garden_id"], zone_id=zone_id)


def zone_vertices(ctx: Ctx, zone_id: int) -> pd.DataFrame:
    """The outline's corners as a table (lon, lat), without the repeated closing point."""
    ctx.require("manage_gardens")
    polygon = geo.from_geojson(active_zone(ctx, zone_id)["geometry"])
    coords = list(polygon.exterior.coords)[:-1]
    return pd.DataFrame(coords, columns=["lon", "lat"]).astype(float)


def set_zone_vertices(ctx: Ctx, zone_id: int, frame: pd.DataFrame) -> dict:
    """Replace the outline by the table's corners (the ring is closed here; holes are dropped)."""
    ctx.require("manage_gardens")
    if frame is None or not {"lon", "lat"} <= set(frame.columns):
        raise ValidationError("manage.vertex_columns")
    lon = pd.to_numeric(frame["lon"], errors="coerce")
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    points: list[tuple[float, float]] = []
    for i, (x, y) in enumerate(zip(lon, lat), start=1):
        if pd.isna(x) and pd.isna(y):
            continue  # an empty row added by the editor
        if pd.isna(x) or pd.isna(y):
            raise ValidationError("manage.vertex_incomplete", row=i)
        point = (round(float(x), 7), round(float(y), 7))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(set(points)) < 3:
        raise ValidationError("manage.vertex_too_few")
    return update_zone(ctx, zone_id, geometry=json.dumps(mapping(Polygon(points))))
