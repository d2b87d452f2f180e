"""Problem reports and questions to the experts ("is this a weed?")."""

from __future__ import annotations

import pandas as pd

from habitat.db.util import one, scalar


def insert_problem(con, *, garden_id, zone_id, kind, description, reported_by, reported_at) -> int:
    return scalar(
        con,
        "INSERT INTO problems (garden_id, zone_id, kind, description, reported_by, reported_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, zone_id, kind, description, reported_by, reported_at],
    )


def problem(con, problem_id: int):
    return one(con, "SELECT id, garden_id, status, description FROM problems WHERE id = ?", [problem_id])


def resolve_problem(con, problem_id: int, *, resolved_by, resolved_at, resolution) -> int:
    return len(
        con.execute(
            "UPDATE problems SET status = 'resolved', resolved_by = ?, resolved_at = ?, resolution = ?"
            " WHERE id = ? AND status = 'open' RETURNING id",
            [resolved_by, resolved_at, resolution, problem_id],
        ).fetchall()
    )


def problems(con, *, garden_id=None, status: str | None = "open") -> pd.DataFrame:
    return con.execute(
        """SELECT p.id, p.reported_at, g.name AS garden, z.name AS zone, p.kind, p.description,
                  r.display_name AS reported_by, p.status, p.resolved_at, p.resolution
           FROM problems p JOIN gardens g ON g.id = p.garden_id LEFT JOIN zones z ON z.id = p.zone_id
           JOIN people r ON r.id = p.reported_by
           WHERE (? IS NULL OR p.garden_id = ?) AND (? IS NULL OR p.status = ?)
           ORDER BY p.reported_at""",
        [garden_id, garden_id, status, status],
    ).df()


def insert_question(con, *, garden_id, zone_id, asked_by, asked_at, body) -> int:
    return scalar(
        con,
        "INSERT INTO questions (garden_id, zone_id, asked_by, asked_at, body) VALUES (?, ?, ?, ?, ?) RETURNING id",
        [garden_id, zone_id, asked_by, asked_at, body],
    )


def answer_question(con, question_id: int, *, species_id, verdict, answer, answered_by, answered_at) -> int:
    return len(
        con.execute(
            "UPDATE questions SET species_id = ?, verdict = ?, answer = ?, answered_by = ?, answered_at = ?,"
            " seen_by_asker = FALSE WHERE id = ? AND answer IS NULL RETURNING id",
            [species_id, verdict, answer, answered_by, answered_at, question_id],
        ).fetchall()
    )


def questions(con, *, asked_by=None, unanswered_only=False) -> pd.DataFrame:
    return con.execute(
        """SELECT q.id, q.asked_at, g.name AS garden, z.name AS zone, q.body, a.display_name AS asked_by,
                  q.verdict, q.answer, e.display_name AS answered_by, q.answered_at,
                  sp.chinese_name, sp.scientific_name, q.seen_by_asker
           FROM questions q JOIN gardens g ON g.id = q.garden_id LEFT JOIN zones z ON z.id = q.zone_id
           JOIN people a ON a.id = q.asked_by LEFT JOIN people e ON e.id = q.answered_by
           LEFT JOIN species sp ON sp.id = q.species_id
           WHERE (? IS NULL OR q.asked_by = ?) AND (NOT ? OR q.answer IS NULL)
           ORDER BY q.asked_at DESC""",
        [asked_by, asked_by, unanswered_only],
    ).df()


def mark_answers_seen(con, person_id: int) -> None:
    con.execute(
        "UPDATE questions SET seen_by_asker = TRUE WHERE asked_by = ? AND answer IS NOT NULL", [person_id]
    )
