"""The everyday journeys on a phone (390 x 844, Chinese), counted in taps from home (issue 14): one upkeep
task in 1 tap; answering an expert's question about her record in at most 3 (the sighting with a photo,
at most 4 taps after the photo, is tests/browser/test_photo_flows.py). Each journey ends with what she
sees: the confirmation in view, and the thing done (the task gone from her list, the question answered)."""

from __future__ import annotations

import re

import pytest
from browser_helpers import Taps, assert_no_exception, login, main_area, shot
from playwright.sync_api import expect

from habitat import i18n

pytestmark = pytest.mark.browser


def due_count(page) -> int:
    label = main_area(page).get_by_role("button", name=re.compile(r"今天的养护")).first.inner_text()
    return int(re.search(r"(\d+)", label).group(1))


def test_one_upkeep_task_is_one_tap_from_home(app_server, page_at):
    page = page_at("phone")
    login(page, app_server, "wangayi")
    before = due_count(page)
    assert before >= 1, "the demo gives 王阿姨 something due today"
    taps = Taps(page)
    done = main_area(page).get_by_role("button", name=i18n.t("upkeep.done", "zh")).first
    taps.tap(done)
    confirmation = main_area(page).get_by_text(
        re.compile("^" + re.escape(i18n.t("upkeep.logged", "zh", task="")))
    )
    expect(confirmation.first).to_be_in_viewport()  # where she looks
    assert due_count(page) == before - 1
    assert taps.n == 1
    assert_no_exception(page, "after one tap on 完成")
    shot(page, "phone_zh_wangayi_upkeep_one_tap")


def test_answering_an_experts_question_takes_three_taps_from_home(app_server, page_at):
    page = page_at("phone")
    login(page, app_server, "wangayi")
    main = main_area(page)
    expect(main.get_by_text(i18n.t("inbox.banner_query", "zh"))).to_be_visible()
    taps = Taps(page)
    taps.tap(main.get_by_role("button", name=i18n.t("inbox.open_record", "zh")))
    expect(page.get_by_role("heading", name=i18n.t("mine.title", "zh"))).to_be_visible()
    box = main.get_by_label(i18n.t("mine.answer", "zh"))
    taps.tap(box)
    box.fill("大概有麻雀那么大，停在花境的马利筋上。")
    taps.tap(main.get_by_role("button", name=i18n.t("mine.send_answer", "zh")))
    sent = main.get_by_text(i18n.t("mine.answer_sent", "zh"))
    expect(sent.first).to_be_in_viewport()
    assert taps.n <= 3, taps.n
    # answered: the record no longer waits for her, and her answer is in its thread
    expect(main.get_by_label(i18n.t("mine.answer", "zh"))).to_have_count(0)
    expect(main.get_by_text("停在花境的马利筋上").first).to_be_visible()
    assert_no_exception(page, "after answering the expert")
    shot(page, "phone_zh_wangayi_answered_expert")
