"""seed_synthetic: every part in order, in one transaction, then a checkpoint."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from habitat.clock import system_clock
from habitat.db.unit import unit_of_work
from habitat.synthetic.knobs import Progress
from habitat.synthetic.people import insert_people, make_people
from habitat.synthetic.places import insert_places, make_places
from habitat.synthetic.seasons import Calendar, Species
from habitat.synthetic.sightings import insert_identifications, insert_sightings, insert_verifications
from habitat.synthetic.tables import Timer, ensure_checklist, require_empty
from habitat.synthetic.upkeep import insert_upkeep
from habitat.synthetic.visits import insert_visits, make_visits


def seed_synthetic(
    con,
    *,
    gardens: int,
    years: int,
    seed: int = 1,
    end_date: date | None = None,
    progress: Progress | None = None,
) -> dict:
    """Fill an empty database (schema migrated) with ``gardens`` gardens and ``years`` of records.

    ``end_date`` is the last day with records (default: yesterday in Shanghai). ``progress`` is
    called as ``progress(phase, done, total)``. Returns ``{"rows": {table: n}, "seconds":
    {phase: s, "total": s}, ...}``. Raises DatabaseError("db.not_empty") when gardens, zones,
    people, visits, sightings, identifications or task logs already hold rows. Loads the shipped
    checklist when the species table is empty. Everything is written in one transaction, then
    checkpointed.
    """
    if gardens < 1 or years < 1:
        raise ValueError("gardens and years must be at least 1")
    end_date = end_date or (system_clock().date() - timedelta(days=1))
    timer = Timer(progress)
    report: dict = {"gardens": gardens, "years": years, "seed": seed, "end_date": end_date.isoformat()}
    rows: dict[str, int] = {}

    require_empty(con)
    ensure_checklist(con)
    with unit_of_work(con):
        cal = Calendar(end_date, years, np.random.default_rng([seed, 1]))
        species = Species(con)
        timer.lap("setup")

        places = make_places(np.random.default_rng([seed, 2]), gardens, cal)
        rows.update(insert_places(con, places, cal))
        timer.lap("gardens_zones")

        people = make_people(np.random.default_rng([seed, 3]), places)
        rows.update(insert_people(con, people, places, cal))
        timer.lap("people_tasks")

        visits = make_visits(np.random.default_rng([seed, 4]), places, people, cal)
        rows["visits"] = insert_visits(con, visits, places, people, cal)
        timer.lap("visits")

        rows["sightings"] = insert_sightings(con, seed, places, people, visits, species, cal, timer)
        timer.lap("sightings")

        rows["identifications"] = insert_identifications(con, rows["sightings"])
        timer.lap("identifications")

        rows["verifications"] = insert_verifications(con)
        timer.lap("verifications")

        rows.update(insert_upkeep(con, np.random.default_rng([seed, 6]), places, people, cal))
        timer.lap("task_logs_problems")
    timer.lap("commit")
    con.execute("CHECKPOINT")
    timer.lap("checkpoint")
    report["rows"] = rows
    report["seconds"] = timer.seconds()
    return report
