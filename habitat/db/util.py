"""Small helpers that always finish a result.

DuckDB 2.0 keeps a result open after ``fetchone()`` until a fetch returns nothing, and then
refuses ``register``/``append`` on that connection; ``fetchall`` always finishes it.
"""

from __future__ import annotations

from typing import Any, Sequence

import duckdb
import pandas as pd


def one(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> tuple | None:
    rows = con.execute(sql, list(params)).fetchall()
    return rows[0] if rows else None


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = one(con, sql, params)
    return None if row is None else row[0]


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Bulk insert a DataFrame by column name (table names are constants from our code, never user input)."""
    if frame.empty:
        return 0
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    bulk_frame = frame  # noqa: F841 - read by DuckDB's replacement scan below
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM bulk_frame")
    return len(frame)


def reserve_ids(con: duckdb.DuckDBPyConnection, sequence: str, n: int) -> int:
    """Advance ``sequence`` by n and return the first of the n ids reserved (bulk rows with explicit ids)."""
    if n <= 0:
        return 0
    last = scalar(con, f"SELECT max(nextval('{sequence}')) FROM range(?)", [n])
    return last - n + 1
