import json
import math

import pandas as pd

from habitat import geo
from habitat.charts.maps import fit_view, garden_plan


def _zones():
    rows = []
    for i, (x0, y0, x1, y1) in enumerate([(-19, -10, 0, 10), (0, -10, 19, 10)]):
        poly = geo.polygon_from_local_metres(31.2163, 121.3712, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        rows.append({"id": i + 1, "code": "AB"[i], "name": "区" + "AB"[i], "geometry": geo.to_geojson(poly), "sightings": i})
    return pd.DataFrame(rows)


def test_the_plan_is_centred_on_the_zones_and_zoomed_to_show_them_whole():
    fig = garden_plan(_zones(), 0, 0, height=420)
    view = fig.layout.map
    assert abs(view.center.lat - 31.2163) < 1e-4 and abs(view.center.lon - 121.3712) < 1e-4
    metres_per_px = 78271.517 * math.cos(math.radians(31.2)) / 2 ** view.zoom
    assert 38 * 1.2 <= metres_per_px * 360 <= 38 * 2.5  # 38 m wide garden fills a phone-width chart


def test_fit_view_of_a_bigger_area_zooms_out():
    small = [json.loads(g) for g in _zones()["geometry"]]
    big = [{"geometry": {"coordinates": [[[121.30, 31.20], [121.40, 31.20], [121.40, 31.25], [121.30, 31.25], [121.30, 31.20]]]}}]
    assert fit_view(big, 420)[2] < fit_view([{"geometry": g} for g in small], 420)[2]
