"""Sign-in in a real browser: pages opened before sign-in, stale tabs, reloads and new tabs.

Every server here is started fresh where the test needs "right after a server start".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import (
    IDLE,
    TIMEOUT_MS,
    app_pages,
    assert_no_exception,
    english_words,
    greeting_pattern,
    login,
    main_title,
    open_page,
    shot,
    sign_out,
    switch_language,
    visible_text,
    wait_idle,
)
from conftest import running_server

from habitat import i18n

pytestmark = pytest.mark.browser

PAGES = app_pages()
ROLE_USER = {"volunteer": "wangayi", "expert": "zhanggong", "committee": "liuzhuren"}


def server_log_errors(url) -> list[str]:
    text = Path(url.log_path).read_text(errors="replace")
    return [line for line in text.splitlines() if re.search(r"Traceback|Error|Exception", line)]


def sightings_count(url) -> int:
    """Read the server's database through the app itself is not possible (it holds the file): count
    through the committee's view is indirect, so ask DuckDB in a read-only copy of the file."""
    import shutil
    import tempfile

    from habitat.db import connect

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.duckdb"
        shutil.copy(url.db_path, copy)
        wal = Path(str(url.db_path) + ".wal")
        if wal.exists():
            shutil.copy(wal, Path(str(copy) + ".wal"))
        con = connect(copy)
        try:
            return con.execute("SELECT count(*) FROM sightings").fetchall()[0][0]
        finally:
            con.close()


def sign_in_form_shown(page) -> None:
    from playwright.sync_api import expect

    expect(main_title(page)).to_have_text(i18n.t("app.title", "zh"), timeout=TIMEOUT_MS)
    form = page.get_by_test_id("stForm")
    expect(form.get_by_label(i18n.t("login.username", "zh"), exact=True)).to_be_visible()


@pytest.mark.parametrize("path", [p for p, *_ in PAGES], ids=lambda p: Path(p).stem)
def test_a_page_opened_first_after_a_server_start_shows_the_sign_in_form(
    demo_template, tmp_path, page_at, path
):
    """Right after a start, Streamlit runs pages/<x>.py directly until the router has run once."""
    stem = Path(path).stem
    role = next(
        r
        for r in ("volunteer", "expert", "committee")
        if r in dict((p, roles) for p, _, _, roles in PAGES)[path]
    )
    with running_server(demo_template, tmp_path) as url:
        page = page_at("phone")
        page.goto(f"{url}/{stem}")
        wait_idle(page)
        sign_in_form_shown(page)
        assert_no_exception(page, f"opening /{stem} first")
        assert english_words(visible_text(page)) == [], f"/{stem}"
        assert page.get_by_test_id("stToast").count() == 0  # no "Page not found" pop-up
        if stem not in ("home", "manage", "review", "log_sighting"):
            assert server_log_errors(url) == []
            return
        # signing in goes on to the page that was asked for
        form = page.get_by_test_id("stForm")
        form.get_by_label(i18n.t("login.username", "zh"), exact=True).fill(ROLE_USER[role])
        form.get_by_label(i18n.t("login.password", "zh"), exact=True).fill("huayuan2026")
        form.get_by_role("button", name=i18n.t("login.submit", "zh")).click()
        page.wait_for_selector('[data-testid="stSidebarNavLink"]', state="attached", timeout=TIMEOUT_MS)
        wait_idle(page)
        assert_no_exception(page, f"after signing in from /{stem}")
        title = main_title(page).inner_text()
        nav_title = i18n.t(next(k for p, k, *_ in PAGES if p == path), "zh")
        expected = greeting_pattern() if stem == "home" else None
        assert expected.match(title) if expected else title.strip() != i18n.t("app.title", "zh"), (
            stem,
            title,
            nav_title,
        )
        assert server_log_errors(url) == []


