"""Residents' ideas, garden meetings and their follow-ups, five-principles evidence and assessments."""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db.util import one, scalar

Con = duckdb.DuckDBPyConnection
NOT_REJECTED = "s.identification_verification_status NOT LIKE 'Not accepted%'"


# ---------------------------------------------------------------------------------------- ideas


def insert_idea(
    con: Con, *, garden_id, zone_id, author_id, on_behalf_of, kind, title, body, created_at
) -> int:
    return scalar(
        con,
        "INSERT INTO ideas (garden_id, zone_id, author_id, on_behalf_of, kind, title, body, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, zone_id, author_id, on_behalf_of, kind, title, body, created_at],
    )


def idea(con: Con, idea_id: int) -> dict | None:
    cur = con.execute(
        "SELECT id, garden_id, zone_id, author_id, on_behalf_of, kind, title, body, status, status_note"
        " FROM ideas WHERE id = ?",
        [idea_id],
    )
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(cols, rows[0])) if rows else None


def set_idea_status(con: Con, idea_id: int, *, status, note, at, only_from: tuple[str, ...]) -> int:
    """Rows changed: 0 when the idea is not in one of the ``only_from`` statuses (someone was first)."""
    marks = ", ".join("?" for _ in only_from)
    return len(
        con.execute(
            f"UPDATE ideas SET status = ?, status_note = coalesce(?, status_note), status_changed_at = ?"
            f" WHERE id = ? AND status IN ({marks}) RETURNING id",
            [status, note, at, idea_id, *only_from],
        ).fetchall()
    )


def has_supported(con: Con, idea_id: int, person_id: int) -> bool:
    return bool(
        scalar(
            con, "SELECT count(*) FROM idea_support WHERE idea_id = ? AND person_id = ?", [idea_id, person_id]
        )
    )


def insert_support(con: Con, *, idea_id, person_id, at) -> int:
    return scalar(
        con,
        "INSERT INTO idea_support (idea_id, person_id, supported_at) VALUES (?, ?, ?) RETURNING id",
        [idea_id, person_id, at],
    )


def support_count(con: Con, idea_id: int) -> int:
    return int(scalar(con, "SELECT count(*) FROM idea_support WHERE idea_id = ?", [idea_id]))


def ideas(con: Con, garden_id: int, *, viewer_id: int | None, statuses: tuple[str, ...]) -> pd.DataFrame:
    """A garden's ideas, most supported first, with the viewer's own support and follow-up progress."""
    marks = ", ".join("?" for _ in statuses)
    return con.execute(
        f"""
        WITH support AS (
            SELECT idea_id, count(*) AS supporters, bool_or(person_id = ?) AS supported_by_me
            FROM idea_support GROUP BY idea_id
        ), progress AS (
            SELECT i.idea_id, count(f.id) AS followups, count(f.id) FILTER (WHERE
                (f.kind = 'task' AND EXISTS (SELECT 1 FROM task_logs l WHERE l.task_def_id = f.task_def_id
                                             AND NOT l.withdrawn AND l.done_at >= f.created_at))
                OR (f.kind = 'problem' AND EXISTS (SELECT 1 FROM problems p WHERE p.id = f.problem_id
                                                   AND p.status = 'resolved'))) AS followups_done
            FROM meeting_items i JOIN meeting_followups f ON f.item_id = i.id
            WHERE i.idea_id IS NOT NULL GROUP BY i.idea_id
        ), first_photo AS (
            SELECT idea_id, min(id) AS photo_id FROM photos WHERE idea_id IS NOT NULL AND NOT withdrawn GROUP BY idea_id
        )
        SELECT d.id, d.created_at, d.kind, d.title, d.body, d.status, d.status_note, d.on_behalf_of,
               d.author_id, a.display_name AS author, z.code AS zone_code, z.name AS zone, z.name_en AS zone_en,
               coalesce(s.supporters, 0) AS supporters, coalesce(s.supported_by_me, FALSE) AS supported_by_me,
               coalesce(p.followups, 0) AS followups, coalesce(p.followups_done, 0) AS followups_done,
               ph.thumb_path, ph.display_path
        FROM ideas d JOIN people a ON a.id = d.author_id
        LEFT JOIN zones z ON z.id = d.zone_id
        LEFT JOIN support s ON s.idea_id = d.id
        LEFT JOIN progress p ON p.idea_id = d.id
        LEFT JOIN first_photo fp ON fp.idea_id = d.id
        LEFT JOIN photos ph ON ph.id = fp.photo_id
        WHERE d.garden_id = ? AND d.status IN ({marks})
        ORDER BY CASE d.status WHEN 'on_agenda' THEN 0 WHEN 'open' THEN 1 WHEN 'decided' THEN 2 ELSE 3 END,
                 supporters DESC, d.created_at DESC
        """,
        [viewer_id, garden_id, *statuses],
    ).df()


