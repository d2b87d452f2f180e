"""Connection, context and translation for pages; who is signed in, read afresh on every run.

Also the page idioms every screen shares: :func:`pick` (the Chinese or English form of a name),
:func:`run` (call a service, show its error or flash success and rerun) and the form generations
(:func:`form_generation`: a form's widget keys carry a number that moves on after a success, which
empties the form).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from habitat import i18n, settings
from habitat.clock import local, system_clock
from habitat.db import open_database
from habitat.domain.roles import Person
from habitat.errors import AuthError, HabitatError
from habitat.services import auth
from habitat.services.context import Ctx
from habitat.services.setup import init_database
from habitat.ui import safe, signin_cookie, state

ROUTER = "garden_app.py"
_LOG = logging.getLogger("habitat")


@st.cache_resource(max_entries=1)
def config() -> settings.Config:
    return settings.load()


@st.cache_resource(max_entries=2)
def _connection(db_path: str):
    """One DuckDB connection per process; sessions take their own cursor from it."""
    path = Path(db_path)
    if not path.exists():
        init_database(path, demo=False)
    return open_database(path)


_threads = threading.local()


def _cursor():
    """A cursor of this thread's own.

    A DuckDB connection (and each cursor) runs one call at a time. A session's script runs can
    overlap — a click arrives while a slow query of the previous run is still going (Streamlit can
    only stop a run between st.* calls), and fragments run in worker threads — so a cursor kept in
    session state was used by two threads at once ("connection is busy"). One cursor per thread
    cannot be; a thread's cursor ends with the thread.
    """
    try:
        connection = _connection(str(config().db_path))
    except HabitatError as err:
        # The full reason (path, the other program's PID) is for the server log only: the page
        # is shown to anyone, before we know who they are.
        _LOG.error("cannot open the database: %s", err)
        st.error(t("db.unavailable"))
        st.stop()
    mine = getattr(_threads, "cursor", None)
    if mine is None or mine[0] is not connection:
        mine = (connection, connection.cursor())
        _threads.cursor = mine
    return mine[1]


def anonymous_ctx() -> Ctx:
    """A context with nobody signed in (the sign-in form)."""
    return Ctx(con=_cursor(), user=None, config=config(), clock=system_clock)


def current_person() -> Person | None:
    """The signed-in person, read from the database now (active, role, groups), or None.

    This browser's session row is found by its id (kept in session state) or, in a new session after a
    reload, by the sign-in cookie. A session that ended (sign-out elsewhere, deactivation, password reset,
    idle timeout) is forgotten here, the cookie is cleared, and the reason is shown on the sign-in form.
    """
    base = anonymous_ctx()
    session_id = st.session_state.get(state.SESSION)
    token = None if session_id is not None else signin_cookie.token_from_browser()
    if session_id is None and token is None:
        return None
    try:
        sid, person = auth.resume(base, session_id=session_id, token=token)
    except AuthError as err:
        _forget_session()
        if session_id is not None or token is not None:
            flash("info", err.message(lang()))
        return None
    if session_id is None:  # resumed from the cookie: a reload, a new tab, a reconnect
        st.session_state[state.SESSION] = sid
        st.session_state.setdefault(state.LANG, person.language)
    return person


def ctx() -> Ctx:
    """The context for a page: this session's cursor, the signed-in person as the database has it now.

    Every page calls this first. Nobody signed in (or the account was switched off since the last
    click): the page stops and the sign-in form is shown instead, whatever URL was opened.
    """
    if state.ROUTED not in st.session_state:
        # Right after a server start Streamlit runs pages/<x>.py directly until the router has run once:
        # go through the router (it shows the sign-in form and comes back here afterwards).
        remember_requested_page()
        st.switch_page(ROUTER)
    person = current_person()
    if person is None:
        # The session ended since the last click (or this is a fragment's rerun): sign in right here;
        # after signing in, this page runs again with the person.
        sign_in_form()
        st.stop()
    return Ctx(con=_cursor(), user=person, config=config(), clock=system_clock)


def file_uploader(label: str, *, button: str = "photos.pick_button", type: list[str] | None = None, **kwargs):
    """st.file_uploader in the reader's language. Streamlit's own uploader says "Upload" and
    "200MB per file • JPG, …" in English whatever the page's language (and the 200 MB and the type list
    are not the app's rules): hide that hint and put the reader's words on the button.

    ``type`` (file name endings) is checked here, not by Streamlit: Streamlit would refuse any other
    file with an English tooltip. Every file is taken; one with another ending is left out with a
    message in the reader's language. Photos pass no ``type``: the photo service refuses what it
    cannot read, in her language ("GIF 格式的图片不支持")."""
    words = t(button).replace("\\", "").replace('"', "")
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"]{display:none}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p{font-size:0}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        f'{{content:"{words}";font-size:1rem}}'
        "</style>"
    )
    chosen = st.file_uploader(label, **kwargs)
    if type is None or not chosen:
        return chosen
    endings = [e.lower().lstrip(".") for e in type]
    files = chosen if isinstance(chosen, list) else [chosen]
    kept = [f for f in files if Path(f.name).suffix.lower().lstrip(".") in endings]
    for f in files:
        if f not in kept:
            st.error(t("files.wrong_type", name=safe.md_escape(f.name), types="、".join(endings)))
    return kept if isinstance(chosen, list) else (kept[0] if kept else None)


# The table toolbar (search, download, full screen) floats over the line above a table: on a phone it
# covers the table's heading, and its buttons are labelled in English only ("Download as CSV").


def table(data, **kwargs):
    """st.dataframe as every page shows a table: an empty cell reads "—" (Streamlit writes "None"),
    no index column, full width, and no floating toolbar (it covered headings on a phone; the pages
    that need a download offer their own button). Keyword arguments go to st.dataframe."""
    kwargs.setdefault("placeholder", i18n.EMPTY)
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return st.dataframe(data, **kwargs)  # its toolbar is hidden by the style sheet (habitat.ui.look)


# Streamlit leaves the menu open over the page after a tap on a page link on a phone (streamlit#12065):
# she taps 养护任务 and still sees the menu. A static script (no user text) closes it after the tap.
_CLOSE_MENU_ON_PHONES = """<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  if (doc.defaultView.__gardenMenuCloser) return;
  doc.defaultView.__gardenMenuCloser = true;
  doc.addEventListener("click", (event) => {
    if (doc.defaultView.innerWidth > 640) return;
    if (!event.target.closest('[data-testid="stSidebarNavLink"]')) return;
    setTimeout(() => {
      const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
      const menu = doc.querySelector('[data-testid="stSidebar"]');
      if (close && menu && menu.getBoundingClientRect().right > 0) close.click();
    }, 50);
  }, true);
})();
</script>"""


def close_menu_after_navigation() -> None:
    """On a phone, close the side menu once she has tapped a page in it (call inside st.sidebar)."""
    st.html(_CLOSE_MENU_ON_PHONES, unsafe_allow_javascript=True)


def page_failed(err: Exception) -> None:
    """A page raised: the person sees a short message in her language with a reference to quote, never
    a traceback with server paths; the log has everything. GARDEN_ERROR_DETAILS=1 re-raises, so
    Streamlit shows the details (development, and the test suites that look for exceptions)."""
    ref = secrets.token_hex(3)
    _LOG.error("page failed [ref %s] at %s", ref, urlparse(st.context.url or "").path, exc_info=err)
    st.error(t("app.page_failed", ref=ref), icon=":material/error:")
    if config().error_details:
        raise err


def sign_in_form() -> None:
    """The sign-in form, with the reason a session ended (if any)."""
    st.title(t("app.title"))
    show_flash()
    st.caption(t("login.intro"))
    # enter_to_submit=False: otherwise Streamlit writes "Press Enter to submit form" in English under the
    # password box; the big 登录 button is the way in (every form in the app does the same)
    with st.form("login_form", enter_to_submit=False):
        username = st.text_input(t("login.username"), key="login_username")
        password = st.text_input(t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit"), type="primary", width="stretch")
    if submitted:
        try:
            signed = auth.sign_in(anonymous_ctx(), username, password, signin_cookie.device_from_browser())
        except HabitatError as err:
            show_error(err)
        else:
            start_session(signed)
            st.rerun()


def remember_requested_page() -> None:
    """A QR poster links to /log_sighting?garden=..&zone=..: after signing in, go there."""
    path = urlparse(st.context.url or "").path.strip("/").rsplit("/", 1)[-1]
    if path:
        st.session_state.setdefault(state.NEXT_PAGE, path)


def start_session(signed: auth.SignedIn) -> None:
    """After a successful sign-in: remember the session here and hand the browser its cookie."""
    st.session_state[state.SESSION] = signed.session_id
    st.session_state[state.COOKIE_CODE] = signin_cookie.offer(signed.token, signed.device_token)
    st.session_state.pop(state.COOKIE_CLEAR, None)
    st.session_state[state.LANG] = st.session_state.get(state.LANG, signed.person.language)


def sync_cookie() -> None:
    """Render the frame that sets or clears the sign-in cookie, while one is needed."""
    code = st.session_state.get(state.COOKIE_CODE)
    if code is not None:
        if signin_cookie.still_pending(code):
            with st.sidebar:
                signin_cookie.render_set(code)
        else:
            st.session_state.pop(state.COOKIE_CODE, None)
    elif st.session_state.get(state.COOKIE_CLEAR):
        with st.sidebar:
            signin_cookie.render_clear()


def _forget_session() -> None:
    st.session_state.pop(state.SESSION, None)
    st.session_state.pop(state.COOKIE_CODE, None)
    st.session_state[state.COOKIE_CLEAR] = True


def sign_out() -> None:
    auth.sign_out(anonymous_ctx(), st.session_state.get(state.SESSION))
    _forget_session()


def session_id() -> int | None:
    return st.session_state.get(state.SESSION)


def lang() -> str:
    if state.LANG not in st.session_state:
        st.session_state[state.LANG] = config().language
    return st.session_state[state.LANG]


def t(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def _shown_here(value):
    """A stored time in local time (dates and empty values as they are)."""
    if isinstance(value, datetime) and value == value:  # NaT is a datetime that is not equal to itself
        return local(value, ZoneInfo(config().timezone))
    return value


def date_text(value, *, year: bool = True) -> str:
    """A day in the reader's language, local time: "2026年5月3日" / "3 May 2026"; empty: "—"."""
    return i18n.date_text(_shown_here(value), lang(), year=year)


