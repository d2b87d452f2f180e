"""AppTest: two experts on one record. The decision is checked against the version of the record the
expert was looking at, so the later click gets the conflict message and the earlier decision stands."""

from __future__ import annotations

import re

from habitat.db import connect
from habitat.domain import verification as v
from habitat.services import review, sightings
from habitat.services.context import Ctx
from habitat.settings import load
from tests.app.conftest import person
from tests.app.helpers import review_table_key, rows, select_review_rows

CONFLICT = "刚被别人改过"  # review.conflict (zh)


def shown_record(at) -> int:
    heading = next(m.value for m in at.markdown if m.value.startswith("### #"))
    return int(re.match(r"### #(\d+)", heading).group(1))


def as_person(db, username, action):
    """Run ``action(ctx)`` as another person through the services, on its own connection."""
    con = connect(db)
    try:
        return action(Ctx(con=con, user=person(db, username), config=load(env={}, GARDEN_DB=str(db))))
    finally:
        con.close()


def version(db, sighting_id):
    return rows(db, "SELECT version FROM sightings WHERE id = ?", [sighting_id])[0][0]


def decision_button(at, sighting_id, status):
    return at.button(key=f"review_{sighting_id}_{v.STATUS_KEYS[status]}")


def test_the_second_expert_gets_the_conflict_message_and_the_first_decision_stands(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")  # expert A opens the oldest record
    record = shown_record(at)
    before = rows(app_env, "SELECT coalesce(max(id), 0) FROM verifications")[0][0]
    as_person(
        app_env,
        "xuboshi",
        lambda b: review.decide(b, record, version(app_env, record), v.NOT_ACCEPTED_INCORRECT),
    )
    b_id = rows(app_env, "SELECT id FROM people WHERE username = 'xuboshi'")[0][0]

    decision_button(at, record, v.ACCEPTED_CORRECT).click().run()  # A clicks on what A saw

    assert not at.exception, at.exception
    assert any(CONFLICT in e.value and f"第 {record} 号" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert rows(
        app_env, "SELECT identification_verification_status FROM sightings WHERE id = ?", [record]
    ) == [(v.NOT_ACCEPTED_INCORRECT,)]
    assert rows(
        app_env, "SELECT sighting_id, status, decided_by FROM verifications WHERE id > ?", [before]
    ) == [(record, v.NOT_ACCEPTED_INCORRECT, b_id)]  # only B's decision was written
    assert not any(f"第 {record} 号：" in s.value for s in at.success)  # no "decided" message for A


def test_a_record_the_recorder_changed_after_it_was_shown_is_not_decided_on_the_old_view(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    record = shown_record(at)
    recorder = rows(
        app_env,
        "SELECT p.username FROM sightings s JOIN people p ON p.id = s.recorded_by WHERE s.id = ?",
        [record],
    )[0][0]
    as_person(
        app_env,
        recorder,
        lambda ctx: sightings.update_sighting(
            ctx, record, version(app_env, record), {"individual_count": 40}
        ),
    )

    decision_button(at, record, v.ACCEPTED_CORRECT).click().run()

    assert any(CONFLICT in e.value for e in at.error), [e.value for e in at.error]
    assert rows(
        app_env,
        "SELECT identification_verification_status, individual_count FROM sightings WHERE id = ?",
        [record],
    ) == [(v.UNCONFIRMED_NOT_REVIEWED, 40)]
    assert shown_record(at) == record  # still in the queue: shown again, now with the recorder's change


def test_bulk_accept_uses_the_versions_shown_in_the_table(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    select_review_rows(at, [0, 1, 2])
    at.run()
    selected = [int(i) for i in at.dataframe(key=review_table_key(at)).value["#"][:3]]
    fourth = int(at.dataframe(key=review_table_key(at)).value["#"].iloc[3])
    taken = selected[1]
    as_person(
        app_env,
        "xuboshi",
        lambda b: review.decide(b, taken, version(app_env, taken), v.NOT_ACCEPTED_INCORRECT),
    )

    next(b for b in at.button if b.key == "review_bulk").click().run()

    assert not at.exception, at.exception
    status = dict(
        rows(
            app_env,
            "SELECT id, identification_verification_status FROM sightings WHERE id IN (?, ?, ?, ?)",
            [*selected, fourth],
        )
    )
    assert status == {
        selected[0]: v.ACCEPTED_CORRECT,
        taken: v.NOT_ACCEPTED_INCORRECT,
        selected[2]: v.ACCEPTED_CORRECT,
        fourth: v.UNCONFIRMED_NOT_REVIEWED,
    }
    assert any(f"#{taken}" in w.value for w in at.warning), [w.value for w in at.warning]


def test_an_uncontested_decision_is_saved_with_its_remark_and_confirmed(app_as, app_env):
    at = app_as("zhanggong", "pages/review.py")
    record = shown_record(at)
    at.text_input(key=f"review_remark_{record}").input("翅上斑点清楚").run()
    decision_button(at, record, v.ACCEPTED_CORRECT).click().run()
    assert not at.error
    assert any(f"第 {record} 号：" in s.value for s in at.success)
    assert rows(
        app_env,
        "SELECT status, remark FROM verifications WHERE sighting_id = ? ORDER BY id DESC LIMIT 1",
        [record],
    ) == [(v.ACCEPTED_CORRECT, "翅上斑点清楚")]
