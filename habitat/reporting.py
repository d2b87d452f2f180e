"""Monthly report and zone QR posters: printable, self-contained HTML files.

The report is what a residents' committee sends up to the town: headline figures, upkeep,
volunteer hours, species, charts and photos of one month, for one garden or for the whole town.
It opens offline and prints on A4: plotly.js is inlined once, photos are data URIs, no fonts or
scripts are fetched. Every text from the database is escaped (habitat.report_template).

CLI: ``python -m habitat report`` and ``python -m habitat posters``. The command line has no
signed-in person (whoever can open the database file can read all of it), so it acts as a
committee member. This module is imported on every CLI start: heavy modules (pandas, plotly,
DuckDB, the services) are imported inside the functions.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import click

from habitat.domain.roles import COMMITTEE, Person
from habitat.errors import HabitatError, NotFound, ValidationError
from habitat.i18n import t
from habitat.report_template import (
    CHART_WIDTH_PX,
    FONT_STACK,
    POSTER_CSS,
    REPORT_CSS,
    Html,
    document,
    esc,
    join,
    kpi,
    table,
    tag,
)

Progress = Callable[[float, str], None]

CLI_PERSON = Person(id=0, username="cli", display_name="command line", role=COMMITTEE)
PHOTOS_PER_REPORT = 6
MAX_TABLE_ROWS = 25  # due tasks and problems: a long list is cut with "n more"
IMAGE_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def _no_progress(fraction: float, label: str) -> None:
    return None


# ---------------------------------------------------------------------------------------------
# Figures


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
    from habitat.db.dashboard import ALL_STATUSES_EXCEPT_REJECTED
    from habitat.domain.verification import ACCEPTED

    return list(ACCEPTED if accepted_only else ALL_STATUSES_EXCEPT_REJECTED)


def month_figures(ctx, garden_id: int | None, start: datetime, end: datetime, *, accepted_only: bool,
                  counts=None) -> Figures:
    """Headline figures; ``counts`` is db.report.month_counts for the period when already fetched."""
    from habitat.db import dashboard as dash_db
    from habitat.db import report as report_db

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
        on_time_rate=(float((on_time["on_time_rate"] * on_time["logs"]).sum()) / logs_judged
                      if logs_judged else None),
        open_problems=len(dash_db.open_problems_age(con, garden_id, ctx.now())),
    )


def _scope(ctx, garden_slug: str | None, lang: str) -> _Scope:
    from habitat.db import gardens as gardens_db

    gardens = gardens_db.list_gardens(ctx.con)
    town = str(gardens["town"].iloc[0]) if not gardens.empty else ""
    if garden_slug is None:
        return _Scope(None, None, t("report.town_scope", lang, town=town), town)
    row = gardens_db.by_slug(ctx.con, garden_slug)
    if row is None:
        raise NotFound("garden.not_found", slug=garden_slug)
    title = row[2] if lang == "zh" else (row[3] or row[2])
    return _Scope(row[0], row[1], title, row[4], float(row[5]), float(row[6]))


# ---------------------------------------------------------------------------------------------
# Formatting


def _day(value, tz: str) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz)
    return stamp.strftime("%Y-%m-%d")


def _hours(value) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{float(value):.1f}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _month_title(year: int, month: int, lang: str) -> str:
    return t("report.month_title", lang, year=year, month=t(f"report.month_{month}", lang))


def _zone_label(code, name, name_en, lang: str) -> str:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "—"
    label = name if lang == "zh" or not isinstance(name_en, str) or not name_en else name_en
    return f"{code} {label}"


def _section(title: str, body: Html, *, ident: str, page_break: bool = False) -> Html:
    cls = ' class="break"' if page_break else ""
    return Html(f'<section id="{ident}"{cls}>{tag("h2", title)}{body}</section>')


def _nothing(lang: str) -> Html:
    return tag("p", t("report.none", lang), "note")


def _more(n: int, lang: str) -> Html:
    return tag("p", t("report.more_rows", lang, n=n), "note") if n > 0 else Html("")


# ---------------------------------------------------------------------------------------------
# Sections


def _cover(scope: _Scope, year: int, month: int, figures: Figures, ctx, lang: str, accepted_only: bool) -> Html:
    basis = (t("report.basis_accepted", lang) if accepted_only
             else t("report.basis_all", lang, n=figures.unreviewed))
    meta = t("report.generated", lang, town=scope.town, date=_day(ctx.now(), ctx.config.timezone))
    return Html(
        '<header class="cover">'
        + tag("p", t("report.kicker", lang), "kicker")
        + tag("h1", f"{scope.title} · {_month_title(year, month, lang)}")
        + tag("p", meta, "meta") + tag("p", basis, "meta")
        + "</header>"
    )


def _headline_section(figures: Figures, lang: str) -> Html:
    tiles = [
        ("records", str(figures.records)), ("species", str(figures.species)),
        ("new_species", str(figures.new_species)), ("patrols", str(figures.patrols)),
        ("hours", _hours(figures.hours)), ("upkeep_logs", str(figures.upkeep_logs)),
        ("on_time", _rate(figures.on_time_rate)), ("open_problems", str(figures.open_problems)),
    ]
    body = '<div class="kpis">' + "".join(kpi(name, value, t(f"report.kpi_{name}", lang)) for name, value in tiles)
    return _section(t("report.section_headline", lang), Html(body + "</div>"), ident="headline")


def _gardens_section(ctx, counts, start, end, accepted_only: bool, lang: str) -> Html:
    headers = [(t("report.col_garden", lang), "")] + [
        (t(f"report.kpi_{name}", lang), "num")
        for name in ("records", "species", "new_species", "patrols", "hours", "upkeep_logs", "on_time", "open_problems")
    ]
    rows = []
    for garden in counts.itertuples():
        f = month_figures(ctx, int(garden.id), start, end, accepted_only=accepted_only, counts=counts)
        name = garden.name if lang == "zh" else (garden.name_en or garden.name)
        rows.append([name, f.records, f.species, f.new_species, f.patrols, _hours(f.hours), f.upkeep_logs,
                     _rate(f.on_time_rate), f.open_problems])
    body = table(headers, rows) if rows else _nothing(lang)
    return _section(t("report.section_gardens", lang), body, ident="gardens")


def _garden_names(ctx, lang: str) -> Callable[[str], str]:
    """Chinese garden name (as the upkeep queries give it) -> the name in the report's language."""
    from habitat.db import gardens as gardens_db

    if lang == "zh":
        return lambda name: name
    gardens = gardens_db.list_gardens(ctx.con)
    english = {n: e for n, e in zip(gardens["name"], gardens["name_en"]) if isinstance(e, str) and e}
    return lambda name: english.get(name, name)


