"""The community's month in the report: events held, ideas and garden meetings, what partners
contributed and hours given by role (the one-page summary for residents built from the same month
is habitat.reporting.summary).

Every figure comes from the definition the app already has: who came is the events' attendance
(children only counted), helpers' hours are habitat/db/hours.py, species found at an event are the
BioBlitz board's records (services.events), follow-up status is services.meetings', partners'
reviews and answers are db.events.garden_partner_activity's. Ideas' and follow-ups' status is as of
the day the report is made (what became of them), and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from habitat.clock import month_bounds
from habitat.db import civic as civic_db
from habitat.db import events as events_db
from habitat.db import hours as hours_db
from habitat.i18n import t
from habitat.reporting.format import _day, _hours, _nothing, _section
from habitat.reporting.template import Html, esc, join, table, tag
from habitat.services import dashboard, events, meetings

ROLES = ("volunteer", "expert", "committee")  # people.role, in the order the report lists them
CLASS_KINDS = ("nature_class", "plot_session")
COMING_UP = 4  # events still to come, for the residents' page


@dataclass(frozen=True)
class CommunityMonth:
    events: pd.DataFrame  # events held: db.events.events_held + helper_hours, helpers, species
    ideas: pd.DataFrame  # db.civic.ideas_in_period
    meetings: list  # services.meetings.MeetingRecord of the meetings held in the month
    partners: pd.DataFrame  # partners who contributed: reviews, answers, classes, other_events
    people: pd.DataFrame  # per person: person, username, role, patrol/task/event hours, hours
    roles: pd.DataFrame  # per role (ROLES order, only roles with hours): people, the hours columns
    coming_up: pd.DataFrame  # events still to come, to the end of the next month (one per children's plot)
    as_of: datetime  # when ideas' and follow-ups' status was read


def community_month(ctx, garden_id: int | None, start: datetime, end: datetime) -> CommunityMonth:
    ctx.require("see_dashboard")
    now = ctx.now()
    held = events_db.events_held(ctx.con, garden_id, start, end, now)
    given = hours_db.by_event(ctx.con, garden_id, start, end).set_index("event_id")
    held["helper_hours"] = [float(given["hours"].get(i, 0.0)) for i in held["id"]]
    held["helpers"] = [int(given["helpers"].get(i, 0)) for i in held["id"]]
    held["species"] = [events.bioblitz_board(ctx, int(i)).summary.species for i in held["id"]]

    month_meetings = [
        m
        for m in meetings.past_meetings(ctx, garden_id)
        if start <= pd.Timestamp(m.meeting["held_at"]).to_pydatetime() < end
    ]
    month_meetings.sort(key=lambda m: (pd.Timestamp(m.meeting["held_at"]), m.meeting["id"]))

    people = _people(dashboard.hours(ctx, garden_id, start, end))
    _, next_end = month_bounds(end.year, end.month, ctx.config.timezone)
    coming = events_db.events_between(ctx.con, garden_id, max(start, now), next_end)  # from now on
    if not coming.empty:
        coming = coming[~(coming["series_id"].notna() & coming.duplicated(subset=["series_id"]))]
    return CommunityMonth(
        events=held,
        ideas=civic_db.ideas_in_period(ctx.con, garden_id, start, end),
        meetings=month_meetings,
        partners=_partners(ctx, garden_id, start, min(end, now), held),
        people=people,
        roles=_roles(people),
        coming_up=coming.head(COMING_UP).reset_index(drop=True),
        as_of=now,
    )


def _people(hours: pd.DataFrame) -> pd.DataFrame:
    columns = ["patrol_hours", "task_hours", "event_hours", "hours"]
    if hours.empty:
        return pd.DataFrame(columns=["username", "person", "role", *columns])
    hours = hours if "event_hours" in hours else hours.assign(event_hours=0.0)
    per_person = (
        hours.fillna({c: 0.0 for c in columns})
        .groupby(["username", "person", "role"], as_index=False)[columns]
        .sum()
    )
    per_person["order"] = per_person["role"].map({r: i for i, r in enumerate(ROLES)}).fillna(len(ROLES))
    return (
        per_person.sort_values(["order", "hours", "person"], ascending=[True, False, True])
        .drop(columns="order")
        .reset_index(drop=True)
    )


def _roles(people: pd.DataFrame) -> pd.DataFrame:
    columns = ["patrol_hours", "task_hours", "event_hours", "hours"]
    rows = []
    for role in [*ROLES, *sorted(set(people["role"]) - set(ROLES))]:
        mine = people[people["role"] == role]
        if len(mine):
            rows.append({"role": role, "people": len(mine), **{c: float(mine[c].sum()) for c in columns}})
    return pd.DataFrame(rows, columns=["role", "people", *columns])


def _partners(ctx, garden_id, start, until, held: pd.DataFrame) -> pd.DataFrame:
    """Partners with something done in the month: reviews and answers (garden_partner_activity), and
    the classes and other events of theirs that the events section lists."""
    activity = events_db.garden_partner_activity(ctx.con, garden_id, until, since=start)
    theirs = held[held["partner_id"].notna()]
    is_class = theirs["kind"].isin(CLASS_KINDS)
    classes = theirs[is_class].groupby("partner_id").size()
    other = theirs[~is_class].groupby("partner_id").size()
    frame = activity[["id", "name", "name_en", "kind", "reviews", "answers", "people"]].copy()
    known = set(frame["id"])
    for pid, name, name_en in zip(theirs["partner_id"], theirs["partner"], theirs["partner_en"]):
        if pid not in known:  # not active any more, still theirs (kind unknown here: read it below)
            partner = events_db.partner(ctx.con, int(pid))
            frame.loc[len(frame)] = [pid, name, name_en, partner["kind"], 0, 0, None]
            known.add(pid)
    frame["classes"] = [int(classes.get(i, 0)) for i in frame["id"]]
    frame["other_events"] = [int(other.get(i, 0)) for i in frame["id"]]
    done = frame[["reviews", "answers", "classes", "other_events"]].sum(axis=1) > 0
    return (
        frame[done]
        .sort_values(["reviews", "answers", "classes", "name"], ascending=[False, False, False, True])
        .reset_index(drop=True)
    )


# --- small labels, shared with the residents' page ----------------------------------------------


def _name(zh, en, lang: str) -> str:
    return zh if lang == "zh" or not isinstance(en, str) or not en else en


def _short_day(value, tz: str, lang: str) -> str:
    stamp = pd.Timestamp(value).tz_convert(tz)
    return t("report.short_day", lang, month=t(f"report.month_{stamp.month}", lang), day=stamp.day)


def _count(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _role(role: str, lang: str) -> str:
    return t(f"role.{role}", lang) if role in ROLES else str(role)


def _list(parts, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(p) for p in parts)


def _followup_status(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["status"].value_counts() if not frame.empty else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in meetings.FOLLOWUP_STATUSES}


def decisions(month: CommunityMonth) -> int:
    """Items with a decision at the month's meetings."""
    return sum(int((m.items["decision"].fillna("").str.strip() != "").sum()) for m in month.meetings)


