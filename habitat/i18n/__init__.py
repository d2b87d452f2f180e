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
