"""The residents' committee's management area.

Gardens, zones (drawn, imported from GeoJSON / GeoPackage / KML, or edited vertex by vertex),
habitat features, recurring task definitions, people, open problems and the audit log.
Every function checks the role itself; every change is written with its before/after to the
audit log inside one transaction. Coordinates are stored in WGS84; points copied from a
Chinese web map (AMap, Tencent: GCJ-02) are converted when the caller says so.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from string import ascii_uppercase
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from habitat import geo
from habitat.domain.recurrence import ONE_OFF_DAYS
from habitat.db import audit as audit_db
from habitat.db import community as community_db
from habitat.db import gardens as gardens_db
from habitat.db import manage as manage_db
from habitat.db import tasks as tasks_db
from habitat.domain.roles import COMMITTEE, EXPERT, ROLES
from habitat.errors import HabitatError, NotFound, ValidationError
from habitat.i18n import t
from habitat.services import auth, community
from habitat.services.context import Ctx, audit, transaction

ZONE_KINDS = (
    "pond", "nectar_bed", "host_plants", "undisturbed", "insect_hotel", "lawn", "path", "woodland", "entrance",
)
FEATURE_KINDS = (
    "insect_hotel", "log_pile", "bird_feeder", "bird_bath", "nest_box", "pond", "camera_trap",
    "viewing_window", "compost", "rain_barrel",
)
CONDITIONS = ("good", "fair", "poor", "broken")
PROVIDES = ("food", "water", "shelter")
TASK_KINDS = (
    "water", "weed", "prune", "pond", "insect_hotel", "litter", "feeder", "mow", "invasive_removal",
    "pesticide", "fertiliser", "other",
)
EXPERTISE_GROUPS = (
    "bird", "butterfly", "moth", "dragonfly", "damselfly", "bee", "insect", "amphibian", "reptile", "mammal",
    "plant", "other",
)

# Shanghai and a margin: a point outside is a typo, swapped coordinates or a projected value.
LAT_RANGE = (30.6, 31.9)
LON_RANGE = (120.8, 122.2)
ZONE_AREA_M2 = (5.0, 5000.0)
ZONE_MAX_DISTANCE_M = 1000.0
MAX_EVERY_DAYS = 366
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")
CODE_RE = re.compile(r"^[A-Z0-9-]{1,8}$")
IMPORT_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml")
MAX_IMPORT_BYTES = 5_000_000
MAX_IMPORT_FEATURES = 200

# property names accepted in imported files (compared case-insensitively)
CODE_FIELDS = ("code", "编号", "zone_code", "代码")
NAME_FIELDS = ("name", "名称", "名字")
NAME_EN_FIELDS = ("name_en", "英文名称", "english_name")
KIND_FIELDS = ("kind", "类型", "type")


class _Keep:
    """Marker for "leave this field as it is" in partial updates."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


# ---------------------------------------------------------------- small validators


def _text(value: str | None, key: str, limit: int = 100) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(key)
    if len(text) > limit:
        raise ValidationError("manage.too_long", n=limit)
    return text


