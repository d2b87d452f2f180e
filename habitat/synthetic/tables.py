"""Timing the phases, reserving ids, and Arrow columns inserted with INSERT ... SELECT."""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa

from habitat.checklist import load_checklist
from habitat.errors import DatabaseError
from habitat.synthetic.knobs import Progress


class Timer:
    def __init__(self, progress: Progress | None) -> None:
        self.start = self.last = time.perf_counter()
        self.phases: dict[str, float] = {}
        self.progress = progress

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self.last, 3)
        self.last = now
        if self.progress:
            self.progress(phase, 1, 1)

    def tick(self, phase: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(phase, done, total)

    def seconds(self) -> dict[str, float]:
        return {**self.phases, "total": round(time.perf_counter() - self.start, 3)}


def require_empty(con) -> None:
    for table in ("gardens", "zones", "people", "visits", "sightings", "identifications", "task_logs"):
        if con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]:
            path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
            raise DatabaseError("db.not_empty", path=(path.fetchall() or [("?",)])[0][0] or "?")


def ensure_checklist(con) -> None:
    if not con.execute("SELECT count(*) FROM species").fetchall()[0][0]:
        load_checklist(con)


def reserve_id_block(con, sequence: str, n: int) -> int:
    """Take n consecutive values from a sequence; returns the first. Later DEFAULT nextval() continues after them."""
    first = con.execute(f"SELECT nextval('{sequence}')").fetchall()[0][0]
    if n > 1:
        con.execute(f"SELECT max(nextval('{sequence}')) FROM range({n - 1})").fetchall()
    return int(first)


def insert_arrow(con, table: str, data, select: dict[str, str] | None = None) -> int:
    """INSERT INTO table (cols) SELECT ... FROM an Arrow table; ``select`` adds computed columns."""
    if not isinstance(data, pa.Table):
        data = pa.table(data)
    if data.num_rows == 0:
        return 0
    exprs = {name: f'"{name}"' for name in data.column_names}
    exprs.update(select or {})
    cols = ", ".join(f'"{c}"' for c in exprs)
    name = f"syn_{table}"
    con.register(name, data)
    try:
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {', '.join(exprs.values())} FROM {name}")
    finally:
        con.unregister(name)
    return data.num_rows


def dict_array(codes, words, mask=None):
    """A dictionary-encoded Arrow string column (DuckDB ingests these fastest)."""
    codes = np.asarray(codes)
    codes = codes.astype(np.int8 if len(words) < 128 else np.int32, copy=False)
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), pa.array(list(words), pa.string()))


def ts_array(micros, mask=None):
    return pa.array(micros, type=pa.timestamp("us", tz="UTC"), mask=mask)


def masked(values, mask):
    return pa.array(values, mask=mask)
