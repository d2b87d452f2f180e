"""A person's inbox: what happened to her records and questions, and when she last marked it read.

Items come from the tables that already hold them (nothing is copied): ``verifications`` (an expert's or
the machine's decision on her record), ``comments`` (a question or remark of someone else on her record)
and ``questions`` (her "is this a weed?" question answered). Only her own, not withdrawn, records.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db.util import scalar
from habitat.domain.verification import ACCEPTED, NOT_ACCEPTED

# kinds of item, newest first in `items`
ACCEPTED_KIND, REJECTED_KIND, PLAUSIBLE_KIND, QUERIED_KIND, ANSWERED_KIND = (
    "accepted",
    "rejected",
    "plausible",
    "queried",
    "answered",
)


def items(con: duckdb.DuckDBPyConnection, person_id: int, *, since=None, limit: int = 50) -> pd.DataFrame:
    """Items after ``since`` (all when None), newest first: kind, at, sighting_id, question_id, who
    (display name; None for a machine decision), body (remark, comment or answer), verdict (answers),
    waiting (a query she has not answered yet), species names and the record's event date."""
    return con.execute(
        """
        WITH mine AS (
            SELECT id FROM sightings WHERE recorded_by = ? AND NOT withdrawn
        ), found AS (
            SELECT CASE WHEN v.status IN (SELECT unnest(?::VARCHAR[])) THEN ?
                        WHEN v.status IN (SELECT unnest(?::VARCHAR[])) THEN ?
                        ELSE ? END AS kind,
                   v.decided_at AS at, v.sighting_id, NULL::BIGINT AS question_id, v.decided_by AS by_id,
                   v.remark AS body, NULL::VARCHAR AS verdict, v.id AS n
            FROM verifications v JOIN mine m ON m.id = v.sighting_id
            WHERE ?::TIMESTAMPTZ IS NULL OR v.decided_at > ?
            UNION ALL
            SELECT ?, c.created_at, c.sighting_id, NULL, c.author_id, c.body, NULL, c.id
            FROM comments c JOIN mine m ON m.id = c.sighting_id
            WHERE c.author_id <> ? AND c.kind IN ('query', 'comment')
              AND (?::TIMESTAMPTZ IS NULL OR c.created_at > ?)
            UNION ALL
            SELECT ?, q.answered_at, NULL, q.id, q.answered_by, q.answer, q.verdict, q.id
            FROM questions q
            WHERE q.asked_by = ? AND q.answer IS NOT NULL AND (?::TIMESTAMPTZ IS NULL OR q.answered_at > ?)
        )
        SELECT f.kind, f.at, f.sighting_id, f.question_id, p.display_name AS who, f.body, f.verdict,
               coalesce(f.kind = ? AND s.queried, FALSE) AS waiting,
               sp.chinese_name, sp.english_name, s.verbatim_identification, s.event_date,
               q.body AS question
        FROM found f LEFT JOIN people p ON p.id = f.by_id
        LEFT JOIN sightings s ON s.id = f.sighting_id LEFT JOIN species sp ON sp.id = s.species_id
        LEFT JOIN questions q ON q.id = f.question_id
        ORDER BY f.at DESC, f.kind, f.n DESC
        LIMIT ?
        """,
        [
            person_id,
            list(ACCEPTED),
            ACCEPTED_KIND,
            list(NOT_ACCEPTED),
            REJECTED_KIND,
            PLAUSIBLE_KIND,
            since,
            since,
            QUERIED_KIND,
            person_id,
            since,
            since,
            ANSWERED_KIND,
            person_id,
            since,
            since,
            QUERIED_KIND,
            limit,
        ],
    ).df()


def seen_at(con: duckdb.DuckDBPyConnection, person_id: int):
    """When she last marked her inbox read, or None."""
    return scalar(con, "SELECT inbox_seen_at FROM people WHERE id = ?", [person_id])


def set_seen_at(con: duckdb.DuckDBPyConnection, person_id: int, at) -> None:
    con.execute("UPDATE people SET inbox_seen_at = ? WHERE id = ?", [at, person_id])
