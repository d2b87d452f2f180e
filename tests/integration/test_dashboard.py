"""Dashboard figures checked against values computed independently from the raw rows with pandas."""

from datetime import datetime, timedelta

import pandas as pd
import pytest

from habitat.clock import SHANGHAI, fixed_clock
from habitat.domain import diversity
from habitat.errors import PermissionDenied
from habitat.services import dashboard, sightings, upkeep

ACCEPTED = ("Accepted – correct", "Accepted – considered correct")


@pytest.fixture
def committee(make_ctx):
    return make_ctx("liuzhuren", clock=fixed_clock(datetime.now(SHANGHAI)))


def frame(con, sql, params=()):
    return con.execute(sql, list(params)).df()


def garden_id(con, slug="zhongjing"):
    return con.execute("SELECT id FROM gardens WHERE slug = ?", [slug]).fetchall()[0][0]


def last_month(ctx):
    now = ctx.now()
    y, m = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
    return dashboard.month_bounds(y, m)


def test_volunteers_do_not_get_the_dashboard(make_ctx):
    with pytest.raises(PermissionDenied):
        dashboard.town(make_ctx("wangayi"), *dashboard.month_bounds(2026, 10))


def test_hours_per_person_match_patrol_durations_plus_task_minutes(con, committee):
    start, end = last_month(committee)
    gid = garden_id(con)
    got = dashboard.hours(committee, gid, start, end).set_index("username")["hours"]
    visits = frame(
        con,
        "SELECT recorded_by, started_at, ended_at FROM visits WHERE garden_id = ? AND NOT withdrawn AND ended_at IS NOT NULL",
        [gid],
    )
    visits = visits[(visits["started_at"] >= start) & (visits["started_at"] < end)]
    logs = frame(
        con, "SELECT done_by, done_at, minutes FROM task_logs WHERE garden_id = ? AND NOT withdrawn", [gid]
    )
    logs = logs[(logs["done_at"] >= start) & (logs["done_at"] < end)]
    helpers = frame(
        con,
        """SELECT a.person_id, a.minutes, e.starts_at FROM event_attendance a JOIN events e ON e.id = a.event_id
                            WHERE e.garden_id = ? AND a.person_id IS NOT NULL AND a.minutes > 0 AND NOT e.cancelled""",
        [gid],
    )
    helpers = helpers[(helpers["starts_at"] >= start) & (helpers["starts_at"] < end)]
    minutes = (
        visits.assign(m=(visits["ended_at"] - visits["started_at"]).dt.total_seconds() / 60)
        .groupby("recorded_by")["m"]
        .sum()
        .add(logs.groupby("done_by")["minutes"].sum(), fill_value=0)
        .add(helpers.groupby("person_id")["minutes"].sum(), fill_value=0)
    )
    names = dict(con.execute("SELECT id, username FROM people").fetchall())
    expected = {names[i]: round(m / 60, 2) for i, m in minutes.items()}
    assert got.to_dict() == pytest.approx(expected, abs=0.011)
    assert len(expected) >= 1


def test_richness_per_month_matches_distinct_accepted_species(con, committee):
    now = committee.now()
    start, end = now - timedelta(days=365), now
    gid = garden_id(con, "leyi")
    got = dashboard.biodiversity(committee, gid, start, end, accepted_only=True).richness.set_index("month")[
        "species"
    ]
    raw = frame(
        con,
        """SELECT s.event_date, s.species_id FROM sightings s JOIN species sp ON sp.id = s.species_id
                        WHERE s.garden_id = ? AND NOT s.withdrawn AND sp.taxon_rank IN ('species', 'subspecies')
                          AND s.identification_verification_status IN (?, ?)""",
        [gid, *ACCEPTED],
    )
    raw = raw[(raw["event_date"] >= start) & (raw["event_date"] < end)]
    raw["month"] = raw["event_date"].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m")
    expected = raw.groupby("month")["species_id"].nunique()
    assert {pd.Timestamp(k).strftime("%Y-%m"): v for k, v in got.items()} == expected.to_dict()


def test_switching_off_accepted_only_counts_more_records(con, committee):
    now = committee.now()
    accepted = (
        dashboard.biodiversity(committee, None, now - timedelta(days=60), now, True).richness["records"].sum()
    )
    everything = (
        dashboard.biodiversity(committee, None, now - timedelta(days=60), now, False)
        .richness["records"]
        .sum()
    )
    assert everything > accepted


