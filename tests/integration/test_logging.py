"""Volunteer logging through the services: sightings with photos, patrols, upkeep, questions, imports."""

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from shapely.geometry import shape

from habitat.clock import SHANGHAI, fixed_clock
from habitat.errors import ConflictError, PermissionDenied, PhotoError, ValidationError
from habitat.services import community, importing, patrols, sightings, upkeep
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def vol(make_ctx):
    return make_ctx("wangayi", clock=fixed_clock(NOW))


@pytest.fixture
def garden(con):
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    zones = {
        code: (zid, shape(json.loads(geom)))
        for zid, code, geom in q(con, "SELECT id, code, geometry FROM zones WHERE garden_id = ?", [gid])
    }
    return gid, zones


def species_id(con, name):
    return q(con, "SELECT id FROM species WHERE chinese_name = ?", [name])[0][0]


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_sighting_with_a_photo_writes_one_row_identification_photo_and_two_files(con, vol, garden):
    gid, zones = garden
    centre = zones["B"][1].centroid
    photo = fx.make_jpeg(gps=(centre.y, centre.x), taken="2026:11:20 09:12:00", offset="+08:00")
    draft = sightings.SightingDraft(
        garden_id=gid,
        event_date=NOW - timedelta(minutes=30),
        species_id=species_id(con, "菜粉蝶"),
        zone_id=zones["B"][0],
        individual_count=3,
    )
    before_files = set(files_under(vol.photo_root))
    saved = sightings.save_sighting(vol, draft, [Upload("IMG_0001.jpg", photo)])
    assert q(con, "SELECT individual_count, recorded_by FROM sightings WHERE id = ?", [saved.id]) == [
        (3, vol.user.id)
    ]
    assert q(con, "SELECT count(*) FROM identifications WHERE sighting_id = ?", [saved.id]) == [(1,)]
    lat, lon = q(con, "SELECT private_lat, private_lon FROM photos WHERE sighting_id = ?", [saved.id])[0]
    assert abs(lat - centre.y) < 1e-5 and abs(lon - centre.x) < 1e-5
    written = set(files_under(vol.photo_root)) - before_files
    assert len(written) == 2 and all(p.suffix == ".jpg" for p in written)


def test_the_same_photo_for_the_same_species_again_is_refused_naming_the_first_sighting(con, vol, garden):
    gid, zones = garden
    photo = fx.make_jpeg()
    d = sightings.SightingDraft(
        garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"), zone_id=zones["A"][0]
    )
    first = sightings.save_sighting(vol, d, [Upload("a.jpg", photo)])
    before = q(con, "SELECT count(*) FROM sightings")[0][0]
    with pytest.raises(PhotoError) as info:
        sightings.save_sighting(vol, d, [Upload("a-copy.jpg", photo)])
    assert info.value.key == "photo.duplicate_same_species" and f"{first.id}" in info.value.message("zh")
    assert "别的物种" in info.value.message("zh")  # she is told what she may do instead
    unnamed = sightings.SightingDraft(
        garden_id=gid, event_date=NOW, zone_id=zones["A"][0], verbatim_identification="?"
    )
    with pytest.raises(PhotoError):  # no species named: the same record twice
        sightings.save_sighting(vol, unnamed, [Upload("a-again.jpg", photo)])
    assert q(con, "SELECT count(*) FROM sightings")[0][0] == before


def test_one_photo_of_a_butterfly_on_a_flower_backs_two_records_of_different_species(con, vol, garden):
    """Red-team F13: a photo showing two organisms could not be used for the second one."""
    gid, zones = garden
    photo = fx.make_jpeg(color=(120, 30, 160))
    draft = lambda name: sightings.SightingDraft(  # noqa: E731
        garden_id=gid, event_date=NOW, species_id=species_id(con, name), zone_id=zones["A"][0]
    )
    first = sightings.save_sighting(vol, draft("麻雀"), [Upload("both.jpg", photo)])
    second = sightings.save_sighting(vol, draft("白头鹎"), [Upload("both.jpg", photo)])
    shas = q(
        con,
        "SELECT sighting_id, sha256 FROM photos WHERE sighting_id IN (?, ?) ORDER BY 1",
        [first.id, second.id],
    )
    assert [s for s, _ in shas] == [first.id, second.id] and shas[0][1] == shas[1][1]


def test_a_photo_sent_with_a_question_may_become_a_sighting(con, vol, garden):
    gid, zones = garden
    photo = fx.make_jpeg(color=(30, 160, 90))
    community.ask_expert(vol, gid, zones["C"][0], "这是什么草？", [Upload("weed.jpg", photo)])
    draft = sightings.SightingDraft(
        garden_id=gid, event_date=NOW, species_id=species_id(con, "酢浆草"), zone_id=zones["C"][0]
    )
    saved = sightings.save_sighting(vol, draft, [Upload("weed.jpg", photo)])
    assert len(saved.photo_ids) == 1


