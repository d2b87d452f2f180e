"""The report's text sections: cover, headline figures, gardens, upkeep, principles, species, photos
(the community's month, hours by role included, is in habitat.reporting.community)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from habitat.db import gardens as gardens_db
from habitat.db import report as report_db
from habitat.domain.principles import PRINCIPLE_KEYS, PRINCIPLES
from habitat.i18n import t
from habitat.reporting.figures import Figures, _Scope, _statuses, month_figures
from habitat.reporting.format import (
    _day,
    _hours,
    _missing,
    _month_title,
    _more,
    _nothing,
    _rate,
    _season_label,
    _section,
    _species_name,
    _zone_label,
)
from habitat.reporting.template import Html, esc, join, kpi, table, tag
from habitat.services import dashboard, principles

PHOTOS_PER_REPORT = 6
MAX_TABLE_ROWS = 25  # due tasks and problems: a long list is cut with "n more"
IMAGE_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def _cover(
    scope: _Scope, year: int, month: int, figures: Figures, ctx, lang: str, accepted_only: bool
) -> Html:
    basis = (
        t("report.basis_accepted", lang)
        if accepted_only
        else t("report.basis_all", lang, n=figures.unreviewed)
    )
    meta = t("report.generated", lang, town=scope.town, date=_day(ctx.now(), ctx.config.timezone))
    return Html(
        '<header class="cover">'
        + tag("p", t("report.kicker", lang), "kicker")
        + tag("h1", f"{scope.title} · {_month_title(year, month, lang)}")
        + tag("p", meta, "meta")
        + tag("p", basis, "meta")
        + "</header>"
    )


def _headline_section(figures: Figures, lang: str) -> Html:
    tiles = [
        ("records", str(figures.records)),
        ("species", str(figures.species)),
        ("new_species", str(figures.new_species)),
        ("patrols", str(figures.patrols)),
        ("hours", _hours(figures.hours)),
        ("upkeep_logs", str(figures.upkeep_logs)),
        ("on_time", _rate(figures.on_time_rate)),
        ("open_problems", str(figures.open_problems)),
    ]
    body = '<div class="kpis">' + "".join(kpi(name, value, _kpi_label(name, lang)) for name, value in tiles)
    return _section(
        t("report.section_headline", lang), Html(body + "</div>"), ident="headline", page_break=True
    )


def _kpi_label(name: str, lang: str) -> str:
    """Hours are everyone's (volunteers, experts, committee): the section on hours splits them by role."""
    return t("report.kpi_hours_everyone" if name == "hours" else f"report.kpi_{name}", lang)


def _gardens_section(ctx, counts, start, end, accepted_only: bool, lang: str) -> Html:
    headers = [(t("report.col_garden", lang), "")] + [
        (_kpi_label(name, lang), "num")
        for name in (
            "records",
            "species",
            "new_species",
            "patrols",
            "hours",
            "upkeep_logs",
            "on_time",
            "open_problems",
        )
    ]
    rows = []
    for garden in counts.itertuples():
        f = month_figures(ctx, int(garden.id), start, end, accepted_only=accepted_only, counts=counts)
        name = garden.name if lang == "zh" else (garden.name_en or garden.name)
        rows.append(
            [
                name,
                f.records,
                f.species,
                f.new_species,
                f.patrols,
                _hours(f.hours),
                f.upkeep_logs,
                _rate(f.on_time_rate),
                f.open_problems,
            ]
        )
    body = table(headers, rows) if rows else _nothing(lang)
    return _section(t("report.section_gardens", lang), body, ident="gardens")


def _garden_names(ctx, lang: str) -> Callable[[str], str]:
    """Chinese garden name (as the upkeep queries give it) -> the name in the report's language."""
    if lang == "zh":
        return lambda name: name
    gardens = gardens_db.list_gardens(ctx.con)
    english = {n: e for n, e in zip(gardens["name"], gardens["name_en"]) if isinstance(e, str) and e}
    return lambda name: english.get(name, name)


