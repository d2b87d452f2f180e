"""Sightings in chunks of Arrow rows, then identifications and verifications derived from them in SQL."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from habitat.demo.town import GROUP_ZONES
from habitat.synthetic.knobs import (
    BEHAVIOURS,
    CHUNK_SIGHTINGS,
    GENERAL_EXPERTISE,
    GROUP_SHARE,
    GROUPS,
    LIFE_STAGES,
    S_CONSIDERED,
    S_CORRECT,
    S_NOT_REVIEWED,
    S_PLAUSIBLE,
    S_UNABLE,
    SEXES,
    SIGHTINGS_PER_GARDEN_YEAR,
    SOURCE,
    STATUSES,
    THEME_FACTOR,
    VERBATIM,
    ZONE_KINDS,
)
from habitat.synthetic.seasons import Calendar, Species
from habitat.synthetic.tables import Timer, dict_array, insert_arrow, reserve_id_block, ts_array

# Sightings


def species_tables(p: dict, species: Species, rng):
    """Cumulative species weights per (garden, month, condition), flattened for one searchsorted."""
    g, s = p["n"], species.n
    base = np.where(species.common, 3.0, 0.6) * np.where(species.invasive, 0.15, 1.0)
    base = base * np.where(species.sensitive, 0.05, 1.0) / (1.0 + 0.2 * species.rank_in_group)
    for gi, group in enumerate(GROUPS):
        members = species.group == gi
        if members.any():
            base[members] *= GROUP_SHARE[group] / base[members].sum()
    per_garden = np.broadcast_to(base, (g, s)).copy()
    for theme, factors in THEME_FACTOR.items():
        for group, f in factors.items():
            per_garden[np.ix_(p["theme"] == theme, species.group == GROUPS.index(group))] *= f
    # each garden has its own mix: common taxa vary in abundance, uncommon ones are often absent
    per_garden *= np.exp(rng.normal(0, 0.5, (g, s)))
    absent = (rng.random((g, s)) < np.where(species.common, 0.05, 0.5)) | (
        species.sensitive & (rng.random((g, s)) < 0.7)
    )
    per_garden[absent] = 0.0
    w = (
        per_garden[:, None, None, :]
        * species.season()[None, :, None, :]
        * species.conditions()[None, None, :, :]
    )
    w = w.reshape(g * 48, s)
    totals = w.sum(axis=1, keepdims=True)
    empty = totals[:, 0] == 0
    w[empty] = 1.0  # never happens with the shipped checklist (birds are seen all year)
    cdf = np.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    return (cdf + np.arange(g * 48)[:, None]).ravel()


def zone_choices(p: dict):
    """(gardens, groups, 6) local zone choices per group, and how many there are."""
    g = p["n"]
    choice = np.zeros((g, len(GROUPS), 6), dtype=np.int64)
    count = np.zeros((g, len(GROUPS)), dtype=np.int64)
    kinds = p["zone_kind"]
    for i in range(g):
        first, nz = int(p["zone_first"][i]), int(p["n_zones"][i])
        zones = list(range(first, first + nz))
        for gi, group in enumerate(GROUPS):
            ok = [z for z in zones if kinds[z] in GROUP_ZONES.get(group, ())] or zones
            choice[i, gi, : len(ok)] = ok
            count[i, gi] = len(ok)
    return choice, count


def insert_sightings(con, seed, p, people, vis, species: Species, cal: Calendar, timer: Timer) -> int:
    rng0 = np.random.default_rng([seed, 5])
    cdf = species_tables(p, species, rng0)
    zchoice, zcount = zone_choices(p)
    target = p["n"] * cal.n / 365.25 * SIGHTINGS_PER_GARDEN_YEAR
    lam = vis["weight"] * (target / vis["weight"].sum())
    n_per_visit = rng0.poisson(lam)
    total = int(n_per_visit.sum())
    sbase = reserve_id_block(con, "seq_sightings", total)

    # chunks of whole gardens (a garden's rows stay together and in time order)
    per_garden = np.bincount(vis["garden"], weights=n_per_visit, minlength=p["n"])
    cum = np.cumsum(per_garden)
    bounds = [0]
    while bounds[-1] < p["n"]:
        start_rows = cum[bounds[-1] - 1] if bounds[-1] else 0
        nxt = int(np.searchsorted(cum, start_rows + CHUNK_SIGHTINGS, side="right"))
        bounds.append(min(p["n"], max(nxt, bounds[-1] + 1)))
    visit_bounds = np.searchsorted(vis["garden"], bounds)
    rows_before = np.concatenate([[0], np.cumsum(n_per_visit)])[visit_bounds]

    def make(c: int):
        v0, v1 = int(visit_bounds[c]), int(visit_bounds[c + 1])
        rng = np.random.default_rng([seed, 5, c])
        table = sightings_chunk(rng, p, people, vis, species, cal, cdf, zchoice, zcount, n_per_visit, v0, v1)
        return table.append_column("id", arrow_ids(sbase + int(rows_before[c]), table.num_rows))

    occurrence_id = (
        f"((hash(id, {int(seed)}, 1) & 18446744073709490175 | 16384)::UHUGEINT << 64"
        f" | (hash(id, {int(seed)}, 2) & 4611686018427387903 | 9223372036854775808))::UUID"
    )  # a version-4 UUID that depends only on the seed and the id: same seed, same occurrenceIDs
    done = 0
    for c in range(len(bounds) - 1):
        table = make(c)
        insert_arrow(
            con, "sightings", table, select={"occurrence_id": occurrence_id, "source": f"'{SOURCE}'"}
        )
        done += table.num_rows
        del table
        timer.tick("sightings", done, total)
    return done


def arrow_ids(first: int, n: int):
    return pa.array(np.arange(first, first + n, dtype=np.int64))


def sightings_chunk(rng, p, people, vis, species, cal, cdf, zchoice, zcount, n_per_visit, v0, v1):
    counts = n_per_visit[v0:v1]
    n = int(counts.sum())
    vrow = np.repeat(np.arange(v0, v1), counts)
    starts = np.cumsum(counts) - counts
    j = np.arange(n) - np.repeat(starts, counts)  # position within its visit
    g = vis["garden"][vrow]
    month = vis["month"][vrow].astype(np.int64)
    cond = vis["rainy"][vrow].astype(np.int64) + 2 * vis["evening"][vrow].astype(np.int64)

    # species: one searchsorted over every (garden, month, condition) table
    key = (g * 12 + (month - 1)) * 4 + cond
    u = np.minimum(rng.random(n), 1.0 - 1e-9)
    sp = np.searchsorted(cdf, key + u, side="right") - key * species.n
    sp = np.clip(sp, 0, species.n - 1)
    grp = species.group[sp]
    species_id = species.id[sp]
    # about 1 % recorded only as "butterfly (unidentified)" etc., 0.1 % with no taxon at all
    coarse_id = species.coarse_by_group[grp]
    r = rng.random(n)
    coarse = (r < 0.01) & (coarse_id > 0)
    unnamed = (r >= 0.01) & (r < 0.011)
    species_id = np.where(coarse, coarse_id, species_id)

    # zone and point
    zi = zchoice[g, grp, (rng.random(n) * zcount[g, grp]).astype(np.int64)]
    rect = p["zone_rect"][zi]
    kind = p["zone_kind_idx"][zi]
    by_gps = rng.random(n) < 0.75
    ux, uy = rng.random(n), rng.random(n)
    x = np.where(
        by_gps, rect[:, 0] + 0.5 + ux * (rect[:, 2] - rect[:, 0] - 1.0), (rect[:, 0] + rect[:, 2]) / 2
    )
    y = np.where(
        by_gps, rect[:, 1] + 0.5 + uy * (rect[:, 3] - rect[:, 1] - 1.0), (rect[:, 1] + rect[:, 3]) / 2
    )
    lat = np.round(p["lat"][g] + y / p["per_lat"][g], 6)
    lon = np.round(p["lon"][g] + x / p["per_lon"][g], 6)
    half_diag = np.ceil(np.hypot(rect[:, 2] - rect[:, 0], rect[:, 3] - rect[:, 1]) / 2)
    uncertainty = np.where(by_gps, np.asarray([5.0, 8.0, 10.0, 15.0, 20.0])[rng.integers(0, 5, n)], half_diag)

    # time: spread over the visit, in order
    minutes = vis["minutes"][vrow]
    frac = (j + rng.random(n)) / counts[vrow - v0]
    event_us = vis["start_us"][vrow] + (frac * minutes * 60_000_000).astype(np.int64)
    visit_end = vis["start_us"][vrow] + minutes * 60_000_000
    created_us = visit_end + (rng.exponential(40.0, n) * 60_000_000).astype(np.int64) + 60_000_000

    # life stage, sex, behaviour, counts
    G = {name: i for i, name in enumerate(GROUPS)}
    K = {name: i for i, name in enumerate(ZONE_KINDS)}
    adult = np.zeros(n, dtype=np.int8)
    r1, r2 = rng.random(n), rng.random(n)
    is_b = grp == G["butterfly"]
    on_host = kind == K["host_plants"]
    stage = adult.copy()
    stage[is_b & on_host & (r1 < 0.22)] = 1
    stage[is_b & on_host & (r1 >= 0.22) & (r1 < 0.27)] = 3
    stage[is_b & on_host & (r1 >= 0.27) & (r1 < 0.30)] = 2
    stage[(grp == G["moth"]) & (r1 < 0.2)] = 1
    amph = grp == G["amphibian"]
    stage[amph & ((month == 3) | (month == 4)) & (r1 < 0.15)] = 3
    stage[amph & (month >= 4) & (month <= 6) & (r1 >= 0.15) & (r1 < 0.5)] = 1
    stage[(grp == G["bird"]) & (month >= 5) & (month <= 7) & (r1 < 0.12)] = 4
    stage[((grp == G["dragonfly"]) | (grp == G["damselfly"])) & (kind == K["pond"]) & (r1 < 0.1)] = 1
    stage[grp == G["plant"]] = 5
    is_adult = stage == 0

    sexed = is_adult & np.isin(grp, [G["bird"], G["butterfly"], G["dragonfly"]]) & (r2 < 0.15)
    sex = (r2 * 1000).astype(np.int64) % 2

    evening = vis["evening"][vrow]
    beh = np.full(n, -1, dtype=np.int8)
    r3 = rng.random(n)
    beh[(grp == G["insect"]) & is_adult & (r3 < 0.15)] = 5
    beh[(grp == G["dragonfly"]) & is_adult & (r3 < 0.3)] = 6
    beh[(grp == G["reptile"]) & (r3 < 0.3)] = 7
    beh[amph & is_adult & evening & (r3 < 0.5)] = 3
    bird = grp == G["bird"]
    beh[bird & (r3 < 0.25)] = 2
    beh[bird & is_adult & (r3 >= 0.25) & (r3 < 0.35)] = 3
    nesting = bird & is_adult & (month >= 4) & (month <= 6) & (r3 >= 0.35) & (r3 < 0.40)
    beh[nesting] = 4
    beh[
        is_adult
        & np.isin(grp, [G["butterfly"], G["bee"], G["moth"]])
        & (kind == K["nectar_bed"])
        & (r3 < 0.65)
    ] = 0
    beh[is_adult & is_b & on_host & (r3 < 0.12)] = 1

    lam = np.select(
        [bird, stage == 1, grp == G["bee"], is_b],
        [np.full(n, 1.6), np.where(amph, 40.0, 3.0), np.full(n, 2.0), np.full(n, 0.6)],
        0.8,
    )
    count = (1 + rng.poisson(lam)).astype(np.int32)
    count[stage == 3] = 1  # an egg mass or a clutch
    no_count = (grp == G["plant"]) | (rng.random(n) < 0.03)  # present, not counted
    cultivated = (grp == G["plant"]) & (rng.random(n) < 0.5)
    nest = nesting | (species.sensitive[sp] & (rng.random(n) < 0.3))

    # review: older records decided by the town's experts, the last six weeks still waiting
    reviewed = event_us < cal.review_cutoff_us
    diff = species.difficulty[sp].astype(np.float64)
    r4 = rng.random(n)
    t1 = 0.62 - 0.07 * (diff - 1)  # accepted - correct (photo)
    t2 = t1 + 0.28  # accepted - considered correct
    t3 = 0.99 - 0.01 * (diff - 1)  # the rest plausible, a few unable to verify
    status = np.select([r4 < t1, r4 < t2, r4 < t3], [S_CORRECT, S_CONSIDERED, S_PLAUSIBLE], S_UNABLE)
    status = np.where(coarse, np.where(r4 < 0.5, S_PLAUSIBLE, S_UNABLE), status)
    status = np.where(unnamed, S_UNABLE, status)
    status = np.where(reviewed, status, S_NOT_REVIEWED).astype(np.int8)
    town = p["town_of"][g]
    general = people["general"][town]
    expert = np.where(grp == G["plant"], people["plant"][town], people["animal"][town])
    by_general = (
        (general >= 0) & np.isin(grp, [G[x] for x in GENERAL_EXPERTISE.split("|")]) & (rng.random(n) < 0.3)
    )
    expert = np.where(by_general, general, expert) + people["base"]
    lag = (rng.exponential(4.0 * 86_400, n).clip(0, 28 * 86_400) + 3_600) * 1_000_000
    verified_us = np.maximum(created_us, event_us + lag.astype(np.int64))

    verbatim_codes = rng.integers(0, len(VERBATIM), n)
    person_base = people["base"]
    return pa.table(
        {
            "garden_id": p["garden_id"][g],
            "zone_id": p["zone_id"][zi],
            "visit_id": vis["id"][vrow],
            "species_id": pa.array(species_id, mask=unnamed),
            "verbatim_identification": dict_array(verbatim_codes, VERBATIM, mask=~unnamed),
            "event_date": ts_array(event_us),
            "individual_count": pa.array(count, mask=no_count),
            "life_stage": dict_array(stage, LIFE_STAGES),
            "sex": dict_array(sex, SEXES, mask=~sexed),
            "behavior": dict_array(np.maximum(beh, 0), BEHAVIOURS, mask=beh < 0),
            "degree_of_establishment": dict_array(cultivated, ("wild", "cultivated")),
            "nest_or_den": nest,
            "decimal_latitude": lat,
            "decimal_longitude": lon,
            "coordinate_uncertainty_in_meters": uncertainty,
            "location_source": dict_array(~by_gps, ("photo_gps", "zone")),
            "recorded_by": person_base + vis["recorder"][vrow],
            "identification_verification_status": dict_array(status, STATUSES),
            "verified_by": pa.array(expert, mask=~reviewed),
            "verified_at": ts_array(verified_us, mask=~reviewed),
            "version": pa.array(np.where(reviewed, 2, 1).astype(np.int32)),
            "created_at": ts_array(created_us),
            "updated_at": ts_array(verified_us, mask=~reviewed),
        }
    )


def insert_identifications(con, n: int) -> int:
    """The recorder's identification for every sighting, in sighting order."""
    if not n:
        return 0
    first_sighting = con.execute("SELECT min(id) FROM sightings").fetchall()[0][0]
    base = reserve_id_block(con, "seq_identifications", n)
    con.execute(
        "INSERT INTO identifications (id, sighting_id, species_id, identified_by, identified_at, by_expert)"
        f" SELECT id + {base - first_sighting}, id, species_id, recorded_by, created_at, FALSE FROM sightings"
    )
    return n


def insert_verifications(con) -> int:
    """One decision per reviewed sighting (the newest decision is the sighting's status)."""
    first, last, n = con.execute(
        "SELECT min(id), max(id), count(*) FROM sightings WHERE verified_by IS NOT NULL"
    ).fetchall()[0]
    if not n:
        return 0
    # ids follow the sighting ids (with gaps where a sighting waits for review)
    base = reserve_id_block(con, "seq_verifications", last - first + 1)
    con.execute(
        "INSERT INTO verifications (id, sighting_id, status, decided_by, decided_at, machine)"
        f" SELECT id + {base - first}, id, identification_verification_status, verified_by, verified_at, FALSE"
        " FROM sightings WHERE verified_by IS NOT NULL"
    )
    return int(n)
