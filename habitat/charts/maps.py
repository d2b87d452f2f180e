"""Garden plan and town map as plotly figures.

Offline (no tile URL, the default) both are drawn on plain x/y axes in metres (UTM 51N,
EPSG:32651) with equal scales: zones are filled polygons, zone codes and garden names are SVG
text in the page's own fonts, and the browser fetches nothing. A MapLibre map trace would ask
an outside glyph server for the font of any text it shows. With a tile URL (an online
deployment) the figures are MapLibre maps over that raster layer, as tiles need lat/lon.
"""

from __future__ import annotations

import html
import json
import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from pyproj import Transformer
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

from habitat.geo import UTM51N

ZONE_COLOURS = {
    "pond": "#5DADE2",
    "nectar_bed": "#F5B041",
    "host_plants": "#82E0AA",
    "undisturbed": "#7D6608",
    "insect_hotel": "#CA6F1E",
    "lawn": "#ABEBC6",
    "path": "#D5D8DC",
    "woodland": "#229954",
    "entrance": "#BFC9CA",
}

# YlGn without its two darkest greens, so the black zone codes stay readable on every zone
PLAN_SCALE = [
    [0.0, "rgb(255,255,229)"],
    [1 / 6, "rgb(247,252,185)"],
    [2 / 6, "rgb(217,240,163)"],
    [3 / 6, "rgb(173,221,142)"],
    [4 / 6, "rgb(120,198,121)"],
    [5 / 6, "rgb(65,171,93)"],
    [1.0, "rgb(35,132,67)"],
]
OUTLINE = "#1B4F2A"
# A 390 px phone leaves Streamlit's chart about 358 px; views are sized for a little less
PHONE_CHART_PX = 340
TOWN_FONT_PX = 13
BIGGEST_MARKER_PX = 40
HIDDEN_AXIS = {"visible": False, "fixedrange": True, "showgrid": False, "zeroline": False}


def _esc(value) -> str:
    """Plotly reads text as HTML-like markup (bold, links): user-typed names arrive escaped."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return html.escape("" if missing else str(value), quote=False)


def _number(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


@lru_cache(maxsize=1)
def _to_utm() -> Transformer:
    return Transformer.from_crs("EPSG:4326", UTM51N, always_xy=True)


def _project(lats, lons, origin: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north of ``origin`` (UTM 51N x, y)."""
    x, y = _to_utm().transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return np.asarray(x) - origin[0], np.asarray(y) - origin[1]


def _projected_polygons(geometry: str, origin: tuple[float, float]) -> list[Polygon]:
    geom = shape(json.loads(geometry))
    parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    polygons = []
    for part in parts:
        lons, lats = part.exterior.coords.xy
        x, y = _project(lats, lons, origin)
        polygons.append(Polygon(zip(x, y)))
    return polygons


def _padded_view(xs, ys, pad_m: float) -> tuple[list[float], list[float]]:
    return [min(xs) - pad_m, max(xs) + pad_m], [min(ys) - pad_m, max(ys) + pad_m]


def _plain_layout(fig: go.Figure, x_range, y_range, *, height: int, bottom: int) -> None:
    """Equal metres on both axes (true shapes), axes hidden, the view fixed on what matters.

    To keep the scales equal plotly narrows the plot area along one axis (constrain "domain"),
    so both ranges stay whole at any width. The default, widening a range, is written back into
    the figure and grows again at each re-render (a chart first drawn in a hidden tab came out
    at half size). Fixed ranges: the plan does not move under a finger.
    """
    fig.update_layout(
        xaxis={**HIDDEN_AXIS, "range": x_range, "constrain": "domain"},
        yaxis={**HIDDEN_AXIS, "range": y_range, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 4, "r": 4, "t": 4, "b": bottom},
        height=height,
        showlegend=False,
        hoverlabel={"bgcolor": "white"},
    )


def _colour_bar(title: str) -> dict:
    # under the plan, not beside it: on a 390 px phone a side bar takes a third of the width
    return {
        "title": {"text": title, "side": "top"},
        "thickness": 10,
        "orientation": "h",
        "y": -0.02,
        "yanchor": "top",
        "len": 0.9,
    }


def garden_plan(
    zones: pd.DataFrame,
    centre_lat: float,
    centre_lon: float,
    *,
    value_column: str = "sightings",
    value_label: str = "",
    name_column: str = "name",
    points: pd.DataFrame | None = None,
    point_label_column: str = "label",
    tile_url: str = "",
    height: int = 420,
    show_scale: bool = True,
) -> go.Figure:
    """Zone polygons coloured by an activity column, labelled with their codes, with optional
    sighting points. Each zone has one invisible, selectable marker carrying
    [zone id, code, name, value] as customdata (read back by ``selected_zone_ids``)."""
    args = dict(
        value_column=value_column,
        value_label=value_label,
        name_column=name_column,
        points=points,
        point_label_column=point_label_column,
        height=height,
        show_scale=show_scale,
    )
    if tile_url:
        return _garden_map(zones, centre_lat, centre_lon, tile_url=tile_url, **args)
    return _garden_xy(zones, centre_lat, centre_lon, **args)


