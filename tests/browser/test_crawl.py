"""The deep crawl in a real browser: every page × every role × phone and desktop × Chinese and English.

On every page: every tab opened, every expander opened, and on the pages with records, records paged
through (the review queue with "next", my records, events, meetings). After each step: no Streamlit
exception box, no JavaScript error; over the whole walk: no request to any host but 127.0.0.1, no
traceback in the server's log. Screenshots of every page go to test-artifacts/screenshots/.

On the phone in Chinese the 适老化 size audit (audit.py, issue 14) runs after every step too, on the
page as it is (no extra page loads): the demo accounts use the display mode 'auto', so a phone gets
elder mode, and no visible text may be under 18 px, no tap target under 44 x 44 px, no primary
button under 60 px high. The sidebar menu is audited once, open, per role.

The AppTest crawl (tests/app/test_crawl.py) opens every record detail server-side; this one checks what
only a browser shows: rendering, client-side errors, outside requests, phone layout.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from audit import ELDER, audit
from browser_helpers import (
    assert_no_exception,
    close_sidebar,
    english_words,
    login,
    main_area,
    nav_titles,
    open_page,
    open_sidebar,
    page_title_key,
    pages_for,
    shot,
    sign_out,
    switch_language,
    visible_text,
    wait_idle,
)

from habitat import i18n
from habitat.db import connect
from habitat.db import gardens as gardens_db

pytestmark = pytest.mark.browser

ROLES = [("wangayi", "volunteer"), ("xuboshi", "expert"), ("liuzhuren", "committee")]
WIDTHS = ["phone", "desktop"]
LANG_LABEL = {"zh": "中文", "en": "English"}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAX_STEPS = 5  # records paged through per record view and language


class Walk:
    """What the crawl saw: counts for the summary, problems for the assertion."""

    def __init__(self) -> None:
        self.pages = self.tabs = self.expanders = self.records = 0
        self.problems: list[str] = []
        self.outside: list[str] = []
        self.lang = ""  # the page's language: in Chinese, every step also looks for English words
        self.ok = ENGLISH_OK  # and the accounts' user names (Latin letters, chosen by each person)
        self.english: list[str] = []  # untranslated words in Chinese pages, outside ENGLISH_OK
        self.audit = False  # measure text and target sizes (phone, Chinese: elder mode)
        self.sizes: dict[str, list[str]] = {}  # size finding -> where it was seen
        self.audits = 0

    def measure(self, page, where: str, scope: str | None = None) -> None:
        if not self.audit:
            return
        self.audits += 1
        for finding in audit(page, ELDER, scope):
            self.sizes.setdefault(str(finding), []).append(where)

    def size_report(self) -> str:
        lines = [f"{len(self.sizes)} 适老化 size finding(s) (kind, size, selector, text; then where):"]
        for finding, places in list(self.sizes.items())[:40]:
            lines.append(
                f"  {finding}\n      {places[0]}" + (f" (+{len(places) - 1} more)" if places[1:] else "")
            )
        return "\n".join(lines)


def watch_requests(page, walk: Walk) -> None:
    def seen(request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about", "chrome-extension"):
            return
        if url.hostname not in LOCAL_HOSTS:
            walk.outside.append(request.url)

    page.context.on("request", seen)


def check(page, walk: Walk, where: str) -> None:
    try:
        assert_no_exception(page, where)
    except AssertionError as err:
        walk.problems.append(str(err)[:500])
    if page.js_errors:
        walk.problems.append(f"JavaScript error {where}: {page.js_errors[:3]}")
        page.js_errors.clear()
    walk.measure(page, where)
    english = english_words(visible_text(page), allowed=walk.ok) if walk.lang == "zh" else []
    if english:
        walk.english.append(f"{where}: {' '.join(english[:15])}")


def open_expanders(page, scope, walk: Walk, where: str) -> None:
    """Open every visible, closed expander in ``scope`` (an expander's content may rerun nothing, but a
    chart or photo inside one renders only once it is open)."""
    summaries = scope.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for i in range(summaries.count()):
        summary = summaries.nth(0)  # the list shrinks as each opens
        if not summary.is_visible():
            continue
        summary.click()
        wait_idle(page, settle=0.05)
        walk.expanders += 1
        check(page, walk, f"{where} after opening an expander")


def open_tabs(page, walk: Walk, where: str) -> None:
    main = main_area(page)
    tabs = main.get_by_role("tab")
    if tabs.count() == 0:
        open_expanders(page, main, walk, where)
        return
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if not tab.is_visible():
            continue
        label = tab.inner_text().strip()
        tab.click()
        wait_idle(page, settle=0.05)
        walk.tabs += 1
        check(page, walk, f"{where} tab {label!r}")
        open_expanders(page, main, walk, f"{where} tab {label!r}")


def click_through(page, walk: Walk, where: str, button_name: str) -> None:
    """Press a "next" button up to MAX_STEPS times (the review queue)."""
    for _ in range(MAX_STEPS):
        button = main_area(page).get_by_role("button", name=button_name, exact=True)
        if button.count() == 0 or button.first.is_disabled():
            return
        button.first.click()
        wait_idle(page)
        walk.records += 1
        check(page, walk, f"{where} after {button_name}")


def pick_through(page, walk: Walk, where: str, label: str) -> None:
    """Choose the first MAX_STEPS options of the selectbox labelled ``label`` (a record picker)."""
    box = main_area(page).get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    if box.count() == 0:
        return
    for i in range(MAX_STEPS):
        box.first.click()
        options = page.get_by_role("option")
        if options.count() <= i:
            page.keyboard.press("Escape")
            return
        options.nth(i).click()
        wait_idle(page)
        walk.records += 1
        check(page, walk, f"{where} record {i + 1} of {label!r}")


RECORD_VIEWS = {
    "review": lambda page, walk, where, lang: click_through(page, walk, where, i18n.t("review.next", lang)),
    "my_records": lambda page, walk, where, lang: pick_through(
        page, walk, where, i18n.t("mine.open_record", lang)
    ),
}


def crawl_page(page, walk: Walk, path: str, lang: str, username: str, width: str) -> None:
    stem = Path(path).stem
    where = f"on {stem} as {username} ({width}, {lang})"
    walk.pages += 1
    walk.lang = lang
    check(page, walk, where)
    shot(page, f"{width}_{lang}_{username}_{stem}")
    open_tabs(page, walk, where)
    if stem in RECORD_VIEWS:
        RECORD_VIEWS[stem](page, walk, where, lang)


# Latin text that may stand in a Chinese page: the language switch; names of standards, file formats,
# encodings and indices with no Chinese name in use (Darwin Core, GBIF, GCJ-02, CSV, ZIP, UTF-8, GBK,
# Shannon...); QR. Scientific names in italics and literal `code` (CSV column names) are not read as
# words (browser_helpers.visible_text); user names are added per crawl. Kept short on purpose: anything
# else is an untranslated string.
ENGLISH_OK = {
    "Language",
    "English",
    "DwC",
    "CSV",
    "ZIP",
    "UTF-",
    "GBK",
    "GCJ-",
    "GeoJSON",
    "GeoPackage",
    "KML",
    "Parquet",
    "Excel",
    "Darwin",
    "Core",
    "BioBlitz",
    "GBIF",
    "QR",
    "HTML",
    "Shannon",
    "Simpson",
    "Chao",
}


@pytest.fixture(scope="module")
def demo_facts(demo_template):
    """Display names, roles and the garden each demo account's garden page opens on."""
    con = connect(Path(demo_template))
    try:
        people = con.execute("SELECT username, display_name, role, home_garden_id FROM people").fetchall()
        gardens = gardens_db.list_gardens(con)
    finally:
        con.close()
    facts = {}
    for username, display_name, role, home_id in people:
        row = gardens[gardens["id"] == home_id]
        garden = (row if len(row) else gardens).iloc[0]
        facts[username] = {
            "name": display_name,
            "role": role,
            "garden": {"zh": garden["name"], "en": garden["name_en"]},
        }
    return facts


