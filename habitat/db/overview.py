"""Headline figures for the home pages and the garden page."""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db import hours, privacy
from habitat.domain.verification import UNCONFIRMED_NOT_REVIEWED


def garden_headlines(con: duckdb.DuckDBPyConnection, month_start, year_start, month_end) -> pd.DataFrame:
    """Per garden: sightings this month, species this year, open problems, volunteer hours this month
    (habitat/db/hours.py)."""
    garden_hours = hours.by_garden(con, month_start, month_end)  # noqa: F841 - read by DuckDB below
    return con.execute(
        """
        WITH s AS (
            SELECT garden_id,
                   count(*) FILTER (WHERE event_date >= ?) AS sightings_month,
                   count(DISTINCT species_id) FILTER (WHERE event_date >= ?) AS species_year
            FROM sightings WHERE NOT withdrawn GROUP BY garden_id
        ), p AS (
            SELECT garden_id, count(*) AS open_problems FROM problems WHERE status = 'open' GROUP BY garden_id
        ), h AS (
            SELECT garden_id, hours FROM garden_hours
        ), q AS (
            SELECT garden_id, count(*) AS unreviewed FROM sightings
            WHERE NOT withdrawn AND identification_verification_status = ? GROUP BY garden_id
        )
        SELECT g.id, g.slug, g.name, g.name_en, g.centre_lat, g.centre_lon, g.area_m2,
               coalesce(s.sightings_month, 0) AS sightings_month, coalesce(s.species_year, 0) AS species_year,
               coalesce(p.open_problems, 0) AS open_problems, round(coalesce(h.hours, 0), 1) AS hours_month,
               coalesce(q.unreviewed, 0) AS unreviewed
        FROM gardens g LEFT JOIN s ON s.garden_id = g.id LEFT JOIN p ON p.garden_id = g.id
        LEFT JOIN h ON h.garden_id = g.id LEFT JOIN q ON q.garden_id = g.id
        WHERE g.active ORDER BY g.id
        """,
        [month_start, year_start, UNCONFIRMED_NOT_REVIEWED],
    ).df()


def review_queue_counts(con: duckdb.DuckDBPyConnection, groups: list[str] | None) -> pd.DataFrame:
    """Unreviewed records per taxon group (all groups when ``groups`` is empty)."""
    return con.execute(
        """
        SELECT coalesce(sp.group_name, 'unknown') AS group_name, count(*) AS records,
               min(s.created_at) AS oldest
        FROM sightings s LEFT JOIN species sp ON sp.id = s.species_id
        WHERE NOT s.withdrawn AND s.identification_verification_status = ?
          AND (len(?::VARCHAR[]) = 0 OR coalesce(sp.group_name, 'unknown') IN (SELECT unnest(?::VARCHAR[])) OR s.species_id IS NULL)
        GROUP BY ALL ORDER BY records DESC
        """,
        [UNCONFIRMED_NOT_REVIEWED, groups or [], groups or []],
    ).df()


def recent_sightings(
    con: duckdb.DuckDBPyConnection,
    *,
    person_id: int | None = None,
    garden_id: int | None = None,
    limit: int = 20,
    include_sensitive_points: bool = False,
    by_entry: bool = False,
) -> pd.DataFrame:
    """Newest records first, each with ``generalised`` (habitat.db.privacy). Unless
    ``include_sensitive_points``, a generalised record has no point and the garden's name in place
    of its zone: the zone would narrow a protected species down to a few hundred square metres.

    Newest by when it was seen (``event_date``), or with ``by_entry`` by when it was entered
    (``created_at``): a record of an old photo entered today is then first, not lost far down."""
    hidden = "pr.generalised AND NOT ?::BOOLEAN"
    newest = "CASE WHEN ?::BOOLEAN THEN s.created_at ELSE s.event_date END DESC, s.id DESC"
    return con.execute(
        f"""
        WITH recent AS (
            SELECT s.id FROM sightings s
            WHERE NOT s.withdrawn AND (? IS NULL OR s.recorded_by = ?) AND (? IS NULL OR s.garden_id = ?)
            ORDER BY {newest} LIMIT ?
        ),
        {privacy.generalisation(among="recent")}
        SELECT s.id, s.event_date, g.name AS garden,
               CASE WHEN {hidden} THEN g.name ELSE z.name END AS zone,
               CASE WHEN {hidden} THEN coalesce(g.name_en, g.name) ELSE z.name_en END AS zone_en,
               sp.chinese_name, sp.english_name, sp.scientific_name, s.verbatim_identification,
               s.individual_count, s.identification_verification_status AS status, s.queried,
               CASE WHEN {hidden} THEN NULL ELSE s.decimal_latitude END AS lat,
               CASE WHEN {hidden} THEN NULL ELSE s.decimal_longitude END AS lon,
               pr.generalised, s.created_at
        FROM privacy pr JOIN sightings s ON s.id = pr.sighting_id JOIN gardens g ON g.id = s.garden_id
        LEFT JOIN zones z ON z.id = s.zone_id LEFT JOIN species sp ON sp.id = s.species_id
        ORDER BY {newest}
        """,
        [
            person_id,
            person_id,
            garden_id,
            garden_id,
            by_entry,
            limit,
            *[include_sensitive_points] * 4,
            by_entry,
        ],
    ).df()


def zone_activity(
    con: duckdb.DuckDBPyConnection, garden_id: int, since, *, include_sensitive_points: bool = False
) -> pd.DataFrame:
    """Records and species per zone since ``since``.

    Unless ``include_sensitive_points``, generalised records (habitat.db.privacy) are left out of
    the zone counts: the recent list places them in the garden only, and a zone count that still
    held them would give their zone away (the count minus the records listed in that zone).
    """
    return con.execute(
        f"""
        WITH period AS (
            SELECT s.id FROM sightings s WHERE s.garden_id = ? AND NOT s.withdrawn AND s.event_date >= ?
        ),
        {privacy.generalisation(among="period")},
        placed AS (
            SELECT s.id, s.zone_id, s.species_id
            FROM privacy pr JOIN sightings s ON s.id = pr.sighting_id
            WHERE ?::BOOLEAN OR NOT pr.generalised
        )
        SELECT z.id, z.code, z.name, z.name_en, z.kind, z.geometry, z.area_m2,
               count(p.id) AS sightings, count(DISTINCT p.species_id) AS species
        FROM zones z LEFT JOIN placed p ON p.zone_id = z.id
        WHERE z.garden_id = ? AND z.active GROUP BY ALL ORDER BY z.code
        """,
        [garden_id, since, include_sensitive_points, garden_id],
    ).df()
