"""Widgets for the five-principles self-assessment page: the season picker, the evidence and scores
per principle, the plants counted, gardens side by side, the trend over seasons, and fertiliser and
pesticide applications."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import habitat.charts  # noqa: F401 - registers the default plotly template
from habitat.domain import principles as rules
from habitat.ui import core, forms
from habitat.ui.civic_common import day_label, option_labels
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape

NO_TOOLBAR = {"displayModeBar": False}


def season_label(season: str) -> str:
    year, name = rules.parse_season(season)
    return t("principle.season_label", year=year, season=t("principle.season_" + name))


def season_picker(ctx, *, n: int = 8) -> str:
    seasons = rules.recent_seasons(ctx.now().date(), n)
    return st.selectbox(
        t("principle.season"),
        seasons,
        format_func={s: season_label(s) for s in seasons}.get,
        key="princ_season",
    )


def evidence_text(principle: int, ev: rules.Evidence, invasive_names: list[str] | None = None) -> str:
    if principle == 1:
        if not ev.plant_species:
            return t("principle.ev_no_plants")
        return t(
            "principle.ev_native",
            native=ev.native_plant_species,
            total=ev.plant_species,
            share=f"{ev.native_share * 100:.0f}%",
            planted=ev.planted_species,
        )
    if principle == 2:
        names = core.pick("、", ", ").join(invasive_names or [])
        text = t(
            "principle.ev_invasive_year",
            n=ev.invasive_plant_sightings,
            species=ev.invasive_plant_species,
            names=(core.pick("：", ": ") + names) if names else "",
            removals=ev.removals,
        )
        if ev.invasive_animal_sightings:
            text += " " + t("principle.ev_invasive_animals", n=ev.invasive_animal_sightings)
        return text
    if principle == 3:
        if not ev.plant_species:
            return t("principle.ev_no_plants")
        names = core.pick("、", ", ").join(t("layer." + layer) for layer in ev.layers) or "—"
        return t("principle.ev_layers", layers=names, n=len(ev.layers), total=len(rules.LAYERS))
    if principle == 4:
        return t("principle.ev_chemicals", pesticide=ev.pesticide_logs, fertiliser=ev.fertiliser_logs)
    needs = core.pick("、", ", ").join(t("need." + need) for need in ev.needs_met) or "—"
    return t("principle.ev_wildlife", working=ev.features_working, needs=needs, poor=ev.features_poor)


def evidence_dates(ev: rules.Evidence) -> None:
    """Which days the evidence covers, and why no score is suggested while the season is thin."""
    st.caption(
        t(
            "principle.evidence_dates",
            season_from=ev.season_from,
            season_to=ev.season_to,
            days=ev.season_days,
            records=ev.season_records,
            year_from=ev.year_from,
            year_to=ev.year_to,
        )
    )
    if not ev.enough_records:
        st.info(
            t(
                "principle.held_back",
                days=ev.season_days,
                records=ev.season_records,
                min_days=rules.MIN_SEASON_DAYS,
                min_records=rules.MIN_SEASON_RECORDS,
            ),
            icon=":material/hourglass_top:",
        )


def _invasive_names(plants: pd.DataFrame) -> list[str]:
    invasive = plants[plants["invasive"].astype(bool)] if not plants.empty else plants
    return (
        [str(n) for n in core.pick(invasive["chinese_name"], invasive["scientific_name"])]
        if len(invasive)
        else []
    )


def assessment_inputs(view, *, editable: bool) -> tuple[dict[int, int], dict[int, str]]:
    """Per principle: the evidence, the suggested score and the committee's score and note."""
    assessed = {int(r.principle): r for r in view.assessed.itertuples()}
    evidence_dates(view.evidence)
    invasive = _invasive_names(view.plants)
    scores, notes = {}, {}
    for p in rules.PRINCIPLES:
        name = rules.PRINCIPLE_KEYS[p]
        suggested = view.suggested[p]
        mine = assessed.get(p)
        with st.container(border=True):
            st.markdown(f"**{p}. {t('principle.name_' + name)}**")
            st.caption(t("principle.about_no_invasive_year" if p == 2 else "principle.about_" + name))
            st.markdown(evidence_text(p, view.evidence, invasive))
            st.markdown(t("principle.suggested", score="—" if suggested is None else suggested))
            key = f"princ_{view.garden_id}_{view.season}_{p}"
            default = int(mine.score) if mine is not None else (suggested or 0)
            if editable:
                scores[p] = st.slider(t("principle.score"), 0, rules.MAX_SCORE, default, key=f"{key}_score")
                notes[p] = st.text_input(
                    t("principle.note"),
                    value=mine.note if mine is not None and isinstance(mine.note, str) else "",
                    key=f"{key}_note",
                )
            elif mine is not None:
                st.markdown(t("principle.final", score=int(mine.score)))
                if isinstance(mine.note, str) and mine.note:
                    st.caption(md_escape(mine.note))
            else:
                st.caption(t("principle.not_assessed"))
    if assessed:
        first = next(iter(assessed.values()))
        st.caption(
            t("principle.assessed_by", name=md_escape(first.assessed_by), date=day_label(first.assessed_at))
        )
    return scores, notes


