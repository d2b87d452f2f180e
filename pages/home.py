"""Home, the cockpit: the big everyday buttons and what happened to her records, for every role; an
expert's queue and open questions; the committee's overdue work, open problems and headlines; upkeep
due (one tap) and her latest records by when she entered them."""

import streamlit as st

from habitat.services import inbox, overview, patrols, upkeep
from habitat.ui import core, home_views, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
user = ctx.user
st.title(t("home.greeting", name=md_escape(user.display_name)))
core.show_flash()
box = inbox.inbox(ctx)
home_views.inbox_banner(ctx, box)

due = upkeep.due_tasks(ctx, garden_id=user.home_garden_id)
home_views.action_buttons(due_count=len(due), patrol_running=patrols.current_patrol(ctx) is not None)

if ctx.can("verify"):
    home_views.expert_work(overview.expert_work(ctx))
if ctx.can("resolve_problems"):
    home_views.committee_work(overview.committee_work(ctx))
    views.headline_cards(overview.headlines(ctx))

st.subheader(t("home.due_tasks"))
views.due_list(due, limit=8)

home_views.inbox_list(box)

st.subheader(t("home.my_recent"))
views.sightings_table(overview.my_recent_sightings(ctx), with_garden=False)
