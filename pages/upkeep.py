"""Upkeep: tasks due today and overdue (one tap), details with minutes, note and photo."""

import streamlit as st

from habitat.services import overview, patrols, upkeep
from habitat.ui import core, drafts_ui, forms, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("upkeep.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
patrolling = patrols.current_patrol(ctx) is not None  # a save then offers 回到巡护

due = upkeep.due_tasks(ctx, garden_id=garden.id)
st.subheader(t("home.due_tasks"))
views.due_list(due, offer=core.offers(again=False, patrol_running=patrolling))

st.subheader(t("upkeep.with_details"))
soon = upkeep.due_tasks(ctx, garden_id=garden.id, horizon_days=7)
if not soon.empty:
    labels = {int(r.id): f"{t('task.' + r.kind)} · {r.title} · {r.zone_code}" for r in soon.itertuples()}
    n = core.form_generation(state.UPKEEP_FORM)
    kept = drafts_ui.restore(ctx, "upkeep", f"upkeep{n}_")
    if st.session_state.get(f"upkeep{n}_task") not in labels:
        st.session_state.pop(f"upkeep{n}_task", None)  # a draft's task that is no longer due
    task_id = st.selectbox(
        t("upkeep.which_task"), list(labels), format_func=labels.get, key=f"upkeep{n}_task"
    )
    minutes = st.number_input(
        t("upkeep.minutes"), min_value=0, max_value=1440, value=30, step=5, key=f"upkeep{n}_min"
    )
    note = st.text_area(t("upkeep.note"), key=f"upkeep{n}_note", max_chars=2000)
    uploads = drafts_ui.with_photos(kept, forms.photo_inputs(f"upkeep{n}_photo", multiple=False))
    drafts_ui.autosave(ctx, "upkeep", f"upkeep{n}_", uploads)
    if st.button(t("upkeep.save_details"), type="primary", width="stretch", key="upkeep_save"):
        core.run(
            lambda: upkeep.log_task(ctx, task_id, minutes=int(minutes), note=note, uploads=uploads),
            t("upkeep.logged", task=md_escape(labels[task_id])),
            form=state.UPKEEP_FORM,
            then=lambda _: drafts_ui.clear(ctx, "upkeep"),
            offer=core.offers(patrol_running=patrolling),
        )

st.subheader(t("upkeep.my_recent"))
views.task_log_table(upkeep.my_recent_logs(ctx))
