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
