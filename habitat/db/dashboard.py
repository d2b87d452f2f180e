"""Queries behind the committee dashboard and the monthly report.

``garden_id`` None means every garden (the town). Periods are [start, end) timestamps.
Every query filters on keys stored on the rows (garden_id, zone_id, event_date), so no
spatial join runs on a page view.
"""

from __future__ import annotations

import pandas as pd

from habitat.db import hours

from habitat.domain.verification import ACCEPTED, UNCONFIRMED_NOT_REVIEWED

ALL_STATUSES_EXCEPT_REJECTED = (
    "Accepted – correct",
    "Accepted – considered correct",
    "Unconfirmed – plausible",
    UNCONFIRMED_NOT_REVIEWED,
)
SPECIES_RANKS = ("species", "subspecies")


def _statuses(accepted_only: bool) -> list[str]:
    return list(ACCEPTED if accepted_only else ALL_STATUSES_EXCEPT_REJECTED)


def on_time_by_month(con, garden_id, start, end) -> pd.DataFrame:
    """Share of task logs done no later than one day after they fell due, per month."""
    return con.execute(
        """
        WITH logs AS (
            SELECT l.garden_id, l.task_def_id, l.done_at, d.every_days, d.start_on,
                   lag(l.done_at) OVER (PARTITION BY l.task_def_id ORDER BY l.done_at) AS previous
            FROM task_logs l JOIN task_defs d ON d.id = l.task_def_id
            WHERE NOT l.withdrawn AND (? IS NULL OR l.garden_id = ?) AND l.done_at < ?
        )
        SELECT date_trunc('month', local_ts(done_at)) AS month, count(*) AS logs,
               avg(CASE WHEN done_at::DATE <= coalesce(previous::DATE + every_days, start_on) + 1 THEN 1.0 ELSE 0.0 END) AS on_time_rate
        FROM logs WHERE done_at >= ? GROUP BY 1 ORDER BY 1
        """,
        [garden_id, garden_id, end, start],
    ).df()


def work_by_kind(con, garden_id, start, end) -> pd.DataFrame:
    return con.execute(
        """SELECT kind, count(*) AS logs, coalesce(sum(minutes), 0) AS minutes FROM task_logs
           WHERE NOT withdrawn AND (? IS NULL OR garden_id = ?) AND done_at >= ? AND done_at < ?
           GROUP BY kind ORDER BY logs DESC""",
        [garden_id, garden_id, start, end],
    ).df()


def open_problems_age(con, garden_id) -> pd.DataFrame:
    """Open problems, oldest first; their age in days is added by services.community.with_days_open,
    the one definition (local dates, not UTC ones)."""
    return con.execute(
        """SELECT p.id, g.name AS garden, z.name AS zone, p.kind, p.description, p.reported_at
           FROM problems p JOIN gardens g ON g.id = p.garden_id LEFT JOIN zones z ON z.id = p.zone_id
           WHERE p.status = 'open' AND (? IS NULL OR p.garden_id = ?) ORDER BY p.reported_at""",
        [garden_id, garden_id],
    ).df()


def review_age(con, garden_id, now) -> pd.DataFrame:
    return con.execute(
        """SELECT g.name AS garden, count(*) AS waiting,
                  median(date_diff('day', s.created_at, ?::TIMESTAMPTZ)) AS median_days,
                  max(date_diff('day', s.created_at, ?::TIMESTAMPTZ)) AS oldest_days
           FROM sightings s JOIN gardens g ON g.id = s.garden_id
           WHERE NOT s.withdrawn AND s.identification_verification_status = ? AND (? IS NULL OR s.garden_id = ?)
           GROUP BY g.name ORDER BY waiting DESC""",
        [now, now, UNCONFIRMED_NOT_REVIEWED, garden_id, garden_id],
    ).df()


def hours_by_person_month(con, garden_id, start, end) -> pd.DataFrame:
    """Volunteer hours per person and month (the one definition lives in habitat/db/hours.py)."""
    return hours.by_person_month(con, garden_id, start, end)


