"""Patrol: start one (effort and weather), add sightings and upkeep to it, end it."""

import streamlit as st

from habitat.clock import local
from habitat.services import overview, patrols, upkeep
from habitat.ui import core, drafts_ui, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("patrol.title"))
core.show_flash()
patrol = patrols.current_patrol(ctx)

if patrol is None:
    slug = views.garden_picker(ctx, sidebar=False)
    garden = overview.garden_place(ctx, slug)
    st.caption(t("patrol.intro"))
    protocol = st.selectbox(
        t("patrol.protocol"),
        patrols.PROTOCOLS,
        index=1,
        format_func=lambda p: t("protocol." + p),
        key="patrol_protocol",
    )
    observers = st.text_input(t("patrol.observers"), value=ctx.user.display_name, key="patrol_observers")
    count = st.number_input(
        t("patrol.observer_count"), min_value=1, max_value=200, value=1, key="patrol_count"
    )
    weather = st.selectbox(
        t("patrol.weather"), patrols.WEATHER, format_func=lambda w: t("weather." + w), key="patrol_weather"
    )
    temperature = st.number_input(
        t("patrol.temperature"), min_value=-15, max_value=45, value=20, step=1, key="patrol_temp"
    )
    wind = st.slider(t("patrol.wind"), 0, 12, 1, key="patrol_wind")
    sun = st.slider(t("patrol.sun"), 0, 100, 50, step=10, key="patrol_sun")
    if st.button(t("patrol.start"), type="primary", width="stretch", key="patrol_start"):
        core.run(
            lambda: patrols.start_patrol(
                ctx,
                garden.id,
                protocol=protocol,
                observers=observers,
                observer_count=int(count),
                weather=weather,
                temperature_c=temperature,
                wind_beaufort=wind,
                sun_pct=sun,
            ),
            t("patrol.started", garden=md_escape(garden.name)),
            offer=core.offers(again=False),  # a toast too; the running patrol is what comes next
        )
else:
    minutes = int((ctx.now() - local(patrol.started_at)).total_seconds() // 60)
    n_sightings, n_tasks = patrols.patrol_counts(ctx, patrol.id)
    with st.container(border=True):
        st.markdown(f"**{md_escape(patrol.garden_name)}** · {t('protocol.' + patrol.protocol)}")
        cols = st.columns(3)
        cols[0].metric(t("patrol.minutes_so_far"), minutes)
        cols[1].metric(t("patrol.sightings"), n_sightings)
        cols[2].metric(t("patrol.tasks"), n_tasks)
    if st.button(
        t("patrol.add_sighting"), icon=":material/add_a_photo:", width="stretch", key="patrol_to_log"
    ):
        st.switch_page("pages/log_sighting.py")
    st.subheader(t("home.due_tasks"))
    views.due_list(upkeep.due_tasks(ctx, garden_id=patrol.garden_id), visit_id=patrol.id)
    st.subheader(t("patrol.end_title"))
    drafts_ui.restore(ctx, "patrol", f"patrol{patrol.id}_")
    complete = st.checkbox(
        t("patrol.complete_checklist"), key=f"patrol{patrol.id}_complete", help=t("patrol.complete_help")
    )
    note = st.text_area(t("patrol.note"), key=f"patrol{patrol.id}_note", max_chars=2000)
    drafts_ui.autosave(ctx, "patrol", f"patrol{patrol.id}_")
    if st.button(t("patrol.end"), type="primary", width="stretch", key="patrol_end"):
        core.run(
            lambda: patrols.end_patrol(ctx, patrol.id, complete_checklist=complete, note=note),
            lambda duration: t("patrol.ended", minutes=duration),
            then=lambda _: drafts_ui.clear(ctx, "patrol"),
            offer=core.offers(),  # 再记一条: the start form below is ready for the next patrol
        )
