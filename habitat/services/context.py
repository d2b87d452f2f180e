"""The context every service receives: who is acting, on which cursor, at what time."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb

from habitat.db import audit as audit_db
from habitat.clock import Clock, system_clock
from habitat.domain.roles import Person, allowed
from habitat.db.unit import Unit, unit_of_work
from habitat.errors import PermissionDenied
from habitat.settings import Config, load


@dataclass
class Ctx:
    con: duckdb.DuckDBPyConnection
    user: Person | None
    config: Config = field(default_factory=load)
    clock: Clock = system_clock

    @property
    def lang(self) -> str:
        return self.user.language if self.user else self.config.language

    @property
    def photo_root(self) -> Path:
        return self.config.photo_root

    def now(self):
        return self.clock()

    def can(self, action: str) -> bool:
        return self.user is not None and allowed(self.user.role, action)

    def require(self, action: str) -> Person:
        if self.user is None or not allowed(self.user.role, action):
            raise PermissionDenied("perm.denied", action=action)
        return self.user

    def as_user(self, user: Person | None) -> "Ctx":
        return Ctx(con=self.con, user=user, config=self.config, clock=self.clock)


@contextmanager
def transaction(ctx: Ctx) -> Iterator[Unit]:
    """One unit of work on the context's cursor (habitat.db.unit: nested calls join the outer one).

    A write-write conflict becomes a ConflictError the user can retry; nothing is half-written.
    Declare what the writes change with ``unit.changed("species")``: after the commit, caches of
    that topic clear themselves.
    """
    with unit_of_work(ctx.con) as unit:
        yield unit


def audit(ctx: Ctx, action: str, entity: str, entity_id: int | None, before=None, after=None) -> None:
    audit_db.insert(
        ctx.con,
        at=ctx.now(),
        actor_id=ctx.user.id if ctx.user else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
