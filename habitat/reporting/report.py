"""build_report: the month's report of a garden or of the town as one printable HTML page."""

from __future__ import annotations

from collections.abc import Callable

import plotly.offline

from habitat.db import report as report_db
from habitat.errors import ValidationError
from habitat.i18n import t
from habitat.reporting import community, summary
from habitat.reporting.figures import _scope, _statuses, month_figures
from habitat.reporting.format import _month_title
from habitat.reporting.plots import _charts_section
from habitat.reporting.sections import (
    _cover,
    _gardens_section,
    _headline_section,
    _photos_section,
    _principles_section,
    _species_section,
    _upkeep_section,
)
from habitat.reporting.template import REPORT_CSS, document, tag
from habitat.services import dashboard

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, label: str) -> None:
    return None


def build_report(
    ctx,
    *,
    garden_slug: str | None,
    year: int,
    month: int,
    lang: str = "zh",
    progress: Progress | None = None,
    accepted_only: bool = dashboard.ACCEPTED_ONLY_DEFAULT,
) -> str:
    """The month's report for one garden (or the town when garden_slug is None) as one HTML page.

    Records and species count every record except rejected ones (the month's records are rarely
    all reviewed when the report is due; the cover says how many are not); ``accepted_only``
    counts accepted records only. Upkeep due, open problems and their ages are as of now, and so
    are what became of ideas and meeting follow-ups. Page 1 is the residents' one-page summary.
    """

    ctx.require("see_dashboard")
    if not 1 <= month <= 12:
        raise ValidationError("report.bad_month")
    step = progress or _no_progress
    scope = _scope(ctx, garden_slug, lang)
    start, end = dashboard.month_bounds(year, month, ctx.config.timezone)

    tz, town = ctx.config.timezone, scope.garden_id is None
    step(0.0, t("report.section_headline", lang))
    counts = report_db.month_counts(ctx.con, start, end, _statuses(accepted_only))
    figures = month_figures(ctx, scope.garden_id, start, end, accepted_only=accepted_only, counts=counts)
    step(0.1, t("report.section_events", lang))
    month_of = community.community_month(ctx, scope.garden_id, start, end)
    bio = dashboard.biodiversity(ctx, scope.garden_id, start, end, accepted_only)
    month_title = _month_title(year, month, lang)
    parts = [
        _cover(scope, year, month, figures, ctx, lang, accepted_only),
        # page 1: what residents are handed; the committee's report starts on page 2
        summary.summary_section(month_of, bio.species, start, scope.title, month_title, tz, lang),
        _headline_section(figures, lang),
    ]
    if town:
        step(0.15, t("report.section_gardens", lang))
        parts.append(_gardens_section(ctx, counts, start, end, accepted_only, lang))
    parts.append(community.events_section(month_of, town, tz, lang))
    parts.append(community.ideas_section(month_of, town, tz, lang))
    parts.append(community.partners_section(month_of, lang))
    step(0.25, t("report.section_upkeep", lang))
    parts.append(_upkeep_section(ctx, scope, start, end, lang))
    parts.append(_principles_section(ctx, scope, end, lang))  # five principles: latest assessed season
    step(0.4, t("report.section_hours_by_role", lang))
    parts.append(community.hours_section(month_of, lang))
    step(0.5, t("report.section_species", lang))
    parts.append(_species_section(bio.species, start, lang, tz))
    step(0.6, t("report.section_charts", lang))
    parts.append(_charts_section(ctx, scope, year, month, bio.groups, start, end, accepted_only, lang))
    step(0.85, t("report.section_photos", lang))
    parts.append(_photos_section(ctx, scope, start, end, accepted_only, lang))
    parts.append(tag("footer", f"{t('app.title', lang)} · {t('report.footer', lang)}"))
    page = document(
        lang=lang,
        title=f"{scope.title} · {_month_title(year, month, lang)}",
        css=REPORT_CSS,
        body=f"<main>{''.join(parts)}</main>",
        head_script=plotly.offline.get_plotlyjs(),
    )
    step(1.0, t("report.done", lang))
    return page
