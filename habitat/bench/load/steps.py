"""The timed steps of one browser session (Playwright): a step is timed from the click (or Enter,
or file choice) until the app has run, is idle and shows one of the expected results; navigation,
signing in, and recovering after an error. The roles' scripts built on these are in script.py."""

from __future__ import annotations

import asyncio
import json
import random
import time

from playwright.async_api import Error as PlaywrightError

from habitat.bench.load.common import (
    CHANGES_JS,
    ERROR_OUTCOMES,
    POLL_MS,
    SETTLE_ROUNDS,
    SETTLE_S,
    pattern,
    tr,
)
from habitat.bench.load.cpu import own_cpu
from habitat.bench.load.photos import PhotoBox
from habitat.bench.load.session import Session, Step
from habitat.demo.town import DEMO_PASSWORD

# The error boxes on the page (exception boxes first), to tell new ones from those already shown.
ERRORS_JS = """
() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
        .map(e => e.innerText.slice(0, 600))
"""

# Done when the app is idle and one of the expected results ("alts", each a set of checks that must
# all hold) is on the page. Every alt names something that only the action's run can put there (a
# new title, a message naming the saved record, a different record), so a page that has not run yet
# never passes. An exception box or an error message that was not there before the action also ends
# the wait.
DONE_JS = """
({before, alts}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const fresh = el => !before.includes(el.innerText.slice(0, 600));
  const exc = [...document.querySelectorAll('[data-testid="stException"]')].find(fresh);
  if (exc) return {outcome: 'exception', text: exc.innerText.slice(0, 600)};
  const main = document.querySelector('[data-testid="stMain"]');
  const alerts = [...document.querySelectorAll('[data-testid="stAlert"]')].map(a => a.innerText.trim());
  const headings = main ? [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => h.textContent.trim()) : [];
  const record = headings.find(h => /^#\\d+/.test(h));
  for (const alt of alts) {
    let text = '';
    if (alt.alert) {
      const re = new RegExp(alt.alert);
      const hit = alerts.find(a => re.test(a));
      if (hit === undefined) continue;
      text = hit;
    }
    if (alt.title) {
      const h1 = main && main.querySelector('h1');
      if (!h1 || !new RegExp(alt.title).test(h1.textContent.trim())) continue;
    }
    if (alt.main && !(main && new RegExp(alt.main).test(main.innerText))) continue;
    if (alt.selectbox) {
      const boxes = main ? [...main.querySelectorAll('[data-testid="stSelectbox"]')] : [];
      const shows = b => b.innerText.includes(alt.selectbox)
        || [...b.querySelectorAll('input')].some(i => (i.value || '').includes(alt.selectbox));
      if (!boxes.some(shows)) continue;
    }
    if (alt.selector && !document.querySelector(alt.selector)) continue;
    if (alt.record === true && record === undefined) continue;
    if (typeof alt.record === 'string' && (record === undefined || record === alt.record)) continue;
    return {outcome: alt.name || 'ok', text: text || record || ''};
  }
  const err = [...document.querySelectorAll('[data-testid="stAlertContentError"]')].find(fresh);
  if (err) return {outcome: 'app_error', text: err.innerText.slice(0, 600)};
  return null;
}
"""
DIAG_JS = """
(c0) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = document.querySelector('[data-testid="stMain"]');
  return {c0, changes: window.__lt ? window.__lt.changes : null,
          state: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          h1: main && main.querySelector('h1') ? main.querySelector('h1').textContent : null,
          main: main ? main.innerText.slice(0, 400) : null};
}
"""


class Done(Exception):
    """The level's time is up: the session stops before its next action."""


