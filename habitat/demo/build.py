"""Building the demo: gardens, people, tasks, a year of patrols and their reviews, upkeep logs, then the
events, civic and records parts (habitat.demo.events, .civic, .records)."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from pyproj import Transformer

from habitat import geo
from habitat.clock import SHANGHAI
from habitat.db import gardens as gardens_db
from habitat.db import species as species_db
from habitat.db.util import insert_frame, reserve_ids, scalar
from habitat.demo.civic import build_civic_demo
from habitat.demo.events import build_events_demo
from habitat.demo.records import build_records_demo
from habitat.demo.town import DEMO_PASSWORD, FEATURES, GARDENS, GROUP_ZONES, PEOPLE, TASKS, GardenSpec
from habitat.domain import verification as v
from habitat.domain.checks import months_of
from habitat.services import people
from habitat.services.context import Ctx


def _season_weight(group: str, month: int) -> float:
    # butterflies peak in summer and early autumn; frogs after spring rains; birds all year
    peaks = {"butterfly": 8, "moth": 8, "dragonfly": 7, "damselfly": 7, "bee": 6, "insect": 7, "amphibian": 6}
    if group not in peaks:
        return 1.0
    return 0.25 + math.exp(-(((month - peaks[group]) / 2.2) ** 2)) * 2.5


def build_demo(ctx: Ctx, *, today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Fill an empty database (schema and checklist loaded) with the Xinjing demo."""
    con = ctx.con
    now = ctx.now()
    if today is not None and today != now.date():
        now = datetime.combine(today, time(12), SHANGHAI)
    today = now.date()
    rng = np.random.default_rng(seed)

    garden_ids, zone_rows = _gardens_and_zones(con)
    people_ids = _people(ctx, garden_ids)
    task_defs = _task_defs(con, garden_ids, zone_rows, today, people_ids["liuzhuren"])
    _features(con, zone_rows, garden_ids, today, rng)

    species = species_db.frame(con)
    species = species[(species["taxon_rank"] == "species") | (species["taxon_rank"] == "subspecies")]
    volunteers: dict[str, list[int]] = {}
    for u, _, role, _, slug, _ in PEOPLE:
        if role == "volunteer" and slug:
            volunteers.setdefault(slug, []).append(people_ids[u])
    visits, sightings = _visits_and_sightings(
        zone_rows, garden_ids, volunteers, people_ids, species, today, rng
    )
    # explicit visit ids link the sightings; reserve them from the sequence so later patrols don't collide
    offset = reserve_ids(con, "seq_visits", len(visits)) - int(visits["id"].min())
    visits["id"] += offset
    sightings["visit_id"] += offset
    insert_frame(con, "visits", visits)
    insert_frame(con, "sightings", sightings)
    _identifications_and_reviews(con, people_ids, today)
    logs = _task_logs(task_defs, volunteers, garden_ids, today, rng)
    # so every garden's due list shows something on first open: watering was missed for three days
    recent = logs["done_at"] >= datetime.combine(today - timedelta(days=3), time(0), SHANGHAI)
    logs = logs[~(recent & (logs["kind"] == "water"))].reset_index(drop=True)
    insert_frame(con, "task_logs", logs)
    community = _community_demo(ctx, garden_ids, people_ids, today, now)
    records = build_records_demo(ctx, garden_ids, people_ids, today, now)
    return {
        **community,
        **records,
        "gardens": len(garden_ids),
        "zones": len(zone_rows),
        "people": len(people_ids),
        "visits": scalar(con, "SELECT count(*) FROM visits"),
        "sightings": scalar(con, "SELECT count(*) FROM sightings"),
        "task_logs": len(logs),
    }


