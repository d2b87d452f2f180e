"""One browser session's script (Playwright): sign in, then its role's steps, each timed click to idle."""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from habitat.bench.load.common import (
    CHANGES_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ERROR_OUTCOMES,
    POLL_MS,
    RAMP_GAP_S,
    ROSTER,
    SETTLE_ROUNDS,
    SETTLE_S,
    SPECIES,
    VIEWPORT,
    exact,
    pattern,
    tr,
)
from habitat.bench.load.cpu import CpuSampler, own_cpu
from habitat.bench.load.photos import PhotoBox
from habitat.demo.town import DEMO_PASSWORD

INIT_SCRIPT = """
window.__lt = {changes: 0};
new MutationObserver(records => { window.__lt.changes += records.length; })
  .observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation-duration: 0s !important; }';
  document.head.appendChild(style);
});
"""

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


# --------------------------------------------------------------------------------------- sessions


class _Done(Exception):
    """The level's time is up: the session stops before its next action."""


@dataclass
class Step:
    session: int
    action: str
    at_s: float
    ms: float
    outcome: str
    text: str = ""
    server_cpu_ms: float | None = None  # the server's CPU during the step (alone only when N = 1)
    phase: str = "work"  # "ramp": opening the app and signing in, before the measured window


@dataclass
class Session:
    index: int
    role: str
    username: str
    steps: list[Step] = field(default_factory=list)
    saved_sightings: list[int] = field(default_factory=list)
    # photo file names each saved sighting should carry: every photo this person put in the form since
    # the last save (a photo left in an unsaved form is kept by the draft and saved with the next one)
    sighting_photos: dict[int, list[str]] = field(default_factory=dict)
    pending_photos: list[str] = field(default_factory=list)
    task_logs: int = 0
    decisions: list[int] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    js_errors: list[str] = field(default_factory=list)


