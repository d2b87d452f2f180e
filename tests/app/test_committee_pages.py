"""AppTest: dashboard and biodiversity pages show figures that match the services."""

import base64
import json

import numpy as np
import pytest

from habitat import i18n


def values(data):
    """Plotly 7 writes numeric arrays as {"dtype", "bdata"} (base64); lists stay lists."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).tolist()
    return list(data)


def chart(at, key_part):
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        if key_part in json.dumps(spec.get("layout", {}).get("title", {}), ensure_ascii=False):
            return spec
    raise AssertionError(f"no chart titled {key_part!r}")


def test_dashboard_shows_due_overdue_hours_and_the_town_map(app_as):
    at = app_as("liuzhuren", "pages/dashboard.py")
    labels = [m.label for m in at.metric]
    assert {"今天到期", "已逾期", "最久逾期"} <= set(labels)
    rates = values(chart(at, "按时完成率")["data"][0]["y"])
    assert rates and all(0 <= r <= 100 for r in rates)
    # the tabs are lazy: only the open one is drawn (a quarter of the work on every rerun)
    assert not at.get("download_button") and not at.get("plotly_chart")[2:]
    at = app_as("liuzhuren", "pages/dashboard.py", tabs={"dash_tab": "志愿时长"})
    assert any(b.label.startswith("下载 CSV") for b in at.get("download_button"))
    assert not [m for m in at.metric if m.label == "今天到期"]
    at = app_as("liuzhuren", "pages/dashboard.py", tabs={"dash_tab": "全镇地图"})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    town = [s for s in specs if s["layout"].get("yaxis", {}).get("scaleanchor") == "x"]  # offline: metres
    assert town and len(values(town[0]["data"][0]["x"])) == 4


def test_biodiversity_group_chart_adds_up_to_the_species_metric(app_as):
    at = app_as("liuzhuren", "pages/biodiversity.py")
    total = int([m for m in at.metric if m.label == "近12个月物种数"][0].value)
    bars = values(chart(at, "各类群物种数")["data"][0]["y"])
    assert sum(bars) == total and total > 20


def test_biodiversity_for_one_garden_draws_its_zone_plan(app_as):
    at = app_as("liuzhuren", "pages/biodiversity.py", query={"garden": "zhongjing"})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    plans = [s for s in specs if s["layout"].get("yaxis", {}).get("scaleanchor") == "x"]  # offline: metres
    assert len(plans) == 1
    zones = [d for d in plans[0]["data"] if d.get("customdata")]  # one selectable marker per zone
    assert len(zones) == 1 and [row[1] for row in zones[0]["customdata"]] == ["A", "B", "C", "D", "E"]


def test_experts_also_see_the_biodiversity_page_in_english(app_as):
    at = app_as("xuboshi", "pages/biodiversity.py", lang="en")
    assert at.title[0].value == "Biodiversity"


def test_volunteers_have_no_dashboard_in_their_navigation(app_as):
    at = app_as("wangayi")
    with pytest.raises(ValueError):
        at.switch_page("pages/dashboard.py")


def test_the_monthly_report_is_made_and_offered_for_download(app_as):
    at = app_as(
        "liuzhuren", "pages/dashboard.py", query={"garden": "zhongjing"}, tabs={"dash_tab": "月报与海报"}
    )
    [b for b in at.button if b.label == "生成月报"][0].click().run()
    assert not at.exception
    assert at.session_state["dash_tab"] == "月报与海报"  # the click kept the page on its tab
    downloads = [d.label for d in at.get("download_button")]
    assert "下载月报（HTML）" in downloads and "下载海报（HTML，可打印）" not in downloads
    [b for b in at.button if b.label == "生成二维码海报"][0].click().run()
    assert not at.exception
    downloads = {d.label: d.proto for d in at.get("download_button")}
    assert "下载月报（HTML）" in downloads and "下载海报（HTML，可打印）" in downloads


def test_every_download_on_the_dashboard_is_a_ready_file(app_as):
    """No deferred downloads: a deferred callable runs outside any run (nobody re-checked) and can be
    dropped by Streamlit before the click, which the user sees as a failed download."""
    buttons = []
    for tab in ("志愿时长", "月报与海报"):  # lazy tabs: each drawn when open
        at = app_as("liuzhuren", "pages/dashboard.py", query={"garden": "zhongjing"}, tabs={"dash_tab": tab})
        if tab == "月报与海报":
            [b for b in at.button if b.label == "生成月报"][0].click().run()
            [b for b in at.button if b.label == "生成二维码海报"][0].click().run()
        buttons += at.get("download_button")
    assert len(buttons) >= 4, [b.label for b in buttons]  # hours CSV + XLSX, report, posters
    for b in buttons:
        assert not b.proto.deferred_file_id and "/media/" in b.proto.url, (b.label, b.proto.url)
        # a download does not rerun the page: a second download right after the first is not swallowed
        assert b.proto.ignore_rerun, b.label


def test_an_expert_builds_a_darwin_core_archive_for_download(app_as):
    import io
    import zipfile

    at = app_as("zhanggong", "pages/export.py")
    [b for b in at.button if b.label.startswith("生成达尔文核心档案")][0].click().run()
    assert not at.exception
    assert any("已导出" in s.value for s in at.success)
    data, name, summary = at.session_state["export_ready"]
    assert name.endswith("-dwca.zip") and summary["records"] > 100
    assert {"meta.xml", "eml.xml", "occurrence.txt"} <= set(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_the_qr_posters_warn_when_the_app_address_is_only_this_machine(app_as, monkeypatch):
    """GARDEN_BASE_URL still 127.0.0.1 (the default): a warning above the poster button, in her language."""
    tab = {"dash_tab": "月报与海报"}
    at = app_as("liuzhuren", "pages/dashboard.py", query={"garden": "zhongjing"}, tabs=tab)
    assert [w.value for w in at.warning if "GARDEN_BASE_URL" in w.value and "扫码打不开" in w.value]
    tab = {"dash_tab": i18n.t("dash.report_tab", "en")}
    at = app_as("liuzhuren", "pages/dashboard.py", query={"garden": "zhongjing"}, tabs=tab, lang="en")
    assert [w.value for w in at.warning if "cannot open" in w.value]


def test_no_warning_when_the_app_has_a_public_address(app_as, monkeypatch):
    monkeypatch.setenv("GARDEN_BASE_URL", "https://garden.example.org")
    tab = {"dash_tab": "月报与海报"}
    at = app_as("liuzhuren", "pages/dashboard.py", query={"garden": "zhongjing"}, tabs=tab)
    assert any(b.label == "生成二维码海报" for b in at.button)
    assert not [w for w in at.warning if "GARDEN_BASE_URL" in w.value]


def test_the_biodiversity_page_counts_the_species_of_a_month_as_the_report_does(app_as, app_env):
    """Issue 15 item 2: 20 species on the biodiversity page, 38 in the report for the same month (accepted
    records vs all but rejected), neither saying so. One basis by default, stated on the page."""
    from habitat.clock import month_bounds
    from habitat.db import connect
    from habitat.reporting.figures import month_figures
    from habitat.services import dashboard
    from habitat.services.context import Ctx
    from habitat.settings import load
    from tests.app.conftest import person

    at = app_as("liuzhuren", "pages/biodiversity.py")
    assert at.toggle(key="bio_accepted").value is False
    assert any("除被否定外的全部记录" in c.value for c in at.caption)  # the page says what it counts
    year, mon = at.selectbox(key="dash_month").value  # (year, month)
    shown = next(m.value for m in at.metric if m.label == "本月物种数")
    con = connect(app_env)
    try:
        ctx = Ctx(con=con, user=person(app_env, "liuzhuren"), config=load(env={}, GARDEN_DB=str(app_env)))
        start, end = month_bounds(year, mon)
        report = month_figures(ctx, None, start, end, accepted_only=dashboard.ACCEPTED_ONLY_DEFAULT)
    finally:
        con.close()
    assert int(shown) == report.species
