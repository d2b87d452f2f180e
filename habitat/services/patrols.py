"""Patrols (visits): start, add records to, end with duration and the complete-checklist flag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from habitat.db import gardens as gardens_db
from habitat.db import visits as visits_db
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.services.context import Ctx, audit, transaction

PROTOCOLS = ("casual", "timed_patrol", "transect", "point_count", "bioblitz", "camera_trap")
WEATHER = ("sunny", "cloudy", "overcast", "light_rain", "rain", "windy")


@dataclass(frozen=True)
class OpenPatrol:
    id: int
    garden_id: int
    garden_slug: str
    garden_name: str
    started_at: datetime
    protocol: str
    observer_count: int
    observers: str | None


def start_patrol(
    ctx: Ctx,
    garden_id: int,
    *,
    protocol: str = "timed_patrol",
    observers: str | None = None,
    observer_count: int = 1,
    weather: str | None = None,
    temperature_c: float | None = None,
    wind_beaufort: int | None = None,
    sun_pct: int | None = None,
    started_at: datetime | None = None,
) -> int:
    user = ctx.require("log")
    if gardens_db.by_id(ctx.con, garden_id) is None:
        raise ValidationError("sighting.no_garden")
    if protocol not in PROTOCOLS:
        raise ValidationError("patrol.bad_protocol")
    if not (1 <= observer_count <= 200):
        raise ValidationError("patrol.bad_observers")
    if temperature_c is not None and not (-15 <= temperature_c <= 45):
        raise ValidationError("patrol.bad_temperature")
    if wind_beaufort is not None and not (0 <= wind_beaufort <= 12):
        raise ValidationError("patrol.bad_wind")
    if sun_pct is not None and not (0 <= sun_pct <= 100):
        raise ValidationError("patrol.bad_sun")
    if visits_db.open_visit(ctx.con, user.id) is not None:
        raise ValidationError("patrol.already_open")
    started_at = started_at or ctx.now()
    if started_at > ctx.now():
        raise ValidationError("common.future_time")
    with transaction(ctx):
        vid = visits_db.insert(
            ctx.con,
            {
                "garden_id": garden_id,
                "started_at": started_at,
                "observers": (observers or "").strip()[:200] or user.display_name,
                "observer_count": observer_count,
                "protocol": protocol,
                "weather": weather,
                "temperature_c": temperature_c,
                "wind_beaufort": wind_beaufort,
                "sun_pct": sun_pct,
                "recorded_by": user.id,
            },
        )
        audit(ctx, "start_patrol", "visits", vid, after={"garden_id": garden_id, "protocol": protocol})
    return vid


def current_patrol(ctx: Ctx) -> OpenPatrol | None:
    user = ctx.require("log")
    row = visits_db.open_visit(ctx.con, user.id)
    return OpenPatrol(*row) if row else None


def end_patrol(ctx: Ctx, visit_id: int, *, complete_checklist: bool, note: str | None = None) -> int:
    """End the patrol now; returns its duration in minutes."""
    user = ctx.require("log")
    visit = visits_db.get(ctx.con, visit_id)
    if visit is None:
        raise NotFound("patrol.not_found")
    if visit[4] != user.id and not ctx.can("edit_others"):
        raise PermissionDenied("perm.denied", action="end_patrol")
    if visit[3] is not None:
        raise ValidationError("patrol.already_ended")
    ended = ctx.now()
    with transaction(ctx):
        visits_db.end(ctx.con, visit_id, ended, complete_checklist, (note or "").strip()[:2000] or None)
        audit(ctx, "end_patrol", "visits", visit_id, after={"complete_checklist": complete_checklist})
    return max(0, int((ended - visit[2]).total_seconds() // 60))


def patrol_counts(ctx: Ctx, visit_id: int) -> tuple[int, int]:
    ctx.require("log")
    return visits_db.counts(ctx.con, visit_id)
