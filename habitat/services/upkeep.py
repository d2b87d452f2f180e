"""Upkeep: the recurring task definitions the committee keeps, what is due, logging a task, the next due
date following from the last log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from habitat.db import manage as manage_db
from habitat.db import species as species_db
from habitat.db import tasks as tasks_db
from habitat.domain.recurrence import ONE_OFF_DAYS, due_status
from habitat.errors import NotFound, ValidationError
from habitat.services import fields, photo_store
from habitat.services.context import Ctx, audit, transaction
from habitat.services.fields import KEEP, apply_changes, choice, text
from habitat.services.gardens import active_garden, zone_in_garden


CUTTING_TASKS = ("prune", "mow", "weed")  # flagged where nests or larvae were recorded in the last 30 days
CHEMICAL_TASKS = ("pesticide", "fertiliser")  # logs that may name a product and amount (five principles)
TASK_KINDS = (
    "water",
    "weed",
    "prune",
    "pond",
    "insect_hotel",
    "litter",
    "feeder",
    "mow",
    "invasive_removal",
    "pesticide",
    "fertiliser",
    "other",
)
MAX_EVERY_DAYS = 366


def _as_date(value):
    """DataFrames hand DATE columns back as Timestamps (or NaT)."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def due_tasks(ctx: Ctx, garden_id: int | None = None, horizon_days: int = 0) -> pd.DataFrame:
    """Tasks due today or overdue (or due within ``horizon_days``), most overdue first."""
    ctx.require("log")
    today = ctx.now().date()
    defs = tasks_db.task_defs_with_last_log(ctx.con, garden_id)
    if defs.empty:
        return defs.assign(due_on=[], days_overdue=[], wildlife_warning=[])
    statuses = [
        due_status(_as_date(r.start_on), int(r.every_days), _as_date(r.last_done), today)
        for r in defs.itertuples()
    ]
    defs["due_on"] = [s.due_on for s in statuses]
    defs["days_overdue"] = [s.days_overdue for s in statuses]
    breeding = set(
        tasks_db.zones_with_breeding(ctx.con, ctx.now() - timedelta(days=30))["zone_id"].dropna().astype(int)
    )
    defs["wildlife_warning"] = [
        kind in CUTTING_TASKS and not pd.isna(zone) and int(zone) in breeding
        for kind, zone in zip(defs["kind"], defs["zone_id"])
    ]
    due = defs[defs["days_overdue"] >= -horizon_days]
    return due.sort_values(
        ["days_overdue", "garden", "zone_code"], ascending=[False, True, True]
    ).reset_index(drop=True)


def log_task(
    ctx: Ctx,
    task_def_id: int,
    *,
    minutes: int | None = None,
    note: str | None = None,
    visit_id: int | None = None,
    done_at=None,
    uploads=(),
    product: str | None = None,
    amount: str | None = None,
) -> int:
    """One tap: the task is done now. Minutes, note (and a photo, via services.photos) optional.

    ``product`` and ``amount`` record what a pesticide or fertiliser log applied (five principles).
    """
    user = ctx.require("log")
    td = tasks_db.task_def(ctx.con, task_def_id)
    if td is None or not td[7]:
        raise NotFound("task.not_found")
    if minutes is not None and not (0 <= minutes <= 24 * 60):
        raise ValidationError("task.bad_minutes")
    # five principles (migration 0003): product and amount belong to pesticide / fertiliser logs only
    product, amount = (product or "").strip()[:200] or None, (amount or "").strip()[:100] or None
    if (product or amount) and td[3] not in CHEMICAL_TASKS:
        raise ValidationError("task.product_only_chemicals")
    done_at = done_at or ctx.now()
    if done_at > ctx.now():
        raise ValidationError("common.future_time")
    with photo_store.stored(ctx, uploads) as stored, transaction(ctx):
        log_id = tasks_db.insert_log(
            ctx.con,
            task_def_id=td[0],
            garden_id=td[1],
            zone_id=td[2],
            kind=td[3],
            done_at=done_at,
            done_by=user.id,
            minutes=minutes,
            note=(note or "").strip() or None,
            visit_id=visit_id,
            product=product,
            amount=amount,
        )
        photo_store.insert_rows(ctx, stored, uploads, task_log_id=log_id)
        audit(
            ctx,
            "log_task",
            "task_logs",
            log_id,
            after={
                "task_def_id": task_def_id,
                "minutes": minutes,
                **({"product": product, "amount": amount} if product or amount else {}),
            },
        )
    return log_id


