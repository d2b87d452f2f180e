"""Plotly figures for the dashboard and the monthly report (labels passed in, so both languages work)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from habitat.charts import TEMPLATE
from habitat.i18n import month_text, t

GREEN = "#1E8449"
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 320, "template": TEMPLATE}


def _layout(fig: go.Figure, title: str, **extra) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0}, **(LAYOUT | extra))
    return fig


def _months(frame: pd.DataFrame, lang: str) -> list[str]:
    """Month labels in the reader's language ("2026年5月" / "May 2026"), for a category axis: plotly's
    own date axis writes "Jan 2026" in every language (its zh-CN locale is not bundled by Streamlit)."""
    return [month_text(m, lang) for m in pd.to_datetime(frame["month"])] if not frame.empty else []


def _month_axis(frame: pd.DataFrame, months: list[str], lang: str) -> dict:
    """The x axis of a chart by month: the full label on hover; under the axis the year only on the
    first month and on each January ("2025年12月, 2026年1月, 2月, 3月 …"), so they fit a phone unturned."""
    stamps = list(pd.to_datetime(frame["month"])) if not frame.empty else []
    short = [
        full if i == 0 or stamp.month == 1 else t(f"fmt.mon_{stamp.month}", lang)
        for i, (stamp, full) in enumerate(zip(stamps, months))
    ]
    return {"type": "category", "tickvals": months, "ticktext": short}


def richness_over_time(
    richness: pd.DataFrame, *, title: str, species_label: str, effort_label: str, lang: str
) -> go.Figure:
    fig = go.Figure()
    months = _months(richness, lang)
    fig.add_trace(go.Bar(x=months, y=richness.get("species", []), name=species_label, marker_color=GREEN))
    if "records_per_observer_hour" in richness:
        fig.add_trace(
            go.Scatter(
                x=months,
                y=richness["records_per_observer_hour"],
                name=effort_label,
                yaxis="y2",
                mode="lines+markers",
                line={"color": "#CA6F1E"},
            )
        )
    return _layout(
        fig,
        title,
        xaxis=_month_axis(richness, months, lang),
        yaxis2={"overlaying": "y", "side": "right", "showgrid": False},
        legend={"orientation": "h", "y": -0.2},
    )


def group_breakdown(groups: pd.DataFrame, *, title: str, labels: dict[str, str]) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[labels.get(g, g) for g in groups["group_name"]],
            y=groups["species"],
            marker_color=GREEN,
            text=groups["species"],
            textposition="outside",
        )
    )
    return _layout(fig, title)


def phenology_heatmap(pivot: pd.DataFrame, *, title: str, month_labels: list[str]) -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            z=pivot.values,
            x=month_labels,
            y=list(pivot.index),
            colorscale="YlGn",
            hoverongaps=False,
            hovertemplate="%{y} · %{x} · %{z}<extra></extra>",  # plotly's default says "x:", "y:", "z:"
        )
    )
    return _layout(fig, title, height=max(320, 22 * len(pivot.index) + 80))


def on_time_rate(on_time: pd.DataFrame, *, title: str, lang: str) -> go.Figure:
    months = _months(on_time, lang)
    fig = go.Figure(
        go.Scatter(
            x=months,
            y=(on_time["on_time_rate"] * 100).round(0) if not on_time.empty else [],
            mode="lines+markers",
            line={"color": GREEN},
        )
    )
    return _layout(
        fig, title, xaxis=_month_axis(on_time, months, lang), yaxis={"range": [0, 105], "ticksuffix": "%"}
    )


def work_by_kind(work: pd.DataFrame, *, title: str, labels: dict[str, str]) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            y=[labels.get(k, k) for k in work["kind"]],
            x=work["logs"],
            orientation="h",
            marker_color=GREEN,
            text=work["logs"],
        )
    )
    return _layout(fig, title, yaxis={"autorange": "reversed"})


def accumulation(
    curves: dict[str, list[tuple[int, float]]],
    names: dict[str, str],
    *,
    title: str,
    x_label: str,
    y_label: str,
) -> go.Figure:
    fig = go.Figure()
    for slug, curve in curves.items():
        fig.add_trace(
            go.Scatter(
                x=[k for k, _ in curve], y=[s for _, s in curve], mode="lines", name=names.get(slug, slug)
            )
        )
    return _layout(
        fig,
        title,
        xaxis={"title": x_label},
        yaxis={"title": y_label},
        legend={"orientation": "h", "y": -0.25},
    )


def hours_by_person(hours: pd.DataFrame, *, title: str) -> go.Figure:
    totals = (
        hours.groupby("person", as_index=False)["hours"].sum().sort_values("hours")
        if not hours.empty
        else hours
    )
    fig = go.Figure(
        go.Bar(y=totals.get("person", []), x=totals.get("hours", []), orientation="h", marker_color=GREEN)
    )
    return _layout(fig, title)