def datetime_text(value, *, year: bool = False) -> str:
    """A day and time of day in the reader's language, local time: "5月3日 14:30" / "3 May 14:30"."""
    return i18n.datetime_text(_shown_here(value), lang(), year=year)


def month_text(value) -> str:
    """A calendar month in the reader's language: "2026年5月" / "May 2026"."""
    return i18n.month_text(_shown_here(value), lang())


def show_error(err: HabitatError) -> None:
    """An error in the reader's language; values it quotes (file names, typed text) shown as text."""
    st.error(f"**{t(err.title_key)}** — {safe.error_message(err, lang())}")


def flash(kind: str, message: str) -> None:
    """A message that survives the next rerun (e.g. "saved" after a form clears)."""
    st.session_state[state.FLASH] = (kind, message)


def show_flash() -> None:
    """At the top of every page: the message a success left for this run (:func:`flash`, :func:`done`)."""
    item = st.session_state.pop(state.FLASH, None)
    if item:
        kind, message = item
        {"success": st.success, "warning": st.warning, "info": st.info}.get(kind, st.info)(message)
    saved = st.session_state.pop(state.SAVED, None)
    if saved:
        _show_saved(*saved)


# What a save offers next (:func:`done` with ``offer``): a fresh form, the running patrol.
AGAIN, BACK_TO_PATROL = "again", "patrol"


