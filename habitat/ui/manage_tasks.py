"""The management page's recurring-tasks tab: the task list, editing or switching off a task, adding one
("only once" tasks included)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from habitat.domain import recurrence
from habitat.services import upkeep
from habitat.services import zones as zones_service
from habitat.ui import core, state
from habitat.ui.core import t
from habitat.ui.manage_common import cell_date, confirmed_button, zone_input
from habitat.ui.safe import cell_text
from habitat.ui.safe import md_escape


def _task_values(values: dict) -> dict:
    """The form's values as the service takes them: "only once" is stored as ONE_OFF_DAYS."""
    once = values.pop("once")
    return {**values, "every_days": recurrence.ONE_OFF_DAYS if once else values["every_days"]}


def _task_inputs(prefix: str, zones: pd.DataFrame, row: dict | None, today: date) -> dict:
    kinds = list(upkeep.TASK_KINDS)
    return {
        "title": st.text_input(
            t("manage.task_title"), value="" if row is None else row["title"], key=f"{prefix}_title"
        ),
        "kind": st.selectbox(
            t("col.kind"),
            kinds,
            index=kinds.index(row["kind"]) if row else 0,
            format_func=lambda k: t("task." + k),
            key=f"{prefix}_kind",
        ),
        "zone_id": zone_input(f"{prefix}_zone", zones, row),
        "every_days": st.number_input(
            t("manage.every_days"),
            min_value=1,
            max_value=upkeep.MAX_EVERY_DAYS,
            value=7 if row is None else min(int(row["every_days"]), upkeep.MAX_EVERY_DAYS),
            step=1,
            key=f"{prefix}_every",
        ),
        "once": st.checkbox(
            t("manage.only_once"),
            value=row is not None and recurrence.is_one_off(row["every_days"]),
            key=f"{prefix}_once",
            help=t("manage.only_once_help"),
        ),
        "start_on": st.date_input(
            t("manage.start_on"),
            value=today if row is None else cell_date(row["start_on"]),
            key=f"{prefix}_start",
        ),
    }


def tasks_tab(ctx, current: pd.Series) -> None:
    garden_id = int(current["id"])
    defs = upkeep.task_defs(ctx, garden_id)
    zones = zones_service.zones(ctx, garden_id)
    today = ctx.now().date()
    if defs.empty:
        st.info(t("common.nothing_yet"))
    else:
        core.table(
            pd.DataFrame(
                {
                    t("col.task"): defs["kind"].map(lambda k: t("task." + k)),
                    t("manage.task_title"): defs["title"],
                    t("col.zone"): defs["zone_code"].fillna("—"),
                    t("manage.every_days"): defs["every_days"].map(
                        lambda d: t("manage.only_once") if recurrence.is_one_off(d) else str(int(d))
                    ),
                    t("manage.last_done"): defs["last_done"].map(
                        lambda d: "—" if pd.isna(d) else str(cell_date(d))
                    ),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.subheader(t("manage.edit_task"))
        labels = {
            int(r["id"]): f"{t('task.' + r['kind'])} · {r['title']} · {cell_text(r['zone_code']) or '—'}"
            for r in defs.to_dict("records")
        }
        task_def_id = st.selectbox(
            t("col.task"), list(labels), format_func=labels.get, key="manage_task_pick"
        )
        row = defs[defs["id"] == task_def_id].iloc[0].to_dict()
        n = core.form_generation(state.manage_form("task_edit"))
        with st.form(f"manage_task_edit_{task_def_id}_{n}", enter_to_submit=False):
            values = _task_values(_task_inputs(f"manage_tedit{task_def_id}_{n}", zones, row, today))
            submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: upkeep.update_task_def(ctx, task_def_id, **values),
                t("manage.saved"),
                form=state.manage_form("task_edit"),
            )
        if confirmed_button(t("manage.deactivate_task"), f"manage_tdeact_{task_def_id}"):
            core.run(lambda: upkeep.deactivate_task_def(ctx, task_def_id), t("manage.deactivated"))
    with st.expander(t("manage.add_task"), expanded=defs.empty):
        n = core.form_generation(state.manage_form("task_new"))
        with st.form(f"manage_task_new_{n}", enter_to_submit=False):
            values = _task_values(_task_inputs(f"manage_tnew{n}", zones, None, today))
            submitted = st.form_submit_button(t("manage.add_task"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: upkeep.add_task_def(ctx, garden_id, **values),
                t("manage.task_added", title=md_escape(values["title"])),
                form=state.manage_form("task_new"),
            )
