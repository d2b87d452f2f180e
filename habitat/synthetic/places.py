"""Gardens, zones and features over the Shanghai box."""

from __future__ import annotations

import math

import numpy as np

from habitat.synthetic.knobs import (
    BOX,
    FEATURES,
    OPTIONAL_KINDS,
    OPTIONAL_WEIGHTS,
    THEME_KIND,
    THEMES,
    TOWN_REPEAT_SUFFIX,
    TOWNS,
    ZONE_KINDS,
)
from habitat.synthetic.seasons import Calendar
from habitat.synthetic.tables import insert_arrow, reserve_id_block, ts_array

# Gardens, zones, features


def metres_per_degree(lat):
    """Local metre -> degree factors on the WGS84 ellipsoid (exact enough over a garden)."""
    phi = np.radians(lat)
    per_lat = 111_132.92 - 559.82 * np.cos(2 * phi) + 1.175 * np.cos(4 * phi)
    per_lon = 111_412.84 * np.cos(phi) - 93.5 * np.cos(3 * phi)
    return per_lat, per_lon


def make_places(rng, n_gardens: int, cal: Calendar) -> dict:
    # towns of 6-14 gardens, about ten on average
    sizes: list[int] = []
    while sum(sizes) < n_gardens:
        sizes.append(int(rng.integers(6, 15)))
    sizes[-1] -= sum(sizes) - n_gardens
    order = rng.permutation(len(TOWNS))
    towns = []
    for t in range(len(sizes)):
        name, district, lat, lon = TOWNS[order[t % len(TOWNS)]]
        rep = t // len(TOWNS)
        suffix = TOWN_REPEAT_SUFFIX[rep] if rep < len(TOWN_REPEAT_SUFFIX) else f"（{rep + 1}）"
        if rep:
            lat, lon = lat + rng.normal(0, 0.01), lon + rng.normal(0, 0.01)
        towns.append((name + suffix, district, lat, lon))
    town_of = np.repeat(np.arange(len(sizes)), sizes)

    g = n_gardens
    lat0, lat1, lon0, lon1 = BOX
    t_lat = np.array([t[2] for t in towns])[town_of]
    t_lon = np.array([t[3] for t in towns])[town_of]
    clat = np.clip(t_lat + rng.normal(0, 0.009, g), lat0 + 0.005, lat1 - 0.005)
    clon = np.clip(t_lon + rng.normal(0, 0.011, g), lon0 + 0.005, lon1 - 0.005)
    area = np.clip(np.exp(rng.normal(math.log(720), 0.42, g)), 400, 2500)
    aspect = rng.uniform(1.2, 2.2, g)
    width = np.sqrt(area * aspect)
    height = area / width
    theme = rng.choice(len(THEMES), g, p=[0.25, 0.2, 0.15, 0.15, 0.15, 0.10])
    n_zones = rng.choice([4, 5, 6], g, p=[0.3, 0.45, 0.25])
    activity = np.exp(rng.normal(0, 0.3, g))
    activity /= activity.mean()
    per_lat, per_lon = metres_per_degree(clat)

    zone_garden, zone_kind, zone_rect, zone_name, zone_name_en = [], [], [], [], []
    for i in range(g):
        k = int(n_zones[i])
        kinds = ["nectar_bed", "undisturbed"]
        must = THEME_KIND.get(int(theme[i]))
        if must:
            kinds.append(must)
        rest = [x for x in OPTIONAL_KINDS if x not in kinds]
        w = np.array([OPTIONAL_WEIGHTS[OPTIONAL_KINDS.index(x)] for x in rest])
        kinds += list(rng.choice(rest, k - len(kinds), replace=False, p=w / w.sum()))
        kinds = [kinds[j] for j in rng.permutation(k)]
        # two rows of rectangles: south row gets ceil(k/2) zones
        split = -height[i] / 2 + height[i] * rng.uniform(0.4, 0.6)
        rows_ = ((-height[i] / 2, split, (k + 1) // 2), (split, height[i] / 2, k // 2))
        j = 0
        for y0, y1, cols in rows_:
            cuts = np.concatenate([[0.0], np.cumsum(rng.dirichlet(np.full(cols, 5.0)))])
            xs = -width[i] / 2 + width[i] * cuts
            for c in range(cols):
                names, names_en = ZONE_KINDS[kinds[j]]
                pick = int(rng.integers(len(names)))
                zone_garden.append(i)
                zone_kind.append(kinds[j])
                zone_rect.append((xs[c], y0, xs[c + 1], y1))
                zone_name.append(names[pick])
                zone_name_en.append(names_en[pick])
                j += 1
    rect = np.array(zone_rect)
    return {
        "n": g,
        "towns": towns,
        "town_of": town_of,
        "lat": clat,
        "lon": clon,
        "area": area,
        "width": width,
        "height": height,
        "theme": theme,
        "activity": activity,
        "per_lat": per_lat,
        "per_lon": per_lon,
        "opened_days_before": rng.integers(30, 500, g),
        "zone_garden": np.array(zone_garden),
        "zone_kind": zone_kind,
        "zone_kind_idx": np.array([list(ZONE_KINDS).index(x) for x in zone_kind]),
        "zone_rect": rect,
        "zone_name": zone_name,
        "zone_name_en": zone_name_en,
        "zone_first": np.searchsorted(np.array(zone_garden), np.arange(g)),
        "n_zones": n_zones,
    }


def geojson_rect(lat, lon, per_lat, per_lon, x0, y0, x1, y1) -> str:
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    coords = ",".join(f"[{lon + x / per_lon:.7f},{lat + y / per_lat:.7f}]" for x, y in ring)
    return '{"type": "Polygon", "coordinates": [[' + coords + "]]}"


def insert_places(con, p: dict, cal: Calendar) -> dict[str, int]:
    g = p["n"]
    base = reserve_id_block(con, "seq_gardens", g)
    p["garden_id"] = base + np.arange(g, dtype=np.int64)
    opened = cal.epoch_day[0] - p["opened_days_before"]
    created = ts_array(cal.midnight_us[0] - (p["opened_days_before"] + 30) * 86_400_000_000)
    w, h = p["width"], p["height"]
    town_names = [p["towns"][t][0] for t in p["town_of"]]
    insert_arrow(
        con,
        "gardens",
        {
            "id": p["garden_id"],
            "slug": [f"g{i + 1:04d}" for i in range(g)],
            "name": [f"生境花园 {i + 1:04d}" for i in range(g)],
            "name_en": [f"Habitat Garden {i + 1:04d}" for i in range(g)],
            "town": town_names,
            "district": [p["towns"][t][1] for t in p["town_of"]],
            "address": [f"{town_names[i]}第{(i % 17) + 1}居民区" for i in range(g)],
            "theme": [THEMES[t] for t in p["theme"]],
            "centre_lat": np.round(p["lat"], 6),
            "centre_lon": np.round(p["lon"], 6),
            "area_m2": np.round(w * h),
            "boundary": [
                geojson_rect(
                    p["lat"][i],
                    p["lon"][i],
                    p["per_lat"][i],
                    p["per_lon"][i],
                    -w[i] / 2,
                    -h[i] / 2,
                    w[i] / 2,
                    h[i] / 2,
                )
                for i in range(g)
            ],
            "opened_on": opened.astype("datetime64[D]"),
            "created_at": created,
        },
    )

    zg, rect = p["zone_garden"], p["zone_rect"]
    nz = len(zg)
    zbase = reserve_id_block(con, "seq_zones", nz)
    p["zone_id"] = zbase + np.arange(nz, dtype=np.int64)
    codes = np.arange(nz) - p["zone_first"][zg]
    insert_arrow(
        con,
        "zones",
        {
            "id": p["zone_id"],
            "garden_id": p["garden_id"][zg],
            "code": [chr(65 + int(c)) for c in codes],
            "name": p["zone_name"],
            "name_en": p["zone_name_en"],
            "kind": p["zone_kind"],
            "geometry": [
                geojson_rect(p["lat"][i], p["lon"][i], p["per_lat"][i], p["per_lon"][i], *rect[z])
                for z, i in enumerate(zg)
            ],
            "area_m2": np.round((rect[:, 2] - rect[:, 0]) * (rect[:, 3] - rect[:, 1]), 1),
            "created_at": ts_array(np.full(nz, cal.midnight_us[0] - 400 * 86_400_000_000)),
        },
    )

    feats = [(z, kind, name, provides) for z, zk in enumerate(p["zone_kind"])
             for k, kind, name, provides in FEATURES if k == zk]  # fmt: skip
    fz = np.array([f[0] for f in feats], dtype=np.int64)
    nf = len(feats)
    fbase = reserve_id_block(con, "seq_features", nf)
    frng = np.random.default_rng(int(p["zone_id"][0]))
    insert_arrow(
        con,
        "features",
        {
            "id": fbase + np.arange(nf, dtype=np.int64),
            "garden_id": p["garden_id"][zg[fz]],
            "zone_id": p["zone_id"][fz],
            "kind": [f[1] for f in feats],
            "name": [f[2] for f in feats],
            "condition": frng.choice(["good", "good", "good", "fair", "poor"], nf),
            "provides": [f[3] for f in feats],
            "checked_on": (cal.epoch_day[-1] - frng.integers(3, 90, nf)).astype("datetime64[D]"),
            "updated_at": ts_array(np.full(nf, cal.end_us - 86_400_000_000)),
        },
    )
    return {"gardens": g, "zones": nz, "features": nf}
