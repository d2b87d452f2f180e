"""Grouping a patrol's photos into draft sightings by the time gap between shots."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence, TypeVar

T = TypeVar("T")


def group_by_time_gap(
    items: Sequence[T],
    times: Sequence[datetime | None],
    gap: timedelta = timedelta(minutes=2),
    max_size: int | None = None,
) -> list[list[T]]:
    """Sort by time and start a new group when the gap to the previous photo exceeds ``gap``,
    or when the group already holds ``max_size`` photos (a record takes only so many).

    Photos without a time each form their own group (nothing to group them by), after the timed ones.
    """
    timed = sorted((t, i) for i, t in enumerate(times) if t is not None)
    groups: list[list[T]] = []
    last: datetime | None = None
    for when, index in timed:
        full = max_size is not None and groups and len(groups[-1]) >= max_size
        if last is None or when - last > gap or full:
            groups.append([])
        groups[-1].append(items[index])
        last = when
    groups.extend([items[i]] for i, t in enumerate(times) if t is None)
    return groups
