"""Species names: pinyin keys and the picker's search (Chinese, pinyin, initials, Latin, English, synonyms)."""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin


def pinyin_keys(chinese: str) -> tuple[str, str]:
    """("bai tou bei", "btb") for 白头鹎; non-Chinese characters are kept as they are."""
    syllables = [s.lower() for s in lazy_pinyin(chinese, errors="ignore")]
    initials = "".join(s[0] for s in lazy_pinyin(chinese, style=Style.FIRST_LETTER, errors="ignore") if s)
    return " ".join(syllables), initials.lower()


@dataclass(frozen=True)
class Taxon:
    id: int
    scientific_name: str
    chinese_name: str
    english_name: str
    group_name: str
    taxon_rank: str
    pinyin: str = ""
    pinyin_initials: str = ""
    synonyms: str = ""

    def label(self, lang: str = "zh") -> str:
        first = self.chinese_name if lang == "zh" else (self.english_name or self.chinese_name)
        second = self.english_name if lang == "zh" else self.chinese_name
        return f"{first} · {second} · {self.scientific_name}"


def match_score(taxon: Taxon, query: str) -> int:
    """0 = no match; higher = better. Exact and prefix matches rank above substrings."""
    q = query.strip().lower()
    if not q:
        return 1
    compact = q.replace(" ", "")
    fields = [
        (taxon.chinese_name.lower(), 100),
        (taxon.pinyin_initials, 90),
        (taxon.pinyin.replace(" ", ""), 80),
        (taxon.scientific_name.lower(), 70),
        ((taxon.english_name or "").lower(), 60),
    ] + [(s.strip().lower(), 50) for s in (taxon.synonyms or "").split("|") if s.strip()]
    best = 0
    for text, weight in fields:
        text_compact = text.replace(" ", "")
        if not text_compact:
            continue
        if text_compact == compact:
            best = max(best, weight + 30)
        elif text_compact.startswith(compact):
            best = max(best, weight + 15)
        elif compact in text_compact:
            best = max(best, weight)
    return best


def search(taxa: list[Taxon], query: str, limit: int = 20) -> list[Taxon]:
    scored = [(match_score(t, query), t) for t in taxa]
    hits = [(s, t) for s, t in scored if s > 0]
    hits.sort(key=lambda st: (-st[0], st[1].taxon_rank != "species", st[1].chinese_name))
    return [t for _, t in hits[:limit]]
