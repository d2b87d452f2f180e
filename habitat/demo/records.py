"""The demo's stories and photos: every detail view opens on real content, whatever order a page sorts in.

Called from habitat.demo.build_demo after the year of patrols, the reviews, the events and the civic
part are in. Three parts:

* stories: records told through the services, acting as the demo accounts at past moments, so rows,
  identifications, decisions, query threads, photo files and audit entries are exactly what the app
  writes. They cover every review state (a query answered and one waiting, an expert's change of
  species, a community identification, an unidentified record), a sensitive species' den, a nest, a
  planted record, several photos on one record, photos with and without GPS, a portrait stored
  sideways with an EXIF orientation and a PNG screenshot. Dates are anchored on months (a frog in
  June, a thrush in January), so whatever day the demo is built, each species is in season.
* fresh records: every volunteer has something from today (or the last days), so "my recent
  records" and this month's figures are never empty.
* photos for every view: SQL picks the records a page opens first (the oldest of each review state,
  garden and group, as the expert queue sorts; the newest of each recorder, as "my records" sorts;
  one a month per garden; every queried record) and gives those without one a drawn photo.

"Ask an expert" questions and problem reports, with their photos, are also told here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from habitat import geo
from habitat.clock import SHANGHAI
from habitat.db import sightings as sightings_db
from habitat.db import species as species_db
from habitat.db.util import insert_frame, scalar
from habitat.demo.civic import _acting
from habitat.demo.photos import DemoPhoto, encode, ingest_all
from habitat.demo.stories import FRESH, PROBLEMS, QUESTIONS, STORIES, Pic, Story
from habitat.domain import verification as v
from habitat.domain.checks import months_of
from habitat.services import community, patrols, review, sightings
from habitat.services.context import Ctx
from habitat.services.photo_store import Upload


@dataclass
class _World:
    ctx: Ctx
    gardens: dict[str, int]
    people: dict[str, int]
    today: date
    now: datetime
    zones: dict[tuple[str, str], int] = field(default_factory=dict)
    centres: dict[int, tuple[float, float]] = field(default_factory=dict)
    seed: int = 500_000
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(2028))

    def point(self, zone_id: int) -> tuple[float, float]:
        """A point of its own within two metres of the zone's centre (every demo zone is wider than that)."""
        lat, lon = self.centres[zone_id]
        dx, dy = self.rng.uniform(-2.0, 2.0, size=2)
        return lat + dy / 111_320, lon + dx / (111_320 * math.cos(math.radians(lat)))

    def at(self, who: str, when: datetime) -> Ctx:
        return _acting(self.ctx, self.people, who, when)

    def species(self, scientific_name: str) -> int:
        found = species_db.id_by_name(self.ctx.con, scientific_name)
        if found is None:
            raise LookupError(f"demo species {scientific_name!r} is not in the checklist")
        return int(found)

    def next_seed(self) -> int:
        self.seed += 1
        return self.seed


def build_records_demo(
    ctx: Ctx, garden_ids: dict[str, int], people_ids: dict[str, int], today: date, now: datetime
) -> dict[str, int]:
    world = _World(ctx, garden_ids, people_ids, today, now)
    con = ctx.con
    for slug, kind, zid, geometry in con.execute(
        "SELECT g.slug, z.kind, z.id, z.geometry FROM zones z JOIN gardens g ON g.id = z.garden_id ORDER BY z.id"
    ).fetchall():
        world.zones.setdefault((slug, kind), zid)
        centre = geo.from_geojson(geometry).centroid
        world.centres[zid] = (centre.y, centre.x)
    stories = sum(1 for story in STORIES if _tell(world, story))
    fresh = _fresh_records(world)
    questions, problems = _questions(world), _problems(world)
    photos = _photos_for_every_view(ctx, now)
    return {
        "stories": stories,
        "fresh_records": fresh,
        "questions": questions,
        "problems": problems,
        "photos": scalar(con, "SELECT count(*) FROM photos"),
        "photos_added_for_views": photos,
    }


# ----------------------------------------------------------------------------------------- telling


def _moment(world: _World, when: tuple) -> datetime:
    if when[0] == "ago":
        _, days, hour, minute = when
        return datetime.combine(world.today - timedelta(days=days), time(hour, minute), SHANGHAI)
    _, month, day, hour, minute = when
    latest = world.today - timedelta(days=2)  # reviewed stories need a day or two for their decisions
    year = latest.year if (month, day) <= (latest.month, latest.day) else latest.year - 1
    return datetime.combine(date(year, month, day), time(hour, minute), SHANGHAI)


def _pick(world: _World, candidates: tuple[str | None, ...], month: int) -> tuple[int | None, int]:
    """(species id, index of the candidate): the first candidate in season that month."""
    for n, name in enumerate(candidates):
        if name is None:
            return None, n
        species_id = world.species(name)
        if month in months_of(
            scalar(world.ctx.con, "SELECT usual_months FROM species WHERE id = ?", [species_id])
        ):
            return species_id, n
    return world.species(candidates[-1]), len(candidates) - 1


