"""Expert review: the queue (own groups by default, oldest first), one-click and bulk decisions, questions."""

import streamlit as st

from habitat.domain import verification as v
from habitat.services import checklist, overview, review
from habitat.ui import core, review_views, views
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("review.title"))
core.show_flash()

records_tab, questions_tab = st.tabs([t("review.records_tab"), t("review.questions_tab")])
with records_tab:
    gardens = overview.gardens(ctx)
    with st.expander(t("review.filters"), expanded=False):
        groups = st.multiselect(t("review.groups"), list(checklist.GROUPS), default=list(ctx.user.expertise),
                                format_func=lambda g: t("group." + g), key="review_groups")
        garden = st.selectbox(t("common.garden"), [None] + list(gardens["id"]), key="review_garden",
                              format_func=lambda i: t("review.all_gardens") if i is None else gardens.set_index("id").loc[i, "name"])
        status = st.selectbox(t("col.status"), v.STATUSES, index=v.STATUSES.index(v.UNCONFIRMED_NOT_REVIEWED),
                              format_func=views.status_label, key="review_status")
        photo = st.segmented_control(t("review.has_photo"), [True, False], format_func=lambda b: t("review.with_photo" if b else "review.without_photo"), key="review_photo")
        min_age = st.number_input(t("review.min_age"), min_value=0, max_value=3650, value=0, key="review_age")
    counts = review.status_counts(ctx, groups)
    views.status_count_row(counts)
    queue = review.queue(ctx, review.QueueFilter(statuses=(status,), groups=tuple(groups), garden_id=garden, has_photo=photo, min_age_days=min_age or None))
    st.caption(t("review.queue_size", n=len(queue)))
    if queue.empty:
        st.success(t("review.queue_empty"))
        st.stop()
    selection = review_views.queue_table(queue)
    picked = list(selection.selection.rows) if selection else []
    if picked:
        chosen = queue.iloc[picked]
        if st.button(t("review.bulk_accept", n=len(chosen)), type="primary", key="review_bulk"):
            result = review.bulk_decide(ctx, list(zip(chosen["id"].astype(int), chosen["version"].astype(int))), v.ACCEPTED_CORRECT)
            core.flash("success" if not result.conflicts else "warning",
                       t("review.bulk_done", n=len(result.decided), conflicts=", ".join(f"#{i}" for i in result.conflicts) or "—"))
            st.rerun()
    current = int(queue.iloc[picked[0]]["id"]) if picked else int(queue.iloc[0]["id"])
    rec = review.record(ctx, current)
    left, right = st.columns([3, 2])
    with left:
        review_views.record_panel(ctx, rec)
    with right:
        review_views.decision_buttons(ctx, rec)

with questions_tab:
    review_views.questions_panel(ctx)