def activity_weeks(con, garden_id, since) -> pd.DataFrame:
    """Distinct ISO weeks with any patrol or task per person (for streaks)."""
    return con.execute(
        """SELECT p.display_name AS person, week FROM (
               SELECT recorded_by AS person_id, date_trunc('week', local_ts(started_at)) AS week FROM visits
               WHERE NOT withdrawn AND (? IS NULL OR garden_id = ?) AND started_at >= ?
               UNION
               SELECT done_by, date_trunc('week', local_ts(done_at)) FROM task_logs
               WHERE NOT withdrawn AND (? IS NULL OR garden_id = ?) AND done_at >= ?
           ) w JOIN people p ON p.id = w.person_id ORDER BY person, week""",
        [garden_id, garden_id, since, garden_id, garden_id, since],
    ).df()


def richness_by_month(con, garden_id, start, end, accepted_only: bool) -> pd.DataFrame:
    return con.execute(
        """SELECT date_trunc('month', local_ts(s.event_date)) AS month, count(DISTINCT s.species_id) AS species,
                  count(*) AS records, coalesce(sum(s.individual_count), 0) AS individuals
           FROM sightings s JOIN species sp ON sp.id = s.species_id
           WHERE NOT s.withdrawn AND (? IS NULL OR s.garden_id = ?) AND s.event_date >= ? AND s.event_date < ?
             AND sp.taxon_rank IN ('species', 'subspecies')
             AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
           GROUP BY 1 ORDER BY 1""",
        [garden_id, garden_id, start, end, _statuses(accepted_only)],
    ).df()


def species_counts(con, garden_id, start, end, accepted_only: bool) -> pd.DataFrame:
    """Per species in the period: records, individuals, first date ever in the garden(s)."""
    return con.execute(
        """
        WITH firsts AS (
            SELECT species_id, min(event_date) AS first_ever FROM sightings
            WHERE NOT withdrawn AND (? IS NULL OR garden_id = ?)
              AND identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY species_id
        )
        SELECT sp.id AS species_id, sp.chinese_name, sp.english_name, sp.scientific_name, sp.group_name,
               sp.sensitive, sp.invasive, count(*) AS records, coalesce(sum(s.individual_count), 0) AS individuals,
               f.first_ever
        FROM sightings s JOIN species sp ON sp.id = s.species_id JOIN firsts f ON f.species_id = s.species_id
        WHERE NOT s.withdrawn AND (? IS NULL OR s.garden_id = ?) AND s.event_date >= ? AND s.event_date < ?
          AND sp.taxon_rank IN ('species', 'subspecies')
          AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY ALL ORDER BY records DESC
        """,
        [
            garden_id,
            garden_id,
            _statuses(accepted_only),
            garden_id,
            garden_id,
            start,
            end,
            _statuses(accepted_only),
        ],
    ).df()


def phenology(con, garden_id, start, end, accepted_only: bool, top: int = 25) -> pd.DataFrame:
    """Records per species and month-of-year for the ``top`` most recorded species."""
    return con.execute(
        """
        WITH base AS (
            SELECT s.species_id, month(local_ts(s.event_date)) AS month FROM sightings s JOIN species sp ON sp.id = s.species_id
            WHERE NOT s.withdrawn AND (? IS NULL OR s.garden_id = ?) AND s.event_date >= ? AND s.event_date < ?
              AND sp.taxon_rank IN ('species', 'subspecies')
              AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
        ), top_species AS (
            SELECT species_id FROM base GROUP BY 1 ORDER BY count(*) DESC LIMIT ?
        )
        SELECT sp.chinese_name, sp.english_name, sp.group_name, b.month, count(*) AS records
        FROM base b JOIN top_species t ON t.species_id = b.species_id JOIN species sp ON sp.id = b.species_id
        GROUP BY ALL ORDER BY sp.group_name, sp.chinese_name, b.month
        """,
        [garden_id, garden_id, start, end, _statuses(accepted_only), top],
    ).df()