def open_removal_task(ctx: Ctx, garden_id: int, zone_id: int, species_id: int) -> int | None:
    """A sighting of a 'remove' invasive species opens a weekly removal task for its zone (once)."""
    sp = species_db.by_id(ctx.con, species_id)
    if sp is None or sp[7] != "remove":
        return None
    if tasks_db.active_task_of_kind(ctx.con, zone_id, "invasive_removal") is not None:
        return None
    task_id = tasks_db.insert_task_def(
        ctx.con,
        garden_id=garden_id,
        zone_id=zone_id,
        kind="invasive_removal",
        title=f"清除{sp[2]}（{sp[1]}）",
        every_days=7,
        start_on=ctx.now().date(),
        source="invasive_sighting",
        created_by=ctx.user.id if ctx.user else None,
    )
    audit(
        ctx, "open_removal_task", "task_defs", task_id, after={"species_id": species_id, "zone_id": zone_id}
    )
    return task_id


def my_recent_logs(ctx: Ctx, limit: int = 20) -> pd.DataFrame:
    user = ctx.require("log")
    return tasks_db.recent_logs(ctx.con, person_id=user.id, limit=limit)


# ---------------------------------------------------------------- recurring task definitions (the committee)


def _every_days(value) -> int:
    days = fields.number(value)
    if days == ONE_OFF_DAYS:  # "only once" (recurrence.ONE_OFF_DAYS)
        return ONE_OFF_DAYS
    if days is None or days != int(days) or not (1 <= days <= MAX_EVERY_DAYS):
        raise ValidationError("manage.bad_every_days", n=MAX_EVERY_DAYS)
    return int(days)


def _task_def(ctx: Ctx, task_def_id: int) -> dict:
    row = manage_db.row(ctx.con, "task_defs", task_def_id)
    if row is None or not row["active"]:
        raise NotFound("task.not_found")
    return row


def task_defs(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    ctx.require("manage_tasks")
    return tasks_db.task_defs_with_last_log(ctx.con, garden_id)


def add_task_def(
    ctx: Ctx,
    garden_id: int,
    zone_id: int | None,
    kind: str,
    title: str,
    every_days: int,
    start_on: date,
) -> int:
    user = ctx.require("manage_tasks")
    active_garden(ctx, garden_id)
    values = {
        "zone_id": zone_in_garden(ctx, garden_id, zone_id),
        "kind": choice(kind, TASK_KINDS, "manage.bad_task_kind"),
        "title": text(title, "manage.task_title_required", 200),
        "every_days": _every_days(every_days),
        "start_on": fields.as_date(start_on, "manage.start_required"),
    }
    with transaction(ctx):
        task_def_id = tasks_db.insert_task_def(
            ctx.con, garden_id=garden_id, source="manual", created_by=user.id, **values
        )
        audit(
            ctx,
            "add_task_def",
            "task_defs",
            task_def_id,
            after=manage_db.row(ctx.con, "task_defs", task_def_id),
        )
    return task_def_id


def update_task_def(
    ctx: Ctx, task_def_id: int, *, zone_id=KEEP, kind=KEEP, title=KEEP, every_days=KEEP, start_on=KEEP
) -> dict:
    ctx.require("manage_tasks")
    before = _task_def(ctx, task_def_id)
    changes: dict[str, Any] = {}
    if zone_id is not KEEP:
        changes["zone_id"] = zone_in_garden(ctx, before["garden_id"], zone_id)
    if kind is not KEEP:
        changes["kind"] = choice(kind, TASK_KINDS, "manage.bad_task_kind")
    if title is not KEEP:
        changes["title"] = text(title, "manage.task_title_required", 200)
    if every_days is not KEEP:
        changes["every_days"] = _every_days(every_days)
    if start_on is not KEEP:
        changes["start_on"] = fields.as_date(start_on, "manage.start_required")
    with transaction(ctx):
        return apply_changes(ctx, "task_defs", task_def_id, before, changes, "update_task_def")


def deactivate_task_def(ctx: Ctx, task_def_id: int) -> None:
    ctx.require("manage_tasks")
    before = _task_def(ctx, task_def_id)
    with transaction(ctx):
        apply_changes(ctx, "task_defs", task_def_id, before, {"active": False}, "deactivate_task_def")