class Driver:
    """Plays one session's script in one browser context."""

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
            raise _Done

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

    # ---- the scripts

    async def run(self) -> None:
        """The role's script, over and over, until the deadline."""
        script = {"volunteer": self.volunteer, "expert": self.expert, "committee": self.committee}[
            self.s.role
        ]
        while True:
            self.cycle += 1
            try:
                await script()
            except _Done:
                return
            except PlaywrightError as err:  # outside a timed step (e.g. reading the page during a reload)
                self.s.steps.append(
                    Step(
                        self.s.index,
                        "script",
                        round(time.monotonic() - self.t0, 2),
                        0.0,
                        "failed",
                        str(err).splitlines()[0][:300],
                        None,
                        self.phase,
                    )
                )
                try:
                    await self.recover()
                except _Done:
                    return
                except PlaywrightError:
                    pass

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

    async def volunteer(self) -> None:
        page, main = self.page, self.main()
        await self.think()
        r = await self.checked(
            "open_log_page",
            self.nav("open_log_page", "nav.log_sighting", [{"title": exact(tr("log.title"))}]),
        )
        if self.failed(r):
            return
        await self.think()
        photo = self.photos.next(self.s.username)
        uploader = page.get_by_test_id("stFileUploaderDropzoneInput").first
        r = await self.checked(
            "upload_photo",
            self.step(
                "upload_photo",
                lambda: uploader.set_input_files(photo),
                [{"main": pattern("photos.hint_time")}],
            ),
        )
        if r["outcome"] == "ok":
            self.s.pending_photos.append(photo["name"])
        if self.failed(r):
            return
        await self.think()
        query, name = SPECIES[(self.s.index + self.cycle) % len(SPECIES)]
        box = main.get_by_label(tr("picker.search"), exact=True)
        await box.fill(query)
        r = await self.checked(
            "search_species", self.step("search_species", lambda: box.press("Enter"), [{"selectbox": name}])
        )
        if self.failed(r):
            return
        await self.think()
        save = main.get_by_role("button", name=tr("log.save"), exact=True)
        saved_re = pattern("log.saved", id=r"(\d+)")
        r = await self.checked(
            "save_sighting", self.step("save_sighting", lambda: save.click(), [{"alert": saved_re}])
        )
        if r["outcome"] == "ok":
            sid = int(re.search(saved_re, r["text"]).group(1))
            self.s.saved_sightings.append(sid)
            self.s.sighting_photos[sid], self.s.pending_photos = sorted(self.s.pending_photos), []
        elif self.failed(r):
            return
        await self.think()
        r = await self.checked(
            "open_upkeep_page",
            self.nav("open_upkeep_page", "nav.upkeep", [{"title": exact(tr("upkeep.title"))}]),
        )
        if self.failed(r):
            return
        await self.think()
        done = main.get_by_role("button", name=tr("upkeep.done"), exact=True)
        details = main.get_by_role("button", name=tr("upkeep.save_details"), exact=True)
        if await done.count():
            action, button = "tick_upkeep", done.first
        elif await details.count():
            action, button = "log_upkeep_details", details.first
        else:
            self.s.skipped["upkeep_nothing_due"] = self.s.skipped.get("upkeep_nothing_due", 0) + 1
            return
        r = await self.checked(
            action, self.step(action, lambda: button.click(), [{"alert": pattern("upkeep.logged")}])
        )
        if r["outcome"] == "ok":
            self.s.task_logs += 1

    async def expert(self) -> None:
        main = self.main()
        await self.think()
        review_title = exact(tr("review.title"))
        empty = {"name": "queue_empty", "title": review_title, "alert": pattern("review.queue_empty")}
        r = await self.checked(
            "open_review_page",
            self.nav("open_review_page", "nav.review", [{"title": review_title, "record": True}, empty]),
        )
        if self.failed(r):
            return
        accept = main.get_by_role("button", name=tr("status.accepted_correct"), exact=True)
        for _ in range(3):
            if r["outcome"] == "queue_empty":
                self.s.skipped["review_queue_empty"] = self.s.skipped.get("review_queue_empty", 0) + 1
                break
            current = r["text"]  # the record heading "#123 ..."
            record_id = int(re.match(r"#(\d+)", current).group(1))
            await self.think()
            decided_re = pattern("review.decided", id=str(record_id))
            r = await self.step(
                "decide_record",
                lambda: accept.first.click(),
                [
                    {"name": "ok", "alert": decided_re},
                    # someone else decided it first: the page shows the next record, no decision was made
                    {"name": "superseded", "record": current},
                    empty,
                ],
            )
            if r["outcome"] == "ok":
                self.s.decisions.append(record_id)
                r = {"outcome": "ok", "text": await self._record_heading()}
                if not r["text"]:
                    r["outcome"] = "queue_empty"
            elif r["outcome"] == "app_error" and re.search(pattern("review.conflict"), r["text"]):
                self.s.steps[-1].outcome = "conflict"  # the app's own message: nothing was overwritten
                break
            elif self.failed(r):
                await self.recover()
                return
        await self.think()
        await self.checked("open_home_page", self.nav("open_home_page", "nav.home", self._landing()[:1]))

    async def _record_heading(self) -> str:
        headings = await self.main().locator("h1, h2, h3, h4, h5, h6").all_text_contents()
        return next((h.strip() for h in headings if re.match(r"#\d+", h.strip())), "")

    async def committee(self) -> None:
        await self.think()
        await self.checked(
            "open_dashboard",
            self.nav(
                "open_dashboard",
                "nav.dashboard",
                [{"title": exact(tr("dash.title")), "selector": '[data-testid="stPlotlyChart"]'}],
            ),
        )
        await self.think()
        await self.checked(
            "open_biodiversity",
            self.nav(
                "open_biodiversity",
                "nav.biodiversity",
                [{"title": exact(tr("bio.title")), "selector": '[data-testid="stPlotlyChart"]'}],
            ),
        )
        await self.think()
        await self.checked("open_home_page", self.nav("open_home_page", "nav.home", self._landing()[:1]))


async def _new_page(browser, timeout_ms: float):
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(timeout_ms)
    await context.add_init_script(INIT_SCRIPT)
    page = await context.new_page()
    return context, page


