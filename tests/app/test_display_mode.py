"""AppTest: 我的账号's 显示方式 (适老化, issue 14) saves the mode with the account, and every run emits
the style sheet of the person's mode (the sign-in form: 'auto')."""

from __future__ import annotations

from habitat.db import connect
from habitat.ui import look

from tests.app.conftest import person


def _styles(at) -> str:
    """Every style-only st.html of the run (Streamlit sends them to its event container). AppTest's
    switch_page runs the page without the router, so only a run of the router itself has them."""
    return " ".join(str(h.proto.body) for h in at.get("html"))


def test_the_sign_in_form_gets_the_auto_sheet(app_env, new_app):
    at = new_app().run()
    assert look.css("auto") in _styles(at)


def test_the_router_emits_the_persons_sheet(app_as, app_env):
    assert look.css("auto") in _styles(app_as("wangayi"))
    con = connect(app_env)
    try:
        con.execute("UPDATE people SET ui_mode = 'elder' WHERE username = 'wangayi'")
    finally:
        con.close()
    assert look.css("elder") in _styles(app_as("wangayi"))


def test_choosing_large_text_saves_it(app_as, app_env):
    at = app_as("wangayi", "pages/account.py")
    radio = at.radio(key="account_ui_mode_auto")
    assert radio.value == "auto"
    assert radio.options == ["自动（手机大字）", "大字大按钮", "标准"]
    radio.set_value("elder").run()
    assert not at.exception
    assert person(app_env, "wangayi").ui_mode == "elder"
    assert any("已保存" in s.value for s in at.success)
    assert at.radio(key="account_ui_mode_elder").value == "elder"


def test_a_mode_saved_on_another_device_shows_and_is_not_saved_back(app_as, app_env):
    at = app_as("wangayi", "pages/account.py")
    con = connect(app_env)
    try:
        con.execute("UPDATE people SET ui_mode = 'standard' WHERE username = 'wangayi'")
    finally:
        con.close()
    at.run()  # the next click: the person is read afresh
    assert at.radio(key="account_ui_mode_standard").value == "standard"
    assert person(app_env, "wangayi").ui_mode == "standard"
