"""Volunteer hours: one definition, used by every page, report and export.

Hours given by the people who use the app, per person:
- a patrol counts its duration for the person who recorded it (other observers written on the day are
  often residents without an account, so they cannot be credited by name);
- an upkeep task counts the minutes logged with it (a one-tap "done" without minutes counts 0);
- an event counts the helper minutes recorded in its attendance (by the event's start).
Withdrawn records and cancelled events count nothing. A garden's or the town's hours are the sum over
people, so the committee home, the dashboard table and the monthly report always agree; the hours
given at each event (the report's events) and per role (volunteers, experts, committee: the report
counts people by role) are sums of the same rows.
"""

from __future__ import annotations

import duckdb
import pandas as pd


def _work(where_garden: bool) -> str:
    """One row per piece of work in [start, end) (and one garden when ``where_garden``): bind
    (start, end[, garden]) three times, once per source."""
    garden = " AND {col} = ?" if where_garden else ""
    return f"""
        SELECT recorded_by AS person_id, garden_id, started_at AS worked_at,
               epoch(ended_at - started_at) / 60.0 AS minutes, 'patrol' AS source, NULL::BIGINT AS event_id
        FROM visits WHERE NOT withdrawn AND ended_at IS NOT NULL AND recorded_by IS NOT NULL
          AND started_at >= ? AND started_at < ?{garden.format(col="garden_id")}
        UNION ALL
        SELECT done_by, garden_id, done_at, coalesce(minutes, 0), 'task', NULL
        FROM task_logs WHERE NOT withdrawn AND done_by IS NOT NULL
          AND done_at >= ? AND done_at < ?{garden.format(col="garden_id")}
        UNION ALL
        SELECT a.person_id, e.garden_id, e.starts_at, a.minutes, 'event', e.id
        FROM event_attendance a JOIN events e ON e.id = a.event_id
        WHERE a.person_id IS NOT NULL AND a.minutes > 0 AND NOT e.cancelled
          AND e.starts_at >= ? AND e.starts_at < ?{garden.format(col="e.garden_id")}
    """


def _params(garden_id, start, end) -> list:
    one = [start, end] + ([garden_id] if garden_id is not None else [])
    return one * 3


def by_person_month(con: duckdb.DuckDBPyConnection, garden_id, start, end) -> pd.DataFrame:
    """person, username, role, month (Shanghai), patrol_hours, task_hours, event_hours, hours."""
    return con.execute(
        f"""
        WITH work AS ({_work(garden_id is not None)})
        SELECT p.display_name AS person, p.username, p.role, date_trunc('month', local_ts(w.worked_at)) AS month,
               round(coalesce(sum(w.minutes) FILTER (WHERE source = 'patrol'), 0) / 60.0, 2) AS patrol_hours,
               round(coalesce(sum(w.minutes) FILTER (WHERE source = 'task'), 0) / 60.0, 2) AS task_hours,
               round(coalesce(sum(w.minutes) FILTER (WHERE source = 'event'), 0) / 60.0, 2) AS event_hours,
               round(sum(w.minutes) / 60.0, 2) AS hours
        FROM work w JOIN people p ON p.id = w.person_id
        GROUP BY ALL ORDER BY month, hours DESC, person
        """,
        _params(garden_id, start, end),
    ).df()


def by_garden(con: duckdb.DuckDBPyConnection, start, end) -> pd.DataFrame:
    """garden_id, hours (unrounded), people: every garden with any work in [start, end)."""
    return con.execute(
        f"""
        WITH work AS ({_work(False)})
        SELECT garden_id, sum(minutes) / 60.0 AS hours, count(DISTINCT person_id) AS people
        FROM work GROUP BY garden_id ORDER BY garden_id
        """,
        _params(None, start, end),
    ).df()


def by_event(con: duckdb.DuckDBPyConnection, garden_id, start, end) -> pd.DataFrame:
    """event_id, hours (unrounded), helpers: the hours given at each event that started in [start, end)."""
    return con.execute(
        f"""
        WITH work AS ({_work(garden_id is not None)})
        SELECT event_id, sum(minutes) / 60.0 AS hours, count(DISTINCT person_id) AS helpers
        FROM work WHERE source = 'event' GROUP BY event_id ORDER BY event_id
        """,
        _params(garden_id, start, end),
    ).df()
