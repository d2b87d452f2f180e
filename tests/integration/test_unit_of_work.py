"""The one write path (habitat.db.unit): nesting, rollback, conflicts, after-commit hooks, topics.

Each test works on a real DuckDB file in tmp_path; a second cursor plays "everyone else" and only
sees what was committed.
"""

from __future__ import annotations

import logging

import pytest

from habitat.db import connect, migrate, unit
from habitat.db.connection import applied_migrations
from habitat.db.unit import unit_of_work
from habitat.errors import ConflictError, DatabaseError, ValidationError
from habitat.services import checklist
from habitat.services.context import transaction


@pytest.fixture
def db(tmp_path):
    con = connect(tmp_path / "unit.duckdb")
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text VARCHAR)")
    con.execute("INSERT INTO notes VALUES (1, 'first')")
    yield con
    con.close()


@pytest.fixture
def listen():
    """unit.listen for one test: the registrations are removed afterwards."""
    registered: list[tuple[str, str]] = []

    def _listen(topic, listener, **kw):
        registered.append((topic, unit.listen(topic, listener, **kw)))

    yield _listen
    for topic, key in registered:
        unit.unlisten(topic, key)


def texts(cursor) -> list[str]:
    return [r[0] for r in cursor.execute("SELECT text FROM notes ORDER BY id").fetchall()]


def test_a_nested_unit_joins_the_outer_one_and_only_the_outermost_commits(db):
    me, other = db.cursor(), db.cursor()
    with unit_of_work(me) as outer:
        me.execute("INSERT INTO notes VALUES (2, 'outer')")
        with unit_of_work(me) as inner:
            assert inner is outer
            me.execute("INSERT INTO notes VALUES (3, 'inner')")
        assert texts(other) == ["first"], "the inner unit committed on its own"
    assert texts(other) == ["first", "outer", "inner"]
    assert unit.current(me) is None


def test_a_context_for_another_person_on_the_same_cursor_joins_the_open_transaction(con, make_ctx):
    """ctx.as_user(...) inside transaction(ctx) used to start a second BEGIN on the same cursor."""
    committee = make_ctx("liuzhuren")
    expert = committee.as_user(make_ctx("xuboshi").user)
    species_id = con.execute("SELECT id FROM species WHERE chinese_name = '菜粉蝶'").fetchall()[0][0]
    with transaction(committee):
        checklist.edit_species(expert, species_id, {"english_name": "Cabbage White"})
        con.execute("UPDATE species SET difficulty = 2 WHERE id = ?", [species_id])
    assert con.execute("SELECT english_name FROM species WHERE id = ?", [species_id]).fetchall() == [
        ("Cabbage White",)
    ]


def test_an_error_in_the_inner_unit_rolls_back_the_outer_ones_work_too(db):
    me = db.cursor()
    with pytest.raises(ValidationError):
        with unit_of_work(me):
            me.execute("INSERT INTO notes VALUES (2, 'outer')")
            with unit_of_work(me):
                me.execute("INSERT INTO notes VALUES (3, 'inner')")
                raise ValidationError("checklist.name_required")
    assert texts(db.cursor()) == ["first"]
    assert unit.current(me) is None
    with unit_of_work(me):  # the cursor is usable again
        me.execute("INSERT INTO notes VALUES (4, 'later')")
    assert texts(db.cursor()) == ["first", "later"]


def test_an_inner_failure_the_outer_code_swallows_saves_nothing_and_says_so(db):
    """No savepoints in DuckDB: half a save must not be committed because a caller caught the error."""
    me = db.cursor()
    with pytest.raises(DatabaseError) as info:
        with unit_of_work(me):
            me.execute("INSERT INTO notes VALUES (2, 'outer')")
            try:
                with unit_of_work(me):
                    me.execute("INSERT INTO notes VALUES (3, 'inner')")
                    raise ValidationError("checklist.name_required")
            except ValidationError:
                pass
    assert info.value.key == "db.unit_aborted"
    assert info.value.message("zh") != info.value.message("en")
    assert texts(db.cursor()) == ["first"]


def test_after_commit_hooks_run_once_after_the_outermost_commit_and_see_the_committed_rows(db):
    me, other = db.cursor(), db.cursor()
    seen: list[list[str]] = []
    with unit_of_work(me):
        me.execute("INSERT INTO notes VALUES (2, 'outer')")
        with unit_of_work(me) as inner:
            inner.after_commit(lambda: seen.append(texts(other)))
            me.execute("INSERT INTO notes VALUES (3, 'inner')")
        assert seen == [], "ran before the outermost commit"
    assert seen == [["first", "outer", "inner"]]