def _garden_xy(
    zones,
    centre_lat,
    centre_lon,
    *,
    value_column,
    value_label,
    name_column,
    points,
    point_label_column,
    height,
    show_scale,
) -> go.Figure:
    centre = _to_utm().transform(centre_lon, centre_lat)
    shapes = [_projected_polygons(g, centre) for g in zones["geometry"]]
    if shapes:  # origin in the middle of the zones (the review page passes its sighting as centre)
        x0, y0, x1, y1 = MultiPolygon([p for parts in shapes for p in parts]).bounds
        dx, dy = (x0 + x1) / 2, (y0 + y1) / 2
        shapes = [[translate(p, -dx, -dy) for p in parts] for parts in shapes]
        centre = (centre[0] + dx, centre[1] + dy)

    values = pd.to_numeric(zones[value_column], errors="coerce").astype(float)
    low = min(0.0, float(values.min())) if values.notna().any() else 0.0
    high = float(values.max()) if values.notna().any() else 0.0
    high = high if high > low else low + 1.0
    shares = ((values.fillna(low) - low) / (high - low)).clip(0, 1).tolist()

    fig = go.Figure([_zone_fill(parts, share) for parts, share in zip(shapes, shares)])
    xs = [c for parts in shapes for p in parts for c in p.exterior.coords.xy[0]]
    ys = [c for parts in shapes for p in parts for c in p.exterior.coords.xy[1]]
    if points is not None and not points.empty:
        px, py = _project(points["lat"], points["lon"], centre)
        fig.add_trace(
            go.Scatter(
                x=px.tolist(),
                y=py.tolist(),
                mode="markers",
                marker={"size": 10, "color": "#C0392B", "line": {"color": "white", "width": 1.5}},
                text=[_esc(s) for s in points[point_label_column]],
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
            )
        )
        seen = np.isfinite(px) & np.isfinite(py)
        xs += px[seen].tolist()
        ys += py[seen].tolist()
    # the zone codes last, so sightings never hide them
    fig.add_trace(
        _zone_markers(
            zones,
            shapes,
            values,
            name_column=name_column,
            value_label=value_label,
            low=low,
            high=high,
            show_scale=show_scale and bool(shapes),
        )
    )
    if not xs:
        xs, ys = [-20.0, 20.0], [-20.0, 20.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 10.0)
    x_range, y_range = _padded_view(xs, ys, 0.06 * span + 1.0)
    scale_room = 70 if show_scale and shapes else 0
    _plain_layout(fig, x_range, y_range, height=height, bottom=scale_room + 4)
    return fig


def _zone_fill(parts: list[Polygon], share: float) -> go.Scatter:
    xs, ys = [], []
    for p in parts:
        px, py = p.exterior.coords.xy
        xs += [*px, None]
        ys += [*py, None]
    return go.Scatter(
        x=xs[:-1],
        y=ys[:-1],
        mode="lines",
        fill="toself",
        fillcolor=sample_colorscale(PLAN_SCALE, [share])[0],
        line={"color": OUTLINE, "width": 2},
        hoverinfo="skip",
        showlegend=False,
    )


def _label_spot(parts: list[Polygon]):
    """The centroid of the zone's largest part, or for a concave zone whose centroid falls
    outside, the point farthest inside it."""
    main = max(parts, key=lambda p: p.area)
    return main.centroid if main.contains(main.centroid) else polylabel(main, tolerance=0.1)


def _zone_markers(zones, shapes, values, *, name_column, value_label, low, high, show_scale) -> go.Scatter:
    """One invisible marker per zone carrying its code as text, its figures on hover, the colour
    scale, and [zone id, code, name, value] as customdata for a selection."""
    spots = [_label_spot(parts) for parts in shapes]
    custom = [
        [int(i), str(code), _esc(name), _number(value)]
        for i, code, name, value in zip(zones["id"], zones["code"], zones[name_column], values)
    ]
    return go.Scatter(
        x=[s.x for s in spots],
        y=[s.y for s in spots],
        mode="markers+text",
        text=[_esc(c) for c in zones["code"]],
        textposition="middle center",
        textfont={"size": 16, "color": "#111", "shadow": "0 0 3px #fff"},
        marker={
            "size": 34,
            "opacity": 0,
            "color": values.fillna(low).tolist(),
            "colorscale": PLAN_SCALE,
            "cmin": low,
            "cmax": high,
            "showscale": show_scale,
            "colorbar": _colour_bar(value_label),
        },
        # a selection dims the other zones' codes; the markers themselves stay invisible
        selected={"marker": {"opacity": 0}, "textfont": {"color": "#000"}},
        unselected={"marker": {"opacity": 0}, "textfont": {"color": "rgba(17,17,17,0.5)"}},
        customdata=custom,
        # without a label (the review page's highlight) the value means nothing to a reader
        hovertemplate="<b>%{customdata[1]} %{customdata[2]}</b>"
        + (f"<br>{_esc(value_label)}: %{{customdata[3]}}" if value_label else "")
        + "<extra></extra>",
        showlegend=False,
    )


