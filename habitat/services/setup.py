"""Creating or adopting a database: schema, shipped checklist, optional demo."""

from __future__ import annotations

import time
from pathlib import Path

from habitat.checklist import load_checklist
from habitat.db import open_database
from habitat.db import people as people_db
from habitat.db import species as species_db
from habitat.db.civic import fill_plant_layers
from habitat.services.context import Ctx, transaction
from habitat.settings import Config, load


def init_database(
    path: Path, *, demo: bool, config: Config | None = None, clock=None, photo_root: Path | None = None
) -> dict:
    """Create the schema (or adopt an existing file), load the checklist, build the demo if asked.

    An existing database with people in it is never re-seeded.
    """
    started = time.perf_counter()
    con = open_database(path)
    try:
        config = config or load(
            GARDEN_DB=str(path), **({"GARDEN_PHOTOS": str(photo_root)} if photo_root else {})
        )
        ctx = Ctx(con=con, user=None, config=config, **({"clock": clock} if clock else {}))
        report: dict = {"db": str(path)}
        with transaction(ctx):
            report["species_loaded"] = load_checklist(con)
            fill_plant_layers(con)
        if demo and people_db.count(con) == 0:
            from habitat.demo import build_demo  # only with --demo: it adds ~0.3 s to every import

            with transaction(ctx):
                report.update(build_demo(ctx))
        elif demo:
            report["demo"] = "skipped: database already has accounts"
        report["species"] = species_db.count(con)
        report["seconds"] = round(time.perf_counter() - started, 2)
        con.execute("CHECKPOINT")
        return report
    finally:
        con.close()