def _upkeep_section(ctx, scope: _Scope, start, end, lang: str) -> Html:
    from habitat.services import dashboard

    summary = dashboard.upkeep_summary(ctx, scope.garden_id, start, end)
    tz, town = ctx.config.timezone, scope.garden_id is None
    garden_name = _garden_names(ctx, lang)
    work = summary.work_by_kind
    parts = [tag("h3", t("report.work_by_kind", lang))]
    if work.empty:
        parts.append(_nothing(lang))
    else:
        parts.append(table(
            [(t("report.col_kind", lang), ""), (t("report.col_logs", lang), "num"), (t("report.col_hours", lang), "num")],
            [[t(f"task.{k}", lang), int(n), _hours(m / 60)] for k, n, m in zip(work["kind"], work["logs"], work["minutes"])],
            total=[t("report.total", lang), int(work["logs"].sum()), _hours(work["minutes"].sum() / 60)],
        ))

    parts.append(tag("h3", t("report.due_now", lang, date=_day(ctx.now(), tz))))
    due = summary.due
    garden_col = [(t("report.col_garden", lang), "")] if town else []
    if due.empty:
        parts.append(_nothing(lang))
    else:
        shown = due.head(MAX_TABLE_ROWS)
        rows = [([garden_name(r.garden)] if town else []) + [
            _zone_label(r.zone_code, r.zone, r.zone_en, lang), r.title, t(f"task.{r.kind}", lang),
            _day(r.due_on, tz), int(r.days_overdue) if r.days_overdue > 0 else t("report.due_today", lang),
        ] for r in shown.itertuples()]
        parts.append(table(
            garden_col + [(t("report.col_zone", lang), ""), (t("report.col_task", lang), ""),
                          (t("report.col_kind", lang), ""), (t("report.col_due_on", lang), "num"),
                          (t("report.col_overdue", lang), "num late")],
            rows, row_classes=["late" if d > 0 else "" for d in shown["days_overdue"]],
        ))
        parts.append(_more(len(due) - len(shown), lang))

    parts.append(tag("h3", t("report.open_problems", lang)))
    problems = summary.problems
    if problems.empty:
        parts.append(_nothing(lang))
    else:
        shown = problems.head(MAX_TABLE_ROWS)
        rows = [([garden_name(r.garden)] if town else []) + [
            r.zone, t(f"problem.{r.kind}", lang), r.description, _day(r.reported_at, tz), int(r.age_days),
        ] for r in shown.itertuples()]
        parts.append(table(
            garden_col + [(t("report.col_zone", lang), ""), (t("report.col_kind", lang), ""),
                          (t("report.col_problem", lang), ""), (t("report.col_reported", lang), "num"),
                          (t("report.col_age", lang), "num")],
            rows,
        ))
        parts.append(_more(len(problems) - len(shown), lang))
    return _section(t("report.section_upkeep", lang), join(parts), ident="upkeep")


