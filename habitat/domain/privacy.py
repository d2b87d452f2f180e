"""When a sighting is shown only at garden level: the rule, as plain Python.

The database readers apply the same rule in SQL built by ``habitat.db.privacy``; a test checks
that the two agree on every case. This module is the rule's plain statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from habitat.domain.verification import ACCEPTED


@dataclass(frozen=True)
class Proposal:
    """One taxon proposed for a sighting (the recorder's or a later identification)."""

    sensitive: bool
    at: datetime


def expert_acceptance(status: str, verified_by: int | None, verified_at: datetime | None) -> datetime | None:
    """When a person (not the auto-accept machine) accepted the record, else None."""
    return verified_at if verified_by is not None and status in ACCEPTED else None


def must_generalise(
    *,
    nest_or_den: bool,
    current_sensitive: bool,
    proposals: Sequence[Proposal],
    accepted_at: datetime | None,
) -> bool:
    """Nest or den, or a sensitive current taxon, or a sensitive proposal no expert has overruled.

    An expert's acceptance overrules the sensitive proposals made before it, not those after it:
    three volunteers voting an owl into a sparrow do not unmask it, an expert accepting the sparrow
    does, and a later owl proposal hides it again until an expert looks once more.
    """
    if nest_or_den or current_sensitive:
        return True
    pending = [p.at for p in proposals if p.sensitive]
    return bool(pending) and (accepted_at is None or max(pending) >= accepted_at)
