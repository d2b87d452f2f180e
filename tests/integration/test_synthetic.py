"""Synthetic data at scale (habitat.synthetic), checked at a small size: 5 gardens x 1 year."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from habitat import geo
from habitat.clock import SHANGHAI
from habitat.db import connect, open_database
from habitat.domain.verification import STATUSES, UNCONFIRMED_NOT_REVIEWED
from habitat.synthetic import REVIEW_LAG_DAYS, seed_synthetic

END = date(2026, 6, 30)
GARDENS, YEARS, SEED = 5, 1, 7
TABLES = (
    "gardens",
    "zones",
    "features",
    "people",
    "task_defs",
    "visits",
    "sightings",
    "identifications",
    "verifications",
    "task_logs",
    "problems",
)


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def build(path, seed=SEED, gardens=GARDENS):
    con = open_database(path)
    try:
        return seed_synthetic(con, gardens=gardens, years=YEARS, seed=seed, end_date=END)
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "syn.duckdb"
    report = build(path)
    return path, report


@pytest.fixture
def syn(built):
    con = connect(built[0], read_only=True)
    yield con
    con.close()


def test_report_counts_match_the_tables_and_phases_are_timed(built, syn):
    _, report = built
    for table in TABLES:
        assert report["rows"][table] == q(syn, f"SELECT count(*) FROM {table}")[0][0], table
    assert report["seconds"]["total"] > 0 and "sightings" in report["seconds"]


def test_gardens_spread_over_shanghai_with_four_to_six_rectangular_zones(syn):
    gardens = q(syn, "SELECT id, slug, name, town, centre_lat, centre_lon, area_m2 FROM gardens ORDER BY id")
    assert len(gardens) == GARDENS
    for i, (gid, slug, name, town, lat, lon, area) in enumerate(gardens, start=1):
        assert slug == f"g{i:04d}" and name == f"生境花园 {i:04d}"
        assert re.search(r"(镇|街道)", town)
        assert 31.0 <= lat <= 31.4 and 121.2 <= lon <= 121.7
        assert 400 <= area <= 2500
        zones = q(syn, "SELECT code, geometry, area_m2 FROM zones WHERE garden_id = ? ORDER BY code", [gid])
        assert 4 <= len(zones) <= 6
        assert [z[0] for z in zones] == [chr(65 + k) for k in range(len(zones))]
        assert abs(sum(z[2] for z in zones) - area) < 5  # the zones tile the garden
        for _, geometry, zone_area in zones:
            polygon = geo.from_geojson(geometry)
            assert len(polygon.exterior.coords) == 5
            assert abs(geo.area_m2(polygon) - zone_area) / zone_area < 0.01  # metres -> degrees is right


def test_people_per_garden_and_town_and_nobody_can_sign_in(syn):
    per_garden = q(syn, "SELECT home_garden_id, count(*) FROM people WHERE role = 'volunteer' GROUP BY 1")
    assert len(per_garden) == GARDENS and all(3 <= n <= 8 for _, n in per_garden)
    towns = q(syn, "SELECT count(DISTINCT town) FROM gardens")[0][0]
    assert q(syn, "SELECT count(*) FROM people WHERE role = 'expert'")[0][0] >= 2 * towns
    assert q(syn, "SELECT count(*) FROM people WHERE role = 'committee'")[0][0] >= towns
    assert q(syn, "SELECT count(*) FROM people WHERE password_hash IS NOT NULL")[0][0] == 0


def test_row_counts_are_plausible_per_garden_and_year(syn):
    visits = dict(q(syn, "SELECT garden_id, count(*) FROM visits GROUP BY 1"))
    assert len(visits) == GARDENS
    assert all(90 <= n <= 230 for n in visits.values()), visits  # 2-4 patrols a week
    sightings = dict(q(syn, "SELECT garden_id, count(*) FROM sightings GROUP BY 1"))
    assert all(1_500 <= n <= 20_000 for n in sightings.values()), sightings
    assert q(syn, "SELECT count(*) FROM identifications")[0][0] == sum(sightings.values())
    assert q(syn, "SELECT count(*) FROM task_logs")[0][0] > 100 * GARDENS
    assert q(syn, "SELECT count(*) FROM problems")[0][0] >= 1
    # everything happens inside the period
    first, last = q(syn, "SELECT min(event_date), max(event_date) FROM sightings")[0]
    assert first.astimezone(SHANGHAI).date() >= END - timedelta(days=366)
    assert last.astimezone(SHANGHAI).date() <= END
    # sightings belong to a visit of the same garden and happen during it
    assert (
        q(
            syn,
            """
        SELECT count(*) FROM sightings s LEFT JOIN visits v ON v.id = s.visit_id
        WHERE v.id IS NULL OR v.garden_id <> s.garden_id OR s.event_date < v.started_at
           OR s.event_date > v.ended_at""",
        )[0][0]
        == 0
    )


def test_every_sighting_has_its_garden_and_zone_and_lies_inside_the_zone(syn):
    assert q(syn, "SELECT count(*) FROM sightings WHERE garden_id IS NULL OR zone_id IS NULL")[0][0] == 0
    assert (
        q(
            syn,
            """
        SELECT count(*) FROM sightings s LEFT JOIN zones z ON z.id = s.zone_id
        WHERE z.id IS NULL OR z.garden_id <> s.garden_id""",
        )[0][0]
        == 0
    )
    zones = {zid: geo.from_geojson(g) for zid, g in q(syn, "SELECT id, geometry FROM zones")}
    sample = q(
        syn,
        """
        SELECT zone_id, decimal_latitude, decimal_longitude FROM sightings
        USING SAMPLE reservoir(3000 ROWS) REPEATABLE (42)""",
    )
    assert len(sample) == 3000
    outside = [(z, lat, lon) for z, lat, lon in sample if not zones[z].contains(Point(lon, lat))]
    assert outside == []


def test_butterflies_are_a_summer_thing(syn):
    by_month = dict(
        q(
            syn,
            """
        SELECT month(s.event_date), count(*) FROM sightings s JOIN species sp ON sp.id = s.species_id
        WHERE sp.group_name = 'butterfly' GROUP BY 1""",
        )
    )
    summer = sum(by_month.get(m, 0) for m in (7, 8, 9))
    winter = sum(by_month.get(m, 0) for m in (12, 1, 2))
    assert summer > 10 * max(winter, 1)
    # and nothing is seen outside its usual months
    assert (
        q(
            syn,
            """
        SELECT count(*) FROM sightings s JOIN species sp ON sp.id = s.species_id
        WHERE sp.taxon_rank = 'species' AND sp.usual_months = '3-11' AND month(s.event_date) IN (12, 1, 2)
    """,
        )[0][0]
        == 0
    )


def test_old_records_are_reviewed_and_the_last_six_weeks_are_not(syn):
    cutoff = datetime.combine(END - timedelta(days=REVIEW_LAG_DAYS - 1), datetime.min.time(), SHANGHAI)
    old = dict(
        q(
            syn,
            "SELECT identification_verification_status, count(*) FROM sightings WHERE event_date < ?"
            " GROUP BY 1",
            [cutoff],
        )
    )
    recent = dict(
        q(
            syn,
            "SELECT identification_verification_status, count(*) FROM sightings"
            " WHERE event_date >= ? GROUP BY 1",
            [cutoff],
        )
    )
    assert UNCONFIRMED_NOT_REVIEWED not in old and set(old) <= set(STATUSES)
    assert old["Accepted – correct"] > old.get("Unconfirmed – plausible", 0)
    assert set(recent) == {UNCONFIRMED_NOT_REVIEWED} and recent[UNCONFIRMED_NOT_REVIEWED] > 500
    # reviewed records name an expert of the garden's town and a time after the event
    assert (
        q(
            syn,
            """
        SELECT count(*) FROM sightings s LEFT JOIN people p ON p.id = s.verified_by
        WHERE s.identification_verification_status <> ? AND
              (p.role IS DISTINCT FROM 'expert' OR s.verified_at < s.event_date)""",
            [UNCONFIRMED_NOT_REVIEWED],
        )[0][0]
        == 0
    )
    assert (
        q(
            syn,
            "SELECT count(*) FROM sightings WHERE identification_verification_status = ?"
            " AND (verified_by IS NOT NULL OR verified_at IS NOT NULL)",
            [UNCONFIRMED_NOT_REVIEWED],
        )[0][0]
        == 0
    )
    # one verification row per decision, with the same status
    assert (
        q(
            syn,
            """
        SELECT count(*) FROM sightings s FULL JOIN verifications v ON v.sighting_id = s.id
        WHERE s.verified_by IS NOT NULL AND (v.id IS NULL OR v.status <> s.identification_verification_status)
           OR (v.id IS NOT NULL AND s.verified_by IS NULL)""",
        )[0][0]
        == 0
    )


def test_identifications_are_the_recorders_own(syn):
    assert (
        q(
            syn,
            """
        SELECT count(*) FROM sightings s JOIN identifications i ON i.sighting_id = s.id
        WHERE i.identified_by = s.recorded_by AND i.species_id IS NOT DISTINCT FROM s.species_id
          AND NOT i.by_expert""",
        )[0][0]
        == q(syn, "SELECT count(*) FROM sightings")[0][0]
    )


def test_rows_are_stored_in_garden_and_time_order_with_unique_occurrence_ids(syn):
    rows = q(syn, "SELECT garden_id, event_date, id FROM sightings ORDER BY rowid")
    assert rows == sorted(rows)
    n, distinct, v4 = q(
        syn,
        "SELECT count(*), count(DISTINCT occurrence_id),"
        " count(*) FILTER (WHERE uuid_extract_version(occurrence_id) = 4) FROM sightings",
    )[0]
    assert n == distinct == v4


def test_same_seed_same_data_other_seed_other_data(built, tmp_path):
    path, report = built
    again = tmp_path / "again.duckdb"
    report_again = build(again)
    assert report_again["rows"] == report["rows"]
    other = tmp_path / "other.duckdb"
    build(other, seed=SEED + 1)
    first_rows = "SELECT * FROM sightings ORDER BY id LIMIT 200"
    a, b, c = connect(path, read_only=True), connect(again), connect(other)
    try:
        assert q(a, first_rows) == q(b, first_rows)
        for table in ("gardens", "zones", "people", "visits", "task_logs"):
            assert q(a, f"SELECT * EXCLUDE (created_at) FROM {table} ORDER BY id LIMIT 50") == q(
                b, f"SELECT * EXCLUDE (created_at) FROM {table} ORDER BY id LIMIT 50"
            ), table
        assert q(a, first_rows) != q(c, first_rows)
    finally:
        a.close(), b.close(), c.close()


def test_later_inserts_through_the_sequence_do_not_collide(built, tmp_path):
    import shutil

    path = tmp_path / "copy.duckdb"
    shutil.copy(built[0], path)
    con = connect(path)
    try:
        before = q(con, "SELECT max(id) FROM sightings")[0][0]
        garden, zone, person = q(con, "SELECT garden_id, zone_id, recorded_by FROM sightings LIMIT 1")[0]
        new_id = q(
            con,
            "INSERT INTO sightings (garden_id, zone_id, event_date, recorded_by)"
            " VALUES (?, ?, now(), ?) RETURNING id",
            [garden, zone, person],
        )[0][0]
        assert new_id > before
        for table, cols, values in (
            (
                "identifications",
                "sighting_id, identified_by, identified_at",
                [new_id, person, datetime.now(SHANGHAI)],
            ),
            (
                "verifications",
                "sighting_id, status, decided_at",
                [new_id, "Accepted – correct", datetime.now(SHANGHAI)],
            ),
            ("visits", "garden_id, started_at, recorded_by", [garden, datetime.now(SHANGHAI), person]),
            ("people", "username, display_name, role", ["newcomer", "新人", "volunteer"]),
            (
                "gardens",
                "slug, name, town, centre_lat, centre_lon",
                ["new", "新花园", "新泾镇", 31.2, 121.36],
            ),
            ("zones", "garden_id, code, name, kind, geometry", [garden, "Z", "新区", "lawn", "{}"]),
            (
                "task_logs",
                "garden_id, kind, done_at, done_by",
                [garden, "water", datetime.now(SHANGHAI), person],
            ),
            ("task_defs", "garden_id, kind, title, every_days, start_on", [garden, "water", "浇水", 2, END]),
            (
                "problems",
                "garden_id, kind, description, reported_by, reported_at",
                [garden, "other", "测试", person, datetime.now(SHANGHAI)],
            ),
            ("features", "garden_id, kind, name", [garden, "pond", "池塘"]),
        ):
            marks = ", ".join("?" * len(values))
            q(con, f"INSERT INTO {table} ({cols}) VALUES ({marks})", values)  # a collision would raise
    finally:
        con.close()


def test_the_cli_prints_one_json_object_and_refuses_a_database_with_data(tmp_path):
    from habitat.cli import main

    path = tmp_path / "cli.duckdb"
    args = [
        "seed-synthetic",
        "--db",
        str(path),
        "--gardens",
        "3",
        "--years",
        "1",
        "--seed",
        "3",
        "--end-date",
        END.isoformat(),
        "--quiet",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    con = connect(path, read_only=True)
    try:
        for table in TABLES:
            assert report["rows"][table] == q(con, f"SELECT count(*) FROM {table}")[0][0], table
    finally:
        con.close()
    assert report["rows"]["gardens"] == 3 and report["seconds"]["total"] > 0
    assert report["end_date"] == END.isoformat() and report["seed"] == 3

    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0 and json.loads(forced.stdout)["rows"] == report["rows"]


def test_a_database_with_data_is_refused_by_the_api(tmp_path):
    from habitat.errors import DatabaseError

    path = tmp_path / "twice.duckdb"
    build(path, gardens=1)
    con = connect(path)
    try:
        with pytest.raises(DatabaseError):
            seed_synthetic(con, gardens=1, years=1, seed=1, end_date=END)
    finally:
        con.close()
