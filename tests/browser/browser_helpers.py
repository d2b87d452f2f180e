"""Helpers for real-browser tests: Playwright driving /usr/bin/chromium against `streamlit run`.

Import them in a test module under tests/browser with ``from browser_helpers import login, ...``
(pytest puts tests/browser on sys.path). Nothing here imports Playwright at module level, so the
non-browser xdist pass can collect tests/browser without it.

Every action helper waits for Streamlit to finish the rerun it caused and for a visible result
(a title, the sign-in form, a selected option), so tests rarely need their own waits.
"""

from __future__ import annotations

import ast
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlparse

from habitat import i18n
from habitat.demo import DEMO_PASSWORD

if TYPE_CHECKING:  # pragma: no cover
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parents[2]
APP_FILE = ROOT / "garden_app.py"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path(os.environ.get("GARDEN_TEST_CHROMIUM", "/usr/bin/chromium"))  # override only to test the skip

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PHONE_MAX_WIDTH = 767  # Streamlit's "md" breakpoint: below it the sidebar is an overlay
TIMEOUT_MS = 30_000


# --------------------------------------------------------------------------------------- app facts


def _constant(node: ast.expr, names: dict):
    """Evaluate a literal built from strings, tuples, lists and names of earlier constants."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_constant(element, names) for element in node.elts)
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    raise ValueError(f"not a plain constant: {ast.dump(node)[:80]}")


def app_pages() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """garden_app.PAGES, read from the source without importing it (importing runs the app).

    Evaluates the top-level UPPER_CASE literal assignments (ALL, PAGES, ...), so it follows edits.
    """
    tree = ast.parse(APP_FILE.read_text(encoding="utf-8"))
    names: dict = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            if target.isupper():
                try:
                    names[target] = _constant(node.value, names)
                except ValueError:
                    names.pop(target, None)
    return [(path, key, icon, tuple(roles)) for path, key, icon, roles in names["PAGES"]]


def pages_for(role: str, pages=None) -> list[tuple[str, str]]:
    """[(page path, title key)] that `role` sees in the navigation, in menu order."""
    return [(path, key) for path, key, _icon, roles in (pages or app_pages()) if role in roles]


_TITLE_CALL = re.compile(r"""st\.title\(\s*t\(\s*["']([\w.]+)["']\s*\)\s*\)""")


def page_title_key(path: str) -> str | None:
    """The i18n key of a page's `st.title(t("key"))`, read from its source; None if the title is
    built otherwise (a name, a key with parameters)."""
    match = _TITLE_CALL.search((ROOT / path).read_text(encoding="utf-8"))
    return match.group(1) if match else None


def greeting_pattern(only: str | None = None) -> re.Pattern:
    """Matches the home greeting in any language ("王阿姨，您好！", "Hello, 王阿姨!"), or in `only` that one."""
    parts = [
        re.escape(i18n.t("home.greeting", lang)).replace(re.escape("{name}"), ".+")
        for lang in i18n.LANGUAGES
        if only in (None, lang)
    ]
    return re.compile("^(" + "|".join(parts) + ")$")


# --------------------------------------------------------------------------------- waiting, looking


def wait_idle(page: Page, settle: float = 0.15, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the script is not running, let the DOM settle, and check again."""
    page.wait_for_selector(IDLE, timeout=timeout)
    if settle:
        time.sleep(settle)
        page.wait_for_selector(IDLE, timeout=timeout)


def main_area(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def photo_uploader(page: Page, lang: str = "zh") -> Locator:
    """The file input of the photo picker (the app passes Streamlit no type list: its own check speaks
    the reader's language), found by the picker's label."""
    box = main_area(page).get_by_test_id("stFileUploader").filter(has_text=i18n.t("photos.upload", lang))
    return box.locator('[data-testid="stFileUploaderDropzoneInput"]').first


class Taps:
    """Counts her taps on the page (clicks; typing is not a tap, tapping into a text box is, choosing a
    photo in the phone's picker is not)."""

    def __init__(self, page: Page):
        self.page, self.n = page, 0

    def tap(self, locator: Locator) -> None:
        locator.click()
        self.n += 1
        wait_idle(self.page)


def main_title(page: Page) -> Locator:
    """The page's st.title (first h1 in the main area)."""
    return main_area(page).locator("h1").first


def exceptions(page: Page) -> Locator:
    """Streamlit exception boxes; a healthy page has none."""
    return page.get_by_test_id("stException")


def assert_no_exception(page: Page, where: str = "") -> None:
    count = exceptions(page).count()
    if count:
        text = "\n---\n".join(exceptions(page).all_inner_texts())
        raise AssertionError(f"{count} Streamlit exception(s) {where}:\n{text}")


def is_phone(page: Page) -> bool:
    return (page.viewport_size or {"width": 1366})["width"] <= PHONE_MAX_WIDTH


# ------------------------------------------------------------------------------------------ sidebar


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def _sidebar_box(page: Page) -> dict | None:
    bar = sidebar(page)
    if bar.count() == 0:
        return None
    return bar.bounding_box()


def sidebar_is_open(page: Page) -> bool:
    """True when any part of the sidebar is on screen (collapsed, it sits at x = -width)."""
    if sidebar(page).count() == 0 or sidebar(page).get_attribute("data-collapsed") == "true":
        return False
    box = _sidebar_box(page)
    return bool(box and box["width"] > 0 and box["x"] + box["width"] > 1)


def _wait_sidebar(page: Page, open_: bool, timeout: float = 5.0) -> None:
    """Wait until the slide animation has finished: fully on screen (x = 0) or fully off it."""
    end = time.monotonic() + timeout
    while True:
        box = _sidebar_box(page)
        if open_:
            done = bool(box and box["width"] > 0 and abs(box["x"]) < 0.5)
        else:
            done = not box or box["width"] == 0 or box["x"] + box["width"] <= 0.5
        if done:
            return
        if time.monotonic() > end:
            raise AssertionError(f"sidebar did not {'open' if open_ else 'close'} within {timeout} s: {box}")
        time.sleep(0.05)


def open_sidebar(page: Page) -> None:
    """Expand the sidebar (at phone width it starts collapsed behind the » control)."""
    if sidebar_is_open(page):
        return
    page.get_by_test_id("stExpandSidebarButton").click()
    _wait_sidebar(page, True)


def close_sidebar(page: Page) -> None:
    if not sidebar_is_open(page):
        return
    page.get_by_test_id("stSidebarCollapseButton").click()
    _wait_sidebar(page, False)


def nav_more_button(page: Page) -> Locator:
    """Streamlit's "View N more" / "View less" button under a long navigation menu (English only)."""
    return sidebar(page).get_by_test_id("stSidebarNavViewButton")


def expand_nav(page: Page) -> None:
    """Click "View N more" if Streamlit folded the menu (it shows 10 of more than 12 pages)."""
    button = nav_more_button(page)
    if button.count() and "more" in button.inner_text():
        from playwright.sync_api import expect

        was_open = sidebar_is_open(page)
        open_sidebar(page)
        button.click()
        expect(button).not_to_contain_text("more", timeout=TIMEOUT_MS)
        if is_phone(page) and not was_open:
            close_sidebar(page)


def nav_link(page: Page, title: str) -> Locator:
    """The sidebar navigation link whose text is exactly `title` (the icon ligature is ignored)."""
    return sidebar(page).get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text(title, exact=True))


def nav_titles(page: Page) -> list[str]:
    """Texts of all sidebar navigation links (unfolding "View N more"), in order, without icon names."""
    expand_nav(page)
    links = sidebar(page).get_by_test_id("stSidebarNavLink")
    return [
        links.nth(i).get_by_test_id("stMarkdownContainer").inner_text().strip() for i in range(links.count())
    ]


# ------------------------------------------------------------------------------------------ actions


def login(
    page: Page,
    base_url: str,
    username: str,
    password: str = DEMO_PASSWORD,
    *,
    lang: str = "zh",
    expect_success: bool = True,
) -> str:
    """Open the app, sign in through the form, wait for the home greeting; returns the title text.

    `lang` is the language the sign-in form is shown in (zh unless the test switched it).
    With expect_success=False it only submits and waits for the rerun (for wrong-password tests).
    Signing in as someone else on the same page stands for that person's own phone: the lasting
    sign-in cookie of the one before is dropped first (a shared phone would sign out instead).
    """
    page.context.clear_cookies()
    page.goto(base_url)
    wait_idle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label(i18n.t("login.username", lang), exact=True).fill(username)
    form.get_by_label(i18n.t("login.password", lang), exact=True).fill(password)
    form.get_by_role("button", name=i18n.t("login.submit", lang)).click()
    if not expect_success:
        outcome = '[data-testid="stAlert"], [data-testid="stSidebarNavLink"], [data-testid="stException"]'
        page.locator(outcome).first.wait_for(state="attached", timeout=TIMEOUT_MS)
        wait_idle(page)
        return main_title(page).inner_text()
    from playwright.sync_api import expect

    expect(main_title(page)).to_have_text(greeting_pattern(), timeout=TIMEOUT_MS)
    expect(sidebar(page).get_by_test_id("stSidebarNavLink").first).to_be_attached(timeout=TIMEOUT_MS)
    wait_idle(page)
    return main_title(page).inner_text()


def open_page(page: Page, title: str, *, expect_title: str | re.Pattern | None = None) -> None:
    """Click the sidebar navigation link `title`; at phone width open the sidebar first and close
    it again afterwards (so screenshots show the page, not the menu)."""
    from playwright.sync_api import expect

    open_sidebar(page)
    expand_nav(page)
    link = nav_link(page, title)
    expect(link).to_have_count(1, timeout=TIMEOUT_MS)
    href = link.get_attribute("href") or ""
    target = urlparse(urljoin(page.url, href)).path if href else None
    link.click()
    if target is not None:
        page.wait_for_url(lambda url: urlparse(url).path == target, timeout=TIMEOUT_MS)
    if is_phone(page):
        # Streamlit closes the overlay itself on phones (mobile user agent); make sure of it.
        try:
            _wait_sidebar(page, False, timeout=1.5)
        except AssertionError:
            close_sidebar(page)
    if expect_title is not None:
        expect(main_title(page)).to_have_text(expect_title, timeout=TIMEOUT_MS)
    wait_idle(page)


def switch_language(page: Page, label: str) -> None:
    """Click "中文" or "English" in the sidebar language control and wait for the rerun."""
    from playwright.sync_api import expect

    was_open = sidebar_is_open(page)
    open_sidebar(page)
    option = sidebar(page).get_by_test_id("stButtonGroup").get_by_role("radio", name=label, exact=True)
    if option.get_attribute("aria-checked") != "true":
        option.click()
        expect(option).to_have_attribute("aria-checked", "true", timeout=TIMEOUT_MS)
        time.sleep(0.2)
    wait_idle(page)
    if is_phone(page) and not was_open:
        close_sidebar(page)


def sign_out(page: Page) -> None:
    """Click the sidebar sign-out button (either language) and wait for the sign-in form."""
    from playwright.sync_api import expect

    open_sidebar(page)
    names = "|".join(re.escape(i18n.t("login.sign_out", lang)) for lang in i18n.LANGUAGES)
    sidebar(page).get_by_role("button", name=re.compile(names)).click()
    titles = "|".join(re.escape(i18n.t("app.title", lang)) for lang in i18n.LANGUAGES)
    expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(main_title(page)).to_have_text(re.compile(f"^({titles})$"), timeout=TIMEOUT_MS)
    wait_idle(page)


def shot(page: Page, name: str) -> Path:
    """Save a viewport screenshot to <repo>/test-artifacts/screenshots/<name>.png (use a tall
    viewport: Streamlit scrolls inside its own container, so full_page adds nothing)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    wait_idle(page, settle=0)
    page.screenshot(path=str(path), animations="disabled")
    return path


# ------------------------------------------------------------------------------------- reading text

_VISIBLE_TEXT_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return "";
  // icons: Streamlit's own, and Markdown's :material/eco: (a span role="img" translate="no")
  const skip = '[data-testid="stIconMaterial"], .material-symbols-rounded, [role="img"][translate="no"], '
    + 'style, script, noscript';
  const walker = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !node.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || parseFloat(style.opacity) === 0) continue;
    if (parseFloat(style.fontSize) === 0) continue;             // replaced by a ::after text (file uploaders)
    if (el.closest("code")) continue;                          // literal text to type: CSV column names
    // a scientific name in italics ("Parus minor") is Latin, not an untranslated English string
    if (el.closest("em, i") && /^[A-Z][a-z]+( [a-z]+){1,2}$/.test(node.textContent.trim())) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;           // screen-reader-only text
    if (box.right < 0 || box.bottom < 0) continue;              // moved off screen (skip links)
    if (el.closest('[aria-hidden="true"]')) continue;
    parts.push(node.textContent.trim());
  }
  return parts.join(" | ");
}
"""
# Words that may appear in Chinese mode: the bilingual language switch, units, Latin names are checked apart
ENGLISH_ALLOWED = {"Language", "English"}


def visible_text(page: Page) -> str:
    """The app's text as a person reads it (Material icon ligatures such as "visibility" removed)."""
    return page.evaluate(_VISIBLE_TEXT_JS)


def english_words(text: str, allowed: set[str] = ENGLISH_ALLOWED) -> list[str]:
    """Latin-letter words of three letters or more that are not on the allow-list."""
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text) if w not in allowed})