def test_a_failed_save_leaves_no_row_and_no_orphan_file(con, vol, garden, monkeypatch):
    gid, zones = garden
    d = sightings.SightingDraft(
        garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"), zone_id=zones["A"][0]
    )
    before = q(con, "SELECT count(*) FROM sightings")[0][0]
    before_files = files_under(vol.photo_root)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full while writing the photo row")

    monkeypatch.setattr(sightings.photo_store, "insert_rows", explode)
    with pytest.raises(RuntimeError):
        sightings.save_sighting(vol, d, [Upload("x.jpg", fx.make_jpeg(color=(1, 2, 3)))])
    assert q(con, "SELECT count(*) FROM sightings")[0][0] == before
    assert files_under(vol.photo_root) == before_files


def test_a_bad_second_photo_stops_the_save_before_anything_is_written(con, vol, garden):
    gid, zones = garden
    d = sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"))
    before_files = files_under(vol.photo_root)
    with pytest.raises(PhotoError) as info:
        sightings.save_sighting(
            vol, d, [Upload("ok.jpg", fx.make_jpeg()), Upload("notes.jpg", b"hello, not an image")]
        )
    assert "notes.jpg" in info.value.message("zh")
    assert files_under(vol.photo_root) == before_files


def test_photo_hints_offer_the_zone_and_the_exif_time_with_its_offset(con, vol, garden):
    gid, zones = garden
    c = zones["C"][1].centroid
    info = sightings.photo_store.inspect_all(
        vol, [Upload("p.jpg", fx.make_jpeg(gps=(c.y, c.x), taken="2026:11:19 16:05:00", offset="+09:00"))]
    )[0]
    hints = sightings.hints_from_photo(vol, gid, info)
    assert hints.zone_id == zones["C"][0] and not hints.outside_garden
    assert hints.event_date.utcoffset() == timedelta(hours=9) and hints.event_date.hour == 16


def test_a_photo_without_offset_is_read_as_shanghai_time(vol, garden):
    gid, _ = garden
    info = sightings.photo_store.inspect_all(
        vol, [Upload("p.jpg", fx.make_jpeg(taken="2026:11:19 16:05:00", offset=None))]
    )[0]
    assert info.taken_at.utcoffset() == timedelta(hours=8)


def test_a_point_far_outside_the_garden_is_flagged_not_moved(con, vol, garden):
    gid, zones = garden
    d = sightings.SightingDraft(
        garden_id=gid,
        event_date=NOW,
        species_id=species_id(con, "乌鸫"),
        decimal_latitude=31.2300,
        decimal_longitude=121.4000,
        coordinate_uncertainty_in_meters=10,
    )
    saved = sightings.save_sighting(vol, d)
    assert "sighting.notice_outside" in saved.notices
    assert q(con, "SELECT outside_garden, decimal_latitude FROM sightings WHERE id = ?", [saved.id]) == [
        (True, 31.23)
    ]


def test_without_a_point_the_zone_centre_is_used_with_the_zone_radius(con, vol, garden):
    gid, zones = garden
    d = sightings.SightingDraft(
        garden_id=gid, event_date=NOW, species_id=species_id(con, "乌鸫"), zone_id=zones["D"][0]
    )
    saved = sightings.save_sighting(vol, d)
    src, unc = q(
        con,
        "SELECT location_source, coordinate_uncertainty_in_meters FROM sightings WHERE id = ?",
        [saved.id],
    )[0]
    assert src == "zone" and 5 <= unc <= 15