def test_diversity_by_garden_equals_the_domain_formulas_on_raw_counts(con, committee):
    now = committee.now()
    start = now - timedelta(days=365)
    table, curves = dashboard.diversity_by_garden(committee, start, now, True)
    raw = frame(
        con,
        """SELECT g.slug, s.species_id, s.individual_count, s.event_date FROM sightings s JOIN gardens g ON g.id = s.garden_id
                        JOIN species sp ON sp.id = s.species_id WHERE NOT s.withdrawn AND sp.taxon_rank IN ('species', 'subspecies')
                          AND s.identification_verification_status IN (?, ?)""",
        list(ACCEPTED),
    )
    raw = raw[(raw["event_date"] >= start) & (raw["event_date"] < now)]
    raw["n"] = raw["individual_count"].fillna(1)
    for row in table.itertuples():
        counts = raw[raw["slug"] == row.slug].groupby("species_id")["n"].sum().astype(int).tolist()
        assert row.species == len(counts)
        assert row.shannon == pytest.approx(diversity.shannon(counts), abs=1e-3)
        assert row.chao1 == pytest.approx(diversity.chao1(counts), abs=0.05)
        assert row.rarefied <= row.species
    assert set(curves) == set(table["slug"])
    assert all(curve[-1][1] == pytest.approx(max(s for _, s in curve)) for curve in curves.values())


def test_on_time_rate_is_a_share_between_zero_and_one(con, committee):
    start, end = last_month(committee)
    summary = dashboard.upkeep_summary(committee, garden_id(con), start, end)
    assert not summary.on_time.empty and summary.on_time["on_time_rate"].between(0, 1).all()
    assert (
        summary.work_by_kind["logs"].sum()
        == con.execute(
            "SELECT count(*) FROM task_logs WHERE garden_id = ? AND NOT withdrawn AND done_at >= ? AND done_at < ?",
            [garden_id(con), start, end],
        ).fetchall()[0][0]
    )


def test_a_pruning_task_is_flagged_where_larvae_were_just_recorded(con, make_ctx):
    vol = make_ctx("wangayi", clock=fixed_clock(datetime.now(SHANGHAI)))
    gid = garden_id(con)
    prune = con.execute(
        "SELECT id, zone_id FROM task_defs WHERE garden_id = ? AND kind = 'prune' LIMIT 1", [gid]
    ).fetchall()[0]
    con.execute(
        "UPDATE sightings SET life_stage = 'adult', behavior = NULL, nest_or_den = FALSE WHERE zone_id = ?",
        [prune[1]],
    )
    before = upkeep.due_tasks(vol, gid, horizon_days=60)
    assert not before.loc[before["id"] == prune[0], "wildlife_warning"].any()
    species = con.execute("SELECT id FROM species WHERE chinese_name = '柑橘凤蝶'").fetchall()[0][0]
    sightings.save_sighting(
        vol,
        sightings.SightingDraft(
            garden_id=gid,
            zone_id=prune[1],
            event_date=vol.now() - timedelta(days=2),
            species_id=species,
            life_stage="larva",
            individual_count=3,
        ),
    )
    after = upkeep.due_tasks(vol, gid, horizon_days=60)
    assert after.loc[after["id"] == prune[0], "wildlife_warning"].all()


def test_hours_export_opens_in_excel_and_csv_has_a_bom(con, committee):
    start, end = last_month(committee)
    hours = dashboard.hours(committee, None, start, end)
    csv = dashboard.hours_export(hours, "csv")
    assert csv.startswith("\ufeff".encode("utf-8"))
    import io

    back = pd.read_excel(io.BytesIO(dashboard.hours_export(hours, "xlsx")))
    assert len(back) == len(hours) and back["hours"].sum() == pytest.approx(hours["hours"].sum())


def test_before_after_compares_the_same_zones(con, committee):
    table = dashboard.before_after(
        committee, garden_id(con), committee.now().date() - timedelta(days=120), 60
    )
    assert len(table) == 5 and {"species_before", "species_after"} <= set(table.columns)


def test_regulars_have_streaks_no_longer_than_their_active_weeks(con, committee):
    regs = dashboard.regulars(committee, None)
    assert not regs.empty
    assert (regs["longest_streak"] <= regs["active_weeks"]).all() and (
        regs["current_streak"] <= regs["longest_streak"]
    ).all()


def test_a_problem_is_as_old_on_the_dashboard_as_in_management(make_ctx, con):
    """Issue 15 item 2: 20 days on the dashboard, 19 in 花园管理 (UTC dates vs whole 24 hours). One
    definition: local calendar days from the day it was reported."""
    from habitat.services import community

    reported = datetime(2026, 11, 12, 6, 0, tzinfo=SHANGHAI)  # 11-11 22:00 UTC
    now = datetime(2026, 12, 2, 5, 0, tzinfo=SHANGHAI)  # 19 days 23 hours later; 12-01 in UTC
    gid = garden_id(con)
    pid = community.report_problem(
        make_ctx("wangayi", clock=fixed_clock(reported)), gid, None, "other", "长椅坏了"
    )
    ctx = make_ctx("liuzhuren", clock=fixed_clock(now))
    start, end = now - timedelta(days=30), now
    on_dashboard = dashboard.upkeep_summary(ctx, gid, start, end).problems.set_index("id")["age_days"]
    in_manage = community.problems_to_resolve(ctx, gid).set_index("id")["age_days"]
    assert on_dashboard[pid] == in_manage[pid] == 20
    assert on_dashboard.to_dict() == in_manage.to_dict()
