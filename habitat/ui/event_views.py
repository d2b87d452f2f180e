"""Page pieces for events: the garden's event list and picker, one event's header and cancel button,
the live BioBlitz board, and the planning form (with the host and partner choices the children's
plot form shares). Sign-ups and attendance are in signup_views, plots in plot_views, partners in
partner_views."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from habitat.clock import local
from habitat.errors import HabitatError
from habitat.services import events
from habitat.services import partners as partners_service
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.safe import cell_text, error_message, md_escape

# Material icons render everywhere (emoji need a colour font some phones and servers lack).
KIND_ICONS = {
    "nature_class": ":material/eco:",
    "bioblitz": ":material/search:",
    "planting": ":material/potted_plant:",
    "cleanup": ":material/cleaning_services:",
    "meeting": ":material/groups:",
    "plot_session": ":material/child_care:",
}
STATUS_COLOURS = {"live": "red", "upcoming": "blue", "past": "gray", "cancelled": "gray"}
BLITZ_REFRESH = timedelta(seconds=20)  # a live BioBlitz board refreshes itself this often


def format_labels(options, prefix: str):
    """A format_func built now, in the page's language (AppTest formats values outside the script run)."""
    return {o: t(prefix + o) for o in options}.get


def when_label(starts: datetime, ends: datetime) -> str:
    s, e = local(starts), local(ends)
    day = f"{s:%Y-%m-%d} {t('events.weekday_' + str(s.weekday()))}"
    end = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%m-%d %H:%M}"
    return f"{day} {s:%H:%M}–{end}"


def audience_label(audience) -> str:
    parts = [p for p in cell_text(audience).split("|") if p]
    label = core.pick("、", ", ").join(t("audience." + p) for p in parts) if parts else t("audience.everyone")
    return label[:1].upper() + label[1:]


def _select_next(event_id: int) -> None:
    """After planning: the new event is the one shown on the next run."""
    st.session_state[state.EVENTS_PICK_NEXT] = event_id


def at_top(action):
    """Wrap a service call given to core.run so that a refusal shows at the top of the events page
    (show_error), not beside a button that may sit inside a collapsed section: the page reruns with
    the message kept (what was typed stays: the form's generation does not move on)."""

    def guarded():
        try:
            return action()
        except HabitatError as err:
            st.session_state[state.EVENTS_ERROR] = (
                f"**{t(err.title_key)}** — {error_message(err, core.lang())}"
            )
            st.rerun()

    return guarded


def show_error() -> None:
    """At the top of the events page: the refusal the last action left."""
    message = st.session_state.pop(state.EVENTS_ERROR, None)
    if message:
        st.error(message, icon=":material/error:")


# ---------------------------------------------------------------------------------------- event lists


def event_cards(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("events.none"))
        return
    for r in frame.itertuples():
        with st.container(border=True):
            title = f"{KIND_ICONS.get(r.kind, '')} {md_escape(r.title)}"
            title = f"~~{title}~~" if r.cancelled else f"**{title}**"
            status = f":{STATUS_COLOURS[r.status]}[{t('events.status_' + r.status)}]"
            where = md_escape(core.pick(r.zone, r.zone_en) if isinstance(r.zone, str) else cell_text(r.place))
            people = t("events.host_is", name=md_escape(r.host) or "—") + (
                f" · {t('events.partner_is', name=md_escape(core.pick(r.partner, r.partner_en)))}"
                if isinstance(r.partner, str)
                else ""
            )
            places = (
                f"{int(r.signed_up)}/{int(r.capacity)}" if pd.notna(r.capacity) else str(int(r.signed_up))
            )
            st.markdown(
                f"{title} {status}  \n{when_label(r.starts_at, r.ends_at)} · {t('event_kind.' + r.kind)}"
                f"{' · ' + where if where else ''}  \n{people}  \n"
                f"{audience_label(r.audience)} · {t('events.signed_up_n', n=places)}"
                + (f" · {t('events.you_are_in')}" if pd.notna(r.my_signup_id) else "")
            )


def next_of_each_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Upcoming events with only the next session of each children's plot (the rest are in the plot tab)."""
    if frame.empty:
        return frame
    repeat = frame["series_id"].notna() & frame.duplicated(subset=["series_id"])
    return frame[~repeat]