def test_after_commit_hooks_and_listeners_do_not_run_after_a_rollback(db, listen):
    me = db.cursor()
    ran: list[str] = []
    listen("notes-test-rollback", lambda: ran.append("listener"))
    with pytest.raises(RuntimeError):
        with unit_of_work(me) as outer:
            outer.after_commit(lambda: ran.append("hook"))
            with unit_of_work(me) as inner:
                inner.changed("notes-test-rollback")
                me.execute("INSERT INTO notes VALUES (2, 'lost')")
            raise RuntimeError("power cut")
    assert ran == []
    assert texts(db.cursor()) == ["first"]


def test_topic_listeners_run_once_per_commit_even_when_declared_twice(db, listen):
    me = db.cursor()
    calls: list[str] = []

    def mark() -> None:
        calls.append("listener")

    listen("notes-test-a", mark, key="notes-test-listener")
    listen("notes-test-b", mark, key="notes-test-listener")  # one listener of two topics
    listen("notes-test-a", lambda: calls.append("old"), key="notes-test-rerun")
    listen("notes-test-a", lambda: calls.append("new"), key="notes-test-rerun")  # a rerun replaces
    with unit_of_work(me) as outer:
        outer.changed("notes-test-a")
        with unit_of_work(me) as inner:
            inner.changed("notes-test-a", "notes-test-b")
    assert sorted(calls) == ["listener", "new"]


def test_a_failing_hook_does_not_undo_or_fail_the_committed_save(db, caplog):
    me = db.cursor()

    def broken() -> None:
        raise OSError("cache gone")

    with caplog.at_level(logging.ERROR, logger="habitat"):
        with unit_of_work(me) as u:
            u.after_commit(broken)
            me.execute("INSERT INTO notes VALUES (2, 'kept')")
    assert texts(db.cursor()) == ["first", "kept"]
    assert "after-commit hook" in caplog.text


def test_a_write_conflict_becomes_a_conflict_error_and_the_first_writer_wins(db):
    first, second = db.cursor(), db.cursor()
    ran: list[str] = []
    with unit_of_work(first):
        first.execute("UPDATE notes SET text = 'first writer' WHERE id = 1")
        with pytest.raises(ConflictError) as info:
            with unit_of_work(second) as u:
                u.after_commit(lambda: ran.append("second"))
                second.execute("UPDATE notes SET text = 'second writer' WHERE id = 1")
        assert info.value.key == "db.busy"
        assert unit.current(second) is None
    assert texts(db.cursor()) == ["first writer"]
    assert ran == []


def test_migrations_run_inside_a_callers_unit_join_it_and_roll_back_with_it(tmp_path):
    con = connect(tmp_path / "fresh.duckdb")
    try:
        with pytest.raises(RuntimeError):
            with unit_of_work(con):
                assert migrate(con)  # used to fail: a second BEGIN inside the caller's transaction
                raise RuntimeError("stop before committing")
        assert applied_migrations(con) == []
        assert migrate(con) == applied_migrations(con) != []
    finally:
        con.close()


def test_a_checklist_edit_tells_the_species_listeners_after_its_commit(con, make_ctx, listen):
    expert = make_ctx("xuboshi")
    other = con.cursor()
    species_id = con.execute("SELECT id FROM species WHERE chinese_name = '菜粉蝶'").fetchall()[0][0]
    names: list[str] = []
    listen(
        "species",
        lambda: names.extend(
            r[0]
            for r in other.execute("SELECT chinese_name FROM species WHERE id = ?", [species_id]).fetchall()
        ),
        key="test-species-listener",
    )
    checklist.edit_species(expert, species_id, {"chinese_name": "白菜粉蝶"})
    assert names == ["白菜粉蝶"], "the listener ran once, after the commit"
    with pytest.raises(ValidationError):
        checklist.edit_species(expert, species_id, {"chinese_name": " "})
    assert names == ["白菜粉蝶"], "a refused edit changes nothing and tells nobody"
    checklist.add_species(
        expert, {"scientific_name": "Pieris testus", "chinese_name": "测试粉蝶", "group_name": "butterfly"}
    )
    assert len(names) == 2