def expected_title(path: str, lang: str, who: dict) -> str | re.Pattern:
    """The h1 each page shows: home greets by name, the garden page is titled with the garden,
    other pages with their `st.title(t("key"))` (any non-empty title if built otherwise)."""
    if path == "pages/home.py":
        return i18n.t("home.greeting", lang, name=who["name"])
    if path == "pages/garden.py":
        return who["garden"][lang]
    key = page_title_key(path)
    return i18n.t(key, lang) if key else re.compile(r"\S")


def server_errors(url, since: int) -> list[str]:
    text = Path(url.log_path).read_text(errors="replace")[since:]
    return [line for line in text.splitlines() if re.search(r"Traceback|Exception|Error", line)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username,role", ROLES)
def test_crawl_every_page_tab_expander_and_record(app_server, page_at, demo_facts, username, role, width):
    log_start = len(Path(app_server.log_path).read_text(errors="replace"))
    walk = Walk()
    walk.ok = ENGLISH_OK | set(demo_facts)
    page = page_at(width)
    watch_requests(page, walk)
    pages = pages_for(role)
    login(page, app_server, username)
    for lang in ("zh", "en"):
        walk.audit = width == "phone" and lang == "zh"
        if walk.audit:
            open_sidebar(page)
            walk.measure(page, f"in the open menu as {username} (phone, zh)", '[data-testid="stSidebar"]')
            close_sidebar(page)
        if lang == "en":
            open_page(page, i18n.t("nav.home", "zh"))
            switch_language(page, LANG_LABEL["en"])
        assert nav_titles(page) == [i18n.t(key, lang) for _, key in pages]  # the menu follows the language
        for path, key in pages:
            open_page(page, i18n.t(key, lang), expect_title=expected_title(path, lang, demo_facts[username]))
            crawl_page(page, walk, path, lang, username, width)
    sign_out(page)
    print(
        f"\ncrawl {username} {width}: {walk.pages} pages, {walk.tabs} tabs, {walk.expanders} expanders, "
        f"{walk.records} records paged, {len(walk.outside)} outside requests, {len(walk.problems)} problems, "
        f"{walk.audits} size audits"
    )
    for line in walk.english:
        print(f"  English in zh: {line}")
    assert walk.problems == []
    assert walk.sizes == {}, walk.size_report()
    assert walk.english == [], "English words in Chinese pages:\n" + "\n".join(walk.english[:20])
    assert walk.outside == [], walk.outside[:10]
    assert server_errors(app_server, log_start) == []
