"""The management page's garden choice (shared by the other tabs) and its gardens tab: the list,
a new garden, editing and switching off the chosen one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import gardens as gardens_service
from habitat.ui import core, state
from habitat.ui.core import t
from habitat.ui.manage_common import confirmed_button, name_label
from habitat.ui.safe import md_escape

DEFAULT_TOWN = "新泾镇"


def garden_choice(ctx, gardens: pd.DataFrame) -> pd.Series | None:
    """The garden the other tabs work on (shares the choice with the other pages)."""
    if gardens.empty:
        return None
    slugs = list(gardens["slug"])
    names = {r["slug"]: name_label(r) for r in gardens.to_dict("records")}
    if st.session_state.get(state.GARDEN) not in slugs:
        st.session_state[state.GARDEN] = slugs[0]
    slug = st.selectbox(t("common.garden"), slugs, format_func=names.get, key=state.GARDEN)
    return gardens[gardens["slug"] == slug].iloc[0]


def _garden_inputs(prefix: str, row: dict | None) -> dict:
    def val(name, default=None):
        return default if row is None or row.get(name) is None or pd.isna(row.get(name)) else row[name]

    values = {
        "name": st.text_input(t("manage.garden_name"), value=val("name", ""), key=f"{prefix}_name"),
        "name_en": st.text_input(t("manage.name_en"), value=val("name_en", ""), key=f"{prefix}_name_en"),
        "town": st.text_input(t("manage.town"), value=val("town", DEFAULT_TOWN), key=f"{prefix}_town"),
        "district": st.text_input(t("manage.district"), value=val("district", ""), key=f"{prefix}_district"),
        "theme": st.text_input(t("manage.theme"), value=val("theme", ""), key=f"{prefix}_theme"),
        "centre_lat": st.number_input(
            t("manage.lat"), value=val("centre_lat"), format="%.6f", step=0.00001, key=f"{prefix}_lat"
        ),
        "centre_lon": st.number_input(
            t("manage.lon"), value=val("centre_lon"), format="%.6f", step=0.00001, key=f"{prefix}_lon"
        ),
        "coords_are_gcj02": st.checkbox(
            t("manage.gcj02"), value=False, key=f"{prefix}_gcj02", help=t("manage.gcj02_help")
        ),
        "area_m2": st.number_input(
            t("manage.garden_area"), value=val("area_m2"), min_value=0.0, step=10.0, key=f"{prefix}_area"
        ),
    }
    return values


def gardens_tab(ctx, gardens: pd.DataFrame, current: pd.Series | None) -> None:
    if not gardens.empty:
        core.table(
            pd.DataFrame(
                {
                    t("manage.garden_name"): [name_label(r) for r in gardens.to_dict("records")],
                    t("manage.slug"): gardens["slug"],
                    t("manage.town"): gardens["town"],
                    t("col.area"): gardens["area_m2"].round(0).astype("Int64"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander(t("manage.new_garden"), expanded=gardens.empty):
        n = core.form_generation(state.manage_form("garden_new"))
        with st.form(f"manage_garden_new_{n}", enter_to_submit=False):
            slug = st.text_input(t("manage.slug"), key=f"manage_gnew{n}_slug", help=t("manage.slug_help"))
            values = _garden_inputs(f"manage_gnew{n}", None)
            submitted = st.form_submit_button(t("manage.create_garden"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: gardens_service.create_garden(ctx, slug, **values),
                t("manage.garden_created", slug=md_escape(slug)),
                form=state.manage_form("garden_new"),
            )
    if current is None:
        return
    garden_id = int(current["id"])
    with st.expander(t("manage.edit_garden", name=md_escape(name_label(current)))):
        row = gardens_service.garden(ctx, garden_id)
        n = core.form_generation(state.manage_form("garden_edit"))
        with st.form(f"manage_garden_edit_{garden_id}_{n}", enter_to_submit=False):
            values = _garden_inputs(f"manage_gedit{garden_id}_{n}", row)
            submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: gardens_service.update_garden(ctx, garden_id, **values),
                t("manage.saved"),
                form=state.manage_form("garden_edit"),
            )
        st.caption(t("manage.deactivate_garden_help"))
        if confirmed_button(t("manage.deactivate_garden"), f"manage_gdeact_{garden_id}"):
            core.run(lambda: gardens_service.deactivate_garden(ctx, garden_id), t("manage.deactivated"))
