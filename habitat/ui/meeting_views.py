"""Widgets for the garden-meeting page and its follow-ups: the meeting form (participants, agenda items,
decisions, follow-up tasks or problems), past meeting records, the follow-up table and picker, and
the dashboard's follow-up overview."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from habitat.services import community, meetings
from habitat.ui import core, forms
from habitat.ui.civic_common import day_label, option_labels
from habitat.ui.core import t
from habitat.ui.safe import md_escape

FOLLOWUP_ICON = {"done": "✅", "overdue": "🔴", "open": "🕒"}
OUTSIDE_ROLES = ("resident", "property_manager", "owners_committee", "expert", "partner")
_NAME_SPLIT = re.compile(r"[,，、;；\n]+")


def _people_label(people: pd.DataFrame) -> dict[int, str]:
    return {
        int(i): f"{n} · {t('role.' + r)}"
        for i, n, r in zip(people["id"], people["display_name"], people["role"])
    }


def followup_fields(
    ctx, key: str, garden, people: pd.DataFrame, *, default_title: str = "", proposer=None
) -> meetings.FollowUp:
    """Task or problem, title, owner, due date, zone (and task kind and repeat for a task). The owner
    starts as the one who proposed the idea (``proposer``), else nobody: the committee chooses."""
    labels = _people_label(people)
    proposer = int(proposer) if proposer is not None and pd.notna(proposer) else None
    kind = st.radio(
        t("followup.kind"),
        meetings.FOLLOWUP_KINDS,
        format_func=option_labels("followup.kind_", meetings.FOLLOWUP_KINDS).get,
        horizontal=True,
        key=f"{key}_kind",
    )
    title = st.text_input(t("followup.title_label"), value=default_title, key=f"{key}_title", max_chars=200)
    owner = st.selectbox(
        t("followup.owner"),
        list(labels),
        index=list(labels).index(proposer) if proposer in labels else None,
        placeholder=t("followup.owner_pick"),
        format_func=labels.get,
        key=f"{key}_owner",
    )
    due_on = st.date_input(t("followup.due_on"), value=ctx.now().date() + timedelta(days=7), key=f"{key}_due")
    zone_id = forms.zone_select(garden.zones, f"{key}_zone")
    if kind == "task":
        left, right = st.columns(2)
        task_kind = left.selectbox(
            t("followup.task_kind"),
            meetings.TASK_KINDS,
            index=meetings.TASK_KINDS.index("other"),
            format_func=option_labels("task.", meetings.TASK_KINDS).get,
            key=f"{key}_task_kind",
        )
        every = right.selectbox(
            t("followup.repeat"),
            meetings.REPEATS,
            key=f"{key}_repeat",
            format_func={
                d: t("followup.once") if d is None else t("followup.every", n=d) for d in meetings.REPEATS
            }.get,
        )
        return meetings.FollowUp("task", title, owner, due_on, zone_id, task_kind=task_kind, every_days=every)
    problem_kind = st.selectbox(
        t("followup.problem_kind"),
        community.PROBLEM_KINDS,
        key=f"{key}_problem_kind",
        format_func=option_labels("problem.", community.PROBLEM_KINDS).get,
        index=len(community.PROBLEM_KINDS) - 1,
    )
    return meetings.FollowUp("problem", title, owner, due_on, zone_id, problem_kind=problem_kind)


def _participant_inputs(ctx, key: str, people: pd.DataFrame) -> list[meetings.Participant]:
    labels = _people_label(people)
    chosen = st.multiselect(
        t("meeting.accounts"),
        list(labels),
        default=[ctx.user.id],
        format_func=labels.get,
        key=f"{key}_accounts",
        placeholder=t("common.choose_some"),  # Streamlit's own: "Choose options"
    )
    roles = dict(zip(people["id"].astype(int), people["role"]))
    names = dict(zip(people["id"].astype(int), people["display_name"]))
    out = [meetings.Participant(names[i], meetings.ACCOUNT_ROLE[roles[i]], i) for i in chosen]
    st.caption(t("meeting.others_hint"))
    for role in OUTSIDE_ROLES:
        text = st.text_input(t("participant." + role), key=f"{key}_{role}")
        out += [
            meetings.Participant(name.strip(), role) for name in _NAME_SPLIT.split(text or "") if name.strip()
        ]
    return out


def _item_inputs(
    ctx, key: str, garden, people, *, title: str | None = None, proposer=None
) -> meetings.Item | None:
    """One agenda item (title fixed for an idea), its discussion, decision and an optional follow-up."""
    item_title = title if title is not None else st.text_input(t("meeting.item_title"), key=f"{key}_title")
    discussion = st.text_area(t("meeting.discussion"), key=f"{key}_discussion", height=80)
    decision = st.text_area(t("meeting.decision"), key=f"{key}_decision", height=80)
    followups = ()
    if st.checkbox(t("meeting.add_followup"), key=f"{key}_fu"):
        followups = (
            followup_fields(
                ctx, f"{key}_fu", garden, people, default_title=decision.strip()[:200], proposer=proposer
            ),
        )
    if title is None and not (item_title or "").strip() and not discussion.strip() and not decision.strip():
        return None  # an empty extra item is left out
    return meetings.Item(item_title, discussion, decision, followups=followups)


def meeting_inputs(ctx, garden, agenda: pd.DataFrame, n: int) -> dict:
    """The whole meeting: when, where, chair, participants, items; keyword arguments of hold_meeting."""
    key = f"meet{n}"
    people = meetings.people(ctx)
    now = ctx.now()
    left, right = st.columns(2)
    day = left.date_input(t("common.date"), value=now.date(), max_value=now.date(), key=f"{key}_date")
    clock = right.time_input(
        t("common.time"), value=now.replace(second=0, microsecond=0).time(), key=f"{key}_time", step=900
    )
    place = st.text_input(t("meeting.place"), key=f"{key}_place", placeholder=t("meeting.place_hint"))
    committee = people[people["role"] == "committee"]
    chairs = _people_label(committee)
    chair = st.selectbox(
        t("meeting.chair"),
        list(chairs),
        format_func=chairs.get,
        key=f"{key}_chair",
        index=list(chairs).index(ctx.user.id) if ctx.user.id in chairs else 0,
    )
    st.subheader(t("meeting.participants"))
    participants = _participant_inputs(ctx, key, people)
    st.subheader(t("meeting.items"))
    items: list[meetings.Item] = []
    if agenda.empty:
        st.caption(t("meeting.no_agenda"))
    for row in agenda.itertuples():
        with st.container(border=True):
            st.markdown(f"**{md_escape(row.title)}** · {t('ideas.supporters', n=int(row.supporters))}")
            if st.checkbox(t("meeting.discussed"), value=True, key=f"{key}_idea{row.id}_on"):
                proposer = row.author_id if not isinstance(row.on_behalf_of, str) else None
                item = _item_inputs(
                    ctx, f"{key}_idea{row.id}", garden, people, title=row.title, proposer=proposer
                )
                items.append(
                    meetings.Item(item.title, item.discussion, item.decision, int(row.id), item.followups)
                )
    extra = st.session_state.setdefault(f"{key}_extra", 0 if len(agenda) else 1)
    for i in range(extra):
        with st.container(border=True):
            item = _item_inputs(ctx, f"{key}_new{i}", garden, people)
            if item is not None:
                items.append(item)
    if st.button(t("meeting.add_item"), icon=":material/add:", key=f"{key}_add_item"):
        st.session_state[f"{key}_extra"] = extra + 1
        st.rerun()
    notes = st.text_area(t("meeting.notes"), key=f"{key}_notes", height=80)
    held_at = datetime.combine(day, clock, ZoneInfo(ctx.config.timezone))
    return {
        "garden_id": garden.id,
        "held_at": held_at,
        "place": place,
        "chair_id": chair,
        "notes": notes,
        "participants": participants,
        "items": items,
    }


def followup_table(frame: pd.DataFrame, *, with_garden: bool = False) -> None:
    if frame.empty:
        st.info(t("followup.none"))
        return
    columns = {}
    if with_garden:
        columns[t("col.garden")] = core.pick(frame["garden"], frame["garden_en"]).fillna("")
    columns |= {
        t("followup.status"): frame["status"].map(
            lambda s: f"{FOLLOWUP_ICON[s]} {t('followup.status_' + s)}"
        ),
        t("followup.due_on"): frame["due_on"].map(day_label),
        t("followup.title_label"): frame["title"],
        t("followup.owner"): frame["owner"],
        t("followup.kind"): frame["kind"].map(lambda k: t("followup.kind_" + k)),
        t("followup.done_on"): frame["done_at"].map(day_label),
    }
    core.table(pd.DataFrame(columns), hide_index=True, width="stretch")


def followup_overview(ctx, garden_id: int | None) -> None:
    """Dashboard: were the meetings' decisions carried out? decided / done / overdue, then what is left."""
    summary, frame = meetings.followup_summary(ctx, garden_id)
    st.subheader(t("followup.dashboard_title"))
    cols = st.columns(4)
    cols[0].metric(t("followup.decided"), summary.decided)
    cols[1].metric(t("followup.count"), summary.followups)
    cols[2].metric(t("followup.status_done"), summary.done)
    cols[3].metric(t("followup.status_overdue"), summary.overdue)
    followup_table(frame[frame["status"] != "done"], with_garden=garden_id is None)


