"""Sign-in sessions: the server-side record behind the lasting sign-in cookie."""

from __future__ import annotations

from datetime import datetime

import duckdb

from habitat.db.people import PERSON_COLUMNS, person_from_row
from habitat.db.util import one, scalar
from habitat.domain.roles import Person


def create(
    con: duckdb.DuckDBPyConnection, person_id: int, token_hash: str, now: datetime, expires: datetime
) -> int:
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


# ------------------------------------------------------------------ known devices, unknown names


def device(con: duckdb.DuckDBPyConnection, person_id: int, token_hash: str) -> tuple[int, int] | None:
    """(device id, failures) of this person's device with this token hash, or None."""
    return one(
        con,
        "SELECT id, failures FROM devices WHERE person_id = ? AND token_hash = ?",
        [person_id, token_hash],
    )


def device_failures(con: duckdb.DuckDBPyConnection, device_id: int) -> int | None:
    return scalar(con, "SELECT failures FROM devices WHERE id = ?", [device_id])


def add_device(con: duckdb.DuckDBPyConnection, person_id: int, token_hash: str, now: datetime) -> int:
    return scalar(
        con,
        "INSERT INTO devices (person_id, token_hash, created_at, last_used_at) VALUES (?, ?, ?, ?) RETURNING id",
        [person_id, token_hash, now, now],
    )


def device_result(con: duckdb.DuckDBPyConnection, device_id: int, failures: int, now: datetime) -> None:
    con.execute("UPDATE devices SET failures = ?, last_used_at = ? WHERE id = ?", [failures, now, device_id])


def forget_devices(con: duckdb.DuckDBPyConnection, person_id: int, device_id: int | None = None) -> None:
    """One device (too many wrong passwords from it) or all of a person's (a password reset)."""
    if device_id is None:
        con.execute("DELETE FROM devices WHERE person_id = ?", [person_id])
    else:
        con.execute("DELETE FROM devices WHERE id = ?", [device_id])


def throttle_row(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, datetime | None] | None:
    return one(con, "SELECT failures, locked_until FROM login_throttle WHERE name = ?", [name])


def set_throttle(
    con: duckdb.DuckDBPyConnection, name: str, failures: int, locked_until, now: datetime
) -> None:
    con.execute(
        "INSERT INTO login_throttle (name, failures, locked_until, last_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,"
        " last_at = excluded.last_at",
        [name, failures, locked_until, now],
    )
