"""Small helpers shared by the AppTest files."""

from __future__ import annotations

import re

from habitat.db import connect


def rows(db, sql, params=()):
    """Read the test's database file (the AppTest run has released it between runs)."""
    con = connect(db)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def click(at, label):
    """Click the page button with this label, run, and fail on any exception."""
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def uploader(at, key_part):
    return next(u for u in at.get("file_uploader") if key_part in (u.key or ""))


def open_tabs(at) -> list[int]:
    """The index of the tab each st.tabs on the page opens on (a keyed st.tabs keeps the one she
    chose across reruns; an unkeyed one always opens its first)."""

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    out = []
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if hasattr(proto, "WhichOneof") and "tab_container" in {f.name for f, _ in proto.ListFields()}:
            out.append(proto.tab_container.default_tab_index)
    return out


def displayed(markdown: str) -> str:
    """Markdown as a reader sees it: user text is backslash-escaped (habitat.ui.safe.md_escape)."""
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.S).replace("\u2060", "")


# ------------------------------------------------------------------------------ crawling helpers
# Used by test_app_crawl.py: which pages a role has, what went wrong after a run, which raw option
# values a widget shows, which of many options to open.

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# A Python exception type or a traceback shown as text (st.error(str(exc)), st.exception ...).
EXCEPTION_TEXT = re.compile(r"\b[A-Z][A-Za-z0-9_]*(?:Error|Exception)\b|Traceback \(most recent call last\)")


def _literal(node, names: dict):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_literal(element, names) for element in node.elts)
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    raise ValueError(ast.dump(node)[:80])


def app_pages() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """garden_app.PAGES read from its source, without importing it (importing runs the app):
    [(page path, title key, icon, roles)]. Follows edits of the menu."""
    tree = ast.parse((ROOT / "garden_app.py").read_text(encoding="utf-8"))
    names: dict = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id.isupper():
                try:
                    names[node.targets[0].id] = _literal(node.value, names)
                except ValueError:
                    pass
    return [(path, key, icon, tuple(roles)) for path, key, icon, roles in names["PAGES"]]


def pages_for(role: str) -> list[str]:
    """The page files in `role`'s menu, in menu order."""
    return [path for path, _key, _icon, roles in app_pages() if role in roles]


def _where(stack_trace) -> str:
    """'file.py:123' of the innermost frame of an st.exception stack trace (project files first)."""
    frames = re.findall(r'File "([^"]+)", line (\d+)', "\n".join(stack_trace or []))
    ours = [(f, n) for f, n in frames if str(ROOT) in f and "/.venv/" not in f] or frames
    if not ours:
        return "?"
    path, line = ours[-1]
    return f"{Path(path).relative_to(ROOT) if str(ROOT) in path else Path(path).name}:{line}"


def crashes(at) -> list[str]:
    """What went wrong in the last run: uncaught exceptions (with the innermost project frame) and
    error boxes whose text names a Python exception type or shows a traceback."""
    found = [
        f"{e.message.splitlines()[0] if e.message else '?'} [{_where(e.stack_trace)}]" for e in at.exception
    ]
    found += [f"st.error: {e.value[:200]}" for e in at.error if EXCEPTION_TEXT.search(e.value or "")]
    return found


def widget(at, key: str):
    """The widget with this key on the page (any kind), or None."""
    for kind in (
        "selectbox",
        "radio",
        "multiselect",
        "toggle",
        "checkbox",
        "text_input",
        "text_area",
        "number_input",
        "date_input",
        "slider",
        "button_group",
        "file_uploader",
    ):
        for w in at.get(kind):
            if getattr(w, "key", None) == key:
                return w
    return None


def raw_options(w, candidates) -> list:
    """The raw values behind the labels a selectbox/radio shows, in the order shown.

    AppTest knows only the labels, and setting a value means setting a raw value: each candidate
    (a superset read from the database, e.g. every event id) is formatted with the widget's own
    format_func and kept when its label is one of the options. Two values with the same label are
    both kept; selecting the second then fails, as it would in a browser (the label is what comes back).
    """
    fmt = w.format_func
    shown = list(w.options)
    found: dict[str, list] = {}
    for value in candidates:
        try:
            label = fmt(value)
        except Exception:  # noqa: BLE001 - a candidate of the wrong kind for this widget
            continue
        if label in shown:
            found.setdefault(label, []).append(value)
    return [v for label in shown for v in found.get(label, [])]


def spread(
    options: list, special=(), cap: int = 60, *, share: tuple[int, int] | None = None, both=()
) -> list:
    """Which options to open, in their order.

    All of them up to `cap`; beyond, every special one plus a spread sample of the others (first,
    last and every k-th) up to `cap`. With `share` = (i, n), n runs share the work (e.g. the two
    languages): run i keeps every n-th option, special ones included, but every run keeps the
    options in `both` (e.g. the first of each kind) and the first of the others.
    """
    options = list(dict.fromkeys(options))
    both = [o for o in options if o in set(both)]
    special = [o for o in options if o in set(special) and o not in set(both)]
    rest = [o for o in options if o not in set(special) | set(both)]
    if len(options) > cap:
        room = max(cap - len(special) - len(both), 2)
        step = max(1, -(-len(rest) // room))
        sample = rest[::step]
        if rest and rest[-1] not in sample:
            sample.append(rest[-1])
        rest = sample
    if share is not None:
        mine, runs = share
        special = [o for i, o in enumerate(special) if i % runs == mine]
        rest = rest[:1] + [o for i, o in enumerate(rest[1:], 1) if i % runs == mine]
    keep = set(both) | set(special) | set(rest)
    return [o for o in options if o in keep]


def review_table_key(at) -> str:
    """The key of the review queue's table (it changes with the queue it shows: review_views.queue_table)."""
    keys = [d.key for d in at.dataframe if (getattr(d, "key", None) or "").startswith("review_table_")]
    assert len(keys) == 1, f"one review table expected, found {keys}"
    return keys[0]


def select_review_rows(at, rows: list[int]) -> str:
    """Select rows of the review table as a tap would (set its selection state); returns the table key."""
    if not rows and not any(
        (getattr(d, "key", None) or "").startswith("review_table_") for d in at.dataframe
    ):
        return None  # an empty queue has no table: nothing to clear
    key = review_table_key(at)
    at.session_state[key] = {"selection": {"rows": list(rows), "columns": [], "cells": []}}
    return key
