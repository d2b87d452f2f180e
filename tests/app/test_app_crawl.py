"""The server-side deep crawl: every page of every role's menu, as several people, in Chinese and in
English, with every control that chooses a record or a view exercised, and zero exceptions.

Why: an expert could not open any record with a photo (st.image(width=None) raised), and no test saw it
because the review queue opens its oldest record first and those had no photo. Tests proved what was
built, not what people do. This file does what people do: it picks every garden, month, season,
scope, event, plot, meeting decision, zone, feature, task, person, problem, partner and own record;
pages through the review queue with each status and photo filter (one expert also each garden,
recorder and group, "next" and "previous") and opens records by selecting their row, as an expert
clicks them; uploads photos where a page shows them back (log form hints, batch groups) and reloads to
see the draft come back. In AppTest every tab and expander is drawn on every run, so opening a page
opens all of them; the crawl changes what they show.

What it opens is discovered from the database, so it gets deeper as the demo data grows: the raw
value behind each option a widget shows is found by formatting database ids with the widget's own
format_func (helpers.raw_options), and helpers.spread chooses which to open: all of them up to 60,
beyond that every special one plus a spread sample. Special: a record with photos, a query thread,
an identification history or several decisions, one record of each shape (coordinates, patrol,
identified or not, counted or not, note, nest, outside the garden, planted), an event with attendance
or sign-ups, a meeting item with a decision, a task or feature with empty or unusual values. Every
special option is opened; the two languages share the work (each opens every other one) except the
first option and the first of each kind, which both open. Review records that need opening are shared
out among the experts whose own queue shows them (records no expert sees by default are opened with
every group chosen); a record the queue does not list (it shows the 200 oldest) is reached by
narrowing the filters: garden, recorder, then species.

Who: each role's first person (PRIMARY) crawls every page in full; the other people crawl in full
the pages that depend on who is signed in (home, own records, sign-ups, ideas, the review groups) and
open the others as they open (on their own home garden).

After every run: no `at.exception`, no error box naming a Python exception type, not thrown back to
the sign-in form, and the option set actually took (a label that two values share cannot be chosen).
A record with photos must show them. Failures are collected and reported together per case
(person × language × page). A crash found here in app code is marked in KNOWN_CRASHES (strict xfail,
only on the crawl's own report) and reported to whoever owns that code; it is not fixed here.

Fast enough for the suite: one test per (person, language, page), spread by xdist; one copy of the
demo database per worker; one AppTest per case, landing on its page in its first run.
`pytest tests/app/test_app_crawl.py -s` (without -n) prints a summary line at the end (CRAWL_VERBOSE=1:
views and CPU seconds per case); CRAWL_DB_TEMPLATE=x.duckdb crawls another database.

AppTest formats widget values outside the script run, where the app's `t()` reads the language from
Streamlit's one global stand-in for session state: the crawl puts its language there (and in
GARDEN_LANG), or an English label formatted in Chinese would not be found among the English options.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import time
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.elements.plotly_chart import PlotlySelectionState, PlotlyState

from habitat import i18n
from habitat.clock import SHANGHAI
from habitat.domain import principles as principle_rules
from habitat.domain import verification
from habitat.ui import core, state
from habitat.ui.apptest import AppTest, open_session
from tests.app.conftest import APP
from tests.app.helpers import (
    app_pages,
    crashes,
    pages_for,
    raw_options,
    rows,
    select_review_rows,
    spread,
    widget,
)
from tests.fixtures.images import make_jpeg

USERS = {  # README's demo accounts: two volunteers of 中泾, three experts with different groups, two committee members
    "wangayi": "volunteer",
    "xiaoming": "volunteer",
    "zhanggong": "expert",
    "chenlaoshi": "expert",
    "xuboshi": "expert",
    "liuzhuren": "committee",
    "zhoujie": "committee",
}
PRIMARY = {"volunteer": "wangayi", "expert": "zhanggong", "committee": "liuzhuren"}
EXPERTS = [u for u, r in USERS.items() if r == "expert"]
LANGS = ("zh", "en")
# Pages that depend on who is signed in: everyone crawls them in full.
# (Their default garden is their home garden on every page, so opening a page as it opens covers that.)
PERSONAL = {"pages/home.py", "pages/my_records.py", "pages/events.py", "pages/ideas.py", "pages/review.py"}
CAP = 60  # options opened whole up to this many; beyond, special ones plus a spread sample
SAMPLE = 12  # plain (not special) review records each expert opens per language, besides its specials
LANG_SHARE = {"zh": 0, "en": 1}  # which half of a shared list each language opens
ORGANISERS = ("expert", "committee")  # see the same event page (habitat.services.events.may_organise)

# Crashes found by the crawl in app code, not fixed here (other engineers own that code): case id
# pattern ("<user>-<lang>-<page stem>", fnmatch) -> reason (the traceback's last line and file:line).
KNOWN_CRASHES: dict[str, str] = {}  # none left: add one here (pattern -> reason) while its fix is pending


def case_id(user: str, lang: str, page: str) -> str:
    return f"{user}-{lang}-{Path(page).stem}"


# English runs the same code with other labels: one person per role there (the widest expert), every
# person in Chinese. Keeps the suite inside its time budget (2 cores) without dropping a page or a role.
EN_USERS = ("wangayi", "xuboshi", "liuzhuren")


def cases():
    out = []
    for user, role in USERS.items():
        for lang in (lang for lang in LANGS if lang == "zh" or user in EN_USERS):
            for page in pages_for(role):
                cid = case_id(user, lang, page)
                # raises=: only the crawl's report of what it found is expected; an error of the crawl itself is not
                marks = [
                    pytest.mark.xfail(strict=True, raises=pytest.fail.Exception, reason=reason)
                    for pattern, reason in KNOWN_CRASHES.items()
                    if fnmatch.fnmatch(cid, pattern)
                ]
                out.append(pytest.param(user, lang, page, id=cid, marks=marks[:1]))
    return out


# ------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def crawl_db(request, tmp_path_factory) -> Path:
    """One copy of the demo database (and its photos) per test process, shared by every crawl case.

    CRAWL_DB_TEMPLATE=path/to/x.duckdb crawls another database instead (its photos in the folder
    `photos` beside it), e.g. a demo being enriched in another checkout."""
    other = os.environ.get("CRAWL_DB_TEMPLATE")
    template = Path(other) if other else request.getfixturevalue("demo_template")
    folder = tmp_path_factory.mktemp("crawl")
    shutil.copy(template, folder / "garden.duckdb")
    photos = template.parent / "photos"
    if photos.exists():
        shutil.copytree(photos, folder / "photos")
    return folder / "garden.duckdb"


TOTALS: Counter = Counter()
SEEN: dict[str, set] = {
    "pages": set(),
    "roles": set(),
    "langs": set(),
    "people": set(),
    "photo_records": set(),
}
NOTES: list[str] = []
CASES: list[tuple[str, int, float]] = []  # (case, views, CPU seconds): CRAWL_VERBOSE=1 prints them


class _DropMissingContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


@pytest.fixture(scope="module", autouse=True)
def crawl_summary():
    # AppTest formats widget values outside the script run: Streamlit warns at each call. Quiet here
    # (a filter: Streamlit resets its loggers' levels).
    noisy = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    quiet = _DropMissingContext()
    noisy.addFilter(quiet)
    yield
    noisy.removeFilter(quiet)
    if TOTALS["cases"]:
        print(
            f"\ncrawl: {len(SEEN['roles'])} roles ({len(SEEN['people'])} people) × {len(SEEN['pages'])} pages × "
            f"{len(SEEN['langs'])} langs = {TOTALS['cases']:,} cases, {TOTALS['views']:,} detail views, "
            f"{TOTALS['photo_views']:,} with photos shown ({len(SEEN['photo_records']):,} records with photos opened), "
            f"{TOTALS['review_rows']:,} review rows selected, {TOTALS['failures']:,} failures, "
            f"{TOTALS['cpu']:.0f} CPU s"
        )
        if os.environ.get("CRAWL_VERBOSE"):
            for cid, views, cpu in sorted(CASES, key=lambda x: -x[2]):
                print(f"  {cid}: {views} views, {cpu:.1f} CPU s")
        for note in sorted(set(NOTES)):
            print(f"  note: {note}")


_SESSIONS: dict[tuple[str, str], int] = {}


def signed_in_app(db: Path, username: str, lang: str):
    """An AppTest signed in as `username` (one sign-in session per person and database, reused)."""
    key = (str(db), username)
    if key not in _SESSIONS:
        pid = rows(db, "SELECT id FROM people WHERE username = ?", [username])[0][0]
        _SESSIONS[key] = open_session(db, pid)
    # as habitat.ui.apptest.signed_in, with the session reused
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.SESSION] = _SESSIONS[key]
    at.session_state[state.LANG] = lang
    return at


# ----------------------------------------------------------------------------------------- crawl


class Crawl:
    """One case: a person on a page in a language; runs actions and collects what went wrong."""

    def __init__(self, db: Path, user: str, lang: str, page: str):
        self.db, self.user, self.lang, self.page = db, user, lang, page
        self.role = USERS[user]
        self.primary = PRIMARY[self.role] == user
        self.full = self.primary or page in PERSONAL
        self.share = (LANG_SHARE[lang], len(LANG_SHARE))
        self.me = rows(
            db, "SELECT id, home_garden_id, coalesce(expertise, '') FROM people WHERE username = ?", [user]
        )[0]
        self.failures: list[str] = []
        self.harness_errors = 0
        self.cpu = time.process_time()
        self.views = 0
        self.photo_views = 0
        self.photo_records: set[int] = set()
        self.default_groups: list[str] = []  # the review page's group filter as it opens
        self.reopen()

    def reopen(self) -> None:
        """A new session of the same person (a reload, another phone), landing on this case's page."""
        self.at = signed_in_app(self.db, self.user, self.lang)
        self.at.session_state[state.NEXT_PAGE] = Path(self.page).stem  # the router opens this page first

    # -- running and checking

    def q(self, sql: str, params=()):
        return rows(self.db, sql, params)

    def fail(self, action: str, problem: str) -> None:
        self.failures.append(f"{case_id(self.user, self.lang, self.page)}: {action}: {problem}")

    def run(self, action: str) -> bool:
        if self.harness_errors >= 3:
            return False  # the AppTest is stuck; the first three are reported
        try:
            self.at.run()
        except Exception as exc:  # noqa: BLE001 - the harness could not even send the widget states
            self.harness_errors += 1
            self.fail(action, f"AppTest could not run: {type(exc).__name__}: {exc}")
            return False
        self.views += 1
        problems = crashes(self.at)
        if widget(self.at, "login_username") is not None:
            problems.append("the sign-in form came up instead of the page")
        for problem in problems:
            self.fail(action, problem)
        if self.at.get("image"):
            self.photo_views += 1
        return not problems

    def options(self, key: str, candidates) -> list:
        w = widget(self.at, key)
        if w is None:
            return []
        found = raw_options(w, candidates)
        if len(found) < len(w.options):
            NOTES.append(
                f"{Path(self.page).stem}: {len(w.options) - len(found)} option(s) of {key} not matched by the crawl's candidates"
            )
        return found

    def set(self, values: dict, action: str | None = None) -> bool:
        """Set one or more widgets (by key), run once, check, and check the values took."""
        action = action or ", ".join(f"{k}={v!r}" for k, v in values.items())
        for key, value in values.items():
            w = widget(self.at, key)
            if w is None:
                self.fail(action, f"no widget {key!r} on the page")
                return False
            w.set_value(value)
        if not self.run(action):
            return False
        for key, value in values.items():
            w = widget(self.at, key)
            got = None if w is None else w.value
            if w is not None and got != value and not (isinstance(value, list) and list(got or []) == value):
                self.fail(
                    action,
                    f"{key} shows {got!r}, not the chosen {value!r} (two options with the same label?)",
                )
                return False
        return True

    def click(self, key: str) -> bool:
        button = next((b for b in self.at.button if b.key == key), None)
        if button is None:
            self.fail(f"click {key}", "no such button")
            return False
        button.click()
        return self.run(f"click {key}")

    def each(self, key: str, candidates, special=(), *, cap: int = CAP, shared=True, both=None):
        """Choose, one after another, the options of `key` to open (helpers.spread: the languages share
        the work unless `shared` is False or another (i, n); `both` defaults to the first option); yields
        each value that opened cleanly."""
        values = self.options(key, candidates)
        both = values[:1] if both is None else both
        share = (self.share if shared is True else shared) or None
        for value in spread(values, special, cap, share=share, both=both):
            current = widget(self.at, key)
            if current is not None and current.value == value:
                yield value  # the last run already showed it
            elif self.set({key: value}):
                yield value

    def gardens(self, key: str = state.GARDEN, only=None):
        """Each garden in turn (or those with ids in `only`; only the one the page opened on, when this
        case is not crawled in full)."""
        if not self.full:
            yield None
            return
        ids = dict(self.q("SELECT slug, id FROM gardens ORDER BY id"))
        for slug in self.options(key, list(ids)):
            if only is not None and ids[slug] not in only:
                continue
            current = widget(self.at, key)
            if (current is not None and current.value == slug) or self.set({key: slug}):
                yield ids[slug]

    def photos_shown(self, record: int, action: str, root=None) -> None:
        """A record with photos was opened: its photos must be on the page."""
        where = root if root is not None else self.at
        missing = i18n.t("photos.missing_file", self.lang)
        if not where.get("image"):
            self.fail(action, f"record #{record} has photos but none is shown")
        elif any(c.value == missing for c in self.at.caption):
            self.fail(action, f"record #{record}: a photo file is missing")
        else:
            self.photo_records.add(record)

    def check_title(self) -> None:
        source = (Path(APP).parent / self.page).read_text(encoding="utf-8")
        match = re.search(r"""st\.title\(\s*t\(\s*["']([\w.]+)["']\s*\)\s*\)""", source)
        if match and not any(t.value == i18n.t(match.group(1), self.lang) for t in self.at.title):
            self.fail(
                "open",
                f"the page's title {i18n.t(match.group(1), self.lang)!r} is not shown "
                f"(titles: {[t.value for t in self.at.title]})",
            )

    def report(self) -> None:
        TOTALS["cases"] += 1
        TOTALS["views"] += self.views
        TOTALS["photo_views"] += self.photo_views
        TOTALS["failures"] += len(self.failures)
        TOTALS["cpu"] += time.process_time() - self.cpu
        CASES.append((case_id(self.user, self.lang, self.page), self.views, time.process_time() - self.cpu))
        SEEN["pages"].add(self.page)
        SEEN["roles"].add(self.role)
        SEEN["langs"].add(self.lang)
        SEEN["people"].add(self.user)
        SEEN["photo_records"] |= self.photo_records
        if self.failures:
            pytest.fail(f"{len(self.failures)} problem(s):\n" + "\n".join(self.failures), pytrace=False)