def meeting_records(records: list[meetings.MeetingRecord]) -> None:
    if not records:
        st.info(t("meeting.none"))
        return
    for rec in records:
        m = rec.meeting
        place = f" · {md_escape(m['place'])}" if isinstance(m["place"], str) and m["place"] else ""
        with st.expander(
            f"{day_label(m['held_at'])}{place} · {t('meeting.people_n', n=int(m['participants']))}"
        ):
            if isinstance(m["chair"], str):
                st.caption(t("meeting.chaired_by", name=md_escape(m["chair"])))
            for role, group in rec.participants.groupby("role", sort=False):
                st.markdown(
                    f"**{t('participant.' + role)}**: {core.pick('、', ', ').join(md_escape(n) for n in group['name'])}"
                )
            for item in rec.items.itertuples():
                st.markdown(f"**{int(item.position)}. {md_escape(item.title)}**")
                if isinstance(item.discussion, str) and item.discussion:
                    st.text(item.discussion)
                if isinstance(item.decision, str) and item.decision:
                    st.success(
                        t("meeting.decided_as", decision=md_escape(item.decision)), icon=":material/gavel:"
                    )
            if isinstance(m["notes"], str) and m["notes"]:
                st.caption(md_escape(m["notes"]))
            followup_table(rec.followups)


def proposer_of(items: pd.DataFrame, item_id: int):
    """Who proposed the idea a decided item came from (None: not from an idea, or recorded for a
    resident without an account)."""
    row = items[items["id"] == item_id]
    return None if row.empty else row["proposer_id"].iloc[0]


def decision_picker(items: pd.DataFrame) -> int | None:
    if items.empty:
        st.info(t("followup.no_decisions"))
        return None
    labels = {
        int(r.id): f"{day_label(r.held_at)} · {r.title} → {r.decision}"[:120] for r in items.itertuples()
    }
    return st.selectbox(
        t("followup.which_decision"), list(labels), format_func=labels.get, key="meet_fu_item"
    )
