"""People: the committee adds accounts, changes roles and expertise, switches accounts off and on, and
resets passwords.

:func:`create_person` is the one way a signed-in person adds an account: it checks that the actor is
on the committee (read afresh on every click). :func:`create_setup_account` is for the moments when
nobody can be signed in yet — `habitat init` / `habitat add-person` on a new database, and the demo
builder — and refuses to run when someone is. Both apply the same rules to the account's fields.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from habitat.db import manage as manage_db
from habitat.db import people as people_db
from habitat.db import sessions as sessions_db
from habitat.domain.roles import COMMITTEE, EXPERT, ROLES, manages
from habitat.domain.usernames import normal_username
from habitat.errors import NotFound, PermissionDenied, ValidationError
from habitat.services import auth
from habitat.services.context import Ctx, audit, transaction
from habitat.services.fields import apply_changes, optional_text
from habitat.services.gardens import active_garden

EXPERTISE_GROUPS = (
    "bird",
    "butterfly",
    "moth",
    "dragonfly",
    "damselfly",
    "bee",
    "insect",
    "amphibian",
    "reptile",
    "mammal",
    "plant",
    "other",
)


def _expertise(value) -> tuple[str, ...]:
    items = [g.strip() for g in (value.split("|") if isinstance(value, str) else (value or ())) if g.strip()]
    unknown = [g for g in items if g not in EXPERTISE_GROUPS]
    if unknown:
        raise ValidationError("manage.bad_expertise", value=", ".join(unknown))
    return tuple(g for g in EXPERTISE_GROUPS if g in items)


FORMULA_STARTS = ("=", "+", "-", "@")


def _person(ctx: Ctx, person_id: int) -> dict:
    row = manage_db.row(ctx.con, "people", person_id)
    if row is None:
        raise NotFound("manage.person_not_found")
    return row


def _managed(ctx: Ctx, person_id: int) -> dict:
    """The account, if the acting committee member may change it (roles.manages); else refused."""
    row = _person(ctx, person_id)
    if not manages(ctx.user, row.get("home_garden_id")):
        raise PermissionDenied("manage.not_your_garden")
    return row


def _new_account(
    ctx: Ctx,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    expertise: Sequence[str] | str,
    home_garden_id: int | None,
    organisation: str | None,
    language: str,
    rounds: int,
) -> int:
    """Check an account's fields and insert it (within the caller's transaction); returns its id."""
    if (display_name or "").strip()[:1] in FORMULA_STARTS:
        # a name is copied into every export as recordedBy; one that a spreadsheet runs is not a name
        raise ValidationError("manage.bad_display_name")
    groups = _expertise(expertise)
    if role == EXPERT and not groups:
        raise ValidationError("manage.expert_needs_groups")
    if home_garden_id is not None:
        active_garden(ctx, int(home_garden_id))
    organisation = optional_text(organisation, 100)
    username = normal_username(username)  # Wangayi and wangayi are one name (domain.usernames)
    if not username or not (display_name or "").strip():
        raise ValidationError("auth.name_required")
    if role not in ROLES:
        raise ValidationError("auth.unknown_role", role=role)
    auth.check_strength(password, user_inputs=(username, display_name))
    if people_db.login_row(ctx.con, username) is not None:
        raise ValidationError("auth.username_taken", username=username)
    return people_db.insert(
        ctx.con,
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=auth.hash_password(password, rounds),
        language=language if language in ("zh", "en") else "zh",
        expertise="|".join(groups) if role == EXPERT else None,
        home_garden_id=None if home_garden_id is None else int(home_garden_id),
        organisation=organisation,
        at=ctx.now(),
    )


def list_people(ctx: Ctx) -> pd.DataFrame:
    """The accounts this committee member manages: all for the town, her garden's for a garden's."""
    user = ctx.require("manage_people")
    people = manage_db.people(ctx.con)
    mine = [manages(user, g if not pd.isna(g) else None) for g in people["home_garden_id"]]
    return people[mine].reset_index(drop=True)


def create_person(
    ctx: Ctx,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    expertise: Sequence[str] | str = (),
    home_garden_id: int | None = None,
    organisation: str | None = None,
    language: str = "zh",
) -> int:
    """A committee member adds an account (audited); a garden's committee member, in her garden only."""
    user = ctx.require("manage_people")
    if user.home_garden_id is not None:
        home_garden_id = home_garden_id if home_garden_id is not None else user.home_garden_id
        if not manages(user, home_garden_id):
            raise PermissionDenied("manage.not_your_garden")
    with transaction(ctx):
        new_id = _new_account(
            ctx,
            username=username,
            display_name=display_name,
            role=role,
            password=password,
            expertise=expertise,
            home_garden_id=home_garden_id,
            organisation=organisation,
            language=language,
            rounds=auth.BCRYPT_ROUNDS,
        )
        audit(
            ctx,
            "create_person",
            "people",
            new_id,
            after={"username": normal_username(username), "role": role},
        )
    return new_id


