"""Pieces of the expert review page."""

from __future__ import annotations

import hashlib
import pandas as pd
import streamlit as st

from habitat.charts.maps import garden_plan
from habitat.domain import verification as v
from habitat.domain.records import SIGHTING
from habitat.errors import HabitatError
from habitat.services import checklist, community, review
from habitat.ui import core, forms, views
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape

REFUSED = "review_refused"  # the HabitatError of a decision refused in a button callback, shown once
DECISION_BUTTONS = (
    (v.ACCEPTED_CORRECT, "primary"),
    (v.ACCEPTED_CONSIDERED, "secondary"),
    (v.UNCONFIRMED_PLAUSIBLE, "secondary"),
    (v.NOT_ACCEPTED_UNABLE, "secondary"),
    (v.NOT_ACCEPTED_INCORRECT, "secondary"),
)


def _bulk_accept(items: list[tuple[int, int]]) -> None:
    """Button callback: accept the selected records at the versions the table showed."""
    try:
        result = review.bulk_decide(core.ctx(), items, v.ACCEPTED_CORRECT)
    except HabitatError as err:
        st.session_state[REFUSED] = err
        return
    core.flash(
        "success" if not result.conflicts else "warning",
        t(
            "review.bulk_done",
            n=len(result.decided),
            conflicts=", ".join(f"#{i}" for i in result.conflicts) or "—",
        ),
    )


def bulk_accept_button(selected: pd.DataFrame) -> None:
    """One click accepts every selected row; each at the version shown in the table (the arguments
    are bound when the button is drawn), so a record changed meanwhile is reported, not overwritten."""
    items = [(int(i), int(ver)) for i, ver in zip(selected["id"], selected["version"])]
    st.button(
        t("review.bulk_accept", n=len(items)),
        type="primary",
        key="review_bulk",
        on_click=_bulk_accept,
        args=(items,),
    )


POSITION = "review_position"  # index of the record shown when no table row is selected


def _step(delta: int, size: int) -> None:
    st.session_state[POSITION] = min(max(st.session_state.get(POSITION, 0) + delta, 0), size - 1)


def queue_position(size: int) -> int:
    """Which record of the queue to show: "previous / next" through the queue, one tap each (after a
    decision the record leaves the queue and the same position shows the next one)."""
    position = min(max(int(st.session_state.get(POSITION, 0)), 0), size - 1)
    st.session_state[POSITION] = position
    back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
    back.button(
        t("review.previous"),
        key="review_prev",
        icon=":material/chevron_left:",
        width="stretch",
        disabled=position == 0,
        on_click=_step,
        args=(-1, size),
    )
    where.markdown(t("review.position", n=position + 1, total=size), text_alignment="center")
    forward.button(
        t("review.next"),
        key="review_next",
        icon=":material/chevron_right:",
        width="stretch",
        disabled=position >= size - 1,
        on_click=_step,
        args=(1, size),
    )
    return position


def queue_table(queue: pd.DataFrame):
    """The queue as a table; its selection belongs to exactly these records: when the queue changes (a
    filter, a decision, another expert) the table is a new one with nothing selected, so a selected row
    number can never point at a record the expert did not pick."""
    shown = pd.DataFrame(
        {
            "#": queue["id"],
            t("col.when"): queue["event_date"].map(core.datetime_text),
            t("col.species"): views.species_labels(queue),
            t("col.count"): queue["individual_count"].map(views.count_label),
            t("col.garden"): queue["garden"],
            t("col.recorder"): queue["recorder"],
            t("col.photos"): queue["photos"],
        }
    )
    key = "review_table_" + hashlib.sha1(",".join(map(str, queue["id"])).encode()).hexdigest()[:16]
    return core.table(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=key,
        height=300,
    )


