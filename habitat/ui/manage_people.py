"""The management page's people tab: the accounts, changing a role or expertise, switching an account
off or on, resetting a password, adding a person."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import people as people_service
from habitat.ui import core, state
from habitat.ui.core import t
from habitat.ui.manage_common import confirmed_button, name_label
from habitat.ui.safe import cell_text
from habitat.ui.safe import md_escape


def _groups_input(key: str, default: list[str]) -> list[str]:
    return st.multiselect(
        t("manage.expertise"),
        list(people_service.EXPERTISE_GROUPS),
        default=default,
        format_func=lambda g: t("group." + g),
        key=key,
        help=t("manage.expertise_help"),
        placeholder=t("common.choose_some"),  # Streamlit's own: "Choose options"
    )


def _role_input(key: str, value: str = "volunteer") -> str:
    roles = ["volunteer", "expert", "committee"]
    return st.selectbox(
        t("manage.role"), roles, index=roles.index(value), format_func=lambda r: t("role." + r), key=key
    )


def people_tab(ctx, gardens: pd.DataFrame) -> None:
    people = people_service.list_people(ctx)
    core.table(
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
    with st.form(f"manage_person_edit_{person_id}_{n}", enter_to_submit=False):
        role = _role_input(f"manage_pedit{person_id}_{n}_role", row["role"])
        groups = _groups_input(
            f"manage_pedit{person_id}_{n}_groups", [g for g in cell_text(row["expertise"]).split("|") if g]
        )
        submitted = st.form_submit_button(t("manage.save_role"), type="primary", width="stretch")
    if submitted:
        core.run(
            lambda: people_service.change_role(ctx, person_id, role, groups),
            t("manage.saved"),
            form=state.manage_form("person_edit"),
        )
    if row["active"]:
        if confirmed_button(t("manage.deactivate_person"), f"manage_pdeact_{person_id}"):
            core.run(lambda: people_service.set_active(ctx, person_id, False), t("manage.deactivated"))
    elif st.button(t("manage.reactivate_person"), key=f"manage_preact_{person_id}", width="stretch"):
        core.run(lambda: people_service.set_active(ctx, person_id, True), t("manage.saved"))
    with st.form(f"manage_pw_{person_id}_{n}", enter_to_submit=False):
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
        garden_names = {int(r["id"]): name_label(r) for r in gardens.to_dict("records")}
        with st.form(f"manage_person_new_{n}", enter_to_submit=False):
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
