"""The residents' committee's management area: gardens, zones, features, tasks, people, problems, audit.

Widgets live in habitat.ui.manage_* (one module per tab, shared pieces in manage_common); every change
goes through the service of its concept (habitat.services.gardens, zones, zone_import, features, upkeep,
people, community, audit_log), which checks the role again (the navigation only hides this page from
other roles).
"""

import streamlit as st

from habitat.services import gardens as gardens_service
from habitat.ui import (
    core,
    manage_audit,
    manage_features,
    manage_gardens,
    manage_people,
    manage_problems,
    manage_tasks,
    manage_zones,
    state,
)
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("manage.title"))
core.show_flash()
if not ctx.can("manage_gardens"):
    st.warning(t("manage.committee_only"))
    st.stop()

gardens = gardens_service.gardens(ctx)
current = manage_gardens.garden_choice(ctx, gardens)
labels = [
    t("manage.tab_gardens"),
    t("manage.tab_zones"),
    t("manage.tab_features"),
    t("manage.tab_tasks"),
    t("manage.tab_people"),
    t("manage.tab_problems"),
    t("manage.tab_audit"),
]
tab_names = ["gardens", "zones", "features", "tasks", "people", "problems", "audit"]
# keyed: after an action (switch someone off, save a task) the page stays on the tab it was on
tabs = dict(zip(tab_names, st.tabs(labels, key=state.MANAGE_TAB, on_change="rerun")))

with tabs["gardens"]:
    manage_gardens.gardens_tab(ctx, gardens, current)
for name, show in (
    ("zones", manage_zones.zones_tab),
    ("features", manage_features.features_tab),
    ("tasks", manage_tasks.tasks_tab),
):
    with tabs[name]:
        if current is None:
            st.info(t("manage.no_gardens"))
        else:
            show(ctx, current)
with tabs["people"]:
    manage_people.people_tab(ctx, gardens)
with tabs["problems"]:
    manage_problems.problems_tab(ctx, current)
with tabs["audit"]:
    manage_audit.audit_tab(ctx)
