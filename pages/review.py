"""Expert review: the queue (own groups by default, oldest first), one-click and bulk decisions, questions."""

import streamlit as st

from habitat.domain import verification as v
from habitat.services import overview, review
from habitat.ui import core, review_views, views
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("review.title"))
core.show_flash()

records_tab, questions_tab = st.tabs([t("review.records_tab"), t("review.questions_tab")])
with records_tab:
    gardens = overview.gardens(ctx)
    f = review_views.filters(ctx, gardens)
    groups = list(f.groups)
    counts = review.status_counts(ctx, groups)
    views.status_count_row(counts)
    queue = review.queue(ctx, f)
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