def town_map(
    gardens: pd.DataFrame,
    *,
    size_column: str,
    size_label: str,
    name_column: str = "name",
    hover_columns: dict[str, str] | None = None,
    tile_url: str = "",
    height: int = 420,
) -> go.Figure:
    """Gardens as markers sized by activity, named, with their headline figures on hover."""
    hover_columns = hover_columns or {}
    sizes = gardens[size_column].astype(float)
    scale = BIGGEST_MARKER_PX / max(1.0, float(sizes.max() or 1.0))
    custom = gardens[list(hover_columns)].values if hover_columns else None
    hover = "<b>%{text}</b><br>" + "<br>".join(
        f"{_esc(label)}: %{{customdata[{i}]}}" for i, label in enumerate(hover_columns.values())
    )
    marker = {"size": (sizes * scale).clip(lower=10), "color": "#1E8449", "opacity": 0.8}
    names = [_esc(n) for n in gardens[name_column]]
    if tile_url:
        return _town_tile_map(gardens, names, marker, custom, hover, tile_url=tile_url, height=height)

    located = gardens[["centre_lat", "centre_lon"]].dropna()
    lat0, lon0 = located.mean() if len(located) else (31.2, 121.4)
    origin = _to_utm().transform(lon0, lat0)
    xs, ys = _project(gardens["centre_lat"], gardens["centre_lon"], origin)
    fig = go.Figure(
        go.Scatter(
            x=xs.tolist(),
            y=ys.tolist(),
            mode="markers+text",
            text=names,
            textposition="top center",
            textfont={"size": TOWN_FONT_PX, "color": "#111", "shadow": "0 0 3px #fff"},
            marker=marker,
            customdata=custom,
            hovertemplate=hover + "<extra></extra>",
            cliponaxis=False,
        )
    )
    seen = np.isfinite(xs) & np.isfinite(ys)
    x_range, y_range = _town_view(xs[seen], ys[seen], [n for n, ok in zip(names, seen) if ok], height)
    _plain_layout(fig, x_range, y_range, height=height, bottom=4)
    return fig


def _label_px(text: str) -> float:
    """About how wide a name is drawn: CJK characters are square, Latin ones about half as wide."""
    return sum(TOWN_FONT_PX if ord(ch) >= 0x2E80 else 0.6 * TOWN_FONT_PX for ch in html.unescape(text))


def _town_view(xs: np.ndarray, ys: np.ndarray, names: list[str], height: int) -> tuple[list, list]:
    """Ranges that keep every marker and the name centred above it inside a phone-width chart.

    Sizes are in pixels of a phone (PHONE_CHART_PX wide); the metres per pixel follow from
    whichever direction is tighter. A wider chart only adds room.
    """
    if not len(xs):
        xs, ys, names = np.zeros(1), np.zeros(1), [""]
    half_name = max(_label_px(n) for n in names) / 2
    side_px = min(0.4 * PHONE_CHART_PX, max(half_name, BIGGEST_MARKER_PX / 2) + 6)
    above_px, below_px = BIGGEST_MARKER_PX / 2 + TOWN_FONT_PX + 14, BIGGEST_MARKER_PX / 2 + 6
    span_x, span_y = float(xs.max() - xs.min()), float(ys.max() - ys.min())
    per_px = max(span_x / (PHONE_CHART_PX - 2 * side_px), span_y / (height - 8 - above_px - below_px), 1.0)
    return (
        [float(xs.min()) - side_px * per_px, float(xs.max()) + side_px * per_px],
        [float(ys.min()) - below_px * per_px, float(ys.max()) + above_px * per_px],
    )


# ------------------------------------------------------------------ online: MapLibre over tiles


def _zoom_for(extent_m: float, width_px: int = 600) -> float:
    # MapLibre (512 px tiles): metres per pixel at zoom z = 78271.517 * cos(lat) / 2^z (lat ~31.2 in Shanghai)
    extent_m = max(extent_m, 20.0)
    return max(1.0, min(21.0, math.log2(78271.517 * math.cos(math.radians(31.2)) * width_px / extent_m)))