def effort_by_month(con, garden_id, start, end) -> pd.DataFrame:
    """Observer-hours of survey effort per month (visit duration x observers)."""
    return con.execute(
        """SELECT date_trunc('month', local_ts(started_at)) AS month, count(*) AS visits,
                  count(*) FILTER (WHERE complete_checklist) AS complete_visits,
                  sum(date_diff('minute', started_at, ended_at) * observer_count) / 60.0 AS observer_hours
           FROM visits WHERE NOT withdrawn AND ended_at IS NOT NULL AND (? IS NULL OR garden_id = ?)
             AND started_at >= ? AND started_at < ? GROUP BY 1 ORDER BY 1""",
        [garden_id, garden_id, start, end],
    ).df()


def reporting_rate(con, garden_id, start, end, accepted_only: bool, top: int = 15) -> pd.DataFrame:
    """Share of complete-checklist visits on which each species was recorded (absences only from complete lists)."""
    return con.execute(
        """
        WITH complete AS (
            SELECT id FROM visits WHERE NOT withdrawn AND complete_checklist AND (? IS NULL OR garden_id = ?)
              AND started_at >= ? AND started_at < ?
        ), seen AS (
            SELECT DISTINCT s.visit_id, s.species_id FROM sightings s JOIN complete c ON c.id = s.visit_id
            JOIN species sp ON sp.id = s.species_id
            WHERE NOT s.withdrawn AND sp.taxon_rank IN ('species', 'subspecies')
              AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
        )
        SELECT sp.chinese_name, sp.english_name, count(*) AS visits_with,
               (SELECT count(*) FROM complete) AS complete_visits,
               count(*) / nullif((SELECT count(*) FROM complete), 0) AS reporting_rate
        FROM seen JOIN species sp ON sp.id = seen.species_id GROUP BY ALL ORDER BY visits_with DESC LIMIT ?
        """,
        [garden_id, garden_id, start, end, _statuses(accepted_only), top],
    ).df()


def visit_species_sets(con, garden_id, start, end, accepted_only: bool) -> pd.DataFrame:
    """(visit_id, species_id) pairs for sample-based accumulation curves."""
    return con.execute(
        """SELECT DISTINCT g.slug, s.visit_id, s.species_id FROM sightings s JOIN species sp ON sp.id = s.species_id
           JOIN gardens g ON g.id = s.garden_id
           WHERE NOT s.withdrawn AND s.visit_id IS NOT NULL AND (? IS NULL OR s.garden_id = ?)
             AND s.event_date >= ? AND s.event_date < ? AND sp.taxon_rank IN ('species', 'subspecies')
             AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))""",
        [garden_id, garden_id, start, end, _statuses(accepted_only)],
    ).df()


def abundance_by_garden(con, start, end, accepted_only: bool) -> pd.DataFrame:
    """Individuals per species per garden (for Shannon, Simpson, Chao1, rarefaction)."""
    return con.execute(
        """SELECT g.slug, g.name, s.species_id, sum(coalesce(s.individual_count, 1)) AS n
           FROM sightings s JOIN gardens g ON g.id = s.garden_id JOIN species sp ON sp.id = s.species_id
           WHERE NOT s.withdrawn AND s.event_date >= ? AND s.event_date < ? AND sp.taxon_rank IN ('species', 'subspecies')
             AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
           GROUP BY ALL""",
        [start, end, _statuses(accepted_only)],
    ).df()


