"""The maps in a real browser without a tile URL (the default): no request leaves 127.0.0.1, the
labels are there, and every plan shows its whole garden at phone width (390 px) and on a desktop.

Every request of the browser context is intercepted; one to another host is recorded and aborted
(a MapLibre map would ask an outside glyph server for the fonts of its text labels).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from browser_helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    is_phone,
    login,
    main_area,
    open_page,
    shot,
    wait_idle,
)
from playwright.sync_api import expect

from habitat import i18n

pytestmark = pytest.mark.browser

HOST = "127.0.0.1"
WIDTHS = ["phone", "desktop"]
ZONE_CODES = {"A", "B", "C", "D", "E"}  # 中泾, the garden the pages open on
SIGHTING_RGB = "192, 57, 43"  # maps.py draws sightings in #C0392B
TOWN = {"中泾生境花园", "常馨生境花园", "新森生境花园", "乐颐生境花园"}


def t(key: str, **params) -> str:
    return i18n.t(key, "zh", **params)


class Outside:
    """Every request the page's context makes, intercepted; the ones to another host are aborted."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.seen = 0
        page.context.route("**/*", self._route)
        page.on("request", lambda request: self._note(request.url))  # also what a worker asks for
        page.on("websocket", lambda ws: self._note(ws.url))

    @staticmethod
    def _outside(url: str) -> bool:
        parts = urlparse(url)
        return parts.scheme not in ("data", "blob", "about") and parts.hostname != HOST

    def _note(self, url: str) -> None:
        self.seen += 1
        if self._outside(url) and url not in self.requests:
            self.requests.append(url)

    def _route(self, route) -> None:
        if self._outside(route.request.url):
            self._note(route.request.url)
            route.abort()
        else:
            route.continue_()

    def assert_none(self, where: str) -> None:
        assert self.seen > 0, "the request listener saw nothing: the interception is not working"
        assert not self.requests, f"{len(self.requests)} request(s) left {HOST} on {where}:\n" + "\n".join(
            self.requests[:20]
        )


def chart(page, key: str):
    return main_area(page).locator(f".st-key-{key}").get_by_test_id("stPlotlyChart")


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def check_map(page, key: str, labels: set[str], where: str, *, shapes: str = "path.js-fill") -> object:
    """The chart is on screen, within the viewport's width, draws every shape whole inside itself
    and shows every label as SVG text."""
    plot = chart(page, key)
    expect(plot).to_be_visible(timeout=TIMEOUT_MS)
    plot.scroll_into_view_if_needed()
    expect(plot.locator("g.textpoint text").first).to_be_attached(timeout=TIMEOUT_MS)
    width = page.viewport_size["width"]
    box = plot.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
        f"{where}: the map {box} overflows {width} px"
    )
    assert box["width"] >= min(width - 60, 300), f"{where}: the map is only {box['width']:.0f} px wide"
    assert plot.locator(".mapboxgl-canvas, .maplibregl-canvas, canvas").count() == 0, (
        f"{where}: a MapLibre map was drawn"
    )
    drawn = plot.locator(shapes)
    assert drawn.count() >= len(labels), f"{where}: {drawn.count()} shapes for {len(labels)} labels"
    for i in range(drawn.count()):
        shape = drawn.nth(i).bounding_box()
        assert shape and _inside(shape, box), f"{where}: shape {i} {shape} is cut off by the map {box}"
    if shapes == "path.js-fill" and drawn.count():  # a garden plan: the garden fills the chart
        boxes = [drawn.nth(i).bounding_box() for i in range(drawn.count())]
        wide = max(b["x"] + b["width"] for b in boxes) - min(b["x"] for b in boxes)
        tall = max(b["y"] + b["height"] for b in boxes) - min(b["y"] for b in boxes)
        assert wide >= 0.7 * box["width"] or tall >= 0.5 * box["height"], (
            f"{where}: the garden is drawn only {wide:.0f} x {tall:.0f} px in a {box['width']:.0f} x {box['height']:.0f} px chart"
        )
    texts = plot.locator("g.textpoint text")
    shown = {texts.nth(i).text_content() for i in range(texts.count())}
    assert labels <= shown, f"{where}: labels {labels - shown} missing (shown: {shown})"
    for i in range(texts.count()):
        label = texts.nth(i).bounding_box()
        assert label and _inside(label, box, slack=2), (
            f"{where}: label {texts.nth(i).text_content()!r} {label} is cut off by {box}"
        )
    return plot


