"""适老化 (issue 14): the display mode is saved with the account and read with the person on every run."""

from __future__ import annotations

import pytest

from habitat.db import people as people_db
from habitat.domain.roles import UI_MODES
from habitat.errors import PermissionDenied, ValidationError
from habitat.services import auth
from habitat.services.context import Ctx


def resumed(con, config, session_id: int):
    """What the router does at the top of every script run: the person, read afresh with the session."""
    _, person = auth.resume(Ctx(con=con, user=None, config=config), session_id=session_id)
    return person


def test_every_demo_account_starts_in_auto(con):
    assert con.execute("SELECT DISTINCT ui_mode FROM people").fetchall() == [("auto",)]


def test_the_mode_is_saved_and_read_again_with_the_session(con, config, make_ctx):
    wangayi = make_ctx("wangayi")
    session = auth.open_session_for(wangayi, wangayi.user.id)
    assert session.person.ui_mode == "auto"
    for mode in ("elder", "standard", "auto"):
        auth.set_ui_mode(wangayi, mode)
        assert resumed(con, config, session.session_id).ui_mode == mode  # the next click sees it
        assert people_db.by_id(con, wangayi.user.id).ui_mode == mode
    auth.set_ui_mode(wangayi, "elder")
    others = con.execute("SELECT DISTINCT ui_mode FROM people WHERE username <> 'wangayi'").fetchall()
    assert others == [("auto",)]  # only her own account changed


def test_an_unknown_mode_is_refused_and_nothing_changes(con, make_ctx):
    wangayi = make_ctx("wangayi")
    with pytest.raises(ValidationError) as info:
        auth.set_ui_mode(wangayi, "huge")
    assert info.value.key == "look.unknown_mode"
    assert "huge" in info.value.message("zh")
    assert people_db.by_id(con, wangayi.user.id).ui_mode == "auto"


def test_nobody_signed_in_cannot_set_a_mode(make_ctx):
    with pytest.raises(PermissionDenied):
        auth.set_ui_mode(make_ctx(None), "elder")


def test_a_new_account_starts_in_auto(con, make_ctx):
    from habitat.services import people

    new_id = people.create_person(
        make_ctx("liuzhuren"),
        username="laoqian",
        display_name="老钱",
        role="volunteer",
        password="hehua-qingwa-27",
    )
    assert people_db.by_id(con, new_id).ui_mode == "auto"
    assert UI_MODES[0] == "auto"