# ------------------------------------------------------------------------------ page crawlers
# Each takes the Crawl after the page opened. Widget keys are the pages' own (habitat/ui, pages/).


def crawl_garden(c: Crawl) -> None:
    for _ in c.gardens():
        pass


def crawl_log_sighting(c: Crawl) -> None:
    for _ in c.gardens():
        pass
    if not c.full:
        return
    k = f"log{c.at.session_state['log_form_n']}"
    zh_name, en_name = c.q(
        """SELECT chinese_name, english_name FROM species
           WHERE accepted_id IS NULL AND english_name IS NOT NULL ORDER BY id LIMIT 1"""
    )[0]
    query = zh_name if c.lang == "zh" else en_name
    if c.set({f"{k}_sp_q": query}, "search a species"):
        species = widget(c.at, f"{k}_sp_sel_{query}")
        if species is None or species.value is None:
            c.fail("search a species", f"no species chosen for {query!r}")
        elif c.set({f"{k}_sp_sel_{query}": -1}, "species: I don't know"):  # forms.UNKNOWN
            group = widget(c.at, f"{k}_sp_group")
            if group is None:
                c.fail("species: I don't know", "no group picker")
    lat, lon = c.q(
        "SELECT centre_lat, centre_lon FROM gardens WHERE slug = ?", [c.at.session_state[state.GARDEN]]
    )[0]
    uploads = {
        "photo with time and GPS": make_jpeg(160, 120, gps=(lat, lon), taken="2026:05:14 09:30:12"),
        "photo without EXIF": make_jpeg(160, 120, taken=None, offset=None),
    }
    for action, data in uploads.items():
        w = widget(c.at, f"{k}_files")
        w.set_value([("crawl.jpg", data, "image/jpeg")])
        c.run(action)
    # the form with its photo was kept as a draft: a new session (a reload) shows it, then throws it away
    c.reopen()
    if c.run("reload: the draft comes back"):
        if not any(b.key == "draft_log_sighting_discard" for b in c.at.button):
            c.fail("reload: the draft comes back", "no draft offered")
        else:
            if not c.at.get("image"):
                c.fail("reload: the draft comes back", "the draft's photo is not shown")
            c.click("draft_log_sighting_discard")


