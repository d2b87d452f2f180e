"""Page pieces for events, the BioBlitz board, children's observation plots and partners."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from habitat.clock import local
from habitat.services import events
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.safe import md_escape, md_join

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
HELPER_DEFAULT_MAX = 240  # minutes a helper is assumed to have helped, before the host corrects it


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _labels(options, prefix: str):
    """A format_func built now, in the page's language (AppTest formats values outside the script run)."""
    return {o: t(prefix + o) for o in options}.get


def when_label(starts: datetime, ends: datetime) -> str:
    s, e = local(starts), local(ends)
    day = f"{s:%Y-%m-%d} {t('events.weekday_' + str(s.weekday()))}"
    end = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%m-%d %H:%M}"
    return f"{day} {s:%H:%M}–{end}"


def audience_label(audience) -> str:
    parts = [p for p in _text(audience).split("|") if p]
    label = core.pick("、", ", ").join(t("audience." + p) for p in parts) if parts else t("audience.everyone")
    return label[:1].upper() + label[1:]


def _select_next(event_id: int) -> None:
    """After planning: the new event is the one shown on the next run."""
    st.session_state[state.EVENTS_PICK_NEXT] = event_id


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
            where = md_escape(core.pick(r.zone, r.zone_en) if isinstance(r.zone, str) else _text(r.place))
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
                _text(ev["place"]),
            )
            if x
        ),
        t("events.host_is", name=md_escape(ev["host"]) or "—")
        + (
            f" · {t('events.partner_is', name=md_escape(core.pick(ev['partner'], ev['partner_en'])))}"
            if ev["partner"]
            else ""
        ),
        f"{audience_label(ev['audience'])} · "
        + (
            t("events.places_left", n=detail.places_left)
            if detail.places_left is not None
            else t("events.no_limit")
        ),
    ]
    st.markdown("  \n".join(x for x in lines if x))
    if ev["description"]:
        st.text(ev["description"])  # plain text: never rendered as Markdown


def my_signup(ctx, detail: events.EventDetail) -> None:
    if detail.status not in ("upcoming", "live"):
        return
    eid = int(detail.event["id"])
    if detail.my_signup_id is not None:
        st.success(t("events.you_are_in"))
        if st.button(t("events.cancel_my_signup"), key=f"events_unsign_{eid}"):
            core.run(
                lambda: events.cancel_signup(ctx, int(detail.my_signup_id)), t("events.signup_cancelled")
            )
        return
    helper = st.checkbox(t("events.as_helper"), key=f"events_helper_{eid}", help=t("events.as_helper_help"))
    if st.button(t("events.sign_me_up"), type="primary", width="stretch", key=f"events_sign_{eid}"):
        core.run(lambda: events.sign_up(ctx, eid, helper=helper), t("events.signed_up_ok"))