def followups(month: CommunityMonth) -> pd.DataFrame:
    frames = [m.followups for m in month.meetings if not m.followups.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["status"])


# --- the detailed sections -----------------------------------------------------------------------


def events_section(month: CommunityMonth, town: bool, tz: str, lang: str) -> Html:
    ev = month.events
    title = t("report.section_events", lang)
    if ev.empty:
        return _section(title, _nothing(lang), ident="events")
    garden_col = [(t("report.col_garden", lang), "")] if town else []
    unrecorded = t("report.not_recorded", lang)
    rows = [
        ([_name(r.garden, r.garden_en, lang)] if town else [])
        + [
            _day(r.starts_at, tz),
            Html(esc(r.title) + tag("span", t(f"event_kind.{r.kind}", lang), "badge kind")),
            _name(r.partner, r.partner_en, lang) if isinstance(r.partner, str) else "",
            unrecorded if _count(r.people) is None else int(r.people),
            unrecorded if _count(r.people) is None else int(r.children),
            _hours(r.helper_hours),
            int(r.species),
        ]
        for r in ev.itertuples()
    ]
    body = tag("p", t("report.events_note", lang), "note") + table(
        garden_col
        + [
            (t("report.col_date", lang), "num"),
            (t("report.col_event", lang), ""),
            (t("report.col_partner", lang), ""),
            (t("report.col_people", lang), "num"),
            (t("report.col_children", lang), "num"),
            (t("report.col_helper_hours", lang), "num"),
            (t("report.col_species_found", lang), "num"),
        ],
        rows,
        total=([""] if town else [])
        + [
            t("report.total", lang),
            t("report.events_n", lang, n=len(ev)),
            "",
            int(ev["people"].fillna(0).sum()),
            int(ev["children"].fillna(0).sum()),
            _hours(ev["helper_hours"].sum()),
            "",
        ],
    )
    return _section(title, body, ident="events")


