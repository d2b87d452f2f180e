"""AppTest: the ideas, garden-meeting and five-principles pages for the roles that use them (zh and en)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest

from habitat.clock import SHANGHAI
from habitat.db import connect
from habitat.demo.civic import build_civic_demo
from habitat.domain import principles as rules
from habitat.services.context import Ctx
from habitat.settings import load
from habitat.ui import core
from tests.app.helpers import click, open_tabs, rows, uploader
from tests.fixtures import images as fx


@pytest.fixture
def civic_env(app_env, tmp_path):
    """The demo database with its ideas / meetings / principles part (built here if build_demo has not)."""
    con = connect(app_env)
    try:
        if not con.execute("SELECT count(*) FROM ideas").fetchall()[0][0]:
            config = load(env={}, GARDEN_DB=str(app_env), GARDEN_PHOTOS=str(tmp_path / "photos"))
            gids = dict(con.execute("SELECT slug, id FROM gardens").fetchall())
            pids = dict(con.execute("SELECT username, id FROM people").fetchall())
            build_civic_demo(
                Ctx(con=con, user=None, config=config), gids, pids, datetime.now(SHANGHAI).date()
            )
    finally:
        con.close()
    return app_env


def idea_id(db, title):
    return rows(db, "SELECT id FROM ideas WHERE title = ?", [title])[0][0]


# ------------------------------------------------------------------------------------------ ideas


def test_a_volunteer_records_an_idea_with_a_photo_and_a_zone(app_as, civic_env):
    at = app_as("wangayi", "pages/ideas.py")
    assert at.title[0].value == "金点子"
    assert not [
        t for t in at.text_input if t.key == "ideas_new0_behalf"
    ]  # only the committee writes for residents
    at.text_input(key="ideas_new0_title").input("池塘边种一丛千屈菜").run()
    at.text_area(key="ideas_new0_body").input("给蜻蜓停落").run()
    zone = rows(
        civic_env,
        "SELECT z.id FROM zones z JOIN gardens g ON g.id = z.garden_id WHERE g.slug = 'zhongjing' AND z.code = 'A'",
    )[0][0]
    at.selectbox(key="ideas_new0_zone").set_value(zone).run()
    uploader(at, "ideas_new0").set_value(("idea.jpg", fx.make_jpeg(color=(60, 140, 60)), "image/jpeg")).run()
    click(at, "提交金点子")
    assert any("金点子已提交：池塘边种一丛千屈菜" in s.value for s in at.success)
    new = idea_id(civic_env, "池塘边种一丛千屈菜")
    assert rows(civic_env, "SELECT zone_id, body, status FROM ideas WHERE id = ?", [new]) == [
        (zone, "给蜻蜓停落", "open")
    ]
    assert rows(civic_env, "SELECT count(*) FROM photos WHERE idea_id = ?", [new]) == [(1,)]
    assert any("池塘边种一丛千屈菜" in m.value for m in at.markdown)  # listed at once


def test_an_idea_without_a_title_shows_a_message_and_keeps_the_text(app_as, civic_env):
    at = app_as("wangayi", "pages/ideas.py")
    at.text_area(key="ideas_new0_body").input("写了说明，忘了标题").run()
    before = rows(civic_env, "SELECT count(*) FROM ideas")
    click(at, "提交金点子")
    assert "请用一句话写下您的想法" in at.error[0].value
    assert at.text_area(key="ideas_new0_body").value == "写了说明，忘了标题"
    assert rows(civic_env, "SELECT count(*) FROM ideas") == before


def test_a_volunteer_supports_an_idea_once_in_english(app_as, civic_env):
    target = idea_id(
        civic_env, "自然教室添几个小板凳给孩子们上课"
    )  # 乐颐, by 孙阿姨; 王阿姨 already supports it
    at = app_as("lishushu", "pages/ideas.py", lang="en", query={"garden": "leyi"})
    assert at.title[0].value == "Ideas for the garden"
    button = at.button(key=f"idea_support_{target}")
    assert button.label == "Support 👍" and not button.disabled
    button.click().run()
    assert any("3 supporters" not in s.value and "(4 supporters now)" in s.value for s in at.success)
    assert at.button(key=f"idea_support_{target}").label == "Supported ✓"
    assert at.button(key=f"idea_support_{target}").disabled
    me = rows(civic_env, "SELECT id FROM people WHERE username = 'lishushu'")[0][0]
    assert rows(
        civic_env, "SELECT count(*) FROM idea_support WHERE idea_id = ? AND person_id = ?", [target, me]
    ) == [(1,)]


def test_the_author_cannot_support_their_own_idea(app_as, civic_env):
    own = idea_id(civic_env, "自然教室添几个小板凳给孩子们上课")
    at = app_as("sunayi", "pages/ideas.py", query={"garden": "leyi"})
    assert at.button(key=f"idea_support_{own}").disabled


def test_the_committee_puts_an_idea_on_the_agenda_and_records_one_for_a_resident(app_as, civic_env):
    target = idea_id(civic_env, "秘境区挂一块“请勿进入”的科普牌")
    at = app_as("liuzhuren", "pages/ideas.py", query={"garden": "zhongjing"})
    at.button(key=f"idea_agenda_{target}").click().run()
    assert rows(civic_env, "SELECT status FROM ideas WHERE id = ?", [target]) == [("on_agenda",)]
    assert any("已列入下次花园议事会议程" in s.value for s in at.success)
    at.text_input(key="ideas_new0_title").input("给步道装几盏低矮的夜灯").run()
    at.text_input(key="ideas_new0_behalf").input("5号楼刘阿姨").run()
    click(at, "提交金点子")
    assert rows(civic_env, "SELECT on_behalf_of FROM ideas WHERE title = '给步道装几盏低矮的夜灯'") == [
        ("5号楼刘阿姨",)
    ]
    assert any("代5号楼刘阿姨记录" in c.value for c in at.caption)


# ---------------------------------------------------------------------------------------- meetings


def test_the_committee_holds_a_meeting_whose_decision_becomes_a_due_task(app_as, civic_env):
    target = idea_id(civic_env, "秘境区挂一块“请勿进入”的科普牌")
    con = connect(civic_env)
    con.execute("UPDATE ideas SET status = 'on_agenda' WHERE id = ?", [target])
    con.close()
    at = app_as("liuzhuren", "pages/meetings.py", query={"garden": "zhongjing"})
    assert at.title[0].value == "花园议事会"
    key = f"meet0_idea{target}"
    at.text_input(key="meet0_place").input("花园自然角").run()
    at.text_input(key="meet0_resident").input("张大爷、李阿姨").run()
    at.text_input(key="meet0_property_manager").input("陈经理").run()
    at.text_area(key=f"{key}_decision").input("做一块图画科普牌，挂在秘境区入口").run()
    at.checkbox(key=f"{key}_fu").check().run()
    at.text_input(key=f"{key}_fu_title").input("制作并悬挂秘境区科普牌").run()
    at.date_input(key=f"{key}_fu_due").set_value(datetime.now(SHANGHAI).date()).run()
    click(at, "保存议事会记录")
    assert any("议事会已保存：1 个议题，新增 1 项养护任务" in s.value for s in at.success)
    meeting = rows(civic_env, "SELECT id, place FROM meetings ORDER BY id DESC LIMIT 1")[0]
    assert meeting[1] == "花园自然角"
    assert rows(
        civic_env,
        "SELECT name, role FROM meeting_participants WHERE meeting_id = ? ORDER BY id",
        [meeting[0]],
    ) == [
        ("刘主任", "committee"),
        ("张大爷", "resident"),
        ("李阿姨", "resident"),
        ("陈经理", "property_manager"),
    ]
    assert rows(civic_env, "SELECT status FROM ideas WHERE id = ?", [target]) == [("decided",)]
    assert rows(civic_env, "SELECT title, source FROM task_defs ORDER BY id DESC LIMIT 1") == [
        ("制作并悬挂秘境区科普牌", "meeting")
    ]

    upkeep = app_as("wangayi", "pages/upkeep.py", query={"garden": "zhongjing"})
    assert any("制作并悬挂秘境区科普牌" in m.value for m in upkeep.markdown)


def test_a_problem_follow_up_is_made_from_a_past_decision_in_english(app_as, civic_env):
    at = app_as("liuzhuren", "pages/meetings.py", lang="en", query={"garden": "zhongjing"})
    assert at.title[0].value == "Garden meetings"
    assert at.selectbox(key="meet_fu_item").options  # the demo meeting's decisions
    k = f"meet_fu0_{at.selectbox(key='meet_fu_item').value}"
    at.radio(key=f"{k}_kind").set_value("problem").run()
    at.text_input(key=f"{k}_title").input("Bench not delivered yet: call the property office").run()
    if at.selectbox(key=f"{k}_owner").value is None:  # a decision with no proposer: nobody by default
        me = rows(civic_env, "SELECT id FROM people WHERE username = 'liuzhuren'")[0][0]
        at.selectbox(key=f"{k}_owner").set_value(me).run()
    click(at, "Create the follow-up")
    assert any("Follow-up created" in s.value for s in at.success)
    assert rows(civic_env, "SELECT description, status FROM problems ORDER BY id DESC LIMIT 1") == [
        ("Bench not delivered yet: call the property office", "open")
    ]
    labels = [e.label for e in at.expander]
    assert any("9 people" in label for label in labels)  # the demo meeting, in the past-meetings tab


def test_volunteers_and_experts_have_no_meetings_page(app_as, civic_env):
    for who in ("wangayi", "xuboshi"):
        at = app_as(who)
        with pytest.raises(ValueError):
            at.switch_page("pages/meetings.py")
    with pytest.raises(ValueError):
        app_as("wangayi").switch_page("pages/principles.py")


# -------------------------------------------------------------------------------------- principles


def test_the_committee_assesses_a_garden_with_evidence_and_suggested_scores(app_as, civic_env):
    at = app_as("liuzhuren", "pages/principles.py", query={"garden": "zhongjing"})
    assert at.title[0].value == "五项原则自评"
    sliders = [s for s in at.slider if s.label == "居委会评分"]
    assert len(sliders) == 5
    assert any("依据记录建议" in m.value for m in at.markdown)
    assert any("近 12 个月记录到" in m.value for m in at.markdown)
    sliders[1].set_value(2).run()
    notes = [t for t in at.text_input if t.label == "说明"]
    notes[1].input("发现一枝黄花幼苗").run()
    click(at, "保存自评")
    assert any("自评已保存" in s.value for s in at.success)
    season = at.selectbox(key="princ_season").value
    assert rows(
        civic_env,
        "SELECT a.score, a.note FROM principle_assessments a JOIN gardens g ON g.id = a.garden_id"
        " WHERE g.slug = 'zhongjing' AND a.season = ? AND a.principle = 2",
        [season],
    ) == [(2, "发现一枝黄花幼苗")]


def test_experts_see_scores_side_by_side_in_english_without_editing(app_as, civic_env):
    at = app_as("xuboshi", "pages/principles.py", lang="en", query={"garden": "changxin"})
    assert at.title[0].value == "Five principles self-assessment"
    assert not at.slider and not [b for b in at.button if b.label == "Save the assessment"]
    assert any("Committee's score" in m.value for m in at.markdown)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = next(s for s in specs if s["data"] and s["data"][0].get("type") == "heatmap")
    assert len(heat["data"][0]["y"]) == 4 and len(heat["data"][0]["x"]) == 5
    trend = [s for s in specs if s["data"] and s["data"][0].get("type") == "scatter"]
    assert trend and len(trend[0]["data"]) == 4  # one line per garden over the two seasons


def test_a_young_season_shows_its_dates_and_holds_back_the_suggested_scores(app_as, civic_env, monkeypatch):
    """Issue 15, item 6: on the second day of a season the page suggested 5/5 from two days of data."""
    today = datetime.now(SHANGHAI).date()
    first = rules.season_bounds(rules.season_of(today))[0]
    second_day = datetime.combine(first + timedelta(days=1), time(10), SHANGHAI)
    monkeypatch.setattr(core, "system_clock", lambda: second_day)
    at = app_as("liuzhuren", "pages/principles.py", query={"garden": "zhongjing"})
    assert at.selectbox(key="princ_season").value == rules.season_of(first)
    captions = " ".join(c.value for c in at.caption)
    assert f"本季 {first.isoformat()} 至 {(first + timedelta(days=1)).isoformat()}（2 天" in captions
    assert "近 12 个月" in captions
    assert any("暂不给建议分" in i.value for i in at.info)
    suggested = [m.value for m in at.markdown if m.value.startswith("依据记录建议")]
    assert suggested == ["依据记录建议：**—** / 5 分"] * 5


def test_a_planted_invasive_plant_is_flagged_never_ticked_as_a_planting(app_as, civic_env):
    """Issue 15, item 6: Solidago canadensis stood in the autumn evidence as "planted ✓"."""
    con = connect(civic_env)
    try:
        con.execute(
            "INSERT INTO sightings (garden_id, species_id, event_date, degree_of_establishment, recorded_by)"
            " SELECT g.id, sp.id, ?, 'cultivated', p.id FROM gardens g, species sp, people p"
            " WHERE g.slug = 'leyi' AND sp.scientific_name = 'Solidago canadensis' AND p.username = 'sunayi'",
            [datetime.now(SHANGHAI) - timedelta(days=1)],
        )
    finally:
        con.close()
    at = app_as("zhoujie", "pages/principles.py", lang="en", query={"garden": "leyi"})
    plants = next(d.value for d in at.dataframe if "Planted" in d.value.columns)
    goldenrod = plants[plants["Species"] == "Solidago canadensis"].iloc[0]
    assert goldenrod["Planted"] == "invasive: remove" and goldenrod["Invasive"] == "Invasive"
    assert "✓" not in set(plants.loc[plants["Invasive"] != "", "Planted"])
    assert plants.index[0] == goldenrod.name  # invasive plants head the list
    assert any("Solidago canadensis" in m.value and "last 12 months" in m.value for m in at.markdown)


def test_an_application_of_fertiliser_is_recorded_on_the_principles_page(app_as, civic_env):
    at = app_as("liuzhuren", "pages/principles.py", query={"garden": "xinsen"})
    at.radio(key="princ_app0_kind").set_value("fertiliser").run()
    at.text_input(key="princ_app0_product").input("腐熟鸡粪").run()
    at.text_input(key="princ_app0_amount").input("3 公斤").run()
    click(at, "保存记录")
    assert rows(civic_env, "SELECT kind, product, amount FROM task_logs ORDER BY id DESC LIMIT 1") == [
        ("fertiliser", "腐熟鸡粪", "3 公斤")
    ]
    assert any("已记录：腐熟鸡粪" in s.value for s in at.success)


def test_the_dashboard_shows_whether_meeting_decisions_were_carried_out(app_as, civic_env):
    at = app_as("liuzhuren", "pages/dashboard.py")
    metrics = {m.label: m.value for m in at.metric}
    done, overdue = rows(
        civic_env,
        """
        SELECT count(*) FILTER (WHERE l.id IS NOT NULL OR p.status = 'resolved'),
               count(*) FILTER (WHERE l.id IS NULL AND coalesce(p.status, '') <> 'resolved' AND f.due_on < current_date)
        FROM meeting_followups f LEFT JOIN task_logs l ON l.task_def_id = f.task_def_id
        LEFT JOIN problems p ON p.id = f.problem_id""",
    )[0]
    assert (metrics["决议"], metrics["落实事项"]) == ("4", "3")
    assert (metrics["已完成"], metrics["已逾期"]) == (str(done), str(overdue)) == ("1", "1")


# ---- issue 15, item 4: saves keep their place; a follow-up's owner is the proposer or nobody


def test_a_follow_up_keeps_the_tab_and_its_owner_is_the_proposer_or_nobody(app_as, civic_env):
    con = connect(civic_env)
    try:  # a decided item from an idea a volunteer proposed, and one that came from no idea
        target = idea_id(civic_env, "秘境区挂一块“请勿进入”的科普牌")
        author = con.execute("SELECT author_id FROM ideas WHERE id = ?", [target]).fetchall()[0][0]
        con.execute("UPDATE ideas SET on_behalf_of = NULL WHERE id = ?", [target])
        meeting = con.execute("SELECT id FROM meetings ORDER BY held_at DESC LIMIT 1").fetchall()[0][0]
        with_idea, without = (
            con.execute(
                "INSERT INTO meeting_items (meeting_id, position, idea_id, title, decision) "
                "VALUES (?, ?, ?, ?, '做') RETURNING id",
                [meeting, 90 + i, idea, title],
            ).fetchall()[0][0]
            for i, (idea, title) in enumerate(((target, "科普牌"), (None, "无来源的议题")))
        )
    finally:
        con.close()
    at = app_as(
        "liuzhuren", "pages/meetings.py", query={"garden": "zhongjing"}, tabs={"meetings_tab": "决议落实"}
    )
    at.selectbox(key="meet_fu_item").set_value(with_idea).run()
    assert at.selectbox(key=f"meet_fu0_{with_idea}_owner").value == author  # the one who proposed it
    at.selectbox(key="meet_fu_item").set_value(without).run()
    owner = at.selectbox(key=f"meet_fu0_{without}_owner")
    assert owner.value is None  # nobody: the committee chooses
    at.text_input(key=f"meet_fu0_{without}_title").input("做一块科普牌").run()
    click(at, "创建落实事项")
    assert any("请选择一位有账号的负责人" in e.value for e in at.error)  # nobody is refused
    at.selectbox(key=f"meet_fu0_{without}_owner").set_value(author).run()
    click(at, "创建落实事项")
    assert any("做一块科普牌" in s.value for s in at.success)
    assert open_tabs(at) == [1]  # the save kept the page on its tab (决议落实)
