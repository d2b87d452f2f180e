"""Committee dashboard: is each garden kept up, and who does the work? (one garden or the whole town)"""

import streamlit as st

from habitat.charts import dashboard as charts
from habitat.charts.maps import town_map
from habitat.services import dashboard, overview
from habitat.ui import core, dash_views, meeting_views, state
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape

NO_TOOLBAR = {"displayModeBar": False}

ctx = core.ctx()
st.title(t("dash.title"))
core.show_flash()
garden_id, label, start, end = dash_views.scope_and_month(ctx, overview.gardens(ctx))
st.caption(t("dash.scope", scope=md_escape(label), month=core.month_text(start)))

# keyed and lazy: only the open tab's figures are computed on a rerun (a quarter of the work), and the
# page stays on its tab after a click inside it
upkeep_tab, hours_tab, town_tab, report_tab = st.tabs(
    [t("dash.upkeep_tab"), t("dash.hours_tab"), t("dash.town_tab"), t("dash.report_tab")],
    key=state.DASH_TAB,
    on_change="rerun",
)
if upkeep_tab.open:
    with upkeep_tab:
        summary = dashboard.upkeep_summary(ctx, garden_id, start, end)
        dash_views.due_summary(summary.due)
        st.plotly_chart(
            charts.on_time_rate(summary.on_time, title=t("dash.on_time"), lang=core.lang()),
            key="dash_on_time",
            config=NO_TOOLBAR,
        )
        st.plotly_chart(
            charts.work_by_kind(
                summary.work_by_kind, title=t("dash.work_by_kind"), labels=dash_views.task_labels()
            ),
            key="dash_work",
            config=NO_TOOLBAR,
        )
        dash_views.problems_age(summary.problems)
        meeting_views.followup_overview(ctx, garden_id)  # meeting decisions: decided / done / overdue
        dash_views.review_age(summary.review_age)
        dash_views.auto_accept_switch(ctx)

if hours_tab.open:
    with hours_tab:
        hours = dashboard.hours(ctx, garden_id, start, end)
        dash_views.hours_table(hours)
        if not hours.empty:
            st.plotly_chart(
                charts.hours_by_person(
                    hours.assign(person=hours["person"].map(chart_text)), title=t("dash.hours_chart")
                ),
                key="dash_hours",
                config=NO_TOOLBAR,
            )
            left, right = st.columns(2)
            name = f"volunteer-hours-{start.strftime('%Y-%m')}"
            # built now (a few dozen rows), not deferred: see dash_views.report_section
            left.download_button(
                t("dash.download_csv"),
                dashboard.hours_export(hours, "csv"),
                f"{name}.csv",
                "text/csv",
                width="stretch",
                on_click="ignore",
            )
            right.download_button(
                t("dash.download_xlsx"),
                dashboard.hours_export(hours, "xlsx"),
                f"{name}.xlsx",
                width="stretch",
                on_click="ignore",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        st.subheader(t("dash.regulars"))
        dash_views.regulars_table(dashboard.regulars(ctx, garden_id))

if town_tab.open:
    with town_tab:
        town = dashboard.town(ctx, start, end)
        town_labels = town.assign(chart_label=core.pick(town["name"], town["name_en"]).map(chart_text))
        st.plotly_chart(
            town_map(
                town_labels,
                size_column="records",
                size_label=t("dash.records"),
                name_column="chart_label",
                hover_columns={
                    "records": t("dash.records"),
                    "species": t("dash.species"),
                    "task_logs": t("dash.task_logs"),
                    "open_problems": t("home.open_problems"),
                },
                tile_url=ctx.config.tile_url,
            ),
            config={"displayModeBar": False, "scrollZoom": False},
            key="dash_town_map",
        )
        dash_views.town_table(town)

if report_tab.open:
    with report_tab:
        gardens = overview.gardens(ctx)
        slug = None if garden_id is None else gardens.set_index("id").loc[garden_id, "slug"]
        dash_views.report_section(ctx, slug, start)