def _optional_text(value: str | None, limit: int = 200) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError("manage.too_long", n=limit)
    return text or None


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _in_shanghai(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def _centre(lat, lon, coords_are_gcj02: bool) -> tuple[float, float]:
    """A garden centre in WGS84; a GCJ-02 point (AMap/Tencent) is converted first."""
    lat, lon = _number(lat), _number(lon)
    if lat is None or lon is None:
        raise ValidationError("manage.coords_required")
    if not _in_shanghai(lat, lon):
        if _in_shanghai(lon, lat):
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
    area = _number(value)
    if area is None or not (0 < area <= 1_000_000):
        raise ValidationError("manage.bad_area")
    return round(area, 1)


def _as_date(value, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(key)


def _every_days(value) -> int:
    number = _number(value)
    if number == ONE_OFF_DAYS:  # "only once" (recurrence.ONE_OFF_DAYS)
        return ONE_OFF_DAYS
    if number is None or number != int(number) or not (1 <= number <= MAX_EVERY_DAYS):
        raise ValidationError("manage.bad_every_days", n=MAX_EVERY_DAYS)
    return int(number)


def _choice(value, options: Sequence[str], key: str) -> str:
    if value not in options:
        raise ValidationError(key, value=value)
    return value


def _provides(value) -> str | None:
    items = [p for p in (value.split("|") if isinstance(value, str) else (value or ())) if p]
    unknown = [p for p in items if p not in PROVIDES]
    if unknown:
        raise ValidationError("manage.bad_provides", value=", ".join(unknown))
    return "|".join(p for p in PROVIDES if p in items) or None


def _expertise(value) -> tuple[str, ...]:
    items = [g.strip() for g in (value.split("|") if isinstance(value, str) else (value or ())) if g.strip()]
    unknown = [g for g in items if g not in EXPERTISE_GROUPS]
    if unknown:
        raise ValidationError("manage.bad_expertise", value=", ".join(unknown))
    return tuple(g for g in EXPERTISE_GROUPS if g in items)


# ---------------------------------------------------------------- lookups


def _garden(ctx: Ctx, garden_id: int) -> dict:
    row = manage_db.row(ctx.con, "gardens", garden_id)
    if row is None or not row["active"]:
        raise NotFound("manage.garden_not_found")
    return row


def _zone(ctx: Ctx, zone_id: int) -> dict:
    row = manage_db.row(ctx.con, "zones", zone_id)
    if row is None or not row["active"]:
        raise NotFound("manage.zone_not_found")
    return row


def _zone_of_garden(ctx: Ctx, garden_id: int, zone_id: int | None) -> int | None:
    if zone_id is None:
        return None
    row = manage_db.row(ctx.con, "zones", int(zone_id))
    if row is None or not row["active"] or row["garden_id"] != garden_id:
        raise ValidationError("manage.zone_not_in_garden")
    return int(zone_id)


def _person(ctx: Ctx, person_id: int) -> dict:
    row = manage_db.row(ctx.con, "people", person_id)
    if row is None:
        raise NotFound("manage.person_not_found")
    return row


def _apply(ctx: Ctx, table: str, row_id: int, before: dict, changes: dict, action: str) -> dict:
    """Update the changed columns, audit before/after of those columns; returns the new row."""
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    if changed:
        manage_db.update(ctx.con, table, row_id, changed)
        audit(ctx, action, table, row_id, before={k: before[k] for k in changed}, after=changed)
    return manage_db.row(ctx.con, table, row_id)


def _deactivate_task_defs(ctx: Ctx, *, garden_id: int | None = None, zone_id: int | None = None) -> list[int]:
    """Task definitions of a deactivated garden/zone would stay on everyone's due list: stop them too."""
    defs = tasks_db.task_defs_with_last_log(ctx.con, garden_id)
    if zone_id is not None:
        defs = defs[defs["zone_id"] == zone_id]
    ids = [int(i) for i in defs["id"]]
    for task_def_id in ids:
        manage_db.update(ctx.con, "task_defs", task_def_id, {"active": False})
        audit(ctx, "deactivate_task_def", "task_defs", task_def_id, before={"active": True}, after={"active": False})
    return ids


# ---------------------------------------------------------------- gardens


def gardens(ctx: Ctx) -> pd.DataFrame:
    ctx.require("manage_gardens")
    return gardens_db.list_gardens(ctx.con)


def garden(ctx: Ctx, garden_id: int) -> dict:
    ctx.require("manage_gardens")
    return _garden(ctx, garden_id)


def _garden_fields(name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, coords_are_gcj02) -> dict:
    lat, lon = _centre(centre_lat, centre_lon, coords_are_gcj02)
    return {
        "name": _text(name, "manage.garden_name_required"),
        "name_en": _optional_text(name_en, 100),
        "town": _text(town, "manage.town_required"),
        "district": _optional_text(district, 100),
        "theme": _optional_text(theme, 100),
        "centre_lat": lat,
        "centre_lon": lon,
        "area_m2": _area(area_m2),
    }


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
    fields = _garden_fields(name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, coords_are_gcj02)
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
    before = _garden(ctx, garden_id)
    fields = _garden_fields(name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, coords_are_gcj02)
    with transaction(ctx):
        return _apply(ctx, "gardens", garden_id, before, fields, "update_garden")


def deactivate_garden(ctx: Ctx, garden_id: int) -> None:
    """Hide a garden everywhere; its records stay. Its recurring tasks stop too."""
    ctx.require("manage_gardens")
    before = _garden(ctx, garden_id)
    with transaction(ctx):
        _apply(ctx, "gardens", garden_id, before, {"active": False}, "deactivate_garden")
        _deactivate_task_defs(ctx, garden_id=garden_id)


# ---------------------------------------------------------------- zones


def zones(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("manage_gardens")
    return gardens_db.zones(ctx.con, garden_id)


def _code(value) -> str:
    code = (str(value) if value is not None else "").strip().upper()
    if not CODE_RE.match(code):
        raise ValidationError("manage.bad_zone_code")
    return code


def _parse_geometry(text) -> Any:
    try:
        data = json.loads(text) if isinstance(text, str) else text
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


def _checked_polygon(geom, centre_lat: float, centre_lon: float) -> tuple[Polygon, float]:
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
    if not (_in_shanghai(min_lat, min_lon) and _in_shanghai(max_lat, max_lon)):
        raise ValidationError("manage.zone_not_lonlat")
    distance = geo.distance_m(geom, centre_lat, centre_lon)
    if distance > ZONE_MAX_DISTANCE_M:
        raise ValidationError("manage.zone_far", m=round(distance), max=round(ZONE_MAX_DISTANCE_M))
    area = geo.area_m2(geom)
    if not (ZONE_AREA_M2[0] <= area <= ZONE_AREA_M2[1]):
        raise ValidationError("manage.zone_area", area=round(area, 1), min=ZONE_AREA_M2[0], max=ZONE_AREA_M2[1])
    rounded = shapely.transform(geom, lambda c: np.round(c, 7))  # ~1 cm; keeps stored GeoJSON short
    return (rounded if rounded.is_valid else geom), round(area, 1)


def add_zone(
    ctx: Ctx, garden_id: int, code: str, name: str, name_en: str | None, kind: str, geometry: str
) -> int:
    ctx.require("manage_gardens")
    g = _garden(ctx, garden_id)
    code = _code(code)
    name = _text(name, "manage.zone_name_required")
    kind = _choice(kind, ZONE_KINDS, "manage.bad_zone_kind")
    polygon, area = _checked_polygon(_parse_geometry(geometry), g["centre_lat"], g["centre_lon"])
    if code in manage_db.zone_codes(ctx.con, garden_id):
        raise ValidationError("manage.zone_code_taken", code=code)
    with transaction(ctx):
        zone_id = gardens_db.insert_zone(
            ctx.con,
            garden_id=garden_id,
            code=code,
            name=name,
            name_en=_optional_text(name_en, 100),
            kind=kind,
            geometry=geo.to_geojson(polygon),
            area_m2=area,
        )
        audit(ctx, "add_zone", "zones", zone_id, after=manage_db.row(ctx.con, "zones", zone_id))
    return zone_id


def update_zone(ctx: Ctx, zone_id: int, *, name=KEEP, name_en=KEEP, kind=KEEP, geometry=KEEP) -> dict:
    """Change a zone's names, kind or outline (its code stays: it is printed on QR posters)."""
    ctx.require("manage_gardens")
    before = _zone(ctx, zone_id)
    changes: dict[str, Any] = {}
    if name is not KEEP:
        changes["name"] = _text(name, "manage.zone_name_required")
    if name_en is not KEEP:
        changes["name_en"] = _optional_text(name_en, 100)
    if kind is not KEEP:
        changes["kind"] = _choice(kind, ZONE_KINDS, "manage.bad_zone_kind")
    if geometry is not KEEP:
        g = _garden(ctx, before["garden_id"])
        polygon, area = _checked_polygon(_parse_geometry(geometry), g["centre_lat"], g["centre_lon"])
        changes["geometry"] = geo.to_geojson(polygon)
        changes["area_m2"] = area
    with transaction(ctx):
        return _apply(ctx, "zones", zone_id, before, changes, "update_zone")


def deactivate_zone(ctx: Ctx, zone_id: int) -> None:
    """Hide a zone (its records keep their zone); its recurring tasks stop."""
    ctx.require("manage_gardens")
    before = _zone(ctx, zone_id)
    with transaction(ctx):
        _apply(ctx, "zones", zone_id, before, {"active": False}, "deactivate_zone")
        _deactivate_task_defs(ctx, garden_id=before["garden_id"], zone_id=zone_id)


def zone_vertices(ctx: Ctx, zone_id: int) -> pd.DataFrame:
    """The outline's corners as a table (lon, lat), without the repeated closing point."""
    ctx.require("manage_gardens")
    polygon = geo.from_geojson(_zone(ctx, zone_id)["geometry"])
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


# ---------------------------------------------------------------- zone import


@dataclass(frozen=True)
class FeatureProblem:
    number: int  # 1-based position of the feature in the file
    label: str  # its code or name as written in the file ("" if none)
    error: HabitatError


class ZoneImportError(ValidationError):
    """Some features of an imported file are unusable; nothing was imported."""

    def __init__(self, problems: list[FeatureProblem]) -> None:
        super().__init__("manage.import_rejected", n=len(problems))
        self.problems = problems

    def message(self, lang: str = "en", quote=None) -> str:
        q = quote or (lambda v: v)
        lines = [
            t("manage.import_feature_problem", lang, number=p.number, label=q(str(p.label)),
              reason=p.error.message(lang, quote))
            for p in self.problems
        ]
        return super().message(lang, quote) + "\n" + "\n".join(f"- {line}" for line in lines)


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deactivated: list[int] = field(default_factory=list)


@dataclass
class _Candidate:
    number: int
    code: str | None
    name: str | None
    name_en: str | None
    kind: str
    polygon: Polygon
    area: float


def _kind_aliases() -> dict[str, str]:
    """Kind codes, their Chinese/English labels and the parts of labels like "水塘/湿地"."""
    aliases: dict[str, str] = {}
    for kind in ZONE_KINDS:
        names = {kind, kind.replace("_", " ")}
        for lang in ("zh", "en"):
            label = t("zone." + kind, lang)
            names |= {label, *re.split(r"[/（(]", label)}
        for n in names:
            if n.strip():
                aliases.setdefault(n.strip().rstrip("）)").lower(), kind)
    return aliases


def _property(props: dict, names: Iterable[str]):
    lowered = {str(k).lower(): v for k, v in props.items()}
    for n in names:
        value = lowered.get(n.lower())
        if value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value)):
            text = str(value).strip()
            if text:
                return text
    return None


def _default_codes(taken: set[str]) -> Iterable[str]:
    singles = list(ascii_uppercase)
    for code in singles + [a + b for a in singles for b in singles]:
        if code not in taken:
            yield code


def _read_features(filename: str, data: bytes):
    """All layers of the file as one GeoDataFrame in EPSG:4326 (KML folders are layers)."""
    import geopandas as gpd
    import pyogrio

    suffix = Path(filename or "").suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationError("manage.import_bad_type", types=", ".join(IMPORT_SUFFIXES))
    if not data:
        raise ValidationError("manage.import_empty")
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError("manage.import_too_big", mb=MAX_IMPORT_BYTES // 1_000_000)
    with tempfile.TemporaryDirectory(prefix="habitat-zones-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            frames = []
            for layer, _geometry_type in pyogrio.list_layers(path):
                frame = gpd.read_file(path, layer=layer, engine="pyogrio")
                if frame.empty:
                    continue
                frame = frame.to_crs(4326) if frame.crs is not None else frame.set_crs(4326)
                frames.append(frame)
        except Exception as exc:  # GDAL says why in its own words; show its first line
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            raise ValidationError("manage.import_unreadable", file=filename, reason=reason) from exc
    if not frames:
        raise ValidationError("manage.import_empty")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


def _to_wgs84_from_gcj02(geom):
    def convert(coords: np.ndarray) -> np.ndarray:
        converted = [geo.gcj02_to_wgs84(lat, lon) for lon, lat in coords]
        return np.array([[lon, lat] for lat, lon in converted]).reshape(-1, 2)

    return shapely.transform(geom, convert)


def import_zones(
    ctx: Ctx,
    garden_id: int,
    filename: str,
    data: bytes,
    replace: bool = False,
    *,
    coords_are_gcj02: bool = False,
    default_kind: str = "lawn",
) -> ImportResult:
    """Zones from a GeoJSON, GeoPackage or KML file: all of them, or none with a list of what is wrong.

    Properties code/name/kind (or 编号/名称/类型) are used where present; codes default to A, B, C…
    With ``replace``, the file becomes the garden's zone set: zones with the same code get the new
    outline (their records stay linked), new codes are added, zones missing from the file are
    deactivated.
    """
    ctx.require("manage_gardens")
    g = _garden(ctx, garden_id)
    default_kind = _choice(default_kind, ZONE_KINDS, "manage.bad_zone_kind")
    frame = _read_features(filename, data)
    if len(frame) > MAX_IMPORT_FEATURES:
        raise ValidationError("manage.import_too_many", n=len(frame), max=MAX_IMPORT_FEATURES)
    existing = manage_db.zone_codes(ctx.con, garden_id)
    aliases = _kind_aliases()
    problems: list[FeatureProblem] = []
    candidates: list[_Candidate] = []
    seen_codes: set[str] = set()
    props_columns = [c for c in frame.columns if c != "geometry"]
    for number, (props, geom) in enumerate(
        zip(frame[props_columns].to_dict("records"), frame.geometry), start=1
    ):
        raw_code = _property(props, CODE_FIELDS)
        name = _property(props, NAME_FIELDS)
        label = raw_code or name or ""
        try:
            code = _code(raw_code) if raw_code is not None else None
            if code is not None:
                if code in seen_codes:
                    raise ValidationError("manage.import_duplicate_code", code=code)
                if not replace and code in existing:
                    raise ValidationError("manage.zone_code_taken", code=code)
                seen_codes.add(code)
            raw_kind = _property(props, KIND_FIELDS)
            kind = default_kind if raw_kind is None else aliases.get(raw_kind.lower())
            if kind is None:
                raise ValidationError("manage.bad_zone_kind", value=raw_kind)
            if geom is not None and not geom.is_empty and coords_are_gcj02:
                geom = _to_wgs84_from_gcj02(geom)
            polygon, area = _checked_polygon(geom, g["centre_lat"], g["centre_lon"])
            if name is not None and len(name) > 100:
                raise ValidationError("manage.too_long", n=100)
        except HabitatError as err:
            problems.append(FeatureProblem(number, label, err))
            continue
        name_en = _property(props, NAME_EN_FIELDS)
        candidates.append(_Candidate(number, code, name, name_en, kind, polygon, area))
    if problems:
        raise ZoneImportError(problems)

    taken = seen_codes | (set() if replace else set(existing))
    fresh = _default_codes(taken)
    for c in candidates:
        if c.code is None:
            c.code = next(fresh)
            taken.add(c.code)

    result = ImportResult()
    with transaction(ctx):
        for c in candidates:
            fields = {
                "name": c.name or t("manage.zone_default_name", "zh", code=c.code),
                "name_en": c.name_en or (None if c.name else t("manage.zone_default_name", "en", code=c.code)),
                "kind": c.kind,
                "geometry": geo.to_geojson(c.polygon),
                "area_m2": c.area,
            }
            if c.code in existing:  # only when replacing: same code, new outline, same zone id
                zone_id = existing[c.code][0]
                before = manage_db.row(ctx.con, "zones", zone_id)
                _apply(ctx, "zones", zone_id, before, {**fields, "active": True}, "import_zone")
                result.updated.append(zone_id)
            else:
                zone_id = gardens_db.insert_zone(ctx.con, garden_id=garden_id, code=c.code, **fields)
                audit(ctx, "import_zone", "zones", zone_id, after=manage_db.row(ctx.con, "zones", zone_id))
                result.created.append(zone_id)
        if replace:
            for code, (zone_id, active) in existing.items():
                if active and code not in taken:
                    before = manage_db.row(ctx.con, "zones", zone_id)
                    _apply(ctx, "zones", zone_id, before, {"active": False}, "deactivate_zone")
                    _deactivate_task_defs(ctx, garden_id=garden_id, zone_id=zone_id)
                    result.deactivated.append(zone_id)
        audit(
            ctx,
            "import_zones",
            "gardens",
            garden_id,
            after={"file": filename, "replace": replace, "created": result.created,
                   "updated": result.updated, "deactivated": result.deactivated},
        )
    return result


# ---------------------------------------------------------------- habitat features


def features(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("manage_gardens")
    return manage_db.features(ctx.con, garden_id)


def _checked_on(ctx: Ctx, value) -> date | None:
    if value is None:
        return None
    day = _as_date(value, "manage.bad_date")
    if day > ctx.now().date():
        raise ValidationError("common.future_time")
    return day


def add_feature(
    ctx: Ctx,
    garden_id: int,
    zone_id: int | None,
    kind: str,
    name: str,
    condition: str = "good",
    provides: Sequence[str] | str = (),
    note: str | None = None,
    checked_on: date | None = None,
) -> int:
    ctx.require("manage_gardens")
    _garden(ctx, garden_id)
    fields = {
        "zone_id": _zone_of_garden(ctx, garden_id, zone_id),
        "kind": _choice(kind, FEATURE_KINDS, "manage.bad_feature_kind"),
        "name": _text(name, "manage.feature_name_required"),
        "condition": _choice(condition, CONDITIONS, "manage.bad_condition"),
        "provides": _provides(provides),
        "note": _optional_text(note, 500),
        "checked_on": _checked_on(ctx, checked_on),
    }
    with transaction(ctx):
        feature_id = gardens_db.insert_feature(ctx.con, garden_id=garden_id, **fields)
        audit(ctx, "add_feature", "features", feature_id, after=manage_db.row(ctx.con, "features", feature_id))
    return feature_id


def _feature(ctx: Ctx, feature_id: int) -> dict:
    row = manage_db.row(ctx.con, "features", feature_id)
    if row is None or not row["active"]:
        raise NotFound("manage.feature_not_found")
    return row


def update_feature(
    ctx: Ctx,
    feature_id: int,
    *,
    zone_id=KEEP,
    kind=KEEP,
    name=KEEP,
    condition=KEEP,
    provides=KEEP,
    note=KEEP,
    checked_on=KEEP,
) -> dict:
    ctx.require("manage_gardens")
    before = _feature(ctx, feature_id)
    changes: dict[str, Any] = {}
    if zone_id is not KEEP:
        changes["zone_id"] = _zone_of_garden(ctx, before["garden_id"], zone_id)
    if kind is not KEEP:
        changes["kind"] = _choice(kind, FEATURE_KINDS, "manage.bad_feature_kind")
    if name is not KEEP:
        changes["name"] = _text(name, "manage.feature_name_required")
    if condition is not KEEP:
        changes["condition"] = _choice(condition, CONDITIONS, "manage.bad_condition")
    if provides is not KEEP:
        changes["provides"] = _provides(provides)
    if note is not KEEP:
        changes["note"] = _optional_text(note, 500)
    if checked_on is not KEEP:
        changes["checked_on"] = _checked_on(ctx, checked_on)
    with transaction(ctx):
        return _apply(ctx, "features", feature_id, before, changes, "update_feature")


def deactivate_feature(ctx: Ctx, feature_id: int) -> None:
    ctx.require("manage_gardens")
    before = _feature(ctx, feature_id)
    with transaction(ctx):
        _apply(ctx, "features", feature_id, before, {"active": False}, "deactivate_feature")


# ---------------------------------------------------------------- recurring task definitions


def task_defs(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("manage_tasks")
    return tasks_db.task_defs_with_last_log(ctx.con, garden_id)


def add_task_def(
    ctx: Ctx,
    garden_id: int,
    zone_id: int | None,
    kind: str,
    title: str,
    every_days: int,
    start_on: date,
) -> int:
    user = ctx.require("manage_tasks")
    _garden(ctx, garden_id)
    fields = {
        "zone_id": _zone_of_garden(ctx, garden_id, zone_id),
        "kind": _choice(kind, TASK_KINDS, "manage.bad_task_kind"),
        "title": _text(title, "manage.task_title_required", 200),
        "every_days": _every_days(every_days),
        "start_on": _as_date(start_on, "manage.start_required"),
    }
    with transaction(ctx):
        task_def_id = tasks_db.insert_task_def(
            ctx.con, garden_id=garden_id, source="manual", created_by=user.id, **fields
        )
        audit(ctx, "add_task_def", "task_defs", task_def_id, after=manage_db.row(ctx.con, "task_defs", task_def_id))
    return task_def_id


def _task_def(ctx: Ctx, task_def_id: int) -> dict:
    row = manage_db.row(ctx.con, "task_defs", task_def_id)
    if row is None or not row["active"]:
        raise NotFound("task.not_found")
    return row


def update_task_def(
    ctx: Ctx, task_def_id: int, *, zone_id=KEEP, kind=KEEP, title=KEEP, every_days=KEEP, start_on=KEEP
) -> dict:
    ctx.require("manage_tasks")
    before = _task_def(ctx, task_def_id)
    changes: dict[str, Any] = {}
    if zone_id is not KEEP:
        changes["zone_id"] = _zone_of_garden(ctx, before["garden_id"], zone_id)
    if kind is not KEEP:
        changes["kind"] = _choice(kind, TASK_KINDS, "manage.bad_task_kind")
    if title is not KEEP:
        changes["title"] = _text(title, "manage.task_title_required", 200)
    if every_days is not KEEP:
        changes["every_days"] = _every_days(every_days)
    if start_on is not KEEP:
        changes["start_on"] = _as_date(start_on, "manage.start_required")
    with transaction(ctx):
        return _apply(ctx, "task_defs", task_def_id, before, changes, "update_task_def")


def deactivate_task_def(ctx: Ctx, task_def_id: int) -> None:
    ctx.require("manage_tasks")
    before = _task_def(ctx, task_def_id)
    with transaction(ctx):
        _apply(ctx, "task_defs", task_def_id, before, {"active": False}, "deactivate_task_def")


# ---------------------------------------------------------------- people


def list_people(ctx: Ctx) -> pd.DataFrame:
    ctx.require("manage_people")
    return manage_db.people(ctx.con)


def create_person(
    ctx: Ctx,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    expertise: Sequence[str] | str = (),
    home_garden_id: int | None = None,
    organisation: str | None = None,
    language: str = "zh",
) -> int:
    ctx.require("manage_people")
    groups = _expertise(expertise)
    if role == EXPERT and not groups:
        raise ValidationError("manage.expert_needs_groups")
    if home_garden_id is not None:
        _garden(ctx, int(home_garden_id))
    return auth.create_person(
        ctx,
        username=username,
        display_name=display_name,
        role=role,
        password=password,
        expertise="|".join(groups) if role == EXPERT else None,
        home_garden_id=None if home_garden_id is None else int(home_garden_id),
        organisation=_optional_text(organisation, 100),
        language=language if language in ("zh", "en") else "zh",
    )


def change_role(ctx: Ctx, person_id: int, role: str, expertise: Sequence[str] | str = ()) -> dict:
    """Role and expertise (the taxon groups an expert reviews). Applies at the person's next click."""
    user = ctx.require("manage_people")
    if person_id == user.id:
        raise ValidationError("manage.cannot_change_own_role")
    before = _person(ctx, person_id)
    if role not in ROLES:
        raise ValidationError("auth.unknown_role", role=role)
    groups = _expertise(expertise)
    if role == EXPERT and not groups:
        raise ValidationError("manage.expert_needs_groups")
    changes = {"role": role, "expertise": "|".join(groups) if role == EXPERT else None}
    with transaction(ctx):
        auth.guard_last_committee(ctx, person_id, stays_committee=role == COMMITTEE)
        return _apply(ctx, "people", person_id, before, changes, "change_role")


def set_active(ctx: Ctx, person_id: int, active: bool) -> dict:
    """Switch an account off (it can no longer sign in, its open sessions end; its records stay) or on."""
    user = ctx.require("manage_people")
    before = _person(ctx, person_id)
    if person_id == user.id and not active:
        raise ValidationError("manage.cannot_deactivate_self")
    with transaction(ctx):
        if not active:
            auth.guard_last_committee(ctx, person_id, stays_committee=False)
            auth.end_sessions(ctx, person_id, "deactivated")
        return _apply(ctx, "people", person_id, before, {"active": bool(active)}, "set_active")


def reset_password(ctx: Ctx, person_id: int, new_password: str) -> None:
    ctx.require("manage_people")
    _person(ctx, person_id)
    auth.reset_password(ctx, person_id, new_password)


# ---------------------------------------------------------------- problems and the audit log


def open_problems(ctx: Ctx, garden_id: int | None = None) -> pd.DataFrame:
    """Open problem reports, oldest first, with their age in whole days."""
    ctx.require("resolve_problems")
    frame = community_db.problems(ctx.con, garden_id=garden_id, status="open")
    now = pd.Timestamp(ctx.now())
    frame["age_days"] = [int((now - pd.Timestamp(at)).days) for at in frame["reported_at"]]
    return frame


def resolve_problem(ctx: Ctx, problem_id: int, resolution: str) -> None:
    ctx.require("resolve_problems")
    community.resolve_problem(ctx, problem_id, resolution)


def recent_audit(ctx: Ctx, limit: int = 200) -> pd.DataFrame:
    ctx.require("see_audit")
    return audit_db.recent(ctx.con, limit=max(1, min(int(limit), 1000)))

