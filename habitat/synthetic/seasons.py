"""The calendar (days, weather, conditions of a visit) and the species by group, season and commonness."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from habitat.synthetic.knobs import EVENING_FACTOR, GROUPS, RAIN_FACTOR, RAIN_P, REVIEW_LAG_DAYS, SEASON_PEAK

# Calendar and weather


class Calendar:
    """Days of the period as numpy arrays; city-wide weather per day."""

    def __init__(self, end_date: date, years: int, rng) -> None:
        try:
            start = end_date.replace(year=end_date.year - years) + timedelta(days=1)
        except ValueError:  # 29 February
            start = end_date.replace(year=end_date.year - years, day=28) + timedelta(days=1)
        self.start, self.end = start, end_date
        self.n = (end_date - start).days + 1
        self.epoch_day = (start - date(1970, 1, 1)).days + np.arange(self.n, dtype=np.int64)
        d64 = self.epoch_day.astype("datetime64[D]")
        self.month = (d64.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.int8)
        self.year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
        self.doy = (d64 - d64.astype("datetime64[Y]")).astype(np.int64)
        self.weekday = ((self.epoch_day + 3) % 7).astype(np.int8)  # Monday 0
        # midnight in Shanghai (UTC+8, no daylight saving) as UTC microseconds
        self.midnight_us = (self.epoch_day * 86_400 - 8 * 3_600) * 1_000_000
        cutoff_day = (end_date - timedelta(days=REVIEW_LAG_DAYS) - date(1970, 1, 1)).days + 1
        self.review_cutoff_us = (cutoff_day * 86_400 - 8 * 3_600) * 1_000_000
        self.end_us = ((end_date - date(1970, 1, 1)).days + 1) * 86_400_000_000 - 8 * 3_600_000_000

        # rain comes in spells; temperature anomalies persist for days
        p = np.asarray(RAIN_P)[self.month - 1]
        u = rng.random(self.n)
        noise = rng.normal(0.0, 1.6, self.n)
        rainy = np.zeros(self.n, dtype=bool)
        anomaly = np.zeros(self.n)
        for i in range(self.n):
            prev = rainy[i - 1] if i else False
            rainy[i] = u[i] < (min(0.8, p[i] * 1.5) if prev else p[i] * 0.8)
            anomaly[i] = (0.8 * anomaly[i - 1] if i else 0.0) + noise[i]
        self.rainy = rainy
        self.temperature = 17.0 - 11.5 * np.cos((self.doy - 20) / 365.25 * 2 * math.pi) + anomaly
        dry = rng.choice(3, self.n, p=[0.45, 0.35, 0.20])  # 晴 多云 阴
        wet = np.where(rng.random(self.n) < 0.8, 3, 4)  # 小雨 中雨
        self.weather = np.where(rainy, wet, dry).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Species


class Species:
    """The checklist as arrays: pickable taxa, coarse "unidentified" taxa per group."""

    def __init__(self, con) -> None:
        rows = con.execute(
            "SELECT id, group_name, taxon_rank, usual_months, garden_common, invasive, sensitive, difficulty"
            " FROM species WHERE accepted_id IS NULL ORDER BY id"
        ).fetchall()
        pick = [r for r in rows if r[2] in ("species", "subspecies", "genus")]
        coarse = {r[1]: r[0] for r in rows if r[2] not in ("species", "subspecies", "genus")}
        self.n = len(pick)
        self.id = np.array([r[0] for r in pick], dtype=np.int64)
        self.group = np.array([GROUPS.index(r[1]) if r[1] in GROUPS else GROUPS.index("other") for r in pick])
        self.common = np.array([bool(r[4]) for r in pick])
        self.invasive = np.array([bool(r[5]) for r in pick])
        self.sensitive = np.array([bool(r[6]) for r in pick])
        self.rank_in_group = np.zeros(self.n)
        for gi in range(len(GROUPS)):
            members = self.group == gi
            self.rank_in_group[members] = np.arange(members.sum())
        self.difficulty = np.clip(np.array([int(r[7] or 2) for r in pick]), 1, 5).astype(np.int8)
        self.in_month = np.zeros((12, self.n), dtype=bool)
        for j, r in enumerate(pick):
            for m in months_of(r[3] or "1-12"):
                self.in_month[m - 1, j] = True
        # coarse taxon per group (e.g. 蝴蝶（未识别）), -1 when the checklist has none
        self.coarse_by_group = np.array([coarse.get(g, -1) for g in GROUPS], dtype=np.int64)
        if self.n == 0:
            raise RuntimeError("the species checklist is empty")

    def season(self):
        """(12, n) weights: in usual months, with group peaks (as habitat.demo)."""
        w = np.zeros((12, self.n))
        for m in range(1, 13):
            for gi, g in enumerate(GROUPS):
                peak = SEASON_PEAK.get(g)
                f = 1.0 if peak is None else 0.25 + math.exp(-(((m - peak) / 2.2) ** 2)) * 2.5
                w[m - 1, self.group == gi] = f
        return w * self.in_month

    def conditions(self):
        """(4, n) factors for morning/evening x dry/rain."""
        evening = np.array([EVENING_FACTOR.get(GROUPS[g], 1.0) for g in self.group])
        evening = np.where(self.sensitive, 60.0, evening)  # raccoon dogs and civets come out at night
        rain = np.array([RAIN_FACTOR.get(GROUPS[g], 1.0) for g in self.group])
        return np.stack([np.ones(self.n), rain, evening, evening * rain])


def months_of(spec: str) -> set[int]:
    """ "3-11" -> {3..11}; "10-4" wraps over the new year."""
    a, b = (int(x) for x in spec.split("-"))
    return set(range(a, b + 1)) if a <= b else set(range(a, 13)) | set(range(1, b + 1))
