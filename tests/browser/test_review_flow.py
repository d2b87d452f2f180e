"""An expert clears part of the demo queue in a real browser, one click per record."""

from __future__ import annotations

import re
import time

import pytest
from browser_helpers import TIMEOUT_MS, assert_no_exception, login, main_area, open_page, shot, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DECISIONS = 8


def current_record(page) -> str:
    heading = main_area(page).get_by_role("heading", name=re.compile(r"^#\d+")).first
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    return heading.inner_text()


def test_an_expert_decides_records_with_one_click_each(app_server, desktop_page):
    page = desktop_page
    login(page, app_server, "zhanggong")
    open_page(page, "专家审核", expect_title="专家审核")
    shot(page, "flow_desktop_zh_review_queue")
    seen = []
    started = time.perf_counter()
    for _ in range(DECISIONS):
        record = current_record(page)
        assert record not in seen, "the queue did not move on after a decision"
        seen.append(record)
        main_area(page).get_by_role("button", name="已确认（有照片或标本）").click()
        wait_idle(page)
        expect(
            main_area(page).get_by_test_id("stAlert").filter(has_text=re.compile("已确认")).first
        ).to_be_visible(timeout=TIMEOUT_MS)
    per_decision = (time.perf_counter() - started) / DECISIONS
    assert_no_exception(page, "after deciding")
    shot(page, "flow_desktop_zh_review_after")
    print(f"review: {DECISIONS} one-click decisions, {per_decision:.2f} s each in the browser")
    assert len(set(seen)) == DECISIONS
