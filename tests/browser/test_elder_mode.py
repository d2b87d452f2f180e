"""适老化 elder mode (issue 14) in a real browser: large on a volunteer's phone, ordinary on the
committee's computer, and the 显示方式 switch in 我的账号.

The full size audit of every page and role runs in the crawl (test_crawl.py); these are the quick
checks of the three modes.
"""

from __future__ import annotations

import pytest
from audit import ELDER, STANDARD, audit, computed, report, wait_for_look
from browser_helpers import TIMEOUT_MS, login, main_area, open_page, wait_idle

from habitat import i18n

pytestmark = pytest.mark.browser


def px(value: str) -> float:
    return float(value.removesuffix("px"))


def label_size(page) -> float:
    """The font size of the first widget label in the page (the body text of a form)."""
    return px(computed(main_area(page).get_by_test_id("stWidgetLabel").locator("p"), "font-size"))


def primary_height(page) -> float:
    return main_area(page).locator('[data-testid^="stBaseButton-primary"]').first.bounding_box()["height"]


def choose_display(page, mode: str) -> None:
    """Choose a 显示方式 in 我的账号 (the page must be open) and wait until it is saved and redrawn."""
    from playwright.sync_api import expect

    option = (
        main_area(page)
        .get_by_test_id("stRadioOption")
        .filter(has=page.get_by_text(i18n.t(f"look.{mode}", "zh"), exact=True))
    )
    option.click()
    expect(main_area(page).get_by_test_id("stAlert")).to_contain_text(
        i18n.t("look.saved", "zh"), timeout=TIMEOUT_MS
    )
    wait_idle(page)
    wait_for_look(page, mode)  # the rerun after saving draws the new mode


def test_a_volunteers_phone_gets_large_text_and_a_60px_save_button(app_server, page_at):
    page = page_at("phone")
    page.goto(app_server)
    wait_idle(page)
    findings = audit(page, ELDER)  # the sign-in form: nobody known yet, 'auto'
    assert findings == [], report(findings, "on the sign-in form (phone)")
    login(page, app_server, "wangayi")
    open_page(page, i18n.t("nav.log_sighting", "zh"), expect_title=i18n.t("log.title", "zh"))
    wait_for_look(page, "auto")
    assert label_size(page) >= 18
    assert px(computed(page.locator("html"), "font-size")) == 18
    assert primary_height(page) >= 60
    findings = audit(page, ELDER)
    assert findings == [], report(findings, "on log_sighting as wangayi (phone)")


def test_choosing_standard_in_my_account_gives_desktop_sizes_on_the_phone(app_server, page_at):
    page = page_at("phone")
    login(page, app_server, "xiaoming")
    open_page(page, i18n.t("nav.account", "zh"), expect_title=i18n.t("account.title", "zh"))
    try:
        choose_display(page, "standard")
        open_page(page, i18n.t("nav.log_sighting", "zh"), expect_title=i18n.t("log.title", "zh"))
        assert label_size(page) < 18
        assert primary_height(page) < 60
        findings = audit(page, STANDARD)  # Streamlit's density, but no target under 24 px
        assert findings == [], report(findings, "on log_sighting in 'standard' (phone)")
    finally:
        open_page(page, i18n.t("nav.account", "zh"), expect_title=i18n.t("account.title", "zh"))
        choose_display(page, "auto")
    open_page(page, i18n.t("nav.log_sighting", "zh"), expect_title=i18n.t("log.title", "zh"))
    assert label_size(page) >= 18  # back to large on the phone


def test_a_committee_member_at_a_desktop_in_auto_has_ordinary_density(app_server, page_at):
    page = page_at("desktop")
    login(page, app_server, "liuzhuren")
    open_page(page, i18n.t("nav.log_sighting", "zh"), expect_title=i18n.t("log.title", "zh"))
    wait_for_look(page, "auto")
    assert label_size(page) < 18
    assert primary_height(page) < 60
    findings = audit(page, STANDARD)
    assert findings == [], report(findings, "on log_sighting as liuzhuren (desktop)")


def test_large_text_and_buttons_apply_on_a_desktop_too(app_server, page_at):
    page = page_at("desktop")
    login(page, app_server, "zhanggong")
    open_page(page, i18n.t("nav.account", "zh"), expect_title=i18n.t("account.title", "zh"))
    try:
        choose_display(page, "elder")
        open_page(page, i18n.t("nav.log_sighting", "zh"), expect_title=i18n.t("log.title", "zh"))
        assert label_size(page) >= 18
        assert primary_height(page) >= 60
        findings = audit(page, ELDER)
        assert findings == [], report(findings, "on log_sighting in 'elder' (desktop)")
    finally:
        open_page(page, i18n.t("nav.account", "zh"), expect_title=i18n.t("account.title", "zh"))
        choose_display(page, "auto")
