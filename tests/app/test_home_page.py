"""AppTest: home is the cockpit: the big everyday buttons, the inbox banner that opens her record,
the expert's and the committee's work (issue 14 item 3)."""

from __future__ import annotations

from habitat.db import connect
from habitat.services import community, overview, review, upkeep
from habitat.services.context import Ctx
from habitat.settings import load
from tests.app.conftest import person
from tests.app.helpers import click, rows

BUTTONS = ["home_go_log", "home_go_patrol", "home_go_upkeep", "home_go_ask"]
QUERY_BANNER = "专家对您的记录提了问题"


def as_person(db, username, action):
    """Run ``action(ctx)`` as someone else through the services, on a connection of its own."""
    con = connect(db)
    try:
        return action(Ctx(con=con, user=person(db, username), config=load(env={}, GARDEN_DB=str(db))))
    finally:
        con.close()


def test_home_shows_the_four_big_buttons_to_every_role_the_first_primary(app_as):
    for username in ("wangayi", "xuboshi", "liuzhuren"):
        at = app_as(username)
        shown = {b.key: b for b in at.button if b.key in BUTTONS}
        assert list(shown) == BUTTONS, username
        assert [shown[k].proto.type for k in BUTTONS] == ["primary", "secondary", "secondary", "secondary"]
        assert shown["home_go_log"].label == "记录物种" and shown["home_go_ask"].label == "问专家"
        assert shown["home_go_patrol"].label == "开始巡护"
        assert shown["home_go_upkeep"].label.startswith("今天的养护（")


def test_the_upkeep_button_counts_what_is_due_and_the_patrol_button_returns_to_a_running_patrol(
    app_as, app_env
):
    at = app_as("wangayi")
    home_garden = rows(app_env, "SELECT home_garden_id FROM people WHERE username = 'wangayi'")[0][0]
    due = as_person(app_env, "wangayi", lambda ctx: len(upkeep.due_tasks(ctx, garden_id=home_garden)))
    assert at.button(key="home_go_upkeep").label == f"今天的养护（{due}）"
    at.button(key="home_go_patrol").click().run()  # opens the patrol page
    assert not at.exception, at.exception
    click(at, "开始巡护")
    at.switch_page("pages/home.py").run()
    assert at.button(key="home_go_patrol").label == "回到巡护"


def test_an_experts_question_shows_a_banner_that_opens_the_record_and_mark_as_read_clears_it(app_as, app_env):
    at = app_as("wangayi")
    if any(b.key == "home_inbox_read" for b in at.button):  # the demo's last 30 days
        at.button(key="home_inbox_read").click().run()
    assert not any(b.key == "home_inbox_read" for b in at.button)
    assert rows(app_env, "SELECT inbox_seen_at IS NOT NULL FROM people WHERE username = 'wangayi'") == [
        (True,)
    ]

    record = rows(
        app_env,
        "SELECT s.id FROM sightings s JOIN people p ON p.id = s.recorded_by"
        " WHERE p.username = 'wangayi' AND NOT s.withdrawn ORDER BY s.created_at DESC LIMIT 1",
    )[0][0]
    as_person(app_env, "zhanggong", lambda ctx: review.ask_recorder(ctx, record, "翅膀背面是什么颜色？"))
    at.run()
    assert any(QUERY_BANNER in w.value for w in at.warning), [w.value for w in at.warning]
    assert any("翅膀背面是什么颜色？" in c.value for c in at.caption)  # the list says what was asked

    at.button(key="home_inbox_open").click().run()  # 去看看并回答: that record, open in 我的记录
    assert not at.exception, at.exception
    assert at.selectbox(key="mine_pick").value == record
    assert at.text_area(key=f"mine_answer_{record}").label == "您的回答"  # where she answers

    at.switch_page("pages/home.py").run()
    click(at, "标为已读")
    assert not any(QUERY_BANNER in w.value for w in at.warning)
    assert not any(b.key == "home_inbox_read" for b in at.button)


def test_the_expert_home_counts_the_records_waiting_in_her_groups_and_the_open_questions(app_as, app_env):
    at = app_as("xuboshi")
    work = as_person(app_env, "xuboshi", overview.expert_work)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["待审核记录"] == str(work.waiting) and work.waiting > 0
    open_questions = as_person(app_env, "xuboshi", lambda ctx: len(community.open_questions(ctx)))
    assert metrics["待回答的问题"] == str(open_questions) and open_questions > 0
    assert any(f"最早的一条已等 {work.oldest_days} 天" == c.value for c in at.caption)
    at.button(key="home_go_questions").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "专家审核"


def test_the_committee_home_counts_overdue_upkeep_and_open_problems(app_as, app_env):
    at = app_as("liuzhuren")
    work = as_person(app_env, "liuzhuren", overview.committee_work)
    first = {}
    for m in at.metric:
        first.setdefault(m.label, m.value)  # the garden headline cards repeat theirs per garden
    assert first["逾期的养护"] == str(len(work.overdue)) and len(work.overdue) > 0
    open_problems = rows(app_env, "SELECT count(*) FROM problems WHERE status = 'open'")[0][0]
    assert first["待处理的问题"] == str(open_problems) and open_problems > 0
    assert {"本月记录", "今年物种数", "未解决问题"} <= set(first)  # the headline cards are still there
