"""Expert review and checklist care through the services."""

from datetime import datetime, timedelta

import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.domain import verification as v
from habitat.errors import ConflictError, PermissionDenied, ValidationError
from habitat.services import checklist, review, sightings
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def sid(con, name):
    return q(con, "SELECT id FROM species WHERE chinese_name = ?", [name])[0][0]


@pytest.fixture
def expert(make_ctx):
    return make_ctx("zhanggong", clock=fixed_clock(NOW))


@pytest.fixture
def fresh(con, make_ctx):
    """A new unreviewed sighting by a volunteer, with a photo."""
    vol = make_ctx("wangayi", clock=fixed_clock(NOW - timedelta(hours=2)))
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    saved = sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid,
            event_date=NOW - timedelta(hours=3),
            species_id=sid(con, "东方菜粉蝶"),
            individual_count=2,
        ),
        [Upload("b.jpg", fx.make_jpeg(color=(240, 240, 240)))],
    )
    return saved.id


def test_queue_follows_the_experts_groups_and_is_oldest_first(con, expert, make_ctx):
    queue = review.queue(expert)
    assert not queue.empty and "plant" not in set(queue["group_name"])
    assert list(queue["created_at"]) == sorted(queue["created_at"])
    plants = review.queue(make_ctx("chenlaoshi", clock=fixed_clock(NOW)))
    assert set(plants["group_name"]) <= {"plant", "unknown"}


def test_a_volunteer_cannot_open_the_queue_or_decide(make_ctx, fresh):
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    with pytest.raises(PermissionDenied):
        review.queue(vol)
    with pytest.raises(PermissionDenied):
        review.decide(vol, fresh, 1, v.ACCEPTED_CORRECT)


def test_a_decision_records_reviewer_and_time_and_locks_the_recorders_edits(con, expert, make_ctx, fresh):
    review.decide(expert, fresh, 1, v.ACCEPTED_CORRECT)
    assert q(
        con,
        "SELECT identification_verification_status, verified_by, verified_at FROM sightings WHERE id = ?",
        [fresh],
    ) == [(v.ACCEPTED_CORRECT, expert.user.id, NOW)]
    assert q(con, "SELECT status, machine FROM verifications WHERE sighting_id = ?", [fresh]) == [
        (v.ACCEPTED_CORRECT, False)
    ]
    with pytest.raises(ValidationError):
        sightings.update_sighting(
            make_ctx("wangayi", clock=fixed_clock(NOW)), fresh, 2, {"individual_count": 9}
        )


def test_the_second_expert_deciding_the_same_record_is_told_and_nothing_is_overwritten(
    con, expert, make_ctx, fresh
):
    other = make_ctx("xuboshi", clock=fixed_clock(NOW))
    review.decide(expert, fresh, 1, v.ACCEPTED_CORRECT)
    with pytest.raises(ConflictError) as info:
        review.decide(other, fresh, 1, v.NOT_ACCEPTED_INCORRECT)
    assert str(fresh) in info.value.message("zh")
    assert q(con, "SELECT identification_verification_status FROM sightings WHERE id = ?", [fresh]) == [
        (v.ACCEPTED_CORRECT,)
    ]


def test_an_edit_racing_a_review_is_refused_to_the_later_one(con, expert, make_ctx, fresh):
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    sightings.update_sighting(vol, fresh, 1, {"individual_count": 3})  # the recorder edits first
    with pytest.raises(ConflictError):
        review.decide(expert, fresh, 1, v.ACCEPTED_CORRECT)  # the expert had opened version 1


def test_changing_the_species_adds_an_expert_identification_and_keeps_history(con, expert, fresh):
    review.decide(expert, fresh, 1, v.ACCEPTED_CORRECT, species_id=sid(con, "菜粉蝶"), remark="翅尖黑斑形状")
    history = q(
        con, "SELECT species_id, by_expert FROM identifications WHERE sighting_id = ? ORDER BY id", [fresh]
    )
    assert history == [(sid(con, "东方菜粉蝶"), False), (sid(con, "菜粉蝶"), True)]
    assert q(con, "SELECT species_id FROM sightings WHERE id = ?", [fresh]) == [(sid(con, "菜粉蝶"),)]


def test_community_taxon_needs_two_agreeing_identifications(con, make_ctx, fresh):
    a = make_ctx("lishushu", clock=fixed_clock(NOW))
    b = make_ctx("zhaoshifu", clock=fixed_clock(NOW))
    assert review.identify(a, fresh, sid(con, "菜粉蝶")) == sid(
        con, "东方菜粉蝶"
    )  # 1 vs 1: no majority, recorder's stays
    assert review.identify(b, fresh, sid(con, "菜粉蝶")) == sid(
        con, "东方菜粉蝶"
    )  # 2 of 3 = exactly 2/3: not > 2/3
    c = make_ctx("sunayi", clock=fixed_clock(NOW))
    assert review.identify(c, fresh, sid(con, "菜粉蝶")) == sid(con, "菜粉蝶")  # 3 of 4 > 2/3
    assert q(con, "SELECT count(*) FROM identifications WHERE sighting_id = ?", [fresh]) == [(4,)]


def test_bulk_accept_skips_records_changed_meanwhile(con, expert, make_ctx, fresh):
    queue = review.queue(expert).head(5)
    items = list(zip(queue["id"].astype(int), queue["version"].astype(int)))
    victim = items[0][0]
    con.execute("UPDATE sightings SET version = version + 1 WHERE id = ?", [victim])
    result = review.bulk_decide(expert, items, v.ACCEPTED_CORRECT)
    assert result.conflicts == [victim] and len(result.decided) == 4


