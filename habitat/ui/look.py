"""How big the app is drawn (适老化, issue 14): the one home of the app's display CSS.

Volunteers are often 70-year-olds on a 390 px phone. A person's ``ui_mode`` (saved in 我的账号):

  auto      the elder rules inside ``@media (max-width: 640px)``: phones get large text and buttons,
            a computer the ordinary density the committee wants for its tables (the default, and
            what the sign-in form uses, as nobody is known yet);
  elder     the elder rules on every screen;
  standard  Streamlit's own sizes, but no tap target under 24 x 24 px (WCAG 2.5.8).

Elder rules: body text and every smaller text (captions, labels, buttons, tabs, menu links) at least
18 px, inputs 18 px (iOS zooms into a field whose text is under 16 px), every tap target at least
44 x 44 px (fields, buttons, tabs, menu links 48 px), primary buttons 60 px high, captions and
placeholders near-black instead of light grey, narrow columns one under another.

Streamlit draws its widgets in ``rem``; the elder rules set the root size to 18 px, so most of the
app grows by 1/8 in one step, then raise what Streamlit sets smaller than 1 rem ("small" text:
0.875 rem) and the controls whose size is fixed in px. Selectors are Streamlit 1.67's
``data-testid`` attributes (its stable test hooks) and ARIA roles, never its generated class names.
``tests/browser/audit.py`` measures the result on every page (tests/browser/test_crawl.py).

Called once per script run by the router (garden_app.main), before any page draws, through
:func:`apply`; a style-only ``st.html`` goes to Streamlit's event container and takes no space.
Streamlit loads its html element's code on first use, so on a fresh page load the sheet arrives a
moment (up to about a second on a slow machine) after the first widgets; reruns and page changes keep
it. The sheet names its mode in the ``--habitat-look`` property of :root, for the browser tests to
wait for.
"""

from __future__ import annotations

import streamlit as st

from habitat.domain.roles import UI_MODES

PHONE_MEDIA = "(max-width: 640px)"  # Streamlit lays columns out one under another below 640 px too

ELDER_TEXT_PX = 18
ELDER_TARGET_PX = 44
ELDER_FIELD_PX = 48  # fields, buttons, tabs and menu links: 48 px (Material's touch size), >= 44
ELDER_PRIMARY_PX = 60
STANDARD_TARGET_PX = 24

INK = "#1a1a1a"  # near-black text: 17:1 on white
SOFT_INK = "#3d3d3d"  # placeholders, secondary text: 11:1 on white

_BUTTONS = '[data-testid^="stBaseButton"], [data-testid^="stBaseLinkButton"]'
_PRIMARY = '[data-testid^="stBaseButton-primary"], [data-testid^="stBaseLinkButton-primary"]'

# Text Streamlit sets below 1 rem, raised to 1 rem (= 18 px once the root is 18 px).
_SMALL_TEXT = (
    '[data-testid="stCaptionContainer"]',
    '[data-testid="stCaptionContainer"] *',
    '[data-testid="stWidgetLabel"] p',
    '[data-testid="stWidgetLabel"] label',
    f":is({_BUTTONS}) p",
    f":is({_BUTTONS})",
    '[data-testid="stTab"] p',
    '[data-testid="stExpander"] summary p',
    '[data-testid="stSidebarNavLink"] p',
    '[data-testid="stNavSectionHeader"] p',
    '[data-testid="stSidebarNavViewButton"]',
    '[data-testid="stButtonGroup"] p',
    '[data-testid="stRadioOption"] p',
    '[data-testid="stMetricLabel"] p',
    '[data-testid="stMetricDelta"]',
    '[data-testid="stMetricDelta"] *',
    '[data-testid="stDateInputField"] *',
    '[data-testid="stTimeInputTimeDisplay"] *',
    '[data-testid="stSliderThumbValue"] p',
    '[data-testid="stSliderTickBar"] p',
    '[data-testid="stMultiSelectTagsContainer"] span',
    '[data-testid="stMarkdownContainer"] :is(p, li, td, th) > span:not([role="img"])',
    '[data-testid="stMarkdownContainer"] small',
    '[data-testid="stMarkdownContainer"] code',
    '[data-testid="stImageCaption"]',
    '[data-testid="stFileChipName"]',
    '[data-testid="stFileChip"] *:not([data-testid="stIconMaterial"])',
    '[data-testid="stTable"] :is(td, th)',
    '[data-testid="stToastText"] p',
    '[data-testid="stPageLink"] p',
    '[data-testid="stPopoverButton"] p',
    '[data-testid="stCode"] code',
    '[data-testid="stAlert"] p',
    '[role="listbox"] [role="option"]',
    '[role="listbox"] [role="option"] *',
    '[data-testid="stTooltipContent"] p',
)

