"""Recognising regular volunteers: streaks of active weeks and totals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def current_streak(active_weeks: Iterable[date], today: date) -> int:
    """Consecutive active weeks ending this week (or last week, if this week has no activity yet)."""
    weeks = {week_start(w) for w in active_weeks}
    cursor = week_start(today)
    if cursor not in weeks:
        cursor -= timedelta(weeks=1)
    streak = 0
    while cursor in weeks:
        streak += 1
        cursor -= timedelta(weeks=1)
    return streak


def longest_streak(active_weeks: Iterable[date]) -> int:
    weeks = sorted({week_start(w) for w in active_weeks})
    best = run = 0
    previous = None
    for w in weeks:
        run = run + 1 if previous is not None and w - previous == timedelta(weeks=1) else 1
        best = max(best, run)
        previous = w
    return best
