"""Verification vocabulary (Indicia/iRecord) and the community-taxon rule (iNaturalist)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

ACCEPTED_CORRECT = "Accepted – correct"
ACCEPTED_CONSIDERED = "Accepted – considered correct"
UNCONFIRMED_PLAUSIBLE = "Unconfirmed – plausible"
UNCONFIRMED_NOT_REVIEWED = "Unconfirmed – not reviewed"
NOT_ACCEPTED_UNABLE = "Not accepted – unable to verify"
NOT_ACCEPTED_INCORRECT = "Not accepted – incorrect"

STATUSES = (
    ACCEPTED_CORRECT,
    ACCEPTED_CONSIDERED,
    UNCONFIRMED_PLAUSIBLE,
    UNCONFIRMED_NOT_REVIEWED,
    NOT_ACCEPTED_UNABLE,
    NOT_ACCEPTED_INCORRECT,
)
DECISIONS = tuple(s for s in STATUSES if s != UNCONFIRMED_NOT_REVIEWED)
ACCEPTED = (ACCEPTED_CORRECT, ACCEPTED_CONSIDERED)
NOT_ACCEPTED = (NOT_ACCEPTED_UNABLE, NOT_ACCEPTED_INCORRECT)

# i18n keys for the statuses (the stored value stays the English Indicia string)
STATUS_KEYS = {
    ACCEPTED_CORRECT: "status.accepted_correct",
    ACCEPTED_CONSIDERED: "status.accepted_considered",
    UNCONFIRMED_PLAUSIBLE: "status.plausible",
    UNCONFIRMED_NOT_REVIEWED: "status.not_reviewed",
    NOT_ACCEPTED_UNABLE: "status.unable",
    NOT_ACCEPTED_INCORRECT: "status.incorrect",
}


def is_reviewed(status: str) -> bool:
    return status != UNCONFIRMED_NOT_REVIEWED


@dataclass(frozen=True)
class Identification:
    species_id: int | None
    by_expert: bool = False


def community_taxon(ids: Sequence[Identification]) -> int | None:
    """Taxon supported by at least two identifications and more than 2/3 of them."""
    named = [i.species_id for i in ids if i.species_id is not None]
    if len(named) < 2:
        return None
    taxon, votes = Counter(named).most_common(1)[0]
    return taxon if votes >= 2 and votes * 3 > len(named) * 2 else None


def current_taxon(
    ids: Sequence[Identification], expert_decided_taxon: int | None, recorder_taxon: int | None
) -> int | None:
    """An expert's decision stands; otherwise the community taxon; otherwise the recorder's."""
    if expert_decided_taxon is not None:
        return expert_decided_taxon
    return community_taxon(ids) or recorder_taxon
