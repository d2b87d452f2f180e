"""SQL for the exports (Darwin Core Archive, CSV, GeoJSON, Parquet).

One query builds every exported row, so a million records are produced by DuckDB (streamed as
Arrow batches, or written with ``COPY ... TO``) without a Python loop. User values (garden slug, date, statuses, texts) are
bound parameters; the only text put into SQL is the output path of ``COPY``, which the export
code creates itself (single quotes are escaped all the same).

Privacy rules live here because they are applied in the query:
- withdrawn sightings, sightings of withdrawn visits and unidentified sightings (species_id NULL,
  or the catch-all taxon without a kingdom) are never selected; higher ranks (genus, order,
  class ...) are exported with their taxonRank;
- unless ``exact``, the sightings that ``habitat.db.privacy`` marks generalised (nests and dens,
  sensitive taxa, and any record for which a sensitive taxon was ever proposed until an expert
  accepted it) get the garden centre, an uncertainty covering the garden, no zone in
  locality/locationID, and say so in dataGeneralizations / informationWithheld;
- photos' private GPS columns are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from habitat.db import privacy
from habitat.db.util import one
from habitat.domain.records import SIGHTING

# China has had no daylight-saving time since 1991, so Shanghai time is always UTC+08:00; adding
# the offset arithmetically is much faster than an ICU time-zone conversion per row.
_OFFSET_US = 8 * 3600 * 1_000_000
_CLEAN = "'\t\r\n', '   '"  # tabs and line breaks in names would break line-based DwC readers


def _iso(expr: str) -> str:
    """ISO 8601 text with the +08:00 offset for a TIMESTAMPTZ expression (NULL stays NULL)."""
    return f"strftime(make_timestamp(epoch_us({expr}) + {_OFFSET_US}), '%Y-%m-%dT%H:%M:%S') || '+08:00'"


def _clean(expr: str) -> str:
    return f"translate({expr}, {_CLEAN})"


@dataclass(frozen=True)
class Selection:
    """Which sightings an export holds and how it shows them (built and checked by habitat.export)."""

    garden_slug: str | None = None
    since: datetime | None = None  # event_date >= since
    statuses: tuple[str, ...] | None = None  # None: every non-withdrawn record
    exact: bool = False  # False: generalise what habitat.db.privacy marks
    text_dates: bool = True  # ISO 8601 text (CSV, DwC-A) or TIMESTAMPTZ (Parquet)
    license: str = ""
    generalised_text: str = ""
    withheld_text: str = ""
    protocol_labels: dict[str, str] = field(default_factory=dict)


def _picked(sel: Selection, *, name: str = "picked", identified_only: bool = True) -> tuple[str, list[Any]]:
    """CTE ``picked``: ids of the sightings in the export, with their generalisation flag.

    Only identified sightings are exported: a taxon that names at least a kingdom. Sightings
    without a taxon, or only "生物（未识别）" (Biota), have no usable scientificName.
    ``identified_only=False`` keeps them too (to count what is skipped).
    """
    statuses = list(sel.statuses or ())
    status_sql = (
        "TRUE"
        if sel.statuses is None
        else "s.identification_verification_status IN (" + ", ".join("?" for _ in statuses) + ")"
        if statuses
        else "FALSE"
    )
    sql = f"""
    {privacy.sources(f"{name}_privacy")},
    {name} AS (
        SELECT s.id,
               coalesce(acc.kingdom, sp.kingdom) IS NOT NULL AS identified,
               NOT ?::BOOLEAN AND {privacy.flag(f"{name}_privacy")} AS generalised  -- the one rule
        FROM sightings s
        {privacy.joins(f"{name}_privacy")}
        JOIN gardens g ON g.id = s.garden_id
        LEFT JOIN species sp ON sp.id = s.species_id
        LEFT JOIN species acc ON acc.id = sp.accepted_id
        LEFT JOIN visits v ON v.id = s.visit_id
        WHERE NOT s.withdrawn AND NOT coalesce(v.withdrawn, FALSE)
          AND (?::VARCHAR IS NULL OR g.slug = ?::VARCHAR)
          AND (?::TIMESTAMPTZ IS NULL OR s.event_date >= ?::TIMESTAMPTZ)
          AND {status_sql}
          {"AND coalesce(acc.kingdom, sp.kingdom) IS NOT NULL" if identified_only else ""}
    )"""
    return sql, [sel.exact, sel.garden_slug, sel.garden_slug, sel.since, sel.since, *statuses]


def occurrence_query(sel: Selection) -> tuple[str, list[Any]]:
    """The occurrence table: one row per exported sighting, columns named as Darwin Core terms."""
    picked_sql, params = _picked(sel)
    date = _iso if sel.text_dates else (lambda e: e)
    labels = list(sel.protocol_labels.items()) or [("", "")]
    label_rows = ", ".join("(?, ?)" for _ in labels)
    label_params = [x for pair in labels for x in pair]
    radius = "coalesce(ceil(sqrt(g.area_m2 / pi())), 50) + 50"  # covers the garden from its centre
    plain_sql, plain_params, plain_joins = _plain_columns(date)
    sql = f"""
    WITH {picked_sql},
    labels(code, label) AS (VALUES {label_rows}),
    g AS (
        SELECT id, {_clean("slug")} AS slug, {_clean("name")} AS name, centre_lat, centre_lon,
               CAST({radius} AS INTEGER) AS radius_m
        FROM gardens g
    ),
    z AS (
        SELECT id, {_clean("code")} AS code, {_clean("name")} AS name,
               CASE WHEN area_m2 > 0 THEN CAST(ceil(sqrt(area_m2 / pi())) AS INTEGER) END AS radius_m
        FROM zones
    ),
    p AS (SELECT id, {_clean("display_name")} AS name FROM people),
    taxon AS (
        SELECT sp.id, {_clean("coalesce(acc.scientific_name, sp.scientific_name)")} AS scientific_name,
               {_clean("coalesce(acc.taxon_rank, sp.taxon_rank)")} AS taxon_rank,
               {_clean("coalesce(acc.kingdom, sp.kingdom)")} AS kingdom,
               {_clean("coalesce(acc.class_name, sp.class_name)")} AS class_name,
               {_clean("coalesce(acc.chinese_name, sp.chinese_name)")} AS vernacular_name
        FROM species sp LEFT JOIN species acc ON acc.id = sp.accepted_id
    ),
    visit AS (
        SELECT v.id, 'habitat:visit:' || v.id AS event_id, v.protocol, labels.label AS protocol_label,
               CASE WHEN v.ended_at > v.started_at
                    THEN date_diff('minute', v.started_at, v.ended_at) || ' minutes, ' END
               || v.observer_count || CASE WHEN v.observer_count = 1 THEN ' observer' ELSE ' observers' END
                   AS effort
        FROM visits v LEFT JOIN labels ON labels.code = v.protocol
    ),
    identified AS (  -- the most authoritative identification agreeing with the current taxon:
                     -- the latest by an expert, else the latest by anyone
        SELECT i.sighting_id,
               arg_max(i.identified_by, (i.by_expert, i.identified_at)) AS identified_by,
               arg_max(i.identified_at, (i.by_expert, i.identified_at)) AS identified_at
        FROM identifications i
        JOIN picked ON picked.id = i.sighting_id
        JOIN sightings s ON s.id = i.sighting_id AND i.species_id = s.species_id
        GROUP BY i.sighting_id
    )
    SELECT
        'urn:uuid:' || CAST(s.occurrence_id AS VARCHAR) AS occurrenceID,
        CASE WHEN visit.protocol = 'camera_trap' THEN 'MachineObservation' ELSE 'HumanObservation' END
            AS basisOfRecord,
        taxon.scientific_name AS scientificName,
        taxon.taxon_rank AS taxonRank,
        taxon.kingdom AS kingdom,
        taxon.class_name AS "class",
        taxon.vernacular_name AS vernacularName,
        {date("s.event_date")} AS eventDate,
        coalesce(visit.event_id, 'habitat:event:' || s.event_id) AS eventID,  -- a patrol, else a BioBlitz/class
        visit.protocol_label AS samplingProtocol,
        visit.effort AS samplingEffort,
        round(CASE WHEN picked.generalised OR s.decimal_latitude IS NULL OR s.decimal_longitude IS NULL
                   THEN g.centre_lat ELSE s.decimal_latitude END, 6) AS decimalLatitude,
        round(CASE WHEN picked.generalised OR s.decimal_latitude IS NULL OR s.decimal_longitude IS NULL
                   THEN g.centre_lon ELSE s.decimal_longitude END, 6) AS decimalLongitude,
        'WGS84' AS geodeticDatum,
        CASE WHEN picked.generalised OR s.decimal_latitude IS NULL OR s.decimal_longitude IS NULL
                  THEN g.radius_m
             WHEN s.coordinate_uncertainty_in_meters > 0
                  THEN CAST(ceil(s.coordinate_uncertainty_in_meters) AS INTEGER)
             ELSE coalesce(z.radius_m, 30) END AS coordinateUncertaintyInMeters,
        'CN' AS countryCode,
        CASE WHEN picked.generalised OR z.name IS NULL THEN g.name ELSE g.name || ' · ' || z.name END
            AS locality,
        CASE WHEN picked.generalised OR z.code IS NULL THEN g.slug ELSE g.slug || '/' || z.code END
            AS locationID,
        recorder.name AS recordedBy,
        coalesce(identifier.name, recorder.name) AS identifiedBy,
        {date("identified.identified_at")} AS dateIdentified,
        {_clean("s.identification_verification_status")} AS identificationVerificationStatus,
        CASE WHEN s.occurrence_status = 'absent' THEN 0 ELSE s.individual_count END AS individualCount,
        {plain_sql}
        CASE WHEN picked.generalised THEN ? END AS informationWithheld,
        CASE WHEN picked.generalised THEN ? END AS dataGeneralizations,
        ? AS license,
        {date("coalesce(s.updated_at, s.created_at)")} AS modified
    FROM picked
    JOIN sightings s ON s.id = picked.id
    JOIN g ON g.id = s.garden_id
    JOIN taxon ON taxon.id = s.species_id
    LEFT JOIN z ON z.id = s.zone_id
    LEFT JOIN visit ON visit.id = s.visit_id
    LEFT JOIN p AS recorder ON recorder.id = s.recorded_by
    LEFT JOIN identified ON identified.sighting_id = s.id
    LEFT JOIN p AS identifier ON identifier.id = identified.identified_by
    {plain_joins}
    """
    return sql, [*params, *label_params, *plain_params, sel.withheld_text, sel.generalised_text, sel.license]


def _plain_columns(date) -> tuple[str, list[Any], str]:
    """(select list, its parameters, joins) of the declared public fields exported by their kind
    (habitat.domain.records: export="plain"), one column per field named by its Darwin Core term.

    choice: the value with "_" as a space (egg_laying -> "egg laying"); taxon: the declared prefix
    and the taxon's Chinese and scientific names ("visiting: 马利筋 Asclepias curassavica").
    """
    select, params, joins = [], [], []
    for f in SIGHTING.plain_exports:
        column = f"s.{f.name}"
        if f.kind == "taxon":
            alias = f"taxon_{f.name}"
            joins.append(f"LEFT JOIN taxon AS {alias} ON {alias}.id = {column}")
            expr = f"? || {alias}.vernacular_name || ' ' || {alias}.scientific_name"
            params.append(f.dwc_prefix)
        elif f.kind in ("choice", "text"):
            expr = _clean(f"replace({column}, '_', ' ')" if f.kind == "choice" else column)
            if f.dwc_blank:  # values that say nothing are left empty ("unknown", "wild")
                expr = f"CASE WHEN NOT list_contains(?::VARCHAR[], {column}) THEN {expr} END"
                params.append(list(f.dwc_blank))
        elif f.kind == "time":
            expr = date(column)
        else:
            expr = column
        select.append(f'{expr} AS "{f.dwc}",')
    return "\n        ".join(select), params, "\n    ".join(joins)


OCCURRENCE_COLUMNS = (
    "occurrenceID",
    "basisOfRecord",
    "scientificName",
    "taxonRank",
    "kingdom",
    "class",
    "vernacularName",
    "eventDate",
    "eventID",
    "samplingProtocol",
    "samplingEffort",
    "decimalLatitude",
    "decimalLongitude",
    "geodeticDatum",
    "coordinateUncertaintyInMeters",
    "countryCode",
    "locality",
    "locationID",
    "recordedBy",
    "identifiedBy",
    "dateIdentified",
    "identificationVerificationStatus",
    "individualCount",
    *(f.dwc for f in SIGHTING.plain_exports),  # occurrenceStatus, lifeStage, sex, behavior ...
    "informationWithheld",
    "dataGeneralizations",
    "license",
    "modified",
)

MEDIA_COLUMNS = ("coreid", "type", "format", "identifier", "created", "creator", "license")


def media_query(sel: Selection, url_base: str) -> tuple[str, list[Any]]:
    """Simple Multimedia rows for the exported sightings' public photo copies (never the private GPS)."""
    picked_sql, params = _picked(sel)
    sql = f"""
    WITH {picked_sql}
    SELECT 'urn:uuid:' || CAST(s.occurrence_id AS VARCHAR) AS coreid,
           'StillImage' AS type,
           {_clean("coalesce(ph.mime, 'image/jpeg')")} AS format,
           {_clean("? || ph.display_path")} AS identifier,
           {_iso("ph.taken_at")} AS created,
           {_clean("p.display_name")} AS creator,
           ? AS license
    FROM picked
    JOIN sightings s ON s.id = picked.id
    JOIN photos ph ON ph.sighting_id = s.id AND NOT ph.withdrawn
    LEFT JOIN people p ON p.id = ph.uploaded_by
    ORDER BY s.id, ph.id
    """
    return sql, [*params, url_base, sel.license]


