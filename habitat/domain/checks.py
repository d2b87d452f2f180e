"""Automatic checks shown to reviewers. They inform; they never decide alone."""

from __future__ import annotations

from dataclasses import dataclass

HARD_TO_IDENTIFY = 4  # a checklist difficulty (1 easy .. 5) from which a taxon counts as hard to name


def hard_to_identify(difficulty: int | None) -> bool:
    """Hard to name from a photo (the reviewers' flag, the "难认" mark on the 当季常见 cards)."""
    return difficulty is not None and difficulty >= HARD_TO_IDENTIFY


def months_of(spec: str | None) -> set[int]:
    """ "3-11" -> {3..11}; "10-4" wraps over the new year; empty -> all months."""
    if not spec:
        return set(range(1, 13))
    a, b = (int(x) for x in spec.split("-"))
    return set(range(a, b + 1)) if a <= b else set(range(a, 13)) | set(range(1, b + 1))


@dataclass(frozen=True)
class CheckInput:
    month: int
    checklist_months: str | None
    accepted_months: set[int]
    earlier_accepted_in_garden: int
    difficulty: int | None
    count: int | None
    count_p95: float | None
    counts_known: int
    outside_garden: bool


def record_checks(c: CheckInput) -> list[str]:
    """Flag keys (i18n ``check.*``) for one record."""
    flags = []
    usual = months_of(c.checklist_months) | c.accepted_months
    if c.month not in usual:
        flags.append("check.out_of_season")
    if c.earlier_accepted_in_garden == 0:
        flags.append("check.first_in_garden")
    if hard_to_identify(c.difficulty):
        flags.append("check.difficult")
    if (
        c.count is not None
        and c.counts_known >= 10
        and c.count_p95 is not None
        and c.count > max(3 * c.count_p95, c.count_p95 + 5)
    ):
        flags.append("check.count_high")
    if c.outside_garden:
        flags.append("check.outside_garden")
    return flags
