"""AppTest: the sighting forms after the photo (issue 14 items 4-6). A save answers at the top of the page
with 再记一条 (and 回到巡护 during a patrol); the chosen photos show at once, and a photo already in a record
is said right after the pick; a tap on a 当季常见 card fills the species. Batch: a duplicate is said right
after the upload, a group without a time gets a date and time, a saved group leaves the screen."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from habitat.clock import SHANGHAI
from tests.app.helpers import click, displayed, rows, uploader
from tests.fixtures import images as fx


def top_of_page(at, n: int = 3) -> list[str]:
    """The kinds of the first ``n`` elements of the page body, in order (the title is first)."""
    kinds: list[str] = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if len(kinds) >= n:
                return
            if getattr(child, "children", None):
                walk(child)
            else:
                kinds.append(child.type)

    walk(at.main)
    return kinds


def exif_time(days_ago: float = 1) -> str:
    return (datetime.now(SHANGHAI) - timedelta(days=days_ago)).strftime("%Y:%m:%d %H:%M:%S")


def thumbnails(at) -> int:
    """Thumbnails of the chosen photos (captioned with the file name; a card's photo has no caption)."""
    return sum(1 for e in at.get("image") for caption in e.captions if caption)


def card_photos(at) -> int:
    return sum(1 for e in at.get("image") for caption in e.captions if not caption)


def species_box(at, k: str = "log0"):
    return next(s for s in at.selectbox if (s.key or "").startswith(f"{k}_sp_sel_"))


def card_buttons(at, k: str = "log0") -> list:
    return [b for b in at.button if re.fullmatch(rf"seasonal_{k}_sp_\d+_[01]", b.key or "")]


def save_with_search(at, search: str = "btb") -> None:
    at.text_input(key="log0_sp_q").input(search).run()
    click(at, "保存记录")


# ------------------------------------------------------------------------------------- log form


def test_after_saving_a_sighting_the_success_is_at_the_top_with_record_another(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    uploader(at, "_files").set_value(("IMG_1.jpg", fx.make_jpeg(taken=exif_time()), "image/jpeg")).run()
    save_with_search(at)
    assert top_of_page(at, 2) == ["title", "success"], top_of_page(at, 4)
    assert re.match(r"已保存第 \d+ 号记录（1 张照片）", at.success[0].value)
    assert [t.value for t in at.toast] == [at.success[0].value]  # seen wherever the page is scrolled
    assert [b.label for b in at.button if b.key == "saved_again"] == ["再记一条"]
    assert not at.get("page_link")  # no patrol running: no 回到巡护
    assert at.text_input(key="log1_sp_q").value == "" and thumbnails(at) == 0  # the form is fresh
    click(at, "再记一条")
    assert not any("已保存第" in s.value for s in at.success) and not at.toast


def test_a_refused_save_keeps_the_form_and_offers_nothing(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    at.text_area(key="log0_note").input("池塘边").run()
    click(at, "保存记录")  # no species
    assert at.error and not at.toast and not any(b.key == "saved_again" for b in at.button)
    assert at.text_area(key="log0_note").value == "池塘边"


def test_during_a_patrol_a_save_offers_back_to_the_patrol(app_as, app_env):
    at = app_as("wangayi", "pages/patrol.py")
    click(at, "开始巡护")
    at.switch_page("pages/log_sighting.py").run()
    save_with_search(at)
    assert top_of_page(at, 2) == ["title", "success"]
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["回到巡护"] and links[0].proto.page.endswith("patrol")
    assert any(b.key == "saved_again" for b in at.button)
    visit = rows(app_env, "SELECT max(id) FROM visits")[0][0]
    assert rows(app_env, "SELECT visit_id FROM sightings ORDER BY id DESC LIMIT 1") == [(visit,)]


def test_the_chosen_photo_shows_at_once_and_an_odd_file_is_refused_in_chinese_at_once(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    assert thumbnails(at) == 0
    files = [
        ("IMG_7.jpg", fx.make_jpeg(taken=exif_time(), color=(30, 160, 60)), "image/jpeg"),
        ("scan16.png", fx.make_16bit_png(width=200, height=150), "image/png"),
        ("cat.gif", fx.make_animated_gif(), "image/gif"),
    ]
    uploader(at, "_files").set_value(files).run()
    assert thumbnails(at) == 2  # the JPEG and the 16-bit scan, before any save
    errors = [displayed(e.value) for e in at.error]
    assert len(errors) == 1 and "cat.gif" in errors[0] and "动图" in errors[0]


def test_a_photo_already_in_a_record_is_a_note_then_refused_at_once_for_the_same_species(app_as, app_env):
    photo = fx.make_jpeg(taken=exif_time(), color=(120, 30, 150))
    at = app_as("wangayi", "pages/log_sighting.py")
    uploader(at, "_files").set_value(("IMG_9.jpg", photo, "image/jpeg")).run()
    save_with_search(at, "btb")  # 白头鹎
    first = rows(app_env, "SELECT max(id) FROM sightings")[0][0]
    uploader(at, "_files").set_value(("IMG_9.jpg", photo, "image/jpeg")).run()
    notes = [displayed(i.value) for i in at.info if "已经在第" in i.value]
    assert notes and f"第 {first} 号记录（白头鹎" in notes[0], [i.value for i in at.info]
    assert not at.error
    at.text_input(key="log1_sp_q").input("btb").run()  # the same species: refused now, not at the save
    assert any(f"第 {first} 号记录里记过这个物种" in displayed(e.value) for e in at.error)
    at.text_input(key="log1_sp_q").input("麻雀").run()  # another organism in the same photo: fine
    assert not at.error and any(f"也在第 {first} 号记录" in displayed(c.value) for c in at.caption)
    click(at, "保存记录")
    assert re.match(r"已保存第 \d+ 号记录（1 张照片）", at.success[0].value)


def test_tapping_a_seasonal_card_fills_the_species_and_the_planted_switch(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    uploader(at, "_files").set_value(("IMG_3.jpg", fx.make_jpeg(taken=exif_time(3)), "image/jpeg")).run()
    assert species_box(at).value is None
    assert any(m.value == "**当季常见**" for m in at.markdown)
    cards = card_buttons(at)
    assert len(cards) >= 3
    card = cards[0]
    species_id, planted = (int(x) for x in card.key.rsplit("_", 2)[1:])
    card.click().run()
    assert not at.exception, at.exception
    box = species_box(at)
    assert box.value == species_id and card.label in box.format_func(box.value)
    assert at.toggle(key="log0_planted").value == bool(planted)
    assert not card_buttons(at)  # the species box is filled: the cards give way
    click(at, "保存记录")
    assert rows(app_env, "SELECT species_id FROM sightings ORDER BY id DESC LIMIT 1") == [(species_id,)]


def test_the_cards_show_a_verified_photo_and_mark_hard_taxa(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    cards = card_buttons(at)  # no photo: around today
    assert cards
    ids = [int(b.key.rsplit("_", 2)[1]) for b in cards]
    hard = {i for (i,) in rows(app_env, "SELECT id FROM species WHERE difficulty >= 4")}
    marks = [m.value for m in at.markdown if "badge[难认]" in m.value]
    assert len(marks) == len([i for i in ids if i in hard])
    assert card_photos(at) >= 1  # the demo has accepted records with photos around any day


# ------------------------------------------------------------------------------------------ batch


def group_searches(at) -> list[str]:
    return [x.key for x in at.text_input if re.fullmatch(r"batch\d+_g[0-9a-f]+_q", x.key or "")]


def test_a_duplicate_in_a_batch_is_said_right_after_the_upload(app_as, app_env):
    photo = fx.make_jpeg(taken=exif_time(), color=(10, 120, 200))
    at = app_as("wangayi", "pages/log_sighting.py")
    uploader(at, "_files").set_value(("IMG_5.jpg", photo, "image/jpeg")).run()
    save_with_search(at)
    sid = rows(app_env, "SELECT max(id) FROM sightings")[0][0]
    at.switch_page("pages/batch.py").run()
    other = fx.make_jpeg(taken=exif_time(), color=(200, 120, 10))
    uploader(at, "batch0").set_value(
        [("IMG_5.jpg", photo, "image/jpeg"), ("IMG_6.jpg", other, "image/jpeg")]
    ).run()
    errors = [displayed(e.value) for e in at.error]
    assert any("IMG_5.jpg" in e and f"第 {sid} 号记录" in e for e in errors), errors
    assert len(group_searches(at)) == 1  # the other photo is a group; no save was pressed


def test_a_batch_group_without_a_time_gets_a_date_and_time_and_a_future_time_is_refused(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    uploader(at, "batch0").set_value(
        [("chat.jpg", fx.make_jpeg(taken=None, offset=None), "image/jpeg")]
    ).run()
    assert any("没有拍摄时间" in m.value for m in at.markdown)
    (search,) = group_searches(at)
    g = search[: -len("_q")]
    day = at.date_input(key=f"{g}_when_date")
    assert day.value == datetime.now(SHANGHAI).date()
    at.text_input(key=search).input("btb").run()
    yesterday = datetime.now(SHANGHAI) - timedelta(days=1)
    at.date_input(key=f"{g}_when_date").set_value(yesterday.date()).run()
    at.time_input(key=f"{g}_when_time").set_value(
        yesterday.time().replace(hour=8, minute=5, second=0, microsecond=0)
    ).run()
    click(at, "全部保存（1 条记录）")
    saved = rows(app_env, "SELECT event_date FROM sightings WHERE source = 'batch' ORDER BY id DESC LIMIT 1")
    assert saved[0][0].astimezone(SHANGHAI).replace(tzinfo=None) == yesterday.replace(
        hour=8, minute=5, second=0, microsecond=0, tzinfo=None
    )


def test_a_future_time_for_a_batch_group_is_refused_where_it_is_set(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    uploader(at, "batch0").set_value(
        [("chat.jpg", fx.make_jpeg(taken=None, offset=None), "image/jpeg")]
    ).run()
    (search,) = group_searches(at)
    g = search[: -len("_q")]
    now = datetime.now(SHANGHAI)
    if now.hour == 23 and now.minute >= 30:
        return  # no later time today to set
    at.time_input(key=f"{g}_when_time").set_value(
        now.replace(hour=23, minute=55, second=0, microsecond=0).time()
    ).run()
    assert any("时间不能晚于现在" in e.value for e in at.error)
    at.text_input(key=search).input("btb").run()
    before = rows(app_env, "SELECT count(*) FROM sightings")
    click(at, "全部保存（1 条记录）")
    assert rows(app_env, "SELECT count(*) FROM sightings") == before
    assert any("没有保存" in e.value and "时间不能晚于现在" in e.value for e in at.error)


def test_a_saved_batch_group_leaves_the_screen_with_a_running_count(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    shots = [
        ("a.jpg", fx.make_jpeg(taken=exif_time(1), color=(10, 10, 10)), "image/jpeg"),
        ("b.jpg", fx.make_jpeg(taken=exif_time(0.9), color=(20, 20, 20)), "image/jpeg"),
        ("c.jpg", fx.make_jpeg(taken=exif_time(0.8), color=(30, 30, 30)), "image/jpeg"),
    ]
    uploader(at, "batch0").set_value(shots).run()
    first, second, third = group_searches(at)
    at.text_input(key=first).input("麻雀").run()
    at.text_input(key=third).input("乌鸫").run()  # typed before the first group leaves: it must stay
    next(b for b in at.button if b.key == first.replace("_q", "_save")).click().run()
    assert not at.exception, at.exception
    assert group_searches(at) == [second, third]  # the saved group left; the others kept their keys
    assert at.text_input(key=third).value == "乌鸫"
    assert any(s.value == "已保存 1 组" for s in at.success)
    assert [t.value for t in at.toast] and "已保存第" in at.toast[0].value
    at.text_input(key=second).input("btb").run()
    click(at, "全部保存（2 条记录）")
    assert top_of_page(at, 2) == ["title", "success"] and "已保存 3 条记录" in at.success[0].value
    assert any(b.key == "saved_again" for b in at.button)
    assert not group_searches(at)  # the batch form is empty again
    names = rows(
        app_env,
        "SELECT sp.chinese_name FROM sightings s JOIN species sp ON sp.id = s.species_id"
        " WHERE s.source = 'batch' ORDER BY s.id",
    )
    assert names == [("麻雀",), ("白头鹎",), ("乌鸫",)]
