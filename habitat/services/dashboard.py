"""The committee dashboard: upkeep, hours, biodiversity, zones and the town, for one garden or all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


import pandas as pd

from habitat.clock import month_bounds
from habitat.db import dashboard as dash_db
from habitat.domain import diversity
from habitat.domain.recognition import current_streak, longest_streak
from habitat.export import cells
from habitat.services import community, upkeep
from habitat.services.context import Ctx


def last_12_months(now: datetime) -> tuple[datetime, datetime]:
    start, end = month_bounds(now.year, now.month, str(now.tzinfo))
    return start.replace(year=start.year - 1) + timedelta(days=0), end


@dataclass(frozen=True)
class UpkeepSummary:
    due: pd.DataFrame
    on_time: pd.DataFrame
    work_by_kind: pd.DataFrame
    problems: pd.DataFrame
    review_age: pd.DataFrame


def upkeep_summary(ctx: Ctx, garden_id: int | None, start: datetime, end: datetime) -> UpkeepSummary:
    ctx.require("see_dashboard")
    now = ctx.now()
    return UpkeepSummary(
        due=upkeep.due_tasks(ctx, garden_id=garden_id),
        on_time=dash_db.on_time_by_month(ctx.con, garden_id, now - timedelta(days=365), now),
        work_by_kind=dash_db.work_by_kind(ctx.con, garden_id, start, end),
        problems=community.with_days_open(ctx, dash_db.open_problems_age(ctx.con, garden_id)),
        review_age=dash_db.review_age(ctx.con, garden_id, now),
    )


def hours(ctx: Ctx, garden_id: int | None, start: datetime, end: datetime) -> pd.DataFrame:
    ctx.require("see_dashboard")
    return dash_db.hours_by_person_month(ctx.con, garden_id, start, end)


def hours_export(frame: pd.DataFrame, fmt: str) -> bytes:
    """CSV (UTF-8 with BOM, so Excel in China opens it correctly) or an Excel workbook; a name that
    starts like a formula (=, +, -, @ ...) stays text in both (habitat.export.cells)."""
    out = frame.assign(month=frame["month"].map(lambda m: pd.Timestamp(m).strftime("%Y-%m")))
    if fmt == "csv":
        return cells.csv_bytes(out)
    return cells.xlsx_bytes(out, "volunteer hours")


def regulars(ctx: Ctx, garden_id: int | None) -> pd.DataFrame:
    """Totals over the last 12 months with current and longest streaks of active weeks."""
    ctx.require("see_dashboard")
    now = ctx.now()
    totals = dash_db.hours_by_person_month(ctx.con, garden_id, now - timedelta(days=365), now)
    weeks = dash_db.activity_weeks(ctx.con, garden_id, now - timedelta(days=365))
    if totals.empty:
        return pd.DataFrame(columns=["person", "hours", "active_weeks", "current_streak", "longest_streak"])
    per_person = totals.groupby("person")["hours"].sum()
    weeks_by_person = {p: [pd.Timestamp(w).date() for w in g] for p, g in weeks.groupby("person")["week"]}
    rows = []
    for person, hours_total in per_person.items():
        active = weeks_by_person.get(person, [])
        rows.append(
            {
                "person": person,
                "hours": round(float(hours_total), 1),
                "active_weeks": len(set(active)),
                "current_streak": current_streak(active, now.date()),
                "longest_streak": longest_streak(active),
            }
        )
    return pd.DataFrame(rows).sort_values(["hours"], ascending=False).reset_index(drop=True)


@dataclass(frozen=True)
class Biodiversity:
    richness: pd.DataFrame  # month, species, records, individuals, observer_hours, records_per_observer_hour
    species: pd.DataFrame  # per species in the period, with 'new' (first ever record in the period)
    groups: pd.DataFrame  # group_name, species, records
    phenology: pd.DataFrame  # pivot: species x month-of-year
    reporting_rate: pd.DataFrame


# Species and records count every record except rejected ones, on the biodiversity page as in the
# monthly report (the month's records are rarely all reviewed when it is read); both pages can
# switch to accepted records only, and both say which they count.
ACCEPTED_ONLY_DEFAULT = False


def biodiversity(
    ctx: Ctx, garden_id: int | None, start: datetime, end: datetime, accepted_only: bool = True
) -> Biodiversity:
    ctx.require("see_dashboard")
    richness = dash_db.richness_by_month(ctx.con, garden_id, start, end, accepted_only)
    effort = dash_db.effort_by_month(ctx.con, garden_id, start, end)
    if not richness.empty:
        richness = richness.merge(effort, on="month", how="left")
        richness["records_per_observer_hour"] = [
            diversity.per_effort(r, h) if h == h else None
            for r, h in zip(richness["records"], richness["observer_hours"])
        ]
    species = dash_db.species_counts(ctx.con, garden_id, start, end, accepted_only)
    if not species.empty:
        species["new"] = species["first_ever"] >= pd.Timestamp(start)
    groups = (
        species.groupby("group_name", as_index=False).agg(
            species=("species_id", "nunique"), records=("records", "sum")
        )
        if not species.empty
        else pd.DataFrame(columns=["group_name", "species", "records"])
    )
    phen = dash_db.phenology(ctx.con, garden_id, start, end, accepted_only)
    pivot = (
        phen.pivot_table(
            index="chinese_name", columns="month", values="records", aggfunc="sum", fill_value=0
        ).reindex(columns=range(1, 13), fill_value=0)
        if not phen.empty
        else pd.DataFrame()
    )
    return Biodiversity(
        richness,
        species,
        groups,
        pivot,
        dash_db.reporting_rate(ctx.con, garden_id, start, end, accepted_only),
    )


def diversity_by_garden(
    ctx: Ctx, start: datetime, end: datetime, accepted_only: bool = True
) -> tuple[pd.DataFrame, dict]:
    """Per garden: observed richness, Chao1 (with CI), Shannon, Simpson and richness rarefied to the
    smallest garden's sample, so gardens with different effort compare fairly; plus accumulation curves."""
    ctx.require("see_dashboard")
    counts = dash_db.abundance_by_garden(ctx.con, start, end, accepted_only)
    rows, curves = [], {}
    if counts.empty:
        return pd.DataFrame(), curves
    common_n = int(counts.groupby("slug")["n"].sum().min())
    for slug, group in counts.groupby("slug"):
        n = group["n"].astype(int).tolist()
        low, high = diversity.chao1_ci(n)
        rows.append(
            {
                "slug": slug,
                "name": group["name"].iloc[0],
                "individuals": int(sum(n)),
                "species": len(n),
                "chao1": round(diversity.chao1(n), 1),
                "chao1_low": round(low, 1),
                "chao1_high": round(high, 1),
                "shannon": round(diversity.shannon(n), 3),
                "simpson": round(diversity.simpson(n), 3),
                "rarefied": round(diversity.rarefy(n, common_n), 1),
                "rarefied_to": common_n,
            }
        )
    pairs = dash_db.visit_species_sets(ctx.con, None, start, end, accepted_only)
    for slug, garden_pairs in pairs.groupby("slug"):
        samples = [set(g) for _, g in garden_pairs.groupby("visit_id")["species_id"]]
        curves[slug] = diversity.accumulation_curve(samples)
    return pd.DataFrame(rows), curves