def crawl_patrol(c: Crawl) -> None:
    if widget(c.at, "patrol_protocol") is None:
        return  # a patrol is running: the page shows it (already checked)
    for _ in c.gardens():
        pass
    if not c.full:
        return
    if c.click("patrol_start"):
        if not any(b.key == "patrol_end" for b in c.at.button):
            c.fail("click patrol_start", "no running patrol shown")
        else:
            c.click("patrol_end")


def crawl_upkeep(c: Crawl) -> None:
    tasks = [i for (i,) in c.q("SELECT id FROM task_defs ORDER BY id")]
    for _ in c.gardens():
        if widget(c.at, "upkeep_task") is not None:
            for _task in c.each("upkeep_task", tasks, cap=2, shared=False):  # a form's target: first and last
                pass


def crawl_batch(c: Crawl) -> None:
    for _ in c.gardens():
        pass
    if not c.full:
        return
    n = c.at.session_state["batch_form_n"]
    files = [
        ("a.jpg", make_jpeg(160, 120, taken="2026:05:14 09:30:12"), "image/jpeg"),
        ("b.jpg", make_jpeg(160, 120, taken="2026:05:14 09:52:40", color=(200, 80, 40)), "image/jpeg"),
        ("c.jpg", make_jpeg(160, 120, taken=None, offset=None, color=(40, 80, 200)), "image/jpeg"),
    ]
    widget(c.at, f"batch{n}_files").set_value(files)
    if c.run("upload three photos") and len(c.at.get("image")) < 2:
        c.fail("upload three photos", "the photo groups are not shown")


