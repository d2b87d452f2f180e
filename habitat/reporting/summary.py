"""Page 1 of the monthly report: what residents (and the town) are handed, in plain words, from
the same month as the committee's sections (habitat.reporting.community)."""

from __future__ import annotations

import pandas as pd

from habitat.i18n import t
from habitat.reporting.community import (
    CommunityMonth,
    _count,
    _followup_status,
    _list,
    _name,
    _role,
    _short_day,
    decisions,
    followups,
)
from habitat.reporting.format import _hours, _species_name
from habitat.reporting.template import Html, join, kpi, tag

SUMMARY_LINES = 6  # at most this many lines per block (the page is one A4 sheet)
SUMMARY_NEW_SPECIES = 8


def summary_section(
    month: CommunityMonth, species: pd.DataFrame, start, place: str, month_title: str, tz: str, lang: str
) -> Html:
    """One printed page for residents (and the town): what happened, in plain words."""
    ev = month.events
    people = int(ev["people"].fillna(0).sum()) if not ev.empty else 0
    children = int(ev["children"].fillna(0).sum()) if not ev.empty else 0
    new = species[species["first_ever"] >= start] if not species.empty else species
    tiles = [
        ("summary_species", len(species)),
        ("summary_new_species", len(new)),
        ("summary_events", len(ev)),
        ("summary_people", people),
        ("summary_children", children),
        ("summary_hours", _hours(month.people["hours"].sum()) if not month.people.empty else "0.0"),
        ("summary_ideas", int(month.ideas["received"].sum()) if not month.ideas.empty else 0),
        ("summary_decisions", decisions(month)),
    ]
    body = [
        tag("p", t("report.summary_lead", lang, place=place, month=month_title), "lead"),
        Html('<div class="kpis">')
        + join(kpi(name, str(value), t(f"report.{name}", lang)) for name, value in tiles)
        + Html("</div>"),
    ]
    blocks = [
        ("summary_what_happened", _summary_events(ev, tz, lang)),
        (
            "summary_new_finds",
            [_list([_species_name(c, e, lang) for c, e in _new_names(new)], lang)] if len(new) else [],
        ),
        ("summary_people_by_role", _summary_roles(month.roles, lang)),
        ("summary_ideas_meetings", _summary_ideas(month, tz, lang)),
        ("summary_partners", _summary_partners(month.partners, lang)),
        ("summary_coming_up", _summary_coming(month.coming_up, tz, lang)),
    ]
    columns = []
    for key, lines in blocks:
        lines = lines[:SUMMARY_LINES]
        if lines:
            columns.append(
                Html('<div class="block">')
                + tag("h3", t(f"report.{key}", lang))
                + Html("<ul>")
                + join(tag("li", line) for line in lines)
                + Html("</ul></div>")
            )
    body.append(Html('<div class="blocks">') + join(columns) + Html("</div>"))
    body.append(tag("p", t("report.summary_footer", lang), "note"))
    return Html(
        '<section id="summary" class="summary">'
        + tag("h2", t("report.section_summary", lang, place=place, month=month_title))
        + join(body)
        + "</section>"
    )


def _new_names(new: pd.DataFrame):
    shown = new.sort_values("records", ascending=False).head(SUMMARY_NEW_SPECIES)
    return list(zip(shown["chinese_name"], shown["english_name"]))


def _event_details(people, children, species, hours, lang: str) -> list[str]:
    parts = []
    if people is not None:
        parts.append(t("report.summary_people_n", lang, n=people))
        if children:
            parts.append(t("report.summary_children_n", lang, n=children))
    if species:
        parts.append(t("report.summary_species_n", lang, n=species))
    if hours:
        parts.append(t("report.summary_hours_n", lang, h=_hours(hours)))
    return parts


def _summary_events(ev: pd.DataFrame, tz: str, lang: str) -> list[str]:
    """One line per event; a kind held several times (children's plot sessions) is one line."""
    lines = []
    sep = "，" if lang == "zh" else ", "
    for kind, group in ev.groupby("kind", sort=False):
        label = t(f"event_kind.{kind}", lang)
        if len(group) == 1:
            r = group.iloc[0]
            head = t(
                "report.summary_event_one",
                lang,
                kind=label,
                date=_short_day(r["starts_at"], tz, lang),
                title=r["title"],
            )
            details = _event_details(
                _count(r["people"]), _count(r["children"]), int(r["species"]), r["helper_hours"], lang
            )
        else:
            head = t("report.summary_event_many", lang, kind=label, n=len(group))
            recorded = group["people"].notna().any()
            details = _event_details(
                int(group["people"].fillna(0).sum()) if recorded else None,
                int(group["children"].fillna(0).sum()),
                0,
                float(group["helper_hours"].sum()),
                lang,
            )
        lines.append(head + ("：" if lang == "zh" else ": ") + sep.join(details) if details else head)
    return lines


def _summary_roles(roles: pd.DataFrame, lang: str) -> list[str]:
    return [
        t("report.summary_role_line", lang, role=_role(r.role, lang), n=int(r.people), hours=_hours(r.hours))
        for r in roles.itertuples()
    ]


def _summary_ideas(month: CommunityMonth, tz: str, lang: str) -> list[str]:
    lines = []
    received = month.ideas[month.ideas["received"]] if not month.ideas.empty else month.ideas
    if len(received):
        lines.append(t("report.summary_ideas_line", lang, n=len(received)))
    for r in month.ideas.itertuples():
        if r.status != "open":
            lines.append(
                t("report.summary_idea_fate", lang, title=r.title, status=t(f"ideas.status_{r.status}", lang))
            )
    n = decisions(month)
    if n:
        lines.append(t("report.summary_decided_line", lang, n=n))
    follow = followups(month)
    if len(follow):
        counts = _followup_status(follow)
        lines.append(t("report.summary_followups_line", lang, n=len(follow), **counts))
    return lines


def _summary_partners(partners: pd.DataFrame, lang: str) -> list[str]:
    lines = []
    for r in partners.itertuples():
        did = [
            t(key, lang, n=int(n))
            for key, n in (
                ("partners.did_reviews", r.reviews),
                ("partners.did_answers", r.answers),
                ("report.did_classes", r.classes),
                ("report.did_other_events", r.other_events),
            )
            if n
        ]
        lines.append(
            t(
                "report.summary_partner_line",
                lang,
                partner=_name(r.name, r.name_en, lang),
                what=_list(did, lang),
            )
        )
    return lines


def _summary_coming(coming: pd.DataFrame, tz: str, lang: str) -> list[str]:
    return [
        t(
            "report.summary_coming_line",
            lang,
            date=_short_day(r.starts_at, tz, lang),
            time=pd.Timestamp(r.starts_at).tz_convert(tz).strftime("%H:%M"),
            kind=t(f"event_kind.{r.kind}", lang),
            title=r.title,
        )
        for r in coming.itertuples()
    ]
