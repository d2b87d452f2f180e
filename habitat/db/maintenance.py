"""Integrity checks, and the database half of backup and restore."""

from __future__ import annotations

import duckdb

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
    return [r[0] for r in con.execute(
        "SELECT s.id FROM sightings s WHERE NOT EXISTS (SELECT 1 FROM identifications i WHERE i.sighting_id = s.id) LIMIT 100"
    ).fetchall()]


def photo_paths(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT display_path, thumb_path FROM photos").fetchall()
    return {p for r in rows for p in r if p}


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()]


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in table_names(con)}


def export_database(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    con.execute(f"EXPORT DATABASE '{_quote(folder)}' (FORMAT parquet)")


def import_database(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    con.execute(f"IMPORT DATABASE '{_quote(folder)}'")


def _quote(path: str) -> str:
    # EXPORT/IMPORT DATABASE take no bound parameters; the path comes from the operator's command line.
    return path.replace("'", "''")


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    tables = set(table_names(con))
    if "people" not in tables:
        return bool(tables - {"schema_migrations"})
    return con.execute("SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM sightings) + (SELECT count(*) FROM gardens)").fetchall()[0][0] > 0