def counts(con: duckdb.DuckDBPyConnection, sel: Selection) -> dict[str, int]:
    """Records, generalised records, and the unidentified sightings the filters would skip."""
    picked_sql, params = _picked(sel)
    all_sql, all_params = _picked(sel, name="all_rows", identified_only=False)
    row = one(
        con,
        f"""WITH {picked_sql}, {all_sql}
        SELECT (SELECT count(*) FROM picked),
               (SELECT count(*) FILTER (WHERE generalised) FROM picked),
               (SELECT count(*) FILTER (WHERE NOT identified) FROM all_rows)""",
        [*params, *all_params],
    )
    return {"records": row[0], "generalised": row[1], "skipped_unidentified": row[2]}


def copy_to(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any], path: Path, *, fmt: str) -> int:
    """Write a query's rows to a file with DuckDB (multi-threaded); returns the number of rows."""
    options = {
        "csv": "FORMAT csv, HEADER, DELIMITER ',', QUOTE '\"', NULLSTR ''",
        "parquet": "FORMAT parquet, COMPRESSION zstd",
    }[fmt]
    target = str(path).replace("'", "''")
    row = one(con, f"COPY ({sql}) TO '{target}' ({options})", params)
    return int(row[0]) if row else 0


def _lines(sql: str, columns: Sequence[str]) -> str:
    """Each row as one finished line of tab-separated text (NULL -> empty, as ``concat`` does).

    The text columns were cleaned of tabs and line breaks, so no field needs quoting; DuckDB
    builds the lines on all cores and Python only hands the bytes on.
    """
    fields = ", chr(9), ".join(f'"{c}"' for c in columns)
    return f"SELECT concat({fields}, chr(10)) AS line FROM ({sql})"


