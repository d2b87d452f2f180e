"""The volunteer's main flows in a real browser at phone width (390 px), in Chinese."""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    photo_uploader,
    TIMEOUT_MS,
    assert_no_exception,
    login,
    main_area,
    open_page,
    shot,
    wait_idle,
)
from playwright.sync_api import expect

from habitat import geo
from habitat.demo import GARDENS
from tests.fixtures import images as fx

pytestmark = pytest.mark.browser


def zone_point(slug: str, code: str) -> tuple[float, float]:
    garden = next(g for g in GARDENS if g.slug == slug)
    x0, y0, x1, y1 = next(z for z in garden.zones if z.code == code).rect
    lon, lat = geo.polygon_from_local_metres(
        garden.lat, garden.lon, [((x0 + x1) / 2, (y0 + y1) / 2)] * 3
    ).exterior.coords[0]
    return lat, lon


def type_and_enter(page, label: str, text: str, nth: int = 0) -> None:
    box = main_area(page).get_by_label(label, exact=True).nth(nth)
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def combobox_shows(page, name: str, pattern: str) -> None:
    box = main_area(page).get_by_role("combobox", name=name, exact=True).first
    expect(box).to_be_attached(timeout=TIMEOUT_MS)
    for _ in range(50):
        text = box.evaluate("el => el.value || el.getAttribute('aria-label') || el.textContent || ''")
        shown = (
            page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text=re.compile(pattern))
        )
        if re.search(pattern, text or "") or shown.count():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"combobox {name!r} does not show {pattern!r}")


def success(page, pattern: str):
    expect(
        main_area(page).get_by_test_id("stAlert").filter(has_text=re.compile(pattern)).first
    ).to_be_visible(timeout=TIMEOUT_MS)


def test_log_a_sighting_with_a_photo_on_a_phone(app_server, phone_page, tmp_path):
    page = phone_page
    login(page, app_server, "wangayi")
    open_page(page, "记录物种", expect_title="记录物种")
    lat, lon = zone_point("zhongjing", "B")
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(
        fx.make_jpeg(gps=(lat, lon), taken="2026:11:21 09:40:00", offset="+08:00", color=(200, 190, 60))
    )
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(photo))
    expect(main_area(page).get_by_text(re.compile("已选好区域"))).to_be_visible(timeout=TIMEOUT_MS)
    type_and_enter(page, "搜索物种（中文、拼音首字母如 btb、学名或英文名）", "cfd")
    combobox_shows(page, "物种", "菜粉蝶 · Small White")
    combobox_shows(page, "区域", "B · 蜜源花境")
    shot(page, "flow_phone_zh_log_sighting_filled")
    page.get_by_role("button", name="保存记录").click()
    wait_idle(page)
    success(page, "已保存第 \\d+ 号记录（1 张照片）")
    assert_no_exception(page, "after saving a sighting")
    shot(page, "flow_phone_zh_log_sighting_saved")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form scrolls sideways ({width} px)"


def test_log_an_upkeep_task_with_one_tap(app_server, phone_page):
    page = phone_page
    login(page, app_server, "lishushu")
    open_page(page, "养护任务", expect_title="养护任务")
    done = main_area(page).get_by_role("button", name="完成 ✓")
    assert done.count() > 0, "the demo leaves watering overdue in every garden"
    done.first.click()
    wait_idle(page)
    success(page, "已记录")
    shot(page, "flow_phone_zh_upkeep_done")


def test_batch_upload_of_five_photos_becomes_two_records(app_server, phone_page, tmp_path):
    page = phone_page
    login(page, app_server, "sunayi")
    open_page(page, "批量上传照片", expect_title="批量上传照片")
    files = []
    for i, stamp in enumerate(["09:00:00", "09:00:40", "09:01:30", "09:20:00", "09:20:30"]):
        path = tmp_path / f"P{i}.jpg"
        path.write_bytes(
            fx.make_jpeg(width=640, height=480, taken=f"2026:11:21 {stamp}", color=(30 * i, 120, 90))
        )
        files.append(str(path))
    photo_uploader(page).set_input_files(files)
    success(page, "5 张照片分成了 2 组")
    label = "搜索物种（中文、拼音首字母如 btb、学名或英文名）"
    type_and_enter(page, label, "麻雀", nth=0)
    type_and_enter(page, label, "乌鸫", nth=1)
    shot(page, "flow_phone_zh_batch_grouped")
    page.get_by_role("button", name="全部保存（2 条记录）").click()
    wait_idle(page)
    success(page, "已保存 2 条记录")
    shot(page, "flow_phone_zh_batch_saved")


def test_my_records_edit_a_count(app_server, phone_page):
    page = phone_page
    login(page, app_server, "wangayi")
    open_page(page, "我的记录", expect_title="我的记录")
    count = main_area(page).get_by_label("数量", exact=True)
    count.fill("7")
    count.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="保存修改").click()
    wait_idle(page)
    success(page, "已保存修改")
    shot(page, "flow_phone_zh_my_records")