def offers(*, again: bool = True, patrol_running: bool = False) -> tuple[str, ...]:
    """The next steps after a save: "再记一条" (``again``) and, while a patrol runs, "回到巡护"."""
    return ((AGAIN,) if again else ()) + ((BACK_TO_PATROL,) if patrol_running else ())


def _show_saved(message: str, next_steps: tuple[str, ...]) -> None:
    """A save answers where she looks. The page reruns scrolled where the button was (on a phone, far
    below the top), so the message is also a toast, which shows wherever she is; at the top it stays
    with the next steps. "再记一条" only reruns: the form is already empty (its generation moved on) and
    the message goes. "回到巡护" is a link: it works whatever the next run draws."""
    st.toast(message, icon=":material/check_circle:")
    with st.container(key="saved_banner"):
        st.success(message, icon=":material/check_circle:")
        if next_steps:
            cols = st.columns(len(next_steps))
            for col, step in zip(cols, next_steps):
                if step == AGAIN:
                    col.button(t("saved.again"), key="saved_again", icon=":material/add:", width="stretch")
                elif step == BACK_TO_PATROL:
                    col.page_link(
                        "pages/patrol.py",
                        label=t("saved.back_to_patrol"),
                        icon=":material/directions_walk:",
                        width="stretch",
                    )


