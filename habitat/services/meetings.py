"""Garden meetings: who took part, what was discussed and decided, and follow-ups that become
upkeep tasks or problem reports with an owner and a due date, so the committee sees whether
decisions were carried out.

A task follow-up is done when its task is first logged after the follow-up was made; a problem
follow-up when the problem is resolved. A one-off task is a task definition that repeats only
after ONE_OFF_DAYS: once logged it leaves the due list (task_defs has no "one-off" flag).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from habitat.domain.recurrence import ONE_OFF_DAYS
from habitat.db import civic as civic_db
from habitat.db import tasks as tasks_db
from habitat.errors import NotFound, ValidationError
from habitat.services import community
from habitat.services.context import Ctx, audit, transaction
from habitat.services.ideas import check_place, clean_text

PARTICIPANT_ROLES = (
    "resident",
    "property_manager",
    "owners_committee",
    "expert",
    "partner",
    "volunteer",
    "committee",
)
ACCOUNT_ROLE = {
    "volunteer": "volunteer",
    "expert": "expert",
    "committee": "committee",
}  # people.role -> participant role
FOLLOWUP_KINDS = ("task", "problem")
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
REPEATS = (None, 7, 14, 30)  # None = once
FOLLOWUP_STATUSES = ("done", "overdue", "open")
MAX_ITEMS, MAX_PARTICIPANTS = 20, 60


@dataclass(frozen=True)
class Participant:
    name: str
    role: str
    person_id: int | None = None


@dataclass(frozen=True)
class FollowUp:
    kind: str  # task | problem
    title: str
    owner_id: int | None  # None: nobody chosen yet (refused: a follow-up needs an owner)
    due_on: date
    zone_id: int | None = None
    task_kind: str = "other"  # kind task
    every_days: int | None = None  # kind task: None = once
    problem_kind: str = "other"  # kind problem


@dataclass(frozen=True)
class Item:
    title: str
    discussion: str | None = None
    decision: str | None = None
    idea_id: int | None = None
    followups: tuple[FollowUp, ...] = field(default_factory=tuple)


def followup_status(done_at, due_on, today: date) -> str:
    """done, overdue (past its due date, not done) or open."""
    if done_at is not None and not pd.isna(done_at):
        return "done"
    return "overdue" if pd.Timestamp(due_on).date() < today else "open"


# ------------------------------------------------------------------------------------- validation


def _participants(ctx: Ctx, participants) -> list[Participant]:
    out, seen = [], set()
    for p in participants:
        if p.role not in PARTICIPANT_ROLES:
            raise ValidationError("meeting.bad_role")
        name = clean_text(p.name, required_key="meeting.participant_name", limit=60)
        if p.person_id is not None and not civic_db.person_active(ctx.con, p.person_id):
            raise ValidationError("meeting.unknown_person")
        key = (p.person_id,) if p.person_id is not None else (name, p.role)
        if key not in seen:  # the same person listed twice counts once
            seen.add(key)
            out.append(Participant(name, p.role, p.person_id))
    if not out:
        raise ValidationError("meeting.no_participants")
    if len(out) > MAX_PARTICIPANTS:
        raise ValidationError("meeting.too_many", n=MAX_PARTICIPANTS)
    return out


def _followup(ctx: Ctx, garden_id: int, fu: FollowUp) -> FollowUp:
    if fu.kind not in FOLLOWUP_KINDS:
        raise ValidationError("followup.bad_kind")
    title = clean_text(fu.title, required_key="followup.title_required", limit=200)
    if fu.owner_id is None or not civic_db.person_active(ctx.con, fu.owner_id):
        raise ValidationError("followup.owner_required")
    if not isinstance(fu.due_on, date):
        raise ValidationError("followup.due_required")
    due_on = fu.due_on.date() if isinstance(fu.due_on, datetime) else fu.due_on
    check_place(ctx, garden_id, fu.zone_id)
    if fu.kind == "task":
        if fu.task_kind not in TASK_KINDS:
            raise ValidationError("followup.bad_task_kind")
        if fu.every_days not in REPEATS:
            raise ValidationError("followup.bad_repeat")
    elif fu.problem_kind not in community.PROBLEM_KINDS:
        raise ValidationError("problem.bad_kind")
    return FollowUp(
        fu.kind, title, fu.owner_id, due_on, fu.zone_id, fu.task_kind, fu.every_days, fu.problem_kind
    )


def _item(ctx: Ctx, garden_id: int, it: Item) -> Item:
    title = clean_text(it.title, required_key="meeting.item_title", limit=200)
    discussion = clean_text(it.discussion, required_key=None, limit=4000)
    decision = clean_text(it.decision, required_key=None, limit=2000)
    if it.idea_id is not None:
        idea = civic_db.idea(ctx.con, it.idea_id)
        if idea is None or idea["garden_id"] != garden_id:
            raise ValidationError("meeting.idea_not_in_garden")
    if it.followups and not decision:
        raise ValidationError("followup.needs_decision")
    followups = tuple(_followup(ctx, garden_id, fu) for fu in it.followups)
    return Item(title, discussion, decision, it.idea_id, followups)


# ------------------------------------------------------------------------------------------ writes


def hold_meeting(
    ctx: Ctx,
    garden_id: int,
    *,
    held_at: datetime,
    participants,
    items,
    place: str | None = None,
    chair_id: int | None = None,
    notes: str | None = None,
) -> int:
    """Record a garden meeting that took place: participants, items, decisions and follow-ups.

    An idea discussed with a decision becomes "decided"; one discussed without stays on the agenda.
    """
    user = ctx.require("hold_meeting")
    check_place(ctx, garden_id, None)
    if held_at is None:
        raise ValidationError("meeting.when_required")
    if held_at > ctx.now():
        raise ValidationError("common.future_time")
    if chair_id is not None and not civic_db.person_active(ctx.con, chair_id):
        raise ValidationError("meeting.unknown_person")
    people = _participants(ctx, participants)
    checked = [_item(ctx, garden_id, it) for it in items]
    if not checked:
        raise ValidationError("meeting.no_items")
    if len(checked) > MAX_ITEMS:
        raise ValidationError("meeting.too_many", n=MAX_ITEMS)
    with transaction(ctx):
        meeting_id = civic_db.insert_meeting(
            ctx.con,
            garden_id=garden_id,
            held_at=held_at,
            place=clean_text(place, required_key=None, limit=120),
            chair_id=chair_id,
            notes=clean_text(notes, required_key=None, limit=4000),
            recorded_by=user.id,
            created_at=ctx.now(),
        )
        for p in people:
            civic_db.insert_participant(
                ctx.con, meeting_id=meeting_id, person_id=p.person_id, name=p.name, role=p.role
            )
        for position, it in enumerate(checked, start=1):
            item_id = civic_db.insert_item(
                ctx.con,
                meeting_id=meeting_id,
                position=position,
                idea_id=it.idea_id,
                title=it.title,
                discussion=it.discussion,
                decision=it.decision,
            )
            if it.idea_id is not None and it.decision:
                civic_db.set_idea_status(
                    ctx.con,
                    it.idea_id,
                    status="decided",
                    note=it.decision,
                    at=ctx.now(),
                    only_from=("open", "on_agenda"),
                )
            for fu in it.followups:
                _create_followup(ctx, garden_id, meeting_id, item_id, fu)
        audit(
            ctx,
            "hold_meeting",
            "meetings",
            meeting_id,
            after={
                "garden_id": garden_id,
                "participants": len(people),
                "items": len(checked),
                "followups": sum(len(it.followups) for it in checked),
            },
        )
    return meeting_id


def add_followup(ctx: Ctx, item_id: int, followup: FollowUp) -> int:
    """Turn a meeting's decision into a task or a problem report after the meeting."""
    ctx.require("hold_meeting")
    row = civic_db.item(ctx.con, item_id)
    if row is None:
        raise NotFound("meeting.item_not_found")
    if not (row["decision"] or "").strip():
        raise ValidationError("followup.needs_decision")
    fu = _followup(ctx, row["garden_id"], followup)
    with transaction(ctx):
        followup_id = _create_followup(ctx, row["garden_id"], row["meeting_id"], item_id, fu)
        if row["idea_id"] is not None:
            civic_db.set_idea_status(
                ctx.con,
                row["idea_id"],
                status="decided",
                note=row["decision"],
                at=ctx.now(),
                only_from=("open", "on_agenda"),
            )
    return followup_id