def _group(world: _World, species_id: int | None) -> str:
    if species_id is None:
        return "bird"
    return scalar(world.ctx.con, "SELECT group_name FROM species WHERE id = ?", [species_id])


def _uploads(
    world: _World, pics: tuple[Pic, ...], group: str, label: str, taken: datetime, point: tuple[float, float]
) -> list[Upload]:
    uploads = []
    for n, pic in enumerate(pics):
        lat, lon = point
        photo = DemoPhoto(
            group=group,
            label=label,
            seed=world.next_seed(),
            taken=taken + timedelta(seconds=20 * n),
            gps=(lat + 0.00002 * (n + 1), lon - 0.00002 * (n + 1)) if pic.gps else None,
            kind=pic.kind,
            look=pic.look,
            name=pic.name,
        )
        uploads.append(Upload(photo.file_name, encode(photo)))
    return uploads


def _tell(world: _World, story: Story) -> int | None:
    """Log the record as its recorder, then play its steps; returns the sighting id."""
    con = world.ctx.con
    logged = _moment(world, story.when)
    if logged >= world.now:
        return None
    species_id, variant = _pick(world, story.species, logged.month)
    zone_id = world.zones[(story.garden, story.zone_kind)]
    point = world.point(zone_id)
    label = (
        "unknown"
        if species_id is None
        else scalar(con, "SELECT scientific_name FROM species WHERE id = ?", [species_id])
    )
    uploads = _uploads(world, story.pics, _group(world, species_id), label, logged, point)
    gps = any(p.gps for p in story.pics)
    draft = sightings.SightingDraft(
        garden_id=world.gardens[story.garden],
        zone_id=zone_id,
        event_date=logged,
        species_id=species_id,
        verbatim_identification=story.verbatim,
        individual_count=story.count,
        life_stage=story.life_stage,
        behavior=story.behavior,
        degree_of_establishment="cultivated" if story.cultivated else "wild",
        nest_or_den=story.nest_or_den,
        note=story.note,
        decimal_latitude=point[0],
        decimal_longitude=point[1],  # from the photo, or a tap on the garden plan
        coordinate_uncertainty_in_meters=8.0 if gps else 5.0,
        location_source="photo_gps" if gps else "manual",
        source="demo",
    )
    created = min(logged + timedelta(minutes=12), world.now)
    camera = any((p.name or "").startswith("CAM_") for p in story.pics)
    visit = _patrol(world, story.who, story.garden, logged, "camera_trap" if camera else "casual")
    sid = sightings.save_sighting(world.at(story.who, created), replace(draft, visit_id=visit), uploads).id
    _end_patrol(world, story.who, visit, logged)
    steps = story.steps
    for n, step in enumerate(steps):
        # a step never happens after "now": the last ones squeeze in before it, in order
        when = min(created + timedelta(hours=step.hours), world.now - timedelta(minutes=len(steps) - n))
        actor = world.at(step.who, when)
        named = _variant(step.species, variant)
        text = _variant(step.text, variant)
        if step.action == "identify":
            review.identify(actor, sid, world.species(named), remark=text)
        elif step.action == "query":
            review.ask_recorder(actor, sid, text)
        elif step.action == "answer":
            sightings.answer_query(actor, sid, text)
        elif step.action == "decide":
            version = sightings_db.get(con, sid)["version"]
            review.decide(
                actor,
                sid,
                version,
                step.status,
                species_id=world.species(named) if named else None,
                remark=text,
            )
    return sid


def _patrol(world: _World, who: str, slug: str, logged: datetime, protocol: str) -> int:
    """The short patrol (or camera check) the record was made on: effort data for the review panel."""
    started = logged - timedelta(minutes=20)
    month = logged.month
    return patrols.start_patrol(
        world.at(who, started),
        world.gardens[slug],
        protocol=protocol,
        started_at=started,
        weather=("sunny", "cloudy", "overcast")[logged.day % 3],
        temperature_c=_temperature(month, logged.hour),
        wind_beaufort=logged.day % 3,
        sun_pct=None if logged.hour >= 18 or logged.hour < 6 else 20 + logged.day % 60,
    )


def _end_patrol(world: _World, who: str, visit: int, logged: datetime) -> None:
    ended = min(logged + timedelta(minutes=25), world.now - timedelta(seconds=30))
    patrols.end_patrol(world.at(who, ended), visit, complete_checklist=False)


def _temperature(month: int, hour: int) -> float:
    """A plausible Shanghai air temperature (°C) for the month and hour."""
    return round(
        17.0 - 11.5 * math.cos((month - 1.2) / 12 * 2 * math.pi) - (3.0 if hour >= 19 or hour < 7 else 0.0), 1
    )


