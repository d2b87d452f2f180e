"""The five principles of a habitat garden, seasons, and suggested scores from evidence numbers.

Pure rules, no I/O. The committee gives the final score (0–5); the evidence drawn from the records
only suggests one, and says what it rests on and which dates it covers. A suggestion is None where
the records hold no evidence at all (no plants recorded): "no data" is not "bad"; and every
suggestion is held back while the season is too young or too thinly recorded to judge it (two days
without an invasive plant are not a 5).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

PRINCIPLES = (1, 2, 3, 4, 5)
# i18n suffixes: principle.name_<key>, principle.about_<key>
PRINCIPLE_KEYS = {1: "native", 2: "no_invasive", 3: "layers", 4: "less_chemicals", 5: "wildlife"}
SEASONS = ("spring", "summer", "autumn", "winter")
LAYERS = ("canopy", "shrub", "herb", "ground", "aquatic", "climber")
NEEDS = ("food", "water", "shelter")
WORKING = ("good", "fair")
MAX_SCORE = 5
# A season is judged once it has this many days behind it and this many records (sightings) in them.
MIN_SEASON_DAYS = 30
MIN_SEASON_RECORDS = 10
_SEASON_RE = re.compile(r"^(\d{4})-(spring|summer|autumn|winter)$")


# ------------------------------------------------------------------------------------ seasons


def season_of(day: date) -> str:
    """Meteorological seasons: spring = Mar–May ... winter = Dec and the next Jan–Feb (named by December's year)."""
    if day.month in (1, 2):
        return f"{day.year - 1}-winter"
    return f"{day.year}-{SEASONS[(day.month - 3) // 3]}"


def parse_season(season: str) -> tuple[int, str]:
    match = _SEASON_RE.match(season or "")
    if not match:
        raise ValueError(f"not a season: {season!r}")
    return int(match[1]), match[2]


def season_bounds(season: str) -> tuple[date, date]:
    """[first day, first day of the next season)."""
    year, name = parse_season(season)
    start_month = 3 + 3 * SEASONS.index(name)
    start = date(year, start_month, 1)
    end_month = start_month + 3
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return start, end


def previous_season(season: str) -> str:
    start, _ = season_bounds(season)
    return season_of(date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1))


def recent_seasons(day: date, n: int) -> list[str]:
    """The season of ``day`` and the n-1 before it, newest first."""
    out = [season_of(day)]
    while len(out) < n:
        out.append(previous_season(out[-1]))
    return out


# ----------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    """Numbers drawn from one garden's records for one season (see services.principles).

    Two windows, both ending with the season or today, whichever is earlier: the season so far
    (``season_from`` .. ``season_to``, chemicals and how well the season is recorded) and the twelve
    months up to then (``year_from`` .. ``year_to``: plants, invasive plants and their removal).
    Dates are ISO strings (the evidence is stored as JSON), both ends included.
    """

    plant_species: int = 0  # distinct plant species recorded (planted or wild) in the 12 months
    native_plant_species: int = 0
    planted_species: int = 0  # of those, non-invasive ones recorded as cultivated at least once
    invasive_plant_sightings: int = 0  # in the 12 months (a plant in the ground is there all year)
    invasive_plant_species: int = 0
    invasive_animal_sightings: int = 0  # shown, not scored (the principle is about plants)
    removals: int = 0  # invasive-removal logs + resolved invasive-plant problems in the 12 months
    layers: tuple[str, ...] = ()  # plant layers present among non-invasive plants
    pesticide_logs: int = 0  # in the season
    fertiliser_logs: int = 0
    features_working: int = 0  # features providing food/water/shelter in good or fair condition
    features_poor: int = 0  # ... in poor or broken condition
    needs_met: tuple[str, ...] = ()  # of food, water, shelter: those at least one working feature provides
    season_from: str = ""  # the season so far: first and last day covered
    season_to: str = ""
    season_days: int = 0  # days of the season covered
    season_records: int = 0  # sightings (not rejected) in those days
    year_from: str = ""  # the twelve months: first and last day covered
    year_to: str = ""

    @property
    def enough_records(self) -> bool:
        """Whether the season is old enough and recorded enough for a suggested score."""
        return self.season_days >= MIN_SEASON_DAYS and self.season_records >= MIN_SEASON_RECORDS

    @property
    def native_share(self) -> float | None:
        return self.native_plant_species / self.plant_species if self.plant_species else None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["layers"], out["needs_met"] = list(self.layers), list(self.needs_met)
        share = self.native_share
        out["native_share"] = None if share is None else round(share, 3)
        return out


# ------------------------------------------------------------------------ suggested scores


def suggest_native(plant_species: int, native_species: int) -> int | None:
    """Share of native species among plants: ≥95 % → 5, ≥85 % → 4, ≥70 % → 3, ≥50 % → 2, >0 → 1, 0 → 0."""
    if plant_species <= 0:
        return None
    share = native_species / plant_species
    for floor, score in ((0.95, 5), (0.85, 4), (0.70, 3), (0.50, 2)):
        if share >= floor:
            return score
    return 1 if share > 0 else 0


def suggest_no_invasive(sightings: int, species: int, removals: int) -> int:
    """None seen → 5; every sighting met by a removal → 4; some removed → 3;
    seen, not removed: one species → 2, more → 1."""
    if sightings <= 0:
        return 5
    if removals >= sightings:
        return 4
    if removals > 0:
        return 3
    return 2 if species <= 1 else 1


def suggest_layers(layers: int, plant_species: int) -> int | None:
    """One point per plant layer present (canopy, shrub, herb, ground, aquatic, climber), at most 5."""
    if plant_species <= 0:
        return None
    return min(MAX_SCORE, max(0, layers))


def suggest_less_chemicals(pesticide_logs: int, fertiliser_logs: int) -> int:
    """No pesticide and no fertiliser → 5; no pesticide and one fertiliser → 4; more fertiliser → 3;
    one pesticide application → 2; more → 1."""
    if pesticide_logs <= 0:
        return 5 if fertiliser_logs <= 0 else (4 if fertiliser_logs == 1 else 3)
    return 2 if pesticide_logs == 1 else 1


def suggest_wildlife(needs_met: int, working: int, poor: int) -> int:
    """One point for each of food, water and shelter provided by a working feature, one for at
    least four working features, one when none is poor or broken (and something works)."""
    score = min(len(NEEDS), max(0, needs_met))
    if working >= 4:
        score += 1
    if poor == 0 and working > 0:
        score += 1
    return min(MAX_SCORE, score)


def suggested_scores(ev: Evidence) -> dict[int, int | None]:
    """Per principle; all None while the season is too young or thinly recorded (``enough_records``)."""
    if not ev.enough_records:
        return {p: None for p in PRINCIPLES}
    return {
        1: suggest_native(ev.plant_species, ev.native_plant_species),
        2: suggest_no_invasive(ev.invasive_plant_sightings, ev.invasive_plant_species, ev.removals),
        3: suggest_layers(len(ev.layers), ev.plant_species),
        4: suggest_less_chemicals(ev.pesticide_logs, ev.fertiliser_logs),
        5: suggest_wildlife(len(ev.needs_met), ev.features_working, ev.features_poor),
    }


def valid_score(score) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= MAX_SCORE
