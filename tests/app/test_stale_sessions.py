"""AppTest: an open tab follows the account behind it at the next click."""

from habitat.db import connect
from habitat.services import people
from habitat.services.context import Ctx
from habitat.db import people as people_db
from tests.app.helpers import click, rows


def act_as_committee(db, fn):
    con = connect(db)
    try:
        liu = con.execute("SELECT id FROM people WHERE username = 'liuzhuren'").fetchall()[0][0]
        return fn(Ctx(con=con, user=people_db.by_id(con, liu)))
    finally:
        con.close()


def test_a_volunteer_switched_off_mid_form_is_signed_out_at_save_and_nothing_is_saved(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    at.text_input(key="log0_sp_q").input("cfd").run()
    at.text_area(key="log0_note").input("池塘边").run()
    before = rows(app_env, "SELECT count(*) FROM sightings")
    wang = rows(app_env, "SELECT id FROM people WHERE username = 'wangayi'")[0][0]
    act_as_committee(app_env, lambda ctx: people.set_active(ctx, wang, False))
    click(at, "保存记录")
    assert rows(app_env, "SELECT count(*) FROM sightings") == before
    assert [t.value for t in at.title] == ["生境花园日志"]  # the sign-in form
    assert any("已被居委会停用" in i.value for i in at.info)
    assert at.text_input(key="login_username") is not None


def test_a_demoted_committee_member_loses_the_management_page_at_the_next_click(app_as, app_env):
    at = app_as("zhoujie", "pages/manage.py")
    assert not at.exception
    zhou = rows(app_env, "SELECT id FROM people WHERE username = 'zhoujie'")[0][0]
    act_as_committee(app_env, lambda ctx: people.change_role(ctx, zhou, "volunteer"))
    at.run()
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    # (AppTest runs the page itself; in a browser the router shows "not open to your role" instead —
    # tests/browser/test_sessions_browser.py)
    assert "只有居委会可以管理花园" in text
    assert not at.tabs and not at.dataframe
    assert rows(app_env, "SELECT role FROM people WHERE id = ?", [zhou]) == [("volunteer",)]


def test_a_password_reset_signs_the_person_out_with_the_reason(app_as, app_env):
    at = app_as("sunayi", "pages/home.py")
    sun = rows(app_env, "SELECT id FROM people WHERE username = 'sunayi'")[0][0]
    act_as_committee(app_env, lambda ctx: people.reset_password(ctx, sun, "lotus-frog-27"))
    at.run()
    assert any("密码已被居委会重设" in i.value for i in at.info)


def test_a_database_held_by_another_program_shows_no_path_or_pid_on_the_page(
    app_env, new_app, tmp_path, monkeypatch, caplog
):
    import subprocess
    import sys
    import textwrap

    import streamlit as st

    from habitat.db import open_database

    path = tmp_path / "held.duckdb"
    open_database(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import duckdb, time
        con = duckdb.connect({str(path)!r})
        print("ready", flush=True)
        time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("GARDEN_DB", str(path))
        st.cache_resource.clear()
        at = new_app()
        with caplog.at_level("ERROR", logger="habitat"):
            at.run()
        assert not at.exception
        shown = " ".join(e.value for e in at.error)
        assert "数据库暂时无法打开" in shown
        assert str(holder.pid) not in shown and str(path) not in shown and "PID" not in shown
        assert str(holder.pid) in caplog.text  # the details are in the server's log
    finally:
        holder.kill()
        holder.wait()
        st.cache_resource.clear()
