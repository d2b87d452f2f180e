"""Plotly figures for the dashboard and the monthly report (labels passed in, so both languages work)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from habitat.i18n import month_text, t

GREEN = "#1E8449"
LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "height": 320,
}  # the template: the default (habitat.charts)


def _layout(fig: go.Figure, title: str, **extra) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0}, **(LAYOUT | extra))
    return fig


def _months(frame: pd.DataFrame, lang: str) -> list[str]:
    """Month labels in the reader's language ("2026年5月" / "May 2026"), for a category axis: plotly's
    own date axis writes "Jan 2026" in every language (its zh-CN locale is not bundled by Streamlit)."""
    return [month_text(m, lang) for m in pd.to_datetime(frame["month"])] if not frame.empty else []


def _month_axis(frame: pd.DataFrame, months: list[str], lang: str) -> dict:
    """The x axis of a chart by month: the whole month on hover; under the axis every second month (the
    last one always), its name with the year on a second line where the year starts ("11月<br>2025",
    "1月<br>2026", "3月" …), unturned: thirteen turned labels took half the height of a phone's chart
    and cut the first one off."""
    stamps = list(pd.to_datetime(frame["month"])) if not frame.empty else []
    step = 1 if len(stamps) <= 6 else max(2, -(-len(stamps) // 7))
    shown = list(range(len(stamps) - 1, -1, -step))[::-1]
    values, texts, year = [], [], None
    for i in shown:
        stamp = stamps[i]
        name = t(f"fmt.mon_{stamp.month}", lang)
        texts.append(name if stamp.year == year else f"{name}<br>{stamp.year}")
        values.append(months[i])
        year = stamp.year
    return {"type": "category", "tickvals": values, "ticktext": texts, "tickangle": 0}


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
