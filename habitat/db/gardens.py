"""Gardens, zones and habitat features."""

from __future__ import annotations

import duckdb

from habitat.db.util import one, scalar


def list_gardens(con: duckdb.DuckDBPyConnection):
    return con.execute(
        "SELECT id, slug, name, name_en, town, district, theme, centre_lat, centre_lon, area_m2"
        " FROM gardens WHERE active ORDER BY id"
    ).df()


def by_slug(con: duckdb.DuckDBPyConnection, slug: str):
    return one(
        con,
        "SELECT id, slug, name, name_en, town, centre_lat, centre_lon, area_m2, boundary, theme"
        " FROM gardens WHERE slug = ?",
        [slug],
    )


def by_id(con: duckdb.DuckDBPyConnection, garden_id: int):
    return one(
        con,
        "SELECT id, slug, name, name_en, town, centre_lat, centre_lon, area_m2, boundary, theme"
        " FROM gardens WHERE id = ?",
        [garden_id],
    )


def zones(con: duckdb.DuckDBPyConnection, garden_id: int):
    return con.execute(
        "SELECT id, code, name, name_en, kind, geometry, area_m2 FROM zones"
        " WHERE garden_id = ? AND active ORDER BY code",
        [garden_id],
    ).df()


def zone_shapes(con: duckdb.DuckDBPyConnection, garden_id: int) -> list[tuple[int, str, str]]:
    return con.execute(
        "SELECT id, code, geometry FROM zones WHERE garden_id = ? AND active ORDER BY code", [garden_id]
    ).fetchall()


def features(con: duckdb.DuckDBPyConnection, garden_id: int):
    return con.execute(
        "SELECT f.id, f.kind, f.name, f.condition, f.provides, z.name AS zone, z.name_en AS zone_en, f.checked_on, f.note"
        " FROM features f LEFT JOIN zones z ON z.id = f.zone_id"
        " WHERE f.garden_id = ? AND f.active ORDER BY f.kind, f.name",
        [garden_id],
    ).df()


def insert_garden(
    con,
    *,
    slug,
    name,
    name_en,
    town,
    district,
    theme,
    centre_lat,
    centre_lon,
    area_m2,
    boundary,
    opened_on=None,
) -> int:
    return scalar(
        con,
        "INSERT INTO gardens (slug, name, name_en, town, district, theme, centre_lat, centre_lon, area_m2,"
        " boundary, opened_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [slug, name, name_en, town, district, theme, centre_lat, centre_lon, area_m2, boundary, opened_on],
    )


def insert_zone(con, *, garden_id, code, name, name_en, kind, geometry, area_m2) -> int:
    return scalar(
        con,
        "INSERT INTO zones (garden_id, code, name, name_en, kind, geometry, area_m2)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, code, name, name_en, kind, geometry, area_m2],
    )


def insert_feature(
    con, *, garden_id, zone_id, kind, name, condition, provides, checked_on=None, note=None
) -> int:
    return scalar(
        con,
        "INSERT INTO features (garden_id, zone_id, kind, name, condition, provides, checked_on, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, zone_id, kind, name, condition, provides, checked_on, note],
    )
