"""Sign-in with bcrypt hashes, a growing lock after repeated failures, password changes."""

from __future__ import annotations

from datetime import timedelta

import bcrypt

from habitat.db import people as people_db
from habitat.domain.roles import ROLES, Person
from habitat.errors import AuthError, ValidationError
from habitat.services.context import Ctx, audit, transaction

MIN_PASSWORD_LENGTH = 8
FREE_ATTEMPTS = 5  # failures before the account locks
LOCK_MINUTES = 5  # first lock; doubles with each further failure
BCRYPT_ROUNDS = 11


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def _check_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("auth.password_too_short", n=MIN_PASSWORD_LENGTH)


def sign_in(ctx: Ctx, username: str, password: str) -> Person:
    row = people_db.login_row(ctx.con, username.strip())
    if row is None:
        raise AuthError("auth.bad_credentials")
    person_id, pw_hash, active, failures, locked_until = row
    now = ctx.now()
    if not active:
        raise AuthError("auth.inactive")
    if locked_until is not None and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AuthError("auth.locked", minutes=minutes)
    if not pw_hash or not bcrypt.checkpw(password.encode("utf-8"), pw_hash.encode("ascii")):
        failures += 1
        lock = None
        if failures >= FREE_ATTEMPTS:
            lock = now + timedelta(minutes=LOCK_MINUTES * 2 ** (failures - FREE_ATTEMPTS))
        people_db.record_failure(ctx.con, person_id, lock)
        if lock is not None:
            raise AuthError("auth.locked", minutes=int((lock - now).total_seconds() // 60))
        raise AuthError("auth.bad_credentials")
    people_db.record_success(ctx.con, person_id)
    return people_db.by_id(ctx.con, person_id)


def create_person(
    ctx: Ctx,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    expertise: str | None = None,
    home_garden_id: int | None = None,
    organisation: str | None = None,
    language: str = "zh",
    check_role: bool = True,
    rounds: int = BCRYPT_ROUNDS,
) -> int:
    """Add an account. ``check_role=False`` only for `habitat init` and the demo builder."""
    if check_role:
        ctx.require("manage_people")
    username = username.strip()
    if not username or not display_name.strip():
        raise ValidationError("auth.name_required")
    if role not in ROLES:
        raise ValidationError("auth.unknown_role", role=role)
    _check_strength(password)
    if people_db.login_row(ctx.con, username) is not None:
        raise ValidationError("auth.username_taken", username=username)
    with transaction(ctx):
        new_id = people_db.insert(
            ctx.con,
            username=username,
            display_name=display_name.strip(),
            role=role,
            password_hash=hash_password(password, rounds),
            language=language,
            expertise=expertise,
            home_garden_id=home_garden_id,
            organisation=organisation,
            at=ctx.now(),
        )
        if check_role:
            audit(ctx, "create_person", "people", new_id, after={"username": username, "role": role})
    return new_id


def change_password(ctx: Ctx, old_password: str, new_password: str) -> None:
    user = ctx.require("edit_own")
    row = people_db.login_row(ctx.con, user.username)
    if not bcrypt.checkpw(old_password.encode("utf-8"), row[1].encode("ascii")):
        raise AuthError("auth.bad_old_password")
    _check_strength(new_password)
    with transaction(ctx):
        people_db.set_password(ctx.con, user.id, hash_password(new_password), ctx.now())
        audit(ctx, "change_password", "people", user.id)


def reset_password(ctx: Ctx, person_id: int, new_password: str) -> None:
    """The committee sets a new password for someone who forgot theirs."""
    ctx.require("manage_people")
    _check_strength(new_password)
    with transaction(ctx):
        people_db.set_password(ctx.con, person_id, hash_password(new_password), ctx.now())
        audit(ctx, "reset_password", "people", person_id)


def set_language(ctx: Ctx, language: str) -> None:
    user = ctx.require("edit_own")
    people_db.set_language(ctx.con, user.id, language)
