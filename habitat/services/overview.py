"""Read-only views for the home pages and the garden page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pandas as pd

from habitat.clock import month_bounds
from habitat.db import gardens as gardens_db
from habitat.db import overview as overview_db
from habitat.errors import NotFound
from habitat.services import community, upkeep
from habitat.services.context import Ctx


def gardens(ctx: Ctx) -> pd.DataFrame:
    return gardens_db.list_gardens(ctx.con)


def headlines(ctx: Ctx) -> pd.DataFrame:
    """Per-garden headline figures (committee home, town map)."""
    ctx.require("log")
    now = ctx.now()
    start, end = month_bounds(now.year, now.month, ctx.config.timezone)
    year_start, _ = month_bounds(now.year, 1, ctx.config.timezone)
    return overview_db.garden_headlines(ctx.con, start, year_start, end)


def expert_queue(ctx: Ctx) -> pd.DataFrame:
    user = ctx.require("verify")
    return overview_db.review_queue_counts(ctx.con, list(user.expertise))


@dataclass(frozen=True)
class ExpertWork:
    """An expert's home: records waiting in her groups (per group, the oldest) and open questions."""

    waiting: int
    oldest_days: int | None  # how long the oldest waiting record has waited, in whole days
    groups: pd.DataFrame  # group_name, records, oldest
    questions: pd.DataFrame  # unanswered questions, newest first


def expert_work(ctx: Ctx) -> ExpertWork:
    groups = expert_queue(ctx)
    questions = community.open_questions(ctx)
    oldest = None if groups.empty else groups["oldest"].min()
    return ExpertWork(
        waiting=int(groups["records"].sum()) if not groups.empty else 0,
        oldest_days=None if oldest is None else max(0, (pd.Timestamp(ctx.now()) - pd.Timestamp(oldest)).days),
        groups=groups,
        questions=questions,
    )


@dataclass(frozen=True)
class CommitteeWork:
    """The committee's home: overdue upkeep and open problems, in her garden (a town member: all)."""

    overdue: pd.DataFrame  # due_tasks rows with days_overdue > 0, most overdue first
    problems: pd.DataFrame  # open problems, oldest first, with age_days


def committee_work(ctx: Ctx) -> CommitteeWork:
    user = ctx.require("resolve_problems")
    due = upkeep.due_tasks(ctx, garden_id=user.home_garden_id)
    return CommitteeWork(
        overdue=due[due["days_overdue"] > 0].reset_index(drop=True),
        problems=community.problems_to_resolve(ctx, user.home_garden_id),
    )


def my_recent_sightings(ctx: Ctx, limit: int = 10) -> pd.DataFrame:
    """Her latest records by when she entered them (a record of an old photo entered today is first)."""
    user = ctx.require("log")
    return overview_db.recent_sightings(
        ctx.con, person_id=user.id, limit=limit, include_sensitive_points=True, by_entry=True
    )


@dataclass(frozen=True)
class GardenPlace:
    """What a working page needs of a garden: which one, where, and its zones."""

    id: int
    slug: str
    name: str
    name_en: str
    centre_lat: float
    centre_lon: float
    zones: pd.DataFrame


def garden_place(ctx: Ctx, slug: str) -> GardenPlace:
    """Two small queries, cheap enough for pages that rerun on every keystroke."""
    ctx.require("log")
    row = gardens_db.by_slug(ctx.con, slug)
    if row is None:
        raise NotFound("garden.not_found", slug=slug)
    return GardenPlace(
        id=row[0],
        slug=row[1],
        name=row[2],
        name_en=row[3] or row[2],
        centre_lat=row[5],
        centre_lon=row[6],
        zones=gardens_db.zones(ctx.con, row[0]),
    )


@dataclass(frozen=True)
class GardenView:
    id: int
    slug: str
    name: str
    name_en: str
    town: str
    centre_lat: float
    centre_lon: float
    area_m2: float
    theme: str
    zones: pd.DataFrame  # with activity counts for the last 30 days (what the viewer may place)
    features: pd.DataFrame
    recent: pd.DataFrame  # generalised records without point or zone for roles that may not see them


def garden_view(ctx: Ctx, slug: str, days: int = 30) -> GardenView:
    ctx.require("log")
    row = gardens_db.by_slug(ctx.con, slug)
    if row is None:
        raise NotFound("garden.not_found", slug=slug)
    gid = row[0]
    since = ctx.now() - timedelta(days=days)
    exact = ctx.can("see_sensitive")
    return GardenView(
        id=gid,
        slug=row[1],
        name=row[2],
        name_en=row[3] or row[2],
        town=row[4],
        centre_lat=row[5],
        centre_lon=row[6],
        area_m2=row[7] or 0.0,
        theme=row[9] or "",
        zones=overview_db.zone_activity(ctx.con, gid, since, include_sensitive_points=exact),
        features=gardens_db.features(ctx.con, gid),
        recent=overview_db.recent_sightings(ctx.con, garden_id=gid, limit=30, include_sensitive_points=exact),
    )
