"""Accounts and roles."""

from __future__ import annotations

import duckdb

from habitat.db.util import one, scalar

from habitat.domain.roles import Person

PERSON_COLUMNS = (
    "id",
    "username",
    "display_name",
    "role",
    "language",
    "expertise",
    "home_garden_id",
    "ui_mode",
)
_COLS = ", ".join(PERSON_COLUMNS)


def person_from_row(row) -> Person:
    """A Person from the PERSON_COLUMNS of a row, in that order."""
    return Person(
        id=row[0],
        username=row[1],
        display_name=row[2],
        role=row[3],
        language=row[4],
        expertise=tuple(x for x in (row[5] or "").split("|") if x),
        home_garden_id=row[6],
        ui_mode=row[7] or "auto",
    )


def by_id(con: duckdb.DuckDBPyConnection, person_id: int) -> Person | None:
    row = one(con, f"SELECT {_COLS} FROM people WHERE id = ?", [person_id])
    return person_from_row(row) if row else None


def login_row(con: duckdb.DuckDBPyConnection, username: str):
    """(id, password_hash, active, failed_logins, locked_until) or None."""
    return one(
        con,
        # user names are stored in their normal form (domain.usernames); lower() also finds older ones
        "SELECT id, password_hash, active, failed_logins, locked_until FROM people WHERE lower(username) = lower(?)",
        [username],
    )


def insert(
    con: duckdb.DuckDBPyConnection,
    *,
    username: str,
    display_name: str,
    role: str,
    password_hash: str | None,
    language: str = "zh",
    expertise: str | None = None,
    home_garden_id: int | None = None,
    organisation: str | None = None,
    at=None,
) -> int:
    return scalar(
        con,
        "INSERT INTO people (username, display_name, role, password_hash, language, expertise,"
        " home_garden_id, organisation, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [username, display_name, role, password_hash, language, expertise, home_garden_id, organisation, at],
    )


def set_attempts(con: duckdb.DuckDBPyConnection, person_id: int, failed_logins: int, locked_until) -> None:
    con.execute(
        "UPDATE people SET failed_logins = ?, locked_until = ? WHERE id = ?",
        [failed_logins, locked_until, person_id],
    )


def record_success(con: duckdb.DuckDBPyConnection, person_id: int) -> None:
    con.execute("UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = ?", [person_id])


def set_password(con: duckdb.DuckDBPyConnection, person_id: int, password_hash: str, at) -> None:
    con.execute(
        "UPDATE people SET password_hash = ?, password_changed_at = ?, failed_logins = 0,"
        " locked_until = NULL WHERE id = ?",
        [password_hash, at, person_id],
    )


def set_language(con: duckdb.DuckDBPyConnection, person_id: int, language: str) -> None:
    con.execute("UPDATE people SET language = ? WHERE id = ?", [language, person_id])


def set_ui_mode(con: duckdb.DuckDBPyConnection, person_id: int, ui_mode: str) -> None:
    con.execute("UPDATE people SET ui_mode = ? WHERE id = ?", [ui_mode, person_id])


def list_all(con: duckdb.DuckDBPyConnection):
    return con.execute(
        "SELECT p.id, p.username, p.display_name, p.role, p.expertise, g.name AS home_garden,"
        " p.organisation, p.active FROM people p LEFT JOIN gardens g ON g.id = p.home_garden_id"
        " ORDER BY p.role, p.display_name"
    ).df()


def active_committee_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [
        r[0]
        for r in con.execute(
            "SELECT id FROM people WHERE role = 'committee' AND active ORDER BY id"
        ).fetchall()
    ]


def id_by_username(con: duckdb.DuckDBPyConnection, username: str) -> int | None:
    return scalar(con, "SELECT id FROM people WHERE username = ?", [username])


def first_active_committee_id(con: duckdb.DuckDBPyConnection) -> int | None:
    """The account command-line imports are recorded under when no --user is given."""
    return scalar(con, "SELECT min(id) FROM people WHERE role = ? AND active", ["committee"])


def count(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT count(*) FROM people")
