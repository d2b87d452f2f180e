"""Recurring upkeep: when a task is next due, and how overdue it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# A task done once (a meeting's one-off follow-up, "only once" in the task form) is stored as due again
# after a century: once logged it leaves the due list (task_defs has no separate "one-off" flag).
ONE_OFF_DAYS = 36500


def is_one_off(every_days: int) -> bool:
    return int(every_days) >= ONE_OFF_DAYS


def next_due(start_on: date, every_days: int, last_done: date | None) -> date:
    """The next due date follows from the last log; before any log, the start date."""
    if every_days < 1:
        raise ValueError("every_days must be at least 1")
    if last_done is None:
        return start_on
    return max(start_on, last_done + timedelta(days=every_days))


@dataclass(frozen=True)
class DueStatus:
    due_on: date
    days_overdue: int  # 0 = due today, >0 overdue, <0 not yet due

    @property
    def is_due(self) -> bool:
        return self.days_overdue >= 0


def due_status(start_on: date, every_days: int, last_done: date | None, today: date) -> DueStatus:
    due_on = next_due(start_on, every_days, last_done)
    return DueStatus(due_on=due_on, days_overdue=(today - due_on).days)


def on_time(due_on: date, done_on: date, grace_days: int = 1) -> bool:
    """A log counts as on time when done no later than ``grace_days`` after it fell due."""
    return done_on <= due_on + timedelta(days=grace_days)
