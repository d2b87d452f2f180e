"""Half-filled forms per person (see services/drafts.py)."""

from __future__ import annotations

from datetime import datetime

import duckdb

from habitat.db.util import one


def get(con: duckdb.DuckDBPyConnection, person_id: int, form: str):
    """(fields JSON, photos JSON, updated_at) or None."""
    return one(
        con,
        "SELECT fields, photos, updated_at FROM drafts WHERE person_id = ? AND form = ?",
        [person_id, form],
    )


def put(
    con: duckdb.DuckDBPyConnection, person_id: int, form: str, fields: str, photos: str, at: datetime
) -> None:
    con.execute(
        "INSERT INTO drafts (person_id, form, fields, photos, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (person_id, form) DO UPDATE SET fields = excluded.fields, photos = excluded.photos,"
        " updated_at = excluded.updated_at",
        [person_id, form, fields, photos, at],
    )


def delete(con: duckdb.DuckDBPyConnection, person_id: int, form: str) -> None:
    con.execute("DELETE FROM drafts WHERE person_id = ? AND form = ?", [person_id, form])


def photo_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every photo hash any draft still refers to (the rest of .drafts/ may go)."""
    rows = con.execute(
        "SELECT DISTINCT json_extract_string(p.value, '$.sha256') FROM drafts, json_each(drafts.photos) AS p"
    ).fetchall()
    return {r[0] for r in rows if r[0]}


def delete_older_than(con: duckdb.DuckDBPyConnection, before: datetime) -> int:
    rows = con.execute("DELETE FROM drafts WHERE updated_at < ? RETURNING person_id", [before]).fetchall()
    return len(rows)
