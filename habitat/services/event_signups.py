"""Sign-ups and attendance: people sign themselves up, organisers add the public as head counts
and record who came (accounts with minutes helped, named adult guests, adults and children counted).
Children are only ever counted, never named."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from habitat.db import events as events_db
from habitat.domain.roles import Person
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.events import MAX_NAME, MAX_TITLE, clean_text, get_event, may_organise

MAX_HEADS = 500
MAX_PARTY = 20  # people one volunteer may bring along (adults, and children, each)
MAX_GUESTS = 200
MAX_MINUTES = 24 * 60
CLOCK_SKEW = timedelta(minutes=10)


def _require_organiser(ctx: Ctx, ev: dict) -> Person:
    user = ctx.require("log")
    if not may_organise(ctx, ev):
        raise PermissionDenied("perm.denied", action="record_attendance")
    return user


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


def sign_up(
    ctx: Ctx,
    event_id: int,
    *,
    helper: bool = False,
    note: str | None = None,
    adults: int = 0,
    children: int = 0,
) -> int:
    """The signed-in person signs themself up (as a helper, their attendance minutes become hours),
    with ``adults`` other adults and ``children`` children coming with them (counted, never named).
    Capacity counts people: all of them must fit, or nobody is signed up."""
    user = ctx.require("log")
    ev = get_event(ctx, event_id)
    if events_db.person_signup(ctx.con, event_id, user.id) is not None:
        raise ValidationError("event.already_signed_up")
    adults, children = int(adults or 0), int(children or 0)
    if not (0 <= adults <= MAX_PARTY and 0 <= children <= MAX_PARTY):
        raise ValidationError("event.bad_party", max=MAX_PARTY)
    _check_open_for_signups(ctx, ev, 1 + adults + children)
    base = {
        "event_id": event_id,
        "name": None,
        "helper": False,
        "note": None,
        "signed_up_by": user.id,
        "signed_up_at": ctx.now(),
    }
    with transaction(ctx):
        sid = events_db.insert_signup(
            ctx.con,
            base
            | {
                "person_id": user.id,
                "head_count": 1,
                "is_child": False,
                "helper": bool(helper),
                "note": clean_text(note, MAX_TITLE),
            },
        )
        for count, is_child in ((adults, False), (children, True)):
            if count:
                events_db.insert_signup(
                    ctx.con,
                    base | {"person_id": None, "head_count": count, "is_child": is_child, "party_of": sid},
                )
        audit(
            ctx,
            "sign_up",
            "event_signups",
            sid,
            after={"event_id": event_id, "helper": bool(helper), "adults": adults, "children": children},
        )
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
    ev = get_event(ctx, event_id)
    user = _require_organiser(ctx, ev)
    heads = _heads(head_count)
    if heads == 0:
        raise ValidationError("event.empty_group")
    name = clean_text(name, MAX_NAME)
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
        "note": clean_text(note, MAX_TITLE),
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
    ev = get_event(ctx, row["event_id"])
    if row["person_id"] != user.id and not may_organise(ctx, ev):
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
    ev = get_event(ctx, event_id)
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
    names = [n for n in (clean_text(g, MAX_NAME, "event.name_too_long") for g in guests) if n]
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
