from datetime import date, timedelta

from habitat.domain.recognition import current_streak, longest_streak


def weeks(*mondays):
    return [date(2026, 11, 2) + timedelta(weeks=w) for w in mondays]


def test_current_streak_counts_back_from_this_week():
    assert current_streak(weeks(0, 1, 2), today=date(2026, 11, 18)) == 3


def test_current_streak_allows_this_week_to_be_still_empty():
    assert current_streak(weeks(0, 1), today=date(2026, 11, 18)) == 2


def test_a_gap_breaks_the_streak():
    assert current_streak(weeks(0, 2), today=date(2026, 11, 18)) == 1
    assert longest_streak(weeks(0, 1, 2, 5, 6)) == 3


def test_no_activity_means_no_streak():
    assert current_streak([], today=date(2026, 11, 18)) == 0 and longest_streak([]) == 0
