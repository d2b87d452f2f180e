"""Widgets for the ideas, garden-meeting and five-principles pages (and the dashboard's follow-ups)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from habitat.clock import local
from habitat.domain import principles as rules
from habitat.services import community, ideas, meetings
from habitat.ui import core, forms
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape

NO_TOOLBAR = {"displayModeBar": False}
STATUS_COLOUR = {"open": "gray", "on_agenda": "blue", "decided": "violet", "done": "green", "declined": "red"}
FOLLOWUP_ICON = {"done": "✅", "overdue": "🔴", "open": "🕒"}
OUTSIDE_ROLES = ("resident", "property_manager", "owners_committee", "expert", "partner")
_NAME_SPLIT = re.compile(r"[,，、;；\n]+")


def _day(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    stamp = pd.Timestamp(value)
    return (local(stamp.to_pydatetime()) if stamp.tzinfo else stamp).strftime("%Y-%m-%d")


def _labels(prefix: str, values) -> dict:
    """Option labels computed during the run (AppTest calls format_func outside it, in no language)."""
    return {v: t(prefix + v) for v in values}


# ------------------------------------------------------------------------------------------ ideas


def idea_form(ctx, garden, n: int) -> dict:
    """The fields of a new idea; returns the keyword arguments of ideas.propose_idea."""
    key = f"ideas_new{n}"
    kind = st.radio(
        t("ideas.kind"),
        ideas.IDEA_KINDS,
        format_func=_labels("ideas.kind_", ideas.IDEA_KINDS).get,
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
    uploads = forms.photo_inputs(key, camera=False)
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
                    x for x in (t("ideas.kind_" + row.kind), zone, _author(row), _day(row.created_at)) if x
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
            format_func=_labels("ideas.status_", ideas.STATUSES).get,
            key="ideas_status_new",
        )
        note = st.text_input(t("ideas.status_reason"), key="ideas_status_note")
        if st.button(t("ideas.status_save"), key="ideas_status_save", width="stretch"):
            core.run(
                lambda: ideas.set_status(ctx, idea_id, status, note),
                t("ideas.status_saved", title=md_escape(titles[idea_id])),
            )


# ---------------------------------------------------------------------------------------- meetings


def _people_label(people: pd.DataFrame) -> dict[int, str]:
    return {
        int(i): f"{n} · {t('role.' + r)}"
        for i, n, r in zip(people["id"], people["display_name"], people["role"])
    }


def followup_fields(
    ctx, key: str, garden, people: pd.DataFrame, *, default_title: str = ""
) -> meetings.FollowUp:
    """Task or problem, title, owner, due date, zone (and task kind and repeat for a task)."""
    labels = _people_label(people)
    local_volunteers = people[(people["home_garden_id"] == garden.id) & (people["role"] == "volunteer")]["id"]
    default_owner = int(local_volunteers.iloc[0]) if len(local_volunteers) else ctx.user.id
    kind = st.radio(
        t("followup.kind"),
        meetings.FOLLOWUP_KINDS,
        format_func=_labels("followup.kind_", meetings.FOLLOWUP_KINDS).get,
        horizontal=True,
        key=f"{key}_kind",
    )
    title = st.text_input(t("followup.title_label"), value=default_title, key=f"{key}_title", max_chars=200)
    owner = st.selectbox(
        t("followup.owner"),
        list(labels),
        index=list(labels).index(default_owner),
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
            format_func=_labels("task.", meetings.TASK_KINDS).get,
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
        format_func=_labels("problem.", community.PROBLEM_KINDS).get,
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


def _item_inputs(ctx, key: str, garden, people, *, title: str | None = None) -> meetings.Item | None:
    """One agenda item (title fixed for an idea), its discussion, decision and an optional follow-up."""
    item_title = title if title is not None else st.text_input(t("meeting.item_title"), key=f"{key}_title")
    discussion = st.text_area(t("meeting.discussion"), key=f"{key}_discussion", height=80)
    decision = st.text_area(t("meeting.decision"), key=f"{key}_decision", height=80)
    followups = ()
    if st.checkbox(t("meeting.add_followup"), key=f"{key}_fu"):
        followups = (followup_fields(ctx, f"{key}_fu", garden, people, default_title=decision.strip()[:200]),)
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
                item = _item_inputs(ctx, f"{key}_idea{row.id}", garden, people, title=row.title)
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
        t("followup.due_on"): frame["due_on"].map(_day),
        t("followup.title_label"): frame["title"],
        t("followup.owner"): frame["owner"],
        t("followup.kind"): frame["kind"].map(lambda k: t("followup.kind_" + k)),
        t("followup.done_on"): frame["done_at"].map(_day),
    }
    st.dataframe(pd.DataFrame(columns), hide_index=True, width="stretch")


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
        with st.expander(f"{_day(m['held_at'])}{place} · {t('meeting.people_n', n=int(m['participants']))}"):
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


def decision_picker(items: pd.DataFrame) -> int | None:
    if items.empty:
        st.info(t("followup.no_decisions"))
        return None
    labels = {int(r.id): f"{_day(r.held_at)} · {r.title} → {r.decision}"[:120] for r in items.itertuples()}
    return st.selectbox(
        t("followup.which_decision"), list(labels), format_func=labels.get, key="meet_fu_item"
    )


# ------------------------------------------------------------------------------------ principles


def season_label(season: str) -> str:
    year, name = rules.parse_season(season)
    return t("principle.season_label", year=year, season=t("principle.season_" + name))


def season_picker(ctx, *, n: int = 8) -> str:
    seasons = rules.recent_seasons(ctx.now().date(), n)
    return st.selectbox(
        t("principle.season"),
        seasons,
        format_func={s: season_label(s) for s in seasons}.get,
        key="princ_season",
    )


def evidence_text(principle: int, ev: rules.Evidence) -> str:
    if principle == 1:
        if not ev.plant_species:
            return t("principle.ev_no_plants")
        return t(
            "principle.ev_native",
            native=ev.native_plant_species,
            total=ev.plant_species,
            share=f"{ev.native_share * 100:.0f}%",
            planted=ev.planted_species,
        )
    if principle == 2:
        text = t(
            "principle.ev_invasive",
            n=ev.invasive_plant_sightings,
            species=ev.invasive_plant_species,
            removals=ev.removals,
        )
        if ev.invasive_animal_sightings:
            text += " " + t("principle.ev_invasive_animals", n=ev.invasive_animal_sightings)
        return text
    if principle == 3:
        if not ev.plant_species:
            return t("principle.ev_no_plants")
        names = core.pick("、", ", ").join(t("layer." + layer) for layer in ev.layers) or "—"
        return t("principle.ev_layers", layers=names, n=len(ev.layers), total=len(rules.LAYERS))
    if principle == 4:
        return t("principle.ev_chemicals", pesticide=ev.pesticide_logs, fertiliser=ev.fertiliser_logs)
    needs = core.pick("、", ", ").join(t("need." + need) for need in ev.needs_met) or "—"
    return t("principle.ev_wildlife", working=ev.features_working, needs=needs, poor=ev.features_poor)


def assessment_inputs(view, *, editable: bool) -> tuple[dict[int, int], dict[int, str]]:
    """Per principle: the evidence, the suggested score and the committee's score and note."""
    assessed = {int(r.principle): r for r in view.assessed.itertuples()}
    scores, notes = {}, {}
    for p in rules.PRINCIPLES:
        name = rules.PRINCIPLE_KEYS[p]
        suggested = view.suggested[p]
        mine = assessed.get(p)
        with st.container(border=True):
            st.markdown(f"**{p}. {t('principle.name_' + name)}**")
            st.caption(t("principle.about_" + name))
            st.markdown(evidence_text(p, view.evidence))
            st.markdown(t("principle.suggested", score="—" if suggested is None else suggested))
            key = f"princ_{view.garden_id}_{view.season}_{p}"
            default = int(mine.score) if mine is not None else (suggested or 0)
            if editable:
                scores[p] = st.slider(t("principle.score"), 0, rules.MAX_SCORE, default, key=f"{key}_score")
                notes[p] = st.text_input(
                    t("principle.note"),
                    value=mine.note if mine is not None and isinstance(mine.note, str) else "",
                    key=f"{key}_note",
                )
            elif mine is not None:
                st.markdown(t("principle.final", score=int(mine.score)))
                if isinstance(mine.note, str) and mine.note:
                    st.caption(md_escape(mine.note))
            else:
                st.caption(t("principle.not_assessed"))
    if assessed:
        first = next(iter(assessed.values()))
        st.caption(
            t("principle.assessed_by", name=md_escape(first.assessed_by), date=_day(first.assessed_at))
        )
    return scores, notes