def _gardens_and_zones(con):
    garden_ids: dict[str, int] = {}
    zone_rows: list[dict] = []
    for g in GARDENS:
        xs = [c for z in g.zones for c in (z.rect[0], z.rect[2])]
        ys = [c for z in g.zones for c in (z.rect[1], z.rect[3])]
        outline = geo.polygon_from_local_metres(
            g.lat, g.lon, [(min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))]
        )
        gid = gardens_db.insert_garden(
            con,
            slug=g.slug,
            name=g.name,
            name_en=g.name_en,
            town="新泾镇",
            district="长宁区",
            theme=g.theme,
            centre_lat=g.lat,
            centre_lon=g.lon,
            area_m2=round(geo.area_m2(outline)),
            boundary=geo.to_geojson(outline),
            opened_on=date(2020, 9, 1),
        )
        garden_ids[g.slug] = gid
        for z in g.zones:
            x0, y0, x1, y1 = z.rect
            poly = geo.polygon_from_local_metres(g.lat, g.lon, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            zid = gardens_db.insert_zone(
                con,
                garden_id=gid,
                code=z.code,
                name=z.name,
                name_en=z.name_en,
                kind=z.kind,
                geometry=geo.to_geojson(poly),
                area_m2=round(geo.area_m2(poly), 1),
            )
            zone_rows.append(
                {"id": zid, "garden": g.slug, "garden_id": gid, "kind": z.kind, "spec": z, "g": g}
            )
    return garden_ids, zone_rows


def _people(ctx: Ctx, garden_ids) -> dict[str, int]:
    ids = {}
    for username, name, role, expertise, home, org in PEOPLE:
        ids[username] = people.create_setup_account(
            ctx,
            username=username,
            display_name=name,
            role=role,
            password=DEMO_PASSWORD,
            expertise=expertise,
            home_garden_id=garden_ids.get(home) if home else None,
            organisation=org,
            rounds=4,  # demo only: fast to build; real accounts use auth.BCRYPT_ROUNDS
        )
    return ids


def _task_defs(con, garden_ids, zone_rows, today, committee_id) -> pd.DataFrame:
    rows = []
    start = today - timedelta(days=365)
    for z in zone_rows:
        for kind_of_zone, kind, title, every in TASKS:
            if z["kind"] == kind_of_zone:
                rows.append(
                    {
                        "garden_id": z["garden_id"],
                        "zone_id": z["id"],
                        "kind": kind,
                        "title": title,
                        "every_days": every,
                        "start_on": start,
                        "source": "manual",
                        "created_by": committee_id,
                    }
                )
    frame = pd.DataFrame(rows)
    insert_frame(con, "task_defs", frame)
    ids = con.execute("SELECT id FROM task_defs ORDER BY id").fetchall()
    frame["id"] = [r[0] for r in ids]
    return frame


def _features(con, zone_rows, garden_ids, today, rng):
    conditions = ["good", "good", "good", "fair", "poor"]
    for z in zone_rows:
        for kind_of_zone, kind, name, provides in FEATURES:
            if z["kind"] == kind_of_zone:
                gardens_db.insert_feature(
                    con,
                    garden_id=z["garden_id"],
                    zone_id=z["id"],
                    kind=kind,
                    name=name,
                    condition=conditions[int(rng.integers(len(conditions)))],
                    provides=provides or None,
                    checked_on=today - timedelta(days=int(rng.integers(3, 60))),
                )


def _points_to_wgs84(g: GardenSpec, dxs: np.ndarray, dys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Many local points at once (one projection call instead of one per point)."""
    cx, cy = Transformer.from_crs("EPSG:4326", geo.UTM51N, always_xy=True).transform(g.lon, g.lat)
    lon, lat = Transformer.from_crs(geo.UTM51N, "EPSG:4326", always_xy=True).transform(cx + dxs, cy + dys)
    return np.asarray(lat), np.asarray(lon)


class _SeasonPool:
    """The checklist species of one month as plain rows, with their pick weights cached per situation.

    Same arithmetic and the same random draws as picking from the frame row by row, only without
    pandas in the inner loop (the demo's year of patrols is built in a fraction of the time)."""

    def __init__(self, species: pd.DataFrame):
        self._species = species
        self._months: dict[int, list[dict]] = {}
        self._weights: dict[tuple, np.ndarray] = {}

    def rows(self, month: int) -> list[dict]:
        if month not in self._months:
            frame = self._species[self._species["usual_months"].map(lambda s: month in months_of(s))]
            self._months[month] = frame.to_dict("records")
        return self._months[month]

    def probabilities(self, month: int, rainy_spell: bool, slug: str, evening: bool) -> np.ndarray:
        key = (month, rainy_spell, slug, evening)
        if key not in self._weights:
            rows = self.rows(month)
            weights = np.array(
                [
                    _season_weight(r["group_name"], month)
                    * (3.0 if r["garden_common"] else 0.6)
                    * (4.0 if (rainy_spell and r["group_name"] == "amphibian") else 1.0)
                    * (0.15 if r["invasive"] else 1.0)
                    * (
                        0.05
                        if r["sensitive"] and not (slug == "xinsen" and evening)
                        else (8.0 if r["sensitive"] else 1.0)
                    )
                    * (2.0 if r["group_name"] == "butterfly" and slug in ("zhongjing", "leyi") else 1.0)
                    * (0.5 if r["group_name"] == "plant" else 1.0)
                    for r in rows
                ]
            )
            self._weights[key] = weights / weights.sum() if len(rows) else weights
        return self._weights[key]


def _visits_and_sightings(zone_rows, garden_ids, volunteers, people_ids, species, today, rng):
    visits, sightings = [], []
    visit_id = 0
    weathers = ["晴", "多云", "阴", "小雨"]
    by_garden = {slug: [z for z in zone_rows if z["garden"] == slug] for slug in garden_ids}
    pool = _SeasonPool(species)
    for day_offset in range(365, 0, -1):
        day = today - timedelta(days=day_offset)
        month = day.month
        rainy_spell = rng.random() < 0.2
        for slug, gid in garden_ids.items():
            if rng.random() > 0.42:  # about three patrols a week per garden
                continue
            visit_id += 1
            team = volunteers[slug]  # the first volunteer of a garden does most of the patrols
            recorder = (
                team[0]
                if len(team) == 1 or rng.random() < 0.8
                else team[1 + int(rng.integers(len(team) - 1))]
            )
            evening = rng.random() < 0.15
            start = datetime.combine(
                day,
                time(19, 30) if evening else time(int(rng.integers(7, 10)), int(rng.integers(0, 59))),
                SHANGHAI,
            )
            minutes = int(rng.integers(20, 75))
            observers = int(rng.integers(1, 4))
            temp = round(_temperature(month) + rng.normal(0, 2.5), 1)
            weather = "小雨" if rainy_spell else weathers[int(rng.integers(0, 3))]
            protocol = (
                "transect"
                if (slug == "zhongjing" and 4 <= month <= 10 and day.weekday() == 5)
                else "timed_patrol"
            )
            visits.append(
                {
                    "id": visit_id,
                    "garden_id": gid,
                    "started_at": start,
                    "ended_at": start + timedelta(minutes=minutes),
                    "observers": "、".join(["王阿姨", "李叔叔", "赵师傅", "孙阿姨", "小明"][:observers]),
                    "observer_count": observers,
                    "protocol": protocol,
                    "weather": weather,
                    "temperature_c": temp,
                    "wind_beaufort": int(rng.integers(0, 4)),
                    "sun_pct": int(rng.integers(10, 90)) if weather != "小雨" else 0,
                    "complete_checklist": bool(rng.random() < 0.6),
                    "recorded_by": recorder,
                }
            )
            in_season = pool.rows(month)
            n = int(rng.poisson(3.2 if 4 <= month <= 10 else 2.0))
            if n == 0 or len(in_season) == 0:
                continue
            picks = rng.choice(
                len(in_season),
                size=min(n, len(in_season)),
                replace=False,
                p=pool.probabilities(month, rainy_spell, slug, evening),
            )
            for k in picks:
                sp = in_season[int(k)]
                zones = [
                    z for z in by_garden[slug] if z["kind"] in GROUP_ZONES.get(sp["group_name"], ())
                ] or by_garden[slug]
                z = zones[int(rng.integers(len(zones)))]
                x0, y0, x1, y1 = z["spec"].rect
                dx, dy = rng.uniform(x0 + 0.5, x1 - 0.5), rng.uniform(y0 + 0.5, y1 - 0.5)
                larva = sp["group_name"] == "butterfly" and z["kind"] == "host_plants" and rng.random() < 0.25
                tadpole = sp["group_name"] == "amphibian" and month in (4, 5) and rng.random() < 0.4
                nest = sp["group_name"] == "bird" and 4 <= month <= 6 and rng.random() < 0.05
                sightings.append(
                    {
                        "garden_id": gid,
                        "zone_id": z["id"],
                        "visit_id": visit_id,
                        "species_id": int(sp["id"]),
                        "event_date": start + timedelta(minutes=int(rng.integers(0, minutes))),
                        "individual_count": None
                        if sp["group_name"] == "plant"
                        else int(1 + rng.poisson(1.5 if sp["group_name"] != "bird" else 2.5)),
                        "life_stage": "larva"
                        if (larva or tadpole)
                        else ("unknown" if sp["group_name"] == "plant" else "adult"),
                        "behavior": "nesting"
                        if nest
                        else (
                            "nectaring"
                            if sp["group_name"] in ("butterfly", "bee") and z["kind"] == "nectar_bed"
                            else None
                        ),
                        "nest_or_den": bool(nest or (sp["sensitive"] and rng.random() < 0.3)),
                        "degree_of_establishment": "cultivated"
                        if (sp["group_name"] == "plant" and rng.random() < 0.5)
                        else "wild",
                        "_slug": slug,
                        "_dx": dx,
                        "_dy": dy,
                        "coordinate_uncertainty_in_meters": float(rng.choice([5.0, 10.0, 15.0])),
                        "location_source": "photo_gps",
                        "recorded_by": recorder,
                        "source": "demo",
                        "created_at": start + timedelta(minutes=minutes + 5),
                    }
                )
    visit_frame = pd.DataFrame(visits)
    sighting_frame = pd.DataFrame(sightings)
    sighting_frame["individual_count"] = sighting_frame["individual_count"].astype("Int64")
    lat, lon = np.zeros(len(sighting_frame)), np.zeros(len(sighting_frame))
    specs = {g.slug: g for g in GARDENS}
    for slug, rows in sighting_frame.groupby("_slug").groups.items():
        idx = np.asarray(sighting_frame.index.get_indexer(rows))
        lat[idx], lon[idx] = _points_to_wgs84(
            specs[slug], sighting_frame["_dx"].to_numpy()[idx], sighting_frame["_dy"].to_numpy()[idx]
        )
    position = list(sighting_frame.columns).index("_slug")
    sighting_frame = sighting_frame.drop(columns=["_slug", "_dx", "_dy"])
    sighting_frame.insert(position, "decimal_latitude", lat)
    sighting_frame.insert(position + 1, "decimal_longitude", lon)
    return visit_frame, sighting_frame


def _temperature(month: int) -> float:
    return 17.0 - 11.5 * math.cos((month - 1.2) / 12 * 2 * math.pi)


def _identifications_and_reviews(con, people_ids, today):
    """Recorder identifications for all; reviews for records older than six weeks (every decision;
    about one in fifty is not accepted)."""
    cutoff = datetime.combine(today - timedelta(days=42), time(0), SHANGHAI)
    con.execute(
        "INSERT INTO identifications (sighting_id, species_id, identified_by, identified_at, by_expert)"
        " SELECT id, species_id, recorded_by, created_at, FALSE FROM sightings"
    )
    animal_expert, plant_expert = people_ids["zhanggong"], people_ids["chenlaoshi"]
    con.execute(
        """
        UPDATE sightings s SET
            identification_verification_status = CASE
                WHEN hash(s.id) % 10 < 6 THEN ?
                WHEN hash(s.id) % 10 < 9 THEN ?
                WHEN hash(s.id) % 100 = 89 THEN ?
                WHEN hash(s.id) % 100 = 99 THEN ?
                ELSE ? END,
            verified_by = CASE WHEN sp.group_name = 'plant' THEN ? ELSE ? END,
            verified_at = s.event_date + INTERVAL 3 DAY
        FROM species sp
        WHERE sp.id = s.species_id AND s.event_date < ?
        """,
        [
            v.ACCEPTED_CORRECT,
            v.ACCEPTED_CONSIDERED,
            v.NOT_ACCEPTED_UNABLE,
            v.NOT_ACCEPTED_INCORRECT,
            v.UNCONFIRMED_PLAUSIBLE,
            plant_expert,
            animal_expert,
            cutoff,
        ],
    )
    con.execute(
        "INSERT INTO verifications (sighting_id, status, decided_by, decided_at, machine)"
        " SELECT id, identification_verification_status, verified_by, verified_at, FALSE FROM sightings"
        " WHERE verified_by IS NOT NULL"
    )


def _task_logs(task_defs, volunteers, garden_ids, today, rng) -> pd.DataFrame:
    slug_of = {gid: slug for slug, gid in garden_ids.items()}
    rows = []
    for td in task_defs.itertuples():
        day = td.start_on
        # the butterfly garden is well kept; others slip now and then, so some tasks are overdue now
        slack = 0.5 if slug_of[td.garden_id] == "zhongjing" else 2.0
        while True:
            day = day + timedelta(
                days=int(max(1, td.every_days + rng.normal(0, slack * (1 + td.every_days / 10))))
            )
            if day >= today:
                break
            if rng.random() < 0.04 * slack:  # a missed round
                continue
            rows.append(
                {
                    "task_def_id": td.id,
                    "garden_id": td.garden_id,
                    "zone_id": td.zone_id,
                    "kind": td.kind,
                    "done_at": datetime.combine(
                        day, time(int(rng.integers(7, 11)), int(rng.integers(0, 59))), SHANGHAI
                    ),
                    "done_by": volunteers[slug_of[td.garden_id]][0],
                    "minutes": int(rng.integers(10, 60)),
                }
            )
    return pd.DataFrame(rows)


def _community_demo(ctx: Ctx, garden_ids, people_ids, today, now) -> dict[str, int]:
    """Partners, events and BioBlitzes (one running now); ideas, a garden meeting and five-principles assessments."""
    counts: dict[str, int] = {}
    for name, value in {
        **build_events_demo(ctx, garden_ids, people_ids, today, now),
        **build_civic_demo(ctx, garden_ids, people_ids, today),
    }.items():
        if isinstance(value, int):
            counts[name] = value
    return counts
