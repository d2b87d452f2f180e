"""AppTest: a half-filled form comes back in a new session (a reload), photos included, and goes after saving."""

from habitat.ui.apptest import signed_in
from tests.app.conftest import APP, person
from tests.app.helpers import click, rows, uploader
from tests.fixtures import images as fx


def new_session(db, username, page):
    """A reload: a brand-new Streamlit session for the same person."""
    at = signed_in(APP, db, person(db, username).id)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_a_half_filled_sighting_with_its_photo_comes_back_after_a_reload_and_saves(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    photo = fx.make_jpeg(taken="2026:11:21 09:40:00", offset="+08:00", color=(10, 120, 30))
    uploader(at, "_files").set_value(("IMG_7.jpg", photo, "image/jpeg")).run()
    at.text_input(key="log0_sp_q").input("cfd").run()
    at.text_area(key="log0_note").input("在池塘边，翅膀有黑点").run()
    at.number_input(key="log0_count").set_value(3).run()
    assert rows(app_env, "SELECT form FROM drafts") == [("log_sighting",)]

    again = new_session(app_env, "wangayi", "pages/log_sighting.py")
    assert again.text_area(key="log0_note").value == "在池塘边，翅膀有黑点"
    assert again.number_input(key="log0_count").value == 3
    assert again.text_input(key="log0_sp_q").value == "cfd"
    assert any("已恢复上次没保存的内容" in i.value for i in again.info)
    assert any("上次选好的照片（1 张）" in c.value for c in again.caption)
    before = rows(app_env, "SELECT count(*) FROM sightings")[0][0]
    click(again, "保存记录")
    saved = rows(
        app_env,
        "SELECT s.individual_count, s.note, (SELECT count(*) FROM photos p WHERE p.sighting_id = s.id)"
        " FROM sightings s ORDER BY s.id DESC LIMIT 1",
    )
    assert saved == [(3, "在池塘边，翅膀有黑点", 1)]
    assert rows(app_env, "SELECT count(*) FROM sightings")[0][0] == before + 1
    assert rows(app_env, "SELECT count(*) FROM drafts") == [(0,)]


def test_throwing_a_draft_away_empties_the_form(app_as, app_env):
    at = app_as("wangayi", "pages/ask.py")
    at.text_area(key="ask_q0_body").input("这是杂草吗？叶子很宽").run()
    again = new_session(app_env, "wangayi", "pages/ask.py")
    assert again.text_area(key="ask_q0_body").value == "这是杂草吗？叶子很宽"
    click(again, "不要了，重新开始")
    assert again.text_area(key="ask_q0_body").value == ""
    assert rows(app_env, "SELECT count(*) FROM drafts") == [(0,)]


def test_an_untouched_form_leaves_no_draft(app_as, app_env):
    app_as("wangayi", "pages/log_sighting.py")
    app_as("wangayi", "pages/upkeep.py")
    app_as("wangayi", "pages/ask.py")
    assert rows(app_env, "SELECT count(*) FROM drafts") == [(0,)]


def test_an_upkeep_note_comes_back_after_a_reload(app_as, app_env):
    at = app_as("lishushu", "pages/upkeep.py")
    at.text_area(key="upkeep0_note").input("修剪了一半，明天继续").run()
    again = new_session(app_env, "lishushu", "pages/upkeep.py")
    assert again.text_area(key="upkeep0_note").value == "修剪了一半，明天继续"


def test_the_same_photo_chosen_again_after_a_restore_is_one_photo_not_a_crash(app_as, app_env):
    """Red team F10: she did not notice the restored photo and chose it again; the next run crashed with
    a duplicate widget key in every later visit (the draft followed her)."""
    at = app_as("zhaoshifu", "pages/log_sighting.py")
    photo = fx.make_jpeg(taken="2026:11:21 09:40:00", offset="+08:00", color=(90, 20, 130))
    uploader(at, "_files").set_value(("IMG_8.jpg", photo, "image/jpeg")).run()
    at.text_area(key="log0_note").input("两只白头鹎").run()

    again = new_session(app_env, "zhaoshifu", "pages/log_sighting.py")
    assert any("上次选好的照片（1 张）" in c.value for c in again.caption)
    uploader(again, "_files").set_value(
        ("IMG_8 (1).jpg", photo, "image/jpeg")
    ).run()  # the same picture again
    assert not again.exception, again.exception
    third = new_session(app_env, "zhaoshifu", "pages/log_sighting.py")  # the draft it left behind
    assert not third.exception, third.exception
    assert any("上次选好的照片（1 张）" in c.value for c in third.caption)
    third.text_input(key="log0_sp_q").input("白头鹎").run()
    click(third, "保存记录")
    saved = rows(
        app_env,
        "SELECT (SELECT count(*) FROM photos p WHERE p.sighting_id = s.id) FROM sightings s"
        " ORDER BY s.id DESC LIMIT 1",
    )
    assert saved == [(1,)]