# --- five principles (ideas, meetings and principles work) --------------------------------------


def _season_label(season: str, lang: str) -> str:
    from habitat.domain.principles import parse_season

    year, name = parse_season(season)
    return t("principle.season_label", lang, year=year, season=t(f"principle.season_{name}", lang))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>"


def _principles_section(ctx, scope: _Scope, end, lang: str) -> Html:
    """The latest assessed season's five-principles scores: per principle for a garden, per garden for the town."""
    from habitat.domain.principles import PRINCIPLE_KEYS, PRINCIPLES
    from habitat.services import principles

    title = t("report.section_principles", lang)
    latest = principles.latest_scores(ctx, scope.garden_id, end.date())
    if latest.empty:
        return _section(title, tag("p", t("report.principles_none", lang), "note"), ident="principles")
    names = [t(f"principle.name_{PRINCIPLE_KEYS[p]}", lang) for p in PRINCIPLES]
    if scope.garden_id is not None:
        rows = [[f"{int(r.principle)}. {names[int(r.principle) - 1]}", int(r.score),
                 "—" if _missing(r.suggested_score) else int(r.suggested_score),
                 r.note if isinstance(r.note, str) else ""] for r in latest.itertuples()]
        body = tag("p", t("report.principles_season", lang, season=_season_label(latest["season"].iloc[0], lang)), "meta")
        body += table([(t("report.col_principle", lang), ""), (t("report.col_score", lang), "num"),
                       (t("report.col_suggested", lang), "num"), (t("report.col_note", lang), "")],
                      rows, total=[t("report.total", lang), int(latest["score"].sum()), "", ""])
        return _section(title, body, ident="principles")
    rows = []
    for _, g in latest.groupby("garden_id", sort=True):
        by = dict(zip(g["principle"].astype(int), g["score"].astype(int)))
        name = g["garden"].iloc[0] if lang == "zh" else (g["garden_en"].iloc[0] or g["garden"].iloc[0])
        rows.append([name, _season_label(g["season"].iloc[0], lang), *[by.get(p, "—") for p in PRINCIPLES],
                     sum(by.values())])
    headers = [(t("report.col_garden", lang), ""), (t("report.col_season", lang), "")]
    headers += [(f"{p}. {n}", "num") for p, n in zip(PRINCIPLES, names)] + [(t("report.total", lang), "num")]
    return _section(title, table(headers, rows), ident="principles")


def _hours_section(ctx, scope: _Scope, start, end, lang: str) -> Html:
    from habitat.services import dashboard

    hours = dashboard.hours(ctx, scope.garden_id, start, end)
    if hours.empty:
        return _section(t("report.section_hours", lang), _nothing(lang), ident="hours")
    hours = hours if "event_hours" in hours else hours.assign(event_hours=0.0)
    per_person = (hours.fillna({"patrol_hours": 0.0, "task_hours": 0.0, "event_hours": 0.0})
                  .groupby(["username", "person"], as_index=False)[["patrol_hours", "task_hours", "event_hours", "hours"]].sum()
                  .sort_values(["hours", "person"], ascending=[False, True]))
    body = table(
        [(t("report.col_person", lang), ""), (t("report.col_patrol_hours", lang), "num"),
         (t("report.col_task_hours", lang), "num"), (t("dash.event_hours", lang), "num"),
         (t("report.col_total_hours", lang), "num")],
        [[r.person, _hours(r.patrol_hours), _hours(r.task_hours), _hours(r.event_hours), _hours(r.hours)]
         for r in per_person.itertuples()],
        total=[t("report.total", lang), _hours(per_person["patrol_hours"].sum()), _hours(per_person["task_hours"].sum()),
               _hours(per_person["event_hours"].sum()), _hours(per_person["hours"].sum())],
    )
    return _section(t("report.section_hours", lang), body, ident="hours")


