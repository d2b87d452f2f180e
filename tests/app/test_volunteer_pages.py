"""AppTest: the volunteer's forms write what they say, and keep the input on errors."""

import json
import re

from shapely.geometry import shape

import pytest

from tests.app.helpers import click, displayed, rows, uploader
from tests.fixtures import images as fx


def zone_centre(db, slug, code):
    geom = rows(
        db,
        "SELECT z.geometry FROM zones z JOIN gardens g ON g.id = z.garden_id WHERE g.slug = ? AND z.code = ?",
        [slug, code],
    )[0][0]
    c = shape(json.loads(geom)).centroid
    return c.y, c.x


def test_logging_a_sighting_with_a_photo_fills_zone_from_gps_and_saves(app_as, app_env):
    lat, lon = zone_centre(app_env, "zhongjing", "B")
    at = app_as("wangayi", "pages/log_sighting.py")
    photo = fx.make_jpeg(gps=(lat, lon), taken="2026:11:21 09:40:00", offset="+08:00")
    uploader(at, "_files").set_value(("IMG_1.jpg", photo, "image/jpeg")).run()
    assert any("已选好区域" in c.value for c in at.caption)
    zone_box = [s for s in at.selectbox if s.label == "区域"][0]
    assert zone_box.value is not None
    at.text_input(key="log0_sp_q").input("cfd").run()
    species_box = [s for s in at.selectbox if s.label == "物种"][0]
    assert "菜粉蝶" in species_box.format_func(species_box.value)
    at.number_input(key="log0_count").set_value(4).run()
    click(at, "保存记录")
    assert any("已保存第" in s.value for s in at.success)
    saved = rows(
        app_env,
        "SELECT s.individual_count, s.location_source, sp.chinese_name FROM sightings s JOIN species sp ON sp.id = s.species_id WHERE s.source = 'app' ORDER BY s.id DESC LIMIT 1",
    )
    assert saved == [(4, "photo_gps", "菜粉蝶")]
    assert rows(
        app_env,
        "SELECT count(*) FROM photos p JOIN sightings s ON s.id = p.sighting_id WHERE s.source = 'app'",
    ) == [(1,)]


