"""Residents' ideas to garden meetings to upkeep, in a real browser at phone width (390 px).

A volunteer records an idea -> the committee puts it on the agenda and holds a meeting where the
decision becomes a task -> the task is on the volunteers' due list. The server holds the database
lock, so every check goes through the pages.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from browser_helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    login,
    main_area,
    open_page,
    shot,
    switch_language,
    wait_idle,
)
from playwright.sync_api import expect

from habitat.clock import SHANGHAI

pytestmark = pytest.mark.browser

IDEA = "在昆虫旅馆旁种一片紫花地丁"
TASK = "补种紫花地丁并挂牌"


def success(page, pattern: str) -> None:
    alert = main_area(page).get_by_test_id("stAlert").filter(has_text=re.compile(pattern)).first
    expect(alert).to_be_visible(timeout=TIMEOUT_MS)


def card(page, text: str):
    """The bordered card (container) that holds ``text``; the innermost one."""
    return main_area(page).get_by_test_id("stVerticalBlock").filter(has_text=text).last


def set_date(page, field, day) -> None:
    """Type a date into Streamlit's date field (year, month and day segments), then leave it."""
    segments = field.get_by_role("spinbutton")
    for i, value in enumerate((f"{day.year}", f"{day.month:02d}", f"{day.day:02d}")):
        segments.nth(i).click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    wait_idle(page)


def no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{where} scrolls sideways ({width} px)"


def test_an_idea_goes_to_a_meeting_and_its_decision_onto_the_due_list(app_server, page_at):
    page = page_at("phone")

    # 1. a volunteer records the idea
    login(page, app_server, "wangayi")
    open_page(page, "金点子", expect_title="金点子")
    page.get_by_role("tab", name="提一个金点子").click()
    wait_idle(page)
    title = main_area(page).get_by_label("一句话说清楚", exact=True)
    title.fill(IDEA)
    title.press("Enter")
    wait_idle(page)
    shot(page, "flow_phone_zh_idea_filled")
    page.get_by_role("button", name="提交金点子").click()
    wait_idle(page)
    success(page, f"金点子已提交：{IDEA}")
    expect(card(page, IDEA)).to_be_visible(timeout=TIMEOUT_MS)
    assert_no_exception(page, "after recording an idea")
    no_sideways_scroll(page, "the ideas page")
    shot(page, "flow_phone_zh_idea_saved")

    # 2. the committee puts it on the agenda and holds the meeting
    login(page, app_server, "liuzhuren")
    open_page(page, "金点子", expect_title="金点子")
    card(page, IDEA).get_by_role("button", name="列入议事会议程").click()
    wait_idle(page)
    success(page, "已列入下次花园议事会议程")
    open_page(page, "花园议事会", expect_title="花园议事会")
    main_area(page).get_by_label("居民", exact=True).fill("张大爷、李阿姨")
    main_area(page).get_by_label("居民", exact=True).press("Enter")
    wait_idle(page)
    item = card(page, IDEA)
    item.get_by_label("决议", exact=True).fill("在昆虫旅馆旁补种紫花地丁，挂一块科普牌")
    item.get_by_text("把决议变成养护任务或问题报告").click()
    wait_idle(page)
    item = card(page, IDEA)
    task_title = item.get_by_label("要做的事", exact=True)
    task_title.fill(TASK)
    task_title.press("Enter")
    wait_idle(page)
    set_date(page, item.get_by_label("完成期限", exact=True), datetime.now(SHANGHAI).date())
    shot(page, "flow_phone_zh_meeting_filled")
    page.get_by_role("button", name="保存议事会记录").click()
    wait_idle(page)
    success(page, "议事会已保存：1 个议题，新增 1 项养护任务")
    assert_no_exception(page, "after saving a meeting")
    no_sideways_scroll(page, "the meetings page")
    page.get_by_role("tab", name="决议落实").click()
    wait_idle(page)
    expect(main_area(page).get_by_text(TASK).first).to_be_attached(timeout=TIMEOUT_MS)
    shot(page, "flow_phone_zh_meeting_followups")

    # 3. the decision is on the volunteers' due list
    login(page, app_server, "wangayi")
    open_page(page, "养护任务", expect_title="养护任务")
    expect(main_area(page).get_by_text(re.compile(TASK)).first).to_be_visible(timeout=TIMEOUT_MS)
    shot(page, "flow_phone_zh_meeting_task_due")


def test_the_committee_reads_the_three_pages_in_english_on_a_phone(app_server, page_at):
    page = page_at("phone")
    login(page, app_server, "liuzhuren")
    switch_language(page, "English")
    for title, heading, name in [
        ("Ideas", "Ideas for the garden", "ideas"),
        ("Garden meetings", "Garden meetings", "meetings"),
        ("Five principles", "Five principles self-assessment", "principles"),
    ]:
        open_page(page, title, expect_title=heading)
        assert_no_exception(page, f"on the {name} page")
        no_sideways_scroll(page, f"the {name} page")
        shot(page, f"flow_phone_en_liuzhuren_{name}")
    expect(main_area(page).get_by_text("Suggested by the records").first).to_be_visible(timeout=TIMEOUT_MS)
