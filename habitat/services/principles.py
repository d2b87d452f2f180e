"""The five principles: evidence from the records, suggested scores, the committee's seasonal
self-assessment, and comparisons across gardens and seasons.

Evidence windows end with the season, or today while the season runs. Pesticide and fertiliser
logs count within the season (so far); the plant inventory (native share, layers) and invasive
plants with their removal look at the twelve months up to then, because one season rarely records
every plant (goldenrod recorded in autumn is still in the ground in winter); wildlife features are
as recorded now. The evidence says which dates it covers, and the rules hold back every suggested
score until the season has enough days and records behind it (domain.principles.enough_records).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from habitat.db import civic as civic_db
from habitat.db import gardens as gardens_db
from habitat.db import tasks as tasks_db
from habitat.domain import principles as rules
from habitat.domain.principles import PRINCIPLES, Evidence
from habitat.errors import ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.ideas import check_place, clean_text

CHEMICAL_KINDS = ("pesticide", "fertiliser")


def _at(day: date, ctx: Ctx) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(ctx.config.timezone))


def _season(season: str) -> tuple[date, date]:
    try:
        return rules.season_bounds(season)
    except ValueError as exc:
        raise ValidationError("principle.bad_season") from exc


def _gather(ctx: Ctx, garden_id: int, season: str) -> tuple[Evidence, pd.DataFrame, pd.DataFrame]:
    """The evidence with the plant inventory and the pesticide/fertiliser logs it was counted from."""
    first, after = _season(season)
    start = _at(first, ctx)
    tomorrow = _local_day(ctx.now(), ctx) + timedelta(days=1)
    end = max(start, min(_at(after, ctx), _at(tomorrow, ctx)))  # the season so far, in whole days
    year_start = end - timedelta(days=365)
    plants = civic_db.plant_inventory(ctx.con, garden_id, year_start, end)
    inv_sightings, inv_species, inv_animals = civic_db.invasive_sightings(ctx.con, garden_id, year_start, end)
    chemicals = civic_db.chemical_logs(ctx.con, garden_id, start, end)
    features = civic_db.wildlife_features(ctx.con, garden_id)
    working = features[features["condition"].isin(rules.WORKING)]
    provided = {need for value in working["provides"] for need in str(value).split("|")}
    invasive = plants["invasive"].astype(bool)
    layers = set(plants.loc[~invasive, "plant_layer"].dropna())
    last_day = _last_day(start, end, ctx)
    ev = Evidence(
        plant_species=len(plants),
        native_plant_species=int(plants["native"].astype(bool).sum()),
        planted_species=int((plants["planted"].astype(bool) & ~invasive).sum()),  # never an invasive one
        invasive_plant_sightings=inv_sightings,
        invasive_plant_species=inv_species,
        invasive_animal_sightings=inv_animals,
        removals=civic_db.invasive_removals(ctx.con, garden_id, year_start, end),
        layers=tuple(layer for layer in rules.LAYERS if layer in layers),
        pesticide_logs=int((chemicals["kind"] == "pesticide").sum()),
        fertiliser_logs=int((chemicals["kind"] == "fertiliser").sum()),
        features_working=len(working),
        features_poor=len(features) - len(working),
        needs_met=tuple(need for need in rules.NEEDS if need in provided),
        season_from=first.isoformat(),
        season_to=last_day.isoformat(),
        season_days=max(0, (last_day - first).days + 1) if end > start else 0,
        season_records=civic_db.sightings_in(ctx.con, garden_id, start, end),
        year_from=_local_day(year_start, ctx).isoformat(),
        year_to=last_day.isoformat(),
    )
    return ev, plants, chemicals


def _local_day(at: datetime, ctx: Ctx) -> date:
    return at.astimezone(ZoneInfo(ctx.config.timezone)).date()


def _last_day(start: datetime, end: datetime, ctx: Ctx) -> date:
    """The last day (local) that [start, end) covers; the first day when it is empty."""
    if end <= start:
        return _local_day(start, ctx)
    return _local_day(end - timedelta(microseconds=1), ctx)


def evidence(ctx: Ctx, garden_id: int, season: str) -> Evidence:
    ctx.require("see_dashboard")
    return _gather(ctx, garden_id, season)[0]


@dataclass(frozen=True)
class SeasonView:
    garden_id: int
    season: str
    evidence: Evidence
    suggested: dict[int, int | None]
    assessed: pd.DataFrame  # the committee's rows for this garden and season (may be empty)
    chemicals: pd.DataFrame
    plants: pd.DataFrame


def season_view(ctx: Ctx, garden_id: int, season: str) -> SeasonView:
    ctx.require("see_dashboard")
    ev, plants, chemicals = _gather(ctx, garden_id, season)
    return SeasonView(
        garden_id=garden_id,
        season=season,
        evidence=ev,
        suggested=rules.suggested_scores(ev),
        assessed=civic_db.assessments(ctx.con, garden_id, season),
        chemicals=chemicals,
        plants=plants,
    )


def save_assessment(
    ctx: Ctx, garden_id: int, season: str, scores: dict[int, int], notes: dict[int, str] | None = None
) -> list[int]:
    """The committee's final scores (0–5) for one garden and season, with the evidence they saw.

    Saving again replaces the season's scores (the audit log keeps the earlier ones).
    """
    user = ctx.require("assess_principles")
    check_place(ctx, garden_id, None)
    first, _ = _season(season)
    if first > ctx.now().date():
        raise ValidationError("principle.future_season")
    if not scores or set(scores) - set(PRINCIPLES):
        raise ValidationError("principle.bad_principle")
    notes = notes or {}
    cleaned = {}
    for principle, score in scores.items():
        if not rules.valid_score(score):
            raise ValidationError("principle.bad_score")
        cleaned[principle] = (score, clean_text(notes.get(principle), required_key=None, limit=1000))
    ev = evidence(ctx, garden_id, season)
    suggested = rules.suggested_scores(ev)
    evidence_json = json.dumps(ev.to_dict(), ensure_ascii=False)
    ids = []
    with transaction(ctx):
        for principle, (score, note) in sorted(cleaned.items()):
            values = {
                "score": score,
                "suggested_score": suggested[principle],
                "evidence": evidence_json,
                "note": note,
                "assessed_by": user.id,
                "assessed_at": ctx.now(),
            }
            before = civic_db.assessment(ctx.con, garden_id, season, principle)
            if before is None:
                row_id = civic_db.insert_assessment(
                    ctx.con, garden_id=garden_id, season=season, principle=principle, **values
                )
            else:
                row_id = before["id"]
                civic_db.update_assessment(ctx.con, row_id, **values)
            audit(
                ctx,
                "assess_principle",
                "principle_assessments",
                row_id,
                before=None if before is None else {"score": before["score"], "note": before["note"]},
                after={
                    "garden_id": garden_id,
                    "season": season,
                    "principle": principle,
                    "score": score,
                    "suggested": suggested[principle],
                    "note": note,
                },
            )
            ids.append(row_id)
    return ids


def scores(ctx: Ctx, garden_id: int | None = None) -> pd.DataFrame:
    """Every assessed score: garden, season, principle, score, suggested, note."""
    ctx.require("see_dashboard")
    return civic_db.assessments(ctx.con, garden_id)


def side_by_side(ctx: Ctx, season: str) -> pd.DataFrame:
    """One row per garden for a season: the committee's score per principle (p1..p5) and the total;
    a garden not assessed yet shows the evidence's suggestions, flagged ``assessed`` False."""
    ctx.require("see_dashboard")
    assessed = civic_db.assessments(ctx.con, season=season)
    rows = []
    for g in gardens_db.list_gardens(ctx.con).itertuples():
        mine = assessed[assessed["garden_id"] == g.id]
        if len(mine):
            by_principle = dict(zip(mine["principle"].astype(int), mine["score"].astype(int)))
        else:
            by_principle = rules.suggested_scores(evidence(ctx, int(g.id), season))
        values = {f"p{p}": by_principle.get(p) for p in PRINCIPLES}
        known = [v for v in values.values() if v is not None]
        rows.append(
            {
                "garden_id": int(g.id),
                "slug": g.slug,
                "name": g.name,
                "name_en": g.name_en,
                "assessed": bool(len(mine)),
                **values,
                "total": sum(known) if known else None,
            }
        )
    return pd.DataFrame(rows)