def occurrence_lines(con: duckdb.DuckDBPyConnection, sel: Selection, *, batch_rows: int = 65_536):
    """occurrence.txt without its header, as a stream of Arrow batches of one string column."""
    sql, params = occurrence_query(sel)
    return con.sql(_lines(sql, OCCURRENCE_COLUMNS), params=params).to_arrow_reader(batch_rows)


def media_lines(con: duckdb.DuckDBPyConnection, sel: Selection, url_base: str, *, batch_rows: int = 65_536):
    sql, params = media_query(sel, url_base)
    return con.sql(_lines(sql, MEDIA_COLUMNS), params=params).to_arrow_reader(batch_rows)


def occurrence_table(con: duckdb.DuckDBPyConnection, sel: Selection):
    """All occurrence rows as one Arrow table (GeoJSON is written from it: DuckDB has no spatial here)."""
    sql, params = occurrence_query(sel)
    return con.sql(sql, params=params).to_arrow_table()


def garden_exists(con: duckdb.DuckDBPyConnection, slug: str) -> bool:
    return one(con, "SELECT 1 FROM gardens WHERE slug = ?", [slug]) is not None


def dataset_facts(con: duckdb.DuckDBPyConnection, sel: Selection) -> dict[str, Any]:
    """What eml.xml says about the data: the gardens in the export, their dates, the contacts."""
    picked_sql, params = _picked(sel)
    gardens = con.execute(
        f"""WITH {picked_sql}
        SELECT g.slug, g.name, coalesce(g.name_en, g.name), g.town, coalesce(g.district, ''),
               g.centre_lat, g.centre_lon, count(*), min(s.event_date), max(s.event_date)
        FROM picked JOIN sightings s ON s.id = picked.id JOIN gardens g ON g.id = s.garden_id
        GROUP BY g.id, g.slug, g.name, g.name_en, g.town, g.district, g.centre_lat, g.centre_lon
        ORDER BY g.id""",
        params,
    ).fetchall()
    if not gardens:  # an empty export still describes the garden(s) asked for
        gardens = [
            (*g, 0, None, None)
            for g in con.execute(
                "SELECT slug, name, coalesce(name_en, name), town, coalesce(district, ''), centre_lat,"
                " centre_lon FROM gardens WHERE active AND (?::VARCHAR IS NULL OR slug = ?::VARCHAR)"
                " ORDER BY id",
                [sel.garden_slug, sel.garden_slug],
            ).fetchall()
        ]
    contacts = con.execute(
        "SELECT display_name, coalesce(organisation, '') FROM people"
        " WHERE role = 'committee' AND active ORDER BY id"
    ).fetchall()
    return {
        "gardens": [
            {
                "slug": g[0],
                "name": g[1],
                "name_en": g[2],
                "town": g[3],
                "district": g[4],
                "lat": g[5],
                "lon": g[6],
                "records": g[7],
                "first": g[8],
                "last": g[9],
            }
            for g in gardens
        ],
        "contacts": [{"name": c[0], "organisation": c[1]} for c in contacts],
    }
