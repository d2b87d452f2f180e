"""Queries for expert review: the queue, a record's history, decisions with version checks."""

from __future__ import annotations

import pandas as pd

from habitat.db.util import one, scalar
from habitat.domain.verification import ACCEPTED, UNCONFIRMED_NOT_REVIEWED


def queue(
    con,
    *,
    statuses: list[str],
    groups: list[str],
    garden_id: int | None = None,
    recorder_id: int | None = None,
    older_than=None,
    newer_than=None,
    has_photo: bool | None = None,
    species_id: int | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """Records to review, oldest first. Empty ``groups`` means all; unidentified records always show."""
    return con.execute(
        """
        SELECT s.id, s.version, s.event_date, s.created_at, s.garden_id, g.name AS garden, z.name AS zone,
               z.name_en AS zone_en, s.species_id, sp.chinese_name, sp.english_name, sp.scientific_name,
               coalesce(sp.group_name, 'unknown') AS group_name, sp.difficulty, s.verbatim_identification,
               s.individual_count, s.life_stage, s.identification_verification_status AS status, s.queried,
               s.outside_garden, p.display_name AS recorder,
               (SELECT count(*) FROM photos ph WHERE ph.sighting_id = s.id AND NOT ph.withdrawn) AS photos
        FROM sightings s JOIN gardens g ON g.id = s.garden_id
        LEFT JOIN zones z ON z.id = s.zone_id LEFT JOIN species sp ON sp.id = s.species_id
        JOIN people p ON p.id = s.recorded_by
        WHERE NOT s.withdrawn
          AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
          AND (len(?::VARCHAR[]) = 0 OR coalesce(sp.group_name, 'unknown') IN (SELECT unnest(?::VARCHAR[]))
               OR sp.taxon_rank NOT IN ('species', 'subspecies', 'genus') OR s.species_id IS NULL)
          AND (? IS NULL OR s.garden_id = ?)
          AND (? IS NULL OR s.recorded_by = ?)
          AND (? IS NULL OR s.created_at <= ?)
          AND (? IS NULL OR s.created_at >= ?)
          AND (? IS NULL OR s.species_id = ?)
          AND (?::BOOLEAN IS NULL OR EXISTS (SELECT 1 FROM photos ph WHERE ph.sighting_id = s.id AND NOT ph.withdrawn) = ?)
        ORDER BY s.created_at, s.id
        LIMIT ?
        """,
        [
            statuses,
            groups,
            groups,
            garden_id,
            garden_id,
            recorder_id,
            recorder_id,
            older_than,
            older_than,
            newer_than,
            newer_than,
            species_id,
            species_id,
            has_photo,
            has_photo,
            limit,
        ],
    ).df()


def status_counts(con, groups: list[str]) -> pd.DataFrame:
    return con.execute(
        """
        SELECT s.identification_verification_status AS status, count(*) AS records
        FROM sightings s LEFT JOIN species sp ON sp.id = s.species_id
        WHERE NOT s.withdrawn AND (len(?::VARCHAR[]) = 0 OR coalesce(sp.group_name, 'unknown') IN (SELECT unnest(?::VARCHAR[]))
              OR s.species_id IS NULL)
        GROUP BY 1 ORDER BY 2 DESC
        """,
        [groups, groups],
    ).df()


def identifications(con, sighting_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT i.id, i.identified_at, p.display_name AS who, p.role, i.by_expert, i.species_id,
                  sp.chinese_name, sp.scientific_name, i.remark
           FROM identifications i JOIN people p ON p.id = i.identified_by LEFT JOIN species sp ON sp.id = i.species_id
           WHERE i.sighting_id = ? ORDER BY i.id""",
        [sighting_id],
    ).df()


def verifications(con, sighting_id: int) -> pd.DataFrame:
    return con.execute(
        """SELECT v.decided_at, v.status, v.machine, p.display_name AS who, v.remark
           FROM verifications v LEFT JOIN people p ON p.id = v.decided_by WHERE v.sighting_id = ? ORDER BY v.id""",
        [sighting_id],
    ).df()


def visit_effort(con, visit_id: int | None):
    if visit_id is None:
        return None
    return one(
        con,
        """SELECT protocol, started_at, ended_at, observer_count, weather, temperature_c, sun_pct, complete_checklist
           FROM visits WHERE id = ?""",
        [visit_id],
    )


def decide(
    con,
    sighting_id: int,
    expected_version: int,
    *,
    status,
    decided_by,
    decided_at,
    species_id,
    machine=False,
    remark=None,
) -> bool:
    """Set the decision if the record is still at ``expected_version``; also logs it in verifications."""
    changed = con.execute(
        """UPDATE sightings SET identification_verification_status = ?, verified_by = ?, verified_at = ?,
                  species_id = ?, version = version + 1, updated_at = ?
           WHERE id = ? AND version = ? AND NOT withdrawn RETURNING id""",
        [status, decided_by, decided_at, species_id, decided_at, sighting_id, expected_version],
    ).fetchall()
    if not changed:
        return False
    con.execute(
        "INSERT INTO verifications (sighting_id, status, decided_by, decided_at, machine, remark) VALUES (?, ?, ?, ?, ?, ?)",
        [sighting_id, status, decided_by, decided_at, machine, remark],
    )
    return True


def set_species(con, sighting_id: int, species_id: int | None, at) -> None:
    con.execute(
        "UPDATE sightings SET species_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
        [species_id, at, sighting_id],
    )


def version(con, sighting_id: int) -> int | None:
    return scalar(con, "SELECT version FROM sightings WHERE id = ?", [sighting_id])


def accepted_months(con, species_id: int) -> set[int]:
    rows = con.execute(
        "SELECT DISTINCT month(event_date) FROM sightings WHERE species_id = ? AND NOT withdrawn"
        " AND identification_verification_status IN (SELECT unnest(?::VARCHAR[]))",
        [species_id, list(ACCEPTED)],
    ).fetchall()
    return {r[0] for r in rows}


def earlier_in_garden(con, species_id: int, garden_id: int, sighting_id: int) -> int:
    return scalar(
        con,
        "SELECT count(*) FROM sightings WHERE species_id = ? AND garden_id = ? AND id <> ? AND NOT withdrawn"
        " AND identification_verification_status IN (SELECT unnest(?::VARCHAR[]))",
        [species_id, garden_id, sighting_id, list(ACCEPTED)],
    )


def count_quantile(con, species_id: int, q: float = 0.95) -> tuple[int, float | None]:
    row = one(
        con,
        "SELECT count(individual_count), quantile_cont(individual_count, ?) FROM sightings WHERE species_id = ?"
        " AND NOT withdrawn AND individual_count IS NOT NULL"
        " AND identification_verification_status IN (SELECT unnest(?::VARCHAR[]))",
        [q, species_id, list(ACCEPTED)],
    )
    return row[0], row[1]


def get_setting(con, key: str) -> str | None:
    return scalar(con, "SELECT value FROM app_settings WHERE key = ?", [key])


def set_setting(con, key: str, value: str, by: int, at) -> None:
    con.execute(
        "INSERT INTO app_settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [key, value, by, at],
    )


def easy_candidates(con, statuses: list[str]) -> pd.DataFrame:
    """Unreviewed records of difficulty-1 taxa that have a photo (auto-accept candidates)."""
    return con.execute(
        """SELECT s.id, s.version, s.species_id FROM sightings s JOIN species sp ON sp.id = s.species_id
           WHERE NOT s.withdrawn AND sp.difficulty = 1 AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
             AND EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id AND NOT p.withdrawn)""",
        [statuses],
    ).df()


def expert_agrees(con, sighting_id: int, species_id: int | None) -> bool:
    return (
        scalar(
            con,
            "SELECT count(*) FROM identifications WHERE sighting_id = ? AND by_expert AND species_id IS NOT DISTINCT FROM ?",
            [sighting_id, species_id],
        )
        > 0
    )


def recorders_waiting(con) -> pd.DataFrame:
    return con.execute(
        """SELECT DISTINCT p.id, p.display_name FROM sightings s JOIN people p ON p.id = s.recorded_by
           WHERE NOT s.withdrawn AND s.identification_verification_status = ? ORDER BY p.display_name""",
        [UNCONFIRMED_NOT_REVIEWED],
    ).df()