def signup_list(detail: events.EventDetail) -> None:
    st.markdown(f"**{t('events.signups', n=detail.signed_up)}**")
    s = detail.signups
    if s.empty:
        st.caption(t("events.no_signups"))
        return
    who = [
        t("events.children_group") if c else (_text(n) or t("events.public_group"))
        for n, c in zip(s["name"], s["is_child"])
    ]
    st.dataframe(
        pd.DataFrame(
            {
                t("events.col_who"): who,
                t("events.col_heads"): s["head_count"].astype(int),
                t("events.col_helper"): ["✓" if h else "" for h in s["helper"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def group_signup_form(ctx, detail: events.EventDetail) -> None:
    """Organisers add the public: a head count; a name only for adults, never for children."""
    if detail.status not in ("upcoming", "live"):
        return
    eid = int(detail.event["id"])
    n = core.form_generation(state.EVENTS_GROUP_FORM)
    k = f"events_group{n}_{eid}"
    with st.expander(t("events.add_public")), st.form(k):
        who = st.radio(
            t("events.who"),
            ["adults", "children"],
            format_func=_labels(["adults", "children"], "events.who_"),
            horizontal=True,
            key=f"{k}_who",
        )
        heads = st.number_input(t("events.how_many"), 1, events.MAX_HEADS, 1, key=f"{k}_n")
        name = st.text_input(t("events.group_name"), help=t("events.group_name_help"), key=f"{k}_name")
        if st.form_submit_button(t("events.add_public_button"), width="stretch"):
            core.run(
                lambda: events.add_group_signup(ctx, eid, int(heads), children=who == "children", name=name),
                t("events.public_added", n=int(heads)),
                form=state.EVENTS_GROUP_FORM,
            )


def _came_defaults(detail: events.EventDetail) -> dict[int, tuple[bool, int]]:
    """person id -> (came, minutes) to start the form: what was recorded, else who signed up."""
    duration = int((detail.event["ends_at"] - detail.event["starts_at"]).total_seconds() // 60)
    minutes = min(duration, HELPER_DEFAULT_MAX)
    a, s = detail.attendance, detail.signups
    recorded = {
        int(p): (True, int(m) if pd.notna(m) else 0)
        for p, m in zip(a["person_id"], a["minutes"])
        if pd.notna(p)
    }
    if not a.empty:
        return recorded
    signed = {int(p): (True, minutes if h else 0) for p, h in zip(s["person_id"], s["helper"]) if pd.notna(p)}
    if detail.event["host_id"] is not None:
        signed.setdefault(int(detail.event["host_id"]), (True, minutes))
    return signed


def attendance_form(ctx, detail: events.EventDetail) -> None:
    """Who came (accounts with minutes helped), named adult guests, head counts of adults and children."""
    if detail.status not in ("live", "past"):
        return
    eid = int(detail.event["id"])
    people = events.people_choices(ctx)
    names = dict(zip(people["id"].astype(int), people["display_name"]))
    defaults = _came_defaults(detail)
    a = detail.attendance
    unnamed = a[a["person_id"].isna() & a["name"].isna()]
    guests = a[a["person_id"].isna() & a["name"].notna()]["name"]
    s = detail.signups[detail.signups["person_id"].isna()]
    adults0 = (
        int(unnamed[~unnamed["is_child"]]["head_count"].sum())
        if not a.empty
        else int(s[~s["is_child"]]["head_count"].sum())
    )
    children0 = (
        int(unnamed[unnamed["is_child"]]["head_count"].sum())
        if not a.empty
        else int(s[s["is_child"]]["head_count"].sum())
    )
    with (
        st.expander(
            t("events.record_attendance"), expanded=detail.attendance.empty and detail.status == "past"
        ),
        st.form(f"events_att_{eid}"),
    ):
        came: dict[int, int | None] = {}
        for pid, (default, minutes) in defaults.items():
            left, right = st.columns([3, 2], vertical_alignment="bottom")
            tick = left.checkbox(
                md_escape(names.get(pid, str(pid))), value=default, key=f"events_att_{eid}_came_{pid}"
            )
            mins = right.number_input(
                t("events.minutes_helped"),
                0,
                events.MAX_MINUTES,
                minutes,
                step=15,
                key=f"events_att_{eid}_min_{pid}",
            )
            if tick:
                came[pid] = int(mins)
        more = st.multiselect(
            t("events.also_came"),
            [p for p in names if p not in defaults],
            format_func=names.get,
            placeholder=t("events.also_came_hint"),
            key=f"events_att_{eid}_more",
        )
        guest_text = st.text_area(
            t("events.guest_names"),
            value="\n".join(guests),
            help=t("events.guest_names_help"),
            key=f"events_att_{eid}_guests",
        )
        adults = st.number_input(
            t("events.adults_unnamed"), 0, events.MAX_HEADS, adults0, key=f"events_att_{eid}_adults"
        )
        children = st.number_input(
            t("events.children_count"),
            0,
            events.MAX_HEADS,
            children0,
            help=t("events.children_help"),
            key=f"events_att_{eid}_children",
        )
        if st.form_submit_button(t("events.save_attendance"), type="primary", width="stretch"):
            came.update({int(p): 0 for p in more})
            lines = [g for g in guest_text.splitlines() if g.strip()]
            core.run(
                lambda: events.record_attendance(
                    ctx, eid, people=came, guests=lines, adults=int(adults), children=int(children)
                ),
                t("events.attendance_saved", n=len(came) + len(lines) + int(adults) + int(children)),
            )


def attendance_summary(detail: events.EventDetail) -> None:
    a = detail.attendance
    if a.empty:
        if detail.status == "past":
            st.caption(t("events.no_attendance"))
        return
    people = a[a["person_id"].notna()]
    with st.container(horizontal=True):  # side by side on a phone too (columns would stack)
        st.metric(t("events.came_total"), int(a["head_count"].sum()), width="content")
        st.metric(t("events.came_children"), int(a[a["is_child"]]["head_count"].sum()), width="content")
        st.metric(t("events.helper_hours"), f"{people['minutes'].fillna(0).sum() / 60:.1f}", width="content")
    named = [_text(n) for n in a[a["name"].notna()]["name"]]
    if named:
        st.caption(t("events.came_names", names=md_join(named, "、")))


def cancel_button(ctx, detail: events.EventDetail) -> None:
    if detail.status != "upcoming" or not (detail.may_organise or detail.event["created_by"] == ctx.user.id):
        return
    eid = int(detail.event["id"])
    if st.button(t("events.cancel_event"), key=f"events_cancel_{eid}", icon=":material/event_busy:"):
        core.run(lambda: events.cancel_event(ctx, eid), t("events.event_cancelled"))


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
            st.dataframe(
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
            st.dataframe(
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


def _person_select(ctx, label: str, key: str) -> int | None:
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


def _partner_select(ctx, key: str, kinds: tuple[str, ...] | None = None) -> int | None:
    partners = events.list_partners(ctx)
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
    with st.form(k):
        kind = st.selectbox(
            t("events.kind"),
            events.PLANNABLE_KINDS,
            format_func=_labels(events.PLANNABLE_KINDS, "event_kind."),
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
        host_id = _person_select(ctx, t("events.host"), f"{k}_host")
        partner_id = _partner_select(ctx, f"{k}_partner")
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
            format_func=_labels(events.AUDIENCES, "audience."),
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
                lambda: events.plan_event(ctx, draft),
                t("events.planned", title=md_escape(title)),
                form=state.EVENTS_PLAN_FORM,
                then=_select_next,
            )


# ------------------------------------------------------------------------------ children's observation plots


def plots_section(ctx, garden) -> None:
    st.caption(t("plots.intro"))
    plots = events.garden_plots(ctx, garden.id)
    if plots.empty:
        st.info(t("plots.none"))
    else:
        labels = {int(r.id): f"{r.name} · {_text(r.class_name)}" for r in plots.itertuples()}
        plot_id = st.selectbox(t("plots.pick"), list(labels), format_func=labels.get, key="events_plot")
        _plot_detail(ctx, plot_id)
    with st.expander(t("plots.new")):
        _plot_form(ctx, garden)


def _plot_detail(ctx, plot_id: int) -> None:
    plot, sessions, observations = events.plot_detail(ctx, plot_id)
    st.markdown(
        f"**{md_escape(plot['name'])}** · {md_escape(plot['class_name'])}  \n"
        + t("plots.season", start=f"{plot['season_start']:%Y-%m-%d}", end=f"{plot['season_end']:%Y-%m-%d}")
    )
    if plot["description"]:
        st.text(plot["description"])
    if not sessions.empty:
        st.dataframe(
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
        value = f" ({o.value:g} {_text(o.unit)})" if pd.notna(o.value) else ""
        st.markdown(f"{local(o.observed_at):%m-%d} · {md_escape(o.recorded_by)}")
        st.text(f"{o.observation}{value}")
    if observations.empty:
        st.caption(t("plots.no_observations"))
    n = core.form_generation(state.EVENTS_OBSERVATION_FORM)
    with st.form(f"events_obs{n}_{plot_id}"):
        text = st.text_input(
            t("plots.observation"), placeholder=t("plots.observation_hint"), key=f"events_obs{n}_text"
        )
        left, right = st.columns(2)
        value = left.number_input(t("plots.value"), value=None, min_value=0.0, key=f"events_obs{n}_value")
        unit = right.text_input(t("plots.unit"), placeholder=t("plots.unit_hint"), key=f"events_obs{n}_unit")
        past = sessions[sessions["starts_at"] <= pd.Timestamp(ctx.now())]
        session_id = int(past["id"].iloc[-1]) if not past.empty else None
        if st.form_submit_button(t("plots.add_observation"), width="stretch"):
            core.run(
                lambda: events.add_observation(
                    ctx, plot_id, text, value=value, unit=unit, event_id=session_id
                ),
                t("plots.observation_saved"),
                form=state.EVENTS_OBSERVATION_FORM,
            )


def _plot_form(ctx, garden) -> None:
    today = ctx.now().date()
    with st.form("events_plot_form"):
        name = st.text_input(t("plots.name"), placeholder=t("plots.name_hint"), key="events_plot_name")
        class_name = st.text_input(
            t("plots.class_name"), placeholder=t("plots.class_hint"), key="events_plot_class"
        )
        partner_id = _partner_select(ctx, "events_plot_partner", kinds=("school", "kindergarten"))
        zone_id = forms.zone_select(garden.zones, "events_plot_zone")
        left, right = st.columns(2)
        start = left.date_input(t("plots.season_start"), value=today, key="events_plot_start")
        end = right.date_input(t("plots.season_end"), value=today + timedelta(days=90), key="events_plot_end")
        every = st.number_input(t("plots.every_days"), 1, 31, 14, key="events_plot_every")
        at = st.time_input(t("events.starts"), value=time(15, 30), step=900, key="events_plot_time")
        host_id = _person_select(ctx, t("events.host"), "events_plot_host")
        if st.form_submit_button(t("plots.create"), width="stretch"):
            draft = events.PlotDraft(
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
            core.run(lambda: events.create_plot(ctx, draft), t("plots.created", name=md_escape(name)))


# ------------------------------------------------------------------------------------------ partners


def partner_cards(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("partners.none"))
        return
    for r in frame.itertuples():
        with st.container(border=True):
            lines = [f"**{md_escape(core.pick(r.name, r.name_en))}** · {t('partner_kind.' + r.kind)}"]
            if isinstance(r.description, str):
                lines.append(md_escape(r.description))
            gardens = core.pick(r.gardens, r.gardens_en)
            lines.append(
                t("partners.gardens", names=md_escape(gardens))
                if isinstance(gardens, str)
                else t("partners.no_gardens")
            )
            if isinstance(r.people, str):
                lines.append(t("partners.people", names=md_escape(r.people)))
            if hasattr(r, "contact_name") and any(
                isinstance(x, str) for x in (r.contact_name, r.contact_phone, r.contact_email)
            ):
                contact = " · ".join(
                    md_escape(x)
                    for x in (r.contact_name, r.contact_phone, r.contact_email)
                    if isinstance(x, str)
                )
                lines.append(f":material/call: {contact}")
            st.markdown("  \n".join(lines))


def partner_edit_form(ctx, partners: pd.DataFrame) -> None:
    names = {int(r.id): r.name for r in partners.itertuples()}
    chosen = st.selectbox(
        t("partners.edit_which"),
        [None] + list(names),
        format_func={None: t("partners.new"), **names}.get,
        key="partners_edit_pick",
    )
    row = partners[partners["id"] == chosen].iloc[0] if chosen is not None else None

    def val(col):
        return "" if row is None or not isinstance(row[col], str) else row[col]

    with st.form(f"partners_edit_{chosen}"):
        name = st.text_input(t("partners.name"), value=val("name"), key=f"partners_name_{chosen}")
        name_en = st.text_input(t("partners.name_en"), value=val("name_en"), key=f"partners_name_en_{chosen}")
        kinds = events.PARTNER_KINDS
        kind = st.selectbox(
            t("partners.kind"),
            kinds,
            index=kinds.index(row["kind"]) if row is not None else 0,
            format_func=_labels(kinds, "partner_kind."),
            key=f"partners_kind_{chosen}",
        )
        description = st.text_area(
            t("partners.description"), value=val("description"), key=f"partners_desc_{chosen}"
        )
        contact = st.text_input(
            t("partners.contact_name"), value=val("contact_name"), key=f"partners_cname_{chosen}"
        )
        phone = st.text_input(
            t("partners.contact_phone"), value=val("contact_phone"), key=f"partners_phone_{chosen}"
        )
        email = st.text_input(
            t("partners.contact_email"), value=val("contact_email"), key=f"partners_email_{chosen}"
        )
        if st.form_submit_button(t("partners.save"), type="primary", width="stretch"):
            draft = events.PartnerDraft(
                name=name,
                kind=kind,
                name_en=name_en,
                description=description,
                contact_name=contact,
                contact_phone=phone,
                contact_email=email,
            )
            core.run(
                lambda: events.save_partner(ctx, draft, chosen), t("partners.saved", name=md_escape(name))
            )


def pairing_form(ctx, partners: pd.DataFrame, gardens: pd.DataFrame) -> None:
    garden_names = dict(zip(gardens["id"].astype(int), core.pick(gardens["name"], gardens["name_en"])))
    partner_names = {int(r.id): core.pick(r.name, r.name_en) for r in partners.itertuples()}
    garden_id = st.selectbox(
        t("common.garden"), list(garden_names), format_func=garden_names.get, key="partners_pair_garden"
    )
    partner_id = st.selectbox(
        t("events.partner"), list(partner_names), format_func=partner_names.get, key="partners_pair_partner"
    )
    role = st.text_input(t("partners.role"), placeholder=t("partners.role_hint"), key="partners_pair_role")
    left, right = st.columns(2)
    if left.button(t("partners.pair"), type="primary", width="stretch", key="partners_pair"):
        core.run(lambda: events.pair_partner(ctx, garden_id, partner_id, role), t("partners.paired"))
    if right.button(t("partners.unpair"), width="stretch", key="partners_unpair"):
        core.run(lambda: events.unpair_partner(ctx, garden_id, partner_id), t("partners.unpaired"))


def link_form(ctx, partners: pd.DataFrame) -> None:
    people = events.people_choices(ctx)
    people = people.sort_values(
        "role", key=lambda r: r.map({"expert": 0, "committee": 1}).fillna(2), kind="stable"
    )
    names = {int(r.id): f"{r.display_name} · {t('role.' + r.role)}" for r in people.itertuples()}
    partner_names = {int(r.id): core.pick(r.name, r.name_en) for r in partners.itertuples()}
    person_id = st.selectbox(
        t("partners.person"), list(names), format_func=names.get, key="partners_link_person"
    )
    current = people.loc[people["id"] == person_id, "partner_id"]
    current = int(current.iloc[0]) if len(current) and pd.notna(current.iloc[0]) else None
    options = [None] + list(partner_names)
    partner_id = st.selectbox(
        t("events.partner"),
        options,
        index=options.index(current) if current in options else 0,
        format_func={None: t("events.no_partner"), **partner_names}.get,
        key=f"partners_link_partner_{person_id}",
    )
    if st.button(t("partners.link"), type="primary", width="stretch", key="partners_link"):
        core.run(lambda: events.link_person(ctx, person_id, partner_id), t("partners.linked"))


def garden_partners_section(ctx, garden_id: int) -> None:
    """On the garden page: its partners and what they did here."""
    st.subheader(t("partners.garden_section"))
    activity = events.garden_partners(ctx, garden_id)
    if activity.empty:
        st.info(t("partners.none_here"))
        return
    for r in activity.itertuples():
        done = [
            t(key, n=int(n))
            for key, n in (
                ("partners.did_reviews", r.reviews),
                ("partners.did_answers", r.answers),
                ("partners.did_visits", r.visits),
                ("partners.did_events", r.events_held),
                ("partners.did_classes", r.classes),
                ("partners.did_planned", r.events_planned),
            )
            if n
        ]
        lines = [
            f"**{md_escape(core.pick(r.name, r.name_en))}** · {t('partner_kind.' + r.kind)}"
            + (f" · {md_escape(r.role)}" if isinstance(r.role, str) else "")
        ]
        if isinstance(r.people, str):
            lines.append(t("partners.people", names=md_escape(r.people)))
        lines.append(" · ".join(done) if done else t("partners.nothing_done"))
        if isinstance(r.last_event, str):
            lines.append(
                t(
                    "partners.last_event",
                    title=md_escape(r.last_event),
                    date=f"{local(r.last_event_at):%Y-%m-%d}",
                )
            )
        with st.container(border=True):
            st.markdown("  \n".join(lines))
