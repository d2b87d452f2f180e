"""Garden meetings (committee): who took part, items from the agenda ideas or new, decisions, and
follow-ups that become upkeep tasks or problem reports with an owner and a due date."""

import streamlit as st

from habitat.services import ideas, meetings, overview
from habitat.ui import core, meeting_views, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("meetings.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
n = core.form_generation(state.MEETING_FORM)

# keyed: after a save the page stays on the tab it was on (every tab is still drawn: widgets in a tab
# that is not drawn would lose what was typed)
hold_tab, followup_tab, past_tab = st.tabs(
    [t("meetings.hold_tab"), t("meetings.followup_tab"), t("meetings.past_tab")],
    key=state.MEETINGS_TAB,
    on_change="rerun",
)
with hold_tab:
    values = meeting_views.meeting_inputs(ctx, garden, ideas.agenda(ctx, garden.id), n)
    if st.button(t("meeting.save"), type="primary", width="stretch", key="meet_save"):
        tasks = sum(1 for item in values["items"] for fu in item.followups if fu.kind == "task")
        core.run(
            lambda: meetings.hold_meeting(ctx, **values),
            t("meeting.saved", items=len(values["items"]), tasks=tasks),
            form=state.MEETING_FORM,
        )

with followup_tab:
    st.caption(t("followup.intro"))
    decided = meetings.decided_items(ctx, garden.id)
    item_id = meeting_views.decision_picker(decided)
    if item_id is not None:
        m = core.form_generation(state.FOLLOWUP_FORM)
        followup = meeting_views.followup_fields(
            ctx,
            f"meet_fu{m}_{item_id}",  # each decision its own draft (the owner starts as its proposer)
            garden,
            meetings.people(ctx),
            proposer=meeting_views.proposer_of(decided, item_id),
        )
        if st.button(t("followup.save"), type="primary", width="stretch", key="meet_fu_save"):
            core.run(
                lambda: meetings.add_followup(ctx, item_id, followup),
                t("followup.saved", title=md_escape(followup.title)),
                form=state.FOLLOWUP_FORM,
            )
    st.subheader(t("followup.list"))
    meeting_views.followup_table(meetings.followups(ctx, garden.id))

with past_tab:
    meeting_views.meeting_records(meetings.past_meetings(ctx, garden.id))
