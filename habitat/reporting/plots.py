"""The report's charts: species richness over 12 months, species by group, the garden plan.

Charts are plotly figures drawn at a fixed print width; plotly.js itself is inlined once by
habitat.reporting.report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from habitat.charts import dashboard as charts
from habitat.i18n import t
from habitat.reporting.figures import _Scope
from habitat.reporting.format import _section, _zone_label
from habitat.reporting.template import CHART_WIDTH_PX, FONT_STACK, Html, esc
from habitat.services import dashboard


def _chart(fig, height: int) -> Html:
    fig.update_layout(width=CHART_WIDTH_PX, height=height, autosize=False, font={"family": FONT_STACK})
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        config={"displayModeBar": False, "responsive": False, "displaylogo": False},
    )
    return Html(f'<div class="chart">{div}</div>')


def _last_12_months(year: int, month: int) -> list[tuple[int, int]]:
    index = year * 12 + month - 1
    return [((i // 12), i % 12 + 1) for i in range(index - 11, index + 1)]


def _richness_chart(ctx, scope: _Scope, year: int, month: int, accepted_only: bool, lang: str) -> Html:
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
    fig = charts.richness_over_time(
        frame,
        title=t("report.chart_richness", lang),
        species_label=t("report.chart_species", lang),
        effort_label=t("report.chart_effort", lang),
        lang=lang,
    )
    fig.update_layout(yaxis={"rangemode": "tozero"}, yaxis2={"rangemode": "tozero", "tickformat": ".1f"})
    return _chart(fig, 320)


def _groups_chart(groups, lang: str) -> Html:
    if groups.empty:
        return Html("")
    groups = groups.sort_values("species", ascending=False)
    labels = {g: t(f"group.{g}", lang) for g in groups["group_name"]}
    fig = charts.group_breakdown(groups, title=t("report.chart_groups", lang), labels=labels)
    fig.update_yaxes(rangemode="tozero", range=[0, float(groups["species"].max()) * 1.2 + 1])
    return _chart(fig, 300)


def zone_plan_figure(
    zones, centre_lat: float, centre_lon: float, *, value_column: str, label: Callable[[object], str]
):
    """The garden plan in metres around its centre, zones shaded by ``value_column``.

    Drawn as SVG shapes rather than a map: the WebGL map of habitat.charts.maps comes out blank
    in print and in headless browsers. An equirectangular approximation is exact to well under
    a metre over a garden of a few dozen metres.
    """
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
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=sample_colorscale("YlGn", [0.08 + 0.8 * value / peak])[0],
                line={"color": "#1B4F2A", "width": 2},
                hoverinfo="text",
                text=text,
                showlegend=False,
            )
        )
        corners = ring[:-1] if ring[0] == ring[-1] else ring
        centres_x.append(sum(xs[: len(corners)]) / len(corners))
        centres_y.append(sum(ys[: len(corners)]) / len(corners))
        texts.append(text)
    for x, y, text in zip(centres_x, centres_y, texts):  # boxed labels stay readable on dark zones
        fig.add_annotation(
            x=x,
            y=y,
            text=text,
            showarrow=False,
            font={"size": 12, "color": "#111"},
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=3,
        )
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    return fig


def _plan_chart(ctx, scope: _Scope, start, end, accepted_only: bool, lang: str) -> Html:
    zones = dashboard.zones_view(ctx, scope.garden_id, start, end, accepted_only)
    if zones.empty:
        return Html("")

    def label(zone) -> Html:
        name = _zone_label(zone.code, zone.name, zone.name_en, lang)
        return Html(f"{esc(name)}<br>{esc(t('report.plan_records', lang, n=int(zone.records)))}")

    fig = zone_plan_figure(zones, scope.centre_lat, scope.centre_lon, value_column="records", label=label)
    fig.update_layout(title={"text": t("report.chart_plan", lang), "x": 0})
    return _chart(fig, 420)


def _charts_section(
    ctx, scope: _Scope, year: int, month: int, groups, start, end, accepted_only: bool, lang: str
) -> Html:
    body = _richness_chart(ctx, scope, year, month, accepted_only, lang) + _groups_chart(groups, lang)
    if scope.garden_id is not None:
        body += _plan_chart(ctx, scope, start, end, accepted_only, lang)
    return _section(t("report.section_charts", lang), Html(body), ident="charts", page_break=True)