def ideas_section(month: CommunityMonth, town: bool, tz: str, lang: str) -> Html:
    """Ideas received or settled in the month with what became of them; the month's meetings with
    their decisions and the follow-ups' status."""
    as_of = _day(month.as_of, tz)
    parts = [tag("h3", t("report.ideas_heading", lang))]
    ideas = month.ideas
    if ideas.empty:
        parts.append(_nothing(lang))
    else:
        garden_col = [(t("report.col_garden", lang), "")] if town else []
        rows = []
        for r in ideas.itertuples():
            fate = t(f"ideas.status_{r.status}", lang)
            if r.status != "open" and not pd.isna(r.status_changed_at):
                fate += f" · {_day(r.status_changed_at, tz)}"
            if isinstance(r.status_note, str) and r.status_note.strip():
                fate += f"（{r.status_note.strip()}）" if lang == "zh" else f" ({r.status_note.strip()})"
            rows.append(
                ([_name(r.garden, r.garden_en, lang)] if town else [])
                + [_day(r.created_at, tz), r.title, int(r.supporters), fate]
            )
        parts.append(tag("p", t("report.ideas_note", lang, date=as_of), "note"))
        parts.append(
            table(
                garden_col
                + [
                    (t("report.col_received", lang), "num"),
                    (t("report.col_idea", lang), ""),
                    (t("report.col_supporters", lang), "num"),
                    (t("report.col_fate", lang), ""),
                ],
                rows,
            )
        )
    if not month.meetings:
        parts.append(tag("h3", t("report.meetings_heading", lang)))
        parts.append(tag("p", t("report.no_meetings", lang), "note"))
    follow = followups(month)
    if len(follow):
        parts.append(
            tag(
                "p",
                t("report.summary_decided_line", lang, n=decisions(month))
                + ("；" if lang == "zh" else "; ")
                + t("report.summary_followups_line", lang, n=len(follow), **_followup_status(follow))
                + t("report.sentence_end", lang)
                + t("report.ideas_note", lang, date=as_of),
                "meta",
            )
        )
    for m in month.meetings:
        parts.append(_meeting(m, town, tz, lang, as_of))
    return _section(t("report.section_ideas", lang), join(parts), ident="ideas")


