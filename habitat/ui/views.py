"""Reusable page pieces: tables, cards, the garden picker, the due list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.clock import local
from habitat.domain.verification import STATUS_KEYS
from habitat.errors import HabitatError
from habitat.services import overview, upkeep
from habitat.ui import core, state
from habitat.ui.core import t


def garden_picker(ctx, *, sidebar: bool = True) -> str:
    """Choose a garden: link/QR preset (?garden=slug), then last choice, then the home garden."""
    gardens = overview.gardens(ctx)
    slugs = list(gardens["slug"])
    names = dict(zip(gardens["slug"], gardens["name"] if core.lang() == "zh" else gardens["name_en"]))
    preset = st.query_params.get("garden")
    if preset in slugs:
        st.session_state[state.GARDEN] = preset
    if st.session_state.get(state.GARDEN) not in slugs:
        home = gardens.loc[gardens["id"] == ctx.user.home_garden_id, "slug"]
        st.session_state[state.GARDEN] = home.iloc[0] if len(home) else slugs[0]
    where = st.sidebar if sidebar else st
    return where.selectbox(t("common.garden"), slugs, format_func=names.get, key=state.GARDEN)


def species_labels(frame: pd.DataFrame) -> pd.Series:
    if frame.empty:
        return pd.Series([], dtype=str)
    name = frame["chinese_name"] if core.lang() == "zh" else frame["english_name"].fillna(frame["chinese_name"])
    return name.fillna(frame["verbatim_identification"]).fillna(t("common.unidentified"))


def status_label(status: str) -> str:
    return t(STATUS_KEYS.get(status, "status.not_reviewed"))


def sightings_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("common.nothing_yet"))
        return
    shown = pd.DataFrame(
        {
            t("col.when"): frame["event_date"].map(lambda d: local(d).strftime("%Y-%m-%d %H:%M")),
            t("col.species"): species_labels(frame),
            t("col.count"): frame["individual_count"].astype("Int64").astype(str).replace("<NA>", t("common.present")),
            t("col.garden"): frame["garden"],
            t("col.zone"): frame["zone"] if core.lang() == "zh" else frame["zone_en"].fillna(frame["zone"]),
            t("col.status"): frame["status"].map(status_label),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def group_table(queue: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("col.group"): queue["group_name"].map(lambda g: t("group." + g)),
            t("col.records"): queue["records"],
            t("col.oldest"): queue["oldest"].map(lambda d: local(d).strftime("%Y-%m-%d")),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def headline_cards(headlines: pd.DataFrame) -> None:
    for row in headlines.itertuples():
        with st.container(border=True):
            st.markdown(f"**{row.name if core.lang() == 'zh' else row.name_en}**")
            cols = st.columns(4)
            cols[0].metric(t("home.sightings_month"), int(row.sightings_month))
            cols[1].metric(t("home.species_year"), int(row.species_year))
            cols[2].metric(t("home.open_problems"), int(row.open_problems))
            cols[3].metric(t("home.hours_month"), f"{row.hours_month:.0f}")


def due_list(due: pd.DataFrame, *, limit: int | None = None, visit_id: int | None = None) -> None:
    """Tasks due today and overdue, most overdue first; one tap logs one as done now."""
    if due.empty:
        st.success(t("upkeep.nothing_due"))
        return
    ctx = core.ctx()
    rows = due if limit is None else due.head(limit)
    for r in rows.itertuples():
        zone = r.zone if core.lang() == "zh" else (r.zone_en or r.zone)
        when = t("upkeep.due_today") if r.days_overdue == 0 else t("upkeep.overdue_days", n=int(r.days_overdue))
        with st.container(border=True):
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f"**{t('task.' + r.kind)}** · {r.title}  \n{r.garden} · {zone} · :{'red' if r.days_overdue > 0 else 'orange'}[{when}]")
            if right.button(t("upkeep.done"), key=f"due_done_{r.id}", type="primary", width="stretch"):
                try:
                    upkeep.log_task(ctx, int(r.id), visit_id=visit_id)
                except HabitatError as err:
                    core.show_error(err)
                else:
                    core.flash("success", t("upkeep.logged", task=r.title))
                    st.rerun()
    if limit is not None and len(due) > limit:
        st.caption(t("upkeep.more_due", n=len(due) - limit))


def zone_table(zones: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("col.code"): zones["code"],
            t("col.zone"): zones["label"] if "label" in zones else zones["name"],
            t("col.kind"): zones["kind"].map(lambda k: t("zone." + k)),
            t("col.area"): zones["area_m2"].round(0).astype(int),
            t("garden.sightings_30d"): zones["sightings"],
            t("garden.species_30d"): zones["species"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def features_table(features: pd.DataFrame) -> None:
    if features.empty:
        st.info(t("common.nothing_yet"))
        return
    shown = pd.DataFrame(
        {
            t("col.feature"): features["name"],
            t("col.kind"): features["kind"].map(lambda k: t("feature." + k)),
            t("col.zone"): features["zone"],
            t("col.condition"): features["condition"].map(lambda c: t("condition." + c)),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
