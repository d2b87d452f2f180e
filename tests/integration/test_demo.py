"""The demo must look like a real town's garden network on first open."""

from habitat.db import species as species_db
from habitat.demo import DEMO_PASSWORD, PEOPLE
from habitat.services import auth


def q(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_demo_has_at_least_three_gardens_near_xinjing_with_four_to_six_zones(con):
    gardens = q(con, "SELECT slug, centre_lat, centre_lon, area_m2, town FROM gardens")
    assert len(gardens) >= 3
    for slug, lat, lon, area, town in gardens:
        assert town == "新泾镇"
        assert abs(lat - 31.212) < 0.01 and abs(lon - 121.365) < 0.012
        assert 400 <= area <= 2500
        zones = q(
            con,
            "SELECT count(*), min(z.area_m2), max(z.area_m2) FROM zones z JOIN gardens g ON g.id = z.garden_id WHERE g.slug = ?",
            [slug],
        )[0]
        assert 4 <= zones[0] <= 6 and zones[1] >= 30 and zones[2] <= 400


def test_zhongjing_is_the_butterfly_garden_of_about_760_square_metres(con):
    area, theme = q(con, "SELECT area_m2, theme FROM gardens WHERE slug = 'zhongjing'")[0]
    assert 700 <= area <= 820 and "蝴蝶" in theme


def test_every_demo_account_signs_in_with_the_documented_password(con, make_ctx):
    roles = set()
    for username, *_ in PEOPLE:
        person = auth.sign_in(make_ctx(None), username, DEMO_PASSWORD).person
        roles.add(person.role)
    assert roles == {"volunteer", "expert", "committee"}


def test_checklist_keeps_synonyms_and_flags(con):
    assert species_db.count(con) >= 100
    assert species_db.id_by_name(con, "Streptopelia chinensis") == species_db.id_by_name(con, "珠颈斑鸠")
    sensitive = {r[0] for r in q(con, "SELECT chinese_name FROM species WHERE sensitive")}
    assert "貉" in sensitive
    assert q(con, "SELECT invasive_action FROM species WHERE chinese_name = '加拿大一枝黄花'") == [
        ("remove",)
    ]


def test_butterflies_are_a_summer_thing_and_thrushes_a_winter_one(con):
    by_month = dict(
        q(
            con,
            """
        SELECT month(s.event_date), count(*) FROM sightings s JOIN species sp ON sp.id = s.species_id
        WHERE sp.group_name = 'butterfly' GROUP BY 1""",
        )
    )
    summer = sum(by_month.get(m, 0) for m in (7, 8, 9))
    winter = sum(by_month.get(m, 0) for m in (12, 1, 2))
    assert summer > 5 * max(winter, 1)
    thrush_months = {
        r[0]
        for r in q(
            con,
            """
        SELECT DISTINCT month(s.event_date) FROM sightings s JOIN species sp ON sp.id = s.species_id
        WHERE sp.chinese_name = '白腹鸫'""",
        )
    }
    assert thrush_months and thrush_months <= {10, 11, 12, 1, 2, 3, 4}


def test_demo_spans_twelve_months_with_open_work_for_every_role(con):
    months = q(con, "SELECT count(DISTINCT date_trunc('month', event_date)) FROM sightings")[0][0]
    assert months >= 12
    assert (
        q(
            con,
            "SELECT count(*) FROM sightings WHERE identification_verification_status = 'Unconfirmed – not reviewed'",
        )[0][0]
        >= 50
    )
    assert q(con, "SELECT count(*) FROM problems WHERE status = 'open'")[0][0] >= 2
    assert q(con, "SELECT count(*) FROM questions WHERE answer IS NULL")[0][0] >= 1
    assert q(con, "SELECT count(*) FROM task_logs")[0][0] > 500
    # every record starts with its recorder's identification; some have later ones (other volunteers, experts)
    first = q(
        con,
        "SELECT count(DISTINCT sighting_id) FROM identifications i JOIN sightings s ON s.id = i.sighting_id"
        " WHERE i.identified_by = s.recorded_by",
    )[0][0]
    assert first == q(con, "SELECT count(*) FROM sightings")[0][0]
    assert q(con, "SELECT count(*) FROM identifications")[0][0] > first


def test_demo_sightings_lie_inside_their_zones(con):
    import json

    from shapely.geometry import Point, shape

    rows = q(
        con,
        """SELECT s.decimal_latitude, s.decimal_longitude, z.geometry FROM sightings s
                     JOIN zones z ON z.id = s.zone_id USING SAMPLE 200 ROWS""",
    )
    assert all(shape(json.loads(g)).covers(Point(lon, lat)) for lat, lon, g in rows)