def ideas_in_period(con: Con, garden_id: int | None, start, end) -> pd.DataFrame:
    """Ideas received in [start, end) or whose status changed in it, oldest first, with their status
    now (``received``: whether it came in during the period)."""
    return con.execute(
        """
        WITH support AS (SELECT idea_id, count(*) AS supporters FROM idea_support GROUP BY idea_id)
        SELECT d.id, d.garden_id, g.name AS garden, g.name_en AS garden_en, d.kind, d.title, d.on_behalf_of,
               d.created_at, d.status, d.status_note, d.status_changed_at, coalesce(s.supporters, 0) AS supporters,
               d.created_at >= $start AND d.created_at < $end AS received
        FROM ideas d JOIN gardens g ON g.id = d.garden_id LEFT JOIN support s ON s.idea_id = d.id
        WHERE ($garden IS NULL OR d.garden_id = $garden)
          AND ((d.created_at >= $start AND d.created_at < $end)
               OR (d.status_changed_at >= $start AND d.status_changed_at < $end))
        ORDER BY d.created_at, d.id
        """,
        {"garden": garden_id, "start": start, "end": end},
    ).df()


def idea_photos(con: Con, idea_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT id, sha256, display_path, thumb_path, width, height FROM photos"
        " WHERE idea_id = ? AND NOT withdrawn ORDER BY id",
        [idea_id],
    ).df()


# ------------------------------------------------------------------------------------- meetings


def people(con: Con) -> pd.DataFrame:
    """Active accounts, for chair, participant and owner pickers."""
    return con.execute(
        "SELECT id, display_name, role, home_garden_id FROM people WHERE active ORDER BY role, display_name"
    ).df()


def person_active(con: Con, person_id: int) -> bool:
    return bool(scalar(con, "SELECT count(*) FROM people WHERE id = ? AND active", [person_id]))


def insert_meeting(con: Con, *, garden_id, held_at, place, chair_id, notes, recorded_by, created_at) -> int:
    return scalar(
        con,
        "INSERT INTO meetings (garden_id, held_at, place, chair_id, notes, recorded_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, held_at, place, chair_id, notes, recorded_by, created_at],
    )


def insert_participant(con: Con, *, meeting_id, person_id, name, role) -> int:
    return scalar(
        con,
        "INSERT INTO meeting_participants (meeting_id, person_id, name, role) VALUES (?, ?, ?, ?) RETURNING id",
        [meeting_id, person_id, name, role],
    )


def insert_item(con: Con, *, meeting_id, position, idea_id, title, discussion, decision) -> int:
    return scalar(
        con,
        "INSERT INTO meeting_items (meeting_id, position, idea_id, title, discussion, decision)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [meeting_id, position, idea_id, title, discussion, decision],
    )


def item(con: Con, item_id: int) -> dict | None:
    cur = con.execute(
        "SELECT i.id, i.meeting_id, i.idea_id, i.title, i.decision, m.garden_id"
        " FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE i.id = ?",
        [item_id],
    )
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(cols, rows[0])) if rows else None


def insert_followup(
    con: Con,
    *,
    item_id,
    meeting_id,
    kind,
    task_def_id,
    problem_id,
    title,
    owner_id,
    due_on,
    created_by,
    created_at,
) -> int:
    return scalar(
        con,
        "INSERT INTO meeting_followups (item_id, meeting_id, kind, task_def_id, problem_id, title, owner_id, due_on,"
        " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [item_id, meeting_id, kind, task_def_id, problem_id, title, owner_id, due_on, created_by, created_at],
    )


def meetings(con: Con, garden_id: int | None) -> pd.DataFrame:
    return con.execute(
        """SELECT m.id, m.garden_id, g.name AS garden, g.name_en AS garden_en, m.held_at, m.place, m.notes,
                  c.display_name AS chair,
                  (SELECT count(*) FROM meeting_participants p WHERE p.meeting_id = m.id) AS participants,
                  (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id) AS items
           FROM meetings m JOIN gardens g ON g.id = m.garden_id LEFT JOIN people c ON c.id = m.chair_id
           WHERE (? IS NULL OR m.garden_id = ?) ORDER BY m.held_at DESC, m.id DESC""",
        [garden_id, garden_id],
    ).df()


def participants(con: Con, meeting_id: int) -> pd.DataFrame:
    return con.execute(
        "SELECT id, person_id, name, role FROM meeting_participants WHERE meeting_id = ? ORDER BY id",
        [meeting_id],
    ).df()


