from datetime import timedelta

import pytest

from habitat.clock import fixed_clock
from habitat.errors import AuthError, PermissionDenied, ValidationError
from habitat.services import auth, people, upkeep


def test_passwords_are_stored_as_bcrypt_hashes(con):
    hashes = [r[0] for r in con.execute("SELECT password_hash FROM people").fetchall()]
    assert hashes and all(h.startswith("$2b$") for h in hashes)


def test_wrong_password_is_refused_and_counted(con, make_ctx):
    with pytest.raises(AuthError) as info:
        auth.sign_in(make_ctx(None), "wangayi", "wrong-password")
    assert info.value.key == "auth.bad_credentials"
    assert con.execute("SELECT failed_logins FROM people WHERE username = 'wangayi'").fetchall() == [(1,)]


def test_five_failures_lock_the_account_even_for_the_right_password(con, make_ctx):
    ctx = make_ctx(None)
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.sign_in(ctx, "wangayi", "nope-nope")
    with pytest.raises(AuthError) as info:
        auth.sign_in(ctx, "wangayi", "huayuan2026")
    assert info.value.key == "auth.locked"
    later = make_ctx(None, clock=fixed_clock(ctx.now() + timedelta(minutes=6)))
    assert auth.sign_in(later, "wangayi", "huayuan2026").person.username == "wangayi"


def test_password_change_requires_the_old_one_and_a_minimum_length(make_ctx):
    ctx = make_ctx("wangayi")
    with pytest.raises(AuthError):
        auth.change_password(ctx, "not-it", "new-password-1")
    with pytest.raises(ValidationError):
        auth.change_password(ctx, "huayuan2026", "short")
    auth.change_password(ctx, "huayuan2026", "new-password-1")
    assert auth.sign_in(make_ctx(None), "wangayi", "new-password-1").person.username == "wangayi"


def test_only_the_committee_adds_people(make_ctx):
    with pytest.raises(PermissionDenied):
        people.create_person(
            make_ctx("wangayi"), username="x1", display_name="X", role="volunteer", password="lotus-frog-27"
        )
    new_id = people.create_person(
        make_ctx("liuzhuren"), username="x1", display_name="X", role="volunteer", password="lotus-frog-27"
    )
    assert new_id > 0


def test_due_list_puts_the_most_overdue_first(make_ctx):
    due = upkeep.due_tasks(make_ctx("wangayi"))
    assert not due.empty and (due["days_overdue"] >= 0).all()
    assert list(due["days_overdue"]) == sorted(due["days_overdue"], reverse=True)


def test_logging_a_task_moves_its_next_due_date(con, make_ctx):
    ctx = make_ctx("wangayi")
    task = upkeep.due_tasks(ctx).iloc[0]
    log_id = upkeep.log_task(ctx, int(task["id"]), minutes=20, note="浇透了")
    assert con.execute("SELECT minutes, note FROM task_logs WHERE id = ?", [log_id]).fetchall() == [
        (20, "浇透了")
    ]
    after = upkeep.due_tasks(ctx, horizon_days=400)
    row = after[after["id"] == task["id"]].iloc[0]
    assert row["due_on"] == ctx.now().date() + timedelta(days=int(task["every_days"]))
    assert con.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'log_task' AND entity_id = ?", [log_id]
    ).fetchall() == [(1,)]


def test_task_minutes_out_of_range_are_refused(make_ctx):
    ctx = make_ctx("wangayi")
    task = upkeep.due_tasks(ctx).iloc[0]
    with pytest.raises(ValidationError):
        upkeep.log_task(ctx, int(task["id"]), minutes=-5)
