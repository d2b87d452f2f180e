"""Zones from a GeoJSON, GeoPackage or KML file: all of them, or none with a list of what is wrong."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from string import ascii_uppercase

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Polygon

from habitat import geo
from habitat.db import gardens as gardens_db
from habitat.db import manage as manage_db
from habitat.errors import HabitatError, ValidationError
from habitat.i18n import t
from habitat.services.context import Ctx, audit, transaction
from habitat.services.fields import apply_changes, choice
from habitat.services.gardens import active_garden, stop_task_defs
from habitat.services.zones import ZONE_KINDS, checked_polygon, zone_code

IMPORT_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml")
MAX_IMPORT_BYTES = 5_000_000
MAX_IMPORT_FEATURES = 200

# property names accepted in imported files (compared case-insensitively)
CODE_FIELDS = ("code", "编号", "zone_code", "代码")
NAME_FIELDS = ("name", "名称", "名字")
NAME_EN_FIELDS = ("name_en", "英文名称", "english_name")
KIND_FIELDS = ("kind", "类型", "type")


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
            t(
                "manage.import_feature_problem",
                lang,
                number=p.number,
                label=q(str(p.label)),
                reason=p.error.message(lang, quote),
            )
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
    g = active_garden(ctx, garden_id)
    default_kind = choice(default_kind, ZONE_KINDS, "manage.bad_zone_kind")
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
            code = zone_code(raw_code) if raw_code is not None else None
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
            polygon, area = checked_polygon(geom, g["centre_lat"], g["centre_lon"])
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
                "name_en": c.name_en
                or (None if c.name else t("manage.zone_default_name", "en", code=c.code)),
                "kind": c.kind,
                "geometry": geo.to_geojson(c.polygon),
                "area_m2": c.area,
            }
            if c.code in existing:  # only when replacing: same code, new outline, same zone id
                zone_id = existing[c.code][0]
                before = manage_db.row(ctx.con, "zones", zone_id)
                apply_changes(ctx, "zones", zone_id, before, {**fields, "active": True}, "import_zone")
                result.updated.append(zone_id)
            else:
                zone_id = gardens_db.insert_zone(ctx.con, garden_id=garden_id, code=c.code, **fields)
                audit(ctx, "import_zone", "zones", zone_id, after=manage_db.row(ctx.con, "zones", zone_id))
                result.created.append(zone_id)
        if replace:
            for code, (zone_id, active) in existing.items():
                if active and code not in taken:
                    before = manage_db.row(ctx.con, "zones", zone_id)
                    apply_changes(ctx, "zones", zone_id, before, {"active": False}, "deactivate_zone")
                    stop_task_defs(ctx, garden_id=garden_id, zone_id=zone_id)
                    result.deactivated.append(zone_id)
        audit(
            ctx,
            "import_zones",
            "gardens",
            garden_id,
            after={
                "file": filename,
                "replace": replace,
                "created": result.created,
                "updated": result.updated,
                "deactivated": result.deactivated,
            },
        )
    return result