def _species_name(chinese, english, lang: str) -> str:
    if lang == "zh" or not isinstance(english, str) or not english:
        return chinese
    return f"{english}（{chinese}）" if chinese else english


def _species_section(species, start, lang: str, tz: str) -> Html:
    title = t("report.section_species", lang)
    if species.empty:
        return _section(title, _nothing(lang), ident="species", page_break=True)
    rows, classes = [], []
    for r in species.itertuples():
        new = r.first_ever >= start
        badges = join([
            tag("span", t("report.badge_new", lang), "badge new") if new else "",
            tag("span", t("report.badge_sensitive", lang), "badge sensitive") if r.sensitive else "",
            tag("span", t("report.badge_invasive", lang), "badge invasive") if r.invasive else "",
        ])
        rows.append([Html(esc(_species_name(r.chinese_name, r.english_name, lang)) + badges),
                     tag("span", r.scientific_name, "sci"), t(f"group.{r.group_name}", lang),
                     int(r.records), int(r.individuals), _day(r.first_ever, tz)])
        classes.append("new" if new else "")
    body = tag("p", t("report.species_note", lang), "note") + table(
        [(t("report.col_species", lang), ""), (t("report.col_scientific", lang), ""), (t("report.col_group", lang), ""),
         (t("report.col_records", lang), "num"), (t("report.col_individuals", lang), "num"),
         (t("report.col_first", lang), "num")],
        rows, row_classes=classes,
    )
    return _section(title, body, ident="species", page_break=True)


def _chart(fig, height: int) -> Html:
    fig.update_layout(width=CHART_WIDTH_PX, height=height, autosize=False, font={"family": FONT_STACK})
    div = fig.to_html(full_html=False, include_plotlyjs=False,
                      config={"displayModeBar": False, "responsive": False, "displaylogo": False})
    return Html(f'<div class="chart">{div}</div>')


def _last_12_months(year: int, month: int) -> list[tuple[int, int]]:
    index = year * 12 + month - 1
    return [((i // 12), i % 12 + 1) for i in range(index - 11, index + 1)]


def _richness_chart(ctx, scope: _Scope, year: int, month: int, accepted_only: bool, lang: str) -> Html:
    import pandas as pd

    from habitat.charts import dashboard as charts
    from habitat.services import dashboard

    months = _last_12_months(year, month)
    start = dashboard.month_bounds(*months[0], ctx.config.timezone)[0]
    end = dashboard.month_bounds(year, month, ctx.config.timezone)[1]
    richness = dashboard.biodiversity(ctx, scope.garden_id, start, end, accepted_only).richness
    labels = [f"{y}-{m:02d}" for y, m in months]
    frame = pd.DataFrame({"month": labels})
    if not richness.empty:
        keyed = richness.assign(month=pd.to_datetime(richness["month"]).dt.strftime("%Y-%m"))
        frame = frame.merge(keyed, on="month", how="left")
    frame["species"] = frame.get("species", pd.Series(0, index=frame.index)).fillna(0).astype(int)
    if "records_per_observer_hour" in frame:
        frame["records_per_observer_hour"] = frame["records_per_observer_hour"].astype(float)
    fig = charts.richness_over_time(frame, title=t("report.chart_richness", lang),
                                    species_label=t("report.chart_species", lang),
                                    effort_label=t("report.chart_effort", lang))
    fig.update_xaxes(type="category")
    fig.update_layout(yaxis={"rangemode": "tozero"}, yaxis2={"rangemode": "tozero", "tickformat": ".1f"})
    return _chart(fig, 320)


def _groups_chart(groups, lang: str) -> Html:
    from habitat.charts import dashboard as charts

    if groups.empty:
        return Html("")
    groups = groups.sort_values("species", ascending=False)
    labels = {g: t(f"group.{g}", lang) for g in groups["group_name"]}
    fig = charts.group_breakdown(groups, title=t("report.chart_groups", lang), labels=labels)
    fig.update_yaxes(rangemode="tozero", range=[0, float(groups["species"].max()) * 1.2 + 1])
    return _chart(fig, 300)


def zone_plan_figure(zones, centre_lat: float, centre_lon: float, *, value_column: str,
                     label: Callable[[object], str]):
    """The garden plan in metres around its centre, zones shaded by ``value_column``.

    Drawn as SVG shapes rather than a map: the WebGL map of habitat.charts.maps comes out blank
    in print and in headless browsers. An equirectangular approximation is exact to well under
    a metre over a garden of a few dozen metres.
    """
    import plotly.graph_objects as go
    from plotly.colors import sample_colorscale

    kx, ky = 111_320 * math.cos(math.radians(centre_lat)), 110_574
    peak = max(1.0, float(zones[value_column].max() or 0)) if not zones.empty else 1.0
    fig = go.Figure()
    centres_x, centres_y, texts = [], [], []
    for zone in zones.itertuples():
        geometry = json.loads(zone.geometry)
        if geometry.get("type") != "Polygon":
            continue
        ring = geometry["coordinates"][0]
        xs = [(lon - centre_lon) * kx for lon, _ in ring]
        ys = [(lat - centre_lat) * ky for _, lat in ring]
        value = float(getattr(zone, value_column) or 0)
        text = esc(label(zone))  # plotly reads text as HTML-like markup: names arrive escaped
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=sample_colorscale("YlGn", [0.08 + 0.8 * value / peak])[0],
            line={"color": "#1B4F2A", "width": 2}, hoverinfo="text", text=text, showlegend=False,
        ))
        corners = ring[:-1] if ring[0] == ring[-1] else ring
        centres_x.append(sum(xs[: len(corners)]) / len(corners))
        centres_y.append(sum(ys[: len(corners)]) / len(corners))
        texts.append(text)
    for x, y, text in zip(centres_x, centres_y, texts):  # boxed labels stay readable on dark zones
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, font={"size": 12, "color": "#111"},
                           bgcolor="rgba(255,255,255,0.85)", borderpad=3)
    fig.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
        plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    return fig