def _create_followup(ctx: Ctx, garden_id: int, meeting_id: int, item_id: int, fu: FollowUp) -> int:
    """Inside the caller's transaction: the task definition or problem report, then the follow-up row."""
    user = ctx.user
    task_def_id = problem_id = None
    if fu.kind == "task":
        task_def_id = tasks_db.insert_task_def(
            ctx.con,
            garden_id=garden_id,
            zone_id=fu.zone_id,
            kind=fu.task_kind,
            title=fu.title,
            every_days=fu.every_days or ONE_OFF_DAYS,
            start_on=fu.due_on,
            source="meeting",
            created_by=user.id,
        )
        audit(
            ctx,
            "add_task_def",
            "task_defs",
            task_def_id,
            after={"source": "meeting", "meeting_id": meeting_id, "title": fu.title, "due_on": fu.due_on},
        )
    else:
        problem_id = community.report_problem(ctx, garden_id, fu.zone_id, fu.problem_kind, fu.title)
    followup_id = civic_db.insert_followup(
        ctx.con,
        item_id=item_id,
        meeting_id=meeting_id,
        kind=fu.kind,
        task_def_id=task_def_id,
        problem_id=problem_id,
        title=fu.title,
        owner_id=fu.owner_id,
        due_on=fu.due_on,
        created_by=user.id,
        created_at=ctx.now(),
    )
    audit(
        ctx,
        "add_followup",
        "meeting_followups",
        followup_id,
        after={
            "item_id": item_id,
            "kind": fu.kind,
            "task_def_id": task_def_id,
            "problem_id": problem_id,
            "owner_id": fu.owner_id,
            "due_on": fu.due_on,
        },
    )
    return followup_id


