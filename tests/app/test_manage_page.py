"""AppTest: the committee's management page writes what it says; other roles do not get it."""

import json

import pytest
from shapely.geometry import mapping

from habitat import geo
from tests.app.helpers import click, rows

PAGE = "pages/manage.py"


def test_the_committee_sees_every_management_tab_and_the_zone_plan(app_as):
    at = app_as("liuzhuren", PAGE)
    assert at.title[0].value == "花园管理"
    assert [tab.label for tab in at.tabs] == ["花园", "区域", "设施", "养护任务", "人员", "问题", "操作记录"]
    assert len(at.get("plotly_chart")) == 1
    assert len(at.dataframe) >= 6  # gardens, zones, features, tasks, people, problems (+ audit)


def test_the_page_speaks_english_too(app_as):
    at = app_as("liuzhuren", PAGE, lang="en")
    assert at.title[0].value == "Garden management"
    assert [tab.label for tab in at.tabs][-1] == "Audit"


def test_the_committee_adds_a_recurring_task(app_as, app_env):
    at = app_as("liuzhuren", PAGE)
    at.text_input(key="manage_tnew0_title").input("拔除加拿大一枝黄花")
    at.selectbox(key="manage_tnew0_kind").set_value("invasive_removal")
    at.number_input(key="manage_tnew0_every").set_value(3)
    click(at, "添加养护任务")
    assert any("拔除加拿大一枝黄花" in s.value for s in at.success)
    saved = rows(
        app_env,
        "SELECT g.slug, d.kind, d.every_days, d.source, p.username FROM task_defs d"
        " JOIN gardens g ON g.id = d.garden_id JOIN people p ON p.id = d.created_by"
        " WHERE d.title = '拔除加拿大一枝黄花'",
    )
    assert saved == [("zhongjing", "invasive_removal", 3, "manual", "liuzhuren")]
    assert at.text_input(key="manage_tnew1_title").value == ""  # the form starts empty again


def test_a_task_without_a_title_is_refused_and_the_form_keeps_its_input(app_as, app_env):
    before = rows(app_env, "SELECT count(*) FROM task_defs")
    at = app_as("liuzhuren", PAGE)
    at.number_input(key="manage_tnew0_every").set_value(5)
    click(at, "添加养护任务")
    assert any("请填写任务说明" in e.value for e in at.error)
    assert at.number_input(key="manage_tnew0_every").value == 5
    assert rows(app_env, "SELECT count(*) FROM task_defs") == before


def test_the_committee_resolves_a_problem(app_as, app_env):
    at = app_as("liuzhuren", PAGE)
    problem_id = at.selectbox(key="manage_problem_pick").value
    assert rows(app_env, "SELECT status FROM problems WHERE id = ?", [problem_id]) == [("open",)]
    at.text_area(key="manage_resolve0_text").input("已请物业修好")
    click(at, "标记为已解决")
    assert rows(app_env, "SELECT status, resolution FROM problems WHERE id = ?", [problem_id]) == [
        ("resolved", "已请物业修好")
    ]
    assert any(f"第 {problem_id} 号问题已解决" in s.value for s in at.success)


def test_editing_zone_vertices_in_the_table_saves_the_new_outline(app_as, app_env):
    zone_id, area = rows(
        app_env,
        "SELECT z.id, z.area_m2 FROM zones z JOIN gardens g ON g.id = z.garden_id"
        " WHERE g.slug = 'zhongjing' AND z.code = 'A'",
    )[0]
    at = app_as("liuzhuren", PAGE)
    assert at.selectbox(key="manage_zone_pick").value == zone_id
    at.session_state[f"manage_vx_{zone_id}_0"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [3]}
    at.run()
    click(at, "保存边界")
    new_area = rows(app_env, "SELECT area_m2 FROM zones WHERE id = ?", [zone_id])[0][0]
    assert new_area == pytest.approx(area / 2, rel=0.01)
    assert any("边界已保存" in s.value for s in at.success)