def _plan_chart(ctx, scope: _Scope, start, end, accepted_only: bool, lang: str) -> Html:
    from habitat.services import dashboard

    zones = dashboard.zones_view(ctx, scope.garden_id, start, end, accepted_only)
    if zones.empty:
        return Html("")

    def label(zone) -> Html:
        name = _zone_label(zone.code, zone.name, zone.name_en, lang)
        return Html(f"{esc(name)}<br>{esc(t('report.plan_records', lang, n=int(zone.records)))}")

    fig = zone_plan_figure(zones, scope.centre_lat, scope.centre_lon, value_column="records", label=label)
    fig.update_layout(title={"text": t("report.chart_plan", lang), "x": 0})
    return _chart(fig, 420)


def _charts_section(ctx, scope: _Scope, year: int, month: int, groups, start, end, accepted_only: bool,
                    lang: str) -> Html:
    body = _richness_chart(ctx, scope, year, month, accepted_only, lang) + _groups_chart(groups, lang)
    if scope.garden_id is not None:
        body += _plan_chart(ctx, scope, start, end, accepted_only, lang)
    return _section(t("report.section_charts", lang), Html(body), ident="charts", page_break=True)


def _photo_uri(root: Path, *relative_paths: str) -> str | None:
    """The first of the renditions that exists under ``root``, as a data URI (None when none does)."""
    base = root.resolve()
    for rel in relative_paths:
        if not isinstance(rel, str) or not rel:
            continue
        path = (base / rel).resolve()
        mime = IMAGE_MIME.get(path.suffix.lower())
        if mime is None or not path.is_relative_to(base) or not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return None


def _photos_section(ctx, scope: _Scope, start, end, accepted_only: bool, lang: str) -> Html:
    from habitat.db import report as report_db

    candidates = report_db.month_photos(ctx.con, scope.garden_id, start, end, _statuses(accepted_only),
                                        limit=PHOTOS_PER_REPORT * 3)
    figures = []
    for p in candidates.itertuples():
        uri = _photo_uri(ctx.config.photo_root, p.thumb_path, p.display_path)
        if uri is None:
            continue
        name = (_species_name(p.chinese_name, p.english_name, lang) if isinstance(p.chinese_name, str)
                else t("common.unidentified", lang))
        where = [p.garden if lang == "zh" else (p.garden_en or p.garden)] if scope.garden_id is None else []
        caption = tag("b", name) + join(Html(" · ") + tag("span", part, "nowrap")
                                        for part in [_day(p.event_date, ctx.config.timezone), *where])
        if isinstance(p.note, str) and p.note.strip():
            note = p.note.strip()
            caption += Html("<br>") + tag("span", note if len(note) <= 60 else note[:59] + "…", "note")
        figures.append(f'<figure class="photo"><img src="{uri}" alt="{esc(name)}">'
                       f"<figcaption>{caption}</figcaption></figure>")
        if len(figures) == PHOTOS_PER_REPORT:
            break
    body = Html(f'<div class="photos">{"".join(figures)}</div>') if figures else tag("p", t("report.no_photos", lang), "note")
    return _section(t("report.section_photos", lang), body, ident="photos")


