"""Habitat features of a garden (insect hotels, log piles, ponds, nest boxes …): what food, water and
shelter they provide and what condition they are in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from habitat.db import gardens as gardens_db
from habitat.db import manage as manage_db
from habitat.errors import NotFound, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.fields import KEEP, apply_changes, as_date, choice, optional_text, text
from habitat.services.gardens import active_garden, zone_in_garden

FEATURE_KINDS = (
    "insect_hotel",
    "log_pile",
    "bird_feeder",
    "bird_bath",
    "nest_box",
    "pond",
    "camera_trap",
    "viewing_window",
    "compost",
    "rain_barrel",
)
CONDITIONS = ("good", "fair", "poor", "broken")
PROVIDES = ("food", "water", "shelter")


def _provides(value) -> str | None:
    items = [p for p in (value.split("|") if isinstance(value, str) else (value or ())) if p]
    unknown = [p for p in items if p not in PROVIDES]
    if unknown:
        raise ValidationError("manage.bad_provides", value=", ".join(unknown))
    return "|".join(p for p in PROVIDES if p in items) or None


def _checked_on(ctx: Ctx, value) -> date | None:
    if value is None:
        return None
    day = as_date(value, "manage.bad_date")
    if day > ctx.now().date():
        raise ValidationError("common.future_time")
    return day


def _feature(ctx: Ctx, feature_id: int) -> dict:
    row = manage_db.row(ctx.con, "features", feature_id)
    if row is None or not row["active"]:
        raise NotFound("manage.feature_not_found")
    return row


def features(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("manage_gardens")
    return manage_db.features(ctx.con, garden_id)


def add_feature(
    ctx: Ctx,
    garden_id: int,
    zone_id: int | None,
    kind: str,
    name: str,
    condition: str = "good",
    provides: Sequence[str] | str = (),
    note: str | None = None,
    checked_on: date | None = None,
) -> int:
    ctx.require("manage_gardens")
    active_garden(ctx, garden_id)
    fields = {
        "zone_id": zone_in_garden(ctx, garden_id, zone_id),
        "kind": choice(kind, FEATURE_KINDS, "manage.bad_feature_kind"),
        "name": text(name, "manage.feature_name_required"),
        "condition": choice(condition, CONDITIONS, "manage.bad_condition"),
        "provides": _provides(provides),
        "note": optional_text(note, 500),
        "checked_on": _checked_on(ctx, checked_on),
    }
    with transaction(ctx):
        feature_id = gardens_db.insert_feature(ctx.con, garden_id=garden_id, **fields)
        audit(
            ctx, "add_feature", "features", feature_id, after=manage_db.row(ctx.con, "features", feature_id)
        )
    return feature_id


def update_feature(
    ctx: Ctx,
    feature_id: int,
    *,
    zone_id=KEEP,
    kind=KEEP,
    name=KEEP,
    condition=KEEP,
    provides=KEEP,
    note=KEEP,
    checked_on=KEEP,
) -> dict:
    ctx.require("manage_gardens")
    before = _feature(ctx, feature_id)
    changes: dict[str, Any] = {}
    if zone_id is not KEEP:
        changes["zone_id"] = zone_in_garden(ctx, before["garden_id"], zone_id)
    if kind is not KEEP:
        changes["kind"] = choice(kind, FEATURE_KINDS, "manage.bad_feature_kind")
    if name is not KEEP:
        changes["name"] = text(name, "manage.feature_name_required")
    if condition is not KEEP:
        changes["condition"] = choice(condition, CONDITIONS, "manage.bad_condition")
    if provides is not KEEP:
        changes["provides"] = _provides(provides)
    if note is not KEEP:
        changes["note"] = optional_text(note, 500)
    if checked_on is not KEEP:
        changes["checked_on"] = _checked_on(ctx, checked_on)
    with transaction(ctx):
        return apply_changes(ctx, "features", feature_id, before, changes, "update_feature")


def deactivate_feature(ctx: Ctx, feature_id: int) -> None:
    ctx.require("manage_gardens")
    before = _feature(ctx, feature_id)
    with transaction(ctx):
        apply_changes(ctx, "features", feature_id, before, {"active": False}, "deactivate_feature")
