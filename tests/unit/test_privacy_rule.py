"""The generalisation rule (habitat.domain.privacy), case by case."""

from datetime import datetime, timedelta

from habitat.clock import SHANGHAI
from habitat.domain.privacy import Proposal, expert_acceptance, must_generalise
from habitat.domain.verification import ACCEPTED_CORRECT, UNCONFIRMED_NOT_REVIEWED, UNCONFIRMED_PLAUSIBLE

T = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
OWL, SPARROW = True, False  # a proposal is known here only by whether its taxon is sensitive


def proposals(*taxa_and_minutes):
    return [Proposal(sensitive, T + timedelta(minutes=m)) for sensitive, m in taxa_and_minutes]


def test_an_owl_voted_into_a_sparrow_without_an_expert_stays_generalised():
    history = proposals((OWL, 0), (SPARROW, 1), (SPARROW, 2), (SPARROW, 3))
    assert must_generalise(nest_or_den=False, current_sensitive=False, proposals=history, accepted_at=None)


def test_an_expert_accepting_the_sparrow_after_the_owl_proposal_lifts_it():
    history = proposals((OWL, 0), (SPARROW, 1), (SPARROW, 10))
    accepted = expert_acceptance(ACCEPTED_CORRECT, 7, T + timedelta(minutes=10))
    assert not must_generalise(
        nest_or_den=False, current_sensitive=False, proposals=history, accepted_at=accepted
    )


def test_an_owl_proposed_after_the_experts_acceptance_brings_it_back():
    history = proposals((OWL, 0), (SPARROW, 10), (OWL, 20))
    assert must_generalise(
        nest_or_den=False, current_sensitive=False, proposals=history, accepted_at=T + timedelta(minutes=10)
    )


def test_a_proposal_at_the_very_instant_of_acceptance_counts_as_after_it():
    history = proposals((OWL, 10))
    assert must_generalise(
        nest_or_den=False, current_sensitive=False, proposals=history, accepted_at=T + timedelta(minutes=10)
    )


def test_only_a_persons_acceptance_counts_not_the_machine_nor_plausible():
    assert expert_acceptance(ACCEPTED_CORRECT, None, T) is None  # auto-accept: no person
    assert expert_acceptance(UNCONFIRMED_PLAUSIBLE, 7, T) is None
    assert expert_acceptance(UNCONFIRMED_NOT_REVIEWED, 7, T) is None
    assert expert_acceptance(ACCEPTED_CORRECT, 7, T) == T


def test_nests_and_sensitive_current_taxa_are_generalised_whatever_an_expert_decided():
    accepted = T + timedelta(days=1)
    assert must_generalise(nest_or_den=True, current_sensitive=False, proposals=[], accepted_at=accepted)
    assert must_generalise(nest_or_den=False, current_sensitive=True, proposals=[], accepted_at=accepted)


def test_a_plain_record_never_proposed_as_sensitive_is_exact():
    assert not must_generalise(
        nest_or_den=False, current_sensitive=False, proposals=proposals((SPARROW, 0)), accepted_at=None
    )
