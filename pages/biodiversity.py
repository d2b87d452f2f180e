"""Biodiversity: richness over time, new species, groups, phenology, effort, diversity, zones and upkeep."""

import streamlit as st

from habitat.charts import dashboard as charts
from habitat.charts.maps import garden_plan
from habitat.services import dashboard, overview
from habitat.ui import core, dash_views
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape

NO_TOOLBAR = {"displayModeBar": False}

ctx = core.ctx()
st.title(t("bio.title"))
core.show_flash()
gardens = overview.gardens(ctx)
garden_id, label, month_start, month_end = dash_views.scope_and_month(ctx, gardens, default_previous=True)
accepted_only = st.toggle(
    t("bio.accepted_only"), value=dashboard.ACCEPTED_ONLY_DEFAULT, key="bio_accepted"
)  # the report's basis by default: the same month shows the same species count on both
year_start = month_start.replace(year=month_start.year - 1)
st.caption(
    t(
        "bio.scope",
        scope=md_escape(label),
        start=core.month_text(year_start),
        end=core.month_text(month_start),
        which=t("bio.accepted") if accepted_only else t("bio.all_but_rejected"),
    )
)

bio = dashboard.biodiversity(ctx, garden_id, year_start, month_end, accepted_only)
month = dashboard.biodiversity(ctx, garden_id, month_start, month_end, accepted_only)
cols = st.columns(3)
cols[0].metric(t("bio.species_12m"), len(bio.species))
cols[1].metric(t("bio.species_month"), len(month.species))
cols[2].metric(t("bio.new_month"), int(month.species["new"].sum()) if not month.species.empty else 0)
st.plotly_chart(
    charts.richness_over_time(
        bio.richness,
        title=t("bio.richness_chart"),
        species_label=t("dash.species"),
        effort_label=t("bio.per_observer_hour"),
        lang=core.lang(),
    ),
    key="bio_richness",
    config=NO_TOOLBAR,
)
st.subheader(t("bio.new_species"))
dash_views.species_table(month.species, only_new=True)
st.plotly_chart(
    charts.group_breakdown(
        bio.groups, title=t("bio.groups"), labels={g: t("group." + g) for g in bio.groups["group_name"]}
    ),
    key="bio_groups",
    config=NO_TOOLBAR,
)
if not bio.phenology.empty:
    st.plotly_chart(
        charts.phenology_heatmap(
            bio.phenology.rename(index=chart_text),
            title=t("bio.phenology"),
            month_labels=dash_views.month_labels(),
        ),
        key="bio_phenology",
        config=NO_TOOLBAR,
    )

st.subheader(t("bio.compare"))
table, curves = dashboard.diversity_by_garden(ctx, year_start, month_end, accepted_only)
dash_views.diversity_table(table)
if curves:
    st.plotly_chart(
        charts.accumulation(
            curves,
            dict(zip(gardens["slug"], gardens["name"].map(chart_text))),
            title=t("bio.accumulation"),
            x_label=t("bio.visits"),
            y_label=t("dash.species"),
        ),
        key="bio_accumulation",
        config=NO_TOOLBAR,
    )

if garden_id is not None:
    st.subheader(t("bio.zones"))
    garden = overview.garden_place(ctx, gardens.set_index("id").loc[garden_id, "slug"])
    zones = dashboard.zones_view(ctx, garden_id, year_start, month_end, accepted_only)
    metric = (
        st.segmented_control(
            t("bio.colour_by"),
            ["species", "records", "task_logs"],
            default="species",
            format_func=lambda m: t("bio.metric_" + m),
            key="bio_metric",
        )
        or "species"
    )
    zones["label"] = core.pick(zones["name"], zones["name_en"])
    zones["chart_label"] = zones["label"].map(chart_text)
    picked = st.plotly_chart(
        garden_plan(
            zones,
            garden.centre_lat,
            garden.centre_lon,
            value_column=metric,
            value_label=t("bio.metric_" + metric),
            name_column="chart_label",
            tile_url=ctx.config.tile_url,
        ),
        on_select="rerun",
        selection_mode="points",
        key="bio_zone_map",
        config={"displayModeBar": False},
    )
    dash_views.zone_life_table(zones, dash_views.selected_zone_ids(picked))
    when = st.date_input(t("bio.before_after_date"), value=month_start.date().replace(day=1), key="bio_pivot")
    dash_views.before_after_table(dashboard.before_after(ctx, garden_id, when, 90, accepted_only))
