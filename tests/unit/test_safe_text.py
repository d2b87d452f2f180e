"""md_escape: user text rendered as Markdown shows exactly what was typed, and nothing else.

The reference renderer is markdown-it-py (CommonMark, with GFM tables and strikethrough), a
dependency of Streamlit's own dependency rich; Streamlit's browser renderer follows CommonMark too.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from habitat.errors import PhotoError
from habitat.ui.safe import chart_text, error_message, md_escape, md_join, plain
from tests.fixtures.hostile_text import PAYLOADS

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TEXT_ONLY = {"text", "softbreak", "hardbreak"}


def rendered(markdown: str) -> tuple[str, set[str]]:
    """(the text a reader sees, the kinds of inline tokens) for a Markdown string."""
    blocks = MD.parse(markdown)
    kinds, parts = set(), []
    for block in blocks:
        kinds.add(block.type)
        for tok in block.children or []:
            kinds.add(tok.type)
            if tok.type == "text":
                parts.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                parts.append("\n")
    return "".join(parts).replace("\u2060", ""), kinds  # the word joiner (breaks autolinks) is invisible


def typed(text: str) -> str:
    """What md_escape promises to show: the text without unshowable characters, each line trimmed."""
    return "\n".join(line.strip() for line in plain(text).strip().split("\n"))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_what_is_shown_equals_what_was_typed(payload):
    text, kinds = rendered(md_escape(payload))
    assert kinds <= {"paragraph_open", "paragraph_close", "inline"} | TEXT_ONLY, kinds
    assert text == typed(payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_no_punctuation_is_left_unescaped(payload):
    """Streamlit's own syntax (:red[..], :material/..:, $math$) is not CommonMark, so check the
    source: with every backslash escape and hard break taken out, no ASCII punctuation remains."""
    rest = re.sub(r"\\([!-/:-@\[-`{-~]|\n)", "", md_escape(payload))
    assert not re.search(r"[!-/:-@\[-`{-~]", rest), rest


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_escaped_text_sits_inside_bold_next_to_labels(payload):
    text, kinds = rendered(f"**{md_escape(payload)}** · {md_escape(payload)}")
    assert not kinds & {"image", "link_open", "html_inline", "html_block", "code_inline", "s_open", "em_open"}
    assert text == f"{typed(payload)} · {typed(payload)}"


def test_invisible_and_direction_override_characters_are_removed():
    assert md_escape("a\x00b\x07c\u202ed\u2066e\u2069") == "abcde"
    assert md_escape("\u200fmark") == "\u200fmark"  # a direction mark alone reorders nothing


def test_line_breaks_stay_line_breaks_and_never_start_a_block():
    source = md_escape("第一行\r\n# 不是标题\r- 不是列表\n\n    不是代码")
    text, kinds = rendered(source)
    assert text == "第一行\n# 不是标题\n- 不是列表\n\n不是代码"
    assert "heading_open" not in kinds and "bullet_list_open" not in kinds and "code_block" not in kinds


def test_empty_values_show_as_nothing():
    for value in (None, float("nan"), "", "   \n "):
        assert md_escape(value) == ""
    assert md_escape(42) == "42"


def test_join_escapes_each_part_but_not_the_separator():
    assert md_join(["[a]", "b*"], "、") == "\\[a\\]、b\\*"


def test_error_messages_escape_their_parameters_only():
    err = PhotoError("photo.same_twice", file="![x](http://evil.test/x.png)")
    text, kinds = rendered(error_message(err, "en"))
    assert "image" not in kinds and "link_open" not in kinds
    assert "![x](http://evil.test/x.png)" in text


def test_chart_text_writes_html_as_entities():
    assert (
        chart_text('<a href="http://evil.test">x</a> & y')
        == '&lt;a href="http://evil.test"&gt;x&lt;/a&gt; &amp; y'
    )


@pytest.mark.parametrize(
    "address",
    [
        "http://evil.test/a",
        "HTTPS://evil.test",
        "www.evil.test",
        "ftp://x.cn/f",
        "someone@evil.test",
        "javascript:/alert",
        "见 http://evil.test 官网",
    ],
)
def test_bare_addresses_do_not_become_links(address):
    """GitHub-flavoured Markdown (Streamlit's renderer) links bare addresses even when escaped."""
    source = md_escape(address).replace("\\", "")
    assert not re.search(r"(?i)[a-z]://|\bwww\.|@[0-9a-z]|[a-z]:/", source), source
    assert rendered(md_escape(address))[0] == address