def _upkeep_section(ctx, scope: _Scope, start, end, lang: str) -> Html:
    summary = dashboard.upkeep_summary(ctx, scope.garden_id, start, end)
    tz, town = ctx.config.timezone, scope.garden_id is None
    garden_name = _garden_names(ctx, lang)
    work = summary.work_by_kind
    parts = [tag("h3", t("report.work_by_kind", lang))]
    if work.empty:
        parts.append(_nothing(lang))
    else:
        parts.append(
            table(
                [
                    (t("report.col_kind", lang), ""),
                    (t("report.col_logs", lang), "num"),
                    (t("report.col_hours", lang), "num"),
                ],
                [
                    [t(f"task.{k}", lang), int(n), _hours(m / 60)]
                    for k, n, m in zip(work["kind"], work["logs"], work["minutes"])
                ],
                total=[t("report.total", lang), int(work["logs"].sum()), _hours(work["minutes"].sum() / 60)],
            )
        )

    parts.append(tag("h3", t("report.due_now", lang, date=_day(ctx.now(), tz))))
    due = summary.due
    garden_col = [(t("report.col_garden", lang), "")] if town else []
    if due.empty:
        parts.append(_nothing(lang))
    else:
        shown = due.head(MAX_TABLE_ROWS)
        rows = [
            ([garden_name(r.garden)] if town else [])
            + [
                _zone_label(r.zone_code, r.zone, r.zone_en, lang),
                r.title,
                t(f"task.{r.kind}", lang),
                _day(r.due_on, tz),
                int(r.days_overdue) if r.days_overdue > 0 else t("report.due_today", lang),
            ]
            for r in shown.itertuples()
        ]
        parts.append(
            table(
                garden_col
                + [
                    (t("report.col_zone", lang), ""),
                    (t("report.col_task", lang), ""),
                    (t("report.col_kind", lang), ""),
                    (t("report.col_due_on", lang), "num"),
                    (t("report.col_overdue", lang), "num late"),
                ],
                rows,
                row_classes=["late" if d > 0 else "" for d in shown["days_overdue"]],
            )
        )
        parts.append(_more(len(due) - len(shown), lang))

    parts.append(tag("h3", t("report.open_problems", lang)))
    problems = summary.problems
    if problems.empty:
        parts.append(_nothing(lang))
    else:
        shown = problems.head(MAX_TABLE_ROWS)
        rows = [
            ([garden_name(r.garden)] if town else [])
            + [
                r.zone,
                t(f"problem.{r.kind}", lang),
                r.description,
                _day(r.reported_at, tz),
                int(r.age_days),
            ]
            for r in shown.itertuples()
        ]
        parts.append(
            table(
                garden_col
                + [
                    (t("report.col_zone", lang), ""),
                    (t("report.col_kind", lang), ""),
                    (t("report.col_problem", lang), ""),
                    (t("report.col_reported", lang), "num"),
                    (t("report.col_age", lang), "num"),
                ],
                rows,
            )
        )
        parts.append(_more(len(problems) - len(shown), lang))
    return _section(t("report.section_upkeep", lang), join(parts), ident="upkeep")


# --- five principles (ideas, meetings and principles work) --------------------------------------


def _principles_section(ctx, scope: _Scope, end, lang: str) -> Html:
    """The latest assessed season's five-principles scores: per principle for a garden, per garden for the town."""
    title = t("report.section_principles", lang)
    latest = principles.latest_scores(ctx, scope.garden_id, end.date())
    if latest.empty:
        return _section(title, tag("p", t("report.principles_none", lang), "note"), ident="principles")
    names = [t(f"principle.name_{PRINCIPLE_KEYS[p]}", lang) for p in PRINCIPLES]
    if scope.garden_id is not None:
        rows = [
            [
                f"{int(r.principle)}. {names[int(r.principle) - 1]}",
                int(r.score),
                "—" if _missing(r.suggested_score) else int(r.suggested_score),
                r.note if isinstance(r.note, str) else "",
            ]
            for r in latest.itertuples()
        ]
        body = tag(
            "p",
            t("report.principles_season", lang, season=_season_label(latest["season"].iloc[0], lang)),
            "meta",
        )
        body += table(
            [
                (t("report.col_principle", lang), ""),
                (t("report.col_score", lang), "num"),
                (t("report.col_suggested", lang), "num"),
                (t("report.col_note", lang), ""),
            ],
            rows,
            total=[t("report.total", lang), int(latest["score"].sum()), "", ""],
        )
        return _section(title, body, ident="principles")
    rows = []
    for _, g in latest.groupby("garden_id", sort=True):
        by = dict(zip(g["principle"].astype(int), g["score"].astype(int)))
        name = g["garden"].iloc[0] if lang == "zh" else (g["garden_en"].iloc[0] or g["garden"].iloc[0])
        rows.append(
            [
                name,
                _season_label(g["season"].iloc[0], lang),
                *[by.get(p, "—") for p in PRINCIPLES],
                sum(by.values()),
            ]
        )
    headers = [(t("report.col_garden", lang), ""), (t("report.col_season", lang), "")]
    headers += [(f"{p}. {n}", "num") for p, n in zip(PRINCIPLES, names)] + [(t("report.total", lang), "num")]
    return _section(title, table(headers, rows), ident="principles")


