"""Dates in the reader's language: one helper (habitat.i18n), "2026年5月3日" / "3 May 2026", "—" when empty."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from habitat.i18n import EMPTY, date_text, datetime_text, month_text


@pytest.mark.parametrize(
    "value",
    [date(2026, 5, 3), datetime(2026, 5, 3, 14, 30), pd.Timestamp("2026-05-03 14:30", tz="Asia/Shanghai")],
)
def test_a_day_reads_as_the_reader_writes_it(value):
    assert date_text(value, "zh") == "2026年5月3日"
    assert date_text(value, "en") == "3 May 2026"
    assert date_text(value, "zh", year=False) == "5月3日"
    assert date_text(value, "en", year=False) == "3 May"


def test_a_day_and_time_of_day():
    when = datetime(2026, 12, 1, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert datetime_text(when, "zh") == "12月1日 08:05"
    assert datetime_text(when, "en") == "1 Dec 08:05"
    assert datetime_text(when, "zh", year=True) == "2026年12月1日 08:05"


@pytest.mark.parametrize("value", [date(2026, 1, 31), pd.Timestamp("2026-01-01"), "2026-01", "2026-01-15"])
def test_a_month(value):
    assert month_text(value, "zh") == "2026年1月"
    assert month_text(value, "en") == "Jan 2026"


@pytest.mark.parametrize("empty", [None, float("nan"), pd.NaT, pd.NA])
def test_empty_values_read_as_a_dash_never_none(empty):
    for text in (date_text(empty, "zh"), datetime_text(empty, "en"), month_text(empty, "zh")):
        assert text == EMPTY == "—"


def test_every_month_has_a_name_in_both_languages():
    assert [month_text(date(2026, m, 1), "zh") for m in (1, 12)] == ["2026年1月", "2026年12月"]
    assert [month_text(date(2026, m, 1), "en") for m in range(1, 13)] == [
        f"{name} 2026" for name in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    ]


def test_charts_by_month_write_months_in_the_readers_language_not_plotlys_english():
    """Plotly's date axis says "Jan 2026" in every language: the charts use category labels we write."""
    from habitat.charts.dashboard import on_time_rate, richness_over_time

    months = pd.date_range("2025-12-01", periods=3, freq="MS")
    on_time = pd.DataFrame({"month": months, "on_time_rate": [0.5, 0.8, 1.0]})
    fig = on_time_rate(on_time, title="按时完成率", lang="zh")
    assert list(fig.data[0].x) == ["2025年12月", "2026年1月", "2026年2月"]  # hover shows the whole month
    axis = fig.layout.xaxis
    assert axis.type == "category" and axis.ticktext == ("12月<br>2025", "1月<br>2026", "2月")
    year = pd.DataFrame({"month": pd.date_range("2025-11-01", periods=13, freq="MS"), "on_time_rate": 0.5})
    axis = on_time_rate(year, title="t", lang="zh").layout.xaxis  # a phone: every second month, unturned
    assert axis.ticktext == ("11月<br>2025", "1月<br>2026", "3月", "5月", "7月", "9月", "11月")
    assert axis.tickvals[-1] == "2026年11月" and axis.tickangle == 0
    richness = pd.DataFrame({"month": months, "species": [3, 4, 5]})
    fig = richness_over_time(richness, title="t", species_label="s", effort_label="e", lang="en")
    assert list(fig.data[0].x) == ["Dec 2025", "Jan 2026", "Feb 2026"]
    assert fig.layout.xaxis.ticktext == ("Dec<br>2025", "Jan<br>2026", "Feb")
