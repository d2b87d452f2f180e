"""Visits (patrols): who walked which garden when, and in what weather."""

from __future__ import annotations

import numpy as np

from habitat.synthetic.knobs import (
    DISTURBANCES,
    P_BIOBLITZ,
    P_CASUAL,
    P_PATROL,
    P_POINT,
    P_TRANSECT,
    PROTOCOL_SIGHTINGS,
    PROTOCOLS,
    SIGHTING_SEASON,
    T_BIRD,
    T_BUTTERFLY,
    VISIT_SEASON,
    WEATHERS,
)
from habitat.synthetic.seasons import Calendar
from habitat.synthetic.tables import dict_array, insert_arrow, reserve_id_block, ts_array

# Visits (patrols)


def make_visits(rng, p: dict, people: dict, cal: Calendar) -> dict:
    g, d = p["n"], cal.n
    rate = rng.uniform(2.0, 4.0, g) / 7.0  # 2-4 patrols a week
    day_p = np.asarray(VISIT_SEASON)[cal.month - 1] * np.where(cal.rainy, 0.6, 1.06)
    happens = rng.random((g, d)) < rate[:, None] * day_p[None, :]
    # one BioBlitz a year per garden, on a Saturday in May
    bioblitz = np.zeros((g, d), dtype=bool)
    for y in np.unique(cal.year):
        sats = np.nonzero((cal.year == y) & (cal.month == 5) & (cal.weekday == 5))[0]
        if len(sats) >= 4:
            bioblitz[np.arange(g), sats[rng.integers(0, len(sats), g)]] = True
    happens |= bioblitz
    gi, di = np.nonzero(happens)  # sorted by garden, then day
    blitz = bioblitz[gi, di]
    v = len(gi)

    month = cal.month[di]
    warm = (month >= 4) & (month <= 9)
    evening = (rng.random(v) < np.where(warm, 0.10, 0.03)) & ~blitz
    afternoon = ~evening & (rng.random(v) < 0.2)
    start_min = np.where(
        evening,
        rng.integers(19 * 60, 20 * 60 + 31, v),
        np.where(afternoon, rng.integers(15 * 60, 17 * 60, v), rng.integers(7 * 60, 10 * 60, v)),
    )
    start_min = np.where(blitz, 9 * 60, start_min)
    u = rng.random(v)
    theme = p["theme"][gi]
    protocol = np.full(v, P_PATROL, dtype=np.int8)
    protocol[u < 0.15] = P_CASUAL
    protocol[(theme == T_BIRD) & ~evening & ~afternoon & (u > 0.7)] = P_POINT
    protocol[(theme == T_BUTTERFLY) & (cal.weekday[di] == 5) & (month >= 4) & (month <= 10) & ~evening] = (
        P_TRANSECT
    )
    protocol[blitz] = P_BIOBLITZ
    minutes = np.select(
        [protocol == P_CASUAL, protocol == P_POINT, protocol == P_TRANSECT, protocol == P_BIOBLITZ],
        [
            rng.integers(10, 40, v),
            rng.integers(20, 41, v),
            rng.integers(30, 61, v),
            rng.integers(180, 301, v),
        ],
        rng.integers(20, 76, v),
    )
    n_vol = people["n_vol"][gi]
    lead = rng.random(v) < 0.5
    recorder_rank = np.where(lead, 0, rng.integers(0, 1 << 30, v) % n_vol)
    observers = np.where(blitz, rng.integers(6, 16, v), np.minimum(rng.integers(1, 4, v), n_vol))
    rainy = cal.rainy[di]
    # relative number of sightings; scaled to the target in insert_sightings
    weight = (
        p["activity"][gi]
        * np.asarray(SIGHTING_SEASON)[month - 1]
        * np.asarray(PROTOCOL_SIGHTINGS)[protocol]
        * np.where(rainy, 0.6, 1.0)
        * np.where(evening, 0.6, 1.0)
    )
    weather = cal.weather[di]
    sun = np.select(
        [weather == 0, weather == 1, weather == 2],
        [rng.integers(60, 96, v), rng.integers(30, 71, v), rng.integers(5, 31, v)],
        0,
    )
    sun = np.where(evening, 0, sun)
    temp = (
        cal.temperature[di] + np.where(evening, -0.5, np.where(afternoon, 1.5, -1.5)) + rng.normal(0, 1.0, v)
    )
    return {
        "n": v,
        "garden": gi,
        "day": di,
        "month": month,
        "start_us": cal.midnight_us[di] + start_min.astype(np.int64) * 60_000_000,
        "minutes": minutes.astype(np.int64),
        "protocol": protocol,
        "evening": evening,
        "rainy": rainy,
        "weight": weight,
        "recorder": people["vol_first"][gi] + recorder_rank,
        "recorder_rank": recorder_rank,
        "observers": observers.astype(np.int32),
        "blitz": blitz,
        "weather": weather,
        "sun": sun.astype(np.int32),
        "temp": np.round(temp, 1),
        "wind": np.where(rainy, rng.integers(2, 6, v), rng.integers(0, 4, v)).astype(np.int32),
        "complete": np.where(
            np.isin(protocol, [P_TRANSECT, P_POINT, P_BIOBLITZ]),
            True,
            np.where(protocol == P_CASUAL, False, rng.random(v) < 0.5),
        ),
        "disturbance": np.where(rng.random(v) < 0.08, rng.integers(0, len(DISTURBANCES), v), -1),
    }


def insert_visits(con, vis: dict, p: dict, people: dict, cal: Calendar) -> int:
    v = vis["n"]
    base = reserve_id_block(con, "seq_visits", v)
    vis["id"] = base + np.arange(v, dtype=np.int64)
    # "王阿姨、李叔叔" from the recorder on; a BioBlitz lists the volunteers and the head count
    texts: dict[tuple[int, int, int], int] = {}
    words: list[str] = []
    codes = np.empty(v, dtype=np.int32)
    keys = zip(vis["garden"].tolist(), vis["recorder_rank"].tolist(), vis["observers"].tolist())
    for k, key in enumerate(keys):
        code = texts.get(key)
        if code is None:
            gi, r, n = key
            nv = int(people["n_vol"][gi])
            first = int(people["vol_first"][gi])
            vols = [people["name"][first + (r + j) % nv] for j in range(min(n, nv))]
            text = "、".join(vols) + (f"等{n}人" if n > nv else "")
            code = texts[key] = len(words)
            words.append(text)
        codes[k] = code
    end_us = vis["start_us"] + vis["minutes"] * 60_000_000
    insert_arrow(
        con,
        "visits",
        {
            "id": vis["id"],
            "garden_id": p["garden_id"][vis["garden"]],
            "started_at": ts_array(vis["start_us"]),
            "ended_at": ts_array(end_us),
            "observers": dict_array(codes, words),
            "observer_count": vis["observers"],
            "protocol": dict_array(vis["protocol"], PROTOCOLS),
            "weather": dict_array(vis["weather"], WEATHERS),
            "temperature_c": vis["temp"],
            "wind_beaufort": vis["wind"],
            "sun_pct": vis["sun"],
            "disturbance": dict_array(
                np.maximum(vis["disturbance"], 0), DISTURBANCES, mask=vis["disturbance"] < 0
            ),
            "complete_checklist": vis["complete"],
            "note": dict_array(np.zeros(v), ["年度 BioBlitz 生物快速调查"], mask=~vis["blitz"]),
            "recorded_by": people["base"] + vis["recorder"],
            "created_at": ts_array(end_us + 10 * 60_000_000),
        },
    )
    return v
