"""The lasting sign-in cookie: set and cleared by two small server routes, read at session start.

No st.* call can set a cookie, so after a sign-in the page embeds a one-pixel same-origin frame that
loads ``/_garden/session?code=…``; that route swaps the one-time code (kept here in memory for two
minutes) for the session token and answers with ``Set-Cookie: garden_session=…; HttpOnly;
SameSite=Strict``. The browser then sends the cookie with the websocket handshake of every later
session (a reload, a new tab, a reconnect after the phone slept), where ``st.context.cookies`` reads
it. The token itself is never in a URL, and the database keeps only its hash.

The routes are mounted by garden_server.py (``st.App``); under AppTest there is no server and the
frame is simply not loaded.
"""

from __future__ import annotations

import secrets
import threading
import time

import streamlit as st
from starlette.responses import Response
from starlette.routing import Route

COOKIE = "garden_session"
DEVICE_COOKIE = "garden_device"  # "known device" (services.auth.sign_in): kept after sign-out
DEVICE_MAX_AGE = 365 * 24 * 3600
SET_PATH = "/_garden/session"
CLEAR_PATH = "/_garden/signout"
CODE_SECONDS = 120
COOKIE_MAX_AGE = 30 * 24 * 3600  # the server-side session decides; this only bounds the browser's copy

_lock = threading.Lock()
_pending: dict[str, tuple[tuple[str, str | None], float]] = {}  # code -> ((token, device token), deadline)
_taken: dict[str, float] = {}  # codes already exchanged -> monotonic deadline (so the page stops asking)


def _prune(now: float) -> None:
    for table in (_pending, _taken):
        for code in [c for c, v in table.items() if (v[1] if isinstance(v, tuple) else v) < now]:
            del table[code]


def offer(token: str, device_token: str | None = None) -> str:
    """A one-time code the browser exchanges for a cookie holding ``token`` (and a new device cookie)."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        _prune(now)
        _pending[code] = ((token, device_token), now + CODE_SECONDS)
    return code


def take(code: str) -> tuple[str, str | None] | None:
    now = time.monotonic()
    with _lock:
        _prune(now)
        item = _pending.pop(code, None)
        if item is None:
            return None
        _taken[code] = now + CODE_SECONDS
        return item[0]


def still_pending(code: str) -> bool:
    with _lock:
        return code in _pending


def token_from_browser(name: str = COOKIE) -> str | None:
    """The cookie the browser sent when this session's connection opened."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser connection (AppTest, bare mode)
        return None
    return value if isinstance(value, str) and value else None


def device_from_browser() -> str | None:
    return token_from_browser(DEVICE_COOKIE)


def _frame(path: str) -> None:
    st.iframe(path, height=1, width=1, tab_index=-1, alt="sign-in")


def render_set(code: str) -> None:
    _frame(f"{SET_PATH}?code={code}")


def render_clear() -> None:
    _frame(CLEAR_PATH)


# ------------------------------------------------------------------ server side (garden_server.py)


def routes() -> list:
    blank = "<!doctype html><meta charset=utf-8><title>·</title>"

    def _response() -> Response:
        response = Response(blank, media_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def set_cookie(request) -> Response:
        taken = take(request.query_params.get("code", ""))
        response = _response()
        if taken:
            token, device = taken
            for name, value, age in (
                (COOKIE, token, COOKIE_MAX_AGE),
                (DEVICE_COOKIE, device, DEVICE_MAX_AGE),
            ):
                if value:
                    response.set_cookie(
                        name,
                        value,
                        max_age=age,
                        path="/",
                        httponly=True,
                        samesite="strict",
                        secure=request.url.scheme == "https",
                    )
        return response

    async def clear_cookie(request) -> Response:
        response = _response()
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return response

    return [Route(SET_PATH, set_cookie, methods=["GET"]), Route(CLEAR_PATH, clear_cookie, methods=["GET"])]
