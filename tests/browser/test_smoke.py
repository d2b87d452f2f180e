"""Sign-in form smoke tests in a real browser (every page for every role: test_crawl.py)."""

from __future__ import annotations


import pytest
from browser_helpers import (
    assert_no_exception,
    login,
    main_title,
    nav_more_button,
    open_sidebar,
    shot,
)
from playwright.sync_api import expect

from habitat import i18n

pytestmark = pytest.mark.browser

WIDTHS = ["phone", "desktop"]


@pytest.mark.parametrize("width", WIDTHS)
def test_wrong_password_shows_chinese_error_and_keeps_user_name(app_server, page_at, width):
    page = page_at(width)
    page.goto(app_server)
    expect(main_title(page)).to_have_text(i18n.t("app.title", "zh"))
    shot(page, f"{width}_zh_sign_in")

    login(page, app_server, "wangayi", "wrong-password", expect_success=False)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("用户名或密码不对")
    form = page.get_by_test_id("stForm")
    expect(form.get_by_label("用户名", exact=True)).to_have_value("wangayi")
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(0)
    assert_no_exception(page, "after a wrong password")
    shot(page, f"{width}_zh_sign_in_wrong_password")


def test_long_menu_is_not_folded_behind_an_english_view_more_button(app_server, page_at):
    page = page_at("phone")
    login(page, app_server, "liuzhuren")
    button = nav_more_button(page)
    if button.count():
        open_sidebar(page)
        shot(page, "phone_zh_liuzhuren_menu_folded")
    assert button.count() == 0, f"menu folded behind {button.inner_text()!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_on_a_phone_the_menu_closes_after_she_taps_a_page(app_server, page_at, width):
    """Red-team F11: the menu stayed open over the page she had chosen (Streamlit keeps it open)."""
    page = page_at(width)
    login(page, app_server, "wangayi")
    open_sidebar(page)
    menu = page.get_by_test_id("stSidebar")
    page.get_by_test_id("stSidebarNavLink").filter(has_text=i18n.t("nav.upkeep", "zh")).click()
    expect(main_title(page)).to_have_text(i18n.t("upkeep.title", "zh"))
    if width == "phone":
        expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right <= 0"
        )
    else:  # on a desktop the menu stays where it is, beside the page
        assert menu.bounding_box()["width"] > 200
    assert_no_exception(page, "after choosing a page from the menu")
