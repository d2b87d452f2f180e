"""Partner organisations (zoo, botanical garden, NGO, schools, shops ...): the directory (contacts
only for experts and the committee), which gardens they help, who belongs to them, and what their
people did in a garden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from habitat.db import events as events_db
from habitat.errors import NotFound, ValidationError
from habitat.services.context import Ctx, audit, transaction
from habitat.services.events import MAX_NAME, MAX_TEXT, MAX_TITLE, check_partner, check_place, clean_text

PARTNER_KINDS = (
    "zoo",
    "botanical_garden",
    "ngo",
    "agriculture",
    "school",
    "kindergarten",
    "business",
    "other",
)
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


@dataclass
class PartnerDraft:
    name: str
    kind: str
    name_en: str | None = None
    description: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


def list_partners(ctx: Ctx) -> pd.DataFrame:
    """The partner directory; contacts only for experts and the committee."""
    ctx.require("log")
    frame = events_db.partners(ctx.con)
    if not ctx.can("see_contacts"):
        frame = frame.drop(columns=list(CONTACT_FIELDS))
    return frame


def partner_contacts(ctx: Ctx, partner_id: int) -> dict:
    ctx.require("see_contacts")
    row = events_db.partner(ctx.con, partner_id)
    if row is None:
        raise NotFound("partner.not_found")
    return {k: row[k] for k in CONTACT_FIELDS}


def save_partner(ctx: Ctx, draft: PartnerDraft, partner_id: int | None = None) -> int:
    """Add a partner, or change one (``partner_id``)."""
    ctx.require("manage_partners")
    name = clean_text(draft.name, MAX_TITLE, "event.title_too_long")
    if not name:
        raise ValidationError("partner.name_needed")
    if draft.kind not in PARTNER_KINDS:
        raise ValidationError("partner.bad_kind")
    same = events_db.partner_by_name(ctx.con, name)
    if same is not None and same["id"] != partner_id:
        raise ValidationError("partner.name_taken", name=name)
    values = {
        "name": name,
        "name_en": clean_text(draft.name_en, MAX_TITLE),
        "kind": draft.kind,
        "description": clean_text(draft.description, MAX_TEXT),
        "contact_name": clean_text(draft.contact_name, MAX_NAME),
        "contact_phone": clean_text(draft.contact_phone, MAX_NAME),
        "contact_email": clean_text(draft.contact_email, MAX_TITLE),
    }
    with transaction(ctx):
        if partner_id is None:
            partner_id = events_db.insert_partner(
                ctx.con, {**values, "created_by": ctx.user.id, "created_at": ctx.now()}
            )
            audit(ctx, "add_partner", "partners", partner_id, after={"name": name, "kind": draft.kind})
        else:
            before = events_db.partner(ctx.con, partner_id)
            if before is None:
                raise NotFound("partner.not_found")
            events_db.update_partner(ctx.con, partner_id, values, ctx.now())
            audit(
                ctx,
                "edit_partner",
                "partners",
                partner_id,
                before={k: before[k] for k in values},
                after=values,
            )
    return partner_id


def pair_partner(
    ctx: Ctx, garden_id: int, partner_id: int, role: str | None = None, since: date | None = None
) -> int:
    ctx.require("manage_partners")
    check_place(ctx, garden_id, None)
    if events_db.partner(ctx.con, partner_id) is None:
        raise ValidationError("event.unknown_partner")
    if events_db.pairing(ctx.con, garden_id, partner_id) is not None:
        raise ValidationError("partner.already_paired")
    values = {
        "garden_id": garden_id,
        "partner_id": partner_id,
        "role": clean_text(role, MAX_TITLE),
        "since": since or ctx.now().date(),
        "created_by": ctx.user.id,
        "created_at": ctx.now(),
    }
    with transaction(ctx):
        pid = events_db.insert_pairing(ctx.con, values)
        audit(
            ctx,
            "pair_partner",
            "garden_partners",
            pid,
            after={"garden_id": garden_id, "partner_id": partner_id},
        )
    return pid


def unpair_partner(ctx: Ctx, garden_id: int, partner_id: int) -> None:
    ctx.require("manage_partners")
    pid = events_db.pairing(ctx.con, garden_id, partner_id)
    if pid is None:
        raise NotFound("partner.not_paired")
    with transaction(ctx):
        events_db.delete_pairing(ctx.con, pid)
        audit(
            ctx,
            "unpair_partner",
            "garden_partners",
            pid,
            before={"garden_id": garden_id, "partner_id": partner_id},
        )


def link_person(ctx: Ctx, person_id: int, partner_id: int | None) -> None:
    """Say which partner an expert (or teacher) belongs to; None removes the link."""
    ctx.require("manage_partners")
    if not events_db.person_exists(ctx.con, person_id):
        raise ValidationError("event.unknown_person")
    check_partner(ctx, partner_id)
    before = events_db.person_partner(ctx.con, person_id)
    with transaction(ctx):
        events_db.set_person_partner(ctx.con, person_id, partner_id)
        audit(
            ctx,
            "link_partner",
            "people",
            person_id,
            before={"partner_id": before},
            after={"partner_id": partner_id},
        )


def garden_partners(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    """A garden's partners and what their people did there: reviews, patrols, answers, events and classes."""
    ctx.require("log")
    return events_db.garden_partner_activity(ctx.con, garden_id, ctx.now())