def fit_view(
    features: list[dict], height_px: int, width_px: int = 360, padding: float = 1.25
) -> tuple[float, float, float]:
    """(centre lat, centre lon, zoom) showing every polygon whole in a phone-width chart."""
    lons = [p[0] for f in features for ring in f["geometry"]["coordinates"] for p in ring]
    lats = [p[1] for f in features for ring in f["geometry"]["coordinates"] for p in ring]
    lat0, lon0 = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    width_m = (max(lons) - min(lons)) * 111_320 * math.cos(math.radians(lat0)) * padding
    height_m = (max(lats) - min(lats)) * 110_574 * padding
    zoom = min(_zoom_for(width_m, width_px), _zoom_for(height_m, height_px))
    return lat0, lon0, zoom


def _tile_layers(tile_url: str) -> list[dict]:
    return [{"sourcetype": "raster", "source": [tile_url], "below": "traces"}]


def _garden_map(
    zones,
    centre_lat,
    centre_lon,
    *,
    value_column,
    value_label,
    name_column,
    points,
    point_label_column,
    tile_url,
    height,
    show_scale,
) -> go.Figure:
    features = []
    for r in zones.itertuples():
        features.append(
            {"type": "Feature", "id": str(r.id), "geometry": json.loads(r.geometry), "properties": {}}
        )
    fc = {"type": "FeatureCollection", "features": features}
    fig = go.Figure(
        go.Choroplethmap(
            geojson=fc,
            locations=[str(i) for i in zones["id"]],
            z=zones[value_column].astype(float),
            text=[_esc(n) for n in zones[name_column]],
            customdata=zones[["code"]].values,
            hovertemplate="<b>%{customdata[0]} %{text}</b><br>"
            + _esc(value_label or value_column)
            + ": %{z}<extra></extra>",
            colorscale="YlGn",
            marker_line_color=OUTLINE,
            marker_line_width=2,
            marker_opacity=0.75,
            colorbar=_colour_bar(value_label),
            showscale=show_scale,
        )
    )
    if points is not None and not points.empty:
        fig.add_trace(
            go.Scattermap(
                lat=points["lat"],
                lon=points["lon"],
                mode="markers",
                marker={"size": 9, "color": "#C0392B"},
                text=[_esc(s) for s in points[point_label_column]],
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
            )
        )
    # label each zone with its code at the polygon's mean corner
    labels_lat, labels_lon = [], []
    for f in features:
        ring = f["geometry"]["coordinates"][0]
        labels_lon.append(sum(p[0] for p in ring[:-1]) / (len(ring) - 1))
        labels_lat.append(sum(p[1] for p in ring[:-1]) / (len(ring) - 1))
    fig.add_trace(
        go.Scattermap(
            lat=labels_lat,
            lon=labels_lon,
            mode="text",
            text=[_esc(c) for c in zones["code"]],
            textfont={"size": 16, "color": "#111"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    scale_room = 70 if show_scale else 0
    centre_lat, centre_lon, zoom = (
        fit_view(features, height - scale_room) if features else (centre_lat, centre_lon, _zoom_for(45))
    )
    fig.update_layout(
        map={
            "style": "white-bg",
            "center": {"lat": centre_lat, "lon": centre_lon},
            "zoom": zoom,
            "layers": _tile_layers(tile_url),
        },
        margin={"l": 0, "r": 0, "t": 0, "b": scale_room},
        height=height,
    )
    return fig


def _town_tile_map(gardens, names, marker, custom, hover, *, tile_url: str, height: int) -> go.Figure:
    fig = go.Figure(
        go.Scattermap(
            lat=gardens["centre_lat"],
            lon=gardens["centre_lon"],
            mode="markers+text",
            text=names,
            textposition="top center",
            marker=marker,
            customdata=custom,
            hovertemplate=hover + "<extra></extra>",
        )
    )
    lat0, lon0 = float(gardens["centre_lat"].mean()), float(gardens["centre_lon"].mean())
    spread_m = max(
        (gardens["centre_lat"].max() - gardens["centre_lat"].min()) * 111_000,
        (gardens["centre_lon"].max() - gardens["centre_lon"].min()) * 95_000,
    )
    fig.update_layout(
        map={
            "style": "white-bg",
            "center": {"lat": lat0, "lon": lon0},
            # zoomed for a phone's width, so no garden falls off its edges
            "zoom": _zoom_for(spread_m * 1.6, PHONE_CHART_PX),
            "layers": _tile_layers(tile_url),
        },
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=height,
    )
    return fig
