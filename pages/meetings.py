"""Garden meetings (committee): who took part, items from the agenda ideas or new, decisions, and
follow-ups that become upkeep tasks or problem reports with an owner and a due date."""

import streamlit as st

from habitat.errors import HabitatError
from habitat.services import ideas, meetings, overview
from habitat.ui import civic_views, core, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("meetings.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
n = st.session_state.setdefault("meet_form_n", 0)

hold_tab, followup_tab, past_tab = st.tabs([t("meetings.hold_tab"), t("meetings.followup_tab"), t("meetings.past_tab")])
with hold_tab:
    values = civic_views.meeting_inputs(ctx, garden, ideas.agenda(ctx, garden.id), n)
    if st.button(t("meeting.save"), type="primary", width="stretch", key="meet_save"):
        try:
            meetings.hold_meeting(ctx, **values)
        except HabitatError as err:
            core.show_error(err)
        else:
            tasks = sum(1 for item in values["items"] for fu in item.followups if fu.kind == "task")
            civic_views.rerun_with(t("meeting.saved", items=len(values["items"]), tasks=tasks), "meet_form_n")

with followup_tab:
    st.caption(t("followup.intro"))
    item_id = civic_views.decision_picker(meetings.decided_items(ctx, garden.id))
    if item_id is not None:
        m = st.session_state.setdefault("meet_fu_n", 0)
        followup = civic_views.followup_fields(ctx, f"meet_fu{m}", garden, meetings.people(ctx))
        if st.button(t("followup.save"), type="primary", width="stretch", key="meet_fu_save"):
            try:
                meetings.add_followup(ctx, item_id, followup)
            except HabitatError as err:
                core.show_error(err)
            else:
                civic_views.rerun_with(t("followup.saved", title=md_escape(followup.title)), "meet_fu_n")
    st.subheader(t("followup.list"))
    civic_views.followup_table(meetings.followups(ctx, garden.id))

with past_tab:
    civic_views.meeting_records(meetings.past_meetings(ctx, garden.id))
