"""Home's inbox (what happened to her records since she last looked) and her recent records by entry
time, through the real services on the demo database (issue 14)."""

from datetime import datetime, timedelta

import pandas as pd
import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.domain import verification as v
from habitat.errors import PermissionDenied
from habitat.services import community, inbox, overview, review, sightings

# the demo is built around the real today: work just after it (the demo has nothing in the future)
T0 = datetime.now(SHANGHAI).replace(microsecond=0) + timedelta(minutes=1)


def at(minutes: int):
    return fixed_clock(T0 + timedelta(minutes=minutes))


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def zhongjing(con):
    return q(con, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]


def record(con, ctx, garden_id, *, name="东方菜粉蝶", seen=None) -> int:
    species = q(con, "SELECT id FROM species WHERE chinese_name = ?", [name])[0][0]
    draft = sightings.SightingDraft(
        garden_id=garden_id,
        event_date=seen or ctx.now() - timedelta(minutes=5),
        species_id=species,
        individual_count=1,
    )
    return sightings.save_sighting(ctx, draft).id


def kinds(frame):
    return [
        (
            r.kind,
            None if pd.isna(r.sighting_id) else int(r.sighting_id),
            None if pd.isna(r.question_id) else int(r.question_id),
        )
        for r in frame.itertuples()
    ]


def test_the_inbox_holds_her_decisions_queries_and_answers_since_she_last_looked_and_nobody_elses(
    con, make_ctx, zhongjing
):
    wang = make_ctx("wangayi", clock=at(0))
    inbox.mark_read(wang)
    assert inbox.inbox(make_ctx("wangayi", clock=at(0))).new.empty

    accepted, rejected, queried = (record(con, make_ctx("wangayi", clock=at(1)), zhongjing) for _ in range(3))
    question = community.ask_expert(make_ctx("wangayi", clock=at(1)), zhongjing, None, "这株藤要拔吗？")
    theirs = record(con, make_ctx("xiaoming", clock=at(1)), zhongjing)
    their_question = community.ask_expert(make_ctx("xiaoming", clock=at(1)), zhongjing, None, "这是野草吗？")

    review.decide(make_ctx("zhanggong", clock=at(5)), accepted, 1, v.ACCEPTED_CORRECT)
    review.decide(
        make_ctx("zhanggong", clock=at(6)), rejected, 1, v.NOT_ACCEPTED_INCORRECT, remark="是粉蝶的另一种"
    )
    review.ask_recorder(make_ctx("zhanggong", clock=at(7)), queried, "翅膀背面是什么颜色？")
    community.answer_question(make_ctx("chenlaoshi", clock=at(8)), question, verdict="keep", answer="留着")
    # the same things happen to another volunteer's record and question
    review.decide(make_ctx("zhanggong", clock=at(5)), theirs, 1, v.ACCEPTED_CORRECT)
    review.ask_recorder(make_ctx("zhanggong", clock=at(7)), theirs, "有几只？")
    community.answer_question(
        make_ctx("chenlaoshi", clock=at(8)), their_question, verdict="keep", answer="留"
    )

    box = inbox.inbox(make_ctx("wangayi", clock=at(10)))
    assert kinds(box.new) == [
        ("answered", None, question),
        ("queried", queried, None),
        ("rejected", rejected, None),
        ("accepted", accepted, None),
    ]
    assert box.counts == {"answered": 1, "queried": 1, "rejected": 1, "accepted": 1}
    assert box.first_waiting_query() == queried
    new = box.new.set_index("kind")
    assert (
        new.loc["queried", "who"] == "张工（动物园）" and new.loc["queried", "body"] == "翅膀背面是什么颜色？"
    )
    assert (
        new.loc["rejected", "body"] == "是粉蝶的另一种"
        and new.loc["answered", "question"] == "这株藤要拔吗？"
    )
    assert list(box.latest["new"])[:4] == [True] * 4

    # other people's records and questions are never in her inbox, read or not
    mine = {r[0] for r in q(con, "SELECT id FROM sightings WHERE recorded_by = ?", [wang.user.id])}
    everything = inbox.inbox(make_ctx("wangayi", clock=at(10)), latest=10_000).latest
    records = set(everything["sighting_id"].dropna().astype(int))
    assert theirs not in records and records <= mine
    assert their_question not in set(everything["question_id"].dropna().astype(int))

    # her own answer is not news to her; the query is no longer waiting
    sightings.answer_query(make_ctx("wangayi", clock=at(11)), queried, "浅黄绿色")
    box = inbox.inbox(make_ctx("wangayi", clock=at(12)))
    assert len(box.new) == 4 and box.first_waiting_query() is None

    # marked read: nothing new, the latest items stay listed as read; a later question is new again
    inbox.mark_read(make_ctx("wangayi", clock=at(12)))
    box = inbox.inbox(make_ctx("wangayi", clock=at(13)))
    assert box.new.empty and not box.latest["new"].any()
    assert kinds(box.latest)[:4] == kinds(inbox.inbox(make_ctx("wangayi", clock=at(10))).latest)[:4]
    review.ask_recorder(make_ctx("xuboshi", clock=at(14)), accepted, "能补一张照片吗？")
    box = inbox.inbox(make_ctx("wangayi", clock=at(15)))
    assert kinds(box.new) == [("queried", accepted, None)] and box.first_waiting_query() == accepted


def test_someone_who_never_marked_the_inbox_read_sees_the_last_thirty_days_as_new(con, make_ctx):
    xiaoming = make_ctx("xiaoming", clock=at(0))
    box = inbox.inbox(xiaoming)
    assert box.since == T0 - timedelta(days=inbox.NEVER_SEEN_DAYS)
    assert (box.new["at"] > box.since).all()
    # the demo's waiting question to 小明 (an expert asked about his 酢浆灰蝶 a few days ago)
    assert box.first_waiting_query() is not None


def test_the_inbox_needs_someone_signed_in(make_ctx):
    with pytest.raises(PermissionDenied):
        inbox.inbox(make_ctx(None))
    with pytest.raises(PermissionDenied):
        inbox.mark_read(make_ctx(None))


def test_my_recent_records_are_newest_entered_first_so_an_old_photo_entered_today_leads(
    con, make_ctx, zhongjing
):
    wang = make_ctx("wangayi", clock=at(1))
    old_photo = record(con, wang, zhongjing, name="白头鹎", seen=T0 - timedelta(days=200))
    recent = overview.my_recent_sightings(wang)
    assert int(recent["id"].iloc[0]) == old_photo
    assert list(recent["created_at"]) == sorted(recent["created_at"], reverse=True)
    # the garden page's recent list still goes by when a record was seen
    garden = overview.garden_view(wang, "zhongjing")
    assert old_photo not in set(garden.recent["id"])
