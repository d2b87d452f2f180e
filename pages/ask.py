"""Ask an expert ("is this a weed?") before pulling a plant, or report a problem in the garden."""

import streamlit as st

from habitat.services import community, overview, patrols
from habitat.ui import core, drafts_ui, forms, state, views
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("ask.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
n = core.form_generation(state.ASK_FORM)
after_save = core.offers(patrol_running=patrols.current_patrol(ctx) is not None)

weed_tab, problem_tab = st.tabs([t("ask.weed_tab"), t("ask.problem_tab")])
with weed_tab:
    st.caption(t("ask.weed_intro"))
    kept = drafts_ui.restore(ctx, "ask", f"ask_q{n}_")
    uploads = drafts_ui.with_photos(kept, forms.photo_inputs(f"ask_q{n}"))
    zone_id = forms.zone_select(garden.zones, f"ask_q{n}_zone")
    body = st.text_area(
        t("ask.question"), key=f"ask_q{n}_body", placeholder=t("ask.question_hint"), max_chars=2000
    )
    drafts_ui.autosave(ctx, "ask", f"ask_q{n}_", uploads)
    if st.button(t("ask.send_question"), type="primary", width="stretch", key="ask_send"):
        core.run(
            lambda: community.ask_expert(ctx, garden.id, zone_id, body, uploads),
            t("ask.question_sent"),
            form=state.ASK_FORM,
            then=lambda _: drafts_ui.clear(ctx, "ask"),
            offer=after_save,
        )

with problem_tab:
    p_kept = drafts_ui.restore(ctx, "problem", f"ask_p{n}_")
    kind = st.selectbox(
        t("ask.problem_kind"),
        community.PROBLEM_KINDS,
        format_func=lambda k: t("problem." + k),
        key=f"ask_p{n}_kind",
    )
    p_uploads = drafts_ui.with_photos(p_kept, forms.photo_inputs(f"ask_p{n}"))
    p_zone = forms.zone_select(garden.zones, f"ask_p{n}_zone")
    description = st.text_area(t("ask.problem_description"), key=f"ask_p{n}_desc", max_chars=2000)
    drafts_ui.autosave(ctx, "problem", f"ask_p{n}_", p_uploads)
    if st.button(t("ask.send_problem"), type="primary", width="stretch", key="ask_report"):
        core.run(
            lambda: community.report_problem(ctx, garden.id, p_zone, kind, description, p_uploads),
            t("ask.problem_sent"),
            form=state.ASK_FORM,
            then=lambda _: drafts_ui.clear(ctx, "problem"),
            offer=after_save,
        )

st.subheader(t("ask.my_questions"))
views.question_cards(community.my_questions(ctx))
community.mark_answers_seen(ctx)
st.subheader(t("ask.open_problems"))
views.problem_table(community.open_problems(ctx, garden.id))
