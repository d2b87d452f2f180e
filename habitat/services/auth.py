"""Accounts and sessions: bcrypt hashes, an atomic lockout, strong passwords, revocable sign-in sessions.

A signed-in browser holds a random token (in an HttpOnly cookie); the database keeps only its hash in
``sessions``. Every script run calls :func:`resume`, which re-reads the session with its person in one
query: a deactivated account, a password reset or "sign out everywhere" ends every open tab at its next
click, and a change of role applies at the next click.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import time
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import bcrypt
import duckdb
from zxcvbn import zxcvbn

from habitat.db import people as people_db
from habitat.db import sessions as sessions_db
from habitat.domain.roles import COMMITTEE, UI_MODES, Person
from habitat.domain.usernames import normal_username
from habitat.errors import AuthError, ConflictError, ValidationError
from habitat.i18n import t
from habitat.services.context import Ctx, audit, transaction

MIN_PASSWORD_LENGTH = 8
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 = "safely unguessable" for an online attack with throttling
FREE_ATTEMPTS = 5  # wrong passwords before the account locks
DEVICE_MAX_FAILURES = 10  # wrong passwords from a known device before it is no longer trusted
LOCK_MINUTES = 5  # first lock; doubles with each further failure ...
MAX_LOCK_MINUTES = 24 * 60  # ... up to a day
BCRYPT_ROUNDS = 11
SESSION_MAX_DAYS = 30  # a session ends after this many days whatever the activity
TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session

# Words that make a password easy to guess here, beyond zxcvbn's English lists
LOCAL_WORDS = (
    "woaini",
    "aini",
    "5201314",
    "1314",
    "520",
    "woaini1314",
    "shanghai",
    "xinjing",
    "changning",
    "qwerty",
    "a123456",
    "abc123",
    "iloveyou",
    "shengjing",
    "habitat",
)


@dataclass(frozen=True)
class SignedIn:
    """A fresh session: the token goes into the browser's cookie, never into the database."""

    person: Person
    session_id: int
    token: str
    device_token: str | None = None  # a new "known device" cookie for this browser, if it had none


@dataclass(frozen=True)
class Attempt:
    person_id: int
    password_hash: str | None
    active: bool
    allowed: bool
    failures: int
    locked_until: datetime | None


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    """Checked against for unknown or switched-off accounts, so they take as long as a real one."""
    return hash_password(secrets.token_urlsafe(16)).encode("ascii")


def _password_ok(password: str, pw_hash: str | None) -> bool:
    target = pw_hash.encode("ascii") if pw_hash else _dummy_hash()
    try:
        matches = bcrypt.checkpw(password.encode("utf-8"), target)
    except ValueError:  # a damaged hash in the database: never a way in
        return False
    return matches and pw_hash is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lock_minutes(failures: int) -> int:
    """5, 10, 20 … minutes from the FREE_ATTEMPTS-th failure on, capped (no overflow at any count)."""
    steps = min(max(failures - FREE_ATTEMPTS, 0), 20)
    return min(LOCK_MINUTES * 2**steps, MAX_LOCK_MINUTES)


def password_problems(password: str, *, user_inputs: tuple[str, ...] = ()) -> list[str]:
    """i18n keys of what makes a password weak ([] = strong enough)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return ["auth.password_too_short"]
    if not password.strip():
        return ["auth.password_blank"]
    inputs = [w for w in user_inputs if w] + list(LOCAL_WORDS)
    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return []
    lowered = password.lower()
    keys = []
    if any(w and w.lower() in lowered for w in user_inputs if len(w) >= 3):
        keys.append("auth.password_has_name")
    patterns = {m.get("pattern") for m in result["sequence"]}
    if "repeat" in patterns:
        keys.append("auth.password_repeats")
    if "sequence" in patterns or "spatial" in patterns:
        keys.append("auth.password_sequence")
    if "date" in patterns or "regex" in patterns:
        keys.append("auth.password_date")
    if "dictionary" in patterns and not keys:
        keys.append("auth.password_common")
    return keys + ["auth.password_weak"]


class WeakPassword(ValidationError):
    """A password that is too easy to guess: the reasons, then advice, in the reader's language."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(keys[0], n=MIN_PASSWORD_LENGTH)
        self.keys = keys

    def message(self, lang: str = "en", quote=None) -> str:
        return " ".join(t(key, lang, n=MIN_PASSWORD_LENGTH) for key in self.keys)


