import json
import math

import pandas as pd
from shapely.geometry import Point, Polygon

from habitat import geo
from habitat.charts.maps import fit_view, garden_plan, town_map
from habitat.ui.dash_views import selected_zone_ids

LAT, LON = 31.2163, 121.3712
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
# Trace types drawn by MapLibre (glyphs and styles from outside servers) or fetching a world topojson
MAP_TRACES = {
    "scattermap",
    "choroplethmap",
    "densitymap",
    "scattermapbox",
    "choroplethmapbox",
    "densitymapbox",
    "scattergeo",
    "choropleth",
}
RECTS = {"A": (-19, -10, -7, 2), "B": (-7, -10, 7, 2), "C": (7, -10, 19, 2), "D": (-19, 2, 0, 10)}


def _zones(rects=RECTS):
    rows = []
    for i, (code, (x0, y0, x1, y1)) in enumerate(rects.items()):
        poly = geo.polygon_from_local_metres(LAT, LON, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        rows.append(
            {
                "id": 10 + i,
                "code": code,
                "name": "区" + code,
                "geometry": geo.to_geojson(poly),
                "sightings": i,
            }
        )
    return pd.DataFrame(rows)


def _point(dx, dy, label="白鹭"):
    """A sighting `dx` m east and `dy` m north of the garden centre, as the pages pass it."""
    lon, lat = geo.polygon_from_local_metres(
        LAT, LON, [(dx, dy), (dx + 1, dy), (dx, dy + 1)]
    ).exterior.coords[0]
    return pd.DataFrame({"lat": [lat], "lon": [lon], "label": [label]})


def _gardens():
    return pd.DataFrame(
        {
            "name": ["中泾生境花园", "常馨生境花园", "新森生境花园", "乐颐生境花园"],
            "centre_lat": [31.21630, 31.20790, 31.21420, 31.21050],
            "centre_lon": [121.37120, 121.35830, 121.35590, 121.36810],
            "records": [40, 12, 0, 25],
            "species": [10, 5, 0, 8],
        }
    )


def _types(fig):
    return [t.type for t in fig.data]


def _zone_hits(fig):
    """The trace that carries one selectable marker and code label per zone."""
    [trace] = [t for t in fig.data if t.customdata is not None and "text" in (t.mode or "")]
    return trace


def _zone_fills(fig):
    return [t for t in fig.data if t.fill == "toself"]


def _polygon(trace):
    return Polygon([(x, y) for x, y in zip(trace.x, trace.y) if x is not None])


def _ranges(fig):
    return tuple(fig.layout.xaxis.range), tuple(fig.layout.yaxis.range)


# ------------------------------------------------------------------------------ offline plan


def test_the_offline_plan_has_no_map_trace_and_names_no_outside_address():
    fig = garden_plan(_zones(), LAT, LON, points=_point(10, -4))
    assert fig.data and not set(_types(fig)) & MAP_TRACES
    assert set(_types(fig)) == {"scatter"}
    assert "http" not in fig.to_json()  # no style, tile, glyph or sprite URL for the browser to follow
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1  # true shapes
    # equal scales by narrowing the plot area, never by widening ranges (which plotly writes back)
    assert fig.layout.xaxis.constrain == "domain" and fig.layout.yaxis.constrain == "domain"
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_the_offline_plan_labels_every_zone_with_its_code_as_svg_text():
    hits = _zone_hits(garden_plan(_zones(), LAT, LON))
    assert list(hits.text) == ["A", "B", "C", "D"]
    assert hits.textfont.size >= 14


def test_each_zone_label_sits_inside_its_own_zone():
    fig = garden_plan(_zones(), LAT, LON)
    hits, fills = _zone_hits(fig), _zone_fills(fig)
    assert len(fills) == 4
    for x, y, fill in zip(hits.x, hits.y, fills):
        centre = _polygon(fill).centroid
        assert _polygon(fill).contains(Point(x, y)) and Point(x, y).distance(centre) < 0.05  # centred


def test_the_label_of_a_u_shaped_zone_stays_inside_it():
    u_shape = [(-10, -10), (10, -10), (10, 10), (6, 10), (6, -6), (-6, -6), (-6, 10), (-10, 10)]
    poly = geo.polygon_from_local_metres(LAT, LON, u_shape)
    zones = pd.DataFrame(
        [{"id": 1, "code": "U", "name": "U", "geometry": geo.to_geojson(poly), "sightings": 1}]
    )
    fig = garden_plan(zones, LAT, LON)
    hits, [fill] = _zone_hits(fig), _zone_fills(fig)
    assert not _polygon(fill).contains(_polygon(fill).centroid)  # the centroid is in the U's gap
    assert _polygon(fill).contains(Point(hits.x[0], hits.y[0]))


def test_the_offline_plan_draws_zones_true_to_size_in_metres():
    fills = _zone_fills(garden_plan(_zones(), LAT, LON))
    sizes = [
        (_polygon(f).bounds[2] - _polygon(f).bounds[0], _polygon(f).bounds[3] - _polygon(f).bounds[1])
        for f in fills
    ]
    for (w, h), (x0, y0, x1, y1) in zip(sizes, RECTS.values()):
        assert abs(w - (x1 - x0)) < 0.05 and abs(h - (y1 - y0)) < 0.05


def test_the_plan_view_contains_every_zone_with_a_margin():
    fig = garden_plan(_zones(), LAT, LON, height=420)
    (x0, x1), (y0, y1) = _ranges(fig)
    shapes = [_polygon(f) for f in _zone_fills(fig)]
    left, bottom = min(s.bounds[0] for s in shapes), min(s.bounds[1] for s in shapes)
    right, top = max(s.bounds[2] for s in shapes), max(s.bounds[3] for s in shapes)
    assert abs((right - left) - 38) < 0.1  # the whole garden, 38 m wide
    margin = 0.04 * (right - left)
    assert x0 <= left - margin and x1 >= right + margin and y0 <= bottom - margin and y1 >= top + margin
    assert (x1 - x0) <= 1.5 * (right - left)  # and not so far out that the garden looks tiny
    assert (
        fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange
    )  # a drag scrolls the page, not the plan


def test_a_sighting_is_drawn_inside_its_zone_and_inside_the_view():
    fig = garden_plan(_zones(), LAT, LON, points=_point(10, -4))
    [dots] = [t for t in fig.data if t.mode == "markers" and t.customdata is None]
    zone_c = _polygon(_zone_fills(fig)[2])
    spot = Point(dots.x[0], dots.y[0])
    assert zone_c.contains(spot) and not _polygon(_zone_fills(fig)[1]).contains(spot)
    assert abs(spot.x - zone_c.bounds[0] - 3) < 0.05 and abs(spot.y - zone_c.bounds[1] - 6) < 0.05
    assert list(dots.text) == ["白鹭"]


def test_a_sighting_outside_every_zone_still_fits_in_the_view():
    fig = garden_plan(_zones(), LAT, LON, points=_point(40, 30))
    [dots] = [t for t in fig.data if t.mode == "markers" and t.customdata is None]
    (x0, x1), (y0, y1) = _ranges(fig)
    assert x0 < dots.x[0] < x1 and y0 < dots.y[0] < y1


def test_zone_colours_follow_the_value_and_hover_names_code_name_and_value():
    fig = garden_plan(_zones(), LAT, LON, value_label="近30天记录")
    hits = _zone_hits(fig)
    fills = [f.fillcolor for f in _zone_fills(fig)]
    brightness = [sum(int(c) for c in f[f.index("(") + 1 : -1].split(",")[:3]) for f in fills]
    assert brightness == sorted(brightness, reverse=True) and brightness[0] > brightness[-1]  # more = darker
    assert "近30天记录" in hits.hovertemplate
    assert [list(row[1:]) for row in hits.customdata] == [
        ["A", "区A", "0"],
        ["B", "区B", "1"],
        ["C", "区C", "2"],
        ["D", "区D", "3"],
    ]
    for field in ("customdata[1]", "customdata[2]", "customdata[3]"):
        assert field in hits.hovertemplate


def test_zone_names_reach_plotly_escaped():
    zones = _zones()
    zones.loc[0, "name"] = '<a href="http://evil.example">点我</a>'
    hits = _zone_hits(garden_plan(zones, LAT, LON))
    assert "<a" not in hits.customdata[0][2] and "&lt;a" in hits.customdata[0][2]


def test_the_colour_scale_lies_under_the_plan_not_beside_it():
    fig = garden_plan(_zones(), LAT, LON, value_label="记录")
    hits = _zone_hits(fig)
    bar = hits.marker.colorbar
    assert hits.marker.showscale and bar.orientation == "h" and bar.y <= 0
    assert fig.layout.margin.l <= 10 and fig.layout.margin.r <= 10  # the plan keeps the phone's width
    quiet = garden_plan(_zones(), LAT, LON, show_scale=False)
    assert not _zone_hits(quiet).marker.showscale and quiet.layout.margin.b < fig.layout.margin.b


def test_the_zone_markers_are_invisible_but_selectable():
    hits = _zone_hits(garden_plan(_zones(), LAT, LON))
    assert hits.marker.opacity == 0 and hits.hoverinfo != "skip" and hits.marker.size >= 20
    assert all(f.hoverinfo == "skip" for f in _zone_fills(garden_plan(_zones(), LAT, LON)))


def _streamlit_event(fig, picks):
    """The selection Streamlit hands back after a click/box-select on the browser's copy of the figure."""
    spec = json.loads(fig.to_json())
    points = []
    for curve, index in picks:
        trace = spec["data"][curve]
        point = {
            "curve_number": curve,
            "point_number": index,
            "point_index": index,
            "x": trace["x"][index] if isinstance(trace.get("x"), list) else None,
        }
        if "customdata" in trace:
            point["customdata"] = trace["customdata"][index]
        if "locations" in trace:
            point["location"] = trace["locations"][index]
        points.append(point)

    class Event:
        class selection:
            pass

    Event.selection.points = points
    return Event


def test_zones_picked_on_the_plan_come_back_as_their_ids():
    fig = garden_plan(_zones(), LAT, LON, points=_point(10, -4))
    curve = list(fig.data).index(_zone_hits(fig))
    dot = next(i for i, t in enumerate(fig.data) if t.mode == "markers" and t.customdata is None)
    assert selected_zone_ids(_streamlit_event(fig, [(curve, 0), (curve, 2), (dot, 0)])) == {10, 12}
    assert selected_zone_ids(_streamlit_event(fig, [])) == set()
    assert selected_zone_ids(None) == set()


def test_zones_picked_on_the_online_map_still_come_back_as_their_ids():
    fig = garden_plan(_zones(), LAT, LON, tile_url=TILES)
    assert selected_zone_ids(_streamlit_event(fig, [(0, 1), (0, 3)])) == {11, 13}


def test_a_zone_with_a_digit_code_is_not_mistaken_for_an_id_on_the_online_map():
    zones = _zones()
    zones["code"] = ["1", "2", "3", "4"]
    fig = garden_plan(zones, LAT, LON, tile_url=TILES)
    assert selected_zone_ids(_streamlit_event(fig, [(0, 0)])) == {10}


def test_a_garden_without_zones_still_draws_an_empty_plan_round_its_centre():
    empty = _zones().iloc[0:0]
    fig = garden_plan(empty, LAT, LON)
    (x0, x1), (y0, y1) = _ranges(fig)
    assert x0 < 0 < x1 and y0 < 0 < y1 and not set(_types(fig)) & MAP_TRACES


# ------------------------------------------------------------------------------ offline town map


def test_the_offline_town_map_has_no_map_trace_and_labels_every_garden():
    gardens = _gardens()
    fig = town_map(
        gardens,
        size_column="records",
        size_label="记录",
        hover_columns={"records": "记录", "species": "物种"},
    )
    assert set(_types(fig)) == {"scatter"} and "http" not in fig.to_json()
    [trace] = fig.data
    assert list(trace.text) == list(gardens["name"])
    assert "记录: %{customdata[0]}" in trace.hovertemplate and "物种: %{customdata[1]}" in trace.hovertemplate
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False


def test_the_town_map_view_holds_every_garden_with_room_for_markers_and_labels():
    fig = town_map(_gardens(), size_column="records", size_label="记录", height=420)
    [trace] = fig.data
    (x0, x1), (y0, y1) = _ranges(fig)
    xs, ys = list(trace.x), list(trace.y)
    assert max(xs) - min(xs) > 1000  # the demo town spans more than a kilometre
    assert trace.textposition == "top center"
    # pixels of a 390 px phone (a 340 px chart; plotly widens one range to keep equal scales)
    per_px = max((x1 - x0) / 340, (y1 - y0) / 412)
    half_name = 6 * 13 / 2  # six characters of 13 px, centred over the marker
    assert (min(xs) - x0) / per_px >= half_name and (x1 - max(xs)) / per_px >= half_name
    assert (y1 - max(ys)) / per_px >= 20 + 13  # the biggest marker's radius and a line of text above it
    assert (min(ys) - y0) / per_px >= 20
    assert (x1 - x0) <= 2.5 * (max(xs) - min(xs))  # and the gardens still spread over the map


def test_long_english_names_get_more_room_at_the_sides():
    gardens = _gardens()
    short = town_map(gardens, size_column="records", size_label="r")
    gardens["name"] = [
        "Zhongjing Habitat Garden",
        "Changxin Habitat Garden",
        "Xinsen Habitat Garden",
        "Leyi Habitat Garden",
    ]
    long = town_map(gardens, size_column="records", size_label="r")
    (s0, s1), _ = _ranges(short)
    (l0, l1), _ = _ranges(long)
    per_px = (l1 - l0) / 340
    assert l1 - l0 > s1 - s0 and (min(long.data[0].x) - l0) / per_px >= 0.6 * 13 * 24 / 2


def test_a_town_with_one_garden_gets_a_view_round_it():
    fig = town_map(_gardens().iloc[:1], size_column="records", size_label="记录")
    (x0, x1), (y0, y1) = _ranges(fig)
    per_px = max((x1 - x0) / 340, (y1 - y0) / 412)
    assert x0 < 0 < x1 and y0 < 0 < y1 and -x0 / per_px >= 6 * 13 / 2 and y1 / per_px >= 33


def test_garden_names_reach_the_town_map_escaped():
    gardens = _gardens()
    gardens.loc[0, "name"] = "<b>花园</b>"
    fig = town_map(gardens, size_column="records", size_label="记录")
    assert fig.data[0].text[0] == "&lt;b&gt;花园&lt;/b&gt;"


def test_a_town_without_gardens_draws_an_empty_view():
    fig = town_map(_gardens().iloc[0:0], size_column="records", size_label="记录")
    (x0, x1), (y0, y1) = _ranges(fig)
    assert x0 < 0 < x1 and y0 < 0 < y1 and len(fig.data[0].x) == 0


# ------------------------------------------------------------------------------ online (tile URL)


def test_with_a_tile_url_the_plan_is_a_map_on_that_tile_layer():
    fig = garden_plan(_zones(), 0, 0, height=420, tile_url=TILES)
    assert "choroplethmap" in _types(fig)
    view = fig.layout.map
    assert [layer.source for layer in view.layers] == [(TILES,)]
    assert abs(view.center.lat - LAT) < 1e-4 and abs(view.center.lon - LON) < 1e-4
    metres_per_px = 78271.517 * math.cos(math.radians(31.2)) / 2**view.zoom
    assert 38 * 1.2 <= metres_per_px * 360 <= 38 * 2.5  # 38 m wide garden fills a phone-width chart


def test_with_a_tile_url_the_town_map_fits_every_garden_in_a_phone_width():
    gardens = _gardens()
    fig = town_map(gardens, size_column="records", size_label="记录", tile_url=TILES)
    assert _types(fig) == ["scattermap"]
    metres_per_px = 78271.517 * math.cos(math.radians(31.2)) / 2**fig.layout.map.zoom
    spread_m = (gardens["centre_lon"].max() - gardens["centre_lon"].min()) * 95_000
    assert metres_per_px * 340 >= spread_m * 1.2  # the whole town across a 390 px phone


def test_fit_view_of_a_bigger_area_zooms_out():
    small = [json.loads(g) for g in _zones()["geometry"]]
    big = [
        {
            "geometry": {
                "coordinates": [
                    [[121.30, 31.20], [121.40, 31.20], [121.40, 31.25], [121.30, 31.25], [121.30, 31.20]]
                ]
            }
        }
    ]
    assert fit_view(big, 420)[2] < fit_view([{"geometry": g} for g in small], 420)[2]
