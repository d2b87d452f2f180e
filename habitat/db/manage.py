"""Queries for the committee's management area: whole rows (for the audit trail) and updates.

Inserts of gardens, zones, features and task definitions reuse habitat.db.gardens / habitat.db.tasks.
Updates only touch columns named in the whitelists below; values are always bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from habitat.db.util import scalar

GARDEN_COLUMNS = frozenset(
    {
        "name",
        "name_en",
        "town",
        "district",
        "address",
        "theme",
        "centre_lat",
        "centre_lon",
        "area_m2",
        "active",
    }
)
ZONE_COLUMNS = frozenset({"name", "name_en", "kind", "geometry", "area_m2", "active"})
FEATURE_COLUMNS = frozenset(
    {"zone_id", "kind", "name", "condition", "provides", "note", "checked_on", "active"}
)
TASK_DEF_COLUMNS = frozenset({"zone_id", "kind", "title", "every_days", "start_on", "active"})
PEOPLE_COLUMNS = frozenset({"role", "expertise", "active"})

# table -> (columns shown in the audit trail, columns that may be updated)
_TABLES: dict[str, tuple[str, frozenset[str]]] = {
    "gardens": (
        "id, slug, name, name_en, town, district, address, theme, centre_lat, centre_lon, area_m2, active",
        GARDEN_COLUMNS,
    ),
    "zones": ("id, garden_id, code, name, name_en, kind, geometry, area_m2, active", ZONE_COLUMNS),
    "features": (
        "id, garden_id, zone_id, kind, name, condition, provides, note, checked_on, active",
        FEATURE_COLUMNS,
    ),
    "task_defs": (
        "id, garden_id, zone_id, kind, title, every_days, start_on, active, source, created_by",
        TASK_DEF_COLUMNS,
    ),
    "people": ("id, username, display_name, role, expertise, home_garden_id, active", PEOPLE_COLUMNS),
}


def row(con: duckdb.DuckDBPyConnection, table: str, row_id: int) -> dict[str, Any] | None:
    """One row as a dict (for before/after in the audit log), or None."""
    columns, _ = _TABLES[table]  # table names come from our code, never from the user
    result = con.execute(f"SELECT {columns} FROM {table} WHERE id = ?", [row_id])
    rows = result.fetchall()
    if not rows:
        return None
    return dict(zip([d[0] for d in result.description], rows[0]))


def update(con: duckdb.DuckDBPyConnection, table: str, row_id: int, changes: Mapping[str, Any]) -> None:
    _, allowed = _TABLES[table]
    unknown = set(changes) - allowed
    if unknown:
        raise KeyError(f"columns not updatable in {table}: {sorted(unknown)}")
    if not changes:
        return
    assignments = ", ".join(f"{column} = ?" for column in changes)
    con.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*changes.values(), row_id])


def slug_taken(con: duckdb.DuckDBPyConnection, slug: str) -> bool:
    return scalar(con, "SELECT count(*) FROM gardens WHERE slug = ?", [slug]) > 0


def zone_codes(con: duckdb.DuckDBPyConnection, garden_id: int) -> dict[str, tuple[int, bool]]:
    """code -> (zone id, active) for every zone of the garden, deactivated ones included."""
    rows = con.execute("SELECT code, id, active FROM zones WHERE garden_id = ?", [garden_id]).fetchall()
    return {code: (zone_id, active) for code, zone_id, active in rows}


def features(con: duckdb.DuckDBPyConnection, garden_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT f.id, f.zone_id, z.code AS zone_code, z.name AS zone, f.kind, f.name, f.condition,"
        " f.provides, f.note, f.checked_on FROM features f LEFT JOIN zones z ON z.id = f.zone_id"
        " WHERE f.garden_id = ? AND f.active ORDER BY f.kind, f.name",
        [garden_id],
    ).df()


def people(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT p.id, p.username, p.display_name, p.role, p.expertise, p.home_garden_id,"
        " g.name AS home_garden, p.organisation, p.active, p.locked_until"
        " FROM people p LEFT JOIN gardens g ON g.id = p.home_garden_id ORDER BY p.role, p.display_name"
    ).df()


def active_committee_count(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT count(*) FROM people WHERE role = 'committee' AND active")
