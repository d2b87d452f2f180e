"""The management page's audit tab: the latest entries of the audit log (for those who may see it)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import audit_log
from habitat.ui import core
from habitat.ui.core import t


def audit_tab(ctx) -> None:
    if not ctx.can("see_audit"):
        return
    entries = audit_log.recent_audit(ctx, limit=200)
    if entries.empty:
        st.info(t("common.nothing_yet"))
        return
    core.table(
        pd.DataFrame(
            {
                t("col.when"): entries["happened_at"].map(core.datetime_text),
                t("manage.actor"): entries["actor"].fillna("—"),
                t("manage.action"): entries["action"],
                t("manage.entity"): entries["entity"]
                + " #"
                + entries["entity_id"].astype("Int64").astype(str),
                t("manage.before"): entries["before_json"].fillna(""),
                t("manage.after"): entries["after_json"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
        height=420,
    )
