"""Sign-in sessions: the server-side record behind the lasting sign-in cookie."""

from __future__ import annotations

from datetime import datetime

import duckdb

from habitat.db.people import PERSON_COLUMNS, person_from_row
from habitat.db.util import one, scalar
from habitat.domain.roles import Person


def create(con: duckdb.DuckDBPyConnection, person_id: int, token_hash: str, now: datetime, expires: datetime) -> int:
    return scalar(
        con,
        "INSERT INTO sessions (person_id, token_hash, created_at, last_seen_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [person_id, token_hash, now, now, expires],
    )


_RESUME = (
    "SELECT s.id, s.last_seen_at, s.expires_at, s.revoked_at, s.revoked_reason, p.active, "
    + ", ".join(f"p.{c}" for c in PERSON_COLUMNS)
    + " FROM sessions s JOIN people p ON p.id = s.person_id WHERE "
)


def _resumed(row) -> tuple[int, datetime, datetime, datetime | None, str | None, bool, Person] | None:
    if row is None:
        return None
    return (row[0], row[1], row[2], row[3], row[4], bool(row[5]), person_from_row(row[6:]))


def by_id(con: duckdb.DuckDBPyConnection, session_id: int):
    """(id, last_seen_at, expires_at, revoked_at, revoked_reason, person active, Person) or None."""
    return _resumed(one(con, _RESUME + "s.id = ?", [session_id]))


def by_token_hash(con: duckdb.DuckDBPyConnection, token_hash: str):
    return _resumed(one(con, _RESUME + "s.token_hash = ?", [token_hash]))


def touch(con: duckdb.DuckDBPyConnection, session_id: int, now: datetime) -> None:
    con.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL", [now, session_id])


def revoke(con: duckdb.DuckDBPyConnection, session_id: int, now: datetime, reason: str) -> None:
    con.execute(
        "UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL",
        [now, reason, session_id],
    )


def revoke_all(
    con: duckdb.DuckDBPyConnection, person_id: int, now: datetime, reason: str, *, keep: int | None = None
) -> int:
    """End every open session of a person (but ``keep``); returns how many were open."""
    return scalar(
        con,
        "WITH ended AS (UPDATE sessions SET revoked_at = ?, revoked_reason = ?"
        " WHERE person_id = ? AND revoked_at IS NULL AND id IS DISTINCT FROM ? RETURNING id)"
        " SELECT count(*) FROM ended",
        [now, reason, person_id, keep],
    )


def open_count(con: duckdb.DuckDBPyConnection, person_id: int, now: datetime) -> int:
    return scalar(
        con,
        "SELECT count(*) FROM sessions WHERE person_id = ? AND revoked_at IS NULL AND expires_at > ?",
        [person_id, now],
    )


def bump_guard(con: duckdb.DuckDBPyConnection, name: str, now: datetime) -> None:
    """Write the guard row, so a concurrent transaction making the same check conflicts with this one."""
    con.execute("UPDATE guards SET bumped_at = ? WHERE name = ?", [now, name])
