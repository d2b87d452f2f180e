"""Small formatters shared by the report's sections: dates, hours, rates, labels, section frames."""

from __future__ import annotations

import math

import pandas as pd

from habitat.domain.principles import parse_season
from habitat.i18n import t
from habitat.reporting.template import Html, tag


def _day(value, tz: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz)
    return stamp.strftime("%Y-%m-%d")


def _hours(value) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{float(value):.1f}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _month_title(year: int, month: int, lang: str) -> str:
    return t("report.month_title", lang, year=year, month=t(f"report.month_{month}", lang))


def _zone_label(code, name, name_en, lang: str) -> str:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "—"
    label = name if lang == "zh" or not isinstance(name_en, str) or not name_en else name_en
    return f"{code} {label}"


def _section(title: str, body: Html, *, ident: str, page_break: bool = False) -> Html:
    cls = ' class="break"' if page_break else ""
    return Html(f'<section id="{ident}"{cls}>{tag("h2", title)}{body}</section>')


def _nothing(lang: str) -> Html:
    return tag("p", t("report.none", lang), "note")


def _more(n: int, lang: str) -> Html:
    return tag("p", t("report.more_rows", lang, n=n), "note") if n > 0 else Html("")


def _season_label(season: str, lang: str) -> str:
    year, name = parse_season(season)
    return t("principle.season_label", lang, year=year, season=t(f"principle.season_{name}", lang))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>"


def _species_name(chinese, english, lang: str) -> str:
    if lang == "zh" or not isinstance(english, str) or not english:
        return chinese
    return f"{english}（{chinese}）" if chinese else english