def build_report(ctx, *, garden_slug: str | None, year: int, month: int, lang: str = "zh",
                 progress: Progress | None = None, accepted_only: bool = False) -> str:
    """The month's report for one garden (or the town when garden_slug is None) as one HTML page.

    Records and species count every record except rejected ones (the month's records are rarely
    all reviewed when the report is due; the cover says how many are not); ``accepted_only``
    counts accepted records only. Upkeep due, open problems and their ages are as of now.
    """
    import plotly.offline

    from habitat.db import report as report_db
    from habitat.services import dashboard

    ctx.require("see_dashboard")
    if not 1 <= month <= 12:
        raise ValidationError("report.bad_month")
    step = progress or _no_progress
    scope = _scope(ctx, garden_slug, lang)
    start, end = dashboard.month_bounds(year, month, ctx.config.timezone)

    step(0.0, t("report.section_headline", lang))
    counts = report_db.month_counts(ctx.con, start, end, _statuses(accepted_only))
    figures = month_figures(ctx, scope.garden_id, start, end, accepted_only=accepted_only, counts=counts)
    parts = [_cover(scope, year, month, figures, ctx, lang, accepted_only), _headline_section(figures, lang)]
    if scope.garden_id is None:
        step(0.1, t("report.section_gardens", lang))
        parts.append(_gardens_section(ctx, counts, start, end, accepted_only, lang))
    step(0.25, t("report.section_upkeep", lang))
    parts.append(_upkeep_section(ctx, scope, start, end, lang))
    parts.append(_principles_section(ctx, scope, end, lang))  # five principles: latest assessed season
    step(0.4, t("report.section_hours", lang))
    parts.append(_hours_section(ctx, scope, start, end, lang))
    step(0.5, t("report.section_species", lang))
    bio = dashboard.biodiversity(ctx, scope.garden_id, start, end, accepted_only)
    parts.append(_species_section(bio.species, start, lang, ctx.config.timezone))
    step(0.6, t("report.section_charts", lang))
    parts.append(_charts_section(ctx, scope, year, month, bio.groups, start, end, accepted_only, lang))
    step(0.85, t("report.section_photos", lang))
    parts.append(_photos_section(ctx, scope, start, end, accepted_only, lang))
    parts.append(tag("footer", f"{t('app.title', lang)} · {t('report.footer', lang)}"))
    page = document(
        lang=lang, title=f"{scope.title} · {_month_title(year, month, lang)}", css=REPORT_CSS,
        body=f"<main>{''.join(parts)}</main>", head_script=plotly.offline.get_plotlyjs(),
    )
    step(1.0, t("report.done", lang))
    return page


# ---------------------------------------------------------------------------------------------
# QR posters


def zone_url(base_url: str, garden_slug: str, zone_code: str) -> str:
    """The log form with garden and zone preset, as the poster's QR code opens it."""
    return f"{base_url.rstrip('/')}/log_sighting?{urlencode({'garden': garden_slug, 'zone': zone_code})}"


def qr_png(text: str) -> bytes:
    """A QR code as PNG: high error correction (a poster outdoors gets dirty), 16 px per module."""
    import io

    import qrcode
    from qrcode.constants import ERROR_CORRECT_H

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_H, box_size=16, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def _poster(garden_name: str, zone, url: str, lang: str) -> Html:
    png = base64.b64encode(qr_png(url)).decode("ascii")
    english = tag("p", zone.name_en, "zone-en") if lang != "zh" and isinstance(zone.name_en, str) and zone.name_en else ""
    return Html(
        f'<section class="poster" data-zone="{esc(zone.code)}">'
        + tag("p", garden_name, "garden")
        + tag("p", t("report.poster_zone", lang, code=zone.code, name=zone.name), "zone") + english
        + tag("p", t("report.poster_invite", lang), "invite")
        + f'<img class="qr" src="data:image/png;base64,{png}" alt="{esc(url)}">'
        + tag("p", t("report.poster_hint", lang), "hint")
        + tag("p", url, "url")
        + tag("p", t("app.title", lang), "app")
        + "</section>"
    )


