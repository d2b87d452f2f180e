"""AppTest: the events and partners pages, as the roles that use them, in Chinese and English."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from habitat.clock import SHANGHAI
from habitat.db import connect
from habitat.db import people as people_db
from habitat.errors import ValidationError
from habitat.services import plots
from habitat.services.context import Ctx, transaction
from habitat.settings import load
from habitat.ui import core
from tests.app.helpers import click, displayed, open_tabs, rows


@pytest.fixture
def db(app_env):
    """The demo database with its partners and events (added here if habitat.demo.build did not build them)."""
    con = connect(app_env)
    try:
        if not con.execute("SELECT count(*) FROM partners").fetchall()[0][0]:
            from habitat.demo.events import build_events_demo

            ctx = Ctx(con=con, user=None, config=load(env={}, GARDEN_DB=str(app_env)))
            built_on = (
                con.execute("SELECT max(created_at) FROM people").fetchall()[0][0].astimezone(SHANGHAI).date()
            )
            with transaction(ctx):
                build_events_demo(
                    ctx,
                    dict(con.execute("SELECT slug, id FROM gardens").fetchall()),
                    dict(con.execute("SELECT username, id FROM people").fetchall()),
                    built_on,
                )
    finally:
        con.close()
    return app_env


def event_id(db, title):
    return rows(db, "SELECT id FROM events WHERE title = ?", [title])[0][0]


def test_the_committee_plans_an_event_and_it_is_selected(app_as, db):
    at = app_as("liuzhuren", "pages/events.py", query={"garden": "zhongjing"})
    at.selectbox(key="events_plan0_kind").set_value("bioblitz")
    at.text_input(key="events_plan0_title").input("中泾夜间生物快查")
    day = datetime.now(SHANGHAI).date() + timedelta(days=9)
    at.date_input(key="events_plan0_date").set_value(day)
    at.time_input(key="events_plan0_start").set_value(time(19, 0))
    at.number_input(key="events_plan0_hours").set_value(3.0)
    at.number_input(key="events_plan0_capacity").set_value(30)
    at.multiselect(key="events_plan0_audience").select("families")
    click(at, "安排活动")
    assert any("已安排活动：中泾夜间生物快查" in s.value for s in at.success)
    saved = rows(
        db,
        "SELECT kind, capacity, audience, starts_at, ends_at, host_id FROM events WHERE title = '中泾夜间生物快查'",
    )
    kind, capacity, audience, starts, ends, host = saved[0]
    assert (kind, capacity, audience) == ("bioblitz", 30, "families")
    assert starts.astimezone(SHANGHAI) == datetime.combine(day, time(19, 0), SHANGHAI)
    assert ends - starts == timedelta(hours=3)
    assert host == rows(db, "SELECT id FROM people WHERE username = 'liuzhuren'")[0][0]
    assert at.selectbox(key="events_pick").value == event_id(db, "中泾夜间生物快查")
    assert at.text_input(key="events_plan1_title").value == ""  # a fresh form for the next one


def test_a_plan_without_a_title_shows_a_message_and_keeps_the_input(app_as, db):
    at = app_as("wangayi", "pages/events.py", lang="en", query={"garden": "zhongjing"})
    before = rows(db, "SELECT count(*) FROM events")
    at.text_input(key="events_plan0_place").input("east gate")
    click(at, "Plan the event")
    assert any("Please give the event a title" in e.value for e in at.error)
    assert at.text_input(key="events_plan0_place").value == "east gate"
    assert rows(db, "SELECT count(*) FROM events") == before
    assert any("Host: 王阿姨 (you)" in c.value for c in at.caption)  # volunteers host their own events


def test_a_volunteer_signs_up_as_a_helper_and_can_cancel(app_as, db):
    title = "清晨观鸟"
    eid = event_id(db, title)
    at = app_as("zhaoshifu", "pages/events.py", query={"garden": "xinsen", "event": str(eid)})
    assert at.selectbox(key="events_pick").value == eid
    assert any("已报名" in m.value for m in at.markdown)  # the demo signed 赵师傅 up already
    click(at, "取消我的报名")
    assert any("已取消报名" in s.value for s in at.success)
    at.checkbox(key=f"events_helper_{eid}").check().run()
    click(at, "我要报名")
    assert any("报名成功" in s.value for s in at.success)
    me = rows(db, "SELECT id FROM people WHERE username = 'zhaoshifu'")[0][0]
    assert rows(
        db,
        "SELECT helper FROM event_signups WHERE event_id = ? AND person_id = ? AND NOT withdrawn",
        [eid, me],
    ) == [(True,)]


def test_children_cannot_be_signed_up_by_name(app_as, db):
    eid = event_id(db, "家门口的自然课：数一数蜜源花境里的蝴蝶")
    at = app_as("liuzhuren", "pages/events.py", query={"garden": "zhongjing", "event": str(eid)})
    before = rows(db, "SELECT count(*) FROM event_signups WHERE event_id = ?", [eid])
    at.radio(key=f"events_group0_{eid}_who").set_value("children")
    at.number_input(key=f"events_group0_{eid}_n").set_value(5)
    at.text_input(key=f"events_group0_{eid}_name").input("小红")
    click(at, "添加报名")
    assert any("儿童不登记姓名" in e.value for e in at.error)
    assert rows(db, "SELECT count(*) FROM event_signups WHERE event_id = ?", [eid]) == before
    at.text_input(key=f"events_group0_{eid}_name").input("")
    click(at, "添加报名")
    assert any("已添加 5 人" in s.value for s in at.success)
    assert rows(
        db,
        "SELECT name, head_count, is_child FROM event_signups WHERE event_id = ? ORDER BY id DESC LIMIT 1",
        [eid],
    ) == [(None, 5, True)]


def test_the_committee_records_attendance_in_english(app_as, db):
    eid = rows(
        db, "SELECT id FROM events WHERE kind = 'bioblitz' AND starts_at < now() ORDER BY starts_at LIMIT 1"
    )[0][0]
    at = app_as("liuzhuren", "pages/events.py", lang="en", query={"garden": "zhongjing", "event": str(eid)})
    wang = rows(db, "SELECT id FROM people WHERE username = 'wangayi'")[0][0]
    assert at.checkbox(key=f"events_att_{eid}_came_{wang}").value is True
    at.number_input(key=f"events_att_{eid}_min_{wang}").set_value(300)
    at.number_input(key=f"events_att_{eid}_children").set_value(14)
    click(at, "Save attendance")
    assert any("Attendance saved" in s.value for s in at.success)
    assert rows(
        db, "SELECT minutes FROM event_attendance WHERE event_id = ? AND person_id = ?", [eid, wang]
    ) == [(300,)]
    assert rows(
        db, "SELECT head_count, name FROM event_attendance WHERE event_id = ? AND is_child", [eid]
    ) == [(14, None)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Of whom children"] == "14"


def test_the_bioblitz_board_shows_the_same_numbers_as_the_records(app_as, db):
    eid = rows(
        db, "SELECT id FROM events WHERE kind = 'bioblitz' AND starts_at < now() ORDER BY starts_at LIMIT 1"
    )[0][0]
    species, records, recorders = rows(
        db,
        "SELECT count(DISTINCT species_id), count(*), count(DISTINCT recorded_by) FROM sightings"
        " WHERE event_id = ? AND NOT withdrawn",
        [eid],
    )[0]
    at = app_as("wangayi", "pages/events.py", lang="en", query={"garden": "zhongjing", "event": str(eid)})
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Species"], metrics["Records"], metrics["Recorders"]) == (
        str(species),
        str(records),
        str(recorders),
    )
    boards = [d.value for d in at.dataframe]
    leader = next(b for b in boards if "Recorder" in b.columns)
    assert list(leader["Species"]) == sorted(leader["Species"], reverse=True) and len(leader) == recorders
    tally = next(b for b in boards if "First found by" in b.columns)
    assert len(tally) == species and tally["Records"].sum() == records
    assert not any(b.label == "Save attendance" for b in at.button)  # not the host: no attendance form


def test_a_plot_observation_is_saved_from_the_plots_tab(app_as, db):
    at = app_as("sunayi", "pages/events.py", query={"garden": "leyi"})
    assert at.selectbox(key="events_plot").value is not None
    at.text_input(key="events_obs0_text").input("向日葵苗高 40 厘米")
    at.number_input(key="events_obs0_value").set_value(40.0)
    at.text_input(key="events_obs0_unit").input("厘米")
    click(at, "添加观察")
    assert any("观察已保存" in s.value for s in at.success)
    assert rows(db, "SELECT observation, value, unit FROM plot_observations ORDER BY id DESC LIMIT 1") == [
        ("向日葵苗高 40 厘米", 40.0, "厘米")
    ]


@pytest.fixture
def plot_today(db, monkeypatch):
    """A plot in 乐颐 with sessions at 15:30 two weeks ago, today and in two weeks; the app's clock is
    at 10:00 today (before today's session), as when the 12-02 observation went to the 11-18 session."""
    today = datetime.now(SHANGHAI).date()
    morning = datetime.combine(today, time(10), SHANGHAI)
    monkeypatch.setattr(core, "system_clock", lambda: morning)
    con = connect(db)
    try:
        person = {
            u: people_db.by_id(con, i) for u, i in con.execute("SELECT username, id FROM people").fetchall()
        }
        garden = con.execute("SELECT id FROM gardens WHERE slug = 'leyi'").fetchall()[0][0]
        ctx = Ctx(
            con=con, user=person["liuzhuren"], config=load(env={}, GARDEN_DB=str(db)), clock=lambda: morning
        )
        plot_id = plots.create_plot(
            ctx,
            plots.PlotDraft(
                garden_id=garden,
                name="豆苗观察田",
                season_start=today - timedelta(days=14),
                season_end=today + timedelta(days=20),
                class_name="二年级（1）班",
                host_id=person["sunayi"].id,
            ),
        )
        sessions = [
            r[0]
            for r in con.execute(
                "SELECT id FROM events WHERE series_id = ? ORDER BY starts_at", [plot_id]
            ).fetchall()
        ]
    finally:
        con.close()
    return plot_id, sessions


def test_an_observation_goes_to_todays_session_and_a_session_is_recorded_from_the_plots_tab(
    app_as, db, plot_today
):
    """Issue 15, item 5: an observation made on 12-02 was filed under the 11-18 session, and who came
    to a session could only be recorded from the events tab."""
    plot_id, (earlier, today, later) = plot_today
    at = app_as("sunayi", "pages/events.py", query={"garden": "leyi"})
    at.selectbox(key="events_plot").set_value(plot_id).run()
    at.text_input(key="events_obs0_text").input("豆苗出土 3 厘米")
    click(at, "添加观察")
    assert rows(db, "SELECT event_id FROM plot_observations WHERE plot_id = ?", [plot_id]) == [(today,)]
    picker = at.selectbox(key=f"plots_session_{plot_id}")
    assert picker.value == today and later not in picker.options  # today's by default; not a future one
    # two weeks ago's session, written up today: who came, and an observation dated at that session
    at.selectbox(key=f"plots_session_{plot_id}").set_value(earlier).run()
    at.number_input(key=f"plots_att_{earlier}_children").set_value(12)
    click(at, "保存出席记录")
    assert rows(
        db, "SELECT sum(head_count) FROM event_attendance WHERE event_id = ? AND is_child", [earlier]
    ) == [(12,)]
    at.text_input(key="events_obs1_text").input("种下豆子 24 颗")
    click(at, "添加观察")
    assert rows(
        db,
        "SELECT observed_at = e.starts_at FROM plot_observations o JOIN events e ON e.id = o.event_id"
        " WHERE o.observation = '种下豆子 24 颗'",
    ) == [(True,)]


def test_an_observation_between_sessions_belongs_to_none(db, plot_today):
    """Unit of the rule, at the service: no session today -> none; a future session is refused."""
    plot_id, (earlier, today, later) = plot_today
    con = connect(db)
    try:
        day_after = datetime.combine(datetime.now(SHANGHAI).date() + timedelta(days=1), time(9), SHANGHAI)
        person = people_db.by_id(
            con, con.execute("SELECT id FROM people WHERE username = 'sunayi'").fetchall()[0][0]
        )
        ctx = Ctx(con=con, user=person, config=load(env={}, GARDEN_DB=str(db)), clock=lambda: day_after)
        _plot, sessions, _obs = plots.plot_detail(ctx, plot_id)
        assert plots.todays_session(ctx, sessions) is None
        assert list(plots.sessions_to_file(ctx, sessions)["id"]) == [today, earlier]
        with pytest.raises(ValidationError) as info:
            plots.add_observation(ctx, plot_id, "还没到的活动", event_id=later)
        assert info.value.key == "plot.session_ahead"
    finally:
        con.close()


def test_volunteers_see_partners_without_contacts(app_as, db):
    at = app_as("wangayi", "pages/partners.py")
    assert at.title[0].value == "合作伙伴"
    text = displayed(" ".join(m.value for m in at.markdown))
    assert "上海动物园" in text and "张工（动物园）" in text and "138-0000" not in text
    assert not at.tabs  # no editing tabs


def test_the_committee_adds_and_pairs_a_partner_in_english(app_as, db):
    at = app_as("liuzhuren", "pages/partners.py", lang="en")
    assert "138-0000-0101" in displayed(" ".join(m.value for m in at.markdown))  # contacts for the committee
    at.text_input(key="partners_name_None").input("上海农科院生态所")
    at.selectbox(key="partners_kind_None").set_value("agriculture")
    at.text_input(key="partners_phone_None").input("021-0000-0000")
    click(at, "Save")
    assert any("Saved: 上海农科院生态所" in s.value for s in at.success)
    pid = rows(db, "SELECT id FROM partners WHERE name = '上海农科院生态所'")[0][0]
    garden = rows(db, "SELECT id FROM gardens WHERE slug = 'zhongjing'")[0][0]
    at.selectbox(key="partners_pair_garden").set_value(garden)
    at.selectbox(key="partners_pair_partner").set_value(pid)
    at.text_input(key="partners_pair_role").input("soil advice")
    click(at, "Pair")
    assert rows(
        db, "SELECT role FROM garden_partners WHERE garden_id = ? AND partner_id = ?", [garden, pid]
    ) == [("soil advice",)]


def test_experts_see_contacts_but_cannot_edit(app_as, db):
    at = app_as("zhanggong", "pages/partners.py", lang="en")
    assert at.title[0].value == "Partners"
    assert "138-0000-0102" in displayed(" ".join(m.value for m in at.markdown))
    assert not at.tabs


def test_the_garden_page_lists_partners_and_what_they_did(app_as, db):
    at = app_as("wangayi", "pages/garden.py", query={"garden": "zhongjing"})
    assert "合作伙伴和他们做的事" in [s.value for s in at.subheader]
    zoo = next(m.value for m in at.markdown if m.value.startswith("**上海动物园**"))
    reviews = rows(
        db,
        """SELECT count(*) FROM verifications v JOIN sightings s ON s.id = v.sighting_id
                          JOIN people p ON p.id = v.decided_by JOIN gardens g ON g.id = s.garden_id
                          WHERE g.slug = 'zhongjing' AND p.username = 'zhanggong' AND NOT v.machine""",
    )[0][0]
    assert f"审核记录 {reviews} 条" in zoo
    at = app_as("wangayi", "pages/garden.py", lang="en", query={"garden": "zhongjing"})
    assert "Partners and what they did" in [s.value for s in at.subheader]


def test_an_expert_sees_the_events_page_in_english(app_as, db):
    at = app_as("xuboshi", "pages/events.py", lang="en", query={"garden": "xinsen"})
    assert at.title[0].value == "Events and nature classes"
    assert [t.label for t in at.tabs] == ["Events", "Plan an event", "Children's plots"]
    assert at.selectbox(key="events_plan0_host") is not None  # organisers choose the host


def test_a_live_bioblitz_refreshes_itself_and_links_to_logging(app_as, db):
    con = connect(db)
    try:
        garden, host = con.execute(
            "SELECT g.id, p.id FROM gardens g, people p WHERE g.slug = 'xinsen' AND p.username = 'zhaoshifu'"
        ).fetchall()[0]
        now = datetime.now(SHANGHAI)
        eid = con.execute(
            "INSERT INTO events (garden_id, kind, title, starts_at, ends_at, host_id, created_by)"
            " VALUES (?, 'bioblitz', '新森快查', ?, ?, ?, ?) RETURNING id",
            [garden, now - timedelta(hours=1), now + timedelta(hours=2), host, host],
        ).fetchall()[0][0]
    finally:
        con.close()
    at = app_as("zhaoshifu", "pages/events.py", lang="en", query={"garden": "xinsen", "event": str(eid)})
    assert any("updates itself every 20 seconds" in c.value for c in at.caption)
    assert any("No records yet" in i.value for i in at.info)
    assert any(b.label == "Save attendance" for b in at.button)  # the host records attendance while it runs
    other = event_id(db, "清晨观鸟")
    at.selectbox(key="events_pick").set_value(
        other
    ).run()  # the link preset the event once; the choice now wins
    assert at.selectbox(key="events_pick").value == other
    assert not any("updates itself" in c.value for c in at.caption)


# ---- issue 15, item 3: a volunteer signs up with the people who come with her; a full class refuses
# at the top of the page; a finished event offers no places.

CLASS = "家门口的自然课：数一数蜜源花境里的蝴蝶"


def _top_level_errors(at) -> list[str]:
    """Errors drawn on the page itself, not inside a tab or an expander (which may be collapsed)."""
    nested = {e.value for block in [*at.tabs, *at.expander] for e in block.error}
    return [e.value for e in at.error if e.value not in nested]


def _signed(db, eid):
    return rows(
        db,
        "SELECT coalesce(sum(head_count), 0) FROM event_signups WHERE event_id = ? AND NOT withdrawn",
        [eid],
    )[0][0]


def test_a_volunteer_signs_up_with_her_children_and_a_full_class_says_so_at_the_top(app_as, db):
    eid = event_id(db, CLASS)
    me = rows(db, "SELECT id FROM people WHERE username = 'zhaoshifu'")[0][0]
    con = connect(db)
    try:  # two places left
        con.execute(
            "UPDATE events SET capacity = (SELECT coalesce(sum(head_count), 0) FROM event_signups "
            "WHERE event_id = ? AND NOT withdrawn) + 2 WHERE id = ?",
            [eid, eid],
        )
        con.execute(
            "UPDATE event_signups SET withdrawn = TRUE WHERE event_id = ? AND person_id = ?", [eid, me]
        )
    finally:
        con.close()
    before = _signed(db, eid)
    at = app_as("zhaoshifu", "pages/events.py", query={"garden": "zhongjing", "event": str(eid)})
    at.number_input(key=f"events_with_children_{eid}").set_value(2).run()
    click(at, "我要报名")
    errors = _top_level_errors(at)
    assert any("名额不够" in e for e in errors), [e.value for e in at.error]
    assert _signed(db, eid) == before  # nobody half signed up
    assert at.number_input(key=f"events_with_children_{eid}").value == 2  # what she chose stays
    at.number_input(key=f"events_with_children_{eid}").set_value(1).run()
    click(at, "我要报名")
    assert any("共 2 人" in s.value for s in at.success)
    assert _signed(db, eid) == before + 2  # capacity counts people, not sign-ups
    assert rows(
        db,
        "SELECT s.head_count, s.is_child, s.name FROM event_signups s JOIN event_signups o ON o.id = s.party_of "
        "WHERE o.person_id = ? AND o.event_id = ? AND NOT s.withdrawn",
        [me, eid],
    ) == [(1, True, None)]
    assert any("还剩 0 个名额" in displayed(m.value) for m in at.markdown)
    click(at, "取消我的报名")  # her children leave with her
    assert _signed(db, eid) == before


def test_a_finished_event_offers_no_places_nor_a_sign_up_button(app_as, db):
    eid = rows(
        db,
        "SELECT id FROM events WHERE capacity IS NOT NULL AND ends_at < now() AND NOT cancelled "
        "AND garden_id = (SELECT id FROM gardens WHERE slug = 'zhongjing') ORDER BY starts_at DESC LIMIT 1",
    )[0][0]
    at = app_as("zhaoshifu", "pages/events.py", query={"garden": "zhongjing", "event": str(eid)})
    text = " ".join(displayed(m.value) for m in at.markdown)
    assert "个名额" not in text
    assert "已报名" in text
    assert not any(b.label == "我要报名" for b in at.button)


# ---- issue 15, item 4: saves keep their place; "who else came" is saved with its minutes at once


def test_who_else_came_gets_their_minutes_in_one_save_and_the_tab_stays(app_as, db):
    eid = rows(
        db, "SELECT id FROM events WHERE kind = 'bioblitz' AND starts_at < now() ORDER BY starts_at LIMIT 1"
    )[0][0]
    at = app_as("liuzhuren", "pages/events.py", query={"garden": "zhongjing", "event": str(eid)})
    shown = {c.key for c in at.checkbox if c.key and c.key.startswith(f"events_att_{eid}_came_")}
    extra = next(
        pid
        for (pid,) in rows(db, "SELECT id FROM people WHERE active AND role = 'volunteer' ORDER BY id")
        if f"events_att_{eid}_came_{pid}" not in shown
    )
    at.multiselect(key=f"events_att_{eid}_more").select(extra)
    at.number_input(key=f"events_att_{eid}_more_min").set_value(90)
    click(at, "保存出席记录")
    assert rows(
        db, "SELECT minutes FROM event_attendance WHERE event_id = ? AND person_id = ?", [eid, extra]
    ) == [(90,)]

    at = app_as(
        "liuzhuren", "pages/events.py", query={"garden": "zhongjing"}, tabs={"events_tab": "安排活动"}
    )
    at.text_input(key="events_plan0_title").input("秋季补种日")
    click(at, "安排活动")
    assert any("已安排活动：秋季补种日" in s.value for s in at.success)
    # planning is the one save that moves on: the page shows the new event, in the events tab
    assert open_tabs(at) == [0]
    assert "秋季补种日" in at.selectbox(key="events_pick").format_func(at.selectbox(key="events_pick").value)
