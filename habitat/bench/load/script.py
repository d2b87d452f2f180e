"""The roles' scripts of the load benchmark, played over and over until the level's time is up:

volunteer  log page, photo upload, species search, save; upkeep page, one tap on a due task
expert     review page, three one-click decisions, home page
committee  dashboard, biodiversity, home page
"""

from __future__ import annotations

import re
import time

from playwright.async_api import Error as PlaywrightError

from habitat.bench.load.common import SPECIES, exact, pattern, tr
from habitat.bench.load.session import Step
from habitat.bench.load.steps import Done, Steps


class Driver(Steps):
    """Plays one session's script in one browser context."""

    async def run(self) -> None:
        """The role's script, over and over, until the deadline."""
        script = {"volunteer": self.volunteer, "expert": self.expert, "committee": self.committee}[
            self.s.role
        ]
        while True:
            self.cycle += 1
            try:
                await script()
            except Done:
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
                except Done:
                    return
                except PlaywrightError:
                    pass

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
