"""The management page's problems tab: open problem reports (this garden or all) and resolving one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import community
from habitat.ui import core, state
from habitat.ui.core import t


def problems_tab(ctx, current: pd.Series | None) -> None:
    everywhere = st.toggle(t("manage.all_gardens"), key="manage_problems_all") or current is None
    problems = community.problems_to_resolve(ctx, None if everywhere else int(current["id"]))
    if problems.empty:
        st.success(t("ask.no_open_problems"))
        return
    core.table(
        pd.DataFrame(
            {
                t("manage.age_days"): problems["age_days"],
                t("col.garden"): problems["garden"],
                t("col.zone"): problems["zone"].fillna("—"),
                t("col.kind"): problems["kind"].map(lambda k: t("problem." + k)),
                t("col.description"): problems["description"],
                t("col.reported_by"): problems["reported_by"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    labels = {
        int(r["id"]): f"#{r['id']} · {t('problem.' + r['kind'])} · {str(r['description'])[:30]}"
        for r in problems.to_dict("records")
    }
    problem_id = st.selectbox(
        t("manage.problem"), list(labels), format_func=labels.get, key="manage_problem_pick"
    )
    n = core.form_generation(state.manage_form("resolve"))
    resolution = st.text_area(t("manage.resolution"), key=f"manage_resolve{n}_text", max_chars=2000)
    if st.button(t("manage.resolve"), key=f"manage_resolve{n}_go", type="primary", width="stretch"):
        core.run(
            lambda: community.resolve_problem(ctx, problem_id, resolution),
            t("manage.resolved", id=problem_id),
            form=state.manage_form("resolve"),
        )
