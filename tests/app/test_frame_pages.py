"""AppTest: sign-in, the router, home per role, the garden page and the account page."""

import json
from pathlib import Path

import pytest

from habitat.db import connect
from habitat.db import people as people_db
from habitat.demo import DEMO_PASSWORD
from habitat.services.context import Ctx
from tests.fixtures import relabel


def _texts(at):
    return " ".join(
        str(m.value) for m in list(at.markdown) + list(at.caption) + list(at.title) + list(at.subheader)
    )


def test_sign_in_with_a_demo_account_opens_the_home_page(app_env, new_app):
    at = new_app().run()
    assert at.title[0].value == "生境花园日志"
    at.text_input(key="login_username").input("wangayi")
    at.text_input(key="login_password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "王阿姨，您好！"


def test_a_wrong_password_shows_a_chinese_message_and_keeps_the_user_name(app_env, new_app):
    at = new_app().run()
    at.text_input(key="login_username").input("wangayi")
    at.text_input(key="login_password").input("wrong-password")
    at.button[0].click().run()
    assert "用户名或密码不对" in at.error[0].value
    assert at.text_input(key="login_username").value == "wangayi"


def test_volunteer_home_lists_due_tasks_with_one_tap_buttons(app_as):
    at = app_as("wangayi")
    assert "今天要做的养护" in _texts(at)
    done = [b for b in at.button if b.label == "完成 ✓"]
    assert done, "due tasks should offer a one-tap done button"
    done[0].click().run()
    assert any("已记录" in s.value for s in at.success)


def test_expert_home_shows_the_queue_size(app_as):
    at = app_as("zhanggong")
    queue = [m for m in at.metric if m.label == "待审核记录"]
    assert queue and int(queue[0].value) >= 20


def test_committee_home_shows_headline_figures_for_every_garden(app_as):
    at = app_as("liuzhuren")
    labels = [m.label for m in at.metric]
    assert labels.count("本月记录") == 4 and labels.count("未解决问题") == 4


@pytest.mark.parametrize("username", ["wangayi", "zhanggong", "liuzhuren"])
def test_garden_page_draws_the_zone_plan_for_every_role(app_as, username):
    at = app_as(username, "pages/garden.py")
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert "雨水塘" in _texts(at) or at.dataframe  # zone table present
    spec = json.loads(charts[0].proto.spec)
    assert {d["type"] for d in spec["data"]} == {"scatter"}  # offline: a plan in metres, no MapLibre map
    assert any(d.get("text") == ["A", "B", "C", "D", "E"] for d in spec["data"])  # zone codes as labels


def test_garden_page_in_english_shows_english_names(app_as):
    at = app_as("wangayi", "pages/garden.py", lang="en")
    assert at.title[0].value == "Zhongjing Habitat Garden"


def test_a_garden_preset_from_a_link_opens_that_garden(app_as):
    at = app_as("wangayi", "pages/garden.py", query={"garden": "xinsen"})
    assert at.title[0].value == "新森生境花园"


def test_account_page_changes_the_password(app_as, app_env):
    at = app_as("wangayi", "pages/account.py")
    at.text_input(key="account_old_pw").input(DEMO_PASSWORD)
    at.text_input(key="account_new_pw").input("new-secret-42")
    at.text_input(key="account_new_pw2").input("new-secret-42")
    [b for b in at.button if b.label == "修改密码"][0].click().run()
    assert at.success and "密码已修改" in at.success[0].value


def test_account_page_refuses_a_short_password_with_a_message(app_as):
    at = app_as("wangayi", "pages/account.py")
    at.text_input(key="account_old_pw").input(DEMO_PASSWORD)
    at.text_input(key="account_new_pw").input("short")
    at.text_input(key="account_new_pw2").input("short")
    [b for b in at.button if b.label == "修改密码"][0].click().run()
    assert "至少需要 8 个字符" in at.error[0].value


# The sidebar's language switch and sign-out button live in the main script; AppTest 1.67 does
# not deliver clicks to main-script widgets of a multipage app, so tests/browser covers them.


def test_a_volunteers_garden_page_shows_a_relabelled_owl_in_the_garden_only(app_as, app_env, config):
    """Security review item 6, end to end: the page a volunteer sees names neither point nor zone."""
    con = connect(app_env)
    try:

        def make_ctx(username, *, clock):
            user = people_db.by_id(
                con, con.execute("SELECT id FROM people WHERE username = ?", [username]).fetchall()[0][0]
            )
            return Ctx(con=con, user=user, config=config, clock=clock)

        owl = relabel.relabelled_owl(con, make_ctx)
    finally:
        con.close()
    for username, shows_zone in (("xiaoming", False), ("zhanggong", True)):
        at = app_as(username, "pages/garden.py", query={"garden": owl.garden_slug})
        recent = at.dataframe[-1].value  # the recent list, newest first: the owl-turned-sparrow
        assert recent.iloc[0, 1].startswith("麻雀")
        assert (recent.iloc[0]["区域"] == owl.zone_name) is shows_zone
        if not shows_zone:
            assert recent.iloc[0]["区域"] == owl.garden_name
        assert "只显示到花园" in _texts(at)  # the page says why


def test_a_failing_page_shows_a_short_message_with_a_reference_and_no_traceback(app_env, monkeypatch, caplog):
    """Red team F10: a crash showed the traceback with server paths and source lines to a volunteer. The
    router (garden_app.main) hands a page's exception to core.page_failed."""
    from streamlit.testing.v1 import AppTest

    from habitat.ui import core

    monkeypatch.setenv("GARDEN_ERROR_DETAILS", "0")
    core.config.clear()
    script = """
import streamlit as st
from habitat.ui import core

def broken():
    raise RuntimeError("boom at /srv/secret/garden.duckdb")

try:
    st.navigation([st.Page(broken, title="x", default=True)]).run()
except Exception as err:
    core.page_failed(err)
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    try:
        assert not at.exception
        shown = " ".join(e.value for e in at.error)
        assert "这一页出了问题（编号 " in shown
        ref = shown.split("编号 ")[1][:6]
        assert "secret" not in shown and "Traceback" not in shown and "RuntimeError" not in shown
        assert any(ref in r.getMessage() and r.exc_info for r in caplog.records), "the log keeps the details"
        monkeypatch.setenv("GARDEN_ERROR_DETAILS", "1")
        core.config.clear()
        at = AppTest.from_string(script, default_timeout=60).run()
        assert at.exception and "boom" in at.exception[0].message  # tests and development see it all
    finally:
        core.config.clear()
    assert "core.page_failed(err)" in (Path(__file__).resolve().parents[2] / "garden_app.py").read_text()
