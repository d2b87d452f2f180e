"""Widgets for the ideas page: the new-idea form, the idea cards with one-tap support (the committee
puts open ones on the agenda), and the committee's status form."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from habitat.services import ideas
from habitat.ui import core, forms
from habitat.ui.civic_common import day_label, option_labels
from habitat.ui.core import t
from habitat.ui.safe import md_escape

STATUS_COLOUR = {"open": "gray", "on_agenda": "blue", "decided": "violet", "done": "green", "declined": "red"}


def idea_form(ctx, garden, n: int) -> dict:
    """The fields of a new idea; returns the keyword arguments of ideas.propose_idea."""
    key = f"ideas_new{n}"
    kind = st.radio(
        t("ideas.kind"),
        ideas.IDEA_KINDS,
        format_func=option_labels("ideas.kind_", ideas.IDEA_KINDS).get,
        horizontal=True,
        key=f"{key}_kind",
    )
    title = st.text_input(
        t("ideas.title_label"),
        key=f"{key}_title",
        max_chars=ideas.TITLE_MAX,
        placeholder=t("ideas.title_hint"),
    )
    body = st.text_area(t("ideas.body_label"), key=f"{key}_body", max_chars=ideas.BODY_MAX)
    zone_id = forms.zone_select(garden.zones, f"{key}_zone")
    uploads = forms.photo_inputs(key)
    on_behalf = None
    if ctx.can("hold_meeting"):
        on_behalf = st.text_input(t("ideas.on_behalf"), key=f"{key}_behalf", help=t("ideas.on_behalf_help"))
    return {
        "garden_id": garden.id,
        "zone_id": zone_id,
        "title": title,
        "body": body,
        "kind": kind,
        "on_behalf_of": on_behalf,
        "uploads": uploads,
    }


def _author(row) -> str:
    """Who proposed an idea, as Markdown."""
    if isinstance(row.on_behalf_of, str) and row.on_behalf_of:
        return t("ideas.for_resident", author=md_escape(row.author), resident=md_escape(row.on_behalf_of))
    return md_escape(row.author)


def idea_cards(ctx, frame: pd.DataFrame) -> None:
    """Each idea with its supporters and a one-tap "support"; the committee puts open ones on the agenda."""
    if frame.empty:
        st.info(t("ideas.none"))
        return
    committee = ctx.can("hold_meeting")
    for row in frame.itertuples():
        with st.container(border=True):
            status = f":{STATUS_COLOUR[row.status]}-badge[{t('ideas.status_' + row.status)}]"
            st.markdown(f"**{md_escape(row.title)}** {status}")
            zone = (
                md_escape(f"{row.zone_code} · {core.pick(row.zone, row.zone_en)}")
                if isinstance(row.zone_code, str)
                else ""
            )
            st.caption(
                " · ".join(
                    x
                    for x in (t("ideas.kind_" + row.kind), zone, _author(row), day_label(row.created_at))
                    if x
                )
            )
            if isinstance(row.body, str) and row.body:
                st.text(row.body)  # plain text: never rendered as Markdown/HTML
            if isinstance(row.thumb_path, str):
                path = Path(ctx.photo_root) / row.thumb_path
                if path.exists():
                    st.image(str(path), width=160)
            if isinstance(row.status_note, str) and row.status_note:
                st.caption(t("ideas.status_note", note=md_escape(row.status_note)))
            if row.followups:
                st.caption(t("ideas.followups", done=int(row.followups_done), total=int(row.followups)))
            _idea_buttons(ctx, row, committee)


def _idea_buttons(ctx, row, committee: bool) -> None:
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.markdown(t("ideas.supporters", n=int(row.supporters)))
    own = ctx.user.id == row.author_id
    closed = row.status in ideas.CLOSED
    if row.supported_by_me:
        right.button(t("ideas.supported"), key=f"idea_support_{row.id}", disabled=True, width="stretch")
    elif right.button(
        t("ideas.support"),
        key=f"idea_support_{row.id}",
        disabled=own or closed,
        width="stretch",
        type="primary",
        help=t("ideas.own_hint") if own else None,
    ):
        core.run(
            lambda: ideas.support_idea(ctx, int(row.id)),
            lambda n: t("ideas.support_saved", title=md_escape(row.title), n=n),
        )
    if (
        committee
        and row.status == "open"
        and st.button(
            t("ideas.put_on_agenda"),
            key=f"idea_agenda_{row.id}",
            icon=":material/event_note:",
            width="stretch",
        )
    ):
        core.run(
            lambda: ideas.put_on_agenda(ctx, int(row.id)),
            t("ideas.on_agenda_saved", title=md_escape(row.title)),
        )


def idea_status_form(ctx, frame: pd.DataFrame) -> None:
    """Committee: mark an idea done, decline it with a reason, or reopen it."""
    if frame.empty:
        return
    with st.expander(t("ideas.change_status"), icon=":material/edit_note:"):
        titles = dict(zip(frame["id"].astype(int), frame["title"]))
        idea_id = st.selectbox(
            t("ideas.which"), list(titles), format_func=titles.get, key="ideas_status_pick"
        )
        status = st.selectbox(
            t("col.status"),
            ideas.STATUSES,
            format_func=option_labels("ideas.status_", ideas.STATUSES).get,
            key="ideas_status_new",
        )
        note = st.text_input(t("ideas.status_reason"), key="ideas_status_note")
        if st.button(t("ideas.status_save"), key="ideas_status_save", width="stretch"):
            core.run(
                lambda: ideas.set_status(ctx, idea_id, status, note),
                t("ideas.status_saved", title=md_escape(titles[idea_id])),
            )
