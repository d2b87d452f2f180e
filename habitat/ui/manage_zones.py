"""The management page's zones tab: the zone plan and table, editing a zone and its vertices,
importing zones from a file, and adding one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.charts.maps import garden_plan
from habitat.services import zone_import
from habitat.services import zones as zones_service
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.manage_common import confirmed_button, name_label
from habitat.ui.safe import cell_text
from habitat.ui.safe import chart_text, md_escape

IMPORT_TYPES = ["geojson", "json", "gpkg", "kml"]


def _zone_kind(key: str, value: str | None = None) -> str:
    kinds = list(zones_service.ZONE_KINDS)
    return st.selectbox(
        t("col.kind"),
        kinds,
        index=kinds.index(value) if value in kinds else 0,
        format_func=lambda k: t("zone." + k),
        key=key,
    )


def zones_tab(ctx, current: pd.Series) -> None:
    garden_id = int(current["id"])
    zones = zones_service.zones(ctx, garden_id)
    if zones.empty:
        st.info(t("manage.no_zones"))
    else:
        zones["label"] = [name_label(r) for r in zones.to_dict("records")]
        st.plotly_chart(
            garden_plan(
                zones.assign(chart_label=zones["label"].map(chart_text)),
                float(current["centre_lat"]),
                float(current["centre_lon"]),
                value_column="area_m2",
                value_label=t("col.area"),
                name_column="chart_label",
                tile_url=ctx.config.tile_url,
                height=360,
            ),
            config={"displayModeBar": False, "scrollZoom": False},
            key="manage_zone_plan",
        )
        core.table(
            pd.DataFrame(
                {
                    t("col.code"): zones["code"],
                    t("col.zone"): zones["label"],
                    t("col.kind"): zones["kind"].map(lambda k: t("zone." + k)),
                    t("col.area"): zones["area_m2"].round(0).astype("Int64"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        _zone_editor(ctx, zones)
    _zone_import(ctx, garden_id)
    _zone_add(ctx, garden_id)


def _zone_editor(ctx, zones: pd.DataFrame) -> None:
    st.subheader(t("manage.edit_zone"))
    zone_id = forms.zone_select(zones, "manage_zone_pick", allow_none=False)
    row = zones[zones["id"] == zone_id].iloc[0]
    n = core.form_generation(state.manage_form("zone_edit"))
    with st.form(f"manage_zone_edit_{zone_id}_{n}", enter_to_submit=False):
        name = st.text_input(t("manage.zone_name"), value=row["name"], key=f"manage_zedit{zone_id}_{n}_name")
        name_en = st.text_input(
            t("manage.name_en"), value=cell_text(row["name_en"]), key=f"manage_zedit{zone_id}_{n}_en"
        )
        kind = _zone_kind(f"manage_zedit{zone_id}_{n}_kind", row["kind"])
        submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
    if submitted:
        core.run(
            lambda: zones_service.update_zone(ctx, zone_id, name=name, name_en=name_en, kind=kind),
            t("manage.saved"),
            form=state.manage_form("zone_edit"),
        )

    st.markdown(f"**{t('manage.vertices')}**")
    st.caption(t("manage.vertices_help"))
    vn = core.form_generation(state.manage_form("vertices"))
    edited = st.data_editor(
        zones_service.zone_vertices(ctx, zone_id),
        num_rows="dynamic",
        key=f"manage_vx_{zone_id}_{vn}",
        width="stretch",
        column_config={
            "lon": st.column_config.NumberColumn(t("manage.lon"), format="%.7f", step=0.0000001),
            "lat": st.column_config.NumberColumn(t("manage.lat"), format="%.7f", step=0.0000001),
        },
    )
    if st.button(t("manage.save_vertices"), key=f"manage_vx_save_{zone_id}", type="primary", width="stretch"):
        core.run(
            lambda: zones_service.set_zone_vertices(ctx, zone_id, edited),
            lambda r: t("manage.vertices_saved", area=round(r["area_m2"])),
            form=state.manage_form("vertices"),
        )
    if confirmed_button(t("manage.deactivate_zone"), f"manage_zdeact_{zone_id}"):
        core.run(lambda: zones_service.deactivate_zone(ctx, zone_id), t("manage.deactivated"))


def _zone_import(ctx, garden_id: int) -> None:
    with st.expander(t("manage.import_zones")):
        st.caption(t("manage.import_help"))
        n = core.form_generation(state.manage_form("import"))
        upload = core.file_uploader(
            t("manage.import_file"),
            button="files.pick_button",
            type=IMPORT_TYPES,
            key=f"manage_import{n}_file",
        )
        replace = st.checkbox(
            t("manage.import_replace"), key=f"manage_import{n}_replace", help=t("manage.import_replace_help")
        )
        gcj02 = st.checkbox(t("manage.gcj02"), key=f"manage_import{n}_gcj02", help=t("manage.gcj02_help"))
        default_kind = _zone_kind(f"manage_import{n}_kind", "lawn")
        st.caption(t("manage.import_default_kind"))
        if st.button(
            t("manage.import"),
            key=f"manage_import{n}_go",
            type="primary",
            width="stretch",
            disabled=upload is None,
        ):
            core.run(
                lambda: zone_import.import_zones(
                    ctx,
                    garden_id,
                    upload.name,
                    upload.getvalue(),
                    replace,
                    coords_are_gcj02=gcj02,
                    default_kind=default_kind,
                ),
                lambda r: t(
                    "manage.imported",
                    created=len(r.created),
                    updated=len(r.updated),
                    deactivated=len(r.deactivated),
                ),
                form=state.manage_form("import"),
            )


def _zone_add(ctx, garden_id: int) -> None:
    with st.expander(t("manage.add_zone")):
        n = core.form_generation(state.manage_form("zone_new"))
        with st.form(f"manage_zone_new_{n}", enter_to_submit=False):
            code = st.text_input(t("col.code"), key=f"manage_znew{n}_code", max_chars=8)
            name = st.text_input(t("manage.zone_name"), key=f"manage_znew{n}_name")
            name_en = st.text_input(t("manage.name_en"), key=f"manage_znew{n}_en")
            kind = _zone_kind(f"manage_znew{n}_kind")
            geometry = st.text_area(
                t("manage.geometry"), key=f"manage_znew{n}_geom", help=t("manage.geometry_help")
            )
            submitted = st.form_submit_button(t("manage.add_zone"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: zones_service.add_zone(ctx, garden_id, code, name, name_en, kind, geometry),
                t("manage.zone_added", code=md_escape(code.strip().upper())),
                form=state.manage_form("zone_new"),
            )
