"""Residents' ideas and needs for the garden (金点子): record one with a photo and zone, support
others' ideas; the committee puts ideas on the agenda of a garden meeting."""

import streamlit as st

from habitat.services import ideas, overview
from habitat.ui import core, idea_views, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("ideas.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
n = core.form_generation(state.IDEAS_FORM)

list_tab, new_tab = st.tabs([t("ideas.list_tab"), t("ideas.new_tab")])
with new_tab:
    st.caption(t("ideas.intro"))
    values = idea_views.idea_form(ctx, garden, n)
    if st.button(t("ideas.save"), type="primary", width="stretch", key="ideas_save"):
        core.run(
            lambda: ideas.propose_idea(ctx, **values),
            t("ideas.saved", title=md_escape(values["title"])),
            form=state.IDEAS_FORM,
        )

with list_tab:
    show_closed = st.toggle(t("ideas.show_closed"), key="ideas_show_closed")
    frame = ideas.garden_ideas(ctx, garden.id, include_closed=show_closed)
    idea_views.idea_cards(ctx, frame)
    if ctx.can("hold_meeting"):
        idea_views.idea_status_form(ctx, ideas.garden_ideas(ctx, garden.id, include_closed=True))