def over_time(ctx: Ctx) -> pd.DataFrame:
    """Total assessed score per garden and season (seasons in time order), for the trend chart."""
    frame = scores(ctx)
    if frame.empty:
        return pd.DataFrame(columns=["garden_id", "name", "name_en", "season", "total", "principles"])
    out = (
        frame.groupby(["garden_id", "garden", "garden_en", "season"], as_index=False)
        .agg(total=("score", "sum"), principles=("principle", "count"))
        .rename(columns={"garden": "name", "garden_en": "name_en"})
    )
    out["start"] = out["season"].map(lambda s: rules.season_bounds(s)[0])
    return out.sort_values(["start", "garden_id"]).drop(columns="start").reset_index(drop=True)


def latest_scores(ctx: Ctx, garden_id: int | None, until: date) -> pd.DataFrame:
    """Per garden, the scores of its latest assessed season that started before ``until``."""
    frame = scores(ctx, garden_id)
    if frame.empty:
        return frame
    frame = frame[frame["season"].map(lambda s: rules.season_bounds(s)[0] < until)]
    if frame.empty:
        return frame
    starts = frame["season"].map(lambda s: rules.season_bounds(s)[0])
    latest = starts.groupby(frame["garden_id"]).transform("max")
    return frame[starts == latest].reset_index(drop=True)


def record_application(
    ctx: Ctx,
    garden_id: int,
    zone_id: int | None,
    kind: str,
    product: str,
    amount: str | None = None,
    *,
    done_at: datetime | None = None,
    note: str | None = None,
) -> int:
    """Log a pesticide or fertiliser application (by volunteers, the property's gardener ...): the
    evidence for the "less pesticide and fertiliser" principle. A one-off upkeep log, no task."""
    user = ctx.require("log")
    check_place(ctx, garden_id, zone_id)
    if kind not in CHEMICAL_KINDS:
        raise ValidationError("principle.bad_application_kind")
    product_text = clean_text(product, required_key="principle.product_required", limit=200)
    amount_text = clean_text(amount, required_key=None, limit=100)
    done_at = done_at or ctx.now()
    if done_at > ctx.now():
        raise ValidationError("common.future_time")
    with transaction(ctx):
        log_id = tasks_db.insert_log(
            ctx.con,
            task_def_id=None,
            garden_id=garden_id,
            zone_id=zone_id,
            kind=kind,
            done_at=done_at,
            done_by=user.id,
            minutes=None,
            note=clean_text(note, required_key=None, limit=2000),
            visit_id=None,
            product=product_text,
            amount=amount_text,
        )
        audit(
            ctx,
            "record_application",
            "task_logs",
            log_id,
            after={"garden_id": garden_id, "kind": kind, "product": product_text, "amount": amount_text},
        )
    return log_id


def applications(ctx: Ctx, garden_id: int | None, season: str) -> pd.DataFrame:
    ctx.require("see_dashboard")
    first, after = _season(season)
    return civic_db.chemical_logs(ctx.con, garden_id, _at(first, ctx), _at(after, ctx))
