"""A session is only as good as the account behind it: every click re-reads the person.

The app builds each run's context the way `session_ctx` does here: the session row is read with its
person (auth.resume), so these tests act exactly as an open browser tab would.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from habitat.clock import fixed_clock
from habitat.db import connect
from habitat.domain import verification as v
from habitat.errors import AuthError, ConflictError, PermissionDenied, ValidationError
from habitat.services import audit_log, auth, people, review
from habitat.services.context import Ctx
from tests.integration.test_roles_matrix import MATRIX, NOW, World

V, E, C = "volunteer", "expert", "committee"


def person_id(con, username: str) -> int:
    return con.execute("SELECT id FROM people WHERE username = ?", [username]).fetchall()[0][0]


def sign_in(make_ctx, username: str, password: str = "huayuan2026", clock=None) -> auth.SignedIn:
    return auth.sign_in(make_ctx(None, clock=clock or fixed_clock(NOW)), username, password)


def session_ctx(con, config, session_id: int, clock=None) -> Ctx:
    """What the app does at the top of every run: the person, read afresh from the session."""
    base = Ctx(con=con, user=None, config=config, clock=clock or fixed_clock(NOW))
    _, person = auth.resume(base, session_id=session_id)
    return base.as_user(person)


@pytest.fixture
def committee(make_ctx):
    return make_ctx("liuzhuren", clock=fixed_clock(NOW))


# ------------------------------------------------------------------ stale tabs


def test_a_deactivated_volunteers_open_tab_is_refused_at_the_next_click(con, config, make_ctx, committee):
    tab = sign_in(make_ctx, "wangayi")
    world = World(con, make_ctx)
    MATRIX["log"][0](session_ctx(con, config, tab.session_id), world)  # works while active
    before = con.execute("SELECT count(*) FROM sightings").fetchall()[0][0]
    people.set_active(committee, tab.person.id, False)
    with pytest.raises(AuthError) as info:
        MATRIX["log"][0](session_ctx(con, config, tab.session_id), world)
    assert info.value.key == "auth.ended_deactivated"
    assert con.execute("SELECT count(*) FROM sightings").fetchall()[0][0] == before
    assert con.execute("SELECT revoked_reason FROM sessions WHERE id = ?", [tab.session_id]).fetchall() == [
        ("deactivated",)
    ]


def test_a_demoted_experts_open_tab_can_no_longer_verify(con, config, make_ctx, committee):
    tab = sign_in(make_ctx, "zhanggong")
    world = World(con, make_ctx)
    record = world.sighting()
    people.change_role(committee, tab.person.id, "volunteer")
    with pytest.raises(PermissionDenied):
        review.decide(session_ctx(con, config, tab.session_id), record, 1, v.ACCEPTED_CORRECT)
    assert con.execute(
        "SELECT identification_verification_status FROM sightings WHERE id = ?", [record]
    ).fetchall() == [(v.UNCONFIRMED_NOT_REVIEWED,)]


def test_a_demoted_committee_member_cannot_promote_herself_back_or_demote_the_other(
    con, config, make_ctx, committee
):
    zhou = sign_in(make_ctx, "zhoujie")
    people.change_role(committee, zhou.person.id, "volunteer")
    her_tab = session_ctx(con, config, zhou.session_id)
    assert her_tab.user.role == "volunteer"
    with pytest.raises(PermissionDenied):
        people.change_role(her_tab, zhou.person.id, "committee")
    with pytest.raises(PermissionDenied):
        people.change_role(her_tab, committee.user.id, "volunteer")
    roles = dict(
        con.execute("SELECT username, role FROM people WHERE username IN ('zhoujie', 'liuzhuren')").fetchall()
    )
    assert roles == {"zhoujie": "volunteer", "liuzhuren": "committee"}


def test_a_promotion_applies_at_the_next_click_without_signing_in_again(con, config, make_ctx, committee):
    tab = sign_in(make_ctx, "lishushu")
    with pytest.raises(PermissionDenied):
        audit_log.recent_audit(session_ctx(con, config, tab.session_id))
    people.change_role(committee, tab.person.id, "committee")
    assert not audit_log.recent_audit(session_ctx(con, config, tab.session_id)).empty


def test_a_password_reset_ends_every_open_session_of_that_person(con, config, make_ctx, committee):
    phone, tablet = sign_in(make_ctx, "sunayi"), sign_in(make_ctx, "sunayi")
    other = sign_in(make_ctx, "wangayi")
    people.reset_password(committee, phone.person.id, "lotus-frog-27")
    for tab in (phone, tablet):
        with pytest.raises(AuthError) as info:
            session_ctx(con, config, tab.session_id)
        assert info.value.key == "auth.ended_password_reset"
    assert session_ctx(con, config, other.session_id).user.username == "wangayi"  # nobody else signed out
    assert sign_in(make_ctx, "sunayi", "lotus-frog-27").person.username == "sunayi"


def test_changing_ones_own_password_keeps_this_tab_and_ends_the_others(con, config, make_ctx):
    here, elsewhere = sign_in(make_ctx, "wangayi"), sign_in(make_ctx, "wangayi")
    ctx = session_ctx(con, config, here.session_id)
    assert auth.change_password(ctx, "huayuan2026", "lotus-frog-27", session_id=here.session_id) == 1
    assert session_ctx(con, config, here.session_id).user.username == "wangayi"
    with pytest.raises(AuthError) as info:
        session_ctx(con, config, elsewhere.session_id)
    assert info.value.key == "auth.ended_password_changed"


def test_sign_out_everywhere_ends_every_session_of_the_person(con, config, make_ctx):
    a, b = sign_in(make_ctx, "wangayi"), sign_in(make_ctx, "wangayi")
    assert auth.sign_out_everywhere(session_ctx(con, config, a.session_id)) == 2
    for tab in (a, b):
        with pytest.raises(AuthError):
            session_ctx(con, config, tab.session_id)


def test_a_session_ends_after_the_idle_timeout_and_a_click_keeps_it_alive(con, config, make_ctx):
    tab = sign_in(make_ctx, "wangayi")
    idle = timedelta(minutes=config.session_minutes)
    session_ctx(con, config, tab.session_id, clock=fixed_clock(NOW + idle - timedelta(minutes=1)))  # a click
    session_ctx(con, config, tab.session_id, clock=fixed_clock(NOW + 2 * idle - timedelta(minutes=2)))
    with pytest.raises(AuthError) as info:
        session_ctx(con, config, tab.session_id, clock=fixed_clock(NOW + 4 * idle))
    assert info.value.key == "auth.session_expired"


def test_the_cookie_token_finds_its_session_and_only_its_hash_is_stored(con, config, make_ctx):
    tab = sign_in(make_ctx, "wangayi")
    base = Ctx(con=con, user=None, config=config, clock=fixed_clock(NOW))
    assert auth.resume(base, token=tab.token) == (tab.session_id, tab.person)
    stored = con.execute("SELECT token_hash FROM sessions WHERE id = ?", [tab.session_id]).fetchall()[0][0]
    assert stored != tab.token and stored == auth.token_hash(tab.token)
    with pytest.raises(AuthError):
        auth.resume(base, token=tab.token[:-1] + ("A" if tab.token[-1] != "A" else "B"))


# ------------------------------------------------------------------ own role, last committee member


def test_nobody_changes_their_own_role(committee):
    with pytest.raises(ValidationError) as info:
        people.change_role(committee, committee.user.id, "committee")
    assert info.value.key == "manage.cannot_change_own_role"


def test_the_last_active_committee_member_can_be_neither_demoted_nor_switched_off(con, make_ctx, committee):
    """With a live committee member acting, the target is never the last one, except in a race (below)
    or when the check itself runs: it refuses whenever nobody active would be left."""
    from habitat.services.context import transaction

    people.set_active(committee, person_id(con, "zhoujie"), False)  # liuzhuren is now the only one
    for change in (
        lambda: people.change_role(committee, committee.user.id, "volunteer"),
        lambda: people.set_active(committee, committee.user.id, False),
    ):
        with pytest.raises(ValidationError):
            change()
    for stays in (False,):
        with pytest.raises(ValidationError) as info:
            with transaction(committee):
                auth.guard_last_committee(committee, committee.user.id, stays_committee=stays)
        assert info.value.key == "manage.last_committee"
    with transaction(committee):  # someone else, or staying committee: fine
        auth.guard_last_committee(committee, committee.user.id, stays_committee=True)
        auth.guard_last_committee(committee, person_id(con, "wangayi"), stays_committee=False)
    assert con.execute("SELECT count(*) FROM people WHERE role = 'committee' AND active").fetchall() == [(1,)]


def test_two_committee_members_demoting_each_other_at_once_leave_one(demo_db, config):
    """Both pass the 'someone else is left' check in their own snapshot unless the guard row serialises them."""
    con = connect(demo_db)
    ids = dict(con.execute("SELECT username, id FROM people WHERE role = 'committee'").fetchall())
    assert set(ids) == {"liuzhuren", "zhoujie"}
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def demote(actor: str, target: str) -> None:
        cur = con.cursor()
        ctx = Ctx(con=cur, user=None, config=config, clock=fixed_clock(NOW))
        from habitat.db import people as people_db

        ctx = ctx.as_user(people_db.by_id(cur, ids[actor]))
        barrier.wait()
        try:
            people.change_role(ctx, ids[target], "volunteer")
            outcomes[actor] = "done"
        except (ValidationError, ConflictError) as err:
            outcomes[actor] = err.key

    for _ in range(5):
        con.execute("UPDATE people SET role = 'committee' WHERE id IN (?, ?)", list(ids.values()))
        outcomes.clear()
        threads = [
            threading.Thread(target=demote, args=pair)
            for pair in (("liuzhuren", "zhoujie"), ("zhoujie", "liuzhuren"))
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        left = con.execute("SELECT count(*) FROM people WHERE role = 'committee' AND active").fetchall()[0][0]
        assert left >= 1, outcomes
        assert sorted(outcomes.values()) != ["done", "done"], outcomes
    con.close()


# ------------------------------------------------------------------ the matrix after a change


TRANSITIONS = [
    ("lishushu", V, C, ()),
    ("zhoujie", C, V, ()),
    ("chenlaoshi", E, V, ()),
    ("sunayi", V, E, ("bird", "plant")),
]


@pytest.mark.parametrize("username,old,new,groups", TRANSITIONS)
def test_the_role_matrix_follows_a_role_changed_after_sign_in(
    con, config, make_ctx, committee, username, old, new, groups
):
    tab = sign_in(make_ctx, username)
    assert tab.person.role == old
    people.change_role(committee, tab.person.id, new, list(groups))
    world = World(con, make_ctx)
    wrong = []
    for action, (runner, allowed) in MATRIX.items():
        ctx = session_ctx(con, config, tab.session_id)
        try:
            runner(ctx, world)
            did = True
        except PermissionDenied:
            did = False
        if did != (new in allowed):
            wrong.append(action)
    assert wrong == []


def test_the_role_matrix_refuses_everything_after_deactivation(con, config, make_ctx, committee):
    tab = sign_in(make_ctx, "zhanggong")
    people.set_active(committee, tab.person.id, False)
    world = World(con, make_ctx)
    for action, (runner, _) in MATRIX.items():
        with pytest.raises(AuthError):
            runner(session_ctx(con, config, tab.session_id), world)


# ------------------------------------------------------------------ sign-in itself


def test_unknown_accounts_and_wrong_passwords_get_the_neutral_message_after_the_same_bcrypt_work(
    con, make_ctx, committee, monkeypatch
):
    import bcrypt

    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, h: calls.append(h[:7]) or real(pw, h))
    people.set_active(committee, person_id(con, "xiaoming"), False)
    for username in ("nobody-here", "xiaoming", "wangayi"):
        calls.clear()
        with pytest.raises(AuthError) as info:
            sign_in(make_ctx, username, "wrong-password-1")
        assert info.value.key == "auth.bad_credentials"
        assert len(calls) == 1 and calls[0].startswith(b"$2b$"), username  # one full bcrypt check each
    calls.clear()
    with pytest.raises(AuthError) as info:
        sign_in(make_ctx, "xiaoming", "huayuan2026")  # right password, switched off: she is told why
    assert info.value.key == "auth.sign_in_deactivated"
    assert "居委会停用" in info.value.message("zh")


@pytest.mark.parametrize(
    "typed", ["Wangayi", "WANGAYI", " wangayi ", "wang\u200bayi", "ｗａｎｇａｙｉ", "Wangayi\ufeff"]
)
def test_the_user_name_is_found_however_a_phone_keyboard_typed_it(make_ctx, typed):
    """Phone keyboards capitalise the first letter; IMEs type full-width letters (red team F9)."""
    signed = sign_in(make_ctx, typed)
    assert signed.person.username == "wangayi"


def test_a_new_account_is_stored_in_the_normal_form_and_a_name_differing_only_in_case_is_taken(
    committee, con
):
    new_id = people.create_person(
        committee,
        username=" Chen.Ayi ",
        display_name="陈阿姨",
        role="volunteer",
        password="lüse-huayuan-2026-qiu",
    )
    assert con.execute("SELECT username FROM people WHERE id = ?", [new_id]).fetchall() == [("chen.ayi",)]
    with pytest.raises(ValidationError) as info:
        people.create_person(
            committee,
            username="WANGAYI",
            display_name="王阿姨二号",
            role="volunteer",
            password="lüse-huayuan-2026-qiu",
        )
    assert info.value.key == "auth.username_taken"


def test_thirty_parallel_wrong_passwords_are_all_counted_and_lock_the_account(demo_db, config):
    con = connect(demo_db)
    results: list[str] = []
    barrier = threading.Barrier(30)

    def guess(i: int) -> None:
        ctx = Ctx(con=con.cursor(), user=None, config=config, clock=fixed_clock(NOW))
        barrier.wait()
        try:
            auth.sign_in(ctx, "wangayi", f"guess-number-{i}")
            results.append("in")
        except AuthError as err:
            results.append(err.key)
        except Exception as err:  # noqa: BLE001 - the point is that nothing else escapes
            results.append(f"{type(err).__name__}: {err}")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert set(results) <= {"auth.bad_credentials", "auth.locked"}, results
    failures, locked_until = con.execute(
        "SELECT failed_logins, locked_until FROM people WHERE username = 'wangayi'"
    ).fetchall()[0]
    assert failures == 30
    assert locked_until is not None and locked_until > NOW
    # only the free attempts (and at most the one that set the lock) had their password checked
    assert results.count("auth.bad_credentials") <= auth.FREE_ATTEMPTS - 1
    with pytest.raises(AuthError) as info:
        auth.sign_in(Ctx(con=con, user=None, config=config, clock=fixed_clock(NOW)), "wangayi", "huayuan2026")
    assert info.value.key == "auth.locked"
    con.close()


def test_the_lock_is_capped_and_guessing_stays_counted_after_many_failures(con, make_ctx):
    con.execute("UPDATE people SET failed_logins = 1000 WHERE username = 'wangayi'")
    ctx = make_ctx(None, clock=fixed_clock(NOW))
    with pytest.raises(AuthError) as info:
        auth.sign_in(ctx, "wangayi", "wrong-password-1")
    assert info.value.key == "auth.locked"
    assert info.value.params["minutes"] <= auth.MAX_LOCK_MINUTES + 1
    with pytest.raises(AuthError):
        auth.sign_in(ctx, "wangayi", "wrong-password-2")
    assert con.execute("SELECT failed_logins FROM people WHERE username = 'wangayi'").fetchall() == [(1002,)]
    after_a_day = make_ctx(None, clock=fixed_clock(NOW + timedelta(minutes=auth.MAX_LOCK_MINUTES + 1)))
    assert auth.sign_in(after_a_day, "wangayi", "huayuan2026").person.username == "wangayi"
    assert auth.lock_minutes(10**6) == auth.MAX_LOCK_MINUTES and auth.lock_minutes(5) == auth.LOCK_MINUTES


@pytest.mark.parametrize(
    "password,reason",
    [
        ("        ", "auth.password_blank"),
        ("12345678", "auth.password_common"),
        ("abcdefgh12", "auth.password_sequence"),
        ("wangayi1", "auth.password_has_name"),
        ("woaini1314", None),
        ("password", None),
        ("aaaaaaaaaaaa", "auth.password_repeats"),
        ("short", "auth.password_too_short"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason_in_chinese(make_ctx, password, reason):
    ctx = make_ctx("liuzhuren")
    with pytest.raises(ValidationError) as info:
        people.create_person(
            ctx,
            username="laowang",
            display_name="老王",
            role="volunteer",
            password=password.replace("wangayi", "laowang"),
        )
    if reason:
        assert info.value.key == reason
    zh = info.value.message("zh")
    assert zh and not any(word in zh for word in ("password", "Password", "weak"))


def test_a_strong_password_is_accepted(make_ctx):
    assert (
        people.create_person(
            make_ctx("liuzhuren"),
            username="laowang",
            display_name="老王",
            role="volunteer",
            password="hehua-qingwa-27",
        )
        > 0
    )


# ------------------------------------------------------------------ lock-out abuse (red team F8)


def test_a_stranger_failing_on_purpose_does_not_lock_the_owner_out_of_her_own_phone(make_ctx, con):
    """Five wrong passwords from anywhere lock the account; the browser she signed in from before (its
    device cookie) still gets in with the right password, and the stranger stays locked."""
    first = sign_in(make_ctx, "xiaoming")
    assert first.device_token and con.execute(
        "SELECT count(*) FROM devices WHERE token_hash = ?", [auth.token_hash(first.device_token)]
    ).fetchall() == [(1,)]
    for _ in range(6):
        with pytest.raises(AuthError):
            sign_in(make_ctx, "xiaoming", "guess-guess-guess")
    with pytest.raises(AuthError) as info:
        sign_in(make_ctx, "xiaoming")  # a new browser, right password: locked
    assert info.value.key == "auth.locked"
    again = auth.sign_in(
        make_ctx(None, clock=fixed_clock(NOW)), "xiaoming", "huayuan2026", first.device_token
    )
    assert again.person.username == "xiaoming" and again.device_token is None  # her phone keeps its cookie
    with pytest.raises(AuthError) as info:
        sign_in(make_ctx, "xiaoming")  # the stranger's side is still locked
    assert info.value.key == "auth.locked"


def test_a_known_device_is_trusted_only_up_to_its_own_failure_limit_and_not_after_a_reset(
    make_ctx, committee, con
):
    device = sign_in(make_ctx, "lishushu").device_token
    ctx = make_ctx(None, clock=fixed_clock(NOW))
    for _ in range(auth.DEVICE_MAX_FAILURES):
        with pytest.raises(AuthError) as info:
            auth.sign_in(ctx, "lishushu", "wrong-wrong-wrong", device)
        assert info.value.key == "auth.bad_credentials"
    assert con.execute(
        "SELECT count(*) FROM devices WHERE token_hash = ?", [auth.token_hash(device)]
    ).fetchall() == [(0,)]
    fresh = sign_in(make_ctx, "zhaoshifu").device_token
    people.reset_password(committee, person_id(con, "zhaoshifu"), "xin-mima-2026-qiutian")
    assert con.execute(
        "SELECT count(*) FROM devices WHERE token_hash = ?", [auth.token_hash(fresh)]
    ).fetchall() == [(0,)]


def test_the_lock_message_does_not_tell_which_names_exist(make_ctx):
    """A name that is no account locks after the same number of wrong passwords, with the same message."""
    seen = {}
    for name in ("sunayi", "no-such-person"):
        keys = []
        for _ in range(auth.FREE_ATTEMPTS + 1):
            with pytest.raises(AuthError) as info:
                sign_in(make_ctx, name, "guess-guess-guess")
            keys.append(info.value.key)
        seen[name] = keys
    assert seen["sunayi"] == seen["no-such-person"]
    assert seen["sunayi"][-1] == "auth.locked" and seen["sunayi"][0] == "auth.bad_credentials"