def test_zones_are_imported_from_an_uploaded_geojson_file(app_as, app_env):
    lat, lon = 31.21630, 121.37120
    outline = geo.polygon_from_local_metres(lat, lon, [(20, 10), (30, 10), (30, 20), (20, 20)])
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"编号": "F", "名称": "新花境", "类型": "蜜源花境"},
                    "geometry": mapping(outline),
                }
            ],
        },
        ensure_ascii=False,
    ).encode()
    at = app_as("liuzhuren", PAGE)
    at.get("file_uploader")[0].set_value(("zones.geojson", data, "application/geo+json")).run()
    click(at, "导入")
    assert rows(
        app_env,
        "SELECT z.name, z.kind, round(z.area_m2) FROM zones z JOIN gardens g ON g.id = z.garden_id"
        " WHERE g.slug = 'zhongjing' AND z.code = 'F'",
    ) == [("新花境", "nectar_bed", 100.0)]
    assert any("新增 1 个" in s.value for s in at.success)


@pytest.mark.parametrize("username", ["wangayi", "zhanggong"])
def test_volunteers_and_experts_do_not_get_the_management_page(app_as, username):
    at = app_as(username)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_a_one_off_task_opens_in_the_task_form_and_stays_one_off_after_an_edit(app_as, app_env):
    """A meeting's follow-up is a one-off task (stored as recurrence.ONE_OFF_DAYS); the edit form used to
    crash on it (value above the form's 366-day maximum) for every committee member who chose it."""
    from habitat.domain.recurrence import ONE_OFF_DAYS

    at = app_as("liuzhuren", PAGE)
    at.text_input(key="manage_tnew0_title").input("议事会决议：补种紫花地丁")
    at.checkbox(key="manage_tnew0_once").check()
    click(at, "添加养护任务")
    ((task_id, every),) = rows(
        app_env, "SELECT id, every_days FROM task_defs WHERE title = '议事会决议：补种紫花地丁'"
    )
    assert every == ONE_OFF_DAYS
    at.selectbox(key="manage_task_pick").set_value(task_id).run()
    assert not at.exception, at.exception
    form = next(
        k
        for k in (w.key for w in at.checkbox)
        if k and k.startswith(f"manage_tedit{task_id}_") and k.endswith("_once")
    )
    assert at.checkbox(key=form).value is True
    at.text_input(key=form.replace("_once", "_title")).input("议事会决议：补种紫花地丁（两处）")
    next(b for b in at.button if b.proto.form_id.startswith(f"manage_task_edit_{task_id}_")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert rows(app_env, "SELECT title, every_days FROM task_defs WHERE id = ?", [task_id]) == [
        ("议事会决议：补种紫花地丁（两处）", ONE_OFF_DAYS)
    ]
    table = next(d.value for d in at.dataframe if "每隔几天" in d.value.columns)
    assert "只做一次（不重复）" in set(table["每隔几天"])


def test_the_page_stays_on_the_people_tab_after_switching_someone_off(app_as, app_env):
    """Red team F7: after 停用 the page jumped back to the first tab (花园)."""
    at = app_as("liuzhuren", PAGE)
    assert at.session_state["manage_tab"] == "花园"  # the tabs keep their state (keyed, on_change)
    at.session_state["manage_tab"] = "人员"  # what a tap on the tab does
    at.run()
    pid = rows(app_env, "SELECT id FROM people WHERE username = 'xiaoming'")[0][0]
    at.selectbox(key="manage_person_pick").set_value(pid).run()
    sure = next(
        c for c in at.checkbox if c.key and c.key.startswith("manage_pdeact_") and c.key.endswith("_sure")
    )
    sure.check().run()
    next(
        b for b in at.button if b.key and b.key.startswith("manage_pdeact_") and not b.key.endswith("_sure")
    ).click().run()
    assert not at.exception, at.exception
    assert rows(app_env, "SELECT active FROM people WHERE id = ?", [pid]) == [(False,)]
    assert at.session_state["manage_tab"] == "人员"
    tabs = at.tabs
    assert [t.label for t in tabs][4] == "人员"