# Fields: the box around the input is the tap target.
_FIELDS = (
    '[data-testid="stSelectbox"] [role="group"]',
    '[data-testid="stMultiSelect"] [role="group"]',
    '[data-testid="stTextInputRootElement"]',
    '[data-testid="stNumberInputContainer"]',
    '[data-testid="stDateInputField"]',
    '[data-testid="stTimeInputTimeDisplay"]',
)


def _rules(selectors, body: str) -> str:
    return ",".join(selectors) + "{" + body + "}"


# A slider's knob: Streamlit's drawn dot (12 px) holds the real, visually hidden <input type=range>.
_SLIDER_KNOB = (
    '[data-testid="stSlider"] [role="group"] [style*="position: absolute"]:has(input[type="range"])'
)


def _knob(dot_px: int, ring_px: int) -> str:
    """The knob drawn ``dot_px`` wide inside a transparent ``ring_px`` border that also takes the touch."""
    return (
        f"{_SLIDER_KNOB}{{min-width:{dot_px}px!important;min-height:{dot_px}px!important;"
        f"border:{ring_px}px solid transparent!important;background-clip:padding-box!important;"
        "box-sizing:content-box!important}"
    )


def elder_css() -> str:
    """The large rules (without the media query)."""
    target = f"min-width:{ELDER_TARGET_PX}px!important;min-height:{ELDER_TARGET_PX}px!important"
    rules = [
        # 1 rem = 18 px: text, paddings and gaps that Streamlit sizes in rem grow with it
        f"html{{font-size:{ELDER_TEXT_PX}px!important}}",
        # headings: large but not Streamlit's 2.75 rem h1 on a 390 px screen
        '[data-testid="stApp"] h1{font-size:1.75rem!important;line-height:1.3!important}',
        '[data-testid="stApp"] h2{font-size:1.5rem!important;line-height:1.3!important}',
        '[data-testid="stApp"] h3{font-size:1.3rem!important;line-height:1.35!important}',
        '[data-testid="stApp"] :is(h4, h5, h6){font-size:1.1rem!important}',
        # everything Streamlit draws smaller than 1 rem
        _rules(_SMALL_TEXT, "font-size:1rem!important;line-height:1.5"),
        # the uploader's English "Upload" stays hidden (core.file_uploader puts the reader's words after it)
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p{font-size:0!important}',
        # high contrast: near-black text, no light grey captions or placeholders (a button's own
        # colours, e.g. white on the primary green, are kept)
        f'[data-testid="stApp"]{{color:{INK}!important}}',
        _rules(
            (
                '[data-testid="stCaptionContainer"]',
                '[data-testid="stCaptionContainer"] *',
                '[data-testid="stWidgetLabel"]',
                '[data-testid="stMetricLabel"]',
                '[data-testid="stTab"]:not([aria-selected="true"])',
                '[data-testid="stSidebarNavLink"]',
                '[data-testid="stNavSectionHeader"]',
                '[data-testid="stSliderTickBar"]',
            ),
            f"color:{INK}!important;opacity:1!important",
        ),
        f'[data-testid="stApp"] :is(input, textarea)::placeholder{{color:{SOFT_INK}!important;opacity:1!important}}',
        # inputs: 18 px text (iOS zooms into smaller fields), 48 px boxes
        '[data-testid="stApp"] :is(input, textarea, select){font-size:1rem!important}',
        _rules(_FIELDS, f"min-height:{ELDER_FIELD_PX}px!important"),
        '[data-testid="stTextAreaRootElement"] textarea{min-height:6rem!important}',
        # buttons: all at least 48 px high and 44 px wide; primary actions 60 px high
        _rules(
            (_BUTTONS,), f"min-height:{ELDER_FIELD_PX}px!important;min-width:{ELDER_TARGET_PX}px!important"
        ),
        _rules(
            (_PRIMARY,),
            f"min-height:{ELDER_PRIMARY_PX}px!important;padding-left:1.25rem;padding-right:1.25rem",
        ),
        # the data table's toolbar (search, download, full screen) and the element toolbar
        _rules(('[data-testid="stBaseButton-elementToolbar"]',), target),
        # number input - and +
        _rules(
            ('[data-testid="stNumberInputStepDown"]', '[data-testid="stNumberInputStepUp"]'),
            f"min-width:{ELDER_FIELD_PX}px!important;min-height:{ELDER_FIELD_PX}px!important;height:auto!important",
        ),
        _rules(
            ('[data-testid="stNumberInputStepDown"] svg', '[data-testid="stNumberInputStepUp"] svg'),
            "width:14px!important;height:14px!important",
        ),
        # buttons inside fields: the password eye, the date picker's calendar, clear buttons
        _rules(
            (
                '[data-testid="stTextInputRootElement"] button',
                '[data-testid="stDateInputCalendarButton"]',
                '[data-testid="stDateInputClearButton"]',
                '[data-testid="stTimeInputClearButton"]',
                '[data-testid="stTextInputClearButton"]',
                '[data-testid="stNumberInputClearButton"]',
                '[data-testid="stMultiSelect"] button',
                '[data-testid="stSelectbox"] button',
            ),
            target + ";display:inline-flex;align-items:center;justify-content:center",
        ),
        # the multiselect's chosen-item "x"
        _rules(
            ('[data-testid="stMultiSelectTagsContainer"] button',),
            target
            + ";display:inline-flex;align-items:center;justify-content:center;margin:-12px -10px -12px 0",
        ),
        # a question mark after a label: a 44 px tap area without moving the label
        _rules(
            ('[data-testid="stTooltipHoverTarget"] > button',),
            target
            + ";margin:-14px -14px -14px 0;display:inline-flex;align-items:center;justify-content:center",
        ),
        # the uploaded file's remove "x", a dialog's and a toast's close buttons, the sidebar's controls
        _rules(
            (
                '[data-testid="stFileChipDeleteBtn"]',
                '[data-testid="stFileChipDeleteBtn"] button',
                '[data-testid="stDialog"] button[aria-label="Close"]',
                '[data-testid="stToast"] button',
                '[data-testid="stExpandSidebarButton"]',
                '[data-testid="stSidebarCollapseButton"] button',
                '[data-testid="stMainMenuButton"]',
            ),
            target + ";display:inline-flex;align-items:center;justify-content:center",
        ),
        '[data-testid="stExpandSidebarButton"] [data-testid="stIconMaterial"]{font-size:2rem!important}',
        # checkboxes, switches, radio options: the whole label row (44 px) takes the tap
        _rules(
            ('[data-testid="stCheckbox"] label', '[data-testid="stRadioOption"]'),
            f"min-height:{ELDER_TARGET_PX}px!important;align-items:center!important",
        ),
        '[data-testid="stRadioGroup"]{gap:0 1.25rem!important}',
        # a slider's knob: 44 px to grab (a transparent border around a 28 px knob); the value shown
        # above the knob moves up with it, so the track moves down from the label
        _knob(28, 8),
        '[data-testid="stSlider"] [role="group"]{padding-top:0.75rem!important;padding-bottom:0.25rem!important}',
        # tabs, expanders, menu links, segmented controls, page links, options of a select
        _rules(
            ('[data-testid="stTab"]',),
            f"min-height:{ELDER_FIELD_PX}px!important;min-width:{ELDER_FIELD_PX}px!important;"
            "padding-left:0.5rem!important;padding-right:0.5rem!important",
        ),
        _rules(
            ('[data-testid="stTabsScrollLeft"]', '[data-testid="stTabsScrollRight"]'),
            f"min-width:{ELDER_TARGET_PX}px!important",
        ),
        _rules(
            (
                '[data-testid="stExpander"] summary',
                '[data-testid="stSidebarNavLink"]',
                '[data-testid="stSidebarNavViewButton"]',
                '[data-testid="stPageLink"] a',
                '[data-testid="stButtonGroup"] button',
            ),
            f"min-height:{ELDER_FIELD_PX}px!important;min-width:{ELDER_FIELD_PX}px!important;"
            "align-items:center!important",
        ),
        # a heading's "link to this heading" icon: no use on a phone, and an 18 px target
        '[data-testid="stHeaderActionElements"]{display:none!important}',
        # a table's toolbar (always shown on a touch screen) sits above the table: room for its
        # 44 px buttons, so that it does not cover the tabs or the heading above
        '[data-testid="stElementContainer"]:has([data-testid="stElementToolbar"]){margin-top:1.5rem}',
        # less empty space above the title (Streamlit leaves 6 rem for its header bar)
        '[data-testid="stMainBlockContainer"]{padding-top:4.5rem!important}',
        # Streamlit's camera "allow access" link
        '[data-testid="stCameraInputWebcamComponent"] a{display:inline-flex;align-items:center;'
        f"min-height:{ELDER_TARGET_PX}px}}",
        # a select's options: 44 px (its list is virtual, rows placed every 2.5 rem = 45 px)
        f'[role="listbox"] [role="option"]{{min-height:{ELDER_TARGET_PX}px!important;align-items:center}}',
        # narrow columns one under another (Streamlit stacks them below 640 px; in 'elder' on a
        # computer too, once a column would be narrower than 18 rem)
        '[data-testid="stHorizontalBlock"]{flex-wrap:wrap!important}',
        '[data-testid="stHorizontalBlock"] > [data-testid="stColumn"]{min-width:min(100%, 18rem)!important}',
    ]
    return "".join(rules)


