"""AppTest helpers: the real app script on a copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from habitat.db import connect
from habitat.db import people as people_db
from habitat.ui import state  # noqa: F401 - tests import it from here
from habitat.ui.apptest import signed_in

APP = str(Path(__file__).resolve().parents[2] / "garden_app.py")


@pytest.fixture
def new_app():
    return lambda: AppTest.from_file(APP, default_timeout=30)


@pytest.fixture
def app_env(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("GARDEN_DB", str(demo_db))
    monkeypatch.setenv("GARDEN_PHOTOS", str(tmp_path / "photos"))
    monkeypatch.setenv("GARDEN_LANG", "zh")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_db
    st.cache_resource.clear()
    st.cache_data.clear()


def person(db_path, username):
    con = connect(db_path)
    try:
        row = con.execute("SELECT id FROM people WHERE username = ?", [username]).fetchall()
        return people_db.by_id(con, row[0][0])
    finally:
        con.close()


@pytest.fixture
def app_as(app_env):
    """app_as("wangayi", "pages/garden.py", lang="en") -> an AppTest signed in on that page.
    ``tabs={"dash_tab": "人员工时"}`` opens tabs that are keyed and lazy (only the open one is drawn)."""

    def _open(
        username: str,
        page: str | None = None,
        *,
        lang: str = "zh",
        query: dict | None = None,
        tabs: dict | None = None,
    ) -> AppTest:
        at = signed_in(APP, app_env, person(app_env, username).id, lang=lang)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        for k, v in (tabs or {}).items():
            at.session_state[k] = v
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return _open
