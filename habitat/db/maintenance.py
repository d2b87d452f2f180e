"""Integrity checks, and the database half of backup and restore."""

from __future__ import annotations

import duckdb

from habitat.db.connection import applied_migrations, migration_files
from habitat.db.unit import unit_of_work

# (table, column, referenced table): references the services keep (no FOREIGN KEY clauses, see decisions)
REFERENCES = (
    ("zones", "garden_id", "gardens"),
    ("features", "garden_id", "gardens"),
    ("visits", "garden_id", "gardens"),
    ("visits", "recorded_by", "people"),
    ("task_defs", "garden_id", "gardens"),
    ("task_defs", "zone_id", "zones"),
    ("task_logs", "task_def_id", "task_defs"),
    ("task_logs", "done_by", "people"),
    ("task_logs", "visit_id", "visits"),
    ("problems", "garden_id", "gardens"),
    ("questions", "garden_id", "gardens"),
    ("sightings", "garden_id", "gardens"),
    ("sightings", "zone_id", "zones"),
    ("sightings", "visit_id", "visits"),
    ("sightings", "species_id", "species"),
    ("sightings", "recorded_by", "people"),
    ("identifications", "sighting_id", "sightings"),
    ("verifications", "sighting_id", "sightings"),
    ("comments", "sighting_id", "sightings"),
    ("photos", "sighting_id", "sightings"),
    ("photos", "task_log_id", "task_logs"),
    ("photos", "problem_id", "problems"),
    ("photos", "question_id", "questions"),
    ("photos", "idea_id", "ideas"),
    ("ideas", "garden_id", "gardens"),
    ("idea_support", "idea_id", "ideas"),
    ("meetings", "garden_id", "gardens"),
    ("meeting_participants", "meeting_id", "meetings"),
    ("meeting_items", "meeting_id", "meetings"),
    ("meeting_followups", "item_id", "meeting_items"),
    ("meeting_followups", "task_def_id", "task_defs"),
    ("meeting_followups", "problem_id", "problems"),
    ("principle_assessments", "garden_id", "gardens"),
    ("events", "garden_id", "gardens"),
    ("events", "host_id", "people"),
    ("events", "partner_id", "partners"),
    ("events", "series_id", "plots"),
    ("event_signups", "event_id", "events"),
    ("event_attendance", "event_id", "events"),
    ("garden_partners", "garden_id", "gardens"),
    ("garden_partners", "partner_id", "partners"),
    ("people", "partner_id", "partners"),
    ("plots", "garden_id", "gardens"),
    ("plot_observations", "plot_id", "plots"),
    ("sightings", "event_id", "events"),
)


def dangling(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Rows whose reference points at nothing (table and column names are constants above)."""
    found = []
    for table, column, target in REFERENCES:
        rows = con.execute(
            f"SELECT t.id, t.{column} FROM {table} t WHERE t.{column} IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.id = t.{column}) LIMIT 100"
        ).fetchall()
        found += [{"table": table, "id": r[0], "column": column, "missing": r[1]} for r in rows]
    return found


def half_sightings(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Sightings without the recorder's identification: a save that did not complete (must be none)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT s.id FROM sightings s WHERE NOT EXISTS (SELECT 1 FROM identifications i WHERE i.sighting_id = s.id) LIMIT 100"
        ).fetchall()
    ]


def photo_paths(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT display_path, thumb_path FROM photos").fetchall()
    return {p for r in rows for p in r if p}


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in table_names(con)}


def export_database(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    con.execute(f"EXPORT DATABASE '{_quote(folder)}' (FORMAT parquet)")


def database_path(con: duckdb.DuckDBPyConnection) -> str:
    """The file behind ``con`` ("" for an in-memory database)."""
    sql = "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    row = con.execute(sql).fetchall()
    return (row[0][0] or "") if row else ""


def _quote(path: str) -> str:
    # EXPORT DATABASE takes no bound parameters; the path comes from the operator's command line.
    return path.replace("'", "''")


# --- restore: the backup's data into a database built from our own migrations ----------------------
# Restore never runs SQL found in a backup (DuckDB's IMPORT DATABASE would run its schema.sql and
# load.sql): the schema comes from habitat/db/migrations, the rows from the Parquet files.


def next_sequence_values(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Sequence name -> the value its next nextval() returns."""
    rows = con.execute(
        "SELECT sequence_name, coalesce(last_value + increment_by, start_value) FROM duckdb_sequences()"
        " WHERE schema_name = 'main' AND database_name = current_database() ORDER BY 1"
    ).fetchall()
    return {name: int(value) for name, value in rows}


def migration_names_in(con: duckdb.DuckDBPyConnection, parquet_path: str) -> list[str]:
    """The migration names recorded in a backup's schema_migrations file."""
    rows = con.execute("SELECT name FROM read_parquet(?) ORDER BY name", [parquet_path]).fetchall()
    return [r[0] for r in rows]


def apply_migrations(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """Apply exactly the named migrations (a prefix of ours, checked by the caller), in order."""
    applied_migrations(con)  # creates schema_migrations
    sql_by_name = dict(migration_files())
    for name in names:
        with unit_of_work(con):
            con.execute(sql_by_name[name])
            con.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])