def check_strength(password: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    problems = password_problems(password or "", user_inputs=user_inputs)
    if problems:
        raise WeakPassword(problems)


def _claim_attempt(ctx: Ctx, username: str, now: datetime) -> Attempt | None:
    """Count this attempt before the password is checked, atomically.

    The read and the write are one transaction; two attempts at once conflict on the row and the
    later one is retried, so every attempt is counted and at most one attempt at a time gets past an
    expired lock. From the FREE_ATTEMPTS-th attempt on, the lock is set *before* the password is
    checked (and lifted again if it was right), so parallel guesses find it locked.
    """
    for attempt_no in range(40):
        try:
            with transaction(ctx):
                row = people_db.login_row(ctx.con, username)
                if row is None:
                    return None
                person_id, pw_hash, active, failures, locked_until = row
                failures = int(failures or 0) + 1
                locked = locked_until is not None and locked_until > now
                allowed = not locked
                if allowed and failures >= FREE_ATTEMPTS:
                    locked_until = now + timedelta(minutes=lock_minutes(failures))
                people_db.set_attempts(ctx.con, person_id, failures, locked_until)
            return Attempt(person_id, pw_hash, bool(active), allowed, failures, locked_until)
        except ConflictError:
            time.sleep(random.uniform(0.005, 0.03) * (1 + attempt_no % 5))
    raise ConflictError("db.busy")


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


def sign_in(ctx: Ctx, username: str, password: str, device_token: str | None = None) -> SignedIn:
    """Check the password and open a session. Unknown accounts get the same neutral message as a wrong
    password, after the same bcrypt work, and lock the same way; a switched-off account says so only
    to the right password. The user name is compared in its normal form (Wangayi, ｗａｎｇａｙｉ and
    wangayi are one name).

    ``device_token`` is the browser's "known device" cookie: wrong passwords typed elsewhere lock the
    account, but not for a browser the person has signed in from before (counted on its own row, up to
    DEVICE_MAX_FAILURES), so a stranger cannot keep the owner out by failing on purpose.
    """
    now = ctx.now()
    name = normal_username(username)
    if device_token:
        known = _known_device(ctx, name, device_token)
        if known is not None:
            return _sign_in_on_device(ctx, known, password or "", now)
    attempt = _claim_attempt(ctx, name, now)
    if attempt is None:
        unknown = _claim_unknown(ctx, name, now)
        _password_ok(password or "", None)
        if not unknown.allowed or unknown.failures >= FREE_ATTEMPTS:
            raise AuthError("auth.locked", minutes=_minutes_left(unknown.locked_until, now))
        raise AuthError("auth.bad_credentials")
    if not attempt.allowed:
        raise AuthError("auth.locked", minutes=_minutes_left(attempt.locked_until, now))
    ok = _password_ok(password or "", attempt.password_hash)
    if ok and not attempt.active:
        # only someone who knows the password learns that the account is switched off (and whom to ask)
        raise AuthError("auth.sign_in_deactivated")
    if not ok or not attempt.active:
        if attempt.locked_until is not None and attempt.active and attempt.failures >= FREE_ATTEMPTS:
            raise AuthError("auth.locked", minutes=_minutes_left(attempt.locked_until, now))
        raise AuthError("auth.bad_credentials")

    def succeed() -> SignedIn:
        people_db.record_success(ctx.con, attempt.person_id)
        device = secrets.token_urlsafe(32)
        sessions_db.add_device(ctx.con, attempt.person_id, token_hash(device), now)
        return dataclasses.replace(_open_session(ctx, attempt.person_id, now), device_token=device)

    return _retrying(ctx, succeed)


def _retrying(ctx: Ctx, work):
    """``work()`` in one transaction, retried when another sign-in wrote the same rows meanwhile."""
    for attempt_no in range(40):
        try:
            with transaction(ctx):
                return work()
        except ConflictError:
            time.sleep(random.uniform(0.005, 0.03) * (1 + attempt_no % 5))
    raise ConflictError("db.busy")


@dataclass(frozen=True)
class _Device:
    person_id: int
    device_id: int
    password_hash: str
    active: bool


def _known_device(ctx: Ctx, name: str, device_token: str) -> _Device | None:
    row = people_db.login_row(ctx.con, name)
    if row is None:
        return None
    found = sessions_db.device(ctx.con, row[0], token_hash(device_token))
    if found is None or found[1] >= DEVICE_MAX_FAILURES:
        return None
    return _Device(row[0], found[0], row[1], bool(row[2]))


def _sign_in_on_device(ctx: Ctx, known: _Device, password: str, now: datetime) -> SignedIn:
    ok = _password_ok(password, known.password_hash)
    if ok and not known.active:
        raise AuthError("auth.sign_in_deactivated")
    if not ok or not known.active:

        def count() -> None:
            failures = (sessions_db.device_failures(ctx.con, known.device_id) or 0) + 1
            if failures >= DEVICE_MAX_FAILURES:
                sessions_db.forget_devices(ctx.con, known.person_id, known.device_id)
            else:
                sessions_db.device_result(ctx.con, known.device_id, failures, now)

        _retrying(ctx, count)
        raise AuthError("auth.bad_credentials")

    def succeed() -> SignedIn:
        # the account's own counter is left alone: whoever is guessing elsewhere stays locked out
        sessions_db.device_result(ctx.con, known.device_id, 0, now)
        return _open_session(ctx, known.person_id, now)

    return _retrying(ctx, succeed)


def _claim_unknown(ctx: Ctx, name: str, now: datetime) -> Attempt:
    """A failed attempt on a name that is no account, counted and locked like an account's."""

    def claim() -> Attempt:
        row = sessions_db.throttle_row(ctx.con, name)
        failures = int(row[0]) + 1 if row else 1
        locked_until = row[1] if row else None
        allowed = not (locked_until is not None and locked_until > now)
        if allowed and failures >= FREE_ATTEMPTS:
            locked_until = now + timedelta(minutes=lock_minutes(failures))
        sessions_db.set_throttle(ctx.con, name, failures, locked_until, now)
        return Attempt(0, None, False, allowed, failures, locked_until)

    return _retrying(ctx, claim)


def _open_session(ctx: Ctx, person_id: int, now: datetime) -> SignedIn:
    token = secrets.token_urlsafe(32)
    session_id = sessions_db.create(
        ctx.con, person_id, token_hash(token), now, now + timedelta(days=SESSION_MAX_DAYS)
    )
    return SignedIn(people_db.by_id(ctx.con, person_id), session_id, token)


def open_session_for(ctx: Ctx, person_id: int) -> SignedIn:
    """A session without a password (tests, benchmarks and the command line act as a known person)."""
    with transaction(ctx):
        return _open_session(ctx, person_id, ctx.now())


def resume(ctx: Ctx, *, session_id: int | None = None, token: str | None = None) -> tuple[int, Person]:
    """The person behind a session, read afresh; AuthError when the session no longer counts.

    Raises AuthError("auth.session_ended") after a sign-out elsewhere, a deactivation or a password
    reset, and AuthError("auth.session_expired") after GARDEN_SESSION_MINUTES without a click.
    """
    if session_id is not None:
        found = sessions_db.by_id(ctx.con, int(session_id))
    elif token:
        found = sessions_db.by_token_hash(ctx.con, token_hash(token))
    else:
        found = None
    if found is None:
        raise AuthError("auth.session_ended")
    sid, last_seen, expires, revoked_at, reason, active, person = found
    now = ctx.now()
    if revoked_at is not None or not active:
        raise AuthError(
            _ENDED_KEYS.get(reason or ("deactivated" if not active else ""), "auth.session_ended")
        )
    if now >= expires or now - last_seen > timedelta(minutes=ctx.config.session_minutes):
        _revoke_quietly(ctx, sid, now, "expired")
        raise AuthError("auth.session_expired")
    if (now - last_seen).total_seconds() >= TOUCH_SECONDS:
        try:
            sessions_db.touch(ctx.con, sid, now)
        except duckdb.TransactionException:
            pass  # another tab of the same session touched it at the same moment: either write will do
    return sid, person


_ENDED_KEYS = {
    "deactivated": "auth.ended_deactivated",
    "password_reset": "auth.ended_password_reset",
    "password_changed": "auth.ended_password_changed",
    "sign_out_all": "auth.ended_everywhere",
    "sign_out": "auth.ended_signed_out",
    "expired": "auth.session_expired",
}


def _revoke_quietly(ctx: Ctx, session_id: int, now: datetime, reason: str) -> None:
    try:
        sessions_db.revoke(ctx.con, session_id, now, reason)
    except duckdb.Error:
        pass  # the session is refused either way; a concurrent write may have ended it already


def sign_out(ctx: Ctx, session_id: int | None) -> None:
    if session_id is not None:
        _revoke_quietly(ctx, int(session_id), ctx.now(), "sign_out")


def sign_out_everywhere(ctx: Ctx) -> int:
    """End every session of the acting person, this one included."""
    user = ctx.require("edit_own")
    with transaction(ctx):
        ended = sessions_db.revoke_all(ctx.con, user.id, ctx.now(), "sign_out_all")
        audit(ctx, "sign_out_everywhere", "people", user.id, after={"sessions": ended})
    return ended


def end_sessions(ctx: Ctx, person_id: int, reason: str, *, keep: int | None = None) -> int:
    """Within a caller's transaction: end a person's sessions (deactivation, password reset)."""
    return sessions_db.revoke_all(ctx.con, person_id, ctx.now(), reason, keep=keep)


def change_password(ctx: Ctx, old_password: str, new_password: str, *, session_id: int | None = None) -> int:
    """Change one's own password; every other session of this person ends. Returns how many ended."""
    user = ctx.require("edit_own")
    row = people_db.login_row(ctx.con, user.username)
    if not _password_ok(old_password or "", row[1]):
        raise AuthError("auth.bad_old_password")
    check_strength(new_password, user_inputs=(user.username, user.display_name))
    with transaction(ctx):
        people_db.set_password(ctx.con, user.id, hash_password(new_password), ctx.now())
        ended = end_sessions(ctx, user.id, "password_changed", keep=session_id)
        audit(ctx, "change_password", "people", user.id, after={"sessions_ended": ended})
    return ended


def guard_last_committee(ctx: Ctx, person_id: int, *, stays_committee: bool) -> None:
    """Within a transaction: refuse to leave the town without an active committee member.

    The guard row is written first, so two committee members demoting each other at once conflict
    (one is told to try again) instead of both passing the check.
    """
    sessions_db.bump_guard(ctx.con, COMMITTEE, ctx.now())
    remaining = [i for i in people_db.active_committee_ids(ctx.con) if i != person_id or stays_committee]
    if not remaining:
        raise ValidationError("manage.last_committee")


def set_language(ctx: Ctx, language: str) -> None:
    user = ctx.require("edit_own")
    people_db.set_language(ctx.con, user.id, language)


def set_ui_mode(ctx: Ctx, ui_mode: str) -> None:
    """Large text and buttons on a phone ("auto"), everywhere ("elder") or nowhere ("standard");
    saved with the account, so it holds on every device and after a reload."""
    user = ctx.require("edit_own")
    if ui_mode not in UI_MODES:
        raise ValidationError("look.unknown_mode", mode=ui_mode)
    people_db.set_ui_mode(ctx.con, user.id, ui_mode)
