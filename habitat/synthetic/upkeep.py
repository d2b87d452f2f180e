"""Upkeep: task logs and problem reports."""

from __future__ import annotations

import numpy as np

from habitat.synthetic.knobs import PROBLEMS
from habitat.synthetic.seasons import Calendar
from habitat.synthetic.tables import dict_array, insert_arrow, masked, reserve_id_block, ts_array

# Upkeep: task logs and problems


def insert_upkeep(con, rng, p: dict, people: dict, cal: Calendar) -> dict[str, int]:
    t = p["tasks"]
    nt = len(t["id"])
    # slack per garden: some are well kept, others slip and have overdue tasks now
    slack = rng.uniform(0.3, 2.0, p["n"])[t["garden"]]
    rounds = (cal.n // t["every"] + 2).astype(np.int64)
    idx = np.repeat(np.arange(nt), rounds)
    k = np.arange(len(idx)) - np.repeat(np.cumsum(rounds) - rounds, rounds)
    every = t["every"][idx]
    jitter = rng.normal(0, 1, len(idx)) * slack[idx] * (0.3 + every / 10)
    day = np.round((k + 1) * every + jitter).astype(np.int64)
    keep = (day >= 0) & (day < cal.n) & (rng.random(len(idx)) >= 0.04 * slack[idx])
    water = np.array([x == "water" for x in t["kind"]])[idx]
    keep &= ~(
        water & np.isin(cal.month[np.clip(day, 0, cal.n - 1)], [12, 1, 2]) & (rng.random(len(idx)) < 0.6)
    )
    keep &= ~(water & cal.rainy[np.clip(day, 0, cal.n - 1)])
    idx, day = idx[keep], day[keep]
    g = t["garden"][idx]
    order = np.lexsort((day, g))
    idx, day, g = idx[order], day[order], g[order]
    m = len(idx)
    done_us = cal.midnight_us[day] + rng.integers(7 * 60, 11 * 60, m) * 60_000_000
    vol = people["vol_first"][g] + rng.integers(0, 1 << 30, m) % people["n_vol"][g]
    lbase = reserve_id_block(con, "seq_task_logs", m)
    kinds = sorted(set(t["kind"]))
    kind_code = np.array([kinds.index(x) for x in t["kind"]])
    insert_arrow(
        con,
        "task_logs",
        {
            "id": lbase + np.arange(m, dtype=np.int64),
            "task_def_id": t["id"][idx],
            "garden_id": p["garden_id"][g],
            "zone_id": p["zone_id"][t["zone"][idx]],
            "kind": dict_array(kind_code[idx], kinds),
            "done_at": ts_array(done_us),
            "done_by": people["base"] + vol,
            "minutes": rng.integers(t["lo"][idx], t["hi"][idx] + 1).astype(np.int32),
            "created_at": ts_array(done_us + 30 * 60_000_000),
        },
    )

    # a few problems: about 1.5 per garden a year, older ones resolved by the committee
    per = rng.poisson(1.5 * cal.n / 365.25, p["n"])
    pg = np.repeat(np.arange(p["n"]), per)
    np_ = len(pg)
    kind = rng.integers(0, len(PROBLEMS), np_)
    day = np.sort(rng.integers(0, cal.n, np_))
    order = np.lexsort((day, pg))
    day = day[order]
    zone = np.empty(np_, dtype=np.int64)
    for i in range(np_):
        gi, zk = pg[i], PROBLEMS[kind[i]][1]
        first, nz = int(p["zone_first"][gi]), int(p["n_zones"][gi])
        ok = [z for z in range(first, first + nz) if zk is None or p["zone_kind"][z] == zk]
        zone[i] = ok[int(rng.integers(len(ok)))] if ok else first + int(rng.integers(nz))
    reported_us = cal.midnight_us[day] + rng.integers(8 * 60, 18 * 60, np_) * 60_000_000
    resolved_us = reported_us + rng.integers(1, 21, np_) * 86_400_000_000
    resolved = (resolved_us < cal.end_us - 7 * 86_400_000_000) & (rng.random(np_) < 0.92)
    reporter = people["vol_first"][pg] + rng.integers(0, 1 << 30, np_) % people["n_vol"][pg]
    committee = people["committee"][p["town_of"][pg]] + people["base"]
    pbase = reserve_id_block(con, "seq_problems", np_)
    insert_arrow(
        con,
        "problems",
        {
            "id": pbase + np.arange(np_, dtype=np.int64),
            "garden_id": p["garden_id"][pg],
            "zone_id": p["zone_id"][zone],
            "kind": [PROBLEMS[k][0] for k in kind],
            "description": [PROBLEMS[k][2] for k in kind],
            "reported_by": people["base"] + reporter,
            "reported_at": ts_array(reported_us),
            "status": np.where(resolved, "resolved", "open"),
            "resolved_by": masked(committee, ~resolved),
            "resolved_at": ts_array(resolved_us, mask=~resolved),
            "resolution": [PROBLEMS[k][3] if ok else None for k, ok in zip(kind, resolved)],
        },
    )
    return {"task_logs": m, "problems": np_}
