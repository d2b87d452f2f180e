"""Children's observation plots: a class's plot for a season with a session every few days (events
of kind plot_session), what the class saw or measured there, and the plot's sessions and records.
No child is named: the observations are about the plot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from habitat.db import events as events_db
from habitat.errors import NotFound, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.events import (
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    PLAN_RANGE,
    check_partner,
    check_place,
    clean_text,
    host_for,
)

MAX_SESSIONS = 60


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


def create_plot(ctx: Ctx, draft: PlotDraft) -> int:
    """A class's plot for a season, with a session every ``every_days`` days (events of kind plot_session)."""
    user = ctx.require("plan_event")
    check_place(ctx, draft.garden_id, draft.zone_id)
    name = clean_text(draft.name, MAX_TITLE, "event.title_too_long")
    if not name:
        raise ValidationError("plot.name_needed")
    if draft.season_end < draft.season_start or draft.season_end - draft.season_start > PLAN_RANGE:
        raise ValidationError("plot.bad_season")
    if not (1 <= int(draft.every_days) <= 31):
        raise ValidationError("plot.bad_every")
    if not (15 <= int(draft.minutes) <= 240):
        raise ValidationError("plot.bad_minutes")
    check_partner(ctx, draft.partner_id)
    host_id = host_for(ctx, user, draft.host_id)
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
        "class_name": clean_text(draft.class_name, MAX_NAME),
        "host_id": host_id,
        "season_start": draft.season_start,
        "season_end": draft.season_end,
        "description": clean_text(draft.description, MAX_TEXT),
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
    text = clean_text(observation, 500)
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
        "unit": clean_text(unit, 20),
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