def standard_css() -> str:
    """Streamlit's own density; only the controls Streamlit draws under 24 x 24 px grow to 24 px."""
    small = f"min-width:{STANDARD_TARGET_PX}px!important;min-height:{STANDARD_TARGET_PX}px!important"
    return (
        _rules(
            (
                '[data-testid="stTooltipHoverTarget"] > button',
                '[data-testid="stTextInputRootElement"] button',
                '[data-testid="stDateInputCalendarButton"]',
                '[data-testid="stMultiSelectTagsContainer"] button',
                '[data-testid="stFileChipDeleteBtn"]',
                '[data-testid="stFileChipDeleteBtn"] button',
                '[data-testid="stDialog"] button[aria-label="Close"]',
                '[data-testid="stToast"] button',
                '[data-testid="stBaseButton-elementToolbar"]',
                '[data-testid="stBaseButton-borderlessIcon"]',
                '[data-testid="stHeaderActionElements"] a',
            ),
            small + ";display:inline-flex;align-items:center;justify-content:center",
        )
        + _rules(
            ('[data-testid="stCheckbox"] label', '[data-testid="stRadioOption"]'),
            f"min-height:{STANDARD_TARGET_PX}px;align-items:center",
        )
        + _knob(12, (STANDARD_TARGET_PX - 12) // 2)
    )


# In every mode: no floating table toolbar (it covered headings on a phone and its buttons speak English
# only; pages that need a download offer their own button), and no "Press Enter to apply" under a text box
# (English whatever the page's language; the value is applied when she leaves the box as well).
BASE_CSS = (
    '[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) [data-testid="stElementToolbar"]'
    "{display:none}"
    '[data-testid="InputInstructions"]{display:none}'
)

MARKER = "--habitat-look"  # a custom property on :root naming the mode drawn (tests wait for it)


def css(mode: str) -> str:
    """The style sheet for a ``ui_mode`` (an unknown mode is drawn as 'auto')."""
    mode = mode if mode in UI_MODES else "auto"
    marker = f":root{{{MARKER}:{mode}}}" + BASE_CSS
    if mode == "standard":
        return marker + standard_css()
    if mode == "elder":
        return marker + standard_css() + elder_css()
    return marker + standard_css() + f"@media {PHONE_MEDIA}{{{elder_css()}}}"


def apply(mode: str) -> None:
    """Emit the style sheet for ``mode`` (one style-only st.html; call once per script run)."""
    st.html(f"<style>{css(mode)}</style>")
