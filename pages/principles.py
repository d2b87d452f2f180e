"""The five principles, per garden and season: evidence from the records, a suggested score and the
committee's score and note; all gardens side by side and over the seasons."""

import streamlit as st

from habitat.services import overview, principles
from habitat.ui import core, principle_views, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("principles.title"))
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_place(ctx, slug)
season = principle_views.season_picker(ctx)

assess_tab, compare_tab, applications_tab = st.tabs(
    [t("principles.assess_tab"), t("principles.compare_tab"), t("principles.applications_tab")]
)
with assess_tab:
    st.caption(t("principles.intro"))
    view = principles.season_view(ctx, garden.id, season)
    editable = ctx.can("assess_principles")
    scores, notes = principle_views.assessment_inputs(view, editable=editable)
    principle_views.plants_table(view.plants)
    if editable and st.button(t("principles.save"), type="primary", width="stretch", key="princ_save"):
        core.run(
            lambda: principles.save_assessment(ctx, garden.id, season, scores, notes),
            t("principles.saved", season=principle_views.season_label(season)),
        )

with compare_tab:
    st.subheader(t("principles.side_by_side", season=principle_views.season_label(season)))
    principle_views.side_by_side(principles.side_by_side(ctx, season))
    principle_views.trend_chart(principles.over_time(ctx))

with applications_tab:
    st.caption(t("principles.applications_intro"))
    principle_views.applications_table(principles.applications(ctx, garden.id, season))
    with st.expander(t("principles.record_application"), icon=":material/science:"):
        n = core.form_generation(state.PRINCIPLES_APPLICATION_FORM)
        values = principle_views.application_inputs(ctx, garden, n)
        if st.button(t("principles.save_application"), type="primary", width="stretch", key="princ_app_save"):
            core.run(
                lambda: principles.record_application(ctx, **values),
                t("principles.application_saved", product=md_escape(values["product"])),
                form=state.PRINCIPLES_APPLICATION_FORM,
            )