@pytest.mark.parametrize(
    "change, key",
    [
        ({"individual_count": 0}, "sighting.bad_count"),
        ({"individual_count": -3}, "sighting.bad_count"),
        ({"event_date": NOW + timedelta(days=2)}, "common.future_time"),
        ({"species_id": None, "verbatim_identification": "  "}, "sighting.species_or_description"),
        ({"decimal_latitude": 123.0, "decimal_longitude": 121.3}, "sighting.impossible_point"),
        ({"note": "长" * 2001}, "sighting.note_too_long"),
        ({"life_stage": "teenager"}, "sighting.bad_life_stage"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(con, vol, garden, change, key):
    gid, _ = garden
    base = dict(garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"))
    before = q(con, "SELECT count(*) FROM sightings")[0][0]
    with pytest.raises(ValidationError) as info:
        sightings.save_sighting(vol, sightings.SightingDraft(**(base | change)))
    assert info.value.key == key and info.value.message("zh") != key
    assert q(con, "SELECT count(*) FROM sightings")[0][0] == before


def test_unknown_butterfly_and_free_text_are_accepted_for_the_experts(con, vol, garden):
    gid, _ = garden
    higher = sightings.save_sighting(
        vol,
        sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=species_id(con, "蝴蝶（未识别）")),
    )
    free = sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid, event_date=NOW, verbatim_identification="黑色大甲虫，有长触角"
        ),
    )
    assert q(con, "SELECT verbatim_identification FROM sightings WHERE id = ?", [free.id]) == [
        ("黑色大甲虫，有长触角",)
    ]
    assert higher.id != free.id


def test_html_and_sql_looking_notes_are_stored_verbatim(con, vol, garden):
    gid, _ = garden
    note = "<script>alert(1)</script>'; DROP TABLE sightings; --"
    saved = sightings.save_sighting(
        vol,
        sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"), note=note),
    )
    assert q(con, "SELECT note FROM sightings WHERE id = ?", [saved.id]) == [(note,)]


def test_an_invasive_sighting_opens_one_removal_task_for_its_zone(con, vol, garden):
    gid, zones = garden
    d = sightings.SightingDraft(
        garden_id=gid,
        event_date=NOW,
        species_id=species_id(con, "加拿大一枝黄花"),
        zone_id=zones["C"][0],
        individual_count=None,
    )
    first = sightings.save_sighting(vol, d)
    sightings.save_sighting(vol, d)
    assert "sighting.notice_removal_task" in first.notices
    assert q(
        con, "SELECT count(*) FROM task_defs WHERE zone_id = ? AND kind = 'invasive_removal'", [zones["C"][0]]
    ) == [(1,)]
    due = upkeep.due_tasks(vol, gid)
    assert "invasive_removal" in set(due["kind"])


def test_recorder_edits_until_reviewed_and_a_stale_version_is_refused(con, vol, garden, make_ctx):
    gid, _ = garden
    saved = sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"), individual_count=2
        ),
    )
    sightings.update_sighting(
        vol, saved.id, 1, {"individual_count": 5, "species_id": species_id(con, "白头鹎")}
    )
    assert q(con, "SELECT individual_count, version FROM sightings WHERE id = ?", [saved.id]) == [(5, 2)]
    assert q(con, "SELECT count(*) FROM identifications WHERE sighting_id = ?", [saved.id]) == [(2,)]
    with pytest.raises(ConflictError):
        sightings.update_sighting(vol, saved.id, 1, {"individual_count": 7})
    other = make_ctx("xiaoming", clock=fixed_clock(NOW))
    with pytest.raises(PermissionDenied):
        sightings.update_sighting(other, saved.id, 2, {"individual_count": 9})
    con.execute(
        "UPDATE sightings SET identification_verification_status = 'Accepted – correct' WHERE id = ?",
        [saved.id],
    )
    with pytest.raises(ValidationError) as info:
        sightings.update_sighting(vol, saved.id, 2, {"individual_count": 9})
    assert info.value.key == "sighting.already_reviewed"


def test_withdrawing_keeps_the_row_marked_and_audited(con, vol, garden):
    gid, _ = garden
    saved = sightings.save_sighting(
        vol,
        sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀")),
        [Upload("w.jpg", fx.make_jpeg(color=(9, 9, 9)))],
    )
    sightings.withdraw_sighting(vol, saved.id, 1)
    assert q(con, "SELECT withdrawn FROM sightings WHERE id = ?", [saved.id]) == [(True,)]
    assert q(con, "SELECT withdrawn FROM photos WHERE sighting_id = ?", [saved.id]) == [(True,)]
    assert saved.id not in set(sightings.my_records(vol)["id"])
    assert q(
        con, "SELECT count(*) FROM audit_log WHERE action = 'withdraw_sighting' AND entity_id = ?", [saved.id]
    ) == [(1,)]


def test_a_patrol_starts_collects_records_and_ends_with_its_duration(con, make_ctx, garden):
    gid, zones = garden
    start = make_ctx("wangayi", clock=fixed_clock(NOW))
    vid = patrols.start_patrol(
        start,
        gid,
        protocol="transect",
        observer_count=2,
        weather="sunny",
        temperature_c=18,
        wind_beaufort=2,
        sun_pct=70,
    )
    with pytest.raises(ValidationError):
        patrols.start_patrol(start, gid)
    assert patrols.current_patrol(start).id == vid
    sightings.save_sighting(
        start,
        sightings.SightingDraft(
            garden_id=gid, event_date=NOW, species_id=species_id(con, "麻雀"), visit_id=vid
        ),
    )
    task = upkeep.due_tasks(start, gid, horizon_days=60).iloc[0]
    upkeep.log_task(start, int(task["id"]), visit_id=vid, minutes=10)
    later = make_ctx("wangayi", clock=fixed_clock(NOW + timedelta(minutes=47)))
    assert patrols.end_patrol(later, vid, complete_checklist=True) == 47
    assert q(con, "SELECT complete_checklist, protocol FROM visits WHERE id = ?", [vid]) == [
        (True, "transect")
    ]
    assert patrols.patrol_counts(later, vid) == (1, 1)
    assert patrols.current_patrol(later) is None


