"""Home, the cockpit: the everyday actions as big buttons, the inbox of what happened to her records,
an expert's and the committee's work.

Stable keys for styling (the elder-mode CSS sizes them; no CSS is written here): the buttons' row is
the container ``home_actions`` (class ``st-key-home_actions``), each button ``home_go_<what>``; the
inbox banner is ``home_inbox_banner``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.clock import local
from habitat.services import inbox as inbox_service
from habitat.services.overview import CommitteeWork, ExpertWork
from habitat.ui import core, state, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

MY_RECORDS = "pages/my_records.py"
REVIEW = "pages/review.py"
TOP = 5  # items the expert's and the committee's lists show on home


def action_buttons(*, due_count: int, patrol_running: bool) -> None:
    """记录物种 / 开始巡护 (回到巡护 while one runs) / 今天的养护 (n due) / 问专家: two rows of two,
    one column on a phone."""
    actions = (
        ("home_go_log", t("home.act_log"), ":material/add_a_photo:", "pages/log_sighting.py"),
        (
            "home_go_patrol",
            t("home.act_patrol_back" if patrol_running else "home.act_patrol_start"),
            ":material/directions_walk:",
            "pages/patrol.py",
        ),
        ("home_go_upkeep", t("home.act_upkeep", n=due_count), ":material/yard:", "pages/upkeep.py"),
        ("home_go_ask", t("home.act_ask"), ":material/help:", "pages/ask.py"),
    )
    with st.container(key="home_actions"):
        cells = [*st.columns(2), *st.columns(2)]
        for n, (cell, (key, label, icon, page)) in enumerate(zip(cells, actions)):
            kind = "primary" if n == 0 else "secondary"
            if cell.button(label, key=key, icon=icon, type=kind, width="stretch"):
                st.switch_page(page)


def _record_label(item) -> str:
    name = core.pick(item.chinese_name, item.english_name)
    if not isinstance(name, str) or not name:
        name = item.verbatim_identification if isinstance(item.verbatim_identification, str) else ""
    return f"#{int(item.sighting_id)} {name or t('common.unidentified')}"


def _open_record(sighting_id: int) -> None:
    """我的记录 with this record chosen (pages/my_records.py applies ?record= once per link)."""
    st.session_state.pop(state.MINE_LINK_SEEN, None)
    st.switch_page(MY_RECORDS, query_params={"record": str(sighting_id)})


def inbox_banner(ctx, box: inbox_service.Inbox) -> None:
    """When something new happened: what (an expert's question first), a button to it, "mark as read"."""
    if box.new.empty:
        return
    counts = box.counts
    waiting = box.first_waiting_query()
    if waiting is not None:  # a question she has not answered yet comes first
        headline, alert = t("inbox.banner_query"), st.warning
    elif inbox_service.ANSWERED in counts:
        headline, alert = t("inbox.banner_answered"), st.info
    elif counts.keys() & set(inbox_service.DECIDED):
        headline, alert = t("inbox.banner_decided"), st.info
    else:  # a question she has already answered, a remark
        headline, alert = t("inbox.banner_news"), st.info
    with st.container(border=True, key="home_inbox_banner"):
        alert(f"**{headline}** · {t('inbox.new_count', n=len(box.new))}", icon=":material/notifications:")
        go, read = st.columns(2)
        if waiting is not None:
            if go.button(t("inbox.open_record"), key="home_inbox_open", type="primary", width="stretch"):
                _open_record(waiting)
        elif inbox_service.ANSWERED in counts:
            if go.button(t("inbox.open_answers"), key="home_inbox_open", type="primary", width="stretch"):
                st.switch_page("pages/ask.py")
        else:
            records = box.new["sighting_id"].dropna()
            if go.button(t("inbox.open_records"), key="home_inbox_open", type="primary", width="stretch"):
                if records.empty:
                    st.switch_page(MY_RECORDS)
                _open_record(int(records.iloc[0]))
        if read.button(t("inbox.mark_read"), key="home_inbox_read", width="stretch"):
            core.run(lambda: inbox_service.mark_read(ctx))


def inbox_list(box: inbox_service.Inbox) -> None:
    """The latest items, new ones marked: who did what to which record, and what they wrote."""
    st.subheader(t("inbox.title"))
    if box.latest.empty:
        st.caption(t("inbox.empty"))
        return
    if box.new.empty:
        st.caption(t("inbox.nothing_new"))
    with st.container(border=True, key="home_inbox"):
        for item in box.latest.itertuples():
            who = md_escape(item.who) if isinstance(item.who, str) else t("inbox.machine")
            record = "" if pd.isna(item.sighting_id) else md_escape(_record_label(item))
            line = t("inbox.item_" + item.kind, who=who, record=record)
            badge = f":orange-badge[{t('inbox.new')}] " if item.new else ""
            waiting = f" · :red[{t('inbox.waiting')}]" if item.waiting else ""
            st.markdown(f"{badge}{local(item.at).strftime('%m-%d %H:%M')} · {line}{waiting}")
            text = item.question if item.kind == inbox_service.ANSWERED else None
            for part in (text, item.body):
                if isinstance(part, str) and part.strip():
                    st.caption(md_escape(_short(part)))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def expert_work(work: ExpertWork) -> None:
    """Records waiting in her groups (how many, the oldest's wait, per group) and open questions."""
    st.subheader(t("home.expert_title"))
    with st.container(border=True, key="home_expert"):
        left, right = st.columns(2)
        left.metric(t("home.queue_size"), work.waiting)
        right.metric(t("home.expert_questions"), len(work.questions))
        if work.oldest_days is not None:
            st.caption(t("home.expert_oldest", n=work.oldest_days))
        if not work.groups.empty:
            views.group_table(work.groups)
        if work.questions.empty:
            st.caption(t("home.no_questions"))
        for q in work.questions.head(TOP).itertuples():
            place = " · ".join(md_escape(p) for p in (q.garden, q.zone) if isinstance(p, str))
            st.markdown(f"**{local(q.asked_at).strftime('%m-%d')}** · {place}")
            st.caption(md_escape(_short(q.body)))
        _more(len(work.questions))
        go, answer = st.columns(2)
        if go.button(t("home.go_review"), key="home_go_review", type="primary", width="stretch"):
            st.switch_page(REVIEW)
        if answer.button(t("home.go_questions"), key="home_go_questions", width="stretch"):
            st.switch_page(REVIEW, query_params={"tab": "questions"})


def committee_work(work: CommitteeWork) -> None:
    """Overdue upkeep and open problems: how many, the first few, and where to act on them."""
    st.subheader(t("home.committee_title"))
    with st.container(border=True, key="home_committee"):
        left, right = st.columns(2)
        left.metric(t("home.overdue_tasks"), len(work.overdue))
        right.metric(t("home.problems_to_handle"), len(work.problems))
        if work.overdue.empty:
            st.caption(t("home.nothing_overdue"))
        else:
            top = work.overdue.head(TOP)
            core.table(
                pd.DataFrame(
                    {
                        t("col.garden"): core.pick(top["garden"], top["garden_en"]),
                        t("col.task"): [
                            t("task." + k) if title == t("task." + k) else f"{t('task.' + k)} · {title}"
                            for k, title in zip(top["kind"], top["title"])
                        ],
                        t("col.zone"): core.pick(top["zone"], top["zone_en"]).fillna("—"),
                        t("home.col_overdue"): [
                            t("upkeep.overdue_days", n=int(n)) for n in top["days_overdue"]
                        ],
                    }
                ),
            )
            _more(len(work.overdue))
        if not work.problems.empty:
            top = work.problems.head(TOP)
            core.table(
                pd.DataFrame(
                    {
                        t("manage.age_days"): top["age_days"],
                        t("col.garden"): core.pick(top["garden"], top["garden_en"])
                        if "garden_en" in top
                        else top["garden"],
                        t("col.kind"): top["kind"].map(lambda k: t("problem." + k)),
                        t("col.description"): top["description"],
                    }
                ),
            )
            _more(len(work.problems))
        go, fix = st.columns(2)
        if go.button(t("home.go_dashboard"), key="home_go_dashboard", type="primary", width="stretch"):
            st.switch_page("pages/dashboard.py")
        if fix.button(t("home.go_problems"), key="home_go_problems", width="stretch"):
            st.switch_page("pages/manage.py")


def _more(total: int) -> None:
    if total > TOP:
        st.caption(t("home.more", n=total - TOP))
