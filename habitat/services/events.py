"""Events (nature classes, BioBlitz, planting and clean-up days, meetings), sign-ups, attendance,
children's observation plots, and the partner organisations that help the gardens.

Who may do what: anyone signed in plans an event they host themselves and signs up; experts and
the committee ("record_attendance") organise any event, and an event's own host organises it
(public head counts, attendance, cancelling). Children are only ever counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd

from habitat.db import events as events_db
from habitat.db import gardens as gardens_db
from habitat.domain import bioblitz
from habitat.domain.roles import Person
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.services.context import Ctx, audit, transaction

EVENT_KINDS = ("nature_class", "bioblitz", "planting", "cleanup", "meeting", "plot_session")
PLANNABLE_KINDS = EVENT_KINDS[:-1]  # plot sessions are made by create_plot
OBSERVING_KINDS = ("bioblitz", "nature_class", "plot_session")  # a sighting made during one is linked to it
AUDIENCES = ("children", "families", "elders")
PARTNER_KINDS = (
    "zoo",
    "botanical_garden",
    "ngo",
    "agriculture",
    "school",
    "kindergarten",
    "business",
    "other",
)
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
MAX_TITLE = 100
MAX_TEXT = 2000
MAX_NAME = 50
MAX_HOURS = 24  # a classic BioBlitz lasts 24 hours
MAX_CAPACITY = 500
MAX_HEADS = 500
MAX_GUESTS = 200
MAX_MINUTES = 24 * 60
MAX_SESSIONS = 60
PLAN_RANGE = timedelta(days=366)  # an event may be recorded afterwards, or planned up to a year ahead
CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class EventDraft:
    garden_id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    zone_id: int | None = None
    place: str | None = None
    host_id: int | None = None  # None = the person planning it
    partner_id: int | None = None
    capacity: int | None = None  # None = no limit
    audience: tuple[str, ...] = ()  # empty = everyone
    description: str | None = None


@dataclass
class PartnerDraft:
    name: str
    kind: str
    name_en: str | None = None
    description: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass
class PlotDraft:
    garden_id: int
    name: str
    season_start: date
    season_end: date
    session_time: time = time(15, 30)  # after school
    every_days: int = 14
    minutes: int = 60
    zone_id: int | None = None
    partner_id: int | None = None
    class_name: str | None = None
    host_id: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class EventDetail:
    event: dict
    status: str  # upcoming, live, past, cancelled
    signups: pd.DataFrame
    attendance: pd.DataFrame
    signed_up: int
    places_left: int | None
    my_signup_id: int | None
    may_organise: bool


@dataclass(frozen=True)
class BlitzBoard:
    event: dict
    live: bool
    summary: bioblitz.BlitzSummary
    tally: list[bioblitz.SpeciesTally] = field(default_factory=list)
    leaderboard: list[bioblitz.RecorderScore] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- helpers


def _text(value: str | None, limit: int, key: str = "event.text_too_long") -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(key, n=limit)
    return text or None


def _check_place(ctx: Ctx, garden_id: int, zone_id: int | None) -> None:
    if gardens_db.by_id(ctx.con, garden_id) is None:
        raise ValidationError("sighting.no_garden")
    if zone_id is not None and zone_id not in set(gardens_db.zones(ctx.con, garden_id)["id"]):
        raise ValidationError("sighting.zone_not_in_garden")


def _check_partner(ctx: Ctx, partner_id: int | None) -> None:
    if partner_id is not None and events_db.partner(ctx.con, partner_id) is None:
        raise ValidationError("event.unknown_partner")


def _host(ctx: Ctx, user: Person, host_id: int | None) -> int:
    """The host defaults to the planner; only organisers (experts, committee) name someone else."""
    host_id = user.id if host_id is None else int(host_id)
    if not events_db.person_exists(ctx.con, host_id):
        raise ValidationError("event.unknown_host")
    if host_id != user.id and not ctx.can("record_attendance"):
        raise PermissionDenied("perm.denied", action="record_attendance")
    return host_id


def _event(ctx: Ctx, event_id: int) -> dict:
    ev = events_db.event(ctx.con, event_id)
    if ev is None:
        raise NotFound("event.not_found", id=event_id)
    return ev


def _may_organise(ctx: Ctx, ev: dict) -> bool:
    return ctx.user is not None and (ctx.can("record_attendance") or ev["host_id"] == ctx.user.id)


def _require_organiser(ctx: Ctx, ev: dict) -> Person:
    user = ctx.require("log")
    if not _may_organise(ctx, ev):
        raise PermissionDenied("perm.denied", action="record_attendance")
    return user


def status_of(ev: dict, now: datetime) -> str:
    if ev["cancelled"]:
        return "cancelled"
    if now < ev["starts_at"]:
        return "upcoming"
    return "live" if now <= ev["ends_at"] else "past"


def _heads(value, key: str = "event.bad_head_count") -> int:
    n = int(value or 0)
    if not (0 <= n <= MAX_HEADS):
        raise ValidationError(key, max=MAX_HEADS)
    return n


def _check_open_for_signups(ctx: Ctx, ev: dict, heads: int) -> None:
    if ev["cancelled"]:
        raise ValidationError("event.cancelled")
    if ctx.now() > ev["ends_at"]:
        raise ValidationError("event.over")
    if ev["capacity"] is not None:
        left = ev["capacity"] - events_db.signed_up_heads(ctx.con, ev["id"])
        if heads > left:
            raise ValidationError("event.full", left=max(left, 0))


# -------------------------------------------------------------------------------------------- events


def validate_event(ctx: Ctx, draft: EventDraft, *, kinds=PLANNABLE_KINDS) -> dict:
    """Check a draft; returns the column values to store (without host and creator)."""
    _check_place(ctx, draft.garden_id, draft.zone_id)
    if draft.kind not in kinds:
        raise ValidationError("event.bad_kind")
    title = _text(draft.title, MAX_TITLE, "event.title_too_long")
    if not title:
        raise ValidationError("event.title_needed")
    if draft.starts_at.tzinfo is None or draft.ends_at.tzinfo is None:
        raise ValidationError("sighting.time_needs_zone")
    if draft.ends_at <= draft.starts_at:
        raise ValidationError("event.ends_before_start")
    if draft.ends_at - draft.starts_at > timedelta(hours=MAX_HOURS):
        raise ValidationError("event.too_long", h=MAX_HOURS)
    if abs(draft.starts_at - ctx.now()) > PLAN_RANGE:
        raise ValidationError("event.too_far")
    _check_partner(ctx, draft.partner_id)
    if draft.capacity is not None and not (1 <= int(draft.capacity) <= MAX_CAPACITY):
        raise ValidationError("event.bad_capacity", max=MAX_CAPACITY)
    if any(a not in AUDIENCES for a in draft.audience):
        raise ValidationError("event.bad_audience")
    return {
        "garden_id": draft.garden_id,
        "zone_id": draft.zone_id,
        "kind": draft.kind,
        "title": title,
        "starts_at": draft.starts_at,
        "ends_at": draft.ends_at,
        "place": _text(draft.place, MAX_TITLE),
        "partner_id": draft.partner_id,
        "capacity": None if draft.capacity is None else int(draft.capacity),
        "audience": "|".join(a for a in AUDIENCES if a in draft.audience) or None,
        "description": _text(draft.description, MAX_TEXT),
    }


def plan_event(ctx: Ctx, draft: EventDraft) -> int:
    user = ctx.require("plan_event")
    values = validate_event(ctx, draft)
    values.update(host_id=_host(ctx, user, draft.host_id), created_by=user.id, created_at=ctx.now())
    with transaction(ctx):
        eid = events_db.insert_event(ctx.con, values)
        audit(
            ctx,
            "plan_event",
            "events",
            eid,
            after={k: values[k] for k in ("garden_id", "kind", "title", "starts_at")},
        )
    return eid


def cancel_event(ctx: Ctx, event_id: int) -> None:
    ev = _event(ctx, event_id)
    user = ctx.require("log")
    if not (_may_organise(ctx, ev) or ev["created_by"] == user.id):
        raise PermissionDenied("perm.denied", action="record_attendance")
    with transaction(ctx):
        if events_db.cancel_event(ctx.con, event_id, ctx.now()) == 0:
            raise ValidationError("event.cancelled")
        audit(ctx, "cancel_event", "events", event_id, before={"title": ev["title"]})


def garden_events(ctx: Ctx, garden_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(upcoming and live events, soonest first; past and cancelled ones, newest first)."""
    user = ctx.require("log")
    frame = events_db.garden_events(ctx.con, garden_id, user.id)
    now = ctx.now()
    frame["status"] = [
        status_of({"cancelled": c, "starts_at": s, "ends_at": e}, now)
        for c, s, e in zip(frame["cancelled"], frame["starts_at"], frame["ends_at"])
    ]
    ahead = frame["status"].isin(["upcoming", "live"])
    return frame[ahead].reset_index(drop=True), frame[~ahead].iloc[::-1].reset_index(drop=True)