def _variant(value: str | None, variant: int) -> str | None:
    """ "a|b": the part for the species candidate that was used (the last part when there are fewer)."""
    if value is None:
        return None
    parts = value.split("|")
    return parts[min(variant, len(parts) - 1)]


def _fresh_moment(world: _World, share: float) -> datetime:
    """A moment of today before now (daytime when it can be), so it is in this month and this week."""
    now = world.now
    midnight = datetime.combine(now.date(), time(0), SHANGHAI)
    if now - midnight >= timedelta(hours=9):
        start = midnight + timedelta(hours=7)
    elif now.day > 1:  # early morning: yesterday's daytime is still this month
        start = midnight - timedelta(hours=17)
        return start + timedelta(hours=10) * share
    else:
        start = midnight
    return start + (now - timedelta(minutes=2) - start) * share


def _fresh_records(world: _World) -> int:
    n = 0
    for who, slug, zone_kind, candidates, share in FRESH:
        when = _fresh_moment(world, share)
        species_id, _ = _pick(world, candidates, when.month)
        plant = _group(world, species_id) == "plant"
        zone_id = world.zones[(slug, zone_kind)]
        lat, lon = world.point(zone_id)
        draft = sightings.SightingDraft(
            garden_id=world.gardens[slug],
            zone_id=zone_id,
            event_date=when,
            species_id=species_id,
            individual_count=None if plant else 1 + n % 3,
            life_stage="unknown" if plant else "adult",
            decimal_latitude=lat,
            decimal_longitude=lon,
            coordinate_uncertainty_in_meters=5.0,
            location_source="manual",
            source="demo",
        )
        visit = _patrol(world, who, slug, when, "casual")
        sightings.save_sighting(
            world.at(who, min(when + timedelta(minutes=1), world.now)), replace(draft, visit_id=visit)
        )
        _end_patrol(world, who, visit, when)
        n += 1
    return n


# ----------------------------------------------------------------------------- questions, problems


def _scene_upload(world: _World, label: str, when: datetime, group: str = "scene") -> list[Upload]:
    photo = DemoPhoto(group=group, label=label, seed=world.next_seed(), taken=when - timedelta(minutes=3))
    return [Upload(photo.file_name, encode(photo))]


def _questions(world: _World) -> int:
    for slug, zone_kind, who, ago, body, with_photo, answer in QUESTIONS:
        asked = datetime.combine(world.today - timedelta(days=ago), time(9), SHANGHAI)
        asked = min(asked, world.now - timedelta(minutes=30))
        uploads = _scene_upload(world, "question", asked, "plant") if with_photo else []
        qid = community.ask_expert(
            world.at(who, asked), world.gardens[slug], world.zones[(slug, zone_kind)], body, uploads
        )
        if answer:
            expert, verdict, name, text, hours = answer
            community.answer_question(
                world.at(expert, min(asked + timedelta(hours=hours), world.now)),
                qid,
                verdict=verdict,
                answer=text,
                species_id=world.species(name),
            )
    return len(QUESTIONS)


def _problems(world: _World) -> int:
    for slug, zone_kind, kind, text, who, ago, with_photo, resolution in PROBLEMS:
        reported = min(
            datetime.combine(world.today - timedelta(days=ago), time(9), SHANGHAI),
            world.now - timedelta(minutes=20),
        )
        uploads = _scene_upload(world, kind, reported) if with_photo else []
        pid = community.report_problem(
            world.at(who, reported), world.gardens[slug], world.zones[(slug, zone_kind)], kind, text, uploads
        )
        if resolution:
            committee = "zhoujie" if slug == "leyi" else "liuzhuren"
            community.resolve_problem(world.at(committee, reported + timedelta(days=3)), pid, resolution)
    return len(PROBLEMS)


# ------------------------------------------------------------------------------- photos for views

