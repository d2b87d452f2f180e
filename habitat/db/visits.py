"""Visits (patrols): effort that makes counts comparable."""

from __future__ import annotations

from habitat.db.util import one, scalar

VISIT_FIELDS = (
    "garden_id",
    "zone_id",
    "started_at",
    "observers",
    "observer_count",
    "protocol",
    "weather",
    "temperature_c",
    "wind_beaufort",
    "sun_pct",
    "disturbance",
    "note",
    "recorded_by",
)


def insert(con, values: dict) -> int:
    cols = [c for c in VISIT_FIELDS if c in values]
    sql = f"INSERT INTO visits ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
    return scalar(con, sql, [values[c] for c in cols])


def open_visit(con, person_id: int):
    """The person's patrol that has started and not ended (the newest), or None."""
    return one(
        con,
        """SELECT v.id, v.garden_id, g.slug, g.name, v.started_at, v.protocol, v.observer_count, v.observers
           FROM visits v JOIN gardens g ON g.id = v.garden_id
           WHERE v.recorded_by = ? AND v.ended_at IS NULL AND NOT v.withdrawn ORDER BY v.started_at DESC LIMIT 1""",
        [person_id],
    )


def get(con, visit_id: int):
    return one(
        con,
        "SELECT id, garden_id, started_at, ended_at, recorded_by, protocol, observer_count, complete_checklist"
        " FROM visits WHERE id = ?",
        [visit_id],
    )


def end(con, visit_id: int, ended_at, complete_checklist: bool, note: str | None) -> None:
    con.execute(
        "UPDATE visits SET ended_at = ?, complete_checklist = ?, note = coalesce(?, note) WHERE id = ?",
        [ended_at, complete_checklist, note, visit_id],
    )


def counts(con, visit_id: int) -> tuple[int, int]:
    """(sightings, task logs) recorded on this visit."""
    row = one(
        con,
        "SELECT (SELECT count(*) FROM sightings WHERE visit_id = ? AND NOT withdrawn),"
        " (SELECT count(*) FROM task_logs WHERE visit_id = ? AND NOT withdrawn)",
        [visit_id, visit_id],
    )
    return row[0], row[1]
