"""The management page's habitat-features tab: the list, editing or switching off a feature, adding one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.clock import system_clock
from habitat.services import features
from habitat.services import zones as zones_service
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.manage_common import cell_date, confirmed_button, zone_input
from habitat.ui.safe import cell_text


def _provides_label(item: str) -> str:
    return {
        "food": t("manage.provides_food"),
        "water": t("manage.provides_water"),
        "shelter": t("manage.provides_shelter"),
    }[item]


def _feature_inputs(prefix: str, zones: pd.DataFrame, row: dict | None) -> dict:
    kinds, conditions = list(features.FEATURE_KINDS), list(features.CONDITIONS)
    provides = [] if row is None else [p for p in cell_text(row.get("provides")).split("|") if p]
    return {
        "name": st.text_input(
            t("manage.feature_name"), value="" if row is None else row["name"], key=f"{prefix}_name"
        ),
        "kind": st.selectbox(
            t("col.kind"),
            kinds,
            index=kinds.index(row["kind"]) if row else 0,
            format_func=lambda k: t("feature." + k),
            key=f"{prefix}_kind",
        ),
        "zone_id": zone_input(f"{prefix}_zone", zones, row),
        "condition": st.selectbox(
            t("col.condition"),
            conditions,
            index=conditions.index(row["condition"]) if row else 0,
            format_func=lambda c: t("condition." + c),
            key=f"{prefix}_condition",
        ),
        "provides": st.multiselect(
            t("manage.provides"),
            list(features.PROVIDES),
            default=provides,
            format_func=lambda p: _provides_label(p),
            key=f"{prefix}_provides",
            placeholder=t("common.choose_some"),  # Streamlit's own: "Choose options"
        ),
        "note": st.text_input(
            t("manage.note"), value="" if row is None else cell_text(row.get("note")), key=f"{prefix}_note"
        ),
        "checked_on": forms.optional_date(
            t("manage.checked_on"),
            known=t("manage.checked_on_known"),
            value=None if row is None else cell_date(row.get("checked_on")),
            default=system_clock().date(),
            key=f"{prefix}_checked",
        ),
    }


def features_tab(ctx, current: pd.Series) -> None:
    garden_id = int(current["id"])
    feats = features.features(ctx, garden_id)
    zones = zones_service.zones(ctx, garden_id)
    if feats.empty:
        st.info(t("common.nothing_yet"))
    else:
        core.table(
            pd.DataFrame(
                {
                    t("col.feature"): feats["name"],
                    t("col.kind"): feats["kind"].map(lambda k: t("feature." + k)),
                    t("col.zone"): feats["zone_code"].fillna("—"),
                    t("col.condition"): feats["condition"].map(lambda c: t("condition." + c)),
                    t("manage.provides"): feats["provides"]
                    .fillna("")
                    .map(lambda s: "、".join(_provides_label(p) for p in s.split("|") if p)),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.subheader(t("manage.edit_feature"))
        labels = {
            int(r["id"]): f"{t('feature.' + r['kind'])} · {r['name']}" for r in feats.to_dict("records")
        }
        feature_id = st.selectbox(
            t("col.feature"), list(labels), format_func=labels.get, key="manage_feature_pick"
        )
        row = feats[feats["id"] == feature_id].iloc[0].to_dict()
        n = core.form_generation(state.manage_form("feature_edit"))
        with st.form(f"manage_feature_edit_{feature_id}_{n}", enter_to_submit=False):
            values = _feature_inputs(f"manage_fedit{feature_id}_{n}", zones, row)
            submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: features.update_feature(ctx, feature_id, **values),
                t("manage.saved"),
                form=state.manage_form("feature_edit"),
            )
        if confirmed_button(t("manage.deactivate_feature"), f"manage_fdeact_{feature_id}"):
            core.run(lambda: features.deactivate_feature(ctx, feature_id), t("manage.deactivated"))
    with st.expander(t("manage.add_feature")):
        n = core.form_generation(state.manage_form("feature_new"))
        with st.form(f"manage_feature_new_{n}", enter_to_submit=False):
            values = _feature_inputs(f"manage_fnew{n}", zones, None)
            submitted = st.form_submit_button(t("manage.add_feature"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: features.add_feature(ctx, garden_id, **values),
                t("manage.feature_added"),
                form=state.manage_form("feature_new"),
            )