def _species_section(species, start, lang: str, tz: str) -> Html:
    title = t("report.section_species", lang)
    if species.empty:
        return _section(title, _nothing(lang), ident="species", page_break=True)
    rows, classes = [], []
    for r in species.itertuples():
        new = r.first_ever >= start
        badges = join(
            [
                tag("span", t("report.badge_new", lang), "badge new") if new else "",
                tag("span", t("report.badge_sensitive", lang), "badge sensitive") if r.sensitive else "",
                tag("span", t("report.badge_invasive", lang), "badge invasive") if r.invasive else "",
            ]
        )
        rows.append(
            [
                Html(esc(_species_name(r.chinese_name, r.english_name, lang)) + badges),
                tag("span", r.scientific_name, "sci"),
                t(f"group.{r.group_name}", lang),
                int(r.records),
                int(r.individuals),
                _day(r.first_ever, tz),
            ]
        )
        classes.append("new" if new else "")
    body = tag("p", t("report.species_note", lang), "note") + table(
        [
            (t("report.col_species", lang), ""),
            (t("report.col_scientific", lang), ""),
            (t("report.col_group", lang), ""),
            (t("report.col_records", lang), "num"),
            (t("report.col_individuals", lang), "num"),
            (t("report.col_first", lang), "num"),
        ],
        rows,
        row_classes=classes,
    )
    return _section(title, body, ident="species", page_break=True)


def _photo_uri(root: Path, *relative_paths: str) -> str | None:
    """The first of the renditions that exists under ``root``, as a data URI (None when none does)."""
    base = root.resolve()
    for rel in relative_paths:
        if not isinstance(rel, str) or not rel:
            continue
        path = (base / rel).resolve()
        mime = IMAGE_MIME.get(path.suffix.lower())
        if mime is None or not path.is_relative_to(base) or not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return None


def _photos_section(ctx, scope: _Scope, start, end, accepted_only: bool, lang: str) -> Html:
    candidates = report_db.month_photos(
        ctx.con, scope.garden_id, start, end, _statuses(accepted_only), limit=PHOTOS_PER_REPORT * 3
    )
    figures = []
    for p in candidates.itertuples():
        uri = _photo_uri(ctx.config.photo_root, p.thumb_path, p.display_path)
        if uri is None:
            continue
        name = (
            _species_name(p.chinese_name, p.english_name, lang)
            if isinstance(p.chinese_name, str)
            else t("common.unidentified", lang)
        )
        where = [p.garden if lang == "zh" else (p.garden_en or p.garden)] if scope.garden_id is None else []
        caption = tag("b", name) + join(
            Html(" · ") + tag("span", part, "nowrap")
            for part in [_day(p.event_date, ctx.config.timezone), *where]
        )
        if isinstance(p.note, str) and p.note.strip():
            note = p.note.strip()
            caption += Html("<br>") + tag("span", note if len(note) <= 60 else note[:59] + "…", "note")
        figures.append(
            f'<figure class="photo"><img src="{uri}" alt="{esc(name)}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
        if len(figures) == PHOTOS_PER_REPORT:
            break
    body = (
        Html(f'<div class="photos">{"".join(figures)}</div>')
        if figures
        else tag("p", t("report.no_photos", lang), "note")
    )
    return _section(t("report.section_photos", lang), body, ident="photos")