def event_detail(ctx: Ctx, event_id: int) -> EventDetail:
    user = ctx.require("log")
    ev = _event(ctx, event_id)
    signed = events_db.signed_up_heads(ctx.con, event_id)
    return EventDetail(
        event=ev,
        status=status_of(ev, ctx.now()),
        signups=events_db.signups(ctx.con, event_id),
        attendance=events_db.attendance(ctx.con, event_id),
        signed_up=signed,
        places_left=None if ev["capacity"] is None else max(ev["capacity"] - signed, 0),
        my_signup_id=events_db.person_signup(ctx.con, event_id, user.id),
        may_organise=_may_organise(ctx, ev),
    )


def event_for_sighting(ctx: Ctx, garden_id: int, event_date: datetime) -> int | None:
    """The BioBlitz (or class, or plot session) under way in this garden when the record was made."""
    return events_db.event_at(ctx.con, garden_id, event_date, list(OBSERVING_KINDS))


# ---------------------------------------------------------------------------- sign-ups and attendance


def sign_up(ctx: Ctx, event_id: int, *, helper: bool = False, note: str | None = None) -> int:
    """The signed-in person signs themself up (as a helper, their attendance minutes become hours)."""
    user = ctx.require("log")
    ev = _event(ctx, event_id)
    if events_db.person_signup(ctx.con, event_id, user.id) is not None:
        raise ValidationError("event.already_signed_up")
    _check_open_for_signups(ctx, ev, 1)
    values = {
        "event_id": event_id,
        "person_id": user.id,
        "head_count": 1,
        "is_child": False,
        "helper": bool(helper),
        "note": _text(note, MAX_TITLE),
        "signed_up_by": user.id,
        "signed_up_at": ctx.now(),
    }
    with transaction(ctx):
        sid = events_db.insert_signup(ctx.con, values)
        audit(ctx, "sign_up", "event_signups", sid, after={"event_id": event_id, "helper": bool(helper)})
    return sid