def build_posters(ctx, garden_slug: str, base_url: str | None = None, lang: str = "zh") -> str:
    """One A4 poster per active zone: garden and zone name, an invitation and the zone's QR code."""
    from habitat.db import gardens as gardens_db

    ctx.require("manage_gardens")
    row = gardens_db.by_slug(ctx.con, garden_slug)
    if row is None:
        raise NotFound("garden.not_found", slug=garden_slug)
    garden_name = row[2]  # the name residents know, in Chinese, on every poster
    base = base_url or ctx.config.base_url
    zones = gardens_db.zones(ctx.con, row[0])
    posters = [_poster(garden_name, zone, zone_url(base, row[1], zone.code), lang) for zone in zones.itertuples()]
    body = "".join(posters) if posters else tag("p", t("report.no_zones", lang), "hint")
    return document(lang=lang, title=t("report.poster_title", lang, garden=garden_name), css=POSTER_CSS, body=body)


# ---------------------------------------------------------------------------------------------
# Command line


def _cli_lang() -> str:
    from habitat import settings

    return settings.load().language


def _fail(err: HabitatError) -> None:
    click.echo(err.message(_cli_lang()), err=True)
    sys.exit(2)


def _cli_ctx(db_path: Path | None, photo_root: Path | None):
    from habitat import settings
    from habitat.db import open_database
    from habitat.services.context import Ctx

    config = settings.load()
    if photo_root is not None:
        config = dataclasses.replace(config, photo_root=photo_root)
    return Ctx(con=open_database(db_path or config.db_path), user=CLI_PERSON, config=config)


def _write(out_path: Path, text: str, started: float) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8")
    size = out_path.stat().st_size
    click.echo(json.dumps({"out": str(out_path), "bytes": size, "seconds": round(time.perf_counter() - started, 2)}))


_DB = click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
                   help="Database file (default GARDEN_DB).")
_OUT = click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
                    help="HTML file to write.")
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                     help="Language of the page (default GARDEN_LANG, which defaults to zh).")


@click.command("report")
@_DB
@click.option("--garden", "garden_slug", default=None, help="The garden (slug, e.g. zhongjing).")
@click.option("--town", is_flag=True, help="All gardens of the town, one row per garden.")
@click.option("--month", type=click.DateTime(formats=["%Y-%m"]), required=True, metavar="YYYY-MM",
              help="The month of the report.")
@_OUT
@_LANG
@click.option("--photos", "photo_root", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Photo folder (default GARDEN_PHOTOS).")
@click.option("--accepted-only", is_flag=True, help="Count accepted records only (default: all but rejected).")
def report_command(db_path, garden_slug, town, month, out_path, lang, photo_root, accepted_only) -> None:
    """Write the monthly report of a garden or of the town: one printable HTML file that opens offline."""
    if bool(garden_slug) == bool(town):
        raise click.UsageError(t("report.cli_scope", _cli_lang()))
    started = time.perf_counter()
    try:
        ctx = _cli_ctx(db_path, photo_root)
        try:
            text = build_report(ctx, garden_slug=garden_slug, year=month.year, month=month.month,
                                lang=lang or ctx.config.language, accepted_only=accepted_only)
        finally:
            ctx.con.close()
    except HabitatError as err:
        _fail(err)
    _write(out_path, text, started)


@click.command("posters")
@_DB
@click.option("--garden", "garden_slug", required=True, help="The garden (slug, e.g. zhongjing).")
@_OUT
@click.option("--base-url", default=None, help="Public address of the app (default GARDEN_BASE_URL).")
@_LANG
def posters_command(db_path, garden_slug, out_path, base_url, lang) -> None:
    """Write one A4 QR poster per zone: scanning opens the log form with garden and zone filled in."""
    started = time.perf_counter()
    try:
        ctx = _cli_ctx(db_path, None)
        try:
            text = build_posters(ctx, garden_slug, base_url=base_url, lang=lang or ctx.config.language)
        finally:
            ctx.con.close()
    except HabitatError as err:
        _fail(err)
    _write(out_path, text, started)


