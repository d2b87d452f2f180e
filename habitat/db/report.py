"""Queries behind the monthly report that the dashboard queries do not already answer.

``garden_id`` None means every garden (the town). Periods are [start, end) timestamps.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from habitat.db import privacy
from habitat.domain.verification import ACCEPTED, UNCONFIRMED_NOT_REVIEWED


def month_counts(con: duckdb.DuckDBPyConnection, start, end, statuses: list[str]) -> pd.DataFrame:
    """Per active garden: records with one of ``statuses`` (how many still unreviewed) and patrols."""
    return con.execute(
        """
        WITH s AS (
            SELECT garden_id, count(*) AS records,
                   count(*) FILTER (WHERE identification_verification_status = ?) AS unreviewed
            FROM sightings
            WHERE NOT withdrawn AND event_date >= ? AND event_date < ?
              AND identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY garden_id
        ), v AS (
            SELECT garden_id, count(*) AS patrols FROM visits
            WHERE NOT withdrawn AND started_at >= ? AND started_at < ? GROUP BY garden_id
        )
        SELECT g.id, g.slug, g.name, g.name_en, g.town,
               coalesce(s.records, 0) AS records, coalesce(s.unreviewed, 0) AS unreviewed,
               coalesce(v.patrols, 0) AS patrols
        FROM gardens g LEFT JOIN s ON s.garden_id = g.id LEFT JOIN v ON v.garden_id = g.id
        WHERE g.active ORDER BY g.id
        """,
        [UNCONFIRMED_NOT_REVIEWED, start, end, statuses, start, end],
    ).df()


def month_photos(con, garden_id, start, end, statuses: list[str], limit: int) -> pd.DataFrame:
    """One photo per record of the period, accepted records first, newest first.

    Generalised records (habitat.db.privacy: sensitive species, also when only proposed, and
    nest or den records) are left out: a report travels further than the app.
    """
    return con.execute(
        f"""
        WITH month AS (
            SELECT s.id FROM sightings s
            WHERE NOT s.withdrawn AND (? IS NULL OR s.garden_id = ?) AND s.event_date >= ? AND s.event_date < ?
              AND s.identification_verification_status IN (SELECT unnest(?::VARCHAR[]))
        ),
        {privacy.generalisation(among="month")}
        SELECT p.id, p.thumb_path, p.display_path, s.id AS sighting_id, s.event_date, s.note,
               sp.chinese_name, sp.english_name, sp.scientific_name, g.name AS garden, g.name_en AS garden_en
        FROM photos p JOIN sightings s ON s.id = p.sighting_id JOIN gardens g ON g.id = s.garden_id
        JOIN privacy pr ON pr.sighting_id = s.id AND NOT pr.generalised
        LEFT JOIN species sp ON sp.id = s.species_id
        WHERE NOT p.withdrawn
        QUALIFY row_number() OVER (PARTITION BY s.id ORDER BY p.id) = 1
        ORDER BY s.identification_verification_status IN (SELECT unnest(?::VARCHAR[])) DESC,
                 s.event_date DESC, p.id
        LIMIT ?
        """,
        [garden_id, garden_id, start, end, statuses, list(ACCEPTED), limit],
    ).df()