async def _warm_up(browser, url: str, photos: PhotoBox, step_timeout_s: float, log) -> dict[str, Any]:
    """Every page of the script once, without writing anything: the server imports its modules and
    fills its caches before the clock starts (a running server is warm)."""
    started = time.monotonic()
    outcomes = []
    for role, username in (("committee", "liuzhuren"), ("expert", "zhanggong"), ("volunteer", "wangayi")):
        context, page = await _new_page(browser, step_timeout_s * 1000)
        session = Session(-1, role, username)
        d = Driver(
            session,
            page,
            url=url,
            t0=started,
            deadline=None,
            pace=(0, 0),
            step_timeout_s=step_timeout_s,
            photos=photos,
            rng=random.Random(0),
        )
        await d.sign_in()
        if role == "committee":
            await d.nav("open_dashboard", "nav.dashboard", [{"title": exact(tr("dash.title"))}])
            await d.nav("open_biodiversity", "nav.biodiversity", [{"title": exact(tr("bio.title"))}])
        elif role == "expert":
            await d.nav("open_review_page", "nav.review", [{"title": exact(tr("review.title"))}])
        else:
            await d.nav("open_upkeep_page", "nav.upkeep", [{"title": exact(tr("upkeep.title"))}])
            await d.nav("open_log_page", "nav.log_sighting", [{"title": exact(tr("log.title"))}])
            uploader = page.get_by_test_id("stFileUploaderDropzoneInput").first
            await d.step(
                "upload_photo",
                lambda: uploader.set_input_files(photos.next(username)),
                [{"main": pattern("photos.hint_time")}],
            )
        outcomes += [(s.action, s.outcome, round(s.ms)) for s in session.steps]
        await context.close()
    bad = [o for o in outcomes if o[1] in ERROR_OUTCOMES]
    log(f"  warm-up {time.monotonic() - started:.1f} s: {outcomes}")
    return {"seconds": round(time.monotonic() - started, 1), "steps": len(outcomes), "errors": bad}


async def drive_level(
    n: int,
    url: str,
    server_pid: int,
    *,
    seconds: float,
    pace: tuple[float, float],
    step_timeout_s: float,
    photos: PhotoBox,
    seed: int,
    log,
) -> dict[str, Any]:
    rng = random.Random(seed * 1000 + n)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            warm = await _warm_up(browser, url, photos, step_timeout_s, log)
            sessions, pages, contexts = [], [], []
            for i in range(n):
                role, username = ROSTER[i % len(ROSTER)]
                context, page = await _new_page(browser, step_timeout_s * 1000)
                session = Session(i, role, username)
                page.on("pageerror", lambda err, s=session: s.js_errors.append(str(err)[:300]))
                sessions.append(session)
                pages.append(page)
                contexts.append(context)
            drivers = [
                Driver(
                    sessions[i],
                    pages[i],
                    url=url,
                    t0=time.monotonic(),
                    deadline=None,
                    pace=pace,
                    step_timeout_s=step_timeout_s,
                    photos=photos,
                    rng=random.Random(rng.random()),
                    server_pid=server_pid,
                )
                for i in range(n)
            ]
            ramp_t0 = time.monotonic()

            async def arrive(i: int) -> None:  # people open the app one after another, then sign in
                drivers[i].phase, drivers[i].t0 = "ramp", ramp_t0
                await asyncio.sleep(i * RAMP_GAP_S)
                await drivers[i].sign_in()

            await asyncio.gather(*(arrive(i) for i in range(n)))
            ramp_s = time.monotonic() - ramp_t0
            log(
                f"  N={n}: {n} sessions opened and signed in in {ramp_s:.1f} s; measuring for {seconds:.0f} s"
            )
            sampler = CpuSampler(server_pid)
            stop = asyncio.Event()
            sampling = asyncio.create_task(sampler.run(stop))
            t0 = time.monotonic()
            deadline = t0 + seconds

            async def one(i: int) -> None:
                d = drivers[i]
                d.phase, d.t0, d.deadline = "work", t0, deadline
                await d.run()

            await asyncio.gather(*(one(i) for i in range(n)))
            stop.set()
            await sampling
            wall = time.monotonic() - t0
            for context in contexts:
                await context.close()
        finally:
            await browser.close()
    return {
        "sessions": sessions,
        "cpu": sampler.report(),
        "wall_s": round(wall, 1),
        "warm_up": warm,
        "ramp_s": round(ramp_s, 1),
    }
