"""The month's headline figures and the scope of a report (one garden, or the whole town)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from habitat.db import dashboard as dash_db
from habitat.db import gardens as gardens_db
from habitat.db import report as report_db
from habitat.db.dashboard import ALL_STATUSES_EXCEPT_REJECTED
from habitat.domain.verification import ACCEPTED
from habitat.errors import NotFound
from habitat.i18n import t


@dataclass(frozen=True)
class Figures:
    """The headline figures of one month for a garden (or the town when garden_id is None)."""

    records: int
    unreviewed: int
    species: int
    new_species: int
    patrols: int
    hours: float
    upkeep_logs: int
    on_time_rate: float | None  # share of upkeep logs done on time; None without logs
    open_problems: int  # open now, not at the end of the month


@dataclass(frozen=True)
class _Scope:
    garden_id: int | None
    slug: str | None
    title: str  # garden or town name in the report's language
    town: str
    centre_lat: float | None = None
    centre_lon: float | None = None


def _statuses(accepted_only: bool) -> list[str]:
    return list(ACCEPTED if accepted_only else ALL_STATUSES_EXCEPT_REJECTED)


def month_figures(
    ctx, garden_id: int | None, start: datetime, end: datetime, *, accepted_only: bool, counts=None
) -> Figures:
    """Headline figures; ``counts`` is db.report.month_counts for the period when already fetched."""
    ctx.require("see_dashboard")
    con = ctx.con
    if counts is None:
        counts = report_db.month_counts(con, start, end, _statuses(accepted_only))
    rows = counts if garden_id is None else counts[counts["id"] == garden_id]
    species = dash_db.species_counts(con, garden_id, start, end, accepted_only)
    hours = dash_db.hours_by_person_month(con, garden_id, start, end)
    work = dash_db.work_by_kind(con, garden_id, start, end)
    on_time = dash_db.on_time_by_month(con, garden_id, start, end)
    logs_judged = int(on_time["logs"].sum()) if not on_time.empty else 0
    return Figures(
        records=int(rows["records"].sum()),
        unreviewed=int(rows["unreviewed"].sum()),
        species=len(species),
        new_species=int((species["first_ever"] >= start).sum()) if not species.empty else 0,
        patrols=int(rows["patrols"].sum()),
        hours=round(float(hours["hours"].sum()), 1) if not hours.empty else 0.0,
        upkeep_logs=int(work["logs"].sum()) if not work.empty else 0,
        on_time_rate=(
            float((on_time["on_time_rate"] * on_time["logs"]).sum()) / logs_judged if logs_judged else None
        ),
        open_problems=len(dash_db.open_problems_age(con, garden_id)),
    )


def _scope(ctx, garden_slug: str | None, lang: str) -> _Scope:
    gardens = gardens_db.list_gardens(ctx.con)
    town = str(gardens["town"].iloc[0]) if not gardens.empty else ""
    if garden_slug is None:
        return _Scope(None, None, t("report.town_scope", lang, town=town), town)
    row = gardens_db.by_slug(ctx.con, garden_slug)
    if row is None:
        raise NotFound("garden.not_found", slug=garden_slug)
    title = row[2] if lang == "zh" else (row[3] or row[2])
    return _Scope(row[0], row[1], title, row[4], float(row[5]), float(row[6]))