def zone_upkeep_and_life(con, garden_id, start, end, accepted_only: bool) -> pd.DataFrame:
    """Per zone: upkeep logs and minutes by kind beside species, records and individuals."""
    return con.execute(
        """
        WITH work AS (
            SELECT zone_id, count(*) AS task_logs, coalesce(sum(minutes), 0) AS task_minutes,
                   string_agg(DISTINCT kind, ',') AS task_kinds
            FROM task_logs WHERE NOT withdrawn AND garden_id = ? AND done_at >= ? AND done_at < ? GROUP BY zone_id
        ), life AS (
            SELECT s.zone_id, count(DISTINCT s.species_id) AS species, count(*) AS records,
                   coalesce(sum(s.individual_count), 0) AS individuals
            FROM sightings s JOIN species sp ON sp.id = s.species_id
            WHERE NOT s.withdrawn AND s.garden_id = ? AND s.event_date >= ? AND s.event_date < ?
              AND sp.taxon_rank IN ('species', 'subspecies')
              AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY s.zone_id
        )
        SELECT z.id, z.code, z.name, z.name_en, z.kind, z.geometry, z.area_m2,
               coalesce(w.task_logs, 0) AS task_logs, coalesce(w.task_minutes, 0) AS task_minutes,
               coalesce(w.task_kinds, '') AS task_kinds, coalesce(l.species, 0) AS species,
               coalesce(l.records, 0) AS records, coalesce(l.individuals, 0) AS individuals
        FROM zones z LEFT JOIN work w ON w.zone_id = z.id LEFT JOIN life l ON l.zone_id = z.id
        WHERE z.garden_id = ? AND z.active ORDER BY z.code
        """,
        [garden_id, start, end, garden_id, start, end, _statuses(accepted_only), garden_id],
    ).df()


def effort_hours(con, garden_id, start, end) -> float:
    rows = con.execute(
        """SELECT coalesce(sum(date_diff('minute', started_at, ended_at) * observer_count) / 60.0, 0)
           FROM visits WHERE NOT withdrawn AND ended_at IS NOT NULL AND garden_id = ? AND started_at >= ? AND started_at < ?""",
        [garden_id, start, end],
    ).fetchall()
    return float(rows[0][0])


def town_overview(con, start, end) -> pd.DataFrame:
    """Headline figures per garden for the town map and table (volunteer hours: habitat/db/hours.py)."""
    garden_hours = hours.by_garden(con, start, end)  # noqa: F841 - read by DuckDB below
    return con.execute(
        """
        WITH s AS (
            SELECT garden_id, count(*) AS records, count(DISTINCT species_id) AS species
            FROM sightings WHERE NOT withdrawn AND event_date >= ? AND event_date < ? GROUP BY garden_id
        ), t AS (
            SELECT garden_id, count(*) AS task_logs, coalesce(sum(minutes), 0) / 60.0 AS task_hours
            FROM task_logs WHERE NOT withdrawn AND done_at >= ? AND done_at < ? GROUP BY garden_id
        ), v AS (
            SELECT garden_id, count(*) AS patrols FROM visits WHERE NOT withdrawn AND started_at >= ? AND started_at < ? GROUP BY garden_id
        ), p AS (
            SELECT garden_id, count(*) AS open_problems FROM problems WHERE status = 'open' GROUP BY garden_id
        )
        SELECT g.id, g.slug, g.name, g.name_en, g.town, g.centre_lat, g.centre_lon, g.area_m2,
               coalesce(s.records, 0) AS records, coalesce(s.species, 0) AS species,
               coalesce(t.task_logs, 0) AS task_logs, round(coalesce(t.task_hours, 0), 1) AS task_hours,
               coalesce(v.patrols, 0) AS patrols, coalesce(p.open_problems, 0) AS open_problems,
               round(coalesce(h.hours, 0), 1) AS volunteer_hours
        FROM gardens g LEFT JOIN s ON s.garden_id = g.id LEFT JOIN t ON t.garden_id = g.id
        LEFT JOIN v ON v.garden_id = g.id LEFT JOIN p ON p.garden_id = g.id
        LEFT JOIN garden_hours h ON h.garden_id = g.id
        WHERE g.active ORDER BY g.id
        """,
        [start, end, start, end, start, end],
    ).df()
