"""The species checklist as seen by pages (search lists, lookups)."""

from __future__ import annotations

from habitat.db import species as species_db
from habitat.domain.taxa import Taxon
from habitat.services.context import Ctx


def all_taxa(ctx: Ctx) -> list[Taxon]:
    return species_db.all_taxa(ctx.con)