class Steps:
    """Timed steps, navigation and sign-in for one session in one browser context."""

    def __init__(
        self,
        session: Session,
        page,
        *,
        url: str,
        t0: float,
        deadline: float | None,
        pace: tuple[float, float],
        step_timeout_s: float,
        photos: PhotoBox,
        rng: random.Random,
        server_pid: int | None = None,
    ) -> None:
        self.s, self.page, self.url, self.t0, self.deadline = session, page, url, t0, deadline
        self.server_pid = server_pid
        self.pace, self.timeout_ms, self.photos, self.rng = pace, step_timeout_s * 1000, photos, rng
        self.cycle = 0
        self.phase = "work"

    # ---- plumbing

    async def think(self) -> None:
        if self.pace[1] > 0:
            await asyncio.sleep(self.rng.uniform(*self.pace))
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise Done

    def main(self):
        return self.page.get_by_test_id("stMain")

    async def step(self, action: str, do, alts: list[dict], *, fresh_page: bool = False) -> dict:
        """Time ``do()`` until the app has run, is idle and shows one of ``alts``; record it."""
        before, c0 = [], -1
        if not fresh_page:
            try:
                before, c0 = await self.page.evaluate(ERRORS_JS), await self.page.evaluate(CHANGES_JS)
            except PlaywrightError:  # the page is navigating (a reload): nothing on it yet
                pass
        cpu0 = own_cpu(self.server_pid)
        started = time.monotonic()
        try:
            await do()
            result, ended = await self._until_done({"before": before, "alts": alts}, started)
        except PlaywrightError as err:  # includes Playwright's TimeoutError
            kind = "timeout" if "Timeout" in type(err).__name__ or "Timeout" in str(err)[:200] else "failed"
            result, ended = {"outcome": kind, "text": str(err).splitlines()[0][:200]}, time.monotonic()
            try:  # what the page showed when the step gave up
                result["text"] += " | " + json.dumps(
                    await self.page.evaluate(DIAG_JS, c0), ensure_ascii=False
                )
            except PlaywrightError:
                pass
        ms = (ended - started) * 1000
        cpu1 = own_cpu(self.server_pid)
        cpu_ms = None if cpu0 is None or cpu1 is None else round((cpu1 - cpu0) * 1000, 1)
        self.s.steps.append(
            Step(
                self.s.index,
                action,
                round(started - self.t0, 2),
                round(ms, 1),
                result["outcome"],
                (result.get("text") or "")[:1200],
                cpu_ms,
                self.phase,
            )
        )
        return result

    async def _until_done(self, arg: dict, started: float) -> tuple[dict, float]:
        """Wait for DONE_JS, then check that the page is still done a moment later: a save or a
        sign-in runs the script twice (st.rerun). If it was not, wait again; that time counts."""
        for _ in range(SETTLE_ROUNDS):
            remaining = self.timeout_ms - (time.monotonic() - started) * 1000
            handle = await self.page.wait_for_function(
                DONE_JS, arg=arg, polling=POLL_MS, timeout=max(1.0, remaining)
            )
            result, ended = await handle.json_value(), time.monotonic()
            seen = await self.page.evaluate(CHANGES_JS)
            await asyncio.sleep(SETTLE_S)
            if (
                await self.page.evaluate(CHANGES_JS) == seen
                and await self.page.evaluate(DONE_JS, arg) is not None
            ):
                return result, ended
        return result, ended

    def failed(self, result: dict) -> bool:
        return result["outcome"] in ERROR_OUTCOMES

    async def recover(self) -> None:
        """After an error: reload the app (the sign-in cookie brings the person back) or sign in."""
        await self.think()
        result = await self.step("reload", lambda: self.page.goto(self.url), self._landing(), fresh_page=True)
        if result["outcome"] == "form":
            await self.sign_in_form()

    def _landing(self) -> list[dict]:
        greeting = pattern("home.greeting")
        return [
            {"name": "ok", "title": greeting, "selector": '[data-testid="stSidebarNavLink"]'},
            {"name": "form", "selector": '[data-testid="stForm"] input[type="password"]'},
        ]

    async def nav(self, action: str, title_key: str, alts: list[dict]) -> dict:
        link = (
            self.page.get_by_test_id("stSidebar")
            .get_by_test_id("stSidebarNavLink")
            .filter(has=self.page.get_by_text(tr(title_key), exact=True))
        )
        return await self.step(action, lambda: link.first.click(), alts)

    async def sign_in(self) -> None:
        """Open the app and sign in through the form; errors are recorded, never raised."""
        try:
            result = await self.step(
                "page_load", lambda: self.page.goto(self.url), self._landing(), fresh_page=True
            )
            if result["outcome"] == "form":
                await self.think()
                await self.sign_in_form()
            elif self.failed(result):
                await self.recover()
        except PlaywrightError as err:
            self.s.steps.append(
                Step(
                    self.s.index,
                    "sign_in",
                    round(time.monotonic() - self.t0, 2),
                    0.0,
                    "failed",
                    str(err).splitlines()[0][:300],
                    None,
                    self.phase,
                )
            )

    async def sign_in_form(self) -> None:
        form = self.page.get_by_test_id("stForm")
        await form.get_by_label(tr("login.username"), exact=True).fill(self.s.username)
        await form.get_by_label(tr("login.password"), exact=True).fill(DEMO_PASSWORD)
        button = form.get_by_role("button", name=tr("login.submit"))
        result = await self.step("sign_in", lambda: button.click(), self._landing()[:1])
        if self.failed(result):
            await self.recover()

    async def checked(self, action: str, coro) -> dict:
        result = await coro
        if self.failed(result):
            await self.recover()
        return result