# ------------------------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class MeetingRecord:
    meeting: dict
    participants: pd.DataFrame
    items: pd.DataFrame
    followups: pd.DataFrame


def people(ctx: Ctx) -> pd.DataFrame:
    """Accounts to pick a chair, participants and follow-up owners from."""
    ctx.require("hold_meeting")
    return civic_db.people(ctx.con)


def followups(ctx: Ctx, garden_id: int | None = None, *, meeting_id: int | None = None) -> pd.DataFrame:
    """Every follow-up with its status (done / overdue / open), most urgent first."""
    ctx.require("see_dashboard")
    frame = civic_db.followups(ctx.con, garden_id=garden_id, meeting_id=meeting_id)
    today = ctx.now().date()
    frame["status"] = [followup_status(d, due, today) for d, due in zip(frame["done_at"], frame["due_on"])]
    order = {s: i for i, s in enumerate(("overdue", "open", "done"))}
    return frame.sort_values(
        ["status", "due_on"], key=lambda c: c.map(order) if c.name == "status" else c, kind="stable"
    ).reset_index(drop=True)


@dataclass(frozen=True)
class FollowupSummary:
    decided: int  # items with a decision
    followups: int
    done: int
    overdue: int
    open: int


def followup_summary(ctx: Ctx, garden_id: int | None) -> tuple[FollowupSummary, pd.DataFrame]:
    frame = followups(ctx, garden_id)
    counts = frame["status"].value_counts()
    return FollowupSummary(
        decided=civic_db.decided_items(ctx.con, garden_id),
        followups=len(frame),
        done=int(counts.get("done", 0)),
        overdue=int(counts.get("overdue", 0)),
        open=int(counts.get("open", 0)),
    ), frame


def past_meetings(ctx: Ctx, garden_id: int | None) -> list[MeetingRecord]:
    ctx.require("see_dashboard")
    meetings = civic_db.meetings(ctx.con, garden_id)
    all_followups = followups(ctx, garden_id)
    records = []
    for row in meetings.to_dict("records"):
        records.append(
            MeetingRecord(
                meeting=row,
                participants=civic_db.participants(ctx.con, int(row["id"])),
                items=civic_db.items(ctx.con, meeting_id=int(row["id"])),
                followups=all_followups[all_followups["meeting_id"] == row["id"]].reset_index(drop=True),
            )
        )
    return records


def decided_items(ctx: Ctx, garden_id: int | None) -> pd.DataFrame:
    """Items with a decision, newest meeting first: what a follow-up can be made from."""
    ctx.require("hold_meeting")
    frame = civic_db.items(ctx.con, garden_id=garden_id)
    return frame[frame["decision"].fillna("").str.strip() != ""].reset_index(drop=True)