def add_group_signup(
    ctx: Ctx,
    event_id: int,
    head_count: int,
    *,
    children: bool,
    name: str | None = None,
    note: str | None = None,
) -> int:
    """Members of the public signed up by an organiser: a head count, named only for adults."""
    ev = _event(ctx, event_id)
    user = _require_organiser(ctx, ev)
    heads = _heads(head_count)
    if heads == 0:
        raise ValidationError("event.empty_group")
    name = _text(name, MAX_NAME)
    if children and name:
        raise ValidationError("event.no_child_names")
    _check_open_for_signups(ctx, ev, heads)
    values = {
        "event_id": event_id,
        "person_id": None,
        "name": name,
        "head_count": heads,
        "is_child": bool(children),
        "helper": False,
        "note": _text(note, MAX_TITLE),
        "signed_up_by": user.id,
        "signed_up_at": ctx.now(),
    }
    with transaction(ctx):
        sid = events_db.insert_signup(ctx.con, values)
        audit(
            ctx,
            "add_group_signup",
            "event_signups",
            sid,
            after={"event_id": event_id, "head_count": heads, "is_child": bool(children)},
        )
    return sid


def cancel_signup(ctx: Ctx, signup_id: int) -> None:
    user = ctx.require("log")
    row = events_db.signup(ctx.con, signup_id)
    if row is None or row["withdrawn"]:
        raise NotFound("event.signup_not_found")
    ev = _event(ctx, row["event_id"])
    if row["person_id"] != user.id and not _may_organise(ctx, ev):
        raise PermissionDenied("perm.denied", action="record_attendance")
    with transaction(ctx):
        events_db.withdraw_signup(ctx.con, signup_id)
        audit(ctx, "cancel_signup", "event_signups", signup_id, before={"event_id": row["event_id"]})


