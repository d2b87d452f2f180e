"""Events in a real browser at phone width: the committee plans an event, a volunteer signs up, the
committee records who came; and the BioBlitz board and partner directory in English.

The server holds the database lock, so every check reads the page, not the database.
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

from habitat import i18n
from habitat.clock import SHANGHAI

pytestmark = pytest.mark.browser

TITLE = "家门口的自然课：浏览器里的蜻蜓课"


def nav(key: str, lang: str = "zh") -> str:
    return i18n.t(key, lang)


def alert(page, pattern: str):
    box = main_area(page).get_by_test_id("stAlert").filter(has_text=re.compile(pattern)).first
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    return box


def choose(page, label: str, option: str) -> None:
    """Open the selectbox `label` in the main area and pick the option containing `option`."""
    main_area(page).get_by_role("combobox", name=label, exact=True).first.click()
    page.get_by_role("option").filter(has_text=option).first.click()
    wait_idle(page)


def type_into_segments(page, label: str, text: str) -> None:
    """Date and time inputs are segmented fields: focus the first segment and type the digits."""
    field = main_area(page).get_by_test_id("stDateInput").or_(main_area(page).get_by_test_id("stTimeInput"))
    field = field.filter(has_text=label).first
    field.get_by_role("spinbutton").first.focus()
    page.keyboard.type(text)
    page.keyboard.press("Escape")  # close the calendar pop-up
    wait_idle(page)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"


def test_plan_an_event_sign_up_and_record_attendance_on_phones(app_server, page_at):
    now = datetime.now(SHANGHAI)
    if now.hour == 23 and now.minute >= 50:
        pytest.skip("the event of this test runs today from 00:00 to 24:00; too close to midnight")

    committee = page_at("phone")
    login(committee, app_server, "liuzhuren")
    open_page(committee, nav("nav.events"), expect_title=nav("events.title"))
    committee.get_by_role("tab", name="安排活动").click()
    wait_idle(committee)
    main_area(committee).get_by_label("活动名称", exact=True).fill(TITLE)
    type_into_segments(committee, "日期", now.strftime("%Y%m%d"))
    type_into_segments(committee, "开始时间", "0000")  # today from midnight, 24 hours: on now
    hours = main_area(committee).get_by_label("时长（小时）", exact=True)
    hours.fill("24")
    hours.press("Tab")
    capacity = main_area(committee).get_by_label("人数上限", exact=True)
    capacity.fill("12")
    capacity.press("Tab")
    wait_idle(committee)
    shot(committee, "flow_phone_zh_event_plan_filled")
    committee.get_by_role("button", name="安排活动").click()
    wait_idle(committee)
    alert(committee, f"已安排活动：{re.escape(TITLE)}")
    assert_no_exception(committee, "after planning an event")
    no_sideways_scroll(committee)

    volunteer = page_at("phone")
    login(volunteer, app_server, "wangayi")
    open_page(volunteer, nav("nav.events"), expect_title=nav("events.title"))
    expect(main_area(volunteer).get_by_text(TITLE).first).to_be_attached(timeout=TIMEOUT_MS)
    choose(volunteer, "查看活动", "浏览器里的蜻蜓课")
    expect(main_area(volunteer).get_by_text("还剩 12 个名额")).to_be_visible(timeout=TIMEOUT_MS)
    main_area(volunteer).get_by_text("我来帮忙（志愿服务）").click()
    wait_idle(volunteer)
    volunteer.get_by_role("button", name="我要报名").click()
    wait_idle(volunteer)
    alert(volunteer, "报名成功")
    expect(main_area(volunteer).get_by_text("还剩 11 个名额")).to_be_visible(timeout=TIMEOUT_MS)
    expect(volunteer.get_by_role("button", name="取消我的报名")).to_be_visible(timeout=TIMEOUT_MS)
    shot(volunteer, "flow_phone_zh_event_signed_up")
    no_sideways_scroll(volunteer)

    open_page(committee, nav("nav.events"), expect_title=nav("events.title"))  # a fresh look at the event
    expect(main_area(committee).get_by_text("报名（共 1 人）")).to_be_visible(timeout=TIMEOUT_MS)
    main_area(committee).get_by_text("登记出席", exact=True).click()  # folded while the event is on
    form = main_area(committee).get_by_test_id("stForm").filter(has_text="保存出席记录")
    row = form.get_by_test_id("stHorizontalBlock").filter(has_text="王阿姨").first
    expect(row.get_by_role("checkbox")).to_be_checked(timeout=TIMEOUT_MS)  # signed up, so ticked already
    minutes = row.get_by_label("帮忙（分钟）", exact=True)
    minutes.fill("120")
    minutes.press("Tab")
    children = form.get_by_label("儿童（人数）", exact=True)
    children.fill("6")
    children.press("Tab")
    wait_idle(committee)
    shot(committee, "flow_phone_zh_event_attendance_filled")
    form.get_by_role("button", name="保存出席记录").click()
    wait_idle(committee)
    alert(committee, r"已记录出席：共 \d+ 人")
    came_children = main_area(committee).get_by_test_id("stMetric").filter(has_text="其中儿童")
    expect(came_children.get_by_test_id("stMetricValue")).to_have_text("6", timeout=TIMEOUT_MS)
    helper = main_area(committee).get_by_test_id("stMetric").filter(has_text="志愿服务（小时）")
    expect(helper.get_by_test_id("stMetricValue")).not_to_have_text("0.0", timeout=TIMEOUT_MS)
    assert_no_exception(committee, "after recording attendance")
    shot(committee, "flow_phone_zh_event_attendance_saved")


def test_bioblitz_board_and_partners_in_english_on_a_phone(app_server, page_at):
    page = page_at("phone")
    login(page, app_server, "xuboshi")
    switch_language(page, "English")
    open_page(page, nav("nav.partners", "en"), expect_title=nav("partners.title", "en"))
    assert main_area(page).get_by_text("No partners yet.").count() == 0, "the demo builds partners"
    expect(main_area(page).get_by_text(re.compile("138-0000-0103")).first).to_be_visible(
        timeout=TIMEOUT_MS
    )  # experts see contacts
    shot(page, "flow_phone_en_partners")
    open_page(page, nav("nav.events", "en"), expect_title=nav("events.title", "en"))
    choose(page, "Open an event", "中泾生境花园生物快查")
    expect(main_area(page).get_by_text("BioBlitz: species tally")).to_be_visible(timeout=TIMEOUT_MS)
    species = (
        main_area(page).get_by_test_id("stMetric").filter(has_text="Species").get_by_test_id("stMetricValue")
    )
    expect(species).to_have_text(re.compile(r"^[1-9]\d*$"), timeout=TIMEOUT_MS)
    assert_no_exception(page, "on the BioBlitz board")
    no_sideways_scroll(page)
    shot(page, "flow_phone_en_bioblitz_board")