def crawl_ask(c: Crawl) -> None:
    for _ in c.gardens():
        pass


def crawl_my_records(c: Crawl) -> None:
    if widget(c.at, "mine_pick") is None:
        return  # no records yet: the page says so
    records = c.q(
        """SELECT s.id,
                  (SELECT count(*) FROM photos p WHERE p.sighting_id = s.id AND NOT p.withdrawn) > 0 AS photos,
                  s.queried OR EXISTS (SELECT 1 FROM comments m WHERE m.sighting_id = s.id) AS thread,
                  s.identification_verification_status AS status
           FROM sightings s WHERE s.recorded_by = ? ORDER BY s.id""",
        [c.me[0]],
    )
    photos = {r[0] for r in records if r[1]}
    special = {r[0] for r in records if r[1] or r[2]}
    firsts = {
        kind: r[0] for r in reversed(records) for kind in (("photos",) * r[1] + ("thread",) * r[2] + (r[3],))
    }
    # The page rebuilds the label of every own record on each choice (about 0.7 s for 400 records):
    # a smaller sample of the plain ones than elsewhere.
    for record in c.each(
        "mine_pick", [r[0] for r in records], special, cap=len(special) + 8, both=set(firsts.values())
    ):
        if record in photos:
            c.photos_shown(record, f"mine_pick={record}")


def crawl_events(c: Crawl) -> None:
    me = c.me[0]
    info = c.q(
        """SELECT e.id,
                  EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id) AS attendance,
                  EXISTS (SELECT 1 FROM event_signups s WHERE s.event_id = e.id AND NOT s.withdrawn) AS signups,
                  EXISTS (SELECT 1 FROM event_signups s WHERE s.event_id = e.id AND s.person_id = ?)
                   OR EXISTS (SELECT 1 FROM event_attendance a WHERE a.event_id = e.id AND a.person_id = ?)
                   OR e.host_id = ? OR e.created_by = ? AS mine,
                  e.kind, e.cancelled
           FROM events e ORDER BY e.id""",
        [me, me, me, me],
    )
    events = [r[0] for r in info]
    if c.primary:
        special = {r[0] for r in info if r[1] or r[2] or r[3] or r[4] in ("bioblitz", "meeting") or r[5]}
        cap = CAP
        both = set({(r[4], r[5], r[1]): r[0] for r in reversed(info)}.values())  # first of each kind
        only = None
        if c.role in ORGANISERS:  # an expert and the committee see the same event page: they share them too
            share = (ORGANISERS.index(c.role) * 2 + c.share[0], 2 * len(ORGANISERS))
        else:
            share = True
    else:  # the others: the events that are theirs, in the gardens that have them
        special = {r[0] for r in info if r[3]}
        cap, both, share = 1, None, True
        sql = "SELECT DISTINCT garden_id FROM events WHERE list_contains(?::BIGINT[], id)"
        only = {g for (g,) in c.q(sql, [sorted(special)])}
    plots = [i for (i,) in c.q("SELECT id FROM plots ORDER BY id")]
    for _ in c.gardens(only=only):
        if widget(c.at, "events_pick") is not None:
            for _event in c.each("events_pick", events, special, cap=cap, both=both, shared=share):
                pass
        if widget(c.at, "events_plot") is not None and c.primary:
            for _plot in c.each("events_plot", plots, shared=False):
                pass


def crawl_ideas(c: Crawl) -> None:
    for _ in c.gardens():
        c.set({"ideas_show_closed": True}, "show closed ideas")
        c.set({"ideas_show_closed": False}, "hide closed ideas")


def crawl_partners(c: Crawl) -> None:
    if not c.full or widget(c.at, "partners_edit_pick") is None:
        return  # not the committee: the directory only
    partners = [i for (i,) in c.q("SELECT id FROM partners ORDER BY id")]
    for _ in c.each("partners_edit_pick", [None] + partners, shared=False):
        pass
    people = [i for (i,) in c.q("SELECT id FROM people ORDER BY id")]
    for _ in c.each("partners_link_person", people):
        pass


def crawl_meetings(c: Crawl) -> None:
    items = [i for (i,) in c.q("SELECT id FROM meeting_items ORDER BY id")]
    decided = [
        i for (i,) in c.q("SELECT id FROM meeting_items WHERE decision IS NOT NULL AND decision <> ''")
    ]
    followup_done = False
    for _ in c.gardens():
        if widget(c.at, "meet_fu_item") is not None:
            for _item in c.each("meet_fu_item", items, decided):
                pass
            if c.full and not followup_done:  # the follow-up form as a problem report instead of a task
                kind = next(
                    (
                        w.key
                        for w in c.at.radio
                        if w.key and w.key.startswith("meet_fu") and w.key.endswith("_kind")
                    ),
                    None,
                )
                if kind:
                    followup_done = c.set({kind: "problem"}, "follow-up: a problem report")
        if c.full:  # an agenda item with a follow-up (task, then problem)
            tick = next(
                (
                    w.key
                    for w in c.at.checkbox
                    if w.key and w.key.startswith("meet") and w.key.endswith("_fu")
                ),
                None,
            )
            if tick and c.set({tick: True}, "meeting item: add a follow-up"):
                c.set({f"{tick}_kind": "problem"}, "meeting item follow-up: a problem report")
                c.set({tick: False}, "meeting item: no follow-up")


def crawl_principles(c: Crawl) -> None:
    first = True
    for _ in c.gardens():
        if first and c.full:  # every season, in the first garden
            today = datetime.now(SHANGHAI).date()
            for _season in c.each("princ_season", principle_rules.recent_seasons(today, 12)):
                pass
            current = principle_rules.season_of(today)
            c.set({"princ_season": current}, "back to this season")
        first = False


