"""AppTest: text people typed is shown as text on every page, for every role.

Hostile text (Markdown images and links, javascript: links, HTML, NUL, a right-to-left override,
Streamlit's :colour[..] and $math$, an 800-character word) is written into the demo database
through the real services: garden, town and theme, a zone, a feature, a task, a display name, a
partner with its role and description, a species name, a sighting's description and note, a
question, an answer, a problem, a query to the recorder, an event's title and place, a group
sign-up and guests, a children's plot, ideas with a resident's name and a status note, a meeting
(place, participants, item, decision, notes, follow-up), a principle note and a product.

Every page that shows them is then rendered as each role, and every string Streamlit reads as
Markdown (markdown, caption, title, alerts, toasts, widget/button/expander/tab/metric labels, help,
radio and segmented-control options) is parsed with a CommonMark parser: it must contain no image,
link or HTML, and the hostile image syntax must show up as literal text where the page shows it.

AppTest 1.67 does not show the router's sidebar (garden_app.py: the signed-in person's name), so
that line is not covered here.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import streamlit as st
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from habitat.ui.apptest import signed_in
from tests.app.conftest import APP, person
from tests.app.helpers import rows, uploader
from tests.fixtures.hostile_text import EVIL, hostile, seed_hostile

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
FORBIDDEN = {"image", "link_open", "html_inline", "html_block"}
MARKDOWN_BODIES = {
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "error",
    "warning",
    "info",
    "success",
    "toast",
}
MARKDOWN_OPTIONS = {"radio", "button_group"}  # selectbox / multiselect options are plain text


def shown_image(tag: str) -> str:
    """How the leading image must read on the page: as its literal Markdown."""
    return f"![{tag}]({EVIL}/{tag}.png)"


@pytest.fixture(scope="module")
def hostile_template(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "garden.duckdb"
    shutil.copy(demo_template, path)
    ids = seed_hostile(path, folder / "photos")
    return path, ids


@pytest.fixture
def hostile_env(hostile_template, tmp_path, monkeypatch):
    template, ids = hostile_template
    db = tmp_path / "garden.duckdb"
    shutil.copy(template, db)
    monkeypatch.setenv("GARDEN_DB", str(db))
    monkeypatch.setenv("GARDEN_PHOTOS", str(tmp_path / "photos"))
    monkeypatch.setenv("GARDEN_LANG", "zh")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db, ids
    st.cache_resource.clear()
    st.cache_data.clear()


# ------------------------------------------------------------------------------------------ checking


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of every string on the page that Streamlit renders as Markdown."""
    found = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = node.type
        if kind in MARKDOWN_BODIES:
            found.append((kind, proto.body))
        for field in ("label", "help"):
            value = getattr(proto, field, None) if kind not in ("text", "code") else None
            if isinstance(value, str) and value:
                found.append((f"{kind}.{field}", value))
        if kind == "radio":
            found += [("radio.option", o) for o in proto.options]
        if kind == "button_group":
            found += [("button_group.option", o.content) for o in proto.options]
    return found


def rendered_text(markdown: str) -> str:
    parts = []
    for block in MD.parse(markdown):
        for tok in block.children or []:
            parts.append(tok.content if tok.type == "text" else "\n" if tok.type.endswith("break") else "")
    return "".join(parts).replace("\u2060", "")  # the invisible word joiner that breaks autolinks


