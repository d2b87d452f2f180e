"""Volunteer hours: one definition, the same figure on the committee home, the dashboard, the town table
and the monthly report, checked against a sum worked out here from the raw rows."""

from datetime import datetime

import pytest

from habitat.clock import SHANGHAI, fixed_clock, month_bounds
from habitat.reporting import month_figures
from habitat.services import dashboard, overview


def expected_hours(con, garden_id, start, end) -> float:
    """Independent reference: fetch the raw rows and add them up in Python."""
    minutes = 0.0
    for started, ended, recorder in con.execute(
        "SELECT started_at, ended_at, recorded_by FROM visits WHERE garden_id = ? AND NOT withdrawn",
        [garden_id],
    ).fetchall():
        if ended is not None and recorder is not None and start <= started < end:
            minutes += (ended - started).total_seconds() / 60
    for done_at, mins, who in con.execute(
        "SELECT done_at, minutes, done_by FROM task_logs WHERE garden_id = ? AND NOT withdrawn", [garden_id]
    ).fetchall():
        if who is not None and start <= done_at < end:
            minutes += mins or 0
    for starts_at, mins, person, cancelled in con.execute(
        "SELECT e.starts_at, a.minutes, a.person_id, e.cancelled FROM event_attendance a"
        " JOIN events e ON e.id = a.event_id WHERE e.garden_id = ?",
        [garden_id],
    ).fetchall():
        if person is not None and (mins or 0) > 0 and not cancelled and start <= starts_at < end:
            minutes += mins
    return minutes / 60.0


@pytest.mark.parametrize(
    "when", [datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI), datetime(2026, 6, 15, 12, 0, tzinfo=SHANGHAI)]
)
def test_every_page_shows_the_same_volunteer_hours_as_the_raw_rows(con, make_ctx, when):
    committee = make_ctx("liuzhuren", clock=fixed_clock(when))
    start, end = month_bounds(when.year, when.month)
    heads = overview.headlines(committee).set_index("id")
    town = dashboard.town(committee, start, end).set_index("id")
    nonzero = 0
    for garden_id in heads.index:
        want = expected_hours(con, int(garden_id), start, end)
        nonzero += want > 0
        table = dashboard.hours(committee, int(garden_id), start, end)
        report = month_figures(committee, int(garden_id), start, end, accepted_only=False)
        assert heads.loc[garden_id, "hours_month"] == pytest.approx(want, abs=0.051)
        assert town.loc[garden_id, "volunteer_hours"] == pytest.approx(want, abs=0.051)
        assert float(table["hours"].sum()) == pytest.approx(want, abs=0.01 * max(1, len(table)))
        assert report.hours == pytest.approx(want, abs=0.051)
    assert nonzero >= 2  # the demo has work in most gardens in these months


def test_patrol_time_is_the_recorders_not_multiplied_by_observers(con, make_ctx):
    when = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
    start, end = month_bounds(2026, 11)
    garden = con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchall()[0][0]
    wang = con.execute("SELECT id FROM people WHERE username = 'wangayi'").fetchall()[0][0]
    before = (
        overview.headlines(make_ctx("liuzhuren", clock=fixed_clock(when)))
        .set_index("id")
        .loc[garden, "hours_month"]
    )
    con.execute(
        "INSERT INTO visits (garden_id, started_at, ended_at, observers, observer_count, recorded_by, protocol)"
        " VALUES (?, ?, ?, '王阿姨 邻居甲 邻居乙', 3, ?, 'casual')",
        [
            garden,
            datetime(2026, 11, 10, 8, 0, tzinfo=SHANGHAI),
            datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI),
            wang,
        ],
    )
    after = (
        overview.headlines(make_ctx("liuzhuren", clock=fixed_clock(when)))
        .set_index("id")
        .loc[garden, "hours_month"]
    )
    assert after - before == pytest.approx(1.0, abs=0.051)