def crawl_checklist(c: Crawl) -> None:
    if not c.full or widget(c.at, "ck_edit_q") is None:
        return  # not allowed to edit: the table only
    species = c.q(
        """SELECT id, scientific_name, group_name, invasive, sensitive, coalesce(synonyms, '') <> ''
           FROM species WHERE accepted_id IS NULL ORDER BY id"""
    )
    names = {r[0]: r[1] for r in species}
    # the first of each group, and the first invasive, sensitive and with synonyms; a few others shared
    kinds = {}
    for r in reversed(species):
        for kind in [("group", r[2])] + [
            k for k, on in (("invasive", r[3]), ("sensitive", r[4]), ("synonyms", r[5])) if on
        ]:
            kinds[kind] = r[0]
    firsts = set(kinds.values())
    chosen = spread(list(names), cap=len(firsts) + 4, share=c.share, both=firsts)
    for sid in chosen:
        query = names[sid]
        if not c.set({"ck_edit_q": query}, f"edit {query}"):
            continue
        pick = widget(c.at, f"ck_edit_sel_{query}")
        if pick is not None and pick.value != sid:
            c.set({f"ck_edit_sel_{query}": sid}, f"edit {query}: choose it")
        if widget(c.at, f"ck_edit_{sid}_zh") is None:
            c.fail(f"edit {query}", "the species form did not open")
    c.set({"ck_edit_q": ""}, "clear the search")


def crawl_export(c: Crawl) -> None:
    if not c.full:
        return
    for kind in ("dwca", "csv", "geojson", "parquet"):
        if c.set({"export_kind": kind}) and c.click("export_go"):
            if not c.at.success:
                c.fail(f"export {kind}", "no 'done' message")
    c.set({"export_status": "all"})
    if widget(c.at, "export_exact") is not None:
        c.set({"export_exact": True})
    c.click("export_go")


def _months(c: Crawl) -> list:
    today = datetime.now(SHANGHAI).date()
    out, (y, m) = [], (today.year, today.month)
    for _ in range(14):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out


def open_lazy_tab(c: Crawl, key: str, label_key: str) -> bool:
    """Open a keyed, lazy tab (st.tabs(key=..., on_change="rerun")): only the open tab is drawn."""
    label = i18n.t(label_key, c.lang)
    c.at.session_state[key] = label
    return c.run(f"open the tab {label!r}")


def crawl_dashboard(c: Crawl) -> None:
    for tab in ("dash.hours_tab", "dash.town_tab", "dash.report_tab", "dash.upkeep_tab"):
        open_lazy_tab(c, state.DASH_TAB, tab)
    if not c.full:
        return
    gardens = [None] + [i for (i,) in c.q("SELECT id FROM gardens ORDER BY id")]
    for _ in c.each("dash_scope", gardens, shared=False):
        pass
    c.set({"dash_scope": None}, "whole town")
    months = c.options("dash_month", _months(c))
    for month in months[1:2] + months[-1:]:  # this month was opened first; the one before and the oldest
        c.set({"dash_month": month})
    c.set({"dash_month": months[0]}, "back to this month")
    open_lazy_tab(c, state.DASH_TAB, "dash.hours_tab")
    for month in months[1:2]:
        c.set({"dash_month": month}, "hours of last month")
    open_lazy_tab(c, state.DASH_TAB, "dash.report_tab")
    if widget(c.at, "dash_make_report") is not None and c.role == "committee":
        if c.click("dash_make_report") and not any(
            b.key == "dash_report_download" for b in c.at.get("download_button")
        ):
            c.fail("make the monthly report", "no download button")


def _plot_selection(zone_ids: list[int]) -> PlotlyState:
    """What st.plotly_chart(on_select=...) returns after zones were clicked on the garden plan (each
    zone marker carries [zone id, code, name, value] as customdata: habitat.charts.maps)."""
    points = [{"customdata": [z, "", "", 0]} for z in zone_ids]
    return PlotlyState(
        {
            "selection": PlotlySelectionState(
                {"points": points, "point_indices": list(range(len(points))), "box": [], "lasso": []}
            )
        }
    )


def crawl_biodiversity(c: Crawl) -> None:
    if not c.full:
        return
    gardens = [i for (i,) in c.q("SELECT id FROM gardens ORDER BY id")]
    zones = {
        g: [z for (z,) in c.q("SELECT id FROM zones WHERE garden_id = ? ORDER BY id", [g])] for g in gardens
    }
    for garden in c.options("dash_scope", [None] + gardens):
        # each scope; in a garden, a zone clicked on its plan too (the zone table then shows only that zone)
        zone = zones.get(garden, [None])[0] if garden is not None else None
        c.at.session_state["bio_zone_map"] = _plot_selection([zone] if zone else [])
        if c.set({"dash_scope": garden}, f"scope {garden}, zone {zone} selected on the plan") and zone:
            if not any(cap.value == i18n.t("bio.filtered_zones", c.lang, n=1) for cap in c.at.caption):
                c.fail(f"scope {garden}: select zone {zone}", "the zone table is not filtered")
    c.at.session_state["bio_zone_map"] = _plot_selection([])
    for metric in ("records", "task_logs"):
        c.set({"bio_metric": metric})
    months = c.options("dash_month", _months(c))
    c.set({"dash_month": months[-1]}, "the oldest month")
    c.set({"bio_accepted": True}, "accepted records only (the default is all but rejected)")


def _firsts(shapes) -> set:
    """The first id of each shape, from (id, *shape) rows in id order."""
    return set({tuple(shape): i for i, *shape in reversed(list(shapes))}.values())


def crawl_manage(c: Crawl) -> None:
    if not c.full or widget(c.at, "manage_person_pick") is None:
        return
    # (id, garden, *shape): the first of each shape (empty or unusual values) is opened in both languages,
    # and so is every garden that holds one; the languages share the other gardens
    pickers = {
        "manage_zone_pick": c.q("SELECT id, garden_id, name_en IS NULL FROM zones ORDER BY id"),
        "manage_feature_pick": c.q("""SELECT id, garden_id, zone_id IS NULL, checked_on IS NULL,
                                      coalesce(provides, '') = '' FROM features ORDER BY id"""),
        "manage_task_pick": c.q(
            "SELECT id, garden_id, zone_id IS NULL, every_days > 366 FROM task_defs ORDER BY id"
        ),
    }
    firsts = {key: _firsts((i, *shape) for i, _garden, *shape in found) for key, found in pickers.items()}
    gardens = [g for (g,) in c.q("SELECT id FROM gardens ORDER BY id")]
    both = {g for key, found in pickers.items() for i, g, *_ in found if i in firsts[key]}
    for _ in c.gardens(only=set(spread(gardens, share=c.share, both=both))):
        for key, found in pickers.items():
            if widget(c.at, key) is not None:
                for _value in c.each(key, [i for i, *_ in found], both=firsts[key]):
                    pass
    people = c.q("SELECT id, role, active, home_garden_id IS NULL FROM people ORDER BY id")
    for _ in c.each("manage_person_pick", [i for i, *_ in people], both=_firsts(people)):
        pass
    if (
        c.set({"manage_problems_all": True}, "problems of all gardens")
        and widget(c.at, "manage_problem_pick") is not None
    ):
        problems = c.q("SELECT id, kind, zone_id IS NULL FROM problems ORDER BY id")
        for _ in c.each("manage_problem_pick", [i for i, *_ in problems], both=_firsts(problems)):
            pass