def pick_garden_scope(page, name: str) -> None:
    """The dashboard/biodiversity scope at the top of the page: one garden instead of the whole town."""
    main_area(page).get_by_role("combobox", name=t("dash.scope_label"), exact=True).click()
    page.get_by_role("option").filter(has_text=name).first.click()
    wait_idle(page)


def click_label(page, plot, code: str) -> None:
    """Click the zone code on the plan, as a committee member would. On a touch screen plotly
    selects with the hover data of the previous touch: the first tap shows the zone's figures,
    the second picks it."""
    label = plot.locator("g.textpoint text").filter(has_text=re.compile(f"^{code}$")).first
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if is_phone(page):
        page.touchscreen.tap(x, y)
        wait_idle(page, settle=0.6)
        page.touchscreen.tap(x, y)
    else:
        page.mouse.move(x - 5, y - 5)
        page.mouse.click(x, y)
    wait_idle(page, settle=0.5)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_experts_maps_stay_on_this_machine_and_show_the_whole_garden(app_server, page_at, width):
    page = page_at(width)
    outside = Outside(page)
    login(page, app_server, "xuboshi")

    open_page(page, t("nav.garden"))
    check_map(page, "garden_plan", ZONE_CODES, f"garden page at {width}")
    assert_no_exception(page, "on the garden page")
    shot(page, f"maps_{width}_zh_garden_plan")
    outside.assert_none("the garden page")

    open_page(page, t("nav.biodiversity"), expect_title=t("bio.title"))
    pick_garden_scope(page, "中泾生境花园")
    plot = check_map(page, "bio_zone_map", ZONE_CODES, f"biodiversity page at {width}")
    filtered = main_area(page).get_by_text(t("bio.filtered_zones", n=1))
    expect(filtered).to_have_count(0)
    click_label(page, plot, "B")
    expect(filtered).to_be_visible(timeout=TIMEOUT_MS)  # the zone table now shows the picked zone only
    assert_no_exception(page, "after picking a zone on the plan")
    chart(page, "bio_zone_map").scroll_into_view_if_needed()
    shot(page, f"maps_{width}_zh_biodiversity_zone_picked")
    outside.assert_none("the biodiversity page")

    open_page(page, t("nav.review"), expect_title=t("review.title"))
    plot = check_map(page, "review_map", set(), f"review page at {width}")
    zones = plot.locator("path.js-fill")
    dot = plot.locator(
        f'path.point[style*="{SIGHTING_RGB}"]'
    )  # the record's point (the zones' markers are invisible)
    expect(dot).to_have_count(1, timeout=TIMEOUT_MS)
    spot = dot.bounding_box()
    assert spot and _inside(spot, plot.bounding_box()), "the record's point is off the plan"
    centre = (spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
    under = [
        i
        for i in range(zones.count())
        if _inside(
            {"x": centre[0], "y": centre[1], "width": 0, "height": 0}, zones.nth(i).bounding_box(), slack=0
        )
    ]
    assert len(under) >= 1, "the record's point lies in no zone of the plan"
    assert_no_exception(page, "on the review page")
    shot(page, f"maps_{width}_zh_review_plan")
    outside.assert_none("the review page")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_committees_maps_stay_on_this_machine_and_keep_every_garden_on_screen(app_server, page_at, width):
    page = page_at(width)
    outside = Outside(page)
    login(page, app_server, "liuzhuren")

    open_page(page, t("nav.dashboard"), expect_title=t("dash.title"))
    page.get_by_role("tab", name=t("dash.town_tab")).click()
    wait_idle(page)
    check_map(page, "dash_town_map", TOWN, f"town map at {width}", shapes="path.point")
    assert_no_exception(page, "on the dashboard")
    shot(page, f"maps_{width}_zh_town_map")
    outside.assert_none("the dashboard")

    open_page(page, t("nav.manage"), expect_title=t("manage.title"))
    page.get_by_role("tab", name=t("manage.tab_zones"), exact=True).click()
    wait_idle(page)
    check_map(page, "manage_zone_plan", ZONE_CODES, f"manage zones at {width}")
    assert_no_exception(page, "on manage → zones")
    shot(page, f"maps_{width}_zh_manage_zones")
    outside.assert_none("manage → zones")
