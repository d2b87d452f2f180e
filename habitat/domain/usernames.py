"""What counts as the same user name: phones capitalise the first letter, IMEs add full-width letters,
copy and paste brings zero-width characters. One normal form, used when an account is made and at
every sign-in."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normal_username(text: str | None) -> str:
    """NFKC (full-width ｗａｎｇ → wang), invisible characters removed, trimmed, lower case."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text or "")).strip().casefold()
