"""Garden plan and town map as plotly figures that render offline."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go

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
    """Zone polygons coloured by an activity column, with optional sighting points."""
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
            text=zones[name_column],
            customdata=zones[["code"]].values,
            hovertemplate="<b>%{customdata[0]} %{text}</b><br>"
            + (value_label or value_column)
            + ": %{z}<extra></extra>",
            colorscale="YlGn",
            marker_line_color="#1B4F2A",
            marker_line_width=2,
            marker_opacity=0.75,
            # under the plan, not beside it: on a 390 px phone a side bar takes a third of the width
            colorbar={"title": {"text": value_label, "side": "top"}, "thickness": 10, "orientation": "h",
                      "y": -0.02, "yanchor": "top", "len": 0.9},
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
                text=points[point_label_column],
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
            text=[f"{c}" for c in zones["code"]],
            textfont={"size": 16, "color": "#111"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    layers = [{"sourcetype": "raster", "source": [tile_url], "below": "traces"}] if tile_url else []
    scale_room = 70 if show_scale else 0
    centre_lat, centre_lon, zoom = (
        fit_view(features, height - scale_room) if features else (centre_lat, centre_lon, _zoom_for(45))
    )
    fig.update_layout(
        map={
            "style": "white-bg",
            "center": {"lat": centre_lat, "lon": centre_lon},
            "zoom": zoom,
            "layers": layers,
        },
        margin={"l": 0, "r": 0, "t": 0, "b": scale_room},
        height=height,
    )
    return fig


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
    """Gardens as markers sized by activity, with their headline figures on hover."""
    hover_columns = hover_columns or {}
    sizes = gardens[size_column].astype(float)
    scale = 40.0 / max(1.0, float(sizes.max() or 1.0))
    custom = gardens[list(hover_columns)].values if hover_columns else None
    hover = "<b>%{text}</b><br>" + "<br>".join(
        f"{label}: %{{customdata[{i}]}}" for i, label in enumerate(hover_columns.values())
    )
    fig = go.Figure(
        go.Scattermap(
            lat=gardens["centre_lat"],
            lon=gardens["centre_lon"],
            mode="markers+text",
            text=gardens[name_column],
            textposition="top center",
            marker={"size": (sizes * scale).clip(lower=10), "color": "#1E8449", "opacity": 0.8},
            customdata=custom,
            hovertemplate=hover + "<extra></extra>",
        )
    )
    lat0, lon0 = float(gardens["centre_lat"].mean()), float(gardens["centre_lon"].mean())
    spread_m = max(
        (gardens["centre_lat"].max() - gardens["centre_lat"].min()) * 111_000,
        (gardens["centre_lon"].max() - gardens["centre_lon"].min()) * 95_000,
    )
    layers = [{"sourcetype": "raster", "source": [tile_url], "below": "traces"}] if tile_url else []
    fig.update_layout(
        map={
            "style": "white-bg",
            "center": {"lat": lat0, "lon": lon0},
            "zoom": _zoom_for(spread_m * 1.6),
            "layers": layers,
        },
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=height,
    )
    return fig