def event_picker(upcoming: pd.DataFrame, past: pd.DataFrame) -> int | None:
    """Choose one event (a link ?event=ID presets it) to see, sign up for or record."""
    frame = pd.concat([upcoming, past], ignore_index=True)
    if frame.empty:
        return None
    ids = [int(i) for i in frame["id"]]
    labels = {int(r.id): f"{local(r.starts_at):%m-%d} {r.title}" for r in frame.itertuples()}
    wanted = st.session_state.pop(state.EVENTS_PICK_NEXT, None)
    link = st.query_params.get("event")
    if (
        link and st.session_state.get(state.EVENTS_LINK_SEEN) != link
    ):  # the link presets it once, then the user chooses
        st.session_state[state.EVENTS_LINK_SEEN] = wanted = link
    if wanted is not None and str(wanted).isdigit() and int(wanted) in ids:
        st.session_state[state.EVENTS_PICK] = int(wanted)
    if st.session_state.get(state.EVENTS_PICK) not in ids:
        st.session_state[state.EVENTS_PICK] = ids[0]
    return st.selectbox(t("events.pick"), ids, format_func=labels.get, key=state.EVENTS_PICK)


# ---------------------------------------------------------------------------------------- one event


def event_header(detail: events.EventDetail) -> None:
    ev = detail.event
    st.subheader(f"{KIND_ICONS.get(ev['kind'], '')} {md_escape(ev['title'])}")
    lines = [
        f":{STATUS_COLOURS[detail.status]}[{t('events.status_' + detail.status)}] · {t('event_kind.' + ev['kind'])}",
        when_label(ev["starts_at"], ev["ends_at"]),
        " · ".join(
            md_escape(x)
            for x in (
                f"{ev['zone_code']} · {core.pick(ev['zone'], ev['zone_en'])}" if ev["zone"] else "",
                cell_text(ev["place"]),
            )
            if x
        ),
        t("events.host_is", name=md_escape(ev["host"]) or "—")
        + (
            f" · {t('events.partner_is', name=md_escape(core.pick(ev['partner'], ev['partner_en'])))}"
            if ev["partner"]
            else ""
        ),
        f"{audience_label(ev['audience'])} · " + _places(detail),
    ]
    st.markdown("  \n".join(x for x in lines if x))
    if ev["description"]:
        st.text(ev["description"])  # plain text: never rendered as Markdown


def _places(detail: events.EventDetail) -> str:
    """Places left while sign-ups are open; afterwards only how many signed up (a finished event
    offers no places)."""
    if detail.status not in ("upcoming", "live"):
        return t("events.signed_up_n", n=detail.signed_up)
    if detail.places_left is None:
        return t("events.no_limit")
    return t("events.places_left", n=detail.places_left)


def cancel_button(ctx, detail: events.EventDetail) -> None:
    if detail.status != "upcoming" or not (detail.may_organise or detail.event["created_by"] == ctx.user.id):
        return
    eid = int(detail.event["id"])
    if st.button(t("events.cancel_event"), key=f"events_cancel_{eid}", icon=":material/event_busy:"):
        core.run(at_top(lambda: events.cancel_event(ctx, eid)), t("events.event_cancelled"))


# ------------------------------------------------------------------------------------------ BioBlitz


