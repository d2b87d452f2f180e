"""当季常见: the taxa most often recorded around a day of the year, for naming what she saw."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from habitat.domain.verification import ACCEPTED, NOT_ACCEPTED_INCORRECT, NOT_ACCEPTED_UNABLE

NAMEABLE_RANKS = ("species", "subspecies", "genus")  # not the "which group" taxa of "I don't know"
REJECTED = (NOT_ACCEPTED_UNABLE, NOT_ACCEPTED_INCORRECT)


def seasonal_counts(
    con: duckdb.DuckDBPyConnection, garden_id: int, on_day: date, *, days: int, limit: int
) -> pd.DataFrame:
    """The ``limit`` most recorded (taxon, planted) pairs within ``days`` days of ``on_day``'s day of
    the year, in any year: this garden's first (by its count), then the rest of its town (by the town's
    count). A record counts unless withdrawn or not accepted; a taxon merged into another counts as
    that one. A date is compared with ``on_day`` in the year before, the same and the year after
    (a 29 February becomes the 28th), so the window runs over New Year.

    Columns: species_id, chinese_name, english_name, scientific_name, group_name, difficulty, planted,
    garden_records, town_records, photo_id, thumb_path. The photo is from an accepted record of the
    taxon in this town (this garden's first, then the latest), never of a record shown only at
    garden level (nest or den, sensitive taxon), or none.
    """
    return con.execute(
        """
        WITH args AS (
            SELECT ?::DATE AS on_day, ?::BIGINT AS garden_id, ?::INTEGER AS days
        ), town AS (
            SELECT g.id FROM gardens g
            WHERE g.town = (SELECT town FROM gardens WHERE id = (SELECT garden_id FROM args))
        ), taxon AS (  -- every name as the accepted name it stands for
            SELECT sp.id, coalesce(sp.accepted_id, sp.id) AS taxon_id FROM species sp
        ), recs AS (
            SELECT s.id, s.garden_id, s.nest_or_den, t.taxon_id,
                   s.degree_of_establishment = 'cultivated' AS planted,
                   CAST(local_ts(s.event_date) AS DATE) AS day,
                   s.identification_verification_status AS status, s.verified_at
            FROM sightings s JOIN taxon t ON t.id = s.species_id
            WHERE NOT s.withdrawn AND s.garden_id IN (SELECT id FROM town)
        ), seasonal AS (
            SELECT r.* FROM recs r, args a
            WHERE r.status NOT IN (?, ?) AND least(
                abs(date_diff('day', a.on_day,
                    CAST(r.day + to_years(year(a.on_day) - 1 - year(r.day)) AS DATE))),
                abs(date_diff('day', a.on_day, CAST(r.day + to_years(year(a.on_day) - year(r.day)) AS DATE))),
                abs(date_diff('day', a.on_day,
                    CAST(r.day + to_years(year(a.on_day) + 1 - year(r.day)) AS DATE)))
            ) <= a.days
        ), counted AS (
            SELECT taxon_id, planted,
                   count(*) FILTER (WHERE garden_id = (SELECT garden_id FROM args)) AS garden_records,
                   count(*) AS town_records
            FROM seasonal GROUP BY taxon_id, planted
        ), photo AS (
            SELECT r.taxon_id, p.id AS photo_id, p.thumb_path,
                   row_number() OVER (
                       PARTITION BY r.taxon_id
                       ORDER BY r.garden_id = (SELECT garden_id FROM args) DESC, r.verified_at DESC NULLS LAST,
                                p.id DESC
                   ) AS nth
            FROM recs r JOIN photos p ON p.sighting_id = r.id AND NOT p.withdrawn
            JOIN species sp ON sp.id = r.taxon_id
            WHERE r.status IN (?, ?) AND NOT r.nest_or_den AND NOT sp.sensitive
              AND r.taxon_id IN (SELECT taxon_id FROM counted)
        )
        SELECT sp.id AS species_id, sp.chinese_name, sp.english_name, sp.scientific_name, sp.group_name,
               sp.difficulty, c.planted, c.garden_records, c.town_records, ph.photo_id, ph.thumb_path
        FROM counted c JOIN species sp ON sp.id = c.taxon_id
        LEFT JOIN photo ph ON ph.taxon_id = c.taxon_id AND ph.nth = 1
        WHERE sp.taxon_rank IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY c.garden_records > 0 DESC, c.garden_records DESC, c.town_records DESC, sp.pinyin, sp.id,
                 c.planted
        LIMIT ?
        """,
        [on_day, garden_id, days, *REJECTED, *ACCEPTED, list(NAMEABLE_RANKS), limit],
    ).df()
