"""Page pieces for one event's sign-ups and attendance: signing oneself up, the list of who signed
up, organisers adding the public (children only counted), recording who came, and the summary."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import event_signups, events
from habitat.ui import core, state
from habitat.ui.core import t
from habitat.ui.event_views import at_top, format_labels
from habitat.ui.safe import cell_text
from habitat.ui.safe import md_escape, md_join

HELPER_DEFAULT_MAX = 240  # minutes a helper is assumed to have helped, before the host corrects it


def my_signup(ctx, detail: events.EventDetail) -> None:
    if detail.status not in ("upcoming", "live"):
        return
    eid = int(detail.event["id"])
    if detail.my_signup_id is not None:
        st.success(t("events.you_are_in"))
        if st.button(t("events.cancel_my_signup"), key=f"events_unsign_{eid}"):
            core.run(
                at_top(lambda: event_signups.cancel_signup(ctx, int(detail.my_signup_id))),
                t("events.signup_cancelled"),
            )
        return
    helper = st.checkbox(t("events.as_helper"), key=f"events_helper_{eid}", help=t("events.as_helper_help"))
    left, right = st.columns(2)
    adults = left.number_input(
        t("events.with_adults"), 0, event_signups.MAX_PARTY, 0, key=f"events_with_adults_{eid}"
    )
    children = right.number_input(
        t("events.with_children"),
        0,
        event_signups.MAX_PARTY,
        0,
        help=t("events.children_help"),
        key=f"events_with_children_{eid}",
    )
    if st.button(t("events.sign_me_up"), type="primary", width="stretch", key=f"events_sign_{eid}"):
        core.run(
            at_top(
                lambda: event_signups.sign_up(
                    ctx, eid, helper=helper, adults=int(adults), children=int(children)
                )
            ),
            t("events.signed_up_party", n=1 + int(adults) + int(children))
            if adults or children
            else t("events.signed_up_ok"),
        )


def signup_list(detail: events.EventDetail) -> None:
    st.markdown(f"**{t('events.signups', n=detail.signed_up)}**")
    s = detail.signups
    if s.empty:
        st.caption(t("events.no_signups"))
        return
    who = [
        t(
            "events.with_party",
            who=t("events.party_children" if c else "events.party_adults"),
            name=cell_text(w),
        )
        if pd.notna(p)
        else t("events.children_group")
        if c
        else (cell_text(n) or t("events.public_group"))
        for n, c, p, w in zip(s["name"], s["is_child"], s["party_of"], s["party_name"])
    ]
    core.table(
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
    with st.expander(t("events.add_public")), st.form(k, enter_to_submit=False):
        who = st.radio(
            t("events.who"),
            ["adults", "children"],
            format_func=format_labels(["adults", "children"], "events.who_"),
            horizontal=True,
            key=f"{k}_who",
        )
        heads = st.number_input(t("events.how_many"), 1, event_signups.MAX_HEADS, 1, key=f"{k}_n")
        name = st.text_input(t("events.group_name"), help=t("events.group_name_help"), key=f"{k}_name")
        if st.form_submit_button(t("events.add_public_button"), width="stretch"):
            core.run(
                at_top(
                    lambda: event_signups.add_group_signup(
                        ctx, eid, int(heads), children=who == "children", name=name
                    )
                ),
                t("events.public_added", n=int(heads)),
                form=state.EVENTS_GROUP_FORM,
            )


def _helper_minutes(detail: events.EventDetail) -> int:
    """Minutes a helper is assumed to have helped: the event's length, at most HELPER_DEFAULT_MAX."""
    duration = int((detail.event["ends_at"] - detail.event["starts_at"]).total_seconds() // 60)
    return min(duration, HELPER_DEFAULT_MAX)


def _came_defaults(detail: events.EventDetail) -> dict[int, tuple[bool, int]]:
    """person id -> (came, minutes) to start the form: what was recorded, else who signed up."""
    minutes = _helper_minutes(detail)
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


def attendance_form(ctx, detail: events.EventDetail, *, key: str = "events_att") -> None:
    """Who came (accounts with minutes helped), named adult guests, head counts of adults and children.
    ``key`` prefixes the widget keys (the plots tab shows the form for a session too)."""
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
        st.form(f"{key}_{eid}", enter_to_submit=False),
    ):
        came: dict[int, int | None] = {}
        for pid, (default, minutes) in defaults.items():
            left, right = st.columns([3, 2], vertical_alignment="bottom")
            tick = left.checkbox(
                md_escape(names.get(pid, str(pid))), value=default, key=f"{key}_{eid}_came_{pid}"
            )
            mins = right.number_input(
                t("events.minutes_helped"),
                0,
                event_signups.MAX_MINUTES,
                minutes,
                step=15,
                key=f"{key}_{eid}_min_{pid}",
            )
            if tick:
                came[pid] = int(mins)
        more = st.multiselect(
            t("events.also_came"),
            [p for p in names if p not in defaults],
            format_func=names.get,
            placeholder=t("events.also_came_hint"),
            key=f"{key}_{eid}_more",
        )
        more_minutes = st.number_input(  # saved with them in one go (they used to get 0 until a 2nd save)
            t("events.also_came_minutes"),
            0,
            event_signups.MAX_MINUTES,
            _helper_minutes(detail),
            step=15,
            key=f"{key}_{eid}_more_min",
        )
        guest_text = st.text_area(
            t("events.guest_names"),
            value="\n".join(guests),
            help=t("events.guest_names_help"),
            key=f"{key}_{eid}_guests",
        )
        adults = st.number_input(
            t("events.adults_unnamed"), 0, event_signups.MAX_HEADS, adults0, key=f"{key}_{eid}_adults"
        )
        children = st.number_input(
            t("events.children_count"),
            0,
            event_signups.MAX_HEADS,
            children0,
            help=t("events.children_help"),
            key=f"{key}_{eid}_children",
        )
        if st.form_submit_button(t("events.save_attendance"), type="primary", width="stretch"):
            came.update({int(p): int(more_minutes) for p in more})
            lines = [g for g in guest_text.splitlines() if g.strip()]
            core.run(
                at_top(
                    lambda: event_signups.record_attendance(
                        ctx, eid, people=came, guests=lines, adults=int(adults), children=int(children)
                    )
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
    named = [cell_text(n) for n in a[a["name"].notna()]["name"]]
    if named:
        st.caption(t("events.came_names", names=md_join(named, "、")))
