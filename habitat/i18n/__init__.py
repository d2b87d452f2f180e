"""One translation function, one catalog per language.

Each language is a folder of JSON files (core.json, photos.json, ...) merged at import time, so
each area of the app owns its file. A test checks both languages have exactly the same keys.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_ROOT = Path(__file__).parent


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((_ROOT / lang).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & entries.keys()
        if clash:
            raise ValueError(f"duplicate i18n keys in {path.name}: {sorted(clash)}")
        merged.update(entries)
    return merged


SINGULAR = "#one"  # "upkeep.overdue_days#one": the text when n == 1, in the languages that need one


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """Translate ``key`` into ``lang``; unknown keys show as themselves (tests forbid them).
    With ``n=1`` a language's "<key>#one" form is used if it has one ("1 day overdue", not "1 days")."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = catalog(lang).get(key + SINGULAR) if params.get("n") == 1 else None
    text = text if text is not None else catalog(lang).get(key)
    if text is None:
        text = catalog("en").get(key, key)
    return text.format(**params) if params else text


# ------------------------------------------------------------------------------- dates and empty values

EMPTY = "—"  # an empty value as a person reads it in either language (never "None", "nan" or "NaT")


def _missing(value: object) -> bool:
    """None, NaN, pandas' NaT and NA, without importing pandas (NaT's year is NaN; NA has none)."""
    if isinstance(value, str):
        return not value
    year = getattr(value, "year", None)
    return not isinstance(year, int)


def date_text(value, lang: str = DEFAULT_LANGUAGE, *, year: bool = True) -> str:
    """A day as the reader writes it: "2026年5月3日" / "3 May 2026" (``year=False``: "5月3日" / "3 May").
    Takes a date, a datetime or a pandas Timestamp already in local time; empty values read "—"."""
    if _missing(value):
        return EMPTY
    key = "fmt.date" if year else "fmt.day"
    return t(key, lang, y=value.year, m=value.month, d=value.day, mon=t(f"fmt.mon_{value.month}", lang))


def datetime_text(value, lang: str = DEFAULT_LANGUAGE, *, year: bool = False) -> str:
    """A day and a time of day: "5月3日 14:30" / "3 May 14:30" (``year=True`` adds the year)."""
    if _missing(value):
        return EMPTY
    return f"{date_text(value, lang, year=year)} {value.hour:02d}:{value.minute:02d}"


def month_text(value, lang: str = DEFAULT_LANGUAGE) -> str:
    """A calendar month: "2026年5月" / "May 2026" (a date, datetime, Timestamp or "2026-05" text)."""
    if _missing(value):
        return EMPTY
    if isinstance(value, str):
        year, month = (int(part) for part in value[:7].split("-"))
    else:
        year, month = value.year, value.month
    return t("fmt.month", lang, y=year, m=month, mon=t(f"fmt.mon_{month}", lang))
