"""Real-browser fixtures: one `streamlit run` server per module, one headless Chromium per session.

Fixtures
  app_server      (module)  base URL "http://127.0.0.1:<port>" of a server on a copy of the demo
                            database; a str with extra attributes .db_path .photos .log_path .pid
  browser         (session) a Playwright Browser on /usr/bin/chromium
  page_at         (function) page_at("phone" | "desktop" | width, height=1800, *, locale="zh-CN",
                            animations=False) -> Page
                            in a fresh context (= a fresh Streamlit session); closed after the test
  phone_page, desktop_page  shortcuts: page_at("phone"), page_at("desktop")

Helpers (wait_idle, login, open_page, switch_language, sign_out, shot, ...) live in
browser_helpers.py next to this file.

Every test under tests/browser is marked `browser`, so `pytest -m "not browser"` (the xdist pass)
deselects them; without /usr/bin/chromium they are skipped with a loud reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, ROOT, TIMEOUT_MS

BROWSER_DIR = Path(__file__).resolve().parent
SKIP_REASON = f"{CHROMIUM} missing: browser tests SKIPPED (apt-get install -y chromium)"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A mid-range Android phone: with a mobile user agent Streamlit behaves as on a real phone
# (e.g. it closes the sidebar overlay after a page is chosen).
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
VIEWPORTS = {"phone": 390, "desktop": 1366}
# Sidebar slides and fades cost ~0.4 s per page visit on a phone; tests do not need to watch them.
NO_ANIMATIONS = """
document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; animation-duration: 0s !important; }";
  document.head.appendChild(style);
});
"""
SERVER_START_TIMEOUT = 60.0


def _under_browser_dir(item) -> bool:
    try:
        Path(str(item.path)).resolve().relative_to(BROWSER_DIR)
    except ValueError:
        return False
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/browser as `browser` before -m filtering runs; skip without Chromium."""
    have_chromium = CHROMIUM.exists()
    for item in items:
        if not _under_browser_dir(item):
            continue
        item.add_marker(pytest.mark.browser)
        if not have_chromium:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if CHROMIUM.exists():
        return
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} {SKIP_REASON}", red=True, bold=True)


# --------------------------------------------------------------------------------------- the server


class ServerURL(str):
    """The base URL, carrying where the server keeps its files."""

    db_path: Path
    photos: Path
    log_path: Path
    pid: int


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server we started, by its own PID only."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def running_server(template: Path, work: Path, **extra_env):
    """`streamlit run garden_server.py` (the app and its sign-in cookie routes) on a private copy of
    ``template`` (and its photos) in ``work``; yields the base URL; stops the server by its PID."""
    db_path = work / "garden.duckdb"
    shutil.copy(template, db_path)
    photos = work / "photos"
    if (template.parent / "photos").exists():
        shutil.copytree(template.parent / "photos", photos)  # the demo's photo files
    else:
        photos.mkdir()
    log_path = work / "server.log"
    port = _free_port()
    env = dict(
        os.environ,
        GARDEN_DB=str(db_path),
        GARDEN_PHOTOS=str(photos),
        GARDEN_LANG="zh",
        GARDEN_BASE_URL=f"http://127.0.0.1:{port}",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra_env.items()})
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "garden_server.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    url = ServerURL(f"http://127.0.0.1:{port}")
    url.db_path, url.photos, url.log_path, url.pid = db_path, photos, log_path, proc.pid
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit server exited with code {proc.returncode} before it was ready:\n"
                    f"{log_path.read_text(errors='replace')}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit server not healthy after {SERVER_START_TIMEOUT:.0f} s:\n"
                    f"{log_path.read_text(errors='replace')}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def app_server(demo_template, tmp_path_factory):
    """One server per test module on a private copy of the demo database; yields its base URL."""
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    with running_server(demo_template, tmp_path_factory.mktemp("browser_server")) as url:
        yield url


# -------------------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


@pytest.fixture
def page_at(browser):
    """page_at("phone" | "desktop" | width, height=1800, locale="zh-CN", animations=False) -> a Page
    in a new context (CSS transitions/animations switched off unless animations=True).

    "phone" = 390 px wide, touch, mobile user agent; "desktop" = 1366 px. The default height is a
    tall 1800 px so screenshots show whole pages (Streamlit scrolls inside its own container).
    """
    contexts = []

    def _open(
        width: str | int = "phone", height: int = 1800, *, locale: str = "zh-CN", animations: bool = False
    ):
        px = VIEWPORTS[width] if isinstance(width, str) else int(width)
        phone = px < VIEWPORTS["desktop"] and (width == "phone" or px <= 767)
        options = {
            "viewport": {"width": px, "height": height},
            "locale": locale,
            "timezone_id": "Asia/Shanghai",
            "device_scale_factor": 1,
        }
        if phone:
            options.update(is_mobile=True, has_touch=True, user_agent=PHONE_UA)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        if not animations:
            context.add_init_script(NO_ANIMATIONS)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []  # uncaught page errors, for tests that want to assert none
        page.on("pageerror", lambda err: page.js_errors.append(str(err)))
        return page

    yield _open
    from playwright.sync_api import Error as PlaywrightError

    for context in contexts:
        with contextlib.suppress(PlaywrightError):  # already closed with the browser
            context.close()


@pytest.fixture
def phone_page(page_at):
    return page_at("phone")


@pytest.fixture
def desktop_page(page_at):
    return page_at("desktop")
