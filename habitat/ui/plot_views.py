"""Page pieces for children's observation plots: choose a plot, its sessions and observations,
pick a session (today's by default) to file an observation under and to record who came, and the
form that creates a plot with its sessions."""

from __future__ import annotations

from datetime import time, timedelta

import pandas as pd
import streamlit as st

from habitat.clock import local
from habitat.services import events
from habitat.services import plots as plots_service
from habitat.ui import core, forms, signup_views, state
from habitat.ui.core import t
from habitat.ui.event_views import at_top, partner_select, person_select
from habitat.ui.safe import cell_text
from habitat.ui.safe import md_escape


def plots_section(ctx, garden) -> None:
    st.caption(t("plots.intro"))
    plots = plots_service.garden_plots(ctx, garden.id)
    if plots.empty:
        st.info(t("plots.none"))
    else:
        labels = {int(r.id): f"{r.name} · {cell_text(r.class_name)}" for r in plots.itertuples()}
        plot_id = st.selectbox(t("plots.pick"), list(labels), format_func=labels.get, key="events_plot")
        _plot_detail(ctx, plot_id)
    with st.expander(t("plots.new")):
        _plot_form(ctx, garden)


def _plot_detail(ctx, plot_id: int) -> None:
    plot, sessions, observations = plots_service.plot_detail(ctx, plot_id)
    st.markdown(
        f"**{md_escape(plot['name'])}** · {md_escape(plot['class_name'])}  \n"
        + t("plots.season", start=f"{plot['season_start']:%Y-%m-%d}", end=f"{plot['season_end']:%Y-%m-%d}")
    )
    if plot["description"]:
        st.text(plot["description"])
    if not sessions.empty:
        core.table(
            pd.DataFrame(
                {
                    t("col.when"): sessions["starts_at"].map(lambda d: f"{local(d):%m-%d %H:%M}"),
                    t("plots.col_children"): sessions["children"].fillna(0).astype(int),
                    t("plots.col_sightings"): sessions["sightings"].astype(int),
                    t("plots.col_observations"): sessions["observations"].astype(int),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.markdown(f"**{t('plots.observations')}**")
    for o in observations.head(20).itertuples():
        value = f" ({o.value:g} {cell_text(o.unit)})" if pd.notna(o.value) else ""
        st.markdown(f"{local(o.observed_at):%m-%d} · {md_escape(o.recorded_by)}")
        st.text(f"{o.observation}{value}")
    if observations.empty:
        st.caption(t("plots.no_observations"))
    session_id = _session_picker(ctx, plot_id, sessions)
    n = core.form_generation(state.EVENTS_OBSERVATION_FORM)
    with st.form(f"events_obs{n}_{plot_id}", enter_to_submit=False):
        text = st.text_input(
            t("plots.observation"), placeholder=t("plots.observation_hint"), key=f"events_obs{n}_text"
        )
        left, right = st.columns(2)
        value = left.number_input(t("plots.value"), value=None, min_value=0.0, key=f"events_obs{n}_value")
        unit = right.text_input(t("plots.unit"), placeholder=t("plots.unit_hint"), key=f"events_obs{n}_unit")
        if st.form_submit_button(t("plots.add_observation"), width="stretch"):
            core.run(
                at_top(
                    lambda: plots_service.add_observation(
                        ctx, plot_id, text, value=value, unit=unit, event_id=session_id
                    )
                ),
                t("plots.observation_saved"),
                form=state.EVENTS_OBSERVATION_FORM,
            )
    if session_id is not None:
        _record_session(ctx, session_id)


def _session_picker(ctx, plot_id: int, sessions: pd.DataFrame) -> int | None:
    """The session to file under: today's by default; earlier ones to write up later; or none."""
    choices = plots_service.sessions_to_file(ctx, sessions)
    today = plots_service.todays_session(ctx, sessions)
    labels = {None: t("plots.no_session")}
    for r in choices.itertuples():
        label = f"{local(r.starts_at):%Y-%m-%d %H:%M}"
        labels[int(r.id)] = t("plots.session_today", when=label) if int(r.id) == today else label
    options = list(labels)
    key = f"plots_session_{plot_id}"
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = today
    return st.selectbox(
        t("plots.session"), options, format_func=labels.get, key=key, help=t("plots.session_help")
    )


def _record_session(ctx, session_id: int) -> None:
    """Who came to the session (children counted, helpers' minutes): the events' attendance form."""
    detail = events.event_detail(ctx, session_id)
    if detail.may_organise:
        signup_views.attendance_form(ctx, detail, key="plots_att")
    signup_views.attendance_summary(detail)


def _plot_form(ctx, garden) -> None:
    today = ctx.now().date()
    with st.form("events_plot_form", enter_to_submit=False):
        name = st.text_input(t("plots.name"), placeholder=t("plots.name_hint"), key="events_plot_name")
        class_name = st.text_input(
            t("plots.class_name"), placeholder=t("plots.class_hint"), key="events_plot_class"
        )
        partner_id = partner_select(ctx, "events_plot_partner", kinds=("school", "kindergarten"))
        zone_id = forms.zone_select(garden.zones, "events_plot_zone")
        left, right = st.columns(2)
        start = left.date_input(t("plots.season_start"), value=today, key="events_plot_start")
        end = right.date_input(t("plots.season_end"), value=today + timedelta(days=90), key="events_plot_end")
        every = st.number_input(t("plots.every_days"), 1, 31, 14, key="events_plot_every")
        at = st.time_input(t("events.starts"), value=time(15, 30), step=900, key="events_plot_time")
        host_id = person_select(ctx, t("events.host"), "events_plot_host")
        if st.form_submit_button(t("plots.create"), width="stretch"):
            draft = plots_service.PlotDraft(
                garden_id=garden.id,
                name=name,
                season_start=start,
                season_end=end,
                session_time=at,
                every_days=int(every),
                zone_id=zone_id,
                partner_id=partner_id,
                class_name=class_name,
                host_id=host_id,
            )
            core.run(
                at_top(lambda: plots_service.create_plot(ctx, draft)),
                t("plots.created", name=md_escape(name)),
            )
