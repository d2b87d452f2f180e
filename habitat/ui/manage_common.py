"""Pieces the tabs of the committee's management page share (pages/manage.py; one module per tab:
manage_gardens, manage_zones, manage_features, manage_tasks, manage_people, manage_problems,
manage_audit).

Session-state keys of this page all start with "manage_" (state.manage_form). Forms keep what was
typed when a service refuses it; after a success the form's generation moves on, which empties it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from habitat.ui import core
from habitat.ui.core import t


def name_label(row) -> str:
    """A garden's or zone's name in the reader's language."""
    return str(core.pick(row["name"], row.get("name_en")))


def cell_date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def confirmed_button(label: str, key: str) -> bool:
    """A destructive action needs a tick first."""
    sure = st.checkbox(t("manage.confirm"), key=f"{key}_sure")
    return st.button(label, key=key, disabled=not sure, width="stretch")


def zone_input(key: str, zones: pd.DataFrame, row: dict | None) -> int | None:
    """A zone of the garden, or the whole garden (None), preset to the row's zone."""
    ids = [None] + [int(i) for i in zones["id"]]
    names = {int(r["id"]): f"{r['code']} · {name_label(r)}" for r in zones.to_dict("records")}
    current = None if row is None or pd.isna(row.get("zone_id")) else int(row["zone_id"])
    return st.selectbox(
        t("common.zone"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=lambda i: t("manage.whole_garden") if i is None else names[i],
        key=key,
    )