def bioblitz_board(event_id: int, *, live: bool) -> None:
    """Species tally and leaderboard; while the BioBlitz runs it refreshes itself."""

    @st.fragment(run_every=BLITZ_REFRESH if live else None)
    def board() -> None:
        data = events.bioblitz_board(core.ctx(), event_id, core.lang())
        st.subheader(t("blitz.title"))
        if live:
            st.caption(t("blitz.live_note", s=int(BLITZ_REFRESH.total_seconds())))
            st.page_link("pages/log_sighting.py", label=t("blitz.log_now"), icon=":material/add_a_photo:")
        with st.container(horizontal=True):
            st.metric(t("blitz.species"), data.summary.species, width="content")
            st.metric(t("blitz.records"), data.summary.records, width="content")
            st.metric(t("blitz.recorders"), data.summary.recorders, width="content")
        if data.leaderboard:
            st.markdown(f"**{t('blitz.leaderboard')}**")
            core.table(
                pd.DataFrame(
                    {
                        "#": [r.rank for r in data.leaderboard],
                        t("blitz.col_recorder"): [r.recorder for r in data.leaderboard],
                        t("blitz.species"): [r.species for r in data.leaderboard],
                        t("blitz.records"): [r.records for r in data.leaderboard],
                        t("blitz.first_finds"): [r.first_finds for r in data.leaderboard],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        if data.tally:
            st.markdown(f"**{t('blitz.tally')}**")
            core.table(
                pd.DataFrame(
                    {
                        t("col.species"): [s.label or "" for s in data.tally],
                        t("col.group"): [
                            t("group." + s.group_name) if s.group_name else "" for s in data.tally
                        ],
                        t("blitz.records"): [s.records for s in data.tally],
                        t("blitz.first_by"): [s.first_by for s in data.tally],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        elif not data.leaderboard:
            st.info(t("blitz.nothing_yet"))

    board()


# ---------------------------------------------------------------------------------------- planning


def person_select(ctx, label: str, key: str) -> int | None:
    """Organisers choose any host; everyone else hosts their own events."""
    if not ctx.can("record_attendance"):
        st.caption(t("events.you_host", name=md_escape(ctx.user.display_name)))
        return None
    people = events.people_choices(ctx)
    names = dict(zip(people["id"].astype(int), people["display_name"]))
    ids = list(names)
    return st.selectbox(
        label, ids, index=ids.index(ctx.user.id) if ctx.user.id in ids else 0, format_func=names.get, key=key
    )


def partner_select(ctx, key: str, kinds: tuple[str, ...] | None = None) -> int | None:
    partners = partners_service.list_partners(ctx)
    if kinds:
        partners = partners[partners["kind"].isin(kinds)]
    names = {int(r.id): core.pick(r.name, r.name_en) for r in partners.itertuples()}
    return st.selectbox(
        t("events.partner"),
        [None] + list(names),
        format_func={None: t("events.no_partner"), **names}.get,
        key=key,
    )


def plan_form(ctx, garden) -> None:
    n = core.form_generation(state.EVENTS_PLAN_FORM)
    k = f"events_plan{n}"
    tz = ZoneInfo(ctx.config.timezone)
    with st.form(k, enter_to_submit=False):
        kind = st.selectbox(
            t("events.kind"),
            events.PLANNABLE_KINDS,
            format_func=format_labels(events.PLANNABLE_KINDS, "event_kind."),
            key=f"{k}_kind",
        )
        title = st.text_input(
            t("events.event_title"),
            placeholder=t("events.title_hint"),
            max_chars=events.MAX_TITLE,
            key=f"{k}_title",
        )
        left, right = st.columns(2)
        day = left.date_input(t("common.date"), value=ctx.now().date() + timedelta(days=7), key=f"{k}_date")
        start = right.time_input(t("events.starts"), value=time(9, 30), step=900, key=f"{k}_start")
        hours = st.number_input(
            t("events.hours"), 0.5, float(events.MAX_HOURS), 1.5, step=0.5, key=f"{k}_hours"
        )
        zone_id = forms.zone_select(garden.zones, f"{k}_zone")
        place = st.text_input(t("events.place"), placeholder=t("events.place_hint"), key=f"{k}_place")
        host_id = person_select(ctx, t("events.host"), f"{k}_host")
        partner_id = partner_select(ctx, f"{k}_partner")
        capacity = st.number_input(
            t("events.capacity"),
            0,
            events.MAX_CAPACITY,
            0,
            help=t("events.capacity_help"),
            key=f"{k}_capacity",
        )
        audience = st.multiselect(
            t("events.audience"),
            events.AUDIENCES,
            format_func=format_labels(events.AUDIENCES, "audience."),
            placeholder=t("events.audience_hint"),
            key=f"{k}_audience",
        )
        description = st.text_area(t("events.description"), max_chars=events.MAX_TEXT, key=f"{k}_desc")
        if st.form_submit_button(t("events.plan_button"), type="primary", width="stretch"):
            starts = datetime.combine(day, start, tz)
            draft = events.EventDraft(
                garden_id=garden.id,
                kind=kind,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                zone_id=zone_id,
                place=place,
                host_id=host_id,
                partner_id=partner_id,
                capacity=int(capacity) or None,
                audience=tuple(audience),
                description=description,
            )
            core.run(
                at_top(lambda: events.plan_event(ctx, draft)),
                t("events.planned", title=md_escape(title)),
                form=state.EVENTS_PLAN_FORM,
                then=_select_next,
            )