def load_tables(con: duckdb.DuckDBPyConnection, parquet_by_table: dict[str, str]) -> None:
    """Replace every table's rows with its Parquet file's, in one transaction (columns matched by name).

    Raises LookupError for a table this schema does not have; DuckDB errors name the table in
    their ``habitat_table`` attribute.
    """
    known = set(table_names(con))
    unknown = sorted(set(parquet_by_table) - known)
    if unknown:
        raise LookupError(unknown)
    with unit_of_work(con):
        for table, path in sorted(parquet_by_table.items()):
            try:
                con.execute(f'DELETE FROM "{table}"')  # rows a migration seeded; the backup has them too
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet(?)', [path])
            except duckdb.Error as exc:
                exc.habitat_table = table  # type: ignore[attr-defined]
                raise


def set_sequences(con: duckdb.DuckDBPyConnection, next_values: dict[str, int]) -> None:
    """Each sequence continues after max(the backup's position, the largest id that uses it)."""
    columns = con.execute(
        "SELECT regexp_extract(column_default, 'nextval\\(''([a-z_0-9]+)''\\)', 1), table_name, column_name"
        " FROM duckdb_columns() WHERE schema_name = 'main' AND database_name = current_database()"
        " AND column_default LIKE 'nextval(%'"
    ).fetchall()
    wanted = {name: value for name, value in next_values.items() if name in next_sequence_values(con)}
    for sequence, table, column in columns:
        if not sequence:
            continue
        top = con.execute(f'SELECT max("{column}") FROM "{table}"').fetchall()[0][0]
        if top is not None:
            wanted[sequence] = max(wanted.get(sequence, 1), int(top) + 1)
    for sequence, value in sorted(wanted.items()):
        if value > 1:
            con.execute("SELECT setval(?, ?)", [sequence, value - 1])


def photo_rows(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int | None, int | None]]:
    """Stored path (display or thumbnail) -> (sha256 of the upload, width, height of the original)."""
    found: dict[str, tuple[str, int | None, int | None]] = {}
    for sha, width, height, display, thumb in con.execute(
        "SELECT sha256, width, height, display_path, thumb_path FROM photos"
    ).fetchall():
        for path in (display, thumb):
            if path:
                found[path] = (sha, width, height)
    return found


def end_restored_sessions(con: duckdb.DuckDBPyConnection) -> None:
    """Sign-in sessions and half-filled drafts are not carried over by a restore."""
    tables = set(table_names(con))
    if "sessions" in tables:
        con.execute(
            "UPDATE sessions SET revoked_at = current_timestamp, revoked_reason = 'restored'"
            " WHERE revoked_at IS NULL"
        )
    if "drafts" in tables:
        con.execute("DELETE FROM drafts")


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    tables = set(table_names(con))
    if "people" not in tables:
        return bool(tables - {"schema_migrations"})
    return (
        con.execute(
            "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM sightings) + (SELECT count(*) FROM gardens)"
        ).fetchall()[0][0]
        > 0
    )