def pick(zh, en):
    """The reader's form of a name: ``zh`` in Chinese; in English ``en`` where it has text, else ``zh``.

    Takes single values or pandas Series (element by element, e.g. a name and a name_en column).
    """
    if lang() == "zh":
        return zh
    if isinstance(en, pd.Series):
        has_text = en.map(lambda v: isinstance(v, str) and v != "")
        return en.where(has_text, zh)
    return en if isinstance(en, str) and en else zh


# ---------------------------------------------------------------- calling a service from a form


FAILED: Any = object()  # what attempt() returns when the service refused


def form_generation(counter: str) -> int:
    """The current generation n of a form; its widget keys end in n, so a new n starts it empty."""
    return st.session_state.setdefault(counter, 0)


def next_form_generation(counter: str) -> None:
    st.session_state[counter] = form_generation(counter) + 1


def attempt(action: Callable[[], Any]) -> Any:
    """Call a service; a refusal is shown in the reader's language (the form keeps what was typed)
    and FAILED is returned."""
    try:
        return action()
    except HabitatError as err:
        show_error(err)
        return FAILED


def done(
    message: str | None,
    *,
    form: str | None = None,
    kind: str = "success",
    offer: tuple[str, ...] | None = None,
) -> NoReturn:
    """After a success: empty the form (its generation moves on), flash the message, rerun.

    With ``offer`` (a save made in the field, see :func:`offers`) the message is also a toast and comes
    with those next steps at the top of the page (:func:`show_flash`)."""
    if form:
        next_form_generation(form)
    if message and offer is not None:
        st.session_state[state.SAVED] = (message, tuple(offer))
    elif message:
        flash(kind, message)
    st.rerun()


def run(
    action: Callable[[], Any],
    success: str | Callable[[Any], str] | None = None,
    *,
    form: str | None = None,
    then: Callable[[Any], None] | None = None,
    offer: tuple[str, ...] | None = None,
) -> None:
    """Call a service; show its error (the form keeps what was typed), or (after ``then(result)``)
    flash ``success`` (a text, or a function of the result), empty ``form`` and rerun (``offer``:
    see :func:`done`)."""
    result = attempt(action)
    if result is FAILED:
        return
    if then is not None:
        then(result)
    done(success(result) if callable(success) else success, form=form, offer=offer)
