"""Page pieces for partner organisations: the directory cards, the committee's edit, pairing and
link forms, and a garden's partners with what they did there (on the garden page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.clock import local
from habitat.services import events
from habitat.services import partners as partners_service
from habitat.ui import core
from habitat.ui.core import t
from habitat.ui.event_views import format_labels
from habitat.ui.safe import md_escape


def partner_cards(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("partners.none"))
        return
    for r in frame.itertuples():
        with st.container(border=True):
            lines = [f"**{md_escape(core.pick(r.name, r.name_en))}** · {t('partner_kind.' + r.kind)}"]
            if isinstance(r.description, str):
                lines.append(md_escape(r.description))
            gardens = core.pick(r.gardens, r.gardens_en)
            lines.append(
                t("partners.gardens", names=md_escape(gardens))
                if isinstance(gardens, str)
                else t("partners.no_gardens")
            )
            if isinstance(r.people, str):
                lines.append(t("partners.people", names=md_escape(r.people)))
            if hasattr(r, "contact_name") and any(
                isinstance(x, str) for x in (r.contact_name, r.contact_phone, r.contact_email)
            ):
                contact = " · ".join(
                    md_escape(x)
                    for x in (r.contact_name, r.contact_phone, r.contact_email)
                    if isinstance(x, str)
                )
                lines.append(f":material/call: {contact}")
            st.markdown("  \n".join(lines))


def partner_edit_form(ctx, partners: pd.DataFrame) -> None:
    names = {int(r.id): r.name for r in partners.itertuples()}
    chosen = st.selectbox(
        t("partners.edit_which"),
        [None] + list(names),
        format_func={None: t("partners.new"), **names}.get,
        key="partners_edit_pick",
    )
    row = partners[partners["id"] == chosen].iloc[0] if chosen is not None else None

    def val(col):
        return "" if row is None or not isinstance(row[col], str) else row[col]

    with st.form(f"partners_edit_{chosen}", enter_to_submit=False):
        name = st.text_input(t("partners.name"), value=val("name"), key=f"partners_name_{chosen}")
        name_en = st.text_input(t("partners.name_en"), value=val("name_en"), key=f"partners_name_en_{chosen}")
        kinds = partners_service.PARTNER_KINDS
        kind = st.selectbox(
            t("partners.kind"),
            kinds,
            index=kinds.index(row["kind"]) if row is not None else 0,
            format_func=format_labels(kinds, "partner_kind."),
            key=f"partners_kind_{chosen}",
        )
        description = st.text_area(
            t("partners.description"), value=val("description"), key=f"partners_desc_{chosen}"
        )
        contact = st.text_input(
            t("partners.contact_name"), value=val("contact_name"), key=f"partners_cname_{chosen}"
        )
        phone = st.text_input(
            t("partners.contact_phone"), value=val("contact_phone"), key=f"partners_phone_{chosen}"
        )
        email = st.text_input(
            t("partners.contact_email"), value=val("contact_email"), key=f"partners_email_{chosen}"
        )
        if st.form_submit_button(t("partners.save"), type="primary", width="stretch"):
            draft = partners_service.PartnerDraft(
                name=name,
                kind=kind,
                name_en=name_en,
                description=description,
                contact_name=contact,
                contact_phone=phone,
                contact_email=email,
            )
            core.run(
                lambda: partners_service.save_partner(ctx, draft, chosen),
                t("partners.saved", name=md_escape(name)),
            )


def pairing_form(ctx, partners: pd.DataFrame, gardens: pd.DataFrame) -> None:
    garden_names = dict(zip(gardens["id"].astype(int), core.pick(gardens["name"], gardens["name_en"])))
    partner_names = {int(r.id): core.pick(r.name, r.name_en) for r in partners.itertuples()}
    garden_id = st.selectbox(
        t("common.garden"), list(garden_names), format_func=garden_names.get, key="partners_pair_garden"
    )
    partner_id = st.selectbox(
        t("events.partner"), list(partner_names), format_func=partner_names.get, key="partners_pair_partner"
    )
    role = st.text_input(t("partners.role"), placeholder=t("partners.role_hint"), key="partners_pair_role")
    left, right = st.columns(2)
    if left.button(t("partners.pair"), type="primary", width="stretch", key="partners_pair"):
        core.run(
            lambda: partners_service.pair_partner(ctx, garden_id, partner_id, role), t("partners.paired")
        )
    if right.button(t("partners.unpair"), width="stretch", key="partners_unpair"):
        core.run(lambda: partners_service.unpair_partner(ctx, garden_id, partner_id), t("partners.unpaired"))


def link_form(ctx, partners: pd.DataFrame) -> None:
    people = events.people_choices(ctx)
    people = people.sort_values(
        "role", key=lambda r: r.map({"expert": 0, "committee": 1}).fillna(2), kind="stable"
    )
    names = {int(r.id): f"{r.display_name} · {t('role.' + r.role)}" for r in people.itertuples()}
    partner_names = {int(r.id): core.pick(r.name, r.name_en) for r in partners.itertuples()}
    person_id = st.selectbox(
        t("partners.person"), list(names), format_func=names.get, key="partners_link_person"
    )
    current = people.loc[people["id"] == person_id, "partner_id"]
    current = int(current.iloc[0]) if len(current) and pd.notna(current.iloc[0]) else None
    options = [None] + list(partner_names)
    partner_id = st.selectbox(
        t("events.partner"),
        options,
        index=options.index(current) if current in options else 0,
        format_func={None: t("events.no_partner"), **partner_names}.get,
        key=f"partners_link_partner_{person_id}",
    )
    if st.button(t("partners.link"), type="primary", width="stretch", key="partners_link"):
        core.run(lambda: partners_service.link_person(ctx, person_id, partner_id), t("partners.linked"))


def garden_partners_section(ctx, garden_id: int) -> None:
    """On the garden page: its partners and what they did here."""
    st.subheader(t("partners.garden_section"))
    activity = partners_service.garden_partners(ctx, garden_id)
    if activity.empty:
        st.info(t("partners.none_here"))
        return
    for r in activity.itertuples():
        done = [
            t(key, n=int(n))
            for key, n in (
                ("partners.did_reviews", r.reviews),
                ("partners.did_answers", r.answers),
                ("partners.did_visits", r.visits),
                ("partners.did_events", r.events_held),
                ("partners.did_classes", r.classes),
                ("partners.did_planned", r.events_planned),
            )
            if n
        ]
        lines = [
            f"**{md_escape(core.pick(r.name, r.name_en))}** · {t('partner_kind.' + r.kind)}"
            + (f" · {md_escape(r.role)}" if isinstance(r.role, str) else "")
        ]
        if isinstance(r.people, str):
            lines.append(t("partners.people", names=md_escape(r.people)))
        lines.append(" · ".join(done) if done else t("partners.nothing_done"))
        if isinstance(r.last_event, str):
            lines.append(
                t(
                    "partners.last_event",
                    title=md_escape(r.last_event),
                    date=f"{local(r.last_event_at):%Y-%m-%d}",
                )
            )
        with st.container(border=True):
            st.markdown("  \n".join(lines))
