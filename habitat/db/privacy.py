"""The one definition of "shown at garden level only", as SQL that every reader builds into its query.

A sighting is generalised (no point, no zone for people without "see_sensitive" and in public
exports) when

* it is a nest or den, or
* its current taxon, or the accepted name that taxon was merged into, is sensitive, or
* any taxon ever proposed for it (the recorder's, every later identification, by anyone) is
  sensitive, unless an expert accepted the record after the last such proposal. Volunteers' votes
  can move the community taxon away from a protected owl; only an expert's acceptance lifts the
  protection, and a sensitive proposal made after that acceptance brings it back.

"An expert accepted" is a person's decision (``verified_by`` set; the auto-accept machine leaves
it empty) with an accepted status. The same rule in plain Python is
``habitat.domain.privacy.must_generalise``; a test checks that the two agree on every case.

Readers: the exports (``db/export.py``) build ``flag`` into their own query with ``sources`` and
``joins`` (every record, no extra join); the garden page's recent list and zone counts
(``db/overview.py``) and the monthly report's photos (``db/report.py``) join the CTE
``generalisation`` for their own few records.

Why SQL built here and not a database view: a view over all sightings made DuckDB aggregate the
whole identification history on every garden-page query (10x slower at 3 M records); given the
page's own 30 records (``among``), DuckDB reads only their identifications' row groups.
docs/decisions.md has the measurements.
"""

from __future__ import annotations

from habitat.domain.verification import ACCEPTED

# Fixed vocabulary from the code, not user input: written into the SQL as quoted literals.
_ACCEPTED_SQL = ", ".join("'" + status.replace("'", "''") + "'" for status in ACCEPTED)


def sources(name: str = "privacy", *, among: str | None = None) -> str:
    """CTE text (no parameters): ``{name}_taxon`` (which taxa count as sensitive) and
    ``{name}_proposed`` (per sighting, when a sensitive taxon was last proposed).

    ``among``: the name of an earlier CTE with an ``id`` column; only those sightings'
    identifications are read (a page's few records). ``None``: one pass over the identifications
    of sensitive taxa for every sighting (the exports).
    """
    only_ids = f"WHERE i.sighting_id IN (SELECT id FROM {among})" if among else ""
    return f"""
    {name}_taxon AS (  -- sensitive itself, or merged into a sensitive accepted name
        SELECT sp.id, sp.sensitive OR coalesce(acc.sensitive, FALSE) AS sensitive
        FROM species sp LEFT JOIN species acc ON acc.id = sp.accepted_id
    ),
    {name}_proposed AS (
        SELECT i.sighting_id, max(i.identified_at) AS last_sensitive_at
        FROM identifications i JOIN {name}_taxon t ON t.id = i.species_id AND t.sensitive
        {only_ids}
        GROUP BY i.sighting_id
    )"""


def joins(name: str = "privacy", s: str = "s") -> str:
    """The joins ``flag`` needs, for the sightings table aliased ``s``."""
    return (
        f"LEFT JOIN {name}_taxon {name}_cur ON {name}_cur.id = {s}.species_id"
        f" LEFT JOIN {name}_proposed {name}_p ON {name}_p.sighting_id = {s}.id"
    )


def flag(name: str = "privacy", s: str = "s") -> str:
    """The rule as a boolean SQL expression over the sighting ``s`` and ``joins``.

    The acceptance test sits in a CASE branch, so only the few sightings with a sensitive
    proposal evaluate it (an export reads millions of rows)."""
    return f"""({s}.nest_or_den
        OR coalesce({name}_cur.sensitive, FALSE)
        OR CASE WHEN {name}_p.last_sensitive_at IS NULL THEN FALSE
                WHEN {s}.verified_by IS NULL OR {s}.verified_at IS NULL
                     OR {s}.identification_verification_status NOT IN ({_ACCEPTED_SQL}) THEN TRUE
                ELSE {name}_p.last_sensitive_at >= {s}.verified_at END)"""


def generalisation(name: str = "privacy", *, among: str | None = None) -> str:
    """CTE text (no parameters) ending in ``{name}(sighting_id, generalised)``: for the sightings
    listed by the CTE ``among`` (column ``id``), or for every sighting when ``among`` is None."""
    only = f"WHERE s.id IN (SELECT id FROM {among})" if among else ""
    return f"""{sources(name, among=among)},
    {name} AS (
        SELECT s.id AS sighting_id, {flag(name)} AS generalised
        FROM sightings s {joins(name)}
        {only}
    )"""
