"""Checklist care for experts: search, edit names and flags, add, merge a duplicate, import a CSV."""

import streamlit as st

from habitat.services import checklist
from habitat.ui import core, forms, views
from habitat.ui.core import t
from habitat.ui.safe import md_escape

ctx = core.ctx()
st.title(t("checklist.title"))
core.show_flash()
table = checklist.table(ctx)
st.caption(t("checklist.size", n=len(table)))
views.checklist_table(table)

if not ctx.can("edit_checklist"):
    st.stop()

edit_tab, add_tab, merge_tab, import_tab = st.tabs(
    [t("checklist.edit"), t("checklist.add"), t("checklist.merge"), t("checklist.import")]
)
with edit_tab:
    species_id, _ = forms.species_picker("ck_edit")
    if species_id and species_id > 0:
        row = table[table["id"] == species_id].iloc[0]
        values = views.species_form(f"ck_edit_{species_id}", row)
        if st.button(t("checklist.save"), type="primary", key=f"ck_save_{species_id}"):
            core.run(lambda: checklist.edit_species(ctx, species_id, values), t("checklist.saved"))
with add_tab:
    scientific = st.text_input(t("checklist.scientific_name"), key="ck_add_sci")
    values = views.species_form("ck_add", None)
    if st.button(t("checklist.add"), type="primary", key="ck_add_go"):
        core.run(
            lambda: checklist.add_species(ctx, values | {"scientific_name": scientific}),
            t("checklist.added", name=md_escape(scientific)),
        )
with merge_tab:
    st.caption(t("checklist.merge_help"))
    duplicate, _ = forms.species_picker("ck_dup")
    accepted, _ = forms.species_picker("ck_acc")
    if st.button(
        t("checklist.merge_go"),
        type="primary",
        key="ck_merge",
        disabled=not (duplicate and accepted and duplicate > 0 and accepted > 0),
    ):
        core.run(
            lambda: checklist.merge_species(ctx, duplicate, accepted),
            lambda moved: t("checklist.merged", n=moved),
        )
with import_tab:
    st.caption(t("checklist.import_help"))
    upload = core.file_uploader(
        t("checklist.csv_file"), button="files.pick_button", type=["csv", "txt"], key="ck_csv"
    )
    if upload is not None and st.button(t("checklist.import_go"), type="primary", key="ck_import"):
        result = core.attempt(lambda: checklist.import_checklist_csv(ctx, upload.getvalue()))
        if result is not core.FAILED and result.errors:
            st.error(t("checklist.import_errors", n=len(result.errors)))
            for line, message in result.errors:
                st.text(t("checklist.row_error", line=line, message=message))
        elif result is not core.FAILED:
            core.done(t("checklist.imported", added=result.added, updated=result.updated))
