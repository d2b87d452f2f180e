"""Time: stored as TIMESTAMPTZ, shown in Asia/Shanghai; the clock is injectable in tests."""

from __future__ import annotations

from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(SHANGHAI)


def fixed_clock(when: datetime) -> Clock:
    return lambda: when


def local(dt: datetime | None, tz: ZoneInfo = SHANGHAI) -> datetime | None:
    """Show a stored time in Shanghai time (naive values are taken as UTC, as DuckDB hands them)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo("UTC"))
    return dt.astimezone(tz)


def local_days_between(start: datetime, end: datetime, tz: ZoneInfo = SHANGHAI) -> int:
    """Calendar days from ``start`` to ``end`` counted on local dates (reported last evening, seen
    this morning: 1 day), never on UTC dates or on whole 24-hour periods."""
    return (local(end, tz).date() - local(start, tz).date()).days


def month_bounds(year: int, month: int, tz: str = "Asia/Shanghai") -> tuple[datetime, datetime]:
    """[start, end) of a calendar month in local time (every monthly figure uses these bounds)."""
    start = datetime(year, month, 1, tzinfo=ZoneInfo(tz))
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=ZoneInfo(tz))
    return start, end