# ------------------------------------------------------------------------------------- review


NO_SELECTION = {"selection": {"rows": [], "columns": [], "cells": []}}


def _sees(expertise: set[str], group, rank, species_id) -> bool:
    """Does an expert's default queue (own groups) show a record? (habitat/db/review.py queue())"""
    return (
        species_id is None
        or rank not in ("species", "subspecies", "genus")
        or (group or "unknown") in expertise
    )


def _queue_ids(c: Crawl) -> list[int]:
    table = next((d for d in c.at.dataframe if "#" in d.value.columns), None)
    return [] if table is None else [int(i) for i in table.value["#"]]


def _filters(c: Crawl, action: str, **wanted) -> bool:
    """Set the queue filters (others back to their defaults) and clear the row selection."""
    values = {
        "review_status": verification.UNCONFIRMED_NOT_REVIEWED,
        "review_photo": None,
        "review_garden": None,
        "review_recorder": None,
        "review_groups": c.default_groups,
        "review_filter_sp_q": "",
    } | wanted
    select_review_rows(c.at, [])
    return c.set(values, action)


def _open_row(c: Crawl, record: int, ids: list[int], has_photos: bool, action: str) -> bool:
    index = ids.index(record)
    select_review_rows(c.at, [index])
    if not c.run(action):
        return False
    TOTALS["review_rows"] += 1
    if _heading_id(c) != record:
        c.fail(action, f"row {index} opened #{_heading_id(c)}, not #{record}")
        return False
    if has_photos:
        c.photos_shown(record, action, root=c.at.tabs[0] if c.at.tabs else None)
    return True


def _heading_id(c: Crawl) -> int | None:
    heading = next((m.value for m in c.at.markdown if m.value.startswith("### #")), "")
    match = re.match(r"### #(\d+)", heading)
    return int(match.group(1)) if match else None


def _page_through(c: Crawl, steps: int = 3) -> None:
    """ "Next" a few times and "previous" once (when the page has them): each shows the next record of the queue."""
    ids = _queue_ids(c)
    for key, delta in [("review_next", 1)] * min(steps, max(len(ids) - 1, 0)) + [("review_prev", -1)]:
        before = _heading_id(c)
        if not any(b.key == key for b in c.at.button) or before not in ids:
            return
        if c.click(key) and _heading_id(c) != ids[ids.index(before) + delta]:
            c.fail(f"click {key}", f"shows #{_heading_id(c)}, not #{ids[ids.index(before) + delta]}")


