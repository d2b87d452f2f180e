"""Events (nature classes, BioBlitz, planting and clean-up days, meetings): planning, cancelling,
the garden's list, one event's detail and the live BioBlitz board, and the checks that sign-ups,
partners and children's plots share (services/event_signups.py, partners.py, plots.py).

Who may do what: anyone signed in plans an event they host themselves and signs up; experts and
the committee ("record_attendance") organise any event, and an event's own host organises it
(public head counts, attendance, cancelling). Children are only ever counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
MAX_TITLE = 100
MAX_TEXT = 2000
MAX_NAME = 50
MAX_HOURS = 24  # a classic BioBlitz lasts 24 hours
MAX_CAPACITY = 500
PLAN_RANGE = timedelta(days=366)  # an event may be recorded afterwards, or planned up to a year ahead


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


@dataclass(frozen=True)
class EventDetail:
    event: dict
    status: str  # upcoming, live, past, cancelled
    signups: pd.DataFrame
    attendance: pd.DataFrame
    signed_up: int
    places_left: int | None  # None: no limit, or sign-ups closed (past, cancelled)
    my_signup_id: int | None
    may_organise: bool


@dataclass(frozen=True)
class BlitzBoard:
    event: dict
    live: bool
    summary: bioblitz.BlitzSummary
    tally: list[bioblitz.SpeciesTally] = field(default_factory=list)
    leaderboard: list[bioblitz.RecorderScore] = field(default_factory=list)


# -------------------------------------------- checks shared with sign-ups, partners and children's plots


def clean_text(value: str | None, limit: int, key: str = "event.text_too_long") -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(key, n=limit)
    return text or None


def check_place(ctx: Ctx, garden_id: int, zone_id: int | None) -> None:
    if gardens_db.by_id(ctx.con, garden_id) is None:
        raise ValidationError("sighting.no_garden")
    if zone_id is not None and zone_id not in set(gardens_db.zones(ctx.con, garden_id)["id"]):
        raise ValidationError("sighting.zone_not_in_garden")


def check_partner(ctx: Ctx, partner_id: int | None) -> None:
    if partner_id is not None and events_db.partner(ctx.con, partner_id) is None:
        raise ValidationError("event.unknown_partner")


def host_for(ctx: Ctx, user: Person, host_id: int | None) -> int:
    """The host defaults to the planner; only organisers (experts, committee) name someone else."""
    host_id = user.id if host_id is None else int(host_id)
    if not events_db.person_exists(ctx.con, host_id):
        raise ValidationError("event.unknown_host")
    if host_id != user.id and not ctx.can("record_attendance"):
        raise PermissionDenied("perm.denied", action="record_attendance")
    return host_id


def get_event(ctx: Ctx, event_id: int) -> dict:
    ev = events_db.event(ctx.con, event_id)
    if ev is None:
        raise NotFound("event.not_found", id=event_id)
    return ev


def may_organise(ctx: Ctx, ev: dict) -> bool:
    return ctx.user is not None and (ctx.can("record_attendance") or ev["host_id"] == ctx.user.id)


def status_of(ev: dict, now: datetime) -> str:
    if ev["cancelled"]:
        return "cancelled"
    if now < ev["starts_at"]:
        return "upcoming"
    return "live" if now <= ev["ends_at"] else "past"


# -------------------------------------------------------------------------------------------- events


def validate_event(ctx: Ctx, draft: EventDraft, *, kinds=PLANNABLE_KINDS) -> dict:
    """Check a draft; returns the column values to store (without host and creator)."""
    check_place(ctx, draft.garden_id, draft.zone_id)
    if draft.kind not in kinds:
        raise ValidationError("event.bad_kind")
    title = clean_text(draft.title, MAX_TITLE, "event.title_too_long")
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
    check_partner(ctx, draft.partner_id)
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
        "place": clean_text(draft.place, MAX_TITLE),
        "partner_id": draft.partner_id,
        "capacity": None if draft.capacity is None else int(draft.capacity),
        "audience": "|".join(a for a in AUDIENCES if a in draft.audience) or None,
        "description": clean_text(draft.description, MAX_TEXT),
    }


def plan_event(ctx: Ctx, draft: EventDraft) -> int:
    user = ctx.require("plan_event")
    values = validate_event(ctx, draft)
    values.update(host_id=host_for(ctx, user, draft.host_id), created_by=user.id, created_at=ctx.now())
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
    ev = get_event(ctx, event_id)
    user = ctx.require("log")
    if not (may_organise(ctx, ev) or ev["created_by"] == user.id):
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
    ev = get_event(ctx, event_id)
    signed = events_db.signed_up_heads(ctx.con, event_id)
    status = status_of(ev, ctx.now())
    open_for_signups = status in ("upcoming", "live") and ev["capacity"] is not None
    return EventDetail(
        event=ev,
        status=status,
        signups=events_db.signups(ctx.con, event_id),
        attendance=events_db.attendance(ctx.con, event_id),
        signed_up=signed,
        places_left=max(ev["capacity"] - signed, 0) if open_for_signups else None,
        my_signup_id=events_db.person_signup(ctx.con, event_id, user.id),
        may_organise=may_organise(ctx, ev),
    )


def event_for_sighting(ctx: Ctx, garden_id: int, event_date: datetime) -> int | None:
    """The BioBlitz (or class, or plot session) under way in this garden when the record was made."""
    return events_db.event_at(ctx.con, garden_id, event_date, list(OBSERVING_KINDS))


def people_choices(ctx: Ctx) -> pd.DataFrame:
    """Active accounts (id, display name, role) for choosing a host or who came."""
    ctx.require("log")
    return events_db.active_people(ctx.con)[["id", "display_name", "role", "partner_id"]]


# ------------------------------------------------------------------------------------------ BioBlitz


def bioblitz_board(ctx: Ctx, event_id: int, lang: str = "zh") -> BlitzBoard:
    """Species tally and recorders' leaderboard for the records made during the event."""
    ctx.require("log")
    ev = get_event(ctx, event_id)
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
