"""Expert review: the queue, one-click and bulk decisions, identifications, queries, auto-accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Sequence

import pandas as pd

from habitat.db import gardens as gardens_db
from habitat.db import review as review_db
from habitat.db import sightings as sightings_db
from habitat.db import species as species_db
from habitat.domain import verification as v
from habitat.domain.checks import CheckInput, record_checks
from habitat.errors import ConflictError, NotFound, ValidationError
from habitat.services.context import Ctx, audit, transaction

AUTO_ACCEPT_KEY = "auto_accept_easy"


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = (v.UNCONFIRMED_NOT_REVIEWED,)
    groups: tuple[str, ...] | None = None  # None: the expert's own groups of expertise
    garden_id: int | None = None
    recorder_id: int | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    has_photo: bool | None = None
    species_id: int | None = None


def queue(ctx: Ctx, f: QueueFilter = QueueFilter(), limit: int = 200) -> pd.DataFrame:
    user = ctx.require("verify")
    groups = list(user.expertise if f.groups is None else f.groups)
    now = ctx.now()
    return review_db.queue(
        ctx.con,
        statuses=list(f.statuses),
        groups=groups,
        garden_id=f.garden_id,
        recorder_id=f.recorder_id,
        older_than=now - timedelta(days=f.min_age_days) if f.min_age_days else None,
        newer_than=now - timedelta(days=f.max_age_days) if f.max_age_days else None,
        has_photo=f.has_photo,
        species_id=f.species_id,
        limit=limit,
    )


def status_counts(ctx: Ctx, groups: Sequence[str] | None = None) -> pd.DataFrame:
    user = ctx.require("verify")
    return review_db.status_counts(ctx.con, list(user.expertise if groups is None else groups))


def checks_for(ctx: Ctx, row: dict) -> list[str]:
    if row["species_id"] is None:
        return ["check.unidentified"] + (["check.outside_garden"] if row["outside_garden"] else [])
    n_counts, p95 = review_db.count_quantile(ctx.con, row["species_id"])
    return record_checks(
        CheckInput(
            month=row["event_date"].month,
            checklist_months=row["usual_months"],
            accepted_months=review_db.accepted_months(ctx.con, row["species_id"]),
            earlier_accepted_in_garden=review_db.earlier_in_garden(
                ctx.con, row["species_id"], row["garden_id"], row["id"]
            ),
            difficulty=row["difficulty"],
            count=row["individual_count"],
            count_p95=p95,
            counts_known=n_counts,
            outside_garden=row["outside_garden"],
        )
    )


@dataclass(frozen=True)
class RecordView:
    sighting: dict
    photos: pd.DataFrame
    identifications: pd.DataFrame
    decisions: pd.DataFrame
    thread: pd.DataFrame
    effort: tuple | None
    checks: list[str]
    zones: pd.DataFrame


def record(ctx: Ctx, sighting_id: int) -> RecordView:
    ctx.require("verify")
    row = sightings_db.get(ctx.con, sighting_id)
    if row is None:
        raise NotFound("sighting.not_found", id=sighting_id)
    return RecordView(
        sighting=row,
        photos=sightings_db.photos_for(ctx.con, sighting_id=sighting_id),
        identifications=review_db.identifications(ctx.con, sighting_id),
        decisions=review_db.verifications(ctx.con, sighting_id),
        thread=sightings_db.comments(ctx.con, sighting_id),
        effort=review_db.visit_effort(ctx.con, row["visit_id"]),
        checks=checks_for(ctx, row),
        zones=gardens_db.zones(ctx.con, row["garden_id"]),
    )


def decide(
    ctx: Ctx,
    sighting_id: int,
    expected_version: int,
    status: str,
    *,
    species_id: int | None = None,
    remark: str | None = None,
) -> None:
    """One click. Changing the species adds an expert identification; nothing is overwritten.

    If someone else changed the record since the expert opened it, ConflictError tells them.
    """
    user = ctx.require("verify")
    if status not in v.DECISIONS:
        raise ValidationError("review.bad_status")
    row = sightings_db.get(ctx.con, sighting_id)
    if row is None or row["withdrawn"]:
        raise NotFound("sighting.not_found", id=sighting_id)
    if species_id is not None and species_db.by_id(ctx.con, species_id) is None:
        raise ValidationError("sighting.unknown_species")
    new_species = species_id if species_id is not None else row["species_id"]
    if status in v.ACCEPTED and new_species is None:
        raise ValidationError("review.accept_needs_species")
    now = ctx.now()
    with transaction(ctx):
        # an expert's acceptance is also their identification (Darwin Core identifiedBy names them)
        if new_species != row["species_id"] or (
            status in v.ACCEPTED and not review_db.expert_agrees(ctx.con, sighting_id, new_species)
        ):
            sightings_db.insert_identification(
                ctx.con,
                sighting_id=sighting_id,
                species_id=new_species,
                identified_by=user.id,
                identified_at=now,
                by_expert=True,
                remark=remark,
            )
        if not review_db.decide(
            ctx.con,
            sighting_id,
            expected_version,
            status=status,
            decided_by=user.id,
            decided_at=now,
            species_id=new_species,
            remark=remark,
        ):
            raise ConflictError("review.conflict", id=sighting_id)
        audit(
            ctx,
            "verify",
            "sightings",
            sighting_id,
            before={"status": row["identification_verification_status"], "species_id": row["species_id"]},
            after={"status": status, "species_id": new_species},
        )


@dataclass(frozen=True)
class BulkResult:
    decided: list[int]
    conflicts: list[int]


def bulk_decide(ctx: Ctx, items: Sequence[tuple[int, int]], status: str) -> BulkResult:
    """Decide many (id, version) at once; records changed meanwhile are listed, not overwritten."""
    ctx.require("bulk_verify")
    decided, conflicts = [], []
    for sighting_id, version in items:
        try:
            decide(ctx, sighting_id, version, status, remark="bulk")
            decided.append(sighting_id)
        except ConflictError:
            conflicts.append(sighting_id)
    return BulkResult(decided, conflicts)


def identify(ctx: Ctx, sighting_id: int, species_id: int, remark: str | None = None) -> int | None:
    """Add an identification (anyone). The current taxon follows: an expert's decision stands,
    otherwise the community taxon (>=2 and >2/3 agreeing), otherwise the recorder's."""
    user = ctx.require("identify")
    row = sightings_db.get(ctx.con, sighting_id)
    if row is None:
        raise NotFound("sighting.not_found", id=sighting_id)
    if species_db.by_id(ctx.con, species_id) is None:
        raise ValidationError("sighting.unknown_species")
    now = ctx.now()
    with transaction(ctx):
        sightings_db.insert_identification(
            ctx.con,
            sighting_id=sighting_id,
            species_id=species_id,
            identified_by=user.id,
            identified_at=now,
            by_expert=user.role == "expert",
            remark=remark,
        )
        history = review_db.identifications(ctx.con, sighting_id)
        ids = [
            v.Identification(None if pd.isna(s) else int(s), bool(e))
            for s, e in zip(history["species_id"], history["by_expert"])
        ]
        expert_decided = (
            row["species_id"]
            if row["verified_by"] is not None and v.is_reviewed(row["identification_verification_status"])
            else None
        )
        recorder = ids[0].species_id if ids else None
        current = v.current_taxon(ids, expert_decided, recorder)
        if current != row["species_id"]:
            review_db.set_species(ctx.con, sighting_id, current, now)
        audit(ctx, "identify", "sightings", sighting_id, after={"species_id": species_id, "current": current})
    return current


