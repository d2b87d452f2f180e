"""The 适老化 size audit (issue 14): Playwright evaluates the page and lists what is too small to read
or to tap for a 70-year-old volunteer on a phone.

    findings = audit(page, ELDER)        # [Finding(kind, where, text, size)]
    assert not findings, report(findings, "log_sighting")

Findings:
  text     a visible text node whose computed font-size is below ``min_text`` px
  target   a visible, enabled interactive element (button, a, input, select, textarea, summary,
           [role=button|tab|option|checkbox|radio|switch|link|menuitem]) whose box is smaller than
           ``min_target`` x ``min_target`` px
  primary  a primary button (Streamlit's stBaseButton-primary*) less than ``min_primary`` px high

Not counted, on purpose:
  - hidden text and targets: display:none, visibility:hidden, opacity 0 (on it or an ancestor),
    zero or one-pixel boxes (screen-reader-only text, the file uploader's hidden <input type=file>),
    anything under aria-hidden="true", and what lies left of or above the page (the collapsed
    sidebar slides to x = -width);
  - Material icon ligatures (their "text" is an icon name, sized as an icon);
  - text drawn by charts and maps: plotly's SVG text and the data grid's <canvas> cells are sized
    by the figure / grid, not by the page's CSS, so the page cannot enlarge them (the grid's cells
    are not text nodes at all); what the page can size around them (the grid's toolbar) is counted;
  - a checkbox, radio or switch input counts by its clickable label row (the <label> around it),
    as Streamlit draws the real input as a small box inside a label that takes the tap;
  - a text field, select or number field counts by its whole field box (the input inside is
    padded), found by BaseWeb's data-baseweb attribute;
  - a link inside a sentence (an <a> in running text): WCAG 2.5.8 exempts inline targets, and
    its line height already follows the text size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from playwright.sync_api import Locator, Page


@dataclass(frozen=True)
class Limits:
    min_text: float
    min_target: float
    min_primary: float


ELDER = Limits(min_text=18, min_target=44, min_primary=60)  # phones in 'auto', everything in 'elder'
STANDARD = Limits(min_text=0, min_target=24, min_primary=0)  # 'standard': Streamlit's sizes, no tiny target


@dataclass(frozen=True)
class Finding:
    kind: str  # text | target | primary
    where: str  # a short selector path: nearest data-testid ancestors, tag, role
    text: str  # the element's text (shortened)
    size: str  # "15px" or "32x32"

    def __str__(self) -> str:
        return f"{self.kind:7} {self.size:>9}  {self.where}  {self.text!r}"


_AUDIT_JS = r"""
([minText, minTarget, minPrimary, scopeSelector]) => {
  const root = scopeSelector ? document.querySelector(scopeSelector) : document.body;
  if (!root) return [];
  const out = [];
  const ICON = '[data-testid="stIconMaterial"], .material-symbols-rounded, .material-icons';
  const CHART = 'svg, canvas, [data-testid="stPlotlyChart"] .main-svg, .js-plotly-plot .svg-container';
  const SKIP_TEXT = 'style, script, noscript, template, ' + ICON;

  const shown = (el) => {
    if (!el.isConnected) return false;
    if (el.closest('[aria-hidden="true"]')) return false;
    if (typeof el.checkVisibility === 'function' &&
        !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;
    if (box.right <= 0 || box.bottom <= 0) return false;
    const style = getComputedStyle(el);
    if (style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') return false;
    return true;
  };
  const where = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 3; node = node.parentElement) {
      const id = node.getAttribute && node.getAttribute('data-testid');
      if (id) parts.unshift(id);
    }
    const role = el.getAttribute('role');
    const kind = el.getAttribute('kind') || el.getAttribute('type') || '';
    return parts.join(' > ') + ' ' + el.tagName.toLowerCase() + (role ? `[role=${role}]` : '') +
      (kind ? `[${kind}]` : '');
  };
  const label = (el) => ((el.innerText || el.value || el.getAttribute('aria-label') ||
    el.getAttribute('title') || '') + '').trim().replace(/\s+/g, ' ').slice(0, 40);

  // --- text
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || seen.has(el) || !node.textContent.trim()) continue;
    seen.add(el);
    if (el.closest(SKIP_TEXT) || el.closest(CHART)) continue;
    if (!shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size === 0) continue;  // text hidden on purpose (the uploader's English, replaced below)
    if (size + 0.01 < minText) {
      out.push({kind: 'text', where: where(el), text: node.textContent.trim().slice(0, 40),
                size: size.toFixed(1).replace(/\.0$/, '') + 'px'});
    }
  }
  // text put in by CSS (content: "...") on ::before / ::after, e.g. the uploader's button label
  for (const el of root.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      const content = style.content;
      if (!content || !/^["'].*\S.*["']$/.test(content)) continue;
      if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0 ||
          parseFloat(style.height) === 0) continue;  // e.g. a menu link's bold-width placeholder
      if (el.closest(SKIP_TEXT) || el.closest(CHART) || !shown(el)) continue;
      const size = parseFloat(style.fontSize);
      if (size + 0.01 < minText) {
        out.push({kind: 'text', where: where(el) + pseudo, text: content.slice(1, 41),
                  size: size.toFixed(1).replace(/\.0$/, '') + 'px'});
      }
    }
  }

  // --- targets
  const TARGETS = 'button, a[href], input:not([type="hidden"]), select, textarea, summary, ' +
    '[role="button"], [role="tab"], [role="option"], [role="checkbox"], [role="radio"], ' +
    '[role="switch"], [role="link"], [role="menuitem"]';
  // the box a person taps for a text field, select, number or date field
  const FIELD = '[data-testid="stSelectbox"] [role="group"], [data-testid="stMultiSelect"] [role="group"], ' +
    '[data-testid="stTextInputRootElement"], [data-testid="stTextAreaRootElement"], ' +
    '[data-testid="stNumberInputContainer"], [data-testid="stDateInputField"], ' +
    '[data-testid="stTimeInputTimeDisplay"], [data-baseweb="input"], [data-baseweb="select"], ' +
    '[data-baseweb="textarea"], [data-baseweb="base-input"]';
  // Streamlit's visually hidden wrapper (clip-path: inset(50%)) around a real <input>
  const visuallyHidden = (el) => {
    for (let node = el, i = 0; node && i < 3; node = node.parentElement, i++) {
      const style = getComputedStyle(node);
      if (style.clipPath === 'inset(50%)' || style.clip === 'rect(0px, 0px, 0px, 0px)') return node;
    }
    return null;
  };
  const counted = new Set();
  for (const el of root.querySelectorAll(TARGETS)) {
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
    if (el.closest('svg') || el.closest('.modebar')) continue;
    let target = el;
    const type = (el.getAttribute('type') || '').toLowerCase();
    const role = el.getAttribute('role') || '';
    const hidden = visuallyHidden(el);
    const group = el.closest('[role="group"]');
    if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(type) ||
        ['checkbox', 'radio', 'switch'].includes(role)) {
      target = el.closest('label') || el;
    } else if (hidden) {
      target = hidden.parentElement;  // a slider's <input type=range> is drawn as its knob
    } else if (['INPUT', 'TEXTAREA'].includes(el.tagName) || role === 'combobox') {
      target = el.closest(FIELD) || el;
    } else if (group && group.querySelector('[role="combobox"]') && el.tabIndex < 0) {
      target = group.closest(FIELD) || group;  // a select's arrow: the whole field opens the list
    }
    if (counted.has(target)) continue;
    counted.add(target);
    if (!shown(target)) continue;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' &&
        el.parentElement && el.parentElement.closest('p, li, td') &&
        el.parentElement.innerText.trim().length > el.innerText.trim().length) continue;
    const box = target.getBoundingClientRect();
    if (box.width + 0.5 < minTarget || box.height + 0.5 < minTarget) {
      out.push({kind: 'target', where: where(el), text: label(el),
                size: `${Math.round(box.width)}x${Math.round(box.height)}`});
    }
  }

  // --- primary buttons
  if (minPrimary > 0) {
    for (const el of root.querySelectorAll('[data-testid^="stBaseButton-primary"]')) {
      if (el.disabled || !shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.height + 0.5 < minPrimary) {
        out.push({kind: 'primary', where: where(el), text: label(el),
                  size: `${Math.round(box.width)}x${Math.round(box.height)}`});
      }
    }
  }
  return out;
}
"""


_LOOK_JS = """(mode) => {
  const drawn = getComputedStyle(document.documentElement).getPropertyValue('--habitat-look').trim();
  return mode ? drawn === mode : drawn !== '';
}"""


def wait_for_look(page: Page, mode: str | None = None, timeout: float = 30_000) -> None:
    """Wait until the app's style sheet (habitat/ui/look.py) is applied, in ``mode`` if given.

    Streamlit loads the code of its html element on first use, so right after a page load the sheet
    can arrive a moment after the widgets (a run that is "not running" any more)."""
    page.wait_for_function(_LOOK_JS, arg=mode, timeout=timeout)


def audit(page: Page, limits: Limits = ELDER, scope: str | None = None) -> list[Finding]:
    """The findings on the page as it is now (``scope``: a CSS selector to audit only that part,
    e.g. '[data-testid="stSidebar"]'), once the app's style sheet has arrived."""
    wait_for_look(page)
    raw = page.evaluate(_AUDIT_JS, [limits.min_text, limits.min_target, limits.min_primary, scope])
    return [Finding(**item) for item in raw]


def report(findings: list[Finding], where: str, limit: int = 40) -> str:
    """One line per finding, for an assertion message."""
    lines = [f"{len(findings)} 适老化 size finding(s) {where}:"]
    lines += [f"  {f}" for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"  ... and {len(findings) - limit} more")
    return "\n".join(lines)


def computed(locator: Locator, prop: str) -> str:
    """A computed CSS property of the first element of ``locator`` (e.g. "font-size")."""
    return locator.first.evaluate("(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop)