def test_a_volunteer_switched_off_mid_form_is_refused_at_her_next_click(app_server, page_at):
    from playwright.sync_api import expect

    volunteer = page_at("phone")
    login(volunteer, app_server, "xiaoming")
    open_page(volunteer, i18n.t("nav.log_sighting", "zh"))
    volunteer.get_by_label(i18n.t("log.note", "zh")).fill("在池塘边看到一只青蛙")
    committee = page_at("desktop")
    login(committee, app_server, "liuzhuren")
    open_page(committee, i18n.t("nav.manage", "zh"))
    committee.get_by_role("tab", name=i18n.t("manage.tab_people", "zh")).click()
    wait_idle(committee)
    people = committee.get_by_role("tabpanel", name=i18n.t("manage.tab_people", "zh"))
    picker = people.get_by_test_id("stSelectbox").filter(has_text=i18n.t("manage.person", "zh")).first
    picker.click()
    committee.get_by_role("option", name=re.compile("小明")).click()
    wait_idle(committee)
    people.get_by_text(i18n.t("manage.confirm", "zh"), exact=True).click()
    wait_idle(committee)
    people.get_by_role("button", name=i18n.t("manage.deactivate_person", "zh")).click()
    wait_idle(committee)
    expect(committee.get_by_text(i18n.t("manage.deactivated", "zh")).first).to_be_visible()
    shot(committee, "desktop_zh_committee_deactivates_xiaoming")

    before = sightings_count(app_server)
    volunteer.get_by_role("button", name=i18n.t("log.save", "zh")).click()
    wait_idle(volunteer)
    sign_in_form_shown(volunteer)
    expect(volunteer.get_by_text(re.compile("已被居委会停用"))).to_be_visible()
    shot(volunteer, "phone_zh_switched_off_volunteer_refused")
    assert sightings_count(app_server) == before
    assert_no_exception(volunteer)
    sign_out(committee)


def test_a_reload_and_a_new_tab_keep_the_person_signed_in_until_sign_out(app_server, page_at):
    from playwright.sync_api import expect

    page = page_at("phone")
    login(page, app_server, "wangayi")
    assert any(c["name"] == "garden_session" and c["httpOnly"] for c in page.context.cookies())
    page.reload()
    wait_idle(page)
    expect(main_title(page)).to_have_text(greeting_pattern(), timeout=TIMEOUT_MS)
    second = page.context.new_page()
    second.goto(f"{app_server}/my_records")
    wait_idle(second)
    expect(main_title(second)).to_have_text(i18n.t("mine.title", "zh"), timeout=TIMEOUT_MS)
    sign_out(page)
    second.reload()
    wait_idle(second)
    sign_in_form_shown(second)  # the session ended everywhere this cookie was used
    page.reload()
    wait_idle(page)
    sign_in_form_shown(page)
    assert page.locator(IDLE).count() == 1


def test_the_language_chosen_in_the_sidebar_holds_after_a_reload_and_in_a_new_tab(app_server, page_at):
    """An English-speaking expert switches once: a reload, a bookmark and the next sign-in stay English."""
    from playwright.sync_api import expect

    page = page_at("desktop")
    login(page, app_server, "chenlaoshi")
    switch_language(page, "English")
    expect(main_title(page)).to_have_text(greeting_pattern("en"), timeout=TIMEOUT_MS)
    page.reload()
    wait_idle(page)
    expect(main_title(page)).to_have_text(greeting_pattern("en"), timeout=TIMEOUT_MS)
    second = page.context.new_page()
    second.goto(f"{app_server}/my_records")
    wait_idle(second)
    expect(main_title(second)).to_have_text(i18n.t("mine.title", "en"), timeout=TIMEOUT_MS)
    second.close()
    switch_language(page, "中文")  # back, and saved so: the next sign-in is in Chinese
    page.reload()
    wait_idle(page)
    expect(main_title(page)).to_have_text(greeting_pattern("zh"), timeout=TIMEOUT_MS)


def test_a_half_filled_sighting_survives_a_reload_with_its_photo(app_server, page_at, tmp_path):
    from playwright.sync_api import expect

    from tests.fixtures import images as fx

    page = page_at("phone")
    login(page, app_server, "zhaoshifu")
    open_page(page, i18n.t("nav.log_sighting", "zh"))
    photo = tmp_path / "IMG_2001.jpg"
    photo.write_bytes(fx.make_jpeg(taken="2026:11:28 08:15:00", offset="+08:00", color=(200, 40, 90)))
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(photo))
    wait_idle(page)
    note = page.get_by_label(i18n.t("log.note", "zh"))
    note.fill("两只白头鹎在蜜源区")
    note.blur()
    wait_idle(page)
    page.reload()  # the phone slept, the connection dropped, she opens the page again
    wait_idle(page)
    expect(page.get_by_label(i18n.t("log.note", "zh"))).to_have_value(
        "两只白头鹎在蜜源区", timeout=TIMEOUT_MS
    )
    expect(page.get_by_text(re.compile("已恢复上次没保存的内容"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"上次选好的照片（1 张）"))).to_be_visible()
    shot(page, "phone_zh_draft_restored_after_reload")
    assert_no_exception(page)
