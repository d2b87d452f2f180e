"""The inbox on home: what happened to her records and questions since she last looked.

Accepted, not accepted or judged plausible by an expert (or the committee's auto-accept), a question or
remark on her record, her question answered. "Since she last looked" is ``people.inbox_seen_at``
(migration 0011), moved on by "mark as read"; a person who never marked it sees the last
``NEVER_SEEN_DAYS`` days as new, not a year of history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from habitat.db import inbox as inbox_db
from habitat.services.context import Ctx, transaction

NEVER_SEEN_DAYS = 30
KINDS = (
    inbox_db.QUERIED_KIND,
    inbox_db.ANSWERED_KIND,
    inbox_db.ACCEPTED_KIND,
    inbox_db.REJECTED_KIND,
    inbox_db.PLAUSIBLE_KIND,
)
QUERIED = inbox_db.QUERIED_KIND
ANSWERED = inbox_db.ANSWERED_KIND
DECIDED = (inbox_db.ACCEPTED_KIND, inbox_db.REJECTED_KIND, inbox_db.PLAUSIBLE_KIND)


@dataclass(frozen=True)
class Inbox:
    since: datetime  # items after this are new
    new: pd.DataFrame  # the new items, newest first (see habitat.db.inbox.items)
    latest: pd.DataFrame  # the latest items, read or not, newest first, with a column `new`

    @property
    def counts(self) -> dict[str, int]:
        """New items per kind (kinds without any left out)."""
        return {k: int(n) for k, n in self.new["kind"].value_counts().items()}

    def first_waiting_query(self) -> int | None:
        """The sighting of the newest new question she has not answered yet (the banner's link)."""
        waiting = self.new[(self.new["kind"] == QUERIED) & self.new["waiting"]]
        return None if waiting.empty else int(waiting["sighting_id"].iloc[0])


def inbox(ctx: Ctx, *, latest: int = 8, most: int = 200) -> Inbox:
    """Her inbox: up to ``most`` new items and the ``latest`` items of all."""
    user = ctx.require("log")
    since = inbox_db.seen_at(ctx.con, user.id) or ctx.now() - timedelta(days=NEVER_SEEN_DAYS)
    new = inbox_db.items(ctx.con, user.id, since=since, limit=most)
    recent = inbox_db.items(ctx.con, user.id, limit=latest)
    recent["new"] = [pd.Timestamp(at) > pd.Timestamp(since) for at in recent["at"]]
    return Inbox(since=since, new=new, latest=recent)


def mark_read(ctx: Ctx) -> None:
    """Everything up to now is read: the banner goes away until something new happens."""
    user = ctx.require("log")
    with transaction(ctx):
        inbox_db.set_seen_at(ctx.con, user.id, ctx.now())
