"""Opening the DuckDB file and applying numbered migrations.

One connection per process; callers take ``con.cursor()`` per thread or per script run
(DuckDB 2.0 refuses concurrent calls on one connection object).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import duckdb

from habitat.db.unit import unit_of_work
from habitat.errors import DatabaseError

MIGRATIONS_PACKAGE = "habitat.db.migrations"
_LOCK_RE = re.compile(r"Conflicting lock is held in (?P<prog>.*?) \(PID (?P<pid>\d+)\)")


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file; a lock held by another process becomes one clear sentence."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(
            str(path),
            read_only=read_only,
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
        )
    except duckdb.IOException as exc:
        match = _LOCK_RE.search(str(exc))
        if match:
            raise DatabaseError(
                "db.locked", path=str(path), program=match["prog"].strip(), pid=match["pid"]
            ) from exc
        raise DatabaseError("db.cannot_open", path=str(path), reason=str(exc).splitlines()[0]) from exc
    # GLOBAL: cursors taken from this connection (one per browser session) do not inherit a plain SET
    con.execute("SET GLOBAL TimeZone = 'Asia/Shanghai'")
    return con


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) for every migration, in number order."""
    folder = resources.files(MIGRATIONS_PACKAGE)
    files = sorted(p.name for p in folder.iterdir() if re.match(r"\d{4}_.*\.sql$", p.name))
    return [(name.removesuffix(".sql"), folder.joinpath(name).read_text(encoding="utf-8")) for name in files]


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)"
    )
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied now.

    An existing database is adopted: only its missing migrations run, each in a transaction.
    """
    done = set(applied_migrations(con))
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        with unit_of_work(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
        applied.append(name)
    return applied


def open_database(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Connect and bring the schema up to date."""
    con = connect(path)
    migrate(con)
    return con
