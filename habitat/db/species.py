"""The species checklist."""

from __future__ import annotations

import duckdb

from habitat.db.util import one, scalar
import pandas as pd

from habitat.domain.taxa import Taxon

CHECKLIST_COLUMNS = [
    "scientific_name",
    "chinese_name",
    "pinyin",
    "pinyin_initials",
    "english_name",
    "group_name",
    "taxon_rank",
    "kingdom",
    "class_name",
    "synonyms",
    "native",
    "invasive",
    "invasive_action",
    "protected_class",
    "sensitive",
    "difficulty",
    "usual_months",
    "garden_common",
]


def insert_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> int:
    """Bulk insert checklist rows (columns as CHECKLIST_COLUMNS) through a DataFrame."""
    cols = ", ".join(CHECKLIST_COLUMNS)
    con.register("checklist_frame", frame[CHECKLIST_COLUMNS])
    try:
        con.execute(f"INSERT INTO species ({cols}) SELECT {cols} FROM checklist_frame")
    finally:
        con.unregister("checklist_frame")
    return len(frame)


def all_taxa(con: duckdb.DuckDBPyConnection) -> list[Taxon]:
    rows = con.execute(
        "SELECT id, scientific_name, chinese_name, coalesce(english_name, ''), group_name, taxon_rank,"
        " coalesce(pinyin, ''), coalesce(pinyin_initials, ''), coalesce(synonyms, '')"
        " FROM species WHERE accepted_id IS NULL ORDER BY group_name, chinese_name"
    ).fetchall()
    return [Taxon(*r) for r in rows]


def frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT id, chinese_name, scientific_name, english_name, group_name, taxon_rank, synonyms,"
        " native, invasive, invasive_action, protected_class, sensitive, difficulty, usual_months,"
        " garden_common, accepted_id FROM species ORDER BY group_name, chinese_name"
    ).df()


def by_id(con: duckdb.DuckDBPyConnection, species_id: int):
    return one(
        con,
        "SELECT id, scientific_name, chinese_name, english_name, group_name, taxon_rank, invasive,"
        " invasive_action, sensitive, difficulty, usual_months FROM species WHERE id = ?",
        [species_id],
    )


def id_by_name(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    """Find a taxon by Chinese name, scientific name or synonym (for imports)."""
    row = one(
        con,
        "SELECT coalesce(accepted_id, id) FROM species WHERE chinese_name = ? OR lower(scientific_name) = lower(?)"
        " OR list_contains(string_split(lower(coalesce(synonyms, '')), '|'), lower(?)) ORDER BY id LIMIT 1",
        [name, name, name],
    )
    return row[0] if row else None


def count(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT count(*) FROM species")


EDITABLE = (
    "chinese_name",
    "pinyin",
    "pinyin_initials",
    "english_name",
    "group_name",
    "taxon_rank",
    "kingdom",
    "synonyms",
    "native",
    "invasive",
    "invasive_action",
    "protected_class",
    "sensitive",
    "difficulty",
    "usual_months",
)


def insert_one(con: duckdb.DuckDBPyConnection, values: dict) -> int:
    cols = ["scientific_name"] + [c for c in EDITABLE if c in values]
    sql = f"INSERT INTO species ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
    return scalar(con, sql, [values[c] for c in cols])


def update_fields(con: duckdb.DuckDBPyConnection, species_id: int, values: dict, at) -> None:
    cols = [c for c in EDITABLE if c in values]
    if not cols:
        return
    sets = ", ".join(f"{c} = ?" for c in cols)
    con.execute(
        f"UPDATE species SET {sets}, updated_at = ? WHERE id = ?",
        [values[c] for c in cols] + [at, species_id],
    )


def row_dict(con: duckdb.DuckDBPyConnection, species_id: int) -> dict | None:
    cur = con.execute("SELECT * FROM species WHERE id = ?", [species_id])
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(cols, rows[0])) if rows else None


def id_by_scientific(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    return scalar(con, "SELECT id FROM species WHERE lower(scientific_name) = lower(?)", [name])


def merge_into(con: duckdb.DuckDBPyConnection, duplicate_id: int, accepted_id: int, synonyms: str, at) -> int:
    """Records follow the accepted name; the duplicate stays as a pointer (its name becomes a synonym)."""
    moved = len(
        con.execute(
            "UPDATE sightings SET species_id = ?, version = version + 1, updated_at = ? WHERE species_id = ? RETURNING id",
            [accepted_id, at, duplicate_id],
        ).fetchall()
    )
    con.execute("UPDATE identifications SET species_id = ? WHERE species_id = ?", [accepted_id, duplicate_id])
    con.execute("UPDATE questions SET species_id = ? WHERE species_id = ?", [accepted_id, duplicate_id])
    con.execute(
        "UPDATE species SET accepted_id = ?, updated_at = ? WHERE id = ?", [accepted_id, at, duplicate_id]
    )
    con.execute("UPDATE species SET synonyms = ?, updated_at = ? WHERE id = ?", [synonyms, at, accepted_id])
    return moved