def plants_table(plants: pd.DataFrame) -> None:
    """The plant species the native-share and layer evidence was counted from; invasive ones first,
    and never ticked as a planting."""
    with st.expander(t("principle.plants_counted", n=len(plants)), icon=":material/local_florist:"):
        if plants.empty:
            st.info(t("principle.ev_no_plants"))
            return
        plants = plants.assign(_invasive=plants["invasive"].astype(bool)).sort_values(
            "_invasive", ascending=False, kind="stable"
        )
        core.table(
            pd.DataFrame(
                {
                    t("col.species"): core.pick(plants["chinese_name"], plants["scientific_name"]),
                    t("principle.col_layer"): plants["plant_layer"].map(
                        lambda v: t("layer." + v) if isinstance(v, str) else "—"
                    ),
                    t("principle.col_native"): plants["native"].map(lambda v: "✓" if v else "✗"),
                    t("principle.col_invasive"): plants["_invasive"].map(
                        lambda v: t("principle.col_invasive") if v else ""
                    ),
                    t("principle.col_planted"): [
                        (t("principle.invasive_planted") if bad else "✓") if planted else ""
                        for planted, bad in zip(plants["planted"].astype(bool), plants["_invasive"])
                    ],
                    t("col.records"): plants["records"],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def side_by_side(frame: pd.DataFrame) -> None:
    """Gardens x principles for one season, as a table and a heat map (suggested scores flagged)."""
    if frame.empty:
        st.info(t("common.nothing_yet"))
        return
    names = [
        core.pick(a, b) + ("" if done else " *")
        for a, b, done in zip(frame["name"], frame["name_en"], frame["assessed"])
    ]
    chart_names = [chart_text(n) for n in names]
    short = [t("principle.short_" + rules.PRINCIPLE_KEYS[p]) for p in rules.PRINCIPLES]
    table = pd.DataFrame({t("col.garden"): names})
    for p, label in zip(rules.PRINCIPLES, short):
        table[label] = frame[f"p{p}"].astype("Int64")
    table[t("principle.total")] = frame["total"].astype("Int64")
    core.table(table, hide_index=True, width="stretch")
    if not frame["assessed"].all():
        st.caption(t("principle.suggested_flag"))
    z = [[None if pd.isna(v) else int(v) for v in frame[f"p{p}"]] for p in rules.PRINCIPLES]
    fig = go.Figure(
        go.Heatmap(
            z=list(map(list, zip(*z))),
            x=short,
            y=chart_names,
            zmin=0,
            zmax=5,
            colorscale="YlGn",
            text=[[("" if v is None else str(v)) for v in row] for row in zip(*z)],
            texttemplate="%{text}",
            showscale=False,
        )
    )
    fig.update_layout(
        title={"text": t("principle.chart_side_by_side"), "x": 0},
        height=120 + 40 * len(names),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    fig.update_yaxes(autorange="reversed")
    st.plotly_chart(fig, key="princ_heatmap", config=NO_TOOLBAR)


def trend_chart(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("principle.no_assessments"))
        return
    fig = go.Figure()
    seasons = list(dict.fromkeys(frame["season"]))
    for _, g in frame.groupby("garden_id", sort=True):
        fig.add_trace(
            go.Scatter(
                x=[season_label(s) for s in g["season"]],
                y=g["total"],
                mode="lines+markers",
                name=chart_text(core.pick(g["name"].iloc[0], g["name_en"].iloc[0])),
            )
        )
    fig.update_xaxes(categoryorder="array", categoryarray=[season_label(s) for s in seasons])
    fig.update_layout(
        title={"text": t("principle.chart_trend"), "x": 0},
        height=320,
        yaxis={"range": [0, 26], "title": t("principle.total")},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    st.plotly_chart(fig, key="princ_trend", config=NO_TOOLBAR)


def applications_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.success(t("principle.no_applications"))
        return
    core.table(
        pd.DataFrame(
            {
                t("col.when"): frame["done_at"].map(day_label),
                t("col.kind"): frame["kind"].map(lambda k: t("task." + k)),
                t("principle.product"): frame["product"],
                t("principle.amount"): frame["amount"],
                t("col.zone"): core.pick(frame["zone"], frame["zone_en"]).fillna(""),
                t("principle.done_by"): frame["done_by"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def application_inputs(ctx, garden, n: int) -> dict:
    key = f"princ_app{n}"
    kind = st.radio(
        t("col.kind"),
        ("fertiliser", "pesticide"),
        format_func=option_labels("task.", ("fertiliser", "pesticide")).get,
        horizontal=True,
        key=f"{key}_kind",
    )
    product = st.text_input(
        t("principle.product"), key=f"{key}_product", placeholder=t("principle.product_hint")
    )
    amount = st.text_input(t("principle.amount"), key=f"{key}_amount", placeholder=t("principle.amount_hint"))
    zone_id = forms.zone_select(garden.zones, f"{key}_zone")
    day = st.date_input(
        t("common.date"), value=ctx.now().date(), max_value=ctx.now().date(), key=f"{key}_date"
    )
    when = min(ctx.now(), datetime.combine(day, ctx.now().time(), ZoneInfo(ctx.config.timezone)))
    return {
        "garden_id": garden.id,
        "zone_id": zone_id,
        "kind": kind,
        "product": product,
        "amount": amount,
        "done_at": when,
    }