def create_setup_account(
    ctx: Ctx,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    expertise: Sequence[str] | str = (),
    home_garden_id: int | None = None,
    organisation: str | None = None,
    language: str = "zh",
    rounds: int = auth.BCRYPT_ROUNDS,
) -> int:
    """An account made while nobody is signed in: the first committee member of a new database
    (`habitat add-person`) and the demo's accounts (``rounds`` lowered to build the demo fast).

    With a signed-in person in ``ctx`` this refuses: the app adds people through :func:`create_person`.
    """
    if ctx.user is not None:
        raise PermissionDenied("perm.denied", action="setup_account")
    with transaction(ctx):
        return _new_account(
            ctx,
            username=username,
            display_name=display_name,
            role=role,
            password=password,
            expertise=expertise,
            home_garden_id=home_garden_id,
            organisation=organisation,
            language=language,
            rounds=rounds,
        )


def change_role(ctx: Ctx, person_id: int, role: str, expertise: Sequence[str] | str = ()) -> dict:
    """Role and expertise (the taxon groups an expert reviews). Applies at the person's next click."""
    user = ctx.require("manage_people")
    if person_id == user.id:
        raise ValidationError("manage.cannot_change_own_role")
    before = _managed(ctx, person_id)
    if role not in ROLES:
        raise ValidationError("auth.unknown_role", role=role)
    groups = _expertise(expertise)
    if role == EXPERT and not groups:
        raise ValidationError("manage.expert_needs_groups")
    changes = {"role": role, "expertise": "|".join(groups) if role == EXPERT else None}
    with transaction(ctx):
        auth.guard_last_committee(ctx, person_id, stays_committee=role == COMMITTEE)
        return apply_changes(ctx, "people", person_id, before, changes, "change_role")


def set_active(ctx: Ctx, person_id: int, active: bool) -> dict:
    """Switch an account off (it can no longer sign in, its open sessions end; its records stay) or on."""
    user = ctx.require("manage_people")
    before = _managed(ctx, person_id)
    if person_id == user.id and not active:
        raise ValidationError("manage.cannot_deactivate_self")
    with transaction(ctx):
        if not active:
            auth.guard_last_committee(ctx, person_id, stays_committee=False)
            auth.end_sessions(ctx, person_id, "deactivated")
        return apply_changes(ctx, "people", person_id, before, {"active": bool(active)}, "set_active")


def reset_password(ctx: Ctx, person_id: int, new_password: str) -> int:
    """The committee sets a new password for someone who forgot theirs; their open sessions end.
    Returns how many sessions ended."""
    ctx.require("manage_people")
    target = _managed(ctx, person_id)
    auth.check_strength(new_password, user_inputs=(target["username"], target["display_name"]))
    with transaction(ctx):
        people_db.set_password(ctx.con, person_id, auth.hash_password(new_password), ctx.now())
        ended = auth.end_sessions(ctx, person_id, "password_reset")
        sessions_db.forget_devices(ctx.con, person_id)  # a reset after a theft: no browser stays trusted
        audit(ctx, "reset_password", "people", person_id, after={"sessions_ended": ended})
    return ended
