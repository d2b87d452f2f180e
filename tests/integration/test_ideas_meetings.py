"""Residents' ideas, garden meetings and follow-ups: rows written, permissions, validation keys, and
a decision carried out through the upkeep due list or a problem's resolution."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.services import community, ideas, meetings, upkeep
from habitat.services.meetings import FollowUp, Item, Participant
from habitat.services.photo_store import Upload
from tests.fixtures import images as fx

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


def ids(con, sql, params=()):
    return [r[0] for r in con.execute(sql, list(params)).fetchall()]


def one(con, sql, params=()):
    rows = con.execute(sql, list(params)).fetchall()
    return rows[0] if rows else None


@pytest.fixture
def at_now(make_ctx):
    """at_now("wangayi") / at_now("liuzhuren", days=+3): a Ctx acting at a fixed time."""
    return lambda username, days=0: make_ctx(username, clock=fixed_clock(NOW + timedelta(days=days)))


@pytest.fixture
def place(con):
    def _place(slug="xinsen", code="A"):  # a garden without a demo meeting
        row = one(
            con,
            "SELECT g.id, z.id FROM gardens g JOIN zones z ON z.garden_id = g.id WHERE g.slug = ? AND z.code = ?",
            [slug, code],
        )
        return row[0], row[1]

    return _place


def person_id(con, username):
    return ids(con, "SELECT id FROM people WHERE username = ?", [username])[0]


def new_idea(at_now, place, who="wangayi", **kw):
    garden_id, zone_id = place()
    return ideas.propose_idea(at_now(who), garden_id, zone_id, kw.pop("title", "在水塘边放一个鸟浴盆"), **kw)


# ------------------------------------------------------------------------------------------ ideas


def test_a_volunteer_records_an_idea_with_a_photo_and_a_zone(con, at_now, place):
    garden_id, zone_id = place()
    idea_id = ideas.propose_idea(
        at_now("wangayi"),
        garden_id,
        zone_id,
        "  在水塘边放一个鸟浴盆 ",
        "麻雀来喝水",
        kind="need",
        uploads=[Upload("bath.jpg", fx.make_jpeg(color=(20, 90, 160)))],
    )
    row = one(
        con,
        "SELECT garden_id, zone_id, author_id, on_behalf_of, kind, title, body, status FROM ideas WHERE id = ?",
        [idea_id],
    )
    assert row == (
        garden_id,
        zone_id,
        person_id(con, "wangayi"),
        None,
        "need",
        "在水塘边放一个鸟浴盆",
        "麻雀来喝水",
        "open",
    )
    assert ids(con, "SELECT count(*) FROM photos WHERE idea_id = ?", [idea_id]) == [1]
    assert ids(
        con, "SELECT count(*) FROM audit_log WHERE action = 'propose_idea' AND entity_id = ?", [idea_id]
    ) == [1]


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"title": "   "}, "idea.title_required"),
        ({"title": "x" * 121}, "civic.too_long"),
        ({"kind": "wish"}, "idea.bad_kind"),
    ],
)
def test_an_idea_with_bad_input_is_refused_with_a_message_key(con, at_now, place, kwargs, key):
    before = ids(con, "SELECT count(*) FROM ideas")
    with pytest.raises(ValidationError) as info:
        new_idea(at_now, place, **kwargs)
    assert info.value.key == key
    assert ids(con, "SELECT count(*) FROM ideas") == before


def test_a_zone_of_another_garden_is_refused(at_now, place):
    garden_id, _ = place()
    _, other_zone = place("leyi", "A")
    with pytest.raises(ValidationError) as info:
        ideas.propose_idea(at_now("wangayi"), garden_id, other_zone, "长椅")
    assert info.value.key == "sighting.zone_not_in_garden"


def test_only_the_committee_records_an_idea_for_a_resident(con, at_now, place):
    with pytest.raises(ValidationError) as info:
        new_idea(at_now, place, who="wangayi", on_behalf_of="张大爷")
    assert info.value.key == "idea.on_behalf_committee_only"
    idea_id = new_idea(at_now, place, who="liuzhuren", on_behalf_of=" 3号楼张大爷 ")
    assert one(con, "SELECT on_behalf_of, author_id FROM ideas WHERE id = ?", [idea_id]) == (
        "3号楼张大爷",
        person_id(con, "liuzhuren"),
    )


def test_nobody_signed_in_cannot_record_or_support(make_ctx, at_now, place):
    garden_id, zone_id = place()
    with pytest.raises(PermissionDenied):
        ideas.propose_idea(make_ctx(None), garden_id, zone_id, "长椅")
    idea_id = new_idea(at_now, place)
    with pytest.raises(PermissionDenied):
        ideas.support_idea(make_ctx(None), idea_id)


def test_support_counts_once_per_person_and_never_for_ones_own_idea(con, at_now, place):
    idea_id = new_idea(at_now, place, who="wangayi")
    assert ideas.support_idea(at_now("xiaoming"), idea_id) == 1
    assert ideas.support_idea(at_now("zhanggong"), idea_id) == 2  # experts and the committee support too
    with pytest.raises(ValidationError) as again:
        ideas.support_idea(at_now("xiaoming"), idea_id)
    with pytest.raises(ValidationError) as own:
        ideas.support_idea(at_now("wangayi"), idea_id)
    assert (again.value.key, own.value.key) == ("idea.already_supported", "idea.own_idea")
    assert ids(con, "SELECT count(*) FROM idea_support WHERE idea_id = ?", [idea_id]) == [2]
    listed = ideas.garden_ideas(at_now("xiaoming"), place()[0])
    row = listed[listed["id"] == idea_id].iloc[0]
    assert (int(row["supporters"]), bool(row["supported_by_me"])) == (2, True)


def test_the_database_refuses_a_second_support_even_past_the_service(con, at_now, place):
    idea_id = new_idea(at_now, place)
    ideas.support_idea(at_now("xiaoming"), idea_id)
    with pytest.raises(Exception, match="(?i)constraint"):
        con.execute(
            "INSERT INTO idea_support (idea_id, person_id, supported_at) VALUES (?, ?, now())",
            [idea_id, person_id(con, "xiaoming")],
        )


def test_supporting_an_unknown_or_closed_idea_is_refused(at_now, place):
    with pytest.raises(NotFound):
        ideas.support_idea(at_now("xiaoming"), 999_999)
    idea_id = new_idea(at_now, place)
    ideas.set_status(at_now("liuzhuren"), idea_id, "declined", "物业不同意")
    with pytest.raises(ValidationError) as info:
        ideas.support_idea(at_now("xiaoming"), idea_id)
    assert info.value.key == "idea.closed"


def test_only_the_committee_puts_an_open_idea_on_the_agenda(con, at_now, place):
    idea_id = new_idea(at_now, place)
    with pytest.raises(PermissionDenied):
        ideas.put_on_agenda(at_now("wangayi"), idea_id)
    with pytest.raises(PermissionDenied):
        ideas.put_on_agenda(at_now("zhanggong"), idea_id)
    ideas.put_on_agenda(at_now("liuzhuren"), idea_id)
    assert one(con, "SELECT status FROM ideas WHERE id = ?", [idea_id]) == ("on_agenda",)
    with pytest.raises(ValidationError) as info:
        ideas.put_on_agenda(at_now("liuzhuren"), idea_id)
    assert info.value.key == "idea.status_changed"
    assert list(ideas.agenda(at_now("liuzhuren"), place()[0])["id"]) == [idea_id]


def test_declining_an_idea_needs_a_reason_and_hides_it_by_default(con, at_now, place):
    idea_id = new_idea(at_now, place)
    with pytest.raises(ValidationError) as info:
        ideas.set_status(at_now("liuzhuren"), idea_id, "declined", " ")
    assert info.value.key == "idea.decline_needs_reason"
    with pytest.raises(ValidationError) as bad:
        ideas.set_status(at_now("liuzhuren"), idea_id, "maybe")
    assert bad.value.key == "idea.bad_status"
    ideas.set_status(at_now("liuzhuren"), idea_id, "declined", "消防通道不能占用")
    assert one(con, "SELECT status, status_note FROM ideas WHERE id = ?", [idea_id]) == (
        "declined",
        "消防通道不能占用",
    )
    assert idea_id not in set(ideas.garden_ideas(at_now("wangayi"), place()[0])["id"])
    assert idea_id in set(ideas.garden_ideas(at_now("wangayi"), place()[0], include_closed=True)["id"])


# --------------------------------------------------------------------------------------- meetings


def people(con):
    return [
        Participant("刘主任", "committee", person_id(con, "liuzhuren")),
        Participant("张大爷", "resident"),
        Participant("陈经理", "property_manager"),
        Participant("业委会王主任", "owners_committee"),
        Participant("徐博士", "expert", person_id(con, "xuboshi")),
        Participant("小林", "partner"),
        Participant("王阿姨", "volunteer", person_id(con, "wangayi")),
    ]


def meet(con, at_now, garden_id, items, **kw):
    return meetings.hold_meeting(
        at_now("liuzhuren"),
        garden_id,
        held_at=NOW - timedelta(hours=2),
        participants=kw.pop("participants", people(con)),
        items=items,
        place="花园自然角",
        chair_id=person_id(con, "liuzhuren"),
        **kw,
    )


def test_holding_a_meeting_records_participants_items_and_decides_the_idea(con, at_now, place):
    garden_id, _ = place()
    idea_id = new_idea(at_now, place)
    ideas.put_on_agenda(at_now("liuzhuren"), idea_id)
    meeting_id = meet(
        con,
        at_now,
        garden_id,
        [
            Item("在水塘边放一个鸟浴盆", "水深不超过5厘米", "放一个浅口鸟浴盆", idea_id=idea_id),
            Item("秋季修剪", "是否剪残花", None),
        ],
        participants=people(con) + [Participant("刘主任", "committee", person_id(con, "liuzhuren"))],
    )
    assert one(con, "SELECT garden_id, place, chair_id FROM meetings WHERE id = ?", [meeting_id]) == (
        garden_id,
        "花园自然角",
        person_id(con, "liuzhuren"),
    )
    roles = ids(con, "SELECT role FROM meeting_participants WHERE meeting_id = ? ORDER BY id", [meeting_id])
    assert roles == [
        "committee",
        "resident",
        "property_manager",
        "owners_committee",
        "expert",
        "partner",
        "volunteer",
    ]
    assert con.execute(
        "SELECT position, idea_id, decision FROM meeting_items WHERE meeting_id = ? ORDER BY position",
        [meeting_id],
    ).fetchall() == [(1, idea_id, "放一个浅口鸟浴盆"), (2, None, None)]
    assert one(con, "SELECT status, status_note FROM ideas WHERE id = ?", [idea_id]) == (
        "decided",
        "放一个浅口鸟浴盆",
    )
    assert ids(
        con, "SELECT count(*) FROM audit_log WHERE action = 'hold_meeting' AND entity_id = ?", [meeting_id]
    ) == [1]
    record = meetings.past_meetings(at_now("liuzhuren"), garden_id)[0]
    assert record.meeting["id"] == meeting_id and len(record.participants) == 7 and len(record.items) == 2


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"participants": []}, "meeting.no_participants"),
        ({"participants": [Participant("某人", "mayor")]}, "meeting.bad_role"),
        ({"participants": [Participant(" ", "resident")]}, "meeting.participant_name"),
        ({"items": []}, "meeting.no_items"),
        ({"items": [Item(" ")]}, "meeting.item_title"),
        ({"held_at": NOW + timedelta(days=1)}, "common.future_time"),
    ],
)
def test_a_meeting_with_bad_input_is_refused_and_writes_nothing(con, at_now, place, change, key):
    garden_id, _ = place()
    values = {
        "held_at": NOW - timedelta(hours=1),
        "participants": people(con),
        "items": [Item("修剪")],
    } | change
    before = ids(con, "SELECT count(*) FROM meetings")
    with pytest.raises(ValidationError) as info:
        meetings.hold_meeting(at_now("liuzhuren"), garden_id, **values)
    assert info.value.key == key
    assert ids(con, "SELECT count(*) FROM meetings") == before


def test_only_the_committee_holds_meetings(con, at_now, place):
    for who in ("wangayi", "zhanggong"):
        with pytest.raises(PermissionDenied):
            meetings.hold_meeting(
                at_now(who), place()[0], held_at=NOW, participants=people(con), items=[Item("修剪")]
            )
    assert ids(con, "SELECT count(*) FROM meetings WHERE garden_id = ?", [place()[0]]) == [0]


def test_an_idea_of_another_garden_cannot_be_an_item(con, at_now, place):
    other = new_idea(at_now, lambda: place("leyi", "A"), who="sunayi")
    with pytest.raises(ValidationError) as info:
        meet(con, at_now, place()[0], [Item("别的花园的点子", decision="做", idea_id=other)])
    assert info.value.key == "meeting.idea_not_in_garden"


def test_a_follow_up_needs_a_decision_an_owner_and_a_known_kind(con, at_now, place):
    garden_id, _ = place()
    owner = person_id(con, "wangayi")
    cases = [
        (
            Item("放鸟浴盆", followups=(FollowUp("task", "放鸟浴盆", owner, NOW.date()),)),
            "followup.needs_decision",
        ),
        (
            Item("放鸟浴盆", decision="放", followups=(FollowUp("task", "放鸟浴盆", 999_999, NOW.date()),)),
            "followup.owner_required",
        ),
        (
            Item("放鸟浴盆", decision="放", followups=(FollowUp("visit", "放鸟浴盆", owner, NOW.date()),)),
            "followup.bad_kind",
        ),
        (
            Item(
                "放鸟浴盆",
                decision="放",
                followups=(FollowUp("task", "放", owner, NOW.date(), task_kind="dance"),),
            ),
            "followup.bad_task_kind",
        ),
        (
            Item("放鸟浴盆", decision="放", followups=(FollowUp("task", " ", owner, NOW.date()),)),
            "followup.title_required",
        ),
    ]
    before = ids(con, "SELECT count(*) FROM task_defs WHERE source = 'meeting'")
    for item, key in cases:
        with pytest.raises(ValidationError) as info:
            meet(con, at_now, garden_id, [item])
        assert info.value.key == key
    assert ids(con, "SELECT count(*) FROM task_defs WHERE source = 'meeting'") == before


def test_a_decision_becomes_a_meeting_task_that_is_due_and_done_once_logged(con, at_now, place):
    garden_id, zone_id = place()
    idea_id = new_idea(at_now, place)
    owner = person_id(con, "wangayi")
    meet(
        con,
        at_now,
        garden_id,
        [
            Item(
                "鸟浴盆",
                decision="放一个浅口鸟浴盆",
                idea_id=idea_id,
                followups=(
                    FollowUp("task", "放置鸟浴盆并加水", owner, NOW.date(), zone_id, task_kind="pond"),
                ),
            )
        ],
    )
    task = one(
        con,
        "SELECT id, kind, title, start_on, source, zone_id FROM task_defs WHERE source = 'meeting'"
        " ORDER BY id DESC LIMIT 1",
    )
    assert task[1:] == ("pond", "放置鸟浴盆并加水", NOW.date(), "meeting", zone_id)
    volunteer = at_now("wangayi")
    due = upkeep.due_tasks(volunteer, garden_id=garden_id)
    assert task[0] in set(due["id"])
    assert int(due.loc[due["id"] == task[0], "days_overdue"].iloc[0]) == 0
    assert list(meetings.followups(at_now("liuzhuren"), garden_id)["status"]) == ["open"]

    log_id = upkeep.log_task(at_now("wangayi", days=1), task[0], minutes=30)
    followups = meetings.followups(at_now("liuzhuren", days=1), garden_id)
    assert list(followups["status"]) == ["done"] and followups["owner"].iloc[0] == "王阿姨"
    assert one(con, "SELECT task_def_id FROM task_logs WHERE id = ?", [log_id]) == (task[0],)
    later = upkeep.due_tasks(at_now("wangayi", days=60), garden_id=garden_id, horizon_days=30)
    assert task[0] not in set(later["id"])  # a one-off: done once, it leaves the due list
    listed = ideas.garden_ideas(at_now("wangayi", days=1), garden_id)
    assert listed.loc[listed["id"] == idea_id, ["followups", "followups_done"]].values.tolist() == [[1, 1]]


def test_a_repeating_follow_up_task_comes_back_after_its_interval(con, at_now, place):
    garden_id, _ = place()
    meet(
        con,
        at_now,
        garden_id,
        [
            Item(
                "喂鸟",
                decision="冬季每周补充喂鸟器",
                followups=(
                    FollowUp(
                        "task",
                        "补充喂鸟器",
                        person_id(con, "wangayi"),
                        NOW.date(),
                        task_kind="feeder",
                        every_days=7,
                    ),
                ),
            )
        ],
    )
    task_id = ids(con, "SELECT id FROM task_defs WHERE source = 'meeting' ORDER BY id DESC LIMIT 1")[0]
    upkeep.log_task(at_now("wangayi"), task_id)
    due = upkeep.due_tasks(at_now("wangayi", days=7), garden_id=garden_id)
    assert task_id in set(due["id"])


def test_an_unlogged_follow_up_past_its_due_date_is_overdue_on_the_dashboard(con, at_now, place):
    garden_id, _ = place()
    meet(
        con,
        at_now,
        garden_id,
        [
            Item(
                "长椅",
                decision="物业安装木长椅",
                followups=(
                    FollowUp(
                        "task", "安装木长椅", person_id(con, "liuzhuren"), NOW.date() + timedelta(days=3)
                    ),
                ),
            ),
            Item("秋季修剪", decision="不剪残花，留种给鸟"),
        ],
    )
    summary, frame = meetings.followup_summary(at_now("liuzhuren"), garden_id)
    assert (summary.decided, summary.followups, summary.done, summary.overdue, summary.open) == (
        2,
        1,
        0,
        0,
        1,
    )
    summary, frame = meetings.followup_summary(at_now("liuzhuren", days=5), garden_id)
    assert (summary.done, summary.overdue) == (0, 1) and frame["status"].tolist() == ["overdue"]
    with pytest.raises(PermissionDenied):
        meetings.followup_summary(at_now("wangayi"), garden_id)


def test_a_problem_follow_up_is_done_when_the_problem_is_resolved(con, at_now, place):
    garden_id, zone_id = place()
    meet(con, at_now, garden_id, [Item("围栏", decision="请物业修复西侧围栏")])
    item_id = ids(con, "SELECT id FROM meeting_items ORDER BY id DESC LIMIT 1")[0]
    followup_id = meetings.add_followup(
        at_now("liuzhuren"),
        item_id,
        FollowUp(
            "problem",
            "西侧围栏破损，请物业修复",
            person_id(con, "liuzhuren"),
            NOW.date() + timedelta(days=7),
            zone_id,
            problem_kind="fence",
        ),
    )
    problem_id = one(con, "SELECT problem_id FROM meeting_followups WHERE id = ?", [followup_id])[0]
    assert one(
        con, "SELECT kind, description, status, reported_by FROM problems WHERE id = ?", [problem_id]
    ) == ("fence", "西侧围栏破损，请物业修复", "open", person_id(con, "liuzhuren"))
    assert meetings.followups(at_now("liuzhuren"), garden_id)["status"].tolist() == ["open"]
    community.resolve_problem(at_now("liuzhuren", days=2), problem_id, "物业已更换围栏")
    done = meetings.followups(at_now("liuzhuren", days=2), garden_id)
    assert done["status"].tolist() == ["done"] and done["done_at"].notna().all()


def test_a_follow_up_after_the_meeting_needs_an_item_with_a_decision(con, at_now, place):
    garden_id, _ = place()
    meet(con, at_now, garden_id, [Item("只讨论，没决定")])
    item_id = ids(con, "SELECT id FROM meeting_items ORDER BY id DESC LIMIT 1")[0]
    fu = FollowUp("task", "做点什么", person_id(con, "wangayi"), NOW.date())
    with pytest.raises(ValidationError) as info:
        meetings.add_followup(at_now("liuzhuren"), item_id, fu)
    assert info.value.key == "followup.needs_decision"
    with pytest.raises(NotFound):
        meetings.add_followup(at_now("liuzhuren"), 999_999, fu)
    with pytest.raises(PermissionDenied):
        meetings.add_followup(at_now("wangayi"), item_id, fu)


# ------------------------------------------------------------------- pesticide and fertiliser logs


def test_a_fertiliser_task_log_keeps_product_and_amount_and_other_tasks_refuse_them(con, at_now, place):
    garden_id, zone_id = place()
    meet(
        con,
        at_now,
        garden_id,
        [
            Item(
                "施肥",
                decision="只用腐熟有机肥",
                followups=(
                    FollowUp(
                        "task",
                        "花境施有机肥",
                        person_id(con, "wangayi"),
                        NOW.date(),
                        zone_id,
                        task_kind="fertiliser",
                    ),
                ),
            )
        ],
    )
    task_id = ids(con, "SELECT id FROM task_defs WHERE source = 'meeting' ORDER BY id DESC LIMIT 1")[0]
    log_id = upkeep.log_task(at_now("wangayi"), task_id, product=" 腐熟羊粪有机肥 ", amount="2 公斤")
    assert one(con, "SELECT kind, product, amount FROM task_logs WHERE id = ?", [log_id]) == (
        "fertiliser",
        "腐熟羊粪有机肥",
        "2 公斤",
    )
    litter = ids(
        con, "SELECT id FROM task_defs WHERE kind = 'litter' AND garden_id = ? AND active", [garden_id]
    )[0]
    with pytest.raises(ValidationError) as info:
        upkeep.log_task(at_now("wangayi"), litter, product="复合肥")
    assert info.value.key == "task.product_only_chemicals"