def items(con: Con, meeting_id: int | None = None, garden_id: int | None = None) -> pd.DataFrame:
    return con.execute(
        """SELECT i.id, i.meeting_id, i.position, i.idea_id, i.title, i.discussion, i.decision, m.held_at,
                  m.garden_id, CASE WHEN d.on_behalf_of IS NULL THEN d.author_id END AS proposer_id
           FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id LEFT JOIN ideas d ON d.id = i.idea_id
           WHERE (? IS NULL OR i.meeting_id = ?) AND (? IS NULL OR m.garden_id = ?)
           ORDER BY m.held_at DESC, i.position""",
        [meeting_id, meeting_id, garden_id, garden_id],
    ).df()


def followups(con: Con, *, garden_id: int | None = None, meeting_id: int | None = None) -> pd.DataFrame:
    """Follow-ups with when they were done: a task's first log after the follow-up was created,
    a problem's resolution."""
    return con.execute(
        """
        SELECT f.id, f.meeting_id, f.item_id, f.kind, f.task_def_id, f.problem_id, f.title, f.due_on,
               f.created_at, o.display_name AS owner, m.held_at, m.garden_id, g.name AS garden,
               g.name_en AS garden_en, i.title AS item, i.decision,
               CASE f.kind
                 WHEN 'task' THEN (SELECT min(l.done_at) FROM task_logs l WHERE l.task_def_id = f.task_def_id
                                   AND NOT l.withdrawn AND l.done_at >= f.created_at)
                 ELSE (SELECT p.resolved_at FROM problems p WHERE p.id = f.problem_id AND p.status = 'resolved')
               END AS done_at
        FROM meeting_followups f
        JOIN meetings m ON m.id = f.meeting_id JOIN gardens g ON g.id = m.garden_id
        JOIN meeting_items i ON i.id = f.item_id
        LEFT JOIN people o ON o.id = f.owner_id
        WHERE (? IS NULL OR m.garden_id = ?) AND (? IS NULL OR f.meeting_id = ?)
        ORDER BY f.due_on, f.id
        """,
        [garden_id, garden_id, meeting_id, meeting_id],
    ).df()


def decided_items(con: Con, garden_id: int | None) -> int:
    return int(
        scalar(
            con,
            "SELECT count(*) FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id"
            " WHERE coalesce(trim(i.decision), '') <> '' AND (? IS NULL OR m.garden_id = ?)",
            [garden_id, garden_id],
        )
    )


# ------------------------------------------------------------------------------ five principles


def fill_plant_layers(con: Con) -> int:
    """Copy the shipped layers into species rows that have none (a checklist loaded after migration 0003)."""
    return len(
        con.execute(
            "UPDATE species SET plant_layer = d.plant_layer FROM plant_layer_defaults d"
            " WHERE species.scientific_name = d.scientific_name AND species.plant_layer IS NULL RETURNING species.id"
        ).fetchall()
    )


def plant_inventory(con: Con, garden_id: int, since, until) -> pd.DataFrame:
    """Plant species (species rank) recorded in a garden in [since, until): planted and wild."""
    return con.execute(
        f"""
        SELECT sp.id AS species_id, sp.chinese_name, sp.scientific_name, sp.native, sp.invasive,
               coalesce(sp.plant_layer, d.plant_layer) AS plant_layer, count(*) AS records,
               bool_or(s.degree_of_establishment = 'cultivated') AS planted
        FROM sightings s JOIN species sp ON sp.id = s.species_id
        LEFT JOIN plant_layer_defaults d ON d.scientific_name = sp.scientific_name
        WHERE s.garden_id = ? AND NOT s.withdrawn AND {NOT_REJECTED}
          AND sp.group_name = 'plant' AND sp.taxon_rank IN ('species', 'subspecies')
          AND s.event_date >= ? AND s.event_date < ?
        GROUP BY ALL ORDER BY sp.chinese_name
        """,
        [garden_id, since, until],
    ).df()


def invasive_sightings(con: Con, garden_id: int, start, end) -> tuple[int, int, int]:
    """(invasive plant sightings, invasive plant species, invasive animal sightings) in [start, end)."""
    row = one(
        con,
        f"""SELECT count(*) FILTER (WHERE sp.group_name = 'plant'),
                   count(DISTINCT sp.id) FILTER (WHERE sp.group_name = 'plant'),
                   count(*) FILTER (WHERE sp.group_name <> 'plant')
            FROM sightings s JOIN species sp ON sp.id = s.species_id
            WHERE s.garden_id = ? AND NOT s.withdrawn AND {NOT_REJECTED} AND sp.invasive
              AND s.event_date >= ? AND s.event_date < ?""",
        [garden_id, start, end],
    )
    return int(row[0]), int(row[1]), int(row[2])


