"""Problem reports (open until the committee resolves them) and "is this a weed?" questions."""

from __future__ import annotations

from typing import Sequence
from zoneinfo import ZoneInfo

import pandas as pd

from habitat.clock import local_days_between
from habitat.db import community as community_db
from habitat.db import gardens as gardens_db
from habitat.db import sightings as sightings_db
from habitat.db import species as species_db
from habitat.errors import NotFound, ValidationError
from habitat.services import photo_store
from habitat.services.context import Ctx, audit, transaction
from habitat.services.photo_store import Upload

PROBLEM_KINDS = ("fence", "litter", "dead_plant", "invasive_plant", "pond", "feature", "safety", "other")
VERDICTS = ("keep", "remove", "unsure")


def _check_place(ctx: Ctx, garden_id: int, zone_id: int | None) -> None:
    if gardens_db.by_id(ctx.con, garden_id) is None:
        raise ValidationError("sighting.no_garden")
    if zone_id is not None and zone_id not in set(gardens_db.zones(ctx.con, garden_id)["id"]):
        raise ValidationError("sighting.zone_not_in_garden")


def _text(body: str | None, key: str, limit: int = 2000) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(key)
    if len(text) > limit:
        raise ValidationError("sighting.note_too_long", n=limit)
    return text


def report_problem(
    ctx: Ctx, garden_id: int, zone_id: int | None, kind: str, description: str, uploads: Sequence[Upload] = ()
) -> int:
    user = ctx.require("log")
    _check_place(ctx, garden_id, zone_id)
    if kind not in PROBLEM_KINDS:
        raise ValidationError("problem.bad_kind")
    text = _text(description, "problem.describe")
    with photo_store.stored(ctx, uploads) as stored:
        with transaction(ctx):
            pid = community_db.insert_problem(
                ctx.con,
                garden_id=garden_id,
                zone_id=zone_id,
                kind=kind,
                description=text,
                reported_by=user.id,
                reported_at=ctx.now(),
            )
            photo_store.insert_rows(ctx, stored, uploads, problem_id=pid)
            audit(ctx, "report_problem", "problems", pid, after={"kind": kind})
    return pid


def resolve_problem(ctx: Ctx, problem_id: int, resolution: str) -> None:
    user = ctx.require("resolve_problems")
    text = _text(resolution, "problem.describe_resolution")
    with transaction(ctx):
        if (
            community_db.resolve_problem(
                ctx.con, problem_id, resolved_by=user.id, resolved_at=ctx.now(), resolution=text
            )
            == 0
        ):
            raise NotFound("problem.not_open")
        audit(ctx, "resolve_problem", "problems", problem_id, after={"resolution": text})


def open_problems(ctx: Ctx, garden_id: int | None = None) -> pd.DataFrame:
    ctx.require("log")
    return community_db.problems(ctx.con, garden_id=garden_id, status="open")


def with_days_open(ctx: Ctx, frame: pd.DataFrame) -> pd.DataFrame:
    """The one definition of a problem's age (``age_days``), used by 花园管理, home, the dashboard
    and the report: local (garden time zone) calendar days from the day it was reported to today."""
    tz, now = ZoneInfo(ctx.config.timezone), ctx.now()
    frame = frame.copy()
    frame["age_days"] = [
        local_days_between(pd.Timestamp(at).to_pydatetime(), now, tz) for at in frame["reported_at"]
    ]
    return frame


def problems_to_resolve(ctx: Ctx, garden_id: int | None = None) -> pd.DataFrame:
    """The committee's list: open problem reports, oldest first, with their age in days (with_days_open)."""
    ctx.require("resolve_problems")
    return with_days_open(ctx, community_db.problems(ctx.con, garden_id=garden_id, status="open"))


def ask_expert(
    ctx: Ctx, garden_id: int, zone_id: int | None, body: str, uploads: Sequence[Upload] = ()
) -> int:
    """ "Is this a weed?" — asked before pulling a plant nobody knows; the answer comes back to the asker."""
    user = ctx.require("log")
    _check_place(ctx, garden_id, zone_id)
    text = _text(body, "question.describe")
    with photo_store.stored(ctx, uploads) as stored:
        with transaction(ctx):
            qid = community_db.insert_question(
                ctx.con, garden_id=garden_id, zone_id=zone_id, asked_by=user.id, asked_at=ctx.now(), body=text
            )
            photo_store.insert_rows(ctx, stored, uploads, question_id=qid)
            audit(ctx, "ask_expert", "questions", qid)
    return qid


def answer_question(
    ctx: Ctx, question_id: int, *, verdict: str, answer: str, species_id: int | None = None
) -> None:
    user = ctx.require("answer_question")
    if verdict not in VERDICTS:
        raise ValidationError("question.bad_verdict")
    if species_id is not None and species_db.by_id(ctx.con, species_id) is None:
        raise ValidationError("sighting.unknown_species")
    text = _text(answer, "question.describe_answer")
    with transaction(ctx):
        changed = community_db.answer_question(
            ctx.con,
            question_id,
            species_id=species_id,
            verdict=verdict,
            answer=text,
            answered_by=user.id,
            answered_at=ctx.now(),
        )
        if changed == 0:
            raise NotFound("question.already_answered")
        audit(
            ctx,
            "answer_question",
            "questions",
            question_id,
            after={"verdict": verdict, "species_id": species_id},
        )


def my_questions(ctx: Ctx) -> pd.DataFrame:
    user = ctx.require("log")
    return community_db.questions(ctx.con, asked_by=user.id)


def mark_answers_seen(ctx: Ctx) -> None:
    user = ctx.require("log")
    community_db.mark_answers_seen(ctx.con, user.id)


def open_questions(ctx: Ctx) -> pd.DataFrame:
    ctx.require("answer_question")
    return community_db.questions(ctx.con, unanswered_only=True)


def question_photos(ctx: Ctx, question_id: int) -> pd.DataFrame:
    ctx.require("log")
    return sightings_db.photos_for(ctx.con, question_id=question_id)
