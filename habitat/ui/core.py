"""Connection, context and translation for pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import streamlit as st

from habitat import i18n, settings
from habitat.clock import system_clock
from habitat.errors import HabitatError
from habitat.services.context import Ctx
from habitat.ui import state


@st.cache_resource(max_entries=1)
def config() -> settings.Config:
    return settings.load()


@st.cache_resource(max_entries=2)
def _connection(db_path: str):
    """One DuckDB connection per process; sessions take their own cursor from it."""
    from habitat.db import open_database
    from habitat.services.setup import init_database

    path = Path(db_path)
    if not path.exists():
        init_database(path, demo=False)
    return open_database(path)


def ctx() -> Ctx:
    """The context for this session: its own cursor, the signed-in person, the system clock."""
    cfg = config()
    if state.CURSOR not in st.session_state:
        st.session_state[state.CURSOR] = _connection(str(cfg.db_path)).cursor()
    return Ctx(
        con=st.session_state[state.CURSOR],
        user=st.session_state.get(state.USER),
        config=cfg,
        clock=system_clock,
    )


def lang() -> str:
    if state.LANG not in st.session_state:
        user = st.session_state.get(state.USER)
        st.session_state[state.LANG] = user.language if user else config().language
    return st.session_state[state.LANG]


def t(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def show_error(err: HabitatError) -> None:
    st.error(f"**{t(err.title_key)}** — {err.message(lang())}")


def flash(kind: str, message: str) -> None:
    """A message that survives the next rerun (e.g. "saved" after a form clears)."""
    st.session_state[state.FLASH] = (kind, message)


def show_flash() -> None:
    item = st.session_state.pop(state.FLASH, None)
    if item:
        kind, message = item
        {"success": st.success, "warning": st.warning, "info": st.info}.get(kind, st.info)(message)


def session_expired() -> bool:
    now = system_clock()
    last = st.session_state.get(state.LAST_ACTIVE)
    st.session_state[state.LAST_ACTIVE] = now
    return last is not None and now - last > timedelta(minutes=config().session_minutes)


def sign_out() -> None:
    for key in (state.USER, state.LAST_ACTIVE):
        st.session_state.pop(key, None)
