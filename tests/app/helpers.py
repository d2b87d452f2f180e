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


def displayed(markdown: str) -> str:
    """Markdown as a reader sees it: user text is backslash-escaped (habitat.ui.safe.md_escape)."""
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.S).replace("\u2060", "")