def test_a_weed_question_gets_an_answer_back_to_the_asker(con, make_ctx, garden):
    gid, zones = garden
    asker = make_ctx("wangayi", clock=fixed_clock(NOW))
    qid = community.ask_expert(
        asker,
        gid,
        zones["C"][0],
        "叶子像三叶草的小黄花，要拔吗？",
        [Upload("weed.jpg", fx.make_jpeg(color=(200, 200, 0)))],
    )
    with pytest.raises(PermissionDenied):
        community.answer_question(asker, qid, verdict="keep", answer="?")
    expert = make_ctx("chenlaoshi", clock=fixed_clock(NOW))
    community.answer_question(
        expert, qid, verdict="keep", answer="酢浆草，请保留", species_id=species_id(con, "酢浆草")
    )
    mine = community.my_questions(asker)
    row = mine[mine["id"] == qid].iloc[0]
    assert row["verdict"] == "keep" and row["chinese_name"] == "酢浆草"


def test_problems_stay_open_until_the_committee_resolves_them(con, make_ctx, garden):
    gid, zones = garden
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    pid = community.report_problem(
        vol, gid, zones["A"][0], "pond", "水面有油膜", [Upload("pond.jpg", fx.make_jpeg(color=(0, 0, 90)))]
    )
    assert pid in set(community.open_problems(vol, gid)["id"])
    with pytest.raises(PermissionDenied):
        community.resolve_problem(vol, pid, "done")
    community.resolve_problem(make_ctx("liuzhuren", clock=fixed_clock(NOW)), pid, "已清理")
    assert pid not in set(community.open_problems(vol, gid)["id"])


def test_tally_csv_in_gbk_imports_all_rows(con, vol, garden):
    gid, _ = garden
    text = "物种,数量,区域,时间\n白头鹎,3,A,2026-11-20 08:10\nPieris rapae,2,B,2026-11-20 08:20\n珠颈斑鸠,,蜜源花境,2026/11/20 08:30\n"
    result = importing.import_tally(vol, gid, text.encode("gbk"))
    assert result.errors == [] and result.imported == 3
    assert q(con, "SELECT count(*) FROM sightings WHERE source = 'csv'") == [(3,)]


def test_tally_csv_with_a_bad_row_lists_errors_and_imports_nothing(con, vol, garden):
    gid, _ = garden
    text = "\ufeffspecies,count,zone,time\n白头鹎,3,A,2026-11-20 08:10\n独角兽,1,A,2026-11-20 08:12\n麻雀,-2,Z,yesterday\n"
    result = importing.import_tally(vol, gid, text.encode("utf-8"))
    assert result.imported == 0 and [line for line, _ in result.errors] == [3, 4]
    assert "独角兽" in result.errors[0][1]
    assert q(con, "SELECT count(*) FROM sightings WHERE source = 'csv'") == [(0,)]


def test_tally_csv_without_the_needed_columns_is_refused(vol, garden):
    gid, _ = garden
    with pytest.raises(ValidationError) as info:
        importing.import_tally(vol, gid, "name,number\n麻雀,1\n".encode())
    assert info.value.key == "import.missing_columns"


def test_import_photos_imports_readable_skips_duplicates_and_rejects_hostile_files(
    con, vol, garden, tmp_path
):
    gid, zones = garden
    folder = tmp_path / "sdcard"
    folder.mkdir()
    c = zones["A"][1].centroid
    (folder / "a.jpg").write_bytes(fx.make_jpeg(gps=(c.y, c.x), color=(10, 200, 10)))
    (folder / "b.png").write_bytes(fx.make_png(color=(20, 20, 200)))
    (folder / "b-copy.png").write_bytes((folder / "b.png").read_bytes())
    (folder / "notes.jpg").write_bytes(b"not a photo at all")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "bomb.png").write_bytes(fx.make_bomb_png())
    report = importing.import_photo_files(vol, "zhongjing", [folder])
    assert report["imported"] == 2 and report["duplicates"] == 1
    assert sorted(Path(r["file"]).name for r in report["rejected"]) == ["bomb.png", "empty.jpg", "notes.jpg"]
    zone_of_a = q(con, "SELECT zone_id FROM sightings WHERE id = ?", [report["sighting_ids"][0]])
    assert zone_of_a in ([(zones["A"][0],)], [(None,)])
    again = importing.import_photo_files(vol, "zhongjing", [folder])
    assert again["imported"] == 0 and again["duplicates"] == 3