def record_attendance(
    ctx: Ctx,
    event_id: int,
    *,
    people: dict[int, int | None],
    guests: list[str] | tuple[str, ...] = (),
    adults: int = 0,
    children: int = 0,
) -> int:
    """Who came, replacing any earlier record: accounts (with minutes helped), named adult guests, and
    head counts of adults and children. Returns the number of people counted."""
    ev = _event(ctx, event_id)
    user = _require_organiser(ctx, ev)
    if ev["cancelled"]:
        raise ValidationError("event.cancelled")
    if ev["starts_at"] > ctx.now() + CLOCK_SKEW:
        raise ValidationError("event.not_started")
    rows = []
    for person_id, minutes in people.items():
        if not events_db.person_exists(ctx.con, int(person_id)):
            raise ValidationError("event.unknown_person")
        if minutes is not None and not (0 <= int(minutes) <= MAX_MINUTES):
            raise ValidationError("event.bad_minutes", max=MAX_MINUTES)
        rows.append(
            {
                "person_id": int(person_id),
                "name": None,
                "head_count": 1,
                "is_child": False,
                "minutes": None if not minutes else int(minutes),
            }
        )
    names = [n for n in (_text(g, MAX_NAME, "event.name_too_long") for g in guests) if n]
    if len(names) > MAX_GUESTS:
        raise ValidationError("event.bad_head_count", max=MAX_GUESTS)
    rows += [
        {"person_id": None, "name": n, "head_count": 1, "is_child": False, "minutes": None} for n in names
    ]
    for count, is_child in ((_heads(adults), False), (_heads(children), True)):
        if count:
            rows.append(
                {"person_id": None, "name": None, "head_count": count, "is_child": is_child, "minutes": None}
            )
    frame = pd.DataFrame(rows, columns=["person_id", "name", "head_count", "is_child", "minutes"])
    frame = frame.astype(
        {
            "person_id": "Int64",
            "name": "string",
            "head_count": "int64",
            "is_child": "bool",
            "minutes": "Int64",
        }
    )
    frame["event_id"], frame["recorded_by"], frame["recorded_at"] = event_id, user.id, ctx.now()
    before = events_db.attendance(ctx.con, event_id)
    with transaction(ctx):
        events_db.replace_attendance(ctx.con, event_id, frame)
        audit(
            ctx,
            "record_attendance",
            "events",
            event_id,
            before={"heads": int(before["head_count"].sum())},
            after={
                "people": len(people),
                "guests": len(names),
                "adults": int(adults or 0),
                "children": int(children or 0),
            },
        )
    return int(frame["head_count"].sum())


def people_choices(ctx: Ctx) -> pd.DataFrame:
    """Active accounts (id, display name, role) for choosing a host or who came."""
    ctx.require("log")
    return events_db.active_people(ctx.con)[["id", "display_name", "role", "partner_id"]]


# ------------------------------------------------------------------------------------------ BioBlitz


def bioblitz_board(ctx: Ctx, event_id: int, lang: str = "zh") -> BlitzBoard:
    """Species tally and recorders' leaderboard for the records made during the event."""
    ctx.require("log")
    ev = _event(ctx, event_id)
    records = [
        bioblitz.BlitzRecord(
            id=r[0],
            species_id=r[1],
            recorder_id=r[2],
            recorder=r[3],
            at=r[4],
            individual_count=r[5],
            group_name=r[6],
            label=r[7] if lang == "zh" else r[8],
        )
        for r in events_db.blitz_records(ctx.con, event_id)
    ]
    return BlitzBoard(
        event=ev,
        live=status_of(ev, ctx.now()) == "live",
        summary=bioblitz.summary(records),
        tally=bioblitz.tally(records),
        leaderboard=bioblitz.leaderboard(records),
    )


# ------------------------------------------------------------------------------------------ partners


def list_partners(ctx: Ctx) -> pd.DataFrame:
    """The partner directory; contacts only for experts and the committee."""
    ctx.require("log")
    frame = events_db.partners(ctx.con)
    if not ctx.can("see_contacts"):
        frame = frame.drop(columns=list(CONTACT_FIELDS))
    return frame