def zones_view(
    ctx: Ctx, garden_id: int, start: datetime, end: datetime, accepted_only: bool = True
) -> pd.DataFrame:
    """Upkeep beside life per zone, normalised by the garden's survey effort (observer-hours)."""
    ctx.require("see_dashboard")
    frame = dash_db.zone_upkeep_and_life(ctx.con, garden_id, start, end, accepted_only)
    hours_total = dash_db.effort_hours(ctx.con, garden_id, start, end)
    frame["observer_hours"] = round(hours_total, 1)
    frame["records_per_observer_hour"] = [diversity.per_effort(r, hours_total) for r in frame["records"]]
    frame["individuals_per_observer_hour"] = [
        diversity.per_effort(i, hours_total) for i in frame["individuals"]
    ]
    return frame


def before_after(
    ctx: Ctx, garden_id: int, pivot: date, days: int = 90, accepted_only: bool = True
) -> pd.DataFrame:
    """Each zone in the ``days`` before and after a date (e.g. when a pond was dug), effort-normalised."""
    tz = ZoneInfo(ctx.config.timezone)
    at = datetime.combine(pivot, datetime.min.time(), tz)
    before = zones_view(ctx, garden_id, at - timedelta(days=days), at, accepted_only)
    after = zones_view(ctx, garden_id, at, at + timedelta(days=days), accepted_only)
    keep = ["code", "name", "species", "records", "records_per_observer_hour", "task_logs"]
    return before[keep].merge(after[keep], on=["code", "name"], suffixes=("_before", "_after"))


def town(ctx: Ctx, start: datetime, end: datetime) -> pd.DataFrame:
    ctx.require("see_dashboard")
    return dash_db.town_overview(ctx.con, start, end)
