"""People (committee, experts, volunteers; nobody can sign in) and task definitions."""

from __future__ import annotations

import numpy as np

from habitat.synthetic.knobs import (
    ANIMAL_EXPERTISE,
    ANIMAL_ORGS,
    ELDER_SUFFIXES,
    GENERAL_EXPERTISE,
    NGO_ORGS,
    PLANT_ORGS,
    SURNAMES,
    TASKS,
    YOUNG_NAMES,
)
from habitat.synthetic.seasons import Calendar
from habitat.synthetic.tables import insert_arrow, reserve_id_block, ts_array

# People and task definitions


def make_people(rng, p: dict) -> dict:
    usernames, names, roles, expertise, home, orgs = [], [], [], [], [], []

    def add(u, n, r, e=None, h=None, o=None):
        (
            usernames.append(u),
            names.append(n),
            roles.append(r),
            expertise.append(e),
            home.append(h),
            orgs.append(o),
        )
        return len(usernames) - 1

    n_vol = rng.integers(3, 9, p["n"])
    vol_first = np.zeros(p["n"], dtype=np.int64)
    for i in range(p["n"]):
        for j in range(int(n_vol[i])):
            if j and rng.random() < 0.15:
                name = f"{YOUNG_NAMES[int(rng.integers(len(YOUNG_NAMES)))]}（学生志愿者）"
            else:
                name = (
                    SURNAMES[int(rng.integers(len(SURNAMES)))]
                    + ELDER_SUFFIXES[int(rng.integers(len(ELDER_SUFFIXES)))]
                )
            k = add(f"v{i + 1:04d}_{j + 1}", name, "volunteer", h=i)
            if j == 0:
                vol_first[i] = k
    n_towns = len(p["towns"])
    animal = np.zeros(n_towns, dtype=np.int64)
    plant = np.zeros(n_towns, dtype=np.int64)
    general = np.full(n_towns, -1, dtype=np.int64)
    committee = np.zeros(n_towns, dtype=np.int64)
    for t, (town, *_rest) in enumerate(p["towns"]):

        def s() -> str:
            return SURNAMES[int(rng.integers(len(SURNAMES)))]

        org = ANIMAL_ORGS[int(rng.integers(len(ANIMAL_ORGS)))]
        animal[t] = add(f"e{t + 1:03d}_a", f"{s()}工（{org[:4]}）", "expert", ANIMAL_EXPERTISE, o=org)
        org = PLANT_ORGS[int(rng.integers(len(PLANT_ORGS)))]
        plant[t] = add(f"e{t + 1:03d}_p", f"{s()}老师（植物园）", "expert", "plant", o=org)
        if rng.random() < 0.5:
            org = NGO_ORGS[int(rng.integers(len(NGO_ORGS)))]
            general[t] = add(f"e{t + 1:03d}_g", f"{s()}博士（{org}）", "expert", GENERAL_EXPERTISE, o=org)
        committee[t] = add(f"c{t + 1:03d}_1", f"{s()}主任", "committee", o=f"{town}社区办")
        if rng.random() < 0.6:
            add(f"c{t + 1:03d}_2", f"{s()}书记", "committee", o=f"{town}居委会")
    return {
        "username": usernames,
        "name": names,
        "role": roles,
        "expertise": expertise,
        "home": home,
        "org": orgs,
        "n_vol": n_vol,
        "vol_first": vol_first,  # index of a garden's first (lead) volunteer; the others follow
        "animal": animal,
        "plant": plant,
        "general": general,
        "committee": committee,
    }


def insert_people(con, people: dict, p: dict, cal: Calendar) -> dict[str, int]:
    n = len(people["username"])
    base = reserve_id_block(con, "seq_people", n)
    people["base"] = base
    home = np.array([-1 if h is None else h for h in people["home"]])
    insert_arrow(
        con,
        "people",
        {
            "id": base + np.arange(n, dtype=np.int64),
            "username": people["username"],
            "display_name": people["name"],
            "role": people["role"],
            "password_hash": [None] * n,  # nobody can sign in to a synthetic database
            "expertise": people["expertise"],
            "home_garden_id": [None if h < 0 else int(p["garden_id"][h]) for h in home],
            "organisation": people["org"],
            "created_at": ts_array(np.full(n, cal.midnight_us[0] - 200 * 86_400_000_000)),
        },
    )

    defs = [(z, kind, title, every, lo, hi) for z, zk in enumerate(p["zone_kind"])
            for k, kind, title, every, lo, hi in TASKS if k == zk]  # fmt: skip
    nt = len(defs)
    tz = np.array([d[0] for d in defs], dtype=np.int64)
    tbase = reserve_id_block(con, "seq_task_defs", nt)
    garden = p["zone_garden"][tz]
    p["tasks"] = {
        "id": tbase + np.arange(nt, dtype=np.int64),
        "garden": garden,
        "zone": tz,
        "kind": [d[1] for d in defs],
        "every": np.array([d[3] for d in defs]),
        "lo": np.array([d[4] for d in defs]),
        "hi": np.array([d[5] for d in defs]),
    }
    insert_arrow(
        con,
        "task_defs",
        {
            "id": p["tasks"]["id"],
            "garden_id": p["garden_id"][garden],
            "zone_id": p["zone_id"][tz],
            "kind": p["tasks"]["kind"],
            "title": [d[2] for d in defs],
            "every_days": p["tasks"]["every"].astype(np.int32),
            "start_on": np.full(nt, cal.epoch_day[0]).astype("datetime64[D]"),
            "source": ["manual"] * nt,
            "created_by": base + people["committee"][p["town_of"][garden]],
            "created_at": ts_array(np.full(nt, cal.midnight_us[0] - 86_400_000_000)),
        },
    )
    return {"people": n, "task_defs": nt}
