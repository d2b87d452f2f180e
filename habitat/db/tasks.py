"""Recurring upkeep tasks and their logs."""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db.util import one, scalar


def task_defs_with_last_log(con: duckdb.DuckDBPyConnection, garden_id: int | None) -> pd.DataFrame:
    """Active task definitions with the local date of their latest (not withdrawn) log."""
    return con.execute(
        """
        SELECT d.id, d.garden_id, g.name AS garden, g.name_en AS garden_en, g.slug, d.zone_id, z.name AS zone, z.name_en AS zone_en,
               z.code AS zone_code, d.kind, d.title, d.every_days, d.start_on,
               max(l.done_at)::DATE AS last_done
        FROM task_defs d
        JOIN gardens g ON g.id = d.garden_id
        LEFT JOIN zones z ON z.id = d.zone_id
        LEFT JOIN task_logs l ON l.task_def_id = d.id AND NOT l.withdrawn
        WHERE d.active AND (? IS NULL OR d.garden_id = ?)
        GROUP BY ALL
        ORDER BY d.id
        """,
        [garden_id, garden_id],
    ).df()


def insert_log(
    con,
    *,
    task_def_id,
    garden_id,
    zone_id,
    kind,
    done_at,
    done_by,
    minutes,
    note,
    visit_id,
    product=None,
    amount=None,
) -> int:
    """product / amount (migration 0003): what a pesticide or fertiliser log applied, as on the pack."""
    return scalar(
        con,
        "INSERT INTO task_logs (task_def_id, garden_id, zone_id, kind, done_at, done_by, minutes, note, visit_id,"
        " product, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [task_def_id, garden_id, zone_id, kind, done_at, done_by, minutes, note, visit_id, product, amount],
    )


def task_def(con, task_def_id: int):
    return one(
        con,
        "SELECT id, garden_id, zone_id, kind, title, every_days, start_on, active FROM task_defs WHERE id = ?",
        [task_def_id],
    )


def recent_logs(
    con, *, person_id: int | None = None, garden_id: int | None = None, limit: int = 20
) -> pd.DataFrame:
    return con.execute(
        """
        SELECT l.id, l.done_at, l.kind, d.title, g.name AS garden, z.name AS zone, l.minutes, l.note,
               p.display_name AS done_by
        FROM task_logs l JOIN gardens g ON g.id = l.garden_id
        LEFT JOIN task_defs d ON d.id = l.task_def_id
        LEFT JOIN zones z ON z.id = l.zone_id
        JOIN people p ON p.id = l.done_by
        WHERE NOT l.withdrawn AND (? IS NULL OR l.done_by = ?) AND (? IS NULL OR l.garden_id = ?)
        ORDER BY l.done_at DESC LIMIT ?
        """,
        [person_id, person_id, garden_id, garden_id, limit],
    ).df()


def insert_task_def(con, *, garden_id, zone_id, kind, title, every_days, start_on, source, created_by) -> int:
    return scalar(
        con,
        "INSERT INTO task_defs (garden_id, zone_id, kind, title, every_days, start_on, source, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, zone_id, kind, title, every_days, start_on, source, created_by],
    )


def active_task_of_kind(con, zone_id: int, kind: str) -> int | None:
    return scalar(
        con, "SELECT min(id) FROM task_defs WHERE zone_id = ? AND kind = ? AND active", [zone_id, kind]
    )


def zones_with_breeding(con, since) -> pd.DataFrame:
    """Zones with nesting or larva records since a date (pruning there may harm wildlife)."""
    return con.execute(
        """SELECT DISTINCT s.zone_id, max(s.event_date) AS last_seen
           FROM sightings s WHERE NOT s.withdrawn AND s.zone_id IS NOT NULL AND s.event_date >= ?
             AND (s.behavior = 'nesting' OR s.nest_or_den OR s.life_stage IN ('larva', 'egg', 'pupa'))
           GROUP BY s.zone_id""",
        [since],
    ).df()