def chart_strings(at: AppTest) -> list[str]:
    """Data strings of every Plotly chart (labels, hover texts, names): Plotly reads HTML in them."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for node in at._tree:
        spec = getattr(getattr(node, "proto", None), "spec", None) if node.type == "plotly_chart" else None
        for trace in json.loads(spec)["data"] if spec else []:
            for key in ("x", "y", "text", "name", "hovertext", "customdata", "labels"):
                walk(trace.get(key))
    return found


def check_page(at: AppTest, expected_tags: tuple[str, ...]) -> None:
    assert not at.exception, at.exception
    assert not [c[:80] for c in chart_strings(at) if "<" in c], "HTML in a chart label"
    strings = markdown_strings(at)
    markup = [
        (where, text[:120])
        for where, text in strings
        if {tok.type for block in MD.parse(text) for tok in [block, *(block.children or [])]} & FORBIDDEN
    ]
    assert not markup, markup
    assert not [text[:120] for _, text in strings if re.search(r"(?<!\\)<img", text)], "raw <img in Markdown"
    shown = "\n".join(rendered_text(text) for _, text in strings)
    missing = [tag for tag in expected_tags if shown_image(tag) not in shown]
    assert not missing, f"not shown as literal text: {missing}"


def open_page(db, username: str, page: str, query: dict, *, lang: str = "zh") -> AppTest:
    at = signed_in(APP, db, person(db, username).id, lang=lang, timeout=60)
    for k, v in query.items():
        if k.startswith("state:"):  # a lazy tab to open: {"state:dash_tab": "志愿时长"}
            at.session_state[k.removeprefix("state:")] = v
        else:
            at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    return at


# (user, page, extra query, tags that must appear as literal text)
PAGES = [
    ("hostile", "pages/home.py", {}, ("person", "task", "garden", "zone")),
    ("hostile", "pages/account.py", {}, ("person",)),
    ("hostile", "pages/my_records.py", {}, ()),
    ("wangayi", "pages/home.py", {}, ("task", "garden", "zone")),
    ("wangayi", "pages/garden.py", {}, ("garden", "town", "theme", "partner", "prole", "person", "event")),
    ("wangayi", "pages/log_sighting.py", {}, ()),
    ("wangayi", "pages/upkeep.py", {}, ("task", "garden", "zone")),
    ("wangayi", "pages/ask.py", {}, ("garden", "zone", "species")),
    ("wangayi", "pages/events.py", {"event": "{event}"}, ("event", "place", "person", "partner")),
    ("wangayi", "pages/ideas.py", {}, ("idea", "idea2", "zone", "resident", "inote")),
    ("wangayi", "pages/partners.py", {}, ("partner", "pdesc", "garden", "person")),
    ("xuboshi", "pages/review.py", {}, ("garden",)),
    ("xuboshi", "pages/dashboard.py", {}, ("garden",)),
    ("xuboshi", "pages/biodiversity.py", {}, ("garden",)),
    ("xuboshi", "pages/principles.py", {}, ("pnote1",)),
    ("xuboshi", "pages/checklist.py", {}, ()),
    ("xuboshi", "pages/export.py", {}, ()),
    ("xuboshi", "pages/partners.py", {}, ("partner", "pdesc", "contact")),
    ("liuzhuren", "pages/home.py", {}, ("garden",)),
    ("liuzhuren", "pages/manage.py", {}, ("garden",)),
    ("liuzhuren", "pages/meetings.py", {}, ("idea", "mplace", "attendee", "item", "decision", "mnotes")),
    ("liuzhuren", "pages/events.py", {"event": "{event}"}, ("event", "place", "person", "partner", "guest")),
    ("liuzhuren", "pages/ideas.py", {}, ("idea", "resident", "inote")),
    ("liuzhuren", "pages/dashboard.py", {}, ("garden",)),
    ("liuzhuren", "pages/dashboard.py", {"state:dash_tab": "志愿时长"}, ("garden",)),
    ("liuzhuren", "pages/dashboard.py", {"state:dash_tab": "全镇地图"}, ("garden",)),
    ("liuzhuren", "pages/principles.py", {}, ()),
]


@pytest.mark.parametrize(
    "username, page, query, tags",
    PAGES,
    ids=[
        f"{u}-{p[6:-3]}{'-' + q['state:dash_tab'] if 'state:dash_tab' in q else ''}" for u, p, q, _ in PAGES
    ],
)
def test_user_text_is_shown_as_text(hostile_env, username, page, query, tags):
    db, ids = hostile_env
    query = {"garden": "zhongjing", **{k: v.format(**ids) for k, v in query.items()}}
    at = open_page(db, username, page, query)
    check_page(at, tags)


def test_the_review_record_and_its_thread_show_text_as_text(hostile_env):
    db, ids = hostile_env
    at = open_page(db, "xuboshi", "pages/review.py", {"garden": "zhongjing"})
    at.selectbox(key="review_recorder").set_value(ids["person"]).run()
    check_page(at, ("species", "garden", "zone", "person"))


def test_a_plot_and_its_observations_show_text_as_text(hostile_env):
    db, ids = hostile_env
    at = open_page(db, "wangayi", "pages/events.py", {"garden": "zhongjing"})
    at.selectbox(key="events_plot").set_value(ids["plot"]).run()
    check_page(at, ("plot", "class"))


@pytest.mark.parametrize("record, tag", [("sighting", "species"), ("described", "desc")])
def test_my_records_show_a_species_name_and_a_description_as_text(hostile_env, record, tag):
    db, ids = hostile_env
    at = open_page(db, "hostile", "pages/my_records.py", {})
    at.selectbox(key="mine_pick").set_value(ids[record]).run()
    check_page(at, (tag,))


def test_a_rejected_file_name_is_shown_as_text(hostile_env):
    db, _ = hostile_env
    at = open_page(db, "wangayi", "pages/batch.py", {"garden": "zhongjing"})
    name = "![file](evil.png) <img src=x onerror=alert(1)>.jpg"
    uploader(at, "batch0").set_value((name, b"not a photo", "image/jpeg")).run()
    check_page(at, ())
    assert any("![file](evil.png)" in rendered_text(e.value) for e in at.error), [e.value for e in at.error]


def test_flash_messages_repeat_typed_titles_as_text(hostile_env):
    """A success message that repeats what was typed (here: an idea's title) shows it as text."""
    db, _ = hostile_env
    at = open_page(db, "wangayi", "pages/ideas.py", {"garden": "zhongjing"})
    title = hostile("newidea", 100)
    at.text_input(key="ideas_new0_title").input(title).run()
    next(b for b in at.button if b.key == "ideas_save").click().run()
    assert rows(db, "SELECT count(*) FROM ideas WHERE title = ?", [title.strip()]) == [(1,)]
    check_page(at, ("newidea",))
    assert any(shown_image("newidea") in rendered_text(s.value) for s in at.success)


def test_an_error_naming_a_typed_file_shows_the_name_as_text(hostile_env):
    db, _ = hostile_env
    at = open_page(db, "wangayi", "pages/log_sighting.py", {"garden": "zhongjing"})
    uploader(at, "log0").set_value(("![file](evil.png) <img src=x>.jpg", b"not a photo", "image/jpeg")).run()
    assert any("![file](evil.png)" in rendered_text(e.value) for e in at.error), [e.value for e in at.error]
    check_page(at, ())
