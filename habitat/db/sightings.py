"""Sightings, their identifications, photos and comment threads."""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db.util import insert_frame, one, scalar
from habitat.domain.records import SIGHTING

# Derived from the declaration (habitat.domain.records): a column added there is inserted and
# updated here without another list to keep in step.
SIGHTING_FIELDS = SIGHTING.columns
EDITABLE_FIELDS = SIGHTING.editable


def insert_sighting(con: duckdb.DuckDBPyConnection, values: dict) -> int:
    cols = [c for c in SIGHTING_FIELDS if c in values]
    sql = f"INSERT INTO sightings ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
    return scalar(con, sql, [values[c] for c in cols])


def insert_identification(
    con, *, sighting_id, species_id, identified_by, identified_at, by_expert=False, remark=None
) -> int:
    return scalar(
        con,
        "INSERT INTO identifications (sighting_id, species_id, identified_by, identified_at, by_expert, remark)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [sighting_id, species_id, identified_by, identified_at, by_expert, remark],
    )


def insert_photo(con, values: dict) -> int:
    cols = list(values)
    sql = f"INSERT INTO photos ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
    return scalar(con, sql, [values[c] for c in cols])


def photo_in_use(con, sha256: str) -> tuple | None:
    """(photo id, sighting id, task_log id, problem id, question id) of a live photo with this content."""
    return one(
        con,
        """SELECT p.id, p.sighting_id, p.task_log_id, p.problem_id, p.question_id FROM photos p
           LEFT JOIN sightings s ON s.id = p.sighting_id
           WHERE p.sha256 = ? AND NOT p.withdrawn AND (s.id IS NULL OR NOT s.withdrawn)
           ORDER BY p.id LIMIT 1""",
        [sha256],
    )


def sightings_with_photo(con, sha256: str) -> list[tuple[int, int | None]]:
    """(sighting id, species id) of every live sighting that has a live photo with this content."""
    return con.execute(
        """SELECT DISTINCT s.id, s.species_id FROM photos p JOIN sightings s ON s.id = p.sighting_id
           WHERE p.sha256 = ? AND NOT p.withdrawn AND NOT s.withdrawn ORDER BY s.id""",
        [sha256],
    ).fetchall()


def paths_in_use(con, sha256: str) -> int:
    return scalar(con, "SELECT count(*) FROM photos WHERE sha256 = ?", [sha256])


def get(con, sighting_id: int) -> dict | None:
    cur = con.execute(
        """SELECT s.*, sp.chinese_name, sp.english_name, sp.scientific_name, sp.group_name, sp.sensitive,
                  sp.difficulty, sp.usual_months, g.name AS garden, g.slug AS garden_slug, z.name AS zone,
                  z.code AS zone_code
           FROM sightings s JOIN gardens g ON g.id = s.garden_id
           LEFT JOIN species sp ON sp.id = s.species_id LEFT JOIN zones z ON z.id = s.zone_id
           WHERE s.id = ?""",
        [sighting_id],
    )
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(cols, rows[0])) if rows else None


def update(con, sighting_id: int, expected_version: int, changes: dict, at) -> int:
    """Apply changes only if nobody changed the record since ``expected_version``; returns rows changed."""
    cols = [c for c in EDITABLE_FIELDS if c in changes]
    sets = ", ".join(f"{c} = ?" for c in cols)
    sql = (
        f"UPDATE sightings SET {sets}{', ' if sets else ''}version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ? AND NOT withdrawn RETURNING id"
    )
    return len(con.execute(sql, [changes[c] for c in cols] + [at, sighting_id, expected_version]).fetchall())


def withdraw(con, sighting_id: int, expected_version: int, at) -> int:
    return len(
        con.execute(
            "UPDATE sightings SET withdrawn = TRUE, withdrawn_at = ?, version = version + 1, updated_at = ?"
            " WHERE id = ? AND version = ? AND NOT withdrawn RETURNING id",
            [at, at, sighting_id, expected_version],
        ).fetchall()
    )


def withdraw_photos(con, sighting_id: int) -> None:
    con.execute("UPDATE photos SET withdrawn = TRUE WHERE sighting_id = ?", [sighting_id])


def photos_for(con, *, sighting_id=None, task_log_id=None, problem_id=None, question_id=None) -> pd.DataFrame:
    return con.execute(
        """SELECT id, sha256, display_path, thumb_path, width, height, taken_at, private_lat, private_lon
           FROM photos WHERE NOT withdrawn AND (sighting_id = ? OR task_log_id = ? OR problem_id = ? OR question_id = ?)
           ORDER BY id""",
        [sighting_id, task_log_id, problem_id, question_id],
    ).df()


def my_sightings(con, person_id: int, limit: int = 200) -> pd.DataFrame:
    return con.execute(
        """SELECT s.id, s.version, s.event_date, g.name AS garden, z.name AS zone, z.name_en AS zone_en,
                  sp.chinese_name, sp.english_name, sp.scientific_name, s.verbatim_identification,
                  s.individual_count, s.life_stage, s.note, s.identification_verification_status AS status,
                  s.queried, s.verified_at,
                  (SELECT count(*) FROM photos p WHERE p.sighting_id = s.id AND NOT p.withdrawn) AS photos,
                  (SELECT max(c.body) FILTER (WHERE c.kind = 'query') FROM comments c WHERE c.sighting_id = s.id) AS last_query
           FROM sightings s JOIN gardens g ON g.id = s.garden_id
           LEFT JOIN zones z ON z.id = s.zone_id LEFT JOIN species sp ON sp.id = s.species_id
           WHERE s.recorded_by = ? AND NOT s.withdrawn
           ORDER BY s.event_date DESC LIMIT ?""",
        [person_id, limit],
    ).df()


def comments(con, sighting_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT c.id, c.created_at, c.kind, c.body, p.display_name AS author, p.role
           FROM comments c JOIN people p ON p.id = c.author_id WHERE c.sighting_id = ? ORDER BY c.id""",
        [sighting_id],
    ).df()


def insert_comment(con, *, sighting_id, author_id, created_at, kind, body) -> int:
    return scalar(
        con,
        "INSERT INTO comments (sighting_id, author_id, created_at, kind, body) VALUES (?, ?, ?, ?, ?) RETURNING id",
        [sighting_id, author_id, created_at, kind, body],
    )


def set_queried(con, sighting_id: int, queried: bool) -> None:
    con.execute("UPDATE sightings SET queried = ? WHERE id = ?", [queried, sighting_id])


def bulk_insert(con, frame: pd.DataFrame) -> int:
    return insert_frame(con, "sightings", frame)