def plants_table(plants: pd.DataFrame) -> None:
    """The plant species the native-share and layer evidence was counted from."""
    with st.expander(t("principle.plants_counted", n=len(plants)), icon=":material/local_florist:"):
        if plants.empty:
            st.info(t("principle.ev_no_plants"))
            return
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.species"): core.pick(plants["chinese_name"], plants["scientific_name"]),
                    t("principle.col_layer"): plants["plant_layer"].map(
                        lambda v: t("layer." + v) if isinstance(v, str) else "—"
                    ),
                    t("principle.col_native"): plants["native"].map(lambda v: "✓" if v else "✗"),
                    t("principle.col_planted"): plants["planted"].map(lambda v: "✓" if v else ""),
                    t("col.records"): plants["records"],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def side_by_side(frame: pd.DataFrame) -> None:
    """Gardens x principles for one season, as a table and a heat map (suggested scores flagged)."""
    if frame.empty:
        st.info(t("common.nothing_yet"))
        return
    names = [
        core.pick(a, b) + ("" if done else " *")
        for a, b, done in zip(frame["name"], frame["name_en"], frame["assessed"])
    ]
    chart_names = [chart_text(n) for n in names]
    short = [t("principle.short_" + rules.PRINCIPLE_KEYS[p]) for p in rules.PRINCIPLES]
    table = pd.DataFrame({t("col.garden"): names})
    for p, label in zip(rules.PRINCIPLES, short):
        table[label] = frame[f"p{p}"].astype("Int64")
    table[t("principle.total")] = frame["total"].astype("Int64")
    st.dataframe(table, hide_index=True, width="stretch")
    if not frame["assessed"].all():
        st.caption(t("principle.suggested_flag"))
    z = [[None if pd.isna(v) else int(v) for v in frame[f"p{p}"]] for p in rules.PRINCIPLES]
    fig = go.Figure(
        go.Heatmap(
            z=list(map(list, zip(*z))),
            x=short,
            y=chart_names,
            zmin=0,
            zmax=5,
            colorscale="YlGn",
            text=[[("" if v is None else str(v)) for v in row] for row in zip(*z)],
            texttemplate="%{text}",
            showscale=False,
        )
    )
    fig.update_layout(
        title={"text": t("principle.chart_side_by_side"), "x": 0},
        height=120 + 40 * len(names),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template="plotly_white",
    )
    fig.update_yaxes(autorange="reversed")
    st.plotly_chart(fig, key="princ_heatmap", config=NO_TOOLBAR)


