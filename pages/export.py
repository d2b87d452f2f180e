"""Export records: a Darwin Core Archive for GBIF and partners, or CSV / GeoJSON / Parquet tables."""

import streamlit as st

from habitat.services import exports, overview
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("export.title"))
core.show_flash()
st.caption(t("export.intro"))
gardens = overview.gardens(ctx)
slug = st.selectbox(
    t("export.garden_label"),
    [None] + list(gardens["slug"]),
    key="export_garden",
    format_func=lambda s: t("export.all_gardens") if s is None else gardens.set_index("slug").loc[s, "name"],
)
since = forms.optional_date(
    t("export.since_label"),
    known=t("export.since_known"),
    value=None,
    default=ctx.now().date().replace(month=1, day=1),
    max_value=ctx.now().date(),
    key="export_since",
)
status = (
    st.segmented_control(
        t("export.status_label"),
        ["accepted", "all"],
        default="accepted",
        key="export_status",
        format_func=lambda s: t("export.status_" + s),
    )
    or "accepted"
)
exact = (
    st.checkbox(t("export.exact_label"), help=t("export.exact_help"), key="export_exact")
    if ctx.can("export_exact")
    else False
)
kind = (
    st.segmented_control(
        t("export.format_label"),
        ["dwca", "csv", "geojson", "parquet"],
        default="dwca",
        key="export_kind",
        format_func=lambda k: {
            "dwca": "Darwin Core (ZIP)",
            "csv": "CSV",
            "geojson": "GeoJSON",
            "parquet": "Parquet",
        }[k],
    )
    or "dwca"
)

if st.button(
    t("export.dwca_button") if kind == "dwca" else t("export.table_button"),
    type="primary",
    width="stretch",
    key="export_go",
):
    bar = st.progress(0.0)
    built = core.attempt(
        lambda: exports.build(
            ctx,
            kind,
            garden_slug=slug,
            since=since,
            status=status,
            exact=exact,
            progress=lambda f, label: bar.progress(min(1.0, f), text=label),
        )
    )
    if built is not core.FAILED:
        st.session_state[state.EXPORT_READY] = built
    bar.empty()

ready = st.session_state.get(state.EXPORT_READY)
if ready:
    data, name, summary = ready
    st.success(t("export.done", records=summary.get("records", 0)))
    if summary.get("generalised"):
        st.caption(t("export.generalised_note", count=summary["generalised"]))
    if summary.get("skipped_unidentified"):
        st.caption(t("export.skipped_note", count=summary["skipped_unidentified"]))
    if summary.get("exact"):
        st.warning(t("export.exact_warning"))
    st.download_button(
        f"{t('export.download')} {md_escape(name)}",
        data,
        name,
        width="stretch",
        on_click="ignore",
        key="export_download",
    )
