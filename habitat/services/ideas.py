"""Residents' ideas and needs for the garden (金点子): record, support, put on a meeting's agenda."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from habitat.db import civic as civic_db
from habitat.db import gardens as gardens_db
from habitat.errors import NotFound, ValidationError
from habitat.services import photo_store
from habitat.services.context import Ctx, audit, transaction
from habitat.services.photo_store import Upload

IDEA_KINDS = ("idea", "need")
STATUSES = ("open", "on_agenda", "decided", "done", "declined")
ACTIVE = ("open", "on_agenda", "decided")  # shown by default; done and declined on request
CLOSED = ("done", "declined")
TITLE_MAX, BODY_MAX, NAME_MAX = 120, 2000, 60


def check_place(ctx: Ctx, garden_id: int, zone_id: int | None) -> None:
    if gardens_db.by_id(ctx.con, garden_id) is None:
        raise ValidationError("sighting.no_garden")
    if zone_id is not None and zone_id not in set(gardens_db.zones(ctx.con, garden_id)["id"]):
        raise ValidationError("sighting.zone_not_in_garden")


def clean_text(value: str | None, *, required_key: str | None, limit: int) -> str | None:
    """Trimmed text; empty -> ValidationError(required_key) or None; too long -> idea.too_long."""
    text = (value or "").strip()
    if not text:
        if required_key:
            raise ValidationError(required_key)
        return None
    if len(text) > limit:
        raise ValidationError("civic.too_long", n=limit)
    return text


def propose_idea(
    ctx: Ctx,
    garden_id: int,
    zone_id: int | None,
    title: str,
    body: str | None = None,
    *,
    kind: str = "idea",
    on_behalf_of: str | None = None,
    uploads: Sequence[Upload] = (),
) -> int:
    """Anyone with an account records an idea or a need; the committee may record one for a resident
    met on a walk-about (``on_behalf_of`` = the resident's name as they gave it)."""
    user = ctx.require("propose_idea")
    check_place(ctx, garden_id, zone_id)
    if kind not in IDEA_KINDS:
        raise ValidationError("idea.bad_kind")
    title_text = clean_text(title, required_key="idea.title_required", limit=TITLE_MAX)
    body_text = clean_text(body, required_key=None, limit=BODY_MAX)
    resident = clean_text(on_behalf_of, required_key=None, limit=NAME_MAX)
    if resident and not ctx.can("hold_meeting"):
        raise ValidationError("idea.on_behalf_committee_only")
    with photo_store.stored(ctx, uploads) as stored, transaction(ctx):
        idea_id = civic_db.insert_idea(
            ctx.con,
            garden_id=garden_id,
            zone_id=zone_id,
            author_id=user.id,
            on_behalf_of=resident,
            kind=kind,
            title=title_text,
            body=body_text,
            created_at=ctx.now(),
        )
        photo_store.insert_rows(ctx, stored, uploads, idea_id=idea_id)
        audit(
            ctx,
            "propose_idea",
            "ideas",
            idea_id,
            after={"garden_id": garden_id, "kind": kind, "title": title_text, "on_behalf_of": resident},
        )
    return idea_id


def _idea(ctx: Ctx, idea_id: int) -> dict:
    row = civic_db.idea(ctx.con, idea_id)
    if row is None:
        raise NotFound("idea.not_found")
    return row


def support_idea(ctx: Ctx, idea_id: int) -> int:
    """Support someone else's idea, once; returns the number of supporters now."""
    user = ctx.require("support_idea")
    row = _idea(ctx, idea_id)
    if row["status"] in CLOSED:
        raise ValidationError("idea.closed")
    if row["author_id"] == user.id:
        raise ValidationError("idea.own_idea")
    if civic_db.has_supported(ctx.con, idea_id, user.id):
        raise ValidationError("idea.already_supported")
    try:
        with transaction(ctx):
            support_id = civic_db.insert_support(ctx.con, idea_id=idea_id, person_id=user.id, at=ctx.now())
            audit(ctx, "support_idea", "idea_support", support_id, after={"idea_id": idea_id})
    except duckdb.ConstraintException as exc:  # a double tap raced the check above
        raise ValidationError("idea.already_supported") from exc
    return civic_db.support_count(ctx.con, idea_id)


def put_on_agenda(ctx: Ctx, idea_id: int) -> None:
    """The committee puts an open idea on the agenda of the next garden meeting."""
    ctx.require("hold_meeting")
    _change_status(ctx, idea_id, "on_agenda", None, only_from=("open",))


def set_status(ctx: Ctx, idea_id: int, status: str, note: str | None = None) -> None:
    """The committee closes an idea (done, declined with a reason) or reopens it."""
    ctx.require("hold_meeting")
    if status not in STATUSES:
        raise ValidationError("idea.bad_status")
    text = clean_text(
        note, required_key="idea.decline_needs_reason" if status == "declined" else None, limit=BODY_MAX
    )
    _change_status(ctx, idea_id, status, text, only_from=tuple(s for s in STATUSES if s != status))


def _change_status(
    ctx: Ctx, idea_id: int, status: str, note: str | None, *, only_from: tuple[str, ...]
) -> None:
    before = _idea(ctx, idea_id)
    with transaction(ctx):
        if (
            civic_db.set_idea_status(
                ctx.con, idea_id, status=status, note=note, at=ctx.now(), only_from=only_from
            )
            == 0
        ):
            raise ValidationError("idea.status_changed", status=before["status"])
        audit(
            ctx,
            "idea_status",
            "ideas",
            idea_id,
            before={"status": before["status"]},
            after={"status": status, "note": note},
        )


def garden_ideas(ctx: Ctx, garden_id: int, *, include_closed: bool = False) -> pd.DataFrame:
    user = ctx.require("propose_idea")
    statuses = STATUSES if include_closed else ACTIVE
    return civic_db.ideas(ctx.con, garden_id, viewer_id=user.id, statuses=statuses)


def agenda(ctx: Ctx, garden_id: int) -> pd.DataFrame:
    """Ideas the committee put on the agenda, most supported first."""
    ctx.require("hold_meeting")
    return civic_db.ideas(ctx.con, garden_id, viewer_id=None, statuses=("on_agenda",))


def idea_photos(ctx: Ctx, idea_id: int) -> pd.DataFrame:
    ctx.require("propose_idea")
    return civic_db.idea_photos(ctx.con, idea_id)