def crawl_review(c: Crawl) -> None:
    me = c.user
    expertise = {
        u: set(filter(None, e.split("|")))
        for u, e in c.q(
            f"SELECT username, coalesce(expertise, '') FROM people WHERE username IN ({', '.join('?' * len(EXPERTS))})",
            EXPERTS,
        )
    }
    groups_widget = widget(c.at, "review_groups")
    c.default_groups = list(groups_widget.value) if groups_widget is not None else sorted(expertise[me])

    # 1. the queue in each status, with and without photos, in the expert's own groups (as it opens);
    #    the statuses other than "not reviewed" are shared between the languages
    statuses = c.options("review_status", verification.STATUSES)
    if not c.primary:  # the others: their own groups as the queue opens (the statuses are the first one's)
        statuses = [verification.UNCONFIRMED_NOT_REVIEWED]
    for status in spread(statuses, share=c.share, both=[verification.UNCONFIRMED_NOT_REVIEWED]):
        for photo in (None, True, False):
            _filters(c, f"queue: {status}, photo filter {photo}", review_status=status, review_photo=photo)
    if c.primary:  # 2. each garden, each recorder, each group, every group, this week, older than 30 days
        gardens = [i for (i,) in c.q("SELECT id FROM gardens ORDER BY id")]
        for garden in spread(c.options("review_garden", [None] + gardens)[1:], share=c.share):
            _filters(c, f"queue: garden {garden}", review_garden=garden)
        people = [i for (i,) in c.q("SELECT id FROM people ORDER BY id")]
        for recorder in spread(c.options("review_recorder", [None] + people)[1:], share=c.share):
            _filters(c, f"queue: recorder {recorder}", review_recorder=recorder)
        for group in spread(c.options("review_groups", _group_order()), share=c.share):
            _filters(c, f"queue: group {group}", review_groups=[group])
        _filters(c, "queue: every group", review_groups=[])
        _filters(c, "queue: default filters")
        _page_through(c)
        c.set({"review_week": True}, "queue: this week")
        c.set({"review_week": False, "review_age": 30}, "queue: older than 30 days")
        c.set({"review_age": 0}, "queue: any age")

    # the questions tab is drawn on every run: each open question with its photos
    asked = c.q("""SELECT count(*) FROM questions q WHERE q.answer IS NULL
                   AND EXISTS (SELECT 1 FROM photos p WHERE p.question_id = q.id AND NOT p.withdrawn)""")[0][
        0
    ]
    if asked and len(c.at.tabs) > 1 and not c.at.tabs[1].get("image"):
        c.fail("questions tab", f"{asked} open question(s) with photos, no photo shown")

    # 3. open records by selecting their row: this expert's share of the special ones, and a sample
    records = c.q(
        """SELECT s.id, s.identification_verification_status, s.garden_id, s.recorded_by, sp.group_name, sp.taxon_rank,
                  s.species_id, sp.scientific_name,
                  (SELECT count(*) FROM photos p WHERE p.sighting_id = s.id AND NOT p.withdrawn) AS photos,
                  EXISTS (SELECT 1 FROM comments m WHERE m.sighting_id = s.id) OR s.queried AS thread,
                  (SELECT count(*) FROM identifications i WHERE i.sighting_id = s.id) AS identifications,
                  (SELECT count(*) FROM verifications v WHERE v.sighting_id = s.id) AS decisions,
                  [s.decimal_latitude IS NULL, s.visit_id IS NULL, s.species_id IS NULL, s.individual_count IS NULL,
                   s.note IS NULL, s.nest_or_den, s.outside_garden, s.degree_of_establishment = 'cultivated',
                   sp.taxon_rank IS DISTINCT FROM 'species'] AS shape
           FROM sightings s LEFT JOIN species sp ON sp.id = s.species_id
           WHERE NOT s.withdrawn ORDER BY s.created_at, s.id"""
    )
    by_id = {r[0]: r for r in records}
    firsts: dict = {}  # kind -> the first record of that kind (opened in both languages)
    special = []
    for r in records:
        kinds = [("shape",) + tuple(r[12])] + [
            k
            for k, on in (
                ("photos", r[8]),
                ("thread", r[9]),
                ("identifications", r[10] > 1),
                ("decisions", r[11] > 1),
            )
            if on
        ]
        new = [k for k in kinds if k not in firsts]
        for k in new:
            firsts[k] = r[0]
        if new or len(kinds) > 1:
            special.append(r[0])
    owned, every_group = [], set()
    for rid in special:
        r = by_id[rid]
        eligible = [u for u in EXPERTS if _sees(expertise[u], r[4], r[5], r[6])]
        if (eligible[rid % len(eligible)] if eligible else PRIMARY["expert"]) == me:
            owned.append(rid)
            if not eligible:
                every_group.add(rid)
    plain = [r[0] for r in records if r[0] not in set(special) and _sees(expertise[me], r[4], r[5], r[6])]
    chosen = spread(owned, cap=len(owned), share=c.share, both=set(firsts.values())) + spread(
        plain, cap=SAMPLE, share=c.share
    )

    # Reach each record as an expert would: its status (and "with photo" when it has photos) first;
    # what the queue does not list (it shows the 200 oldest) is narrowed by garden, then recorder,
    # then species. One queue view serves every record it lists.
    recorders = set(c.options("review_recorder", [None] + [i for (i,) in c.q("SELECT id FROM people")]))
    levels = (
        lambda r: {"review_status": r[1], "review_photo": True if r[8] else None},
        lambda r: {"review_status": r[1], "review_garden": r[2]},
        lambda r: {"review_status": r[1], "review_garden": r[2], "review_recorder": r[3]}
        if r[3] in recorders
        else None,
        lambda r: {"review_status": r[1], "review_garden": r[2], "review_filter_sp_q": r[7]}
        if r[7]
        else None,
    )
    pending = [by_id[rid] for rid in chosen]
    for level in levels:
        batches: dict[tuple, list] = {}
        for r in pending:
            wanted = level(r)
            if wanted is not None:
                if r[0] in every_group:
                    wanted["review_groups"] = []
                batches.setdefault(tuple(sorted(wanted.items(), key=str)), []).append(r)
        pending = [r for r in pending if level(r) is None]
        for key, batch in sorted(batches.items(), key=str):
            wanted = dict(key)
            if not _filters(c, "queue: " + ", ".join(f"{k[7:]} {v}" for k, v in key), **wanted):
                continue
            query = wanted.get("review_filter_sp_q")
            pick = widget(c.at, f"review_filter_sp_sel_{query}") if query else None
            if pick is not None and pick.value != batch[0][6]:
                c.set({f"review_filter_sp_sel_{query}": batch[0][6]}, f"queue: species {query}")
            ids = _queue_ids(c)
            for r in batch:
                if r[0] in ids:
                    _open_row(c, r[0], ids, r[8] > 0, f"open #{r[0]} ({r[1]}{', photos' if r[8] else ''})")
                else:
                    pending.append(r)
    if pending:
        NOTES.append(
            f"review: {len(pending)} record(s) no filter could bring into {me}'s queue: "
            + ", ".join(f"#{r[0]}" for r in sorted(pending)[:10])
        )

    # 4. a bulk selection shows the bulk-accept button (not clicked)
    _filters(c, "queue: default filters")
    if len(_queue_ids(c)) >= 3:
        select_review_rows(c.at, [0, 1, 2])
        if c.run("select three rows") and not any(b.key == "review_bulk" for b in c.at.button):
            c.fail("select three rows", "no bulk-accept button")
        select_review_rows(c.at, [])


def _group_order() -> list[str]:
    from habitat.services.checklist import GROUPS

    return list(GROUPS)


CRAWLERS = {
    "pages/garden.py": crawl_garden,
    "pages/log_sighting.py": crawl_log_sighting,
    "pages/patrol.py": crawl_patrol,
    "pages/upkeep.py": crawl_upkeep,
    "pages/batch.py": crawl_batch,
    "pages/ask.py": crawl_ask,
    "pages/my_records.py": crawl_my_records,
    "pages/review.py": crawl_review,
    "pages/checklist.py": crawl_checklist,
    "pages/export.py": crawl_export,
    "pages/dashboard.py": crawl_dashboard,
    "pages/biodiversity.py": crawl_biodiversity,
    "pages/manage.py": crawl_manage,
    "pages/events.py": crawl_events,
    "pages/ideas.py": crawl_ideas,
    "pages/partners.py": crawl_partners,
    "pages/meetings.py": crawl_meetings,
    "pages/principles.py": crawl_principles,
}  # home and account have nothing to choose: opening them is the crawl


# ---------------------------------------------------------------------------------------- tests


@pytest.fixture
def crawl_env(crawl_db, monkeypatch):
    def _for(lang: str) -> Path:
        monkeypatch.setenv("GARDEN_DB", str(crawl_db))
        monkeypatch.setenv("GARDEN_PHOTOS", str(crawl_db.parent / "photos"))
        monkeypatch.setenv("GARDEN_LANG", lang)  # see the module docstring
        core.config.clear()
        # Outside a script run st.session_state is one global stand-in: AppTest's calls of format_func
        # (when it sends widget values) read the language there.
        before.append(st.session_state.get(state.LANG))
        st.session_state[state.LANG] = lang
        return crawl_db

    before: list = []
    yield _for
    core.config.clear()
    if before and before[0] is None:
        del st.session_state[state.LANG]
    elif before:
        st.session_state[state.LANG] = before[0]


