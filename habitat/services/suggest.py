"""当季常见: help to name what she saw from what this garden (then the town) records at this time of year.

No model and no network: the app's own records. The taxa most often recorded within two weeks of
the photo's day of the year, in any year, each with a verified local photo when one exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from habitat.clock import local
from habitat.db import suggest as suggest_db
from habitat.domain.checks import hard_to_identify
from habitat.services.context import Ctx

SEASON_DAYS = 14  # "±2 weeks" of the day of the year


@dataclass(frozen=True)
class Suggestion:
    species_id: int
    chinese_name: str
    english_name: str | None
    scientific_name: str
    group: str
    planted: bool  # recorded as cultivated (planted) rather than wild: the cards keep them apart
    hard: bool  # hard to identify (checklist difficulty): the card says so
    garden_records: int  # records in this garden within the season window, all years
    town_records: int  # the same in the whole town (this garden included)
    photo_id: int | None  # a photo of an accepted record of this taxon, this garden's first
    thumb_path: str | None  # that photo's thumbnail, relative to the photo folder

    @property
    def from_garden(self) -> bool:
        return self.garden_records > 0


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def seasonal_common(ctx: Ctx, garden_id: int, on_date: date | datetime, limit: int = 8) -> list[Suggestion]:
    """The taxa most often recorded in this garden within ±14 days of ``on_date``'s day of the year
    over all years; fewer than ``limit``: filled from the whole town. Rejected and withdrawn records do
    not count. A taxon recorded both planted and wild is two suggestions."""
    ctx.require("log")
    day = local(on_date).date() if isinstance(on_date, datetime) else on_date
    frame = suggest_db.seasonal_counts(ctx.con, garden_id, day, days=SEASON_DAYS, limit=limit)
    return [
        Suggestion(
            species_id=int(r.species_id),
            chinese_name=r.chinese_name,
            english_name=_text(r.english_name),
            scientific_name=r.scientific_name,
            group=r.group_name,
            planted=bool(r.planted),
            hard=hard_to_identify(int(r.difficulty)),
            garden_records=int(r.garden_records),
            town_records=int(r.town_records),
            photo_id=None if pd.isna(r.photo_id) else int(r.photo_id),
            thumb_path=_text(r.thumb_path),
        )
        for r in frame.itertuples()
    ]
