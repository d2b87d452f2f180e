"""Home for each role: volunteer (due tasks, my records), expert (queue), committee (headlines)."""

import streamlit as st

from habitat.services import overview, upkeep
from habitat.ui import core, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
core.show_flash()
user = ctx.user
st.title(t("home.greeting", name=md_escape(user.display_name)))

if user.role == "expert":
    queue = overview.expert_queue(ctx)
    st.metric(t("home.queue_size"), int(queue["records"].sum()) if not queue.empty else 0)
    if not queue.empty:
        views.group_table(queue)

if user.role == "committee":
    views.headline_cards(overview.headlines(ctx))

st.subheader(t("home.due_tasks"))
due = upkeep.due_tasks(ctx, garden_id=user.home_garden_id)
views.due_list(due, limit=8)

st.subheader(t("home.my_recent"))
views.sightings_table(overview.my_recent_sightings(ctx), with_garden=False)
