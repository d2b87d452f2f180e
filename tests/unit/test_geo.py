from habitat import geo


def test_gcj02_offset_in_shanghai_is_about_480_metres():
    lat, lon = 31.212, 121.365
    glat, glon = geo.wgs84_to_gcj02(lat, lon)
    assert -0.0025 < glat - lat < -0.0013 and 0.0040 < glon - lon < 0.0052
    assert 400 < geo.haversine_m(lat, lon, glat, glon) < 560


def test_gcj02_inverse_returns_the_original_point_within_a_metre():
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(31.2163, 121.3712))
    assert geo.haversine_m(31.2163, 121.3712, *back) < 1.0


def test_polygon_built_from_metres_has_the_right_area():
    poly = geo.polygon_from_local_metres(31.2163, 121.3712, [(0, 0), (20, 0), (20, 10), (0, 10)])
    assert abs(geo.area_m2(poly) - 200.0) < 0.5


def test_point_in_zone_and_nearest_zone_with_tolerance():
    a = geo.polygon_from_local_metres(31.2163, 121.3712, [(0, 0), (10, 0), (10, 10), (0, 10)])
    zones = [geo.ZoneShape(1, "A", a)]
    inside = geo.polygon_from_local_metres(31.2163, 121.3712, [(5, 5), (5.01, 5), (5, 5.01)]).exterior.coords[
        0
    ]
    outside = geo.polygon_from_local_metres(
        31.2163, 121.3712, [(15, 5), (15.01, 5), (15, 5.01)]
    ).exterior.coords[0]
    assert geo.zone_for_point(zones, inside[1], inside[0]).code == "A"
    assert geo.zone_for_point(zones, outside[1], outside[0]) is None
    assert geo.zone_for_point(zones, outside[1], outside[0], tolerance_m=6).code == "A"
