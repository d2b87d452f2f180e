"""The committee's management services write what they say, refuse others and bad input, and audit."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, mapping, shape

from habitat import geo
from habitat.errors import AuthError, NotFound, PermissionDenied, ValidationError
from habitat.services import audit_log, auth, community, features, gardens, people, upkeep, zone_import, zones

# a point in Xinjing town, well inside the Shanghai bounds, used for new test gardens
LAT, LON = 31.2190, 121.3650


def rows(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def garden_id(con, slug):
    return rows(con, "SELECT id FROM gardens WHERE slug = ?", [slug])[0][0]


def zone_id(con, slug, code):
    return rows(
        con,
        "SELECT z.id FROM zones z JOIN gardens g ON g.id = z.garden_id WHERE g.slug = ? AND z.code = ?",
        [slug, code],
    )[0][0]


def audit_entries(con, action, entity_id=None):
    found = rows(
        con,
        "SELECT entity, entity_id, before_json, after_json FROM audit_log WHERE action = ?"
        " AND (? IS NULL OR entity_id = ?) ORDER BY id",
        [action, entity_id, entity_id],
    )
    return [(e, i, json.loads(b) if b else None, json.loads(a) if a else None) for e, i, b, a in found]


def rect(lat, lon, x0, y0, x1, y1) -> Polygon:
    """A rectangle from offsets in metres (east, north) around a centre."""
    return geo.polygon_from_local_metres(lat, lon, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def feature(geom, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


@pytest.fixture
def committee(make_ctx):
    return make_ctx("liuzhuren")


@pytest.fixture
def new_garden(committee):
    return gardens.create_garden(
        committee, "test-garden", "测试花园", "Test Garden", "新泾镇", "长宁区", "蝴蝶", LAT, LON
    )


def refused(key, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    assert info.value.key == key, info.value.key
    return info.value


# ------------------------------------------------------------------ roles


@pytest.mark.parametrize("username", ["wangayi", "zhanggong"])
def test_only_the_committee_may_use_the_management_services(make_ctx, con, username):
    ctx = make_ctx(username)
    gid, zid = garden_id(con, "zhongjing"), zone_id(con, "zhongjing", "A")
    calls = [
        lambda: gardens.create_garden(ctx, "x-garden", "X", None, "新泾镇", None, None, LAT, LON),
        lambda: gardens.update_garden(
            ctx,
            gid,
            name="X",
            name_en=None,
            town="t",
            district=None,
            theme=None,
            centre_lat=LAT,
            centre_lon=LON,
        ),
        lambda: gardens.deactivate_garden(ctx, gid),
        lambda: zones.add_zone(ctx, gid, "Z", "Z", None, "lawn", "{}"),
        lambda: zones.update_zone(ctx, zid, name="Z"),
        lambda: zones.deactivate_zone(ctx, zid),
        lambda: zone_import.import_zones(ctx, gid, "a.geojson", b"{}"),
        lambda: zones.zone_vertices(ctx, zid),
        lambda: features.add_feature(ctx, gid, None, "nest_box", "巢箱"),
        lambda: upkeep.add_task_def(ctx, gid, None, "water", "浇水", 2, date(2026, 1, 1)),
        lambda: people.list_people(ctx),
        lambda: people.change_role(ctx, ctx.user.id, "committee"),
        lambda: people.set_active(ctx, ctx.user.id, False),
        lambda: people.reset_password(ctx, ctx.user.id, "long-enough-1"),
        lambda: community.problems_to_resolve(ctx),
        lambda: community.resolve_problem(ctx, 1, "done"),
        lambda: audit_log.recent_audit(ctx),
    ]
    before = rows(con, "SELECT count(*) FROM audit_log")
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert rows(con, "SELECT count(*) FROM audit_log") == before


# ------------------------------------------------------------------ gardens


def test_creating_a_garden_stores_it_and_audits_it(committee, con, new_garden):
    assert rows(
        con, "SELECT slug, name, town, centre_lat, centre_lon, active FROM gardens WHERE id = ?", [new_garden]
    ) == [("test-garden", "测试花园", "新泾镇", LAT, LON, True)]
    [(entity, entity_id, before, after)] = audit_entries(con, "create_garden")
    assert (entity, entity_id, before) == ("gardens", new_garden, None)
    assert after["slug"] == "test-garden" and after["centre_lat"] == LAT


@pytest.mark.parametrize("slug", ["Zhongjing", "a b", "-x", "x-", "中泾", "a", "x" * 41])
def test_a_slug_must_be_lowercase_letters_digits_and_dashes(committee, slug):
    refused(
        "manage.bad_slug", gardens.create_garden, committee, slug, "X", None, "新泾镇", None, None, LAT, LON
    )


def test_a_taken_slug_is_refused(committee):
    refused(
        "manage.slug_taken",
        gardens.create_garden,
        committee,
        "zhongjing",
        "X",
        None,
        "新泾镇",
        None,
        None,
        LAT,
        LON,
    )


def test_coordinates_outside_shanghai_get_a_clear_message(committee, con):
    err = refused(
        "manage.coords_outside",
        gardens.create_garden,
        committee,
        "far",
        "X",
        None,
        "t",
        None,
        None,
        39.9,
        116.4,
    )
    assert "上海" in err.message("zh") and "Shanghai" in err.message("en")
    err = refused(
        "manage.coords_swapped", gardens.create_garden, committee, "far", "X", None, "t", None, None, LON, LAT
    )
    assert "填反" in err.message("zh")
    refused(
        "manage.coords_required",
        gardens.create_garden,
        committee,
        "far",
        "X",
        None,
        "t",
        None,
        None,
        None,
        LON,
    )
    assert rows(con, "SELECT count(*) FROM gardens WHERE slug = 'far'") == [(0,)]


def test_gcj02_coordinates_from_a_chinese_map_are_moved_about_480_m_to_wgs84(committee, con):
    gcj_lat, gcj_lon = geo.wgs84_to_gcj02(LAT, LON)  # what AMap shows for the true point
    gid = gardens.create_garden(
        committee, "amap", "高德花园", None, "新泾镇", None, None, gcj_lat, gcj_lon, coords_are_gcj02=True
    )
    lat, lon = rows(con, "SELECT centre_lat, centre_lon FROM gardens WHERE id = ?", [gid])[0]
    moved = geo.haversine_m(gcj_lat, gcj_lon, lat, lon)
    assert 430 < moved < 530
    assert geo.haversine_m(lat, lon, LAT, LON) < 0.1


def test_updating_a_garden_audits_the_changed_fields_before_and_after(committee, con):
    gid = garden_id(con, "zhongjing")
    gardens.update_garden(
        committee,
        gid,
        name="中泾生境花园（新）",
        name_en="Zhongjing Habitat Garden",
        town="新泾镇",
        district="长宁区",
        theme="蝴蝶主题",
        centre_lat=31.21630,
        centre_lon=121.37120,
        area_m2=800,
    )
    assert rows(con, "SELECT name, area_m2 FROM gardens WHERE id = ?", [gid]) == [
        ("中泾生境花园（新）", 800.0)
    ]
    [(_, _, before, after)] = audit_entries(con, "update_garden", gid)
    assert before["name"] == "中泾生境花园" and after == {"name": "中泾生境花园（新）", "area_m2": 800.0}


def test_deactivating_a_garden_hides_it_and_stops_its_tasks(committee, con, make_ctx):
    gid = garden_id(con, "zhongjing")
    gardens.deactivate_garden(committee, gid)
    assert rows(con, "SELECT active FROM gardens WHERE id = ?", [gid]) == [(False,)]
    assert rows(con, "SELECT count(*) FROM task_defs WHERE garden_id = ? AND active", [gid]) == [(0,)]
    assert "zhongjing" not in set(gardens.gardens(committee)["slug"])
    assert gid not in set(upkeep.due_tasks(make_ctx("wangayi"))["garden_id"])
    assert audit_entries(con, "deactivate_garden", gid)[0][2:] == ({"active": True}, {"active": False})
    with pytest.raises(NotFound):
        gardens.deactivate_garden(committee, gid)


# ------------------------------------------------------------------ zones


def test_adding_a_zone_stores_the_polygon_and_its_area(committee, con, new_garden):
    poly = rect(LAT, LON, 0, 0, 10, 12)
    zid = zones.add_zone(
        committee, new_garden, "a", "蜜源花境", "Nectar bed", "nectar_bed", json.dumps(mapping(poly))
    )
    code, kind, geometry, area = rows(
        con, "SELECT code, kind, geometry, area_m2 FROM zones WHERE id = ?", [zid]
    )[0]
    assert (code, kind) == ("A", "nectar_bed")
    assert area == pytest.approx(120, rel=0.01)
    assert shape(json.loads(geometry)).equals_exact(poly, 1e-6)
    assert audit_entries(con, "add_zone", zid)[0][3]["code"] == "A"


@pytest.mark.parametrize(
    "geometry, key",
    [
        ("not json", "manage.zone_bad_geojson"),
        (json.dumps({"type": "Point", "coordinates": [LON, LAT]}), "manage.zone_not_polygon"),
        # a bow tie: the outline crosses itself
        (
            json.dumps(
                mapping(geo.polygon_from_local_metres(LAT, LON, [(0, 0), (10, 10), (10, 0), (0, 10)]))
            ),
            "manage.zone_invalid",
        ),
        (json.dumps(mapping(rect(LAT, LON, 0, 0, 1, 1))), "manage.zone_area"),
        (json.dumps(mapping(rect(LAT, LON, 0, 0, 100, 100))), "manage.zone_area"),
        (json.dumps(mapping(rect(LAT, LON, 2000, 0, 2010, 10))), "manage.zone_far"),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[350000, 3450000], [350010, 3450000], [350010, 3450010], [350000, 3450000]]
                    ],
                }
            ),
            "manage.zone_not_lonlat",
        ),
    ],
)
def test_a_zone_outline_must_be_a_valid_polygon_of_garden_size_near_the_garden(
    committee, con, new_garden, geometry, key
):
    refused(key, zones.add_zone, committee, new_garden, "A", "区域", None, "lawn", geometry)
    assert rows(con, "SELECT count(*) FROM zones WHERE garden_id = ?", [new_garden]) == [(0,)]


def test_zone_codes_names_and_kinds_are_checked(committee, con):
    gid = garden_id(con, "zhongjing")
    outline = json.dumps(mapping(rect(31.21630, 121.37120, 30, 30, 40, 40)))
    refused("manage.zone_code_taken", zones.add_zone, committee, gid, "B", "新区", None, "lawn", outline)
    refused("manage.bad_zone_code", zones.add_zone, committee, gid, "", "新区", None, "lawn", outline)
    refused("manage.zone_name_required", zones.add_zone, committee, gid, "F", " ", None, "lawn", outline)
    refused("manage.bad_zone_kind", zones.add_zone, committee, gid, "F", "新区", None, "parking", outline)


def test_updating_and_deactivating_a_zone_is_audited_and_stops_its_tasks(committee, con):
    zid = zone_id(con, "zhongjing", "A")
    zones.update_zone(committee, zid, name="大雨水塘", kind="pond")
    assert rows(con, "SELECT name FROM zones WHERE id = ?", [zid]) == [("大雨水塘",)]
    [(_, _, before, after)] = audit_entries(con, "update_zone", zid)
    assert before == {"name": "雨水塘"} and after == {"name": "大雨水塘"}
    assert rows(con, "SELECT count(*) FROM task_defs WHERE zone_id = ? AND active", [zid])[0][0] > 0
    zones.deactivate_zone(committee, zid)
    assert rows(con, "SELECT active FROM zones WHERE id = ?", [zid]) == [(False,)]
    assert rows(con, "SELECT count(*) FROM task_defs WHERE zone_id = ? AND active", [zid]) == [(0,)]
    assert audit_entries(con, "deactivate_zone", zid)[0][2:] == ({"active": True}, {"active": False})


# ------------------------------------------------------------------ zone import


def test_importing_geojson_creates_zones_with_codes_names_kinds_and_areas(committee, con, new_garden):
    data = collection(
        feature(rect(LAT, LON, 0, 0, 10, 10), code="P", name="池塘", kind="pond"),
        feature(rect(LAT, LON, 10, 0, 30, 10), 编号="N", 名称="蜜源花境", 类型="蜜源花境"),
        feature(rect(LAT, LON, 0, 10, 30, 20)),
        feature(rect(LAT, LON, 0, 20, 10, 30), name="秘境", kind="秘境区"),
    )
    result = zone_import.import_zones(committee, new_garden, "zones.geojson", data)
    assert len(result.created) == 4 and not result.updated and not result.deactivated
    got = rows(
        con,
        "SELECT code, name, name_en, kind, round(area_m2) FROM zones WHERE garden_id = ? ORDER BY id",
        [new_garden],
    )
    assert got == [
        ("P", "池塘", None, "pond", 100.0),
        ("N", "蜜源花境", None, "nectar_bed", 200.0),
        ("A", "区域 A", "Zone A", "lawn", 300.0),
        ("B", "秘境", None, "undisturbed", 100.0),
    ]
    assert len(audit_entries(con, "import_zone")) == 4
    assert audit_entries(con, "import_zones", new_garden)[0][3]["created"] == result.created


def test_importing_a_geopackage_in_utm_reprojects_to_wgs84(committee, con, new_garden):
    frame = gpd.GeoDataFrame(
        {"code": ["A", "B"], "name": ["池塘", "草坪"], "kind": ["pond", "lawn"]},
        geometry=[rect(LAT, LON, 0, 0, 10, 10), rect(LAT, LON, 10, 0, 25, 20)],
        crs=4326,
    ).to_crs(geo.UTM51N)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "zones.gpkg"
        frame.to_file(path, driver="GPKG", engine="pyogrio")
        data = path.read_bytes()
    zone_import.import_zones(committee, new_garden, "花园分区.gpkg", data)
    got = rows(
        con,
        "SELECT code, kind, round(area_m2), geometry FROM zones WHERE garden_id = ? ORDER BY code",
        [new_garden],
    )
    assert [(c, k, a) for c, k, a, _ in got] == [("A", "pond", 100.0), ("B", "lawn", 300.0)]
    lon, lat = shape(json.loads(got[0][3])).exterior.coords[0]
    assert abs(lat - LAT) < 0.001 and abs(lon - LON) < 0.001  # degrees, not UTM metres


def test_importing_kml_from_a_mapping_app_uses_placemark_names(committee, con, new_garden):
    def placemark(name, poly):
        coords = " ".join(f"{x},{y},0" for x, y in poly.exterior.coords)
        return (
            f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing>"
            f"<coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        )

    kml = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        + placemark("雨水塘", rect(LAT, LON, 0, 0, 8, 10))
        + placemark("蝴蝶花境", rect(LAT, LON, 8, 0, 20, 10))
        + "</Document></kml>"
    ).encode("utf-8")
    zone_import.import_zones(committee, new_garden, "garden.kml", kml, default_kind="nectar_bed")
    got = rows(
        con,
        "SELECT code, name, kind, round(area_m2) FROM zones WHERE garden_id = ? ORDER BY code",
        [new_garden],
    )
    assert got == [("A", "雨水塘", "nectar_bed", 80.0), ("B", "蝴蝶花境", "nectar_bed", 120.0)]


def test_a_file_with_one_invalid_polygon_imports_nothing_and_names_that_feature(committee, con, new_garden):
    bow_tie = geo.polygon_from_local_metres(LAT, LON, [(0, 0), (10, 10), (10, 0), (0, 10)])
    data = collection(
        feature(rect(LAT, LON, 0, 0, 10, 10), code="A", name="好的"),
        feature(bow_tie, code="B", name="交叉的"),
        feature(rect(LAT, LON, 0, 10, 10, 20), code="C", kind="停车场"),
    )
    with pytest.raises(zone_import.ZoneImportError) as info:
        zone_import.import_zones(committee, new_garden, "zones.geojson", data)
    problems = info.value.problems
    assert [(p.number, p.label, p.error.key) for p in problems] == [
        (2, "B", "manage.zone_invalid"),
        (3, "C", "manage.bad_zone_kind"),
    ]
    assert "第 2 个区域 B" in info.value.message("zh") and "停车场" in info.value.message("zh")
    assert rows(con, "SELECT count(*) FROM zones WHERE garden_id = ?", [new_garden]) == [(0,)]
    assert audit_entries(con, "import_zones") == []


def test_replacing_zones_keeps_ids_of_same_codes_adds_new_ones_and_deactivates_the_rest(committee, con):
    gid = garden_id(con, "zhongjing")
    lat, lon = 31.21630, 121.37120
    old_a = zone_id(con, "zhongjing", "A")
    data = collection(
        feature(rect(lat, lon, -20, -10, -5, 2), code="A", name="雨水塘", kind="pond"),
        feature(rect(lat, lon, -5, -10, 20, 10), code="F", name="大花境", kind="nectar_bed"),
    )
    result = zone_import.import_zones(committee, gid, "new.geojson", data, replace=True)
    assert result.updated == [old_a] and len(result.created) == 1 and len(result.deactivated) == 4
    active = rows(
        con, "SELECT code, round(area_m2) FROM zones WHERE garden_id = ? AND active ORDER BY code", [gid]
    )
    assert active == [("A", 180.0), ("F", 500.0)]
    assert rows(
        con,
        "SELECT count(*) FROM task_defs d JOIN zones z ON z.id = d.zone_id WHERE d.garden_id = ? AND d.active AND NOT z.active",
        [gid],
    ) == [(0,)]


def test_importing_without_replace_refuses_codes_already_in_the_garden(committee, con):
    gid = garden_id(con, "zhongjing")
    data = collection(feature(rect(31.21630, 121.37120, 30, 30, 40, 40), code="B"))
    with pytest.raises(zone_import.ZoneImportError) as info:
        zone_import.import_zones(committee, gid, "z.geojson", data)
    assert info.value.problems[0].error.key == "manage.zone_code_taken"


def test_import_of_gcj02_outlines_converts_them_back_to_the_true_place(committee, con, new_garden):
    true = rect(LAT, LON, 0, 0, 10, 10)
    shifted = Polygon([tuple(reversed(geo.wgs84_to_gcj02(y, x))) for x, y in true.exterior.coords])
    zone_import.import_zones(
        committee, new_garden, "amap.geojson", collection(feature(shifted, code="A")), coords_are_gcj02=True
    )
    stored = shape(
        json.loads(rows(con, "SELECT geometry FROM zones WHERE garden_id = ?", [new_garden])[0][0])
    )
    assert geo.haversine_m(stored.centroid.y, stored.centroid.x, true.centroid.y, true.centroid.x) < 0.5


def test_unknown_and_unreadable_files_are_refused(committee, new_garden):
    refused("manage.import_bad_type", zone_import.import_zones, committee, new_garden, "zones.shp", b"x")
    refused(
        "manage.import_unreadable",
        zone_import.import_zones,
        committee,
        new_garden,
        "zones.geojson",
        b"not geojson",
    )
    refused(
        "manage.import_empty", zone_import.import_zones, committee, new_garden, "zones.geojson", collection()
    )


# ------------------------------------------------------------------ vertices


def test_zone_vertices_round_trip_and_editing_them_changes_the_outline(committee, con):
    zid = zone_id(con, "zhongjing", "B")
    vertices = zones.zone_vertices(committee, zid)
    assert list(vertices.columns) == ["lon", "lat"] and len(vertices) == 4
    before = rows(con, "SELECT geometry, area_m2 FROM zones WHERE id = ?", [zid])[0]
    zones.set_zone_vertices(committee, zid, vertices)
    geometry, area = rows(con, "SELECT geometry, area_m2 FROM zones WHERE id = ?", [zid])[0]
    assert shape(json.loads(geometry)).equals_exact(shape(json.loads(before[0])), 1e-7)
    assert area == pytest.approx(before[1], abs=0.1)
    # drop one corner (a triangle: half the area) and add an empty row as the table editor does
    triangle = pd.concat([vertices.iloc[:3], pd.DataFrame({"lon": [None], "lat": [None]})], ignore_index=True)
    changed = zones.set_zone_vertices(committee, zid, triangle)
    assert changed["area_m2"] == pytest.approx(before[1] / 2, rel=0.01)
    ring = shape(json.loads(changed["geometry"])).exterior.coords
    assert len(ring) == 4 and ring[0] == ring[-1]  # closed automatically
    triangle_again = zones.zone_vertices(committee, zid)
    assert triangle_again.shape == (3, 2)
    zones.set_zone_vertices(committee, zid, triangle_again)
    assert len(audit_entries(con, "update_zone", zid)) == 2  # saving an unchanged table writes nothing


def test_vertex_tables_with_too_few_or_half_filled_points_are_refused(committee, con):
    zid = zone_id(con, "zhongjing", "B")
    vertices = zones.zone_vertices(committee, zid)
    refused("manage.vertex_too_few", zones.set_zone_vertices, committee, zid, vertices.iloc[:2])
    same_point = pd.DataFrame({"lon": [vertices.lon[0]] * 3, "lat": [vertices.lat[0]] * 3})
    refused("manage.vertex_too_few", zones.set_zone_vertices, committee, zid, same_point)
    half = vertices.copy()
    half.loc[2, "lat"] = None
    refused("manage.vertex_incomplete", zones.set_zone_vertices, committee, zid, half)


# ------------------------------------------------------------------ features


def test_features_are_added_updated_and_deactivated_with_audit(committee, con):
    gid = garden_id(con, "zhongjing")
    zid = zone_id(con, "zhongjing", "D")
    fid = features.add_feature(
        committee, gid, zid, "nest_box", "白头鹎巢箱", "good", ["shelter"], note="东侧香樟上"
    )
    assert rows(con, "SELECT kind, name, condition, provides, zone_id FROM features WHERE id = ?", [fid]) == [
        ("nest_box", "白头鹎巢箱", "good", "shelter", zid)
    ]
    features.update_feature(committee, fid, condition="broken", provides=["shelter", "food"])
    assert rows(con, "SELECT condition, provides FROM features WHERE id = ?", [fid]) == [
        ("broken", "food|shelter")
    ]
    [(_, _, before, after)] = audit_entries(con, "update_feature", fid)
    assert before == {"condition": "good", "provides": "shelter"} and after == {
        "condition": "broken",
        "provides": "food|shelter",
    }
    features.deactivate_feature(committee, fid)
    assert rows(con, "SELECT active FROM features WHERE id = ?", [fid]) == [(False,)]
    assert fid not in set(features.features(committee, gid)["id"])


def test_feature_input_is_checked(committee, con, new_garden):
    gid = garden_id(con, "zhongjing")
    other_zone = zone_id(con, "xinsen", "A")
    refused(
        "manage.bad_condition", features.add_feature, committee, gid, None, "nest_box", "巢箱", "excellent"
    )
    refused(
        "manage.bad_provides",
        features.add_feature,
        committee,
        gid,
        None,
        "nest_box",
        "巢箱",
        "good",
        ["wifi"],
    )
    refused("manage.bad_feature_kind", features.add_feature, committee, gid, None, "bench", "长椅")
    refused("manage.feature_name_required", features.add_feature, committee, gid, None, "nest_box", "")
    refused("manage.zone_not_in_garden", features.add_feature, committee, gid, other_zone, "nest_box", "巢箱")
    future = committee.now().date() + timedelta(days=3)
    refused(
        "common.future_time",
        features.add_feature,
        committee,
        gid,
        None,
        "nest_box",
        "巢箱",
        checked_on=future,
    )


# ------------------------------------------------------------------ task definitions


def test_a_task_definition_is_added_and_shows_up_as_due(committee, con, make_ctx):
    gid = garden_id(con, "zhongjing")
    zid = zone_id(con, "zhongjing", "C")
    today = committee.now().date()
    tid = upkeep.add_task_def(committee, gid, zid, "invasive_removal", "拔除加拿大一枝黄花", 7, today)
    assert rows(
        con,
        "SELECT kind, title, every_days, start_on, source, created_by, active FROM task_defs WHERE id = ?",
        [tid],
    ) == [("invasive_removal", "拔除加拿大一枝黄花", 7, today, "manual", committee.user.id, True)]
    assert tid in set(upkeep.due_tasks(make_ctx("wangayi"), garden_id=gid)["id"])
    assert audit_entries(con, "add_task_def", tid)[0][3]["title"] == "拔除加拿大一枝黄花"


def test_task_definitions_are_updated_and_deactivated_with_audit(committee, con):
    tid = rows(con, "SELECT min(id) FROM task_defs WHERE active")[0][0]
    old_every = rows(con, "SELECT every_days FROM task_defs WHERE id = ?", [tid])[0][0]
    upkeep.update_task_def(committee, tid, every_days=old_every + 1, title="浇水（早上）")
    assert rows(con, "SELECT every_days, title FROM task_defs WHERE id = ?", [tid]) == [
        (old_every + 1, "浇水（早上）")
    ]
    assert audit_entries(con, "update_task_def", tid)[0][2]["every_days"] == old_every
    upkeep.deactivate_task_def(committee, tid)
    assert rows(con, "SELECT active FROM task_defs WHERE id = ?", [tid]) == [(False,)]
    with pytest.raises(NotFound):
        upkeep.update_task_def(committee, tid, title="x")


def test_task_definition_input_is_checked(committee, con):
    gid = garden_id(con, "zhongjing")
    other_zone = zone_id(con, "xinsen", "A")
    today = date(2026, 6, 1)
    refused("manage.bad_every_days", upkeep.add_task_def, committee, gid, None, "water", "浇水", 0, today)
    refused("manage.bad_every_days", upkeep.add_task_def, committee, gid, None, "water", "浇水", 2.5, today)
    refused("manage.bad_task_kind", upkeep.add_task_def, committee, gid, None, "paint", "刷漆", 7, today)
    refused("manage.task_title_required", upkeep.add_task_def, committee, gid, None, "water", "  ", 7, today)
    refused("manage.start_required", upkeep.add_task_def, committee, gid, None, "water", "浇水", 7, None)
    refused(
        "manage.zone_not_in_garden",
        upkeep.add_task_def,
        committee,
        gid,
        other_zone,
        "water",
        "浇水",
        7,
        today,
    )


# ------------------------------------------------------------------ people


def test_the_committee_adds_people_and_changes_their_roles(committee, con, make_ctx):
    pid = people.create_person(
        committee,
        username="laoqian",
        display_name="钱老师",
        role="volunteer",
        password="long-enough-1",
        home_garden_id=garden_id(con, "leyi"),
    )
    assert "laoqian" in set(people.list_people(committee)["username"])
    refused("manage.expert_needs_groups", people.change_role, committee, pid, "expert", [])
    refused("manage.bad_expertise", people.change_role, committee, pid, "expert", ["dinosaur"])
    refused("auth.unknown_role", people.change_role, committee, pid, "mayor")
    people.change_role(committee, pid, "expert", ["plant", "bee"])
    assert rows(con, "SELECT role, expertise FROM people WHERE id = ?", [pid]) == [("expert", "bee|plant")]
    [(_, _, before, after)] = audit_entries(con, "change_role", pid)
    assert before == {"role": "volunteer", "expertise": None} and after == {
        "role": "expert",
        "expertise": "bee|plant",
    }
    assert audit_entries(con, "create_person", pid)[0][3] == {"username": "laoqian", "role": "volunteer"}


def test_deactivated_people_cannot_sign_in_and_nobody_locks_themselves_out(committee, con, make_ctx):
    pid = rows(con, "SELECT id FROM people WHERE username = 'xiaoming'")[0][0]
    people.set_active(committee, pid, False)
    with pytest.raises(AuthError) as info:
        auth.sign_in(make_ctx(None), "xiaoming", "huayuan2026")
    assert info.value.key == "auth.sign_in_deactivated"  # told only to someone who knows the password
    with pytest.raises(AuthError) as info:
        auth.sign_in(make_ctx(None), "xiaoming", "wrong-password-1")
    assert info.value.key == "auth.bad_credentials"  # neutral: no hint that the account exists
    assert audit_entries(con, "set_active", pid)[0][2:] == ({"active": True}, {"active": False})
    people.set_active(committee, pid, True)
    assert auth.sign_in(make_ctx(None), "xiaoming", "huayuan2026").person.username == "xiaoming"
    refused("manage.cannot_deactivate_self", people.set_active, committee, committee.user.id, False)
    refused("manage.cannot_change_own_role", people.change_role, committee, committee.user.id, "volunteer")


def test_the_committee_resets_a_forgotten_password(committee, con, make_ctx):
    pid = rows(con, "SELECT id FROM people WHERE username = 'sunayi'")[0][0]
    refused("auth.password_too_short", people.reset_password, committee, pid, "short")
    people.reset_password(committee, pid, "new-secret-2026")
    assert auth.sign_in(make_ctx(None), "sunayi", "new-secret-2026").person.username == "sunayi"
    assert audit_entries(con, "reset_password", pid)
    with pytest.raises(NotFound):
        people.reset_password(committee, 999_999, "new-secret-2026")


# ------------------------------------------------------------------ problems and audit


def test_open_problems_have_an_age_and_resolving_one_closes_it(committee, con):
    problems = community.problems_to_resolve(committee)
    assert not problems.empty and (problems["age_days"] >= 0).all()
    pid = int(problems["id"].iloc[0])
    refused("problem.describe_resolution", community.resolve_problem, committee, pid, " ")
    community.resolve_problem(committee, pid, "已请物业修好围栏")
    assert rows(con, "SELECT status, resolution, resolved_by FROM problems WHERE id = ?", [pid]) == [
        ("resolved", "已请物业修好围栏", committee.user.id)
    ]
    assert pid not in set(community.problems_to_resolve(committee)["id"])
    assert audit_entries(con, "resolve_problem", pid)[0][3] == {"resolution": "已请物业修好围栏"}
    with pytest.raises(NotFound):
        community.resolve_problem(committee, pid, "again")


def test_the_audit_view_lists_the_latest_changes_first(committee, con):
    zid = zone_id(con, "zhongjing", "E")
    zones.update_zone(committee, zid, name_en="Bug hotel and path")
    latest = audit_log.recent_audit(committee, limit=5)
    assert latest.iloc[0]["action"] == "update_zone" and latest.iloc[0]["actor"] == "刘主任"
    assert json.loads(latest.iloc[0]["after_json"]) == {"name_en": "Bug hotel and path"}