def trend_chart(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("principle.no_assessments"))
        return
    fig = go.Figure()
    seasons = list(dict.fromkeys(frame["season"]))
    for _, g in frame.groupby("garden_id", sort=True):
        fig.add_trace(
            go.Scatter(
                x=[season_label(s) for s in g["season"]],
                y=g["total"],
                mode="lines+markers",
                name=chart_text(core.pick(g["name"].iloc[0], g["name_en"].iloc[0])),
            )
        )
    fig.update_xaxes(categoryorder="array", categoryarray=[season_label(s) for s in seasons])
    fig.update_layout(
        title={"text": t("principle.chart_trend"), "x": 0},
        height=320,
        template="plotly_white",
        yaxis={"range": [0, 26], "title": t("principle.total")},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    st.plotly_chart(fig, key="princ_trend", config=NO_TOOLBAR)


def applications_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.success(t("principle.no_applications"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("col.when"): frame["done_at"].map(_day),
                t("col.kind"): frame["kind"].map(lambda k: t("task." + k)),
                t("principle.product"): frame["product"],
                t("principle.amount"): frame["amount"],
                t("col.zone"): core.pick(frame["zone"], frame["zone_en"]).fillna(""),
                t("principle.done_by"): frame["done_by"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def application_inputs(ctx, garden, n: int) -> dict:
    key = f"princ_app{n}"
    kind = st.radio(
        t("col.kind"),
        ("fertiliser", "pesticide"),
        format_func=_labels("task.", ("fertiliser", "pesticide")).get,
        horizontal=True,
        key=f"{key}_kind",
    )
    product = st.text_input(
        t("principle.product"), key=f"{key}_product", placeholder=t("principle.product_hint")
    )
    amount = st.text_input(t("principle.amount"), key=f"{key}_amount", placeholder=t("principle.amount_hint"))
    zone_id = forms.zone_select(garden.zones, f"{key}_zone")
    day = st.date_input(
        t("common.date"), value=ctx.now().date(), max_value=ctx.now().date(), key=f"{key}_date"
    )
    when = min(ctx.now(), datetime.combine(day, ctx.now().time(), ZoneInfo(ctx.config.timezone)))
    return {
        "garden_id": garden.id,
        "zone_id": zone_id,
        "kind": kind,
        "product": product,
        "amount": amount,
        "done_at": when,
    }