def test_a_query_to_the_recorder_is_answered_and_the_thread_kept(con, expert, make_ctx, fresh):
    review.ask_recorder(expert, fresh, "后翅反面是什么颜色？")
    assert q(con, "SELECT queried FROM sightings WHERE id = ?", [fresh]) == [(True,)]
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    sightings.answer_query(vol, fresh, "淡黄色")
    thread = q(con, "SELECT kind, body FROM comments WHERE sighting_id = ? ORDER BY id", [fresh])
    assert thread == [("query", "后翅反面是什么颜色？"), ("answer", "淡黄色")]
    assert q(con, "SELECT queried FROM sightings WHERE id = ?", [fresh]) == [(False,)]


def test_checks_flag_out_of_season_difficult_and_first_in_garden(con, expert, make_ctx):
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    # a Pale Thrush (winter visitor) in July, and a hard-to-tell frog
    july = datetime(2026, 7, 10, 8, 0, tzinfo=SHANGHAI)
    thrush = sightings.save_sighting(
        vol, sightings.SightingDraft(garden_id=gid, event_date=july, species_id=sid(con, "白腹鸫"))
    )
    frog = sightings.save_sighting(
        vol, sightings.SightingDraft(garden_id=gid, event_date=NOW, species_id=sid(con, "金线侧褶蛙"))
    )
    assert "check.out_of_season" in review.record(expert, thrush.id).checks
    assert "check.difficult" in review.record(expert, frog.id).checks


def test_auto_accept_only_when_switched_on_and_marked_as_machine(con, make_ctx):
    committee = make_ctx("liuzhuren", clock=fixed_clock(NOW))
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    zone = q(con, "SELECT id FROM zones WHERE garden_id = ? AND code = 'B'", [gid])[0][0]
    easy = sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid, zone_id=zone, event_date=NOW, species_id=sid(con, "麻雀"), individual_count=3
        ),
        [Upload("s.jpg", fx.make_jpeg(color=(120, 90, 60)))],
    )
    assert review.run_auto_accept(committee) == 0
    with pytest.raises(PermissionDenied):
        review.set_auto_accept(vol, True)
    review.set_auto_accept(committee, True)
    assert review.run_auto_accept(committee) >= 1
    assert q(
        con,
        "SELECT s.identification_verification_status, v.machine FROM sightings s JOIN verifications v ON v.sighting_id = s.id WHERE s.id = ?",
        [easy.id],
    ) == [(v.ACCEPTED_CONSIDERED, True)]


def test_experts_add_edit_and_merge_species_and_records_follow(con, expert, fresh):
    new = checklist.add_species(
        expert,
        {
            "scientific_name": "Pieris rapae crucivora",
            "chinese_name": "菜粉蝶日本亚种",
            "group_name": "butterfly",
            "taxon_rank": "subspecies",
            "difficulty": 3,
        },
    )
    checklist.edit_species(expert, new, {"synonyms": "Artogeia rapae"})
    assert q(con, "SELECT pinyin_initials, synonyms FROM species WHERE id = ?", [new]) == [
        ("cfdrbyz", "Artogeia rapae")
    ]
    dup = sid(con, "东方菜粉蝶")
    moved = checklist.merge_species(expert, dup, sid(con, "菜粉蝶"))
    assert moved >= 1
    assert q(con, "SELECT species_id FROM sightings WHERE id = ?", [fresh]) == [(sid(con, "菜粉蝶"),)]
    assert "Pieris canidia" in q(con, "SELECT synonyms FROM species WHERE chinese_name = '菜粉蝶'")[0][0]


def test_a_volunteer_cannot_edit_the_checklist(make_ctx):
    with pytest.raises(PermissionDenied):
        checklist.add_species(
            make_ctx("wangayi"), {"scientific_name": "X y", "chinese_name": "某", "group_name": "bird"}
        )


def test_checklist_csv_with_errors_changes_nothing_and_lists_rows(con, expert):
    before = q(con, "SELECT count(*) FROM species")[0][0]
    data = "scientific_name,chinese_name,group,difficulty,months\nAnas platyrhynchos,绿头鸭,bird,2,1-12\nFoo bar,,bird,2,1-12\nBaz qux,某蛾,moth,9,1-12\n".encode(
        "gbk"
    )
    result = checklist.import_checklist_csv(expert, data)
    assert [line for line, _ in result.errors] == [3, 4] and result.added == 0
    assert q(con, "SELECT count(*) FROM species")[0][0] == before
    ok = checklist.import_checklist_csv(
        expert,
        "scientific_name,chinese_name,group\nAnas platyrhynchos,绿头鸭,bird\nPycnonotus sinensis,白头鹎,bird\n".encode(
            "utf-8-sig"
        ),
    )
    assert (ok.added, ok.updated, ok.errors) == (1, 1, [])


def test_with_auto_accept_on_an_easy_photo_record_is_accepted_on_save(con, make_ctx):
    committee = make_ctx("liuzhuren", clock=fixed_clock(NOW))
    review.set_auto_accept(committee, True)
    vol = make_ctx("wangayi", clock=fixed_clock(NOW))
    gid = q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    saved = sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid, event_date=NOW, species_id=sid(con, "白头鹎"), individual_count=2
        ),
        [Upload("bulbul.jpg", fx.make_jpeg(color=(77, 66, 55)))],
    )
    no_photo = sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid, event_date=NOW, species_id=sid(con, "白头鹎"), individual_count=2
        ),
    )
    assert "sighting.notice_auto_accepted" in saved.notices
    assert q(
        con, "SELECT identification_verification_status, verified_by FROM sightings WHERE id = ?", [saved.id]
    ) == [(v.ACCEPTED_CONSIDERED, None)]
    assert q(con, "SELECT identification_verification_status FROM sightings WHERE id = ?", [no_photo.id]) == [
        (v.UNCONFIRMED_NOT_REVIEWED,)
    ]