def partner_contacts(ctx: Ctx, partner_id: int) -> dict:
    ctx.require("see_contacts")
    row = events_db.partner(ctx.con, partner_id)
    if row is None:
        raise NotFound("partner.not_found")
    return {k: row[k] for k in CONTACT_FIELDS}


def save_partner(ctx: Ctx, draft: PartnerDraft, partner_id: int | None = None) -> int:
    """Add a partner, or change one (``partner_id``)."""
    ctx.require("manage_partners")
    name = _text(draft.name, MAX_TITLE, "event.title_too_long")
    if not name:
        raise ValidationError("partner.name_needed")
    if draft.kind not in PARTNER_KINDS:
        raise ValidationError("partner.bad_kind")
    same = events_db.partner_by_name(ctx.con, name)
    if same is not None and same["id"] != partner_id:
        raise ValidationError("partner.name_taken", name=name)
    values = {
        "name": name,
        "name_en": _text(draft.name_en, MAX_TITLE),
        "kind": draft.kind,
        "description": _text(draft.description, MAX_TEXT),
        "contact_name": _text(draft.contact_name, MAX_NAME),
        "contact_phone": _text(draft.contact_phone, MAX_NAME),
        "contact_email": _text(draft.contact_email, MAX_TITLE),
    }
    with transaction(ctx):
        if partner_id is None:
            partner_id = events_db.insert_partner(
                ctx.con, {**values, "created_by": ctx.user.id, "created_at": ctx.now()}
            )
            audit(ctx, "add_partner", "partners", partner_id, after={"name": name, "kind": draft.kind})
        else:
            before = events_db.partner(ctx.con, partner_id)
            if before is None:
                raise NotFound("partner.not_found")
            events_db.update_partner(ctx.con, partner_id, values, ctx.now())
            audit(
                ctx,
                "edit_partner",
                "partners",
                partner_id,
                before={k: before[k] for k in values},
                after=values,
            )
    return partner_id


def pair_partner(
    ctx: Ctx, garden_id: int, partner_id: int, role: str | None = None, since: date | None = None
) -> int:
    ctx.require("manage_partners")
    _check_place(ctx, garden_id, None)
    if events_db.partner(ctx.con, partner_id) is None:
        raise ValidationError("event.unknown_partner")
    if events_db.pairing(ctx.con, garden_id, partner_id) is not None:
        raise ValidationError("partner.already_paired")
    values = {
        "garden_id": garden_id,
        "partner_id": partner_id,
        "role": _text(role, MAX_TITLE),
        "since": since or ctx.now().date(),
        "created_by": ctx.user.id,
        "created_at": ctx.now(),
    }
    with transaction(ctx):
        pid = events_db.insert_pairing(ctx.con, values)
        audit(
            ctx,
            "pair_partner",
            "garden_partners",
            pid,
            after={"garden_id": garden_id, "partner_id": partner_id},
        )
    return pid


def unpair_partner(ctx: Ctx, garden_id: int, partner_id: int) -> None:
    ctx.require("manage_partners")
    pid = events_db.pairing(ctx.con, garden_id, partner_id)
    if pid is None:
        raise NotFound("partner.not_paired")
    with transaction(ctx):
        events_db.delete_pairing(ctx.con, pid)
        audit(
            ctx,
            "unpair_partner",
            "garden_partners",
            pid,
            before={"garden_id": garden_id, "partner_id": partner_id},
        )


def link_person(ctx: Ctx, person_id: int, partner_id: int | None) -> None:
    """Say which partner an expert (or teacher) belongs to; None removes the link."""
    ctx.require("manage_partners")
    if not events_db.person_exists(ctx.con, person_id):
        raise ValidationError("event.unknown_person")
    _check_partner(ctx, partner_id)
    before = events_db.person_partner(ctx.con, person_id)
    with transaction(ctx):
        events_db.set_person_partner(ctx.con, person_id, partner_id)
        audit(
            ctx,
            "link_partner",
            "people",
            person_id,
            before={"partner_id": before},
            after={"partner_id": partner_id},
        )


