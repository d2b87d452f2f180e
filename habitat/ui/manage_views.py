"""Pieces of the committee's management page: one function per tab.

Session-state keys of this page all start with "manage_" (state.manage_form). Forms keep what was
typed when a service refuses it; after a success the form's generation moves on, which empties it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from habitat.domain import recurrence
from habitat.charts.maps import garden_plan
from habitat.clock import local
from habitat.services import audit_log, community, features, upkeep, zone_import
from habitat.services import gardens as gardens_service
from habitat.services import people as people_service
from habitat.services import zones as zones_service
from habitat.ui import core, forms, state
from habitat.ui.core import t
from habitat.ui.safe import chart_text, md_escape

IMPORT_TYPES = ["geojson", "json", "gpkg", "kml"]
DEFAULT_TOWN = "新泾镇"


# ---------------------------------------------------------------- shared helpers


def _label(row) -> str:
    """A garden's or zone's name in the reader's language."""
    return str(core.pick(row["name"], row.get("name_en")))


def _str(value) -> str:
    """A text cell of a DataFrame ('' for None / NaN)."""
    return value if isinstance(value, str) else ""


def _provides_label(item: str) -> str:
    return {
        "food": t("manage.provides_food"),
        "water": t("manage.provides_water"),
        "shelter": t("manage.provides_shelter"),
    }[item]


def _date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _confirmed_button(label: str, key: str) -> bool:
    """A destructive action needs a tick first."""
    sure = st.checkbox(t("manage.confirm"), key=f"{key}_sure")
    return st.button(label, key=key, disabled=not sure, width="stretch")


