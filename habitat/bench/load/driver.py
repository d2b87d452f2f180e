"""One level of the load benchmark (Playwright): one headless Chromium, a warm-up of every page, then
N sessions that open the app one after another, sign in and play their role's script until the time
is up, each step timed click to idle (session.py, steps.py, script.py)."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from playwright.async_api import async_playwright

from habitat.bench.load.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ERROR_OUTCOMES,
    RAMP_GAP_S,
    ROSTER,
    VIEWPORT,
    exact,
    pattern,
    tr,
)
from habitat.bench.load.cpu import CpuSampler
from habitat.bench.load.photos import PhotoBox
from habitat.bench.load.script import Driver
from habitat.bench.load.session import Session

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
