"""Zones and points: WGS84 storage, metric areas (UTM 51N), point-in-zone, GCJ-02 for Chinese maps."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from pyproj import Transformer
from shapely.geometry import Point, Polygon, mapping, shape
import numpy as np
import shapely

UTM51N = "EPSG:32651"


@lru_cache(maxsize=2)
def _to_utm() -> Transformer:
    return Transformer.from_crs("EPSG:4326", UTM51N, always_xy=True)


@lru_cache(maxsize=2)
def _to_wgs() -> Transformer:
    return Transformer.from_crs(UTM51N, "EPSG:4326", always_xy=True)


def polygon_from_local_metres(
    centre_lat: float, centre_lon: float, xy: Sequence[tuple[float, float]]
) -> Polygon:
    """A WGS84 polygon from corner offsets in metres (east, north) around a centre."""
    cx, cy = _to_utm().transform(centre_lon, centre_lat)
    ring = [_to_wgs().transform(cx + dx, cy + dy) for dx, dy in xy]
    return Polygon(ring)


def _utm(geom):
    def project(coords: np.ndarray) -> np.ndarray:
        x, y = _to_utm().transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, project)


def area_m2(geom) -> float:
    return _utm(geom).area


def to_geojson(geom) -> str:
    return json.dumps(mapping(geom))


def from_geojson(text: str):
    data = json.loads(text)
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shape(data)


@dataclass(frozen=True)
class ZoneShape:
    id: int
    code: str
    geometry: object  # shapely geometry


def zones_from_rows(rows: Iterable[tuple[int, str, str]]) -> list[ZoneShape]:
    return [ZoneShape(id=r[0], code=r[1], geometry=from_geojson(r[2])) for r in rows]


def zone_for_point(
    zones: Sequence[ZoneShape], lat: float, lon: float, tolerance_m: float = 0.0
) -> ZoneShape | None:
    """The zone containing the point; with a tolerance, the nearest zone within that distance."""
    pt = Point(lon, lat)
    for z in zones:
        if z.geometry.covers(pt):
            return z
    if tolerance_m <= 0 or not zones:
        return None
    best = min(zones, key=lambda z: z.geometry.distance(pt))
    if distance_m(best.geometry, lat, lon) <= tolerance_m:
        return best
    return None


def distance_m(geom, lat: float, lon: float) -> float:
    g = _utm(geom)
    x, y = _to_utm().transform(lon, lat)
    return g.distance(Point(x, y))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --- GCJ-02 (Chinese web maps). Store WGS84; convert only to draw on a Chinese tile layer,
# or to bring in a point copied from AMap/Tencent (gcj02_to_wgs84, iterative inverse).
_A = 6378245.0
_EE = 0.00669342162296594323


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    wlat, wlon = lat, lon
    for _ in range(10):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        wlat, wlon = wlat - (glat - lat), wlon - (glon - lon)
    return wlat, wlon