def garden_partners(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    """A garden's partners and what their people did there: reviews, patrols, answers, events and classes."""
    ctx.require("log")
    return events_db.garden_partner_activity(ctx.con, garden_id, ctx.now())


# --------------------------------------------------------------------------- children's observation plots


def create_plot(ctx: Ctx, draft: PlotDraft) -> int:
    """A class's plot for a season, with a session every ``every_days`` days (events of kind plot_session)."""
    user = ctx.require("plan_event")
    _check_place(ctx, draft.garden_id, draft.zone_id)
    name = _text(draft.name, MAX_TITLE, "event.title_too_long")
    if not name:
        raise ValidationError("plot.name_needed")
    if draft.season_end < draft.season_start or draft.season_end - draft.season_start > PLAN_RANGE:
        raise ValidationError("plot.bad_season")
    if not (1 <= int(draft.every_days) <= 31):
        raise ValidationError("plot.bad_every")
    if not (15 <= int(draft.minutes) <= 240):
        raise ValidationError("plot.bad_minutes")
    _check_partner(ctx, draft.partner_id)
    host_id = _host(ctx, user, draft.host_id)
    tz = ctx.now().tzinfo
    days = range(0, (draft.season_end - draft.season_start).days + 1, int(draft.every_days))
    starts = [datetime.combine(draft.season_start + timedelta(days=d), draft.session_time, tz) for d in days]
    if len(starts) > MAX_SESSIONS:
        raise ValidationError("plot.too_many_sessions", n=MAX_SESSIONS)
    values = {
        "garden_id": draft.garden_id,
        "zone_id": draft.zone_id,
        "name": name,
        "partner_id": draft.partner_id,
        "class_name": _text(draft.class_name, MAX_NAME),
        "host_id": host_id,
        "season_start": draft.season_start,
        "season_end": draft.season_end,
        "description": _text(draft.description, MAX_TEXT),
        "created_by": user.id,
        "created_at": ctx.now(),
    }
    with transaction(ctx):
        plot_id = events_db.insert_plot(ctx.con, values)
        for start in starts:
            events_db.insert_event(
                ctx.con,
                {
                    "garden_id": draft.garden_id,
                    "zone_id": draft.zone_id,
                    "kind": "plot_session",
                    "title": name,
                    "starts_at": start,
                    "ends_at": start + timedelta(minutes=int(draft.minutes)),
                    "host_id": host_id,
                    "partner_id": draft.partner_id,
                    "audience": "children",
                    "series_id": plot_id,
                    "created_by": user.id,
                    "created_at": ctx.now(),
                },
            )
        audit(ctx, "create_plot", "plots", plot_id, after={"name": name, "sessions": len(starts)})
    return plot_id


def add_observation(
    ctx: Ctx,
    plot_id: int,
    observation: str,
    *,
    value: float | None = None,
    unit: str | None = None,
    event_id: int | None = None,
) -> int:
    """What the class saw or measured (no children's names: the text is about the plot)."""
    user = ctx.require("log")
    plot = events_db.plot(ctx.con, plot_id)
    if plot is None:
        raise NotFound("plot.not_found")
    text = _text(observation, 500)
    if not text:
        raise ValidationError("plot.observation_needed")
    if event_id is not None:
        ev = events_db.event(ctx.con, event_id)
        if ev is None or ev["series_id"] != plot_id:
            raise ValidationError("plot.session_mismatch")
    values = {
        "plot_id": plot_id,
        "event_id": event_id,
        "observed_at": ctx.now(),
        "observation": text,
        "value": None if value is None else float(value),
        "unit": _text(unit, 20),
        "recorded_by": user.id,
        "created_at": ctx.now(),
    }
    with transaction(ctx):
        oid = events_db.insert_observation(ctx.con, values)
        audit(ctx, "plot_observation", "plot_observations", oid, after={"plot_id": plot_id})
    return oid


def garden_plots(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("log")
    return events_db.garden_plots(ctx.con, garden_id)


def plot_detail(ctx: Ctx, plot_id: int) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(the plot, its sessions with head counts, its observations newest first)."""
    ctx.require("log")
    plot = events_db.plot(ctx.con, plot_id)
    if plot is None:
        raise NotFound("plot.not_found")
    return plot, events_db.plot_sessions(ctx.con, plot_id), events_db.plot_observations(ctx.con, plot_id)
