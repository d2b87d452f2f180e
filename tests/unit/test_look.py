"""适老化 (issue 14): the display modes' style sheets (habitat/ui/look.py). What they look like in a
browser is measured by tests/browser (test_elder_mode.py, and the audit in test_crawl.py)."""

from __future__ import annotations

import re

from habitat import i18n
from habitat.domain.roles import UI_MODES
from habitat.ui import look


def test_every_mode_has_a_label_in_both_languages():
    for lang in i18n.LANGUAGES:
        assert [m for m in UI_MODES if f"look.{m}" not in i18n.catalog(lang)] == []


def test_auto_is_the_elder_sheet_inside_the_phone_media_query():
    auto = look.css("auto")
    assert auto == ":root{--habitat-look:auto}" + look.BASE_CSS + look.standard_css() + (
        f"@media {look.PHONE_MEDIA}{{{look.elder_css()}}}"
    )
    assert look.PHONE_MEDIA == "(max-width: 640px)"


def test_elder_applies_everywhere_and_standard_keeps_streamlits_text_size():
    elder, standard = look.css("elder"), look.css("standard")
    assert "@media" not in elder and "html{font-size:18px" in elder
    assert "font-size:18px" not in standard and "html{" not in standard
    assert "min-height:60px" in elder  # primary buttons
    assert "min-width:24px" in standard  # no target under 24 px


def test_an_unknown_mode_is_drawn_as_auto():
    assert look.css("huge") == look.css("auto")


def test_each_sheet_is_well_formed():
    for mode in UI_MODES:
        sheet = look.css(mode)
        assert sheet.count("{") == sheet.count("}"), mode
        assert "<" not in sheet and "</style" not in sheet.lower()
        # every rule has a selector and a body: no "{}" and no ",{" left by an empty selector list
        assert not re.search(r"(^|[{},])\s*\{", sheet), mode


def test_every_mode_hides_the_english_table_toolbar_and_enter_hint():
    for mode in ("auto", "elder", "standard"):
        sheet = look.css(mode)
        assert '[data-testid="stElementToolbar"]{display:none}' in sheet
        assert '[data-testid="InputInstructions"]{display:none}' in sheet
