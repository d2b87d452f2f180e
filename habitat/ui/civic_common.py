"""Pieces the ideas, garden-meeting and five-principles widgets share (idea_views, meeting_views,
principle_views): a date cell as a day, and option labels in the page's language."""

from __future__ import annotations

import pandas as pd

from habitat import i18n
from habitat.ui import core
from habitat.ui.core import t


def day_label(value) -> str:
    """A date or timestamp cell as the local day ("—" for none)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return i18n.EMPTY
    stamp = pd.Timestamp(value)
    return core.date_text(stamp.to_pydatetime() if stamp.tzinfo else stamp.date())


def option_labels(prefix: str, values) -> dict:
    """Option labels computed during the run (AppTest calls format_func outside it, in no language)."""
    return {v: t(prefix + v) for v in values}
