"""Hostile text in a real browser: with Markdown images, links, HTML and formulas typed into ~40 fields,
every page of every role renders them as text and no request leaves 127.0.0.1."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_helpers import assert_no_exception, login, main_area, open_page, pages_for, shot, wait_idle
from conftest import running_server

from habitat import i18n
from tests.fixtures.hostile_text import EVIL, seed_hostile

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_server(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_browser")
    template = folder / "template" / "garden.duckdb"
    template.parent.mkdir()
    shutil.copy(demo_template, template)
    if (demo_template.parent / "photos").exists():
        shutil.copytree(demo_template.parent / "photos", template.parent / "photos")
    seed_hostile(template, template.parent / "photos")
    (folder / "server").mkdir()
    with running_server(template, folder / "server") as url:
        yield url


@pytest.mark.parametrize(
    "username,role", [("hostile", "volunteer"), ("xuboshi", "expert"), ("liuzhuren", "committee")]
)
def test_hostile_text_is_text_and_nothing_leaves_the_machine(hostile_server, page_at, username, role):
    page = page_at("desktop")
    outside: list[str] = []
    page.context.on(
        "request",
        lambda r: outside.append(r.url)
        if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).hostname != "127.0.0.1"
        else None,
    )
    login(page, hostile_server, username)
    for path, key in pages_for(role):
        open_page(page, i18n.t(key, "zh"))
        for tab in main_area(page).get_by_role("tab").all():
            if tab.is_visible():
                tab.click()
                wait_idle(page, settle=0.05)
        assert_no_exception(page, f"on {path} as {username}")
        html = main_area(page).inner_html()
        live = [
            html[max(0, m.start() - 300) : m.end() + 80]
            for m in re.finditer(f'(src|href)="{re.escape(EVIL)}', html)
        ]
        assert live == [], f"{path}: a live link or image: {live[:2]}"
        assert "<script>alert" not in html
        shot(page, f"desktop_zh_hostile_{username}_{Path(path).stem}")
    assert outside == [], outside[:5]
    assert not page.js_errors, page.js_errors
