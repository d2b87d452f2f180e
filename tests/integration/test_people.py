"""There is one way to add an account in the app (the committee's, role-checked and audited) and one
clearly named way for setup, when nobody can be signed in yet."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import habitat.services
from habitat.errors import PermissionDenied, ValidationError
from habitat.services import auth, people

NEW = {"username": "laoqian", "display_name": "老钱", "role": "volunteer", "password": "hehua-qingwa-27"}


def count_people(con, username):
    return con.execute("SELECT count(*) FROM people WHERE username = ?", [username]).fetchone()[0]


@pytest.mark.parametrize("username", ["wangayi", "zhanggong"])
def test_create_person_refuses_a_volunteer_or_an_expert_and_writes_nothing(make_ctx, con, username):
    with pytest.raises(PermissionDenied):
        people.create_person(make_ctx(username), **NEW)
    assert count_people(con, "laoqian") == 0


def test_create_person_refuses_nobody_signed_in(make_ctx, con):
    with pytest.raises(PermissionDenied):
        people.create_person(make_ctx(None), **NEW)
    assert count_people(con, "laoqian") == 0


def test_the_committee_adds_a_person_and_it_is_audited(make_ctx, con):
    new_id = people.create_person(make_ctx("liuzhuren"), **NEW)
    assert count_people(con, "laoqian") == 1
    audited = con.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'create_person' AND entity_id = ?", [new_id]
    ).fetchone()[0]
    assert audited == 1


def test_the_setup_account_refuses_when_someone_is_signed_in(make_ctx, con):
    for username in ("wangayi", "liuzhuren"):
        with pytest.raises(PermissionDenied):
            people.create_setup_account(make_ctx(username), **NEW)
    assert count_people(con, "laoqian") == 0


def test_the_setup_account_applies_the_same_field_rules(make_ctx, con):
    nobody = make_ctx(None)
    with pytest.raises(ValidationError) as info:
        people.create_setup_account(nobody, **{**NEW, "password": "short"})
    assert info.value.key == "auth.password_too_short"
    with pytest.raises(ValidationError) as info:
        people.create_setup_account(nobody, **{**NEW, "role": "expert"})
    assert info.value.key == "manage.expert_needs_groups"
    assert people.create_setup_account(nobody, **NEW) > 0
    assert count_people(con, "laoqian") == 1


def test_auth_has_no_way_of_its_own_to_add_a_person():
    assert not hasattr(auth, "create_person")
    assert not hasattr(auth, "reset_password")


def test_no_service_takes_a_role_check_bypass_and_only_people_creates_accounts():
    creators = []
    for info in pkgutil.iter_modules(habitat.services.__path__):
        module = importlib.import_module(f"habitat.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__:
                continue
            assert "check_role" not in inspect.signature(fn).parameters, f"{module.__name__}.{name}"
            if name in (
                "create_person",
                "create_account",
                "add_person",
            ) or "people_db.insert(" in inspect.getsource(fn):
                creators.append(f"{module.__name__}.{name}")
    assert sorted(creators) == [
        "habitat.services.people._new_account",
        "habitat.services.people.create_person",
    ]


def test_a_garden_committee_member_manages_only_her_gardens_accounts(make_ctx, con):
    """Red team F5: 周洁 (乐颐's committee) could switch off 中泾's volunteers and reset the town
    committee's password (then sign in as him)."""
    from habitat.errors import PermissionDenied
    from habitat.services import people

    zhoujie, town = make_ctx("zhoujie"), make_ctx("liuzhuren")
    ids = dict(con.execute("SELECT username, id FROM people").fetchall())
    listed = set(people.list_people(zhoujie)["username"])
    assert "sunayi" in listed and not listed & {"wangayi", "liuzhuren", "zhanggong"}
    for action in (
        lambda i: people.set_active(zhoujie, i, False),
        lambda i: people.reset_password(zhoujie, i, "xin-mima-2026-qiutian"),
        lambda i: people.change_role(zhoujie, i, "volunteer"),
    ):
        for target in ("wangayi", "liuzhuren", "zhanggong"):
            with pytest.raises(PermissionDenied) as info:
                action(ids[target])
            assert info.value.key == "manage.not_your_garden"
    assert con.execute(
        "SELECT count(*) FROM people WHERE active AND username IN ('wangayi', 'liuzhuren', 'zhanggong')"
    ).fetchall() == [(3,)]
    people.set_active(zhoujie, ids["sunayi"], False)  # her own garden's volunteer: yes
    people.set_active(zhoujie, ids["sunayi"], True)
    with pytest.raises(PermissionDenied):
        people.create_person(
            zhoujie,
            username="laozhang",
            display_name="老张",
            role="volunteer",
            password="lüse-huayuan-2026-qiu",
            home_garden_id=con.execute("SELECT id FROM gardens WHERE slug = 'zhongjing'").fetchone()[0],
        )
    new = people.create_person(
        zhoujie, username="laozhang", display_name="老张", role="volunteer", password="lüse-huayuan-2026-qiu"
    )
    assert con.execute(
        "SELECT g.slug FROM people p JOIN gardens g ON g.id = p.home_garden_id WHERE p.id = ?", [new]
    ).fetchall() == [("leyi",)]
    assert "wangayi" in set(people.list_people(town)["username"])  # the town committee manages everyone


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://127.0.0.1:9/n","点我")', "+86 138", "-1", "@sum(1)", " =1+1"]
)
def test_a_name_a_spreadsheet_would_run_is_refused(make_ctx, con, name):
    """Red team F17: such a name went raw into occurrence.txt's recordedBy (Darwin Core keeps names as typed)."""
    before = con.execute("SELECT count(*) FROM people").fetchone()[0]
    with pytest.raises(ValidationError) as info:
        people.create_person(
            make_ctx("liuzhuren"),
            username="rtformula",
            display_name=name,
            role="volunteer",
            password="lüse-huayuan-2026-qiu",
        )
    assert info.value.key == "manage.bad_display_name"
    assert con.execute("SELECT count(*) FROM people").fetchone()[0] == before