def ask_recorder(ctx: Ctx, sighting_id: int, body: str) -> int:
    """Queried is a flag separate from the status: the expert asks, the recorder answers."""
    user = ctx.require("verify")
    text = (body or "").strip()
    if not text:
        raise ValidationError("review.query_empty")
    with transaction(ctx):
        cid = sightings_db.insert_comment(
            ctx.con,
            sighting_id=sighting_id,
            author_id=user.id,
            created_at=ctx.now(),
            kind="query",
            body=text[:2000],
        )
        sightings_db.set_queried(ctx.con, sighting_id, True)
        audit(ctx, "query", "sightings", sighting_id, after={"comment_id": cid})
    return cid


def auto_accept_enabled(ctx: Ctx) -> bool:
    return review_db.get_setting(ctx.con, AUTO_ACCEPT_KEY) == "1"


def set_auto_accept(ctx: Ctx, enabled: bool) -> None:
    user = ctx.require("change_settings")
    with transaction(ctx):
        review_db.set_setting(ctx.con, AUTO_ACCEPT_KEY, "1" if enabled else "0", user.id, ctx.now())
        audit(ctx, "set_auto_accept", "app_settings", None, after={"enabled": enabled})


def maybe_auto_accept(ctx: Ctx, sighting_id: int) -> bool:
    """Called after a save: auto-accept this one record if the switch is on and it qualifies."""
    if not auto_accept_enabled(ctx):
        return False
    row = sightings_db.get(ctx.con, sighting_id)
    if row is None or row["species_id"] is None or row["difficulty"] != 1 or checks_for(ctx, row):
        return False
    if sightings_db.photos_for(ctx.con, sighting_id=sighting_id).empty:
        return False
    with transaction(ctx):
        done = review_db.decide(
            ctx.con,
            sighting_id,
            int(row["version"]),
            status=v.ACCEPTED_CONSIDERED,
            decided_by=None,
            decided_at=ctx.now(),
            species_id=int(row["species_id"]),
            machine=True,
            remark="auto-accept: easy taxon with photo",
        )
        if done:
            audit(ctx, "auto_accept", "sightings", sighting_id, after={"status": v.ACCEPTED_CONSIDERED})
    return done


def run_auto_accept(ctx: Ctx) -> int:
    """Easy taxa (difficulty 1) with a photo and no flag become "Accepted – considered correct",
    marked as machine decisions. Only when the committee has switched it on."""
    if not auto_accept_enabled(ctx):
        return 0
    done = 0
    for r in review_db.easy_candidates(ctx.con, [v.UNCONFIRMED_NOT_REVIEWED]).itertuples():
        row = sightings_db.get(ctx.con, int(r.id))
        if checks_for(ctx, row):
            continue
        with transaction(ctx):
            if review_db.decide(
                ctx.con,
                int(r.id),
                int(r.version),
                status=v.ACCEPTED_CONSIDERED,
                decided_by=None,
                decided_at=ctx.now(),
                species_id=int(r.species_id),
                machine=True,
                remark="auto-accept: easy taxon with photo",
            ):
                audit(ctx, "auto_accept", "sightings", int(r.id), after={"status": v.ACCEPTED_CONSIDERED})
                done += 1
    return done


def recorders(ctx: Ctx) -> pd.DataFrame:
    """People with records waiting for review (for the queue filter)."""
    ctx.require("verify")
    return review_db.recorders_waiting(ctx.con)