def _zone_input(key: str, zones: pd.DataFrame, row: dict | None) -> int | None:
    """A zone of the garden, or the whole garden (None), preset to the row's zone."""
    ids = [None] + [int(i) for i in zones["id"]]
    names = {int(r["id"]): f"{r['code']} · {_label(r)}" for r in zones.to_dict("records")}
    current = None if row is None or pd.isna(row.get("zone_id")) else int(row["zone_id"])
    return st.selectbox(
        t("common.zone"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=lambda i: t("manage.whole_garden") if i is None else names[i],
        key=key,
    )


def garden_choice(ctx, gardens: pd.DataFrame) -> pd.Series | None:
    """The garden the other tabs work on (shares the choice with the other pages)."""
    if gardens.empty:
        return None
    slugs = list(gardens["slug"])
    names = {r["slug"]: _label(r) for r in gardens.to_dict("records")}
    if st.session_state.get(state.GARDEN) not in slugs:
        st.session_state[state.GARDEN] = slugs[0]
    slug = st.selectbox(t("common.garden"), slugs, format_func=names.get, key=state.GARDEN)
    return gardens[gardens["slug"] == slug].iloc[0]


# ---------------------------------------------------------------- gardens


def _garden_inputs(prefix: str, row: dict | None) -> dict:
    def val(name, default=None):
        return default if row is None or row.get(name) is None or pd.isna(row.get(name)) else row[name]

    values = {
        "name": st.text_input(t("manage.garden_name"), value=val("name", ""), key=f"{prefix}_name"),
        "name_en": st.text_input(t("manage.name_en"), value=val("name_en", ""), key=f"{prefix}_name_en"),
        "town": st.text_input(t("manage.town"), value=val("town", DEFAULT_TOWN), key=f"{prefix}_town"),
        "district": st.text_input(t("manage.district"), value=val("district", ""), key=f"{prefix}_district"),
        "theme": st.text_input(t("manage.theme"), value=val("theme", ""), key=f"{prefix}_theme"),
        "centre_lat": st.number_input(
            t("manage.lat"), value=val("centre_lat"), format="%.6f", step=0.00001, key=f"{prefix}_lat"
        ),
        "centre_lon": st.number_input(
            t("manage.lon"), value=val("centre_lon"), format="%.6f", step=0.00001, key=f"{prefix}_lon"
        ),
        "coords_are_gcj02": st.checkbox(
            t("manage.gcj02"), value=False, key=f"{prefix}_gcj02", help=t("manage.gcj02_help")
        ),
        "area_m2": st.number_input(
            t("manage.garden_area"), value=val("area_m2"), min_value=0.0, step=10.0, key=f"{prefix}_area"
        ),
    }
    return values


def gardens_tab(ctx, gardens: pd.DataFrame, current: pd.Series | None) -> None:
    if not gardens.empty:
        st.dataframe(
            pd.DataFrame(
                {
                    t("manage.garden_name"): [_label(r) for r in gardens.to_dict("records")],
                    t("manage.slug"): gardens["slug"],
                    t("manage.town"): gardens["town"],
                    t("col.area"): gardens["area_m2"].round(0).astype("Int64"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander(t("manage.new_garden"), expanded=gardens.empty):
        n = core.form_generation(state.manage_form("garden_new"))
        with st.form(f"manage_garden_new_{n}"):
            slug = st.text_input(t("manage.slug"), key=f"manage_gnew{n}_slug", help=t("manage.slug_help"))
            values = _garden_inputs(f"manage_gnew{n}", None)
            submitted = st.form_submit_button(t("manage.create_garden"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: gardens_service.create_garden(ctx, slug, **values),
                t("manage.garden_created", slug=md_escape(slug)),
                form=state.manage_form("garden_new"),
            )
    if current is None:
        return
    garden_id = int(current["id"])
    with st.expander(t("manage.edit_garden", name=md_escape(_label(current)))):
        row = gardens_service.garden(ctx, garden_id)
        n = core.form_generation(state.manage_form("garden_edit"))
        with st.form(f"manage_garden_edit_{garden_id}_{n}"):
            values = _garden_inputs(f"manage_gedit{garden_id}_{n}", row)
            submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: gardens_service.update_garden(ctx, garden_id, **values),
                t("manage.saved"),
                form=state.manage_form("garden_edit"),
            )
        st.caption(t("manage.deactivate_garden_help"))
        if _confirmed_button(t("manage.deactivate_garden"), f"manage_gdeact_{garden_id}"):
            core.run(lambda: gardens_service.deactivate_garden(ctx, garden_id), t("manage.deactivated"))


# ---------------------------------------------------------------- zones


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
        zones["label"] = [_label(r) for r in zones.to_dict("records")]
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
        st.dataframe(
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
    with st.form(f"manage_zone_edit_{zone_id}_{n}"):
        name = st.text_input(t("manage.zone_name"), value=row["name"], key=f"manage_zedit{zone_id}_{n}_name")
        name_en = st.text_input(
            t("manage.name_en"), value=_str(row["name_en"]), key=f"manage_zedit{zone_id}_{n}_en"
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
    if _confirmed_button(t("manage.deactivate_zone"), f"manage_zdeact_{zone_id}"):
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
        with st.form(f"manage_zone_new_{n}"):
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


# ---------------------------------------------------------------- habitat features


def _feature_inputs(prefix: str, zones: pd.DataFrame, row: dict | None) -> dict:
    kinds, conditions = list(features.FEATURE_KINDS), list(features.CONDITIONS)
    provides = [] if row is None else [p for p in _str(row.get("provides")).split("|") if p]
    return {
        "name": st.text_input(
            t("manage.feature_name"), value="" if row is None else row["name"], key=f"{prefix}_name"
        ),
        "kind": st.selectbox(
            t("col.kind"),
            kinds,
            index=kinds.index(row["kind"]) if row else 0,
            format_func=lambda k: t("feature." + k),
            key=f"{prefix}_kind",
        ),
        "zone_id": _zone_input(f"{prefix}_zone", zones, row),
        "condition": st.selectbox(
            t("col.condition"),
            conditions,
            index=conditions.index(row["condition"]) if row else 0,
            format_func=lambda c: t("condition." + c),
            key=f"{prefix}_condition",
        ),
        "provides": st.multiselect(
            t("manage.provides"),
            list(features.PROVIDES),
            default=provides,
            format_func=lambda p: _provides_label(p),
            key=f"{prefix}_provides",
        ),
        "note": st.text_input(
            t("manage.note"), value="" if row is None else _str(row.get("note")), key=f"{prefix}_note"
        ),
        "checked_on": st.date_input(
            t("manage.checked_on"),
            value=None if row is None else _date(row.get("checked_on")),
            key=f"{prefix}_checked",
        ),
    }


def features_tab(ctx, current: pd.Series) -> None:
    garden_id = int(current["id"])
    feats = features.features(ctx, garden_id)
    zones = zones_service.zones(ctx, garden_id)
    if feats.empty:
        st.info(t("common.nothing_yet"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.feature"): feats["name"],
                    t("col.kind"): feats["kind"].map(lambda k: t("feature." + k)),
                    t("col.zone"): feats["zone_code"].fillna("—"),
                    t("col.condition"): feats["condition"].map(lambda c: t("condition." + c)),
                    t("manage.provides"): feats["provides"]
                    .fillna("")
                    .map(lambda s: "、".join(_provides_label(p) for p in s.split("|") if p)),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.subheader(t("manage.edit_feature"))
        labels = {
            int(r["id"]): f"{t('feature.' + r['kind'])} · {r['name']}" for r in feats.to_dict("records")
        }
        feature_id = st.selectbox(
            t("col.feature"), list(labels), format_func=labels.get, key="manage_feature_pick"
        )
        row = feats[feats["id"] == feature_id].iloc[0].to_dict()
        n = core.form_generation(state.manage_form("feature_edit"))
        with st.form(f"manage_feature_edit_{feature_id}_{n}"):
            values = _feature_inputs(f"manage_fedit{feature_id}_{n}", zones, row)
            submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: features.update_feature(ctx, feature_id, **values),
                t("manage.saved"),
                form=state.manage_form("feature_edit"),
            )
        if _confirmed_button(t("manage.deactivate_feature"), f"manage_fdeact_{feature_id}"):
            core.run(lambda: features.deactivate_feature(ctx, feature_id), t("manage.deactivated"))
    with st.expander(t("manage.add_feature")):
        n = core.form_generation(state.manage_form("feature_new"))
        with st.form(f"manage_feature_new_{n}"):
            values = _feature_inputs(f"manage_fnew{n}", zones, None)
            submitted = st.form_submit_button(t("manage.add_feature"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: features.add_feature(ctx, garden_id, **values),
                t("manage.feature_added"),
                form=state.manage_form("feature_new"),
            )


# ---------------------------------------------------------------- recurring tasks


def _task_values(values: dict) -> dict:
    """The form's values as the service takes them: "only once" is stored as ONE_OFF_DAYS."""
    once = values.pop("once")
    return {**values, "every_days": recurrence.ONE_OFF_DAYS if once else values["every_days"]}


def _task_inputs(prefix: str, zones: pd.DataFrame, row: dict | None, today: date) -> dict:
    kinds = list(upkeep.TASK_KINDS)
    return {
        "title": st.text_input(
            t("manage.task_title"), value="" if row is None else row["title"], key=f"{prefix}_title"
        ),
        "kind": st.selectbox(
            t("col.kind"),
            kinds,
            index=kinds.index(row["kind"]) if row else 0,
            format_func=lambda k: t("task." + k),
            key=f"{prefix}_kind",
        ),
        "zone_id": _zone_input(f"{prefix}_zone", zones, row),
        "every_days": st.number_input(
            t("manage.every_days"),
            min_value=1,
            max_value=upkeep.MAX_EVERY_DAYS,
            value=7 if row is None else min(int(row["every_days"]), upkeep.MAX_EVERY_DAYS),
            step=1,
            key=f"{prefix}_every",
        ),
        "once": st.checkbox(
            t("manage.only_once"),
            value=row is not None and recurrence.is_one_off(row["every_days"]),
            key=f"{prefix}_once",
            help=t("manage.only_once_help"),
        ),
        "start_on": st.date_input(
            t("manage.start_on"),
            value=today if row is None else _date(row["start_on"]),
            key=f"{prefix}_start",
        ),
    }


def tasks_tab(ctx, current: pd.Series) -> None:
    garden_id = int(current["id"])
    defs = upkeep.task_defs(ctx, garden_id)
    zones = zones_service.zones(ctx, garden_id)
    today = ctx.now().date()
    if defs.empty:
        st.info(t("common.nothing_yet"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.task"): defs["kind"].map(lambda k: t("task." + k)),
                    t("manage.task_title"): defs["title"],
                    t("col.zone"): defs["zone_code"].fillna("—"),
                    t("manage.every_days"): defs["every_days"].map(
                        lambda d: t("manage.only_once") if recurrence.is_one_off(d) else str(int(d))
                    ),
                    t("manage.last_done"): defs["last_done"].map(
                        lambda d: "—" if pd.isna(d) else str(_date(d))
                    ),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.subheader(t("manage.edit_task"))
        labels = {
            int(r["id"]): f"{t('task.' + r['kind'])} · {r['title']} · {_str(r['zone_code']) or '—'}"
            for r in defs.to_dict("records")
        }
        task_def_id = st.selectbox(
            t("col.task"), list(labels), format_func=labels.get, key="manage_task_pick"
        )
        row = defs[defs["id"] == task_def_id].iloc[0].to_dict()
        n = core.form_generation(state.manage_form("task_edit"))
        with st.form(f"manage_task_edit_{task_def_id}_{n}"):
            values = _task_values(_task_inputs(f"manage_tedit{task_def_id}_{n}", zones, row, today))
            submitted = st.form_submit_button(t("manage.save"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: upkeep.update_task_def(ctx, task_def_id, **values),
                t("manage.saved"),
                form=state.manage_form("task_edit"),
            )
        if _confirmed_button(t("manage.deactivate_task"), f"manage_tdeact_{task_def_id}"):
            core.run(lambda: upkeep.deactivate_task_def(ctx, task_def_id), t("manage.deactivated"))
    with st.expander(t("manage.add_task"), expanded=defs.empty):
        n = core.form_generation(state.manage_form("task_new"))
        with st.form(f"manage_task_new_{n}"):
            values = _task_values(_task_inputs(f"manage_tnew{n}", zones, None, today))
            submitted = st.form_submit_button(t("manage.add_task"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: upkeep.add_task_def(ctx, garden_id, **values),
                t("manage.task_added", title=md_escape(values["title"])),
                form=state.manage_form("task_new"),
            )


# ---------------------------------------------------------------- people


def _groups_input(key: str, default: list[str]) -> list[str]:
    return st.multiselect(
        t("manage.expertise"),
        list(people_service.EXPERTISE_GROUPS),
        default=default,
        format_func=lambda g: t("group." + g),
        key=key,
        help=t("manage.expertise_help"),
    )


def _role_input(key: str, value: str = "volunteer") -> str:
    roles = ["volunteer", "expert", "committee"]
    return st.selectbox(
        t("manage.role"), roles, index=roles.index(value), format_func=lambda r: t("role." + r), key=key
    )


def people_tab(ctx, gardens: pd.DataFrame) -> None:
    people = people_service.list_people(ctx)
    st.dataframe(
        pd.DataFrame(
            {
                t("manage.display_name"): people["display_name"],
                t("manage.username"): people["username"],
                t("manage.role"): people["role"].map(lambda r: t("role." + r)),
                t("manage.home_garden"): people["home_garden"].fillna("—"),
                t("manage.active"): people["active"].map(lambda a: "✓" if a else "✗"),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if not people.empty:
        _person_edit(ctx, people)
    _person_add(ctx, gardens)


def _person_edit(ctx, people: pd.DataFrame) -> None:
    st.subheader(t("manage.edit_person"))
    labels = {int(r["id"]): f"{r['display_name']} ({r['username']})" for r in people.to_dict("records")}
    person_id = st.selectbox(
        t("manage.person"), list(labels), format_func=labels.get, key="manage_person_pick"
    )
    row = people[people["id"] == person_id].iloc[0].to_dict()
    n = core.form_generation(state.manage_form("person_edit"))
    with st.form(f"manage_person_edit_{person_id}_{n}"):
        role = _role_input(f"manage_pedit{person_id}_{n}_role", row["role"])
        groups = _groups_input(
            f"manage_pedit{person_id}_{n}_groups", [g for g in _str(row["expertise"]).split("|") if g]
        )
        submitted = st.form_submit_button(t("manage.save_role"), type="primary", width="stretch")
    if submitted:
        core.run(
            lambda: people_service.change_role(ctx, person_id, role, groups),
            t("manage.saved"),
            form=state.manage_form("person_edit"),
        )
    if row["active"]:
        if _confirmed_button(t("manage.deactivate_person"), f"manage_pdeact_{person_id}"):
            core.run(lambda: people_service.set_active(ctx, person_id, False), t("manage.deactivated"))
    elif st.button(t("manage.reactivate_person"), key=f"manage_preact_{person_id}", width="stretch"):
        core.run(lambda: people_service.set_active(ctx, person_id, True), t("manage.saved"))
    with st.form(f"manage_pw_{person_id}_{n}"):
        password = st.text_input(t("manage.new_password"), type="password", key=f"manage_pw{person_id}_{n}")
        submitted = st.form_submit_button(t("manage.reset_password"), width="stretch")
    if submitted:
        core.run(
            lambda: people_service.reset_password(ctx, person_id, password),
            t("manage.password_reset", name=md_escape(row["display_name"])),
            form=state.manage_form("person_edit"),
        )


def _person_add(ctx, gardens: pd.DataFrame) -> None:
    with st.expander(t("manage.add_person")):
        n = core.form_generation(state.manage_form("person_new"))
        garden_ids = [None] + [int(i) for i in gardens["id"]]
        garden_names = {int(r["id"]): _label(r) for r in gardens.to_dict("records")}
        with st.form(f"manage_person_new_{n}"):
            username = st.text_input(t("manage.username"), key=f"manage_pnew{n}_user")
            display_name = st.text_input(t("manage.display_name"), key=f"manage_pnew{n}_name")
            role = _role_input(f"manage_pnew{n}_role")
            groups = _groups_input(f"manage_pnew{n}_groups", [])
            home = st.selectbox(
                t("manage.home_garden"),
                garden_ids,
                key=f"manage_pnew{n}_home",
                format_func=lambda i: "—" if i is None else garden_names[i],
            )
            organisation = st.text_input(t("manage.organisation"), key=f"manage_pnew{n}_org")
            password = st.text_input(t("manage.first_password"), type="password", key=f"manage_pnew{n}_pw")
            submitted = st.form_submit_button(t("manage.add_person"), type="primary", width="stretch")
        if submitted:
            core.run(
                lambda: people_service.create_person(
                    ctx,
                    username=username,
                    display_name=display_name,
                    role=role,
                    password=password,
                    expertise=groups,
                    home_garden_id=home,
                    organisation=organisation,
                ),
                t("manage.person_added", name=md_escape(display_name)),
                form=state.manage_form("person_new"),
            )


# ---------------------------------------------------------------- problems and audit


def problems_tab(ctx, current: pd.Series | None) -> None:
    everywhere = st.toggle(t("manage.all_gardens"), key="manage_problems_all") or current is None
    problems = community.problems_to_resolve(ctx, None if everywhere else int(current["id"]))
    if problems.empty:
        st.success(t("ask.no_open_problems"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("manage.age_days"): problems["age_days"],
                t("col.garden"): problems["garden"],
                t("col.zone"): problems["zone"].fillna("—"),
                t("col.kind"): problems["kind"].map(lambda k: t("problem." + k)),
                t("col.description"): problems["description"],
                t("col.reported_by"): problems["reported_by"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    labels = {
        int(r["id"]): f"#{r['id']} · {t('problem.' + r['kind'])} · {str(r['description'])[:30]}"
        for r in problems.to_dict("records")
    }
    problem_id = st.selectbox(
        t("manage.problem"), list(labels), format_func=labels.get, key="manage_problem_pick"
    )
    n = core.form_generation(state.manage_form("resolve"))
    resolution = st.text_area(t("manage.resolution"), key=f"manage_resolve{n}_text", max_chars=2000)
    if st.button(t("manage.resolve"), key=f"manage_resolve{n}_go", type="primary", width="stretch"):
        core.run(
            lambda: community.resolve_problem(ctx, problem_id, resolution),
            t("manage.resolved", id=problem_id),
            form=state.manage_form("resolve"),
        )


def audit_tab(ctx) -> None:
    if not ctx.can("see_audit"):
        return
    entries = audit_log.recent_audit(ctx, limit=200)
    if entries.empty:
        st.info(t("common.nothing_yet"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("col.when"): entries["happened_at"].map(lambda d: local(d).strftime("%m-%d %H:%M")),
                t("manage.actor"): entries["actor"].fillna("—"),
                t("manage.action"): entries["action"],
                t("manage.entity"): entries["entity"]
                + " #"
                + entries["entity_id"].astype("Int64").astype(str),
                t("manage.before"): entries["before_json"].fillna(""),
                t("manage.after"): entries["after_json"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
        height=420,
    )