def record_panel(ctx, rec: review.RecordView) -> None:
    s = rec.sighting
    name = views.species_labels(pd.DataFrame([s])).iloc[0]
    st.markdown(f"### #{s['id']} · {md_escape(name)}")
    st.caption(
        f"{core.datetime_text(s['event_date'], year=True)} · {md_escape(s['garden'])} · {md_escape(s['zone'])} · {views.status_label(s['identification_verification_status'])}"
    )
    views.photo_strip(rec.photos, ctx.photo_root, large=True)
    if rec.photos.empty:
        st.caption(t("review.no_photo"))
    for key in rec.checks:
        st.warning(t(key))
    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('review.details')}**")
        # the count by hand ("present" when not counted), then each field the declaration shows in review
        st.text(
            "\n".join(
                [
                    f"{t('log.count')}: {views.count_label(s['individual_count'])}",
                    *forms.field_lines(SIGHTING, s),
                ]
            )
        )
        if rec.effort:
            protocol, started, ended, observers, weather, temp, sun, complete = rec.effort
            minutes = int((ended - started).total_seconds() // 60) if ended else None
            st.caption(
                t(
                    "review.effort",
                    protocol=t("protocol." + protocol),
                    minutes=minutes if minutes is not None else "?",
                    observers=observers,
                    complete=t("review.complete_yes") if complete else t("review.complete_no"),
                )
            )
    with cols[1]:
        st.markdown(f"**{t('review.history')}**")
        for r in rec.identifications.itertuples():
            who = f"{md_escape(r.who)}{' ★' if r.by_expert else ''}"
            st.caption(
                f"{core.date_text(r.identified_at, year=False)} · {who}: {md_escape(r.chinese_name) or md_escape(r.remark) or '—'}"
            )
        for r in rec.decisions.itertuples():
            st.caption(
                f"{core.date_text(r.decided_at, year=False)} · {md_escape(r.who) or t('review.machine')}: {views.status_label(r.status)}"
            )
    if s["decimal_latitude"] is not None and not rec.zones.empty:
        zones = rec.zones.assign(
            highlight=[1.0 if z == s["zone_id"] else 0.0 for z in rec.zones["id"]],
            label=rec.zones["name"].map(chart_text),
        )
        point = pd.DataFrame(
            {"lat": [s["decimal_latitude"]], "lon": [s["decimal_longitude"]], "label": [chart_text(name)]}
        )
        st.plotly_chart(
            garden_plan(
                zones,
                s["decimal_latitude"],
                s["decimal_longitude"],
                value_column="highlight",
                value_label="",
                name_column="label",
                points=point,
                height=260,
                show_scale=False,
            ),
            config={"displayModeBar": False},
            key="review_map",
        )
    views.comment_thread(rec.thread)


def show_refused() -> None:
    """A decision refused in the click's callback (e.g. another expert decided first), shown once."""
    err = st.session_state.pop(REFUSED, None)
    if err is not None:
        core.show_error(err)


def _decide(
    sighting_id: int, seen_version: int, status: str, species_id: int | None, remark_key: str
) -> None:
    """Button callback. It runs before the page is built again, with the version of the record the
    expert was looking at when the button was drawn: had the page re-read the record first, a
    decision made meanwhile by another expert would be silently overwritten (or, once the record
    left this expert's queue, the click would be lost without a word)."""
    try:
        review.decide(
            core.ctx(),
            sighting_id,
            seen_version,
            status,
            species_id=species_id,
            remark=st.session_state.get(remark_key) or None,
        )
    except HabitatError as err:
        st.session_state[REFUSED] = err
    else:
        core.flash("success", t("review.decided", id=sighting_id, status=views.status_label(status)))


def decision_buttons(ctx, rec: review.RecordView) -> None:
    s = rec.sighting
    sid, seen_version = int(s["id"]), int(s["version"])
    new_species, _ = forms.species_picker(f"review_sp_{sid}")
    remark_key = f"review_remark_{sid}"
    st.text_input(t("review.remark"), key=remark_key)
    species_id = int(new_species) if new_species and new_species > 0 else None
    for status, kind in DECISION_BUTTONS:
        st.button(
            views.status_label(status),
            type=kind,
            width="stretch",
            key=f"review_{sid}_{v.STATUS_KEYS[status]}",
            on_click=_decide,
            args=(sid, seen_version, status, species_id, remark_key),
        )
    query = st.text_area(t("review.ask_recorder"), key=f"review_query_{s['id']}")
    if st.button(t("review.send_query"), key=f"review_send_query_{s['id']}"):
        try:
            review.ask_recorder(ctx, int(s["id"]), query)
        except HabitatError as err:
            core.show_error(err)
        else:
            core.flash("info", t("review.query_sent"))
            st.rerun()


def questions_panel(ctx) -> None:
    open_q = community.open_questions(ctx)
    if open_q.empty:
        st.success(t("review.no_questions"))
        return
    for q in open_q.itertuples():
        with st.container(border=True):
            st.markdown(
                f"**{md_escape(q.garden)} · {md_escape(q.zone)}** · {md_escape(q.asked_by)} · {core.date_text(q.asked_at, year=False)}"
            )
            st.text(q.body)
            views.photo_strip(community.question_photos(ctx, int(q.id)), ctx.photo_root, large=True)
            sp, _ = forms.species_picker(f"answer_sp_{q.id}")
            verdict = st.segmented_control(
                t("review.verdict"),
                community.VERDICTS,
                format_func=lambda x: t("verdict." + x),
                key=f"answer_verdict_{q.id}",
            )
            text = st.text_area(t("review.answer"), key=f"answer_text_{q.id}")
            if st.button(t("review.send_answer"), type="primary", key=f"answer_send_{q.id}"):
                try:
                    community.answer_question(
                        ctx,
                        int(q.id),
                        verdict=verdict or "",
                        answer=text,
                        species_id=sp if sp and sp > 0 else None,
                    )
                except HabitatError as err:
                    core.show_error(err)
                else:
                    core.flash("success", t("review.answer_sent"))
                    st.rerun()


def filters(ctx, gardens: pd.DataFrame) -> review.QueueFilter:
    """Queue filters; the expert's own groups by default. E.g. all 菜粉蝶 with photos from one garden this week."""

    with st.expander(t("review.filters"), expanded=False):
        groups = st.multiselect(
            t("review.groups"),
            list(checklist.GROUPS),
            default=list(ctx.user.expertise),
            format_func=lambda g: t("group." + g),
            key="review_groups",
            placeholder=t("common.choose_some"),  # Streamlit's own: "Choose options"
        )
        garden = st.selectbox(
            t("common.garden"),
            [None] + [int(i) for i in gardens["id"]],
            key="review_garden",
            format_func=lambda i: t("review.all_gardens")
            if i is None
            else gardens.set_index("id").loc[i, "name"],
        )
        status = st.selectbox(
            t("col.status"),
            v.STATUSES,
            index=v.STATUSES.index(v.UNCONFIRMED_NOT_REVIEWED),
            format_func=views.status_label,
            key="review_status",
        )
        photo = st.segmented_control(
            t("review.has_photo"),
            [True, False],
            key="review_photo",
            format_func=lambda b: t("review.with_photo" if b else "review.without_photo"),
        )
        recorders = review.recorders(ctx)
        recorder = st.selectbox(
            t("col.recorder"),
            [None] + [int(i) for i in recorders["id"]],
            key="review_recorder",
            format_func=lambda i: t("review.anyone")
            if i is None
            else recorders.set_index("id").loc[i, "display_name"],
        )
        species_id, _ = forms.species_picker("review_filter_sp")
        this_week = st.toggle(t("review.this_week"), key="review_week")
        min_age = st.number_input(t("review.min_age"), min_value=0, max_value=3650, value=0, key="review_age")
    return review.QueueFilter(
        statuses=(status,),
        groups=tuple(groups),
        garden_id=garden,
        has_photo=photo,
        recorder_id=recorder,
        species_id=species_id if species_id and species_id > 0 else None,
        max_age_days=7 if this_week else None,
        min_age_days=min_age or None,
    )
