"""The SQL rule every reader builds in (habitat.db.privacy) agrees with the domain rule on every case."""

from datetime import datetime, timedelta
from itertools import product

from habitat.clock import SHANGHAI
from habitat.db import privacy
from habitat.domain import verification as v
from habitat.domain.privacy import Proposal, expert_acceptance, must_generalise

T = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
DECIDED = T + timedelta(minutes=10)
# when an owl was proposed relative to the decision: never, before, at the same instant, after
OWL_PROPOSED = {
    "never": None,
    "before": T + timedelta(minutes=5),
    "same": DECIDED,
    "after": T + timedelta(minutes=20),
}
DECISIONS = {  # name: (status, decided by an expert?)
    "none": (v.UNCONFIRMED_NOT_REVIEWED, False),
    "expert_accepted": (v.ACCEPTED_CORRECT, True),
    "expert_considered": (v.ACCEPTED_CONSIDERED, True),
    "machine_accepted": (v.ACCEPTED_CONSIDERED, False),
    "expert_plausible": (v.UNCONFIRMED_PLAUSIBLE, True),
    "expert_incorrect": (v.NOT_ACCEPTED_INCORRECT, True),
}


def one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()[0]


def flags(con, ids: list[int] | None) -> dict[int, bool]:
    """sighting id -> generalised, as the readers compute it (for some sightings, or all)."""
    if ids is None:
        sql = f"WITH {privacy.generalisation()} SELECT sighting_id, generalised FROM privacy"
        return dict(con.execute(sql).fetchall())
    sql = (
        f"WITH chosen AS (SELECT unnest(?::BIGINT[]) AS id), {privacy.generalisation(among='chosen')}"
        " SELECT sighting_id, generalised FROM privacy"
    )
    return dict(con.execute(sql, [ids]).fetchall())


def test_the_view_and_the_domain_rule_agree_on_every_case(con):
    gid, zid = one(
        con, "SELECT garden_id, min(id) FROM zones WHERE garden_id = (SELECT min(id) FROM gardens) GROUP BY 1"
    )
    recorder, expert = one(
        con,
        "SELECT (SELECT id FROM people WHERE username = 'wangayi'),"
        " (SELECT id FROM people WHERE username = 'zhanggong')",
    )
    sparrow, owl = one(
        con,
        "SELECT (SELECT id FROM species WHERE chinese_name = '麻雀'),"
        " (SELECT id FROM species WHERE chinese_name = '长耳鸮')",
    )
    # a name merged into the owl: not flagged itself, sensitive through its accepted name
    merged = one(
        con,
        "INSERT INTO species (scientific_name, chinese_name, group_name, accepted_id)"
        " VALUES ('Asio otus test-synonym', '长耳鸮（旧名）', 'bird', ?) RETURNING id",
        [owl],
    )[0]
    currents = {"sparrow": (sparrow, False), "owl": (owl, True), "merged_into_owl": (merged, True)}
    expected = {}
    for nest, (current, (species, sensitive)), (when, owl_at), (decision, (status, by_expert)) in product(
        (False, True), currents.items(), OWL_PROPOSED.items(), DECISIONS.items()
    ):
        decided = status != v.UNCONFIRMED_NOT_REVIEWED
        verified_by = expert if decided and by_expert else None
        verified_at = DECIDED if decided else None
        sid = one(
            con,
            "INSERT INTO sightings (garden_id, zone_id, species_id, event_date, nest_or_den, recorded_by,"
            " identification_verification_status, verified_by, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            [gid, zid, species, T, nest, recorder, status, verified_by, verified_at],
        )[0]
        history = [Proposal(sensitive, T)]
        con.execute(
            "INSERT INTO identifications (sighting_id, species_id, identified_by, identified_at)"
            " VALUES (?, ?, ?, ?)",
            [sid, species, recorder, T],
        )
        if owl_at is not None:
            history.append(Proposal(True, owl_at))
            con.execute(
                "INSERT INTO identifications (sighting_id, species_id, identified_by, identified_at)"
                " VALUES (?, ?, ?, ?)",
                [sid, owl, recorder, owl_at],
            )
        expected[sid] = (
            must_generalise(
                nest_or_den=nest,
                current_sensitive=sensitive,
                proposals=history,
                accepted_at=expert_acceptance(status, verified_by, verified_at),
            ),
            (nest, current, when, decision),
        )
    got = flags(con, list(expected))
    assert flags(con, None) | got == flags(con, None)  # for a few sightings as for all of them
    disagree = [case for sid, (rule, case) in expected.items() if got[sid] is not rule]
    assert not disagree
    assert len(expected) == 2 * 3 * 4 * 6
    # and the cases that matter most came out as the security review asks
    lifted = [case for sid, (rule, case) in expected.items() if not rule]
    assert ("False", "sparrow", "before", "expert_accepted") in {tuple(map(str, c)) for c in lifted}
    assert all(c[0] is False and c[1] == "sparrow" for c in lifted)
    assert {c[2] for c in lifted if c[3] in ("none", "machine_accepted", "expert_plausible")} <= {"never"}


def test_every_sighting_gets_one_flag_and_a_page_gets_only_its_own(con):
    everything = flags(con, None)
    assert len(everything) == one(con, "SELECT count(*) FROM sightings")[0]
    assert set(everything.values()) == {True, False}
    few = one(con, "SELECT list(id ORDER BY id) FROM (SELECT id FROM sightings ORDER BY id DESC LIMIT 5)")[0]
    assert flags(con, few) == {i: everything[i] for i in few}
