"""The one write path: a unit of work owns BEGIN, COMMIT and ROLLBACK on a connection.

Every transaction in the app goes through ``unit_of_work(con)`` (services through
``habitat.services.context.transaction``, the migration runner, the exports' read snapshot, restore).
A test greps habitat/ for any other BEGIN/COMMIT/ROLLBACK.

- Nested units join the outer one: DuckDB has no nested transactions (a second BEGIN fails and
  aborts the transaction already open), so an inner unit adds nothing and commits nothing.
- The state is kept per connection object, not per Ctx: a DuckDB transaction belongs to the
  connection (or cursor) it was begun on, and the app takes one cursor per thread
  (habitat.ui.core._cursor), so each thread's units are its own. Two contexts on the same cursor
  (``ctx.as_user(...)``) share one unit.
- An error that leaves an inner unit dooms the whole unit: DuckDB has no savepoints, so the inner
  work cannot be undone alone. If the outer code swallows the error and carries on, the outermost
  unit rolls back and raises ``DatabaseError("db.unit_aborted")`` instead of committing half a save.
- A write-write conflict (``TransactionException: Conflict on ...``), raised by a statement or by
  COMMIT, rolls everything back and becomes ``ConflictError("db.busy")``: the user is told and can
  try again; nothing is half-written and nothing is retried behind their back.
- After the outermost COMMIT succeeds, the unit runs its after-commit hooks and then the listeners
  of every topic a write declared with ``unit.changed("species")`` (``listen(topic, fn)``
  registers one; the Streamlit layer registers its cache clears this way, so this module stays free
  of Streamlit). After a rollback nothing runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from habitat.errors import ConflictError, DatabaseError

_LOG = logging.getLogger("habitat")

Hook = Callable[[], None]


class Unit:
    """The open transaction of one connection: what it changed and what to run after COMMIT."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.depth = 1
        self.topics: set[str] = set()
        self.failed: BaseException | None = None
        self._after: list[Hook] = []

    def changed(self, *topics: str) -> None:
        """Declare what this unit's writes change; the topics' listeners run after COMMIT."""
        self.topics.update(topics)

    def after_commit(self, hook: Hook) -> None:
        """Run ``hook()`` once, after the outermost COMMIT succeeded (never after a rollback)."""
        self._after.append(hook)


_open: dict[int, Unit] = {}  # id(connection) -> its open unit; the unit holds the connection alive
_open_lock = threading.Lock()
_listeners: dict[str, dict[str, Hook]] = {}
_listeners_lock = threading.Lock()


def current(con: duckdb.DuckDBPyConnection) -> Unit | None:
    """The unit open on ``con``, or None."""
    return _open.get(id(con))


@contextmanager
def unit_of_work(con: duckdb.DuckDBPyConnection) -> Iterator[Unit]:
    """One transaction on ``con``: BEGIN here, COMMIT on success, ROLLBACK on any error.

    Inside an open unit of the same connection this joins it (see the module docstring).
    """
    outer = current(con)
    if outer is not None:
        outer.depth += 1
        try:
            yield outer
        except BaseException as exc:
            if outer.failed is None:
                outer.failed = exc
            raise
        finally:
            outer.depth -= 1
        return

    unit = Unit(con)
    con.execute("BEGIN TRANSACTION")
    with _open_lock:
        _open[id(con)] = unit
    try:
        try:
            yield unit
            if unit.failed is not None:
                raise DatabaseError("db.unit_aborted") from unit.failed
            con.execute("COMMIT")
        except duckdb.TransactionException as exc:
            _rollback(con)
            if "onflict" in str(exc):
                raise ConflictError("db.busy") from exc
            raise
        except BaseException:
            _rollback(con)
            raise
    finally:
        with _open_lock:
            _open.pop(id(con), None)
    _after_commit(unit)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:  # already ended by DuckDB itself (a failed COMMIT): the first error matters
        pass


def listen(topic: str, listener: Hook, *, key: str | None = None) -> str:
    """After each commit that declared ``topic`` changed, call ``listener()``; returns its key.

    Registering under the same ``key`` again (a module imported twice, a script rerun) replaces the
    earlier one. The default key is the function's module and name (a lambda's or a local function's
    own identity, since those names are not unique).
    """
    if key is None:
        name = getattr(listener, "__qualname__", "<")
        key = f"{getattr(listener, '__module__', '')}.{name}" if "<" not in name else f"id:{id(listener)}"
    with _listeners_lock:
        _listeners.setdefault(topic, {})[key] = listener
    return key


def unlisten(topic: str, key: str) -> None:
    with _listeners_lock:
        _listeners.get(topic, {}).pop(key, None)


def listeners(topic: str) -> dict[str, Hook]:
    """key -> listener for ``topic``."""
    with _listeners_lock:
        return dict(_listeners.get(topic, {}))


def _after_commit(unit: Unit) -> None:
    """The data is committed: a failing hook is logged, never turned into a failed save."""
    hooks = list(unit._after)
    by_key: dict[str, Hook] = {}
    for topic in sorted(unit.topics):
        by_key.update(listeners(topic))  # a listener of two changed topics runs once
    for hook in hooks + list(by_key.values()):
        try:
            hook()
        except Exception:  # noqa: BLE001 - the write stands; the log says which hook failed
            _LOG.exception("after-commit hook %r failed", hook)