def _meeting(record, town: bool, tz: str, lang: str, as_of: str) -> Html:
    meeting = record.meeting
    place = meeting["place"] if isinstance(meeting["place"], str) and meeting["place"] else "—"
    where = _name(meeting["garden"], meeting["garden_en"], lang) + " · " if town else ""
    head = tag(
        "h3", where + t("report.meeting_heading", lang, date=_day(meeting["held_at"], tz), place=place)
    )
    roles = (
        record.participants["role"].value_counts() if not record.participants.empty else pd.Series(dtype=int)
    )
    order = [r for r in meetings.PARTICIPANT_ROLES if r in roles.index]
    who = _list([f"{t(f'participant.{r}', lang)} {int(roles[r])}" for r in order], lang)
    meta = tag("p", t("report.meeting_people", lang, n=len(record.participants), roles=who), "meta")
    rows = []
    for item in record.items.itertuples():
        mine = record.followups[record.followups["item_id"] == item.id]
        cells = [
            tag(
                "div",
                t(
                    "report.followup_cell",
                    lang,
                    title=f.title,
                    owner=f.owner if isinstance(f.owner, str) else "—",
                    due=_day(f.due_on, tz),
                    status=t(f"followup.status_{f.status}", lang),
                ),
                f"followup {f.status}",
            )
            for f in mine.itertuples()
        ]
        rows.append(
            [item.title, item.decision if isinstance(item.decision, str) else "—", join(cells) or "—"]
        )
    body = table(
        [
            (t("report.col_item", lang), ""),
            (t("report.col_decision", lang), ""),
            (t("report.col_followups", lang, date=as_of), ""),
        ],
        rows,
    )
    return head + meta + body


def partners_section(month: CommunityMonth, lang: str) -> Html:
    title = t("report.section_partners", lang)
    partners = month.partners
    if partners.empty:
        return _section(title, _nothing(lang), ident="partners")
    rows = [
        [
            _name(r.name, r.name_en, lang),
            t(f"partner_kind.{r.kind}", lang),
            int(r.reviews),
            int(r.answers),
            int(r.classes),
            int(r.other_events),
            r.people if isinstance(r.people, str) else "",
        ]
        for r in partners.itertuples()
    ]
    body = tag("p", t("report.partners_note", lang), "note") + table(
        [
            (t("report.col_partner", lang), ""),
            (t("report.col_kind", lang), ""),
            (t("report.col_reviews", lang), "num"),
            (t("report.col_answers", lang), "num"),
            (t("report.col_classes", lang), "num"),
            (t("report.col_other_events", lang), "num"),
            (t("report.col_partner_people", lang), ""),
        ],
        rows,
    )
    return _section(title, body, ident="partners")


def hours_section(month: CommunityMonth, lang: str) -> Html:
    """Hours given, by role first (experts and committee staff are not volunteers), then by person."""
    title = t("report.section_hours_by_role", lang)
    people, roles = month.people, month.roles
    if people.empty:
        return _section(title, _nothing(lang), ident="hours")
    hour_cols = [
        (t("report.col_patrol_hours", lang), "num"),
        (t("report.col_task_hours", lang), "num"),
        (t("dash.event_hours", lang), "num"),
        (t("report.col_total_hours", lang), "num"),
    ]

    def hours_of(r) -> list[str]:
        return [_hours(r.patrol_hours), _hours(r.task_hours), _hours(r.event_hours), _hours(r.hours)]

    totals = [_hours(people[c].sum()) for c in ("patrol_hours", "task_hours", "event_hours", "hours")]
    by_role = table(
        [(t("report.col_role", lang), ""), (t("report.col_people_n", lang), "num"), *hour_cols],
        [[_role(r.role, lang), int(r.people), *hours_of(r)] for r in roles.itertuples()],
        total=[t("report.total", lang), len(people), *totals],
    )
    by_person = table(
        [(t("report.col_name", lang), ""), (t("report.col_role", lang), ""), *hour_cols],
        [[r.person, _role(r.role, lang), *hours_of(r)] for r in people.itertuples()],
        total=[t("report.total", lang), "", *totals],
    )
    body = join(
        [
            tag("h3", t("report.hours_by_role", lang)),
            by_role,
            tag("h3", t("report.hours_by_person", lang)),
            by_person,
        ]
    )
    return _section(title, body, ident="hours")