# The records a page opens first, whatever it sorts by: for each expert (their groups, as the queue
# filters by default), review state and garden, the oldest (the queue sorts oldest first), also
# within the last week; the oldest of each group and state (a one-group filter); the newest of each
# recorder ("my records"), the newest and oldest of each garden; every queried record; and one record
# in each month of each garden that has none yet. Unidentified and coarse records show in every
# expert's queue.
_VIEW_PICKS = """
WITH r AS (
    SELECT s.id, s.garden_id, s.recorded_by, s.created_at, s.event_date, s.queried,
           s.identification_verification_status AS status,
           CASE WHEN s.species_id IS NULL OR sp.taxon_rank NOT IN ('species', 'subspecies', 'genus')
                THEN 'unidentified' ELSE sp.group_name END AS grp,
           s.created_at >= ? AS this_week
    FROM sightings s LEFT JOIN species sp ON sp.id = s.species_id
    WHERE NOT s.withdrawn
), experts AS (
    SELECT id AS expert_id, string_split(coalesce(expertise, ''), '|') AS groups FROM people WHERE role = 'expert'
), per_expert AS (
    SELECT r.id, r.status, r.this_week,
        row_number() OVER (PARTITION BY e.expert_id, r.status, r.garden_id ORDER BY r.created_at, r.id) AS in_garden,
        row_number() OVER (PARTITION BY e.expert_id, r.status, r.garden_id, r.this_week
                           ORDER BY r.created_at, r.id) AS in_week
    FROM r JOIN experts e ON list_contains(e.groups, r.grp) OR r.grp = 'unidentified'
), ranked AS (
    SELECT *,
        row_number() OVER (PARTITION BY status, grp ORDER BY created_at, id) AS oldest_of_group,
        row_number() OVER (PARTITION BY recorded_by ORDER BY event_date DESC, id DESC) AS newest_of_recorder,
        row_number() OVER (PARTITION BY garden_id ORDER BY event_date DESC, id DESC) AS newest_of_garden,
        row_number() OVER (PARTITION BY garden_id ORDER BY event_date, id) AS oldest_of_garden,
        row_number() OVER (PARTITION BY garden_id, date_trunc('month', local_ts(event_date))
                           ORDER BY hash(id)) AS month_pick
    FROM r
), first_shown AS (
    SELECT id FROM per_expert WHERE in_garden = 1 OR (this_week AND status = ? AND in_week = 1)
    UNION
    SELECT id FROM ranked
    WHERE oldest_of_group = 1 OR newest_of_recorder = 1 OR newest_of_garden = 1 OR oldest_of_garden = 1 OR queried
), covered AS (  -- garden-months that already have a photographed record
    SELECT DISTINCT garden_id, date_trunc('month', local_ts(event_date)) AS month FROM r
    WHERE id IN (SELECT id FROM first_shown)
       OR EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = r.id AND NOT p.withdrawn)
), picked AS (
    SELECT id FROM first_shown
    UNION
    SELECT id FROM ranked WHERE month_pick = 1 AND NOT EXISTS (
        SELECT 1 FROM covered c WHERE c.garden_id = ranked.garden_id
                                  AND c.month = date_trunc('month', local_ts(ranked.event_date)))
)
SELECT s.id, coalesce(sp.group_name, 'bird') AS grp, coalesce(sp.scientific_name, 'unknown') AS label,
       s.recorded_by, s.created_at, s.event_date, s.decimal_latitude, s.decimal_longitude,
       extract('hour' FROM local_ts(s.event_date)) AS hour
FROM picked JOIN sightings s ON s.id = picked.id LEFT JOIN species sp ON sp.id = s.species_id
WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.sighting_id = s.id AND NOT p.withdrawn)
ORDER BY s.id
"""


def _photos_for_every_view(ctx: Ctx, now: datetime) -> int:
    """A photo on each record some page opens first (rows as photo_store.insert_rows writes them)."""
    con = ctx.con
    picks = con.execute(_VIEW_PICKS, [now - timedelta(days=7), v.UNCONFIRMED_NOT_REVIEWED]).fetchall()
    if not picks:
        return 0
    items = []
    for n, (sid, group, label, _, _, taken, lat, lon, hour) in enumerate(picks):
        night = group in ("mammal", "amphibian") and (hour >= 19 or hour < 6)
        items.append(
            DemoPhoto(
                group=group,
                label=label,
                seed=int(sid),
                taken=None if n % 7 == 3 else taken,
                gps=(lat, lon) if (n % 5 == 0 and lat is not None) else None,
                kind="portrait"
                if n % 11 == 5
                else ("png" if n % 23 == 7 else ("stripped" if n % 7 == 3 else "jpeg")),
                look="night" if night else ("blurred" if n % 31 == 13 else "day"),
            )
        )
    stored = ingest_all(items, ctx.photo_root)
    rows = []
    for (sid, _, _, recorder, created, _, _, _, _), photo, (data, item) in zip(picks, items, stored):
        info = item.info
        rows.append(
            {
                "sha256": info.sha256,
                "sighting_id": sid,
                "original_name": photo.file_name,
                "mime": info.mime,
                "byte_size": info.byte_size,
                "width": info.width,
                "height": info.height,
                "display_path": item.display_path,
                "thumb_path": item.thumb_path,
                "taken_at": info.taken_at,
                "private_lat": info.gps_lat,
                "private_lon": info.gps_lon,
                "private_accuracy_m": info.gps_accuracy_m,
                "uploaded_by": recorder,
                "uploaded_at": created,
            }
        )
    frame = pd.DataFrame(rows)
    frame["taken_at"] = pd.to_datetime(frame["taken_at"], utc=True)
    insert_frame(con, "photos", frame)
    return len(rows)
