"""Streamlit's AppTest, signed in as a known person, for the page tests and the benchmark's server-side
page renders (habitat.bench.pages imports it from here: the one benchmark module allowed to reach Streamlit)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from habitat.db import open_database
from habitat.services import auth
from habitat.services.context import Ctx
from habitat.ui import state

__all__ = ["AppTest", "st", "open_session", "signed_in"]


def open_session(db_path: Path | str, person_id: int) -> int:
    """A sign-in session for ``person_id`` (as a successful sign-in would open), returns its id."""
    con = open_database(db_path)
    try:
        return auth.open_session_for(Ctx(con=con, user=None), person_id).session_id
    finally:
        con.close()


def signed_in(
    script: Path | str, db_path: Path | str, person_id: int, *, lang: str = "zh", timeout: float = 30
) -> AppTest:
    """An AppTest of ``script`` whose session is signed in as ``person_id`` (not yet run)."""
    at = AppTest.from_file(str(script), default_timeout=timeout)
    at.session_state[state.SESSION] = open_session(db_path, person_id)
    at.session_state[state.LANG] = lang
    return at