def sightings_in(con: Con, garden_id: int, start, end) -> int:
    """Records (sightings, not withdrawn, not rejected) of a garden in [start, end): how well a
    season is recorded."""
    return int(
        scalar(
            con,
            f"""SELECT count(*) FROM sightings s WHERE s.garden_id = ? AND NOT s.withdrawn AND {NOT_REJECTED}
                AND s.event_date >= ? AND s.event_date < ?""",
            [garden_id, start, end],
        )
    )


def invasive_removals(con: Con, garden_id: int, start, end) -> int:
    """Invasive-removal upkeep logs plus invasive-plant problems resolved in [start, end)."""
    return int(
        scalar(
            con,
            """SELECT (SELECT count(*) FROM task_logs WHERE garden_id = ? AND kind = 'invasive_removal'
                   AND NOT withdrawn AND done_at >= ? AND done_at < ?)
                + (SELECT count(*) FROM problems WHERE garden_id = ? AND kind = 'invasive_plant'
                   AND status = 'resolved' AND resolved_at >= ? AND resolved_at < ?)""",
            [garden_id, start, end, garden_id, start, end],
        )
    )


def chemical_logs(con: Con, garden_id: int | None, start, end) -> pd.DataFrame:
    """Pesticide and fertiliser logs in [start, end), with product and amount."""
    return con.execute(
        """SELECT l.id, l.garden_id, g.name AS garden, g.name_en AS garden_en, l.done_at, l.kind, l.product,
                  l.amount, l.note, z.code AS zone_code, z.name AS zone, z.name_en AS zone_en,
                  p.display_name AS done_by
           FROM task_logs l JOIN gardens g ON g.id = l.garden_id LEFT JOIN zones z ON z.id = l.zone_id
           JOIN people p ON p.id = l.done_by
           WHERE l.kind IN ('pesticide', 'fertiliser') AND NOT l.withdrawn
             AND (? IS NULL OR l.garden_id = ?) AND l.done_at >= ? AND l.done_at < ?
           ORDER BY l.done_at DESC""",
        [garden_id, garden_id, start, end],
    ).df()


def wildlife_features(con: Con, garden_id: int) -> pd.DataFrame:
    """Active features that provide food, water or shelter, with their condition."""
    return con.execute(
        "SELECT id, kind, name, condition, provides FROM features"
        " WHERE garden_id = ? AND active AND coalesce(provides, '') <> '' ORDER BY kind, name",
        [garden_id],
    ).df()


def assessment(con: Con, garden_id: int, season: str, principle: int) -> dict | None:
    cur = con.execute(
        "SELECT id, score, suggested_score, note, evidence FROM principle_assessments"
        " WHERE garden_id = ? AND season = ? AND principle = ?",
        [garden_id, season, principle],
    )
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(cols, rows[0])) if rows else None


def insert_assessment(
    con: Con,
    *,
    garden_id,
    season,
    principle,
    score,
    suggested_score,
    evidence,
    note,
    assessed_by,
    assessed_at,
) -> int:
    return scalar(
        con,
        "INSERT INTO principle_assessments (garden_id, season, principle, score, suggested_score, evidence, note,"
        " assessed_by, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [garden_id, season, principle, score, suggested_score, evidence, note, assessed_by, assessed_at],
    )


def update_assessment(
    con: Con, assessment_id: int, *, score, suggested_score, evidence, note, assessed_by, assessed_at
) -> None:
    con.execute(
        "UPDATE principle_assessments SET score = ?, suggested_score = ?, evidence = ?, note = ?,"
        " assessed_by = ?, assessed_at = ? WHERE id = ?",
        [score, suggested_score, evidence, note, assessed_by, assessed_at, assessment_id],
    )


def assessments(con: Con, garden_id: int | None = None, season: str | None = None) -> pd.DataFrame:
    return con.execute(
        """SELECT a.id, a.garden_id, g.slug, g.name AS garden, g.name_en AS garden_en, a.season, a.principle,
                  a.score, a.suggested_score, a.note, a.evidence, p.display_name AS assessed_by, a.assessed_at
           FROM principle_assessments a JOIN gardens g ON g.id = a.garden_id
           LEFT JOIN people p ON p.id = a.assessed_by
           WHERE g.active AND (? IS NULL OR a.garden_id = ?) AND (? IS NULL OR a.season = ?)
           ORDER BY g.id, a.season, a.principle""",
        [garden_id, garden_id, season, season],
    ).df()
