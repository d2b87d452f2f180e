"""A garden: its zone plan coloured by recent activity, its features and recent sightings."""

import streamlit as st

from habitat.charts.maps import garden_plan
from habitat.services import overview
from habitat.ui import core, views
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape
from habitat.ui.partner_views import garden_partners_section  # partners and what they did here

ctx = core.ctx()
core.show_flash()
slug = views.garden_picker(ctx, sidebar=False)
garden = overview.garden_view(ctx, slug)
name = core.pick(garden.name, garden.name_en)

st.title(md_escape(name))
st.caption(
    t(
        "garden.caption",
        town=md_escape(garden.town),
        area=round(garden.area_m2),
        theme=md_escape(garden.theme) if core.lang() == "zh" else "",
    )
)
zones = garden.zones.copy()
zones["label"] = core.pick(zones["name"], zones["name_en"])
points = garden.recent.dropna(subset=["lat", "lon"]).copy()
points["label"] = views.species_labels(points).map(chart_text)
st.plotly_chart(
    garden_plan(
        zones.assign(chart_label=zones["label"].map(chart_text)),
        garden.centre_lat,
        garden.centre_lon,
        value_column="sightings",
        value_label=t("garden.sightings_30d"),
        name_column="chart_label",
        points=points,
        tile_url=ctx.config.tile_url,
    ),
    config={"displayModeBar": False, "scrollZoom": False},
    key="garden_plan",
)
views.zone_table(zones)
if garden.recent["generalised"].any():
    st.caption(t("garden.generalised_note"))
st.subheader(t("garden.features"))
views.features_table(garden.features)
st.subheader(t("garden.recent"))
views.sightings_table(garden.recent, with_garden=False)
garden_partners_section(ctx, garden.id)  # events: the garden's partners and what they did
