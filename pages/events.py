"""Events: nature classes (家门口的自然课), BioBlitz, planting and clean-up days, meetings; sign-ups,
attendance (children only counted), the live BioBlitz board, and children's observation plots."""

import streamlit as st

from habitat.services import events, overview
from habitat.ui import core, plot_views, signup_views, state, views
from habitat.ui import event_views as ev
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("events.title"))
core.show_flash()
ev.show_error()  # every refusal on this page shows here, at the top
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
upcoming, past = events.garden_events(ctx, garden.id)

# keyed: after a save the page stays on the tab it was on (every tab is still drawn); after planning an
# event the page shows it, in the events tab
if st.session_state.get(state.EVENTS_PICK_NEXT) is not None:
    st.session_state[state.EVENTS_TAB] = t("events.tab_events")
list_tab, plan_tab, plots_tab = st.tabs(
    [t("events.tab_events"), t("events.tab_plan"), t("events.tab_plots")],
    key=state.EVENTS_TAB,
    on_change="rerun",
)
with list_tab:
    st.subheader(t("events.upcoming"))
    ev.event_cards(ev.next_of_each_series(upcoming))
    with st.expander(t("events.past_n", n=len(past))):
        ev.event_cards(past.head(20))
    event_id = ev.event_picker(upcoming, past)
    if event_id is not None:
        detail = events.event_detail(ctx, event_id)
        with st.container(border=True):
            ev.event_header(detail)
            signup_views.my_signup(ctx, detail)
            if detail.event["kind"] == "bioblitz":
                ev.bioblitz_board(event_id, live=detail.status == "live")
            signup_views.signup_list(detail)
            if detail.may_organise:
                signup_views.group_signup_form(ctx, detail)
                signup_views.attendance_form(ctx, detail)
            signup_views.attendance_summary(detail)
            ev.cancel_button(ctx, detail)

with plan_tab:
    st.caption(t("events.plan_intro"))
    ev.plan_form(ctx, garden)

with plots_tab:
    plot_views.plots_section(ctx, garden)
