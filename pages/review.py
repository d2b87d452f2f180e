"""Expert review: the queue (own groups by default, oldest first), one-click and bulk decisions, questions."""

import streamlit as st

from habitat.services import overview, review
from habitat.ui import core, review_views, views
from habitat.ui.core import t

ctx = core.ctx()
st.title(t("review.title"))
core.show_flash()
review_views.show_refused()

questions_label = t("review.questions_tab")
records_tab, questions_tab = st.tabs(
    [t("review.records_tab"), questions_label],
    default=questions_label if st.query_params.get("tab") == "questions" else None,  # from home
)
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
    else:
        selection = review_views.queue_table(queue)
        picked = [row for row in (selection.selection.rows if selection else []) if row < len(queue)]
        if picked:
            review_views.bulk_accept_button(queue.iloc[picked])
        position = picked[0] if picked else review_views.queue_position(len(queue))
        rec = review.record(ctx, int(queue.iloc[position]["id"]))
        left, right = st.columns([3, 2])
        with left:
            review_views.record_panel(ctx, rec)
        with right:
            review_views.decision_buttons(ctx, rec)

with questions_tab:
    review_views.questions_panel(ctx)