@pytest.mark.parametrize("user, lang, page", cases())
def test_every_view_of_the_page_opens_without_an_exception(crawl_env, user, lang, page):
    db = crawl_env(lang)
    c = Crawl(db, user, lang, page)
    if c.run("open"):
        c.check_title()
        crawler = CRAWLERS.get(page)
        if crawler is not None:
            crawler(c)
    c.report()


def test_the_crawl_follows_the_menu():
    """A page or role added to garden_app.PAGES is crawled without editing this file; a crawler for a
    page that left the menu (renamed, removed) is noticed instead of silently crawling nothing."""
    menu = app_pages()
    ids = {p.id for p in cases()}
    assert {role for *_, roles in menu for role in roles} <= set(USERS.values())
    for path, *_ in menu:
        assert any(case_id(user, lang, path) in ids for user in USERS for lang in LANGS), path
    assert set(CRAWLERS) <= {path for path, *_ in menu}
    assert set(PRIMARY.values()) <= set(USERS) and set(PERSONAL) <= {path for path, *_ in menu}


# ------------------------------------------------------------------ found by the crawl: the review queue
# Done as an expert does it: select rows, then change a filter. Streamlit keeps a dataframe's row
# selection by position when its data changes (streamlit/elements/arrow.py: "selections can become
# orphaned when the data changes"), so the page must not trust it after the queue changed.


class Precondition(Exception):
    """The scene of an expected failure was not set up: a real failure, not the expected one."""


def _require(condition, message: str) -> None:
    if not condition:
        raise Precondition(message)


def _queue(at) -> list[int]:
    table = next((d for d in at.dataframe if "#" in d.value.columns), None)
    return [] if table is None else [int(i) for i in table.value["#"]]


def _shortest_garden(db, status=verification.UNCONFIRMED_NOT_REVIEWED) -> int:
    return rows(
        db,
        """SELECT g.id FROM gardens g LEFT JOIN sightings s ON s.garden_id = g.id
                       AND NOT s.withdrawn AND s.identification_verification_status = ?
                       GROUP BY g.id ORDER BY count(s.id), g.id LIMIT 1""",
        [status],
    )[0][0]


def test_a_selected_row_beyond_the_end_of_a_filtered_queue_does_not_crash_the_review_page(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    last = len(_queue(at)) - 1
    select_review_rows(at, [last])
    at.run()
    _require(not at.exception and last > 2, "the last row of the queue opened")
    at.selectbox(key="review_garden").set_value(_shortest_garden(app_env)).run()
    assert not at.exception, at.exception[0].message
    assert 0 < len(_queue(at)) <= last


def test_bulk_accept_after_a_filter_change_accepts_only_records_the_expert_selected(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    select_review_rows(at, [0, 1, 2])
    at.run()
    selected = set(_queue(at)[:3])
    _require(len(selected) == 3 and any(b.key == "review_bulk" for b in at.button), "three rows selected")
    for (garden,) in rows(app_env, "SELECT id FROM gardens ORDER BY id"):  # a garden whose first rows differ
        at.selectbox(key="review_garden").set_value(garden).run()
        if len(_queue(at)) >= 3 and not set(_queue(at)[:3]) <= selected:
            break
    _require(not at.exception and not set(_queue(at)[:3]) <= selected, "a filter that changes the first rows")
    waiting = verification.UNCONFIRMED_NOT_REVIEWED
    sql = "SELECT id FROM sightings WHERE identification_verification_status = ?"
    before = {i for (i,) in rows(app_env, sql, [waiting])}
    bulk = next((b for b in at.button if b.key == "review_bulk"), None)
    if bulk is not None:  # a page that forgets the old selection shows no button: nothing is accepted
        bulk.click().run()
    accepted = before - {i for (i,) in rows(app_env, sql, [waiting])}
    assert accepted <= selected, f"accepted {sorted(accepted)}; the expert selected {sorted(selected)}"


def test_the_with_photo_filter_lists_a_new_record_with_a_photo_in_a_long_status(app_as, app_env):
    status = verification.ACCEPTED_CORRECT
    sql = "SELECT count(*) FROM sightings WHERE identification_verification_status = ? AND NOT withdrawn"
    _require(rows(app_env, sql, [status])[0][0] > 200, "more than 200 records in the status")
    newest, garden, recorder, species, name = rows(
        app_env,
        """
        SELECT s.id, s.garden_id, s.recorded_by, s.species_id, sp.scientific_name FROM sightings s
        JOIN species sp ON sp.id = s.species_id WHERE s.identification_verification_status = ? AND NOT s.withdrawn
        ORDER BY s.created_at DESC, s.id DESC LIMIT 1""",
        [status],
    )[0]
    rows(
        app_env,
        """INSERT INTO photos (sha256, sighting_id, original_name, mime, byte_size, width, height,
                                        display_path, thumb_path, uploaded_by, uploaded_at)
                     SELECT sha256, ?, original_name, mime, byte_size, width, height, display_path, thumb_path,
                            uploaded_by, uploaded_at FROM photos WHERE sighting_id IS NOT NULL ORDER BY id LIMIT 1""",
        [newest],
    )
    at = app_as("xuboshi", "pages/review.py")
    at.multiselect(key="review_groups").set_value([])
    at.selectbox(key="review_status").set_value(status)
    next(w for w in at.get("button_group") if w.key == "review_photo").set_value(True)
    at.text_input(key="review_filter_sp_q").input(name)
    at.run()
    _require(not at.exception and newest in _queue(at), "listed when the queue is narrowed to its species")
    at.text_input(key="review_filter_sp_q").input("")
    at.run()
    _require(not at.exception and at.selectbox(key="review_status").value == status, "filters kept")
    with_photos = rows(
        app_env,
        """SELECT count(*) FROM sightings s WHERE s.identification_verification_status = ?
                                   AND NOT s.withdrawn AND EXISTS (SELECT 1 FROM photos p
                                   WHERE p.sighting_id = s.id AND NOT p.withdrawn)""",
        [status],
    )[0][0]
    assert newest in _queue(at), (
        f"#{newest} (with a photo) is not listed: {len(_queue(at))} of the {with_photos} "
        f"records with photos in '{status}' are"
    )