def test_saving_without_a_species_shows_a_message_and_keeps_the_note(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    at.text_area(key="log0_note").input("在池塘边看到的").run()
    before = rows(app_env, "SELECT count(*) FROM sightings")
    click(at, "保存记录")
    assert "请选择物种" in at.error[0].value
    assert at.text_area(key="log0_note").value == "在池塘边看到的"
    assert rows(app_env, "SELECT count(*) FROM sightings") == before


def test_a_text_file_named_jpg_is_refused_with_a_message(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    uploader(at, "_files").set_value(("notes.jpg", b"shopping list: rice, eggs", "image/jpeg")).run()
    assert not at.exception
    assert any("notes.jpg" in displayed(e.value) for e in at.error)


def test_patrol_starts_and_ends_with_a_duration(app_as, app_env):
    at = app_as("wangayi", "pages/patrol.py")
    click(at, "开始巡护")
    assert any("巡护已开始" in s.value for s in at.success)
    assert [m.label for m in at.metric][:3] == ["已进行（分钟）", "物种记录", "养护"]
    visit = rows(app_env, "SELECT max(id) FROM visits")[0][0]
    at.checkbox(key=f"patrol{visit}_complete").check().run()
    click(at, "结束巡护")
    assert any("巡护结束" in s.value for s in at.success)
    assert rows(app_env, "SELECT complete_checklist FROM visits ORDER BY id DESC LIMIT 1") == [(True,)]


def test_upkeep_with_minutes_note_and_photo_is_logged(app_as, app_env):
    at = app_as("wangayi", "pages/upkeep.py")
    at.number_input(key="upkeep0_min").set_value(45).run()
    at.text_area(key="upkeep0_note").input("水塘落叶清理干净").run()
    uploader(at, "upkeep0_photo").set_value(
        ("pond.jpg", fx.make_jpeg(color=(0, 60, 120)), "image/jpeg")
    ).run()
    click(at, "保存养护记录")
    assert rows(app_env, "SELECT minutes, note FROM task_logs ORDER BY id DESC LIMIT 1") == [
        (45, "水塘落叶清理干净")
    ]
    assert rows(
        app_env, "SELECT count(*) FROM photos WHERE task_log_id = (SELECT max(id) FROM task_logs)"
    ) == [(1,)]


def test_asking_is_this_a_weed_stores_the_question_with_its_photo(app_as, app_env):
    at = app_as("sunayi", "pages/ask.py")
    uploader(at, "ask_q0").set_value(("weed.jpg", fx.make_jpeg(color=(250, 220, 0)), "image/jpeg")).run()
    at.text_area(key="ask_q0_body").input("这株开紫花的要拔吗？").run()
    click(at, "发给专家")
    assert rows(app_env, "SELECT body FROM questions ORDER BY id DESC LIMIT 1") == [("这株开紫花的要拔吗？",)]
    assert rows(
        app_env, "SELECT count(*) FROM photos WHERE question_id = (SELECT max(id) FROM questions)"
    ) == [(1,)]
    assert any("问题已发给专家" in s.value for s in at.success)


def test_my_records_edits_and_withdraws_an_unreviewed_record(app_as, app_env):
    at = app_as("wangayi", "pages/my_records.py")
    chosen = at.selectbox(key="mine_pick").value
    at.number_input(key=f"mine_count_{chosen}").set_value(12).run()
    click(at, "保存修改")
    assert rows(app_env, "SELECT individual_count, version FROM sightings WHERE id = ?", [chosen]) == [
        (12, 2)
    ]
    at.checkbox(key=f"mine_sure_{chosen}").check().run()
    click(at, "撤回这条记录")
    assert rows(app_env, "SELECT withdrawn FROM sightings WHERE id = ?", [chosen]) == [(True,)]


def group_searches(at) -> list[str]:
    """The keys of the batch groups' species search boxes, in page order (a group is keyed by its photos)."""
    return [x.key for x in at.text_input if re.fullmatch(r"batch0_g[0-9a-f]+_q", x.key or "")]


def test_batch_upload_groups_photos_by_time_and_saves_each_group(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    shots = [
        ("a.jpg", fx.make_jpeg(taken="2026:11:21 09:00:00", color=(10, 10, 10))),
        ("b.jpg", fx.make_jpeg(taken="2026:11:21 09:01:00", color=(20, 20, 20))),
        ("c.jpg", fx.make_jpeg(taken="2026:11:21 09:20:00", color=(30, 30, 30))),
    ]
    uploader(at, "batch0").set_value([(n, d, "image/jpeg") for n, d in shots]).run()
    assert any("3 张照片分成了 2 组" in s.value for s in at.success)
    first, second = group_searches(at)  # the groups' species search boxes, in page order
    at.text_input(key=first).input("麻雀").run()
    at.text_input(key=second).input("乌鸫").run()
    click(at, "全部保存（2 条记录）")
    saved = rows(
        app_env,
        "SELECT sp.chinese_name, (SELECT count(*) FROM photos p WHERE p.sighting_id = s.id) FROM sightings s JOIN species sp ON sp.id = s.species_id WHERE s.source = 'batch' ORDER BY s.id",
    )
    assert saved == [("麻雀", 2), ("乌鸫", 1)]


def test_a_qr_poster_link_presets_garden_and_zone(app_as, app_env):
    at = app_as("sunayi", "pages/log_sighting.py", query={"garden": "changxin", "zone": "c"})
    assert at.selectbox(key="app_garden_slug").value == "changxin"
    zone_id = rows(
        app_env,
        "SELECT z.id FROM zones z JOIN gardens g ON g.id = z.garden_id WHERE g.slug = 'changxin' AND z.code = 'C'",
    )[0][0]
    assert at.selectbox(key="log0_zone").value == zone_id


def test_a_tally_sheet_csv_in_gbk_is_imported_from_the_batch_page(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    csv = "物种,数量,区域,时间\n白头鹎,3,A,2026-11-20 08:10\n珠颈斑鸠,2,B,2026-11-20 08:20\n".encode("gbk")
    uploader(at, "tally_file").set_value(("tally.csv", csv, "text/csv")).run()
    click(at, "导入")
    assert any("已导入 2 条记录" in s.value for s in at.success)
    assert rows(app_env, "SELECT count(*) FROM sightings WHERE source = 'csv'") == [(2,)]


def test_a_tally_sheet_with_a_bad_row_lists_it_and_imports_nothing(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    csv = "物种,数量,区域,时间\n白头鹎,3,A,2026-11-20 08:10\n独角兽,1,A,2026-11-20 08:12\n".encode("utf-8")
    uploader(at, "tally_file").set_value(("tally.csv", csv, "text/csv")).run()
    click(at, "导入")
    assert "1 行有问题" in at.error[0].value and any("第 3 行" in x.value for x in at.text)
    assert rows(app_env, "SELECT count(*) FROM sightings WHERE source = 'csv'") == [(0,)]


def test_a_photo_from_a_phone_with_a_wrong_clock_is_said_and_the_form_still_saves(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    photo = fx.make_jpeg(taken="2099:05:01 09:40:00", offset="+08:00", color=(90, 20, 160))
    uploader(at, "_files").set_value(("IMG_2099.jpg", photo, "image/jpeg")).run()
    assert not at.exception
    assert any("时钟可能不准" in w.value for w in at.warning)
    at.text_input(key="log0_sp_q").input("btb").run()
    click(at, "保存记录")
    saved = rows(
        app_env, "SELECT event_date <= now() FROM sightings WHERE source = 'app' ORDER BY id DESC LIMIT 1"
    )
    assert saved == [(True,)]


def test_an_animated_gif_is_refused_in_chinese_and_nothing_is_saved_with_zero_photos(app_as, app_env):
    at = app_as("wangayi", "pages/log_sighting.py")
    uploader(at, "_files").set_value(("cat.gif", fx.make_animated_gif(), "image/gif")).run()
    assert not at.exception
    assert any("cat.gif" in displayed(e.value) for e in at.error)
    at.text_input(key="log0_sp_q").input("btb").run()
    before = rows(app_env, "SELECT count(*) FROM sightings")
    next(b for b in at.button if b.label == "保存记录").click().run()
    assert rows(app_env, "SELECT count(*) FROM sightings") == before
    assert any("cat.gif" in displayed(e.value) for e in at.error)


def test_a_16_bit_png_in_a_batch_is_previewed_and_every_photo_of_the_batch_is_kept(app_as, app_env):
    at = app_as("wangayi", "pages/batch.py")
    files = [("scan16.png", fx.make_16bit_png(width=200, height=150), "image/png")] + [
        (
            f"IMG_{i}.jpg",
            fx.make_jpeg(taken=f"2026:11:21 09:4{i}:00", offset="+08:00", color=(i * 40, 90, 30)),
            "image/jpeg",
        )
        for i in range(3)
    ]
    upl = next(
        u
        for u in at.get("file_uploader")
        if (u.key or "").startswith("batch") and (u.key or "").endswith("_files")
    )
    upl.set_value(files).run()
    assert not at.exception, at.exception
    searches = group_searches(at)
    assert len(searches) == 2  # the 16-bit scan has no time: a group of its own
    for key in searches:
        at.text_input(key=key).input("btb").run()
    save = next(b for b in at.button if b.label.startswith("全部保存"))
    before = rows(app_env, "SELECT count(*) FROM photos")[0][0]
    save.click().run()
    assert not at.exception, at.exception
    assert rows(app_env, "SELECT count(*) FROM photos")[0][0] == before + 4, [e.value for e in at.error]


def test_a_record_without_a_zone_shows_a_dash_not_none_in_my_records(app_as, app_env):
    """Red team F12: the 区域 column said "None" for a record saved with （不确定区域）."""
    sid = rows(
        app_env,
        "SELECT s.id FROM sightings s JOIN people p ON p.id = s.recorded_by"
        " WHERE p.username = 'wangayi' ORDER BY s.created_at DESC LIMIT 1",
    )[0][0]
    rows(app_env, "UPDATE sightings SET zone_id = NULL WHERE id = ?", [sid])
    at = app_as("wangayi", "pages/my_records.py")
    zones = [d.value["区域"] for d in at.dataframe if "区域" in d.value.columns]
    assert zones and all(v is not None and str(v) not in ("None", "nan", "<NA>") for v in zones[0])
    assert "—" in set(zones[0])


def test_the_zone_select_says_unsure_zone_in_chinese_not_choose_an_option(app_as):
    """A None zone was shown as Streamlit's English placeholder "Choose an option" (screenshot, red team F21)."""
    at = app_as("wangayi", "pages/log_sighting.py")
    zone = at.selectbox(key="log0_zone")
    assert zone.value is None and zone.proto.placeholder == "（不确定区域）"


@pytest.mark.parametrize("lang, words", [("zh", "选择照片"), ("en", "Choose photos")])
def test_the_photo_uploader_speaks_the_readers_language(app_as, lang, words):
    """Streamlit's uploader says "Upload" and "200MB per file" in English (screenshots, red team F1):
    the page restyles it with the reader's words and hides the English hint."""
    at = app_as("wangayi", "pages/log_sighting.py", lang=lang)
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert f'content:"{words}"' in styles and "stFileUploaderDropzoneInstructions" in styles


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_writes_an_empty_cell_as_a_dash(app_as, app_env, lang):
    """Tables go through core.table: Streamlit's "None" for a missing value is "—" in both languages,
    and a record's times read as the reader writes them ("12月1日 08:45" / "1 Dec 08:45")."""
    for username, page in (("wangayi", "pages/my_records.py"), ("liuzhuren", "pages/dashboard.py")):
        at = app_as(username, page, lang=lang)
        assert at.dataframe and all(d.proto.placeholder == "—" for d in at.dataframe), page
    at = app_as("wangayi", "pages/my_records.py", lang=lang)
    when = at.dataframe[0].value.iloc[:, 0]
    pattern = r"^\d{1,2}月\d{1,2}日 \d\d:\d\d$" if lang == "zh" else r"^\d{1,2} [A-Z][a-z]{2} \d\d:\d\d$"
    assert when.str.match(pattern).all(), list(when[:3])


def test_a_file_of_the_wrong_kind_is_refused_in_her_language_not_by_streamlit(app_as, app_env):
    """Streamlit's own type check refuses in English (a tooltip): the uploaders take any file and the
    app says which it left out, in the reader's language."""
    at = app_as("wangayi", "pages/batch.py")
    tally = uploader(at, "tally_file")
    assert not list(tally.proto.type)  # no type list handed to Streamlit
    tally.set_value(("tally.xlsx", b"PK\x03\x04 not a csv", "application/vnd.ms-excel")).run()
    assert any("没有收下 tally.xlsx" in displayed(e.value) and "csv" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "导入"]  # nothing to import
    photos = uploader(at, "_files")
    assert not list(photos.proto.type)
    photos.set_value(("moving.gif", fx.make_gif(), "image/gif")).run()
    assert not at.exception
