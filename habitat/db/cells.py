"""SQL that keeps the text cells of an exported table from starting a spreadsheet formula.

The rule itself (which first characters, and why) lives in habitat.export.cells; the characters
arrive here and are bound as parameters (as code points: ``ord(x) IN (...)`` compares integers and
cost less than ``left(x, 1)`` or an anchored regular expression; on an 800 k-row export the
difference to the unwrapped query was within the noise of a shared machine). Only VARCHAR columns
are wrapped: numbers, dates and booleans keep their types, so DuckDB writes them as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def text_cells_quoted(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any], first_chars: Sequence[str]
) -> tuple[str, list[Any]]:
    """``sql`` wrapped so that every text value starting with one of ``first_chars`` gets a leading
    single quote. The query is only bound (not run) to learn its column types."""
    relation = con.sql(sql, params=list(params))
    marks = ", ".join("?" for _ in first_chars)
    columns, bound = [], []
    for name, kind in zip(relation.columns, relation.types):
        column = _quoted(name)
        if str(kind) == "VARCHAR":
            columns.append(
                f"CASE WHEN ord({column}) IN ({marks}) THEN chr(39) || {column} ELSE {column} END AS {column}"
            )
            bound.extend(ord(c) for c in first_chars)
        else:
            columns.append(column)
    return f"SELECT {', '.join(columns)} FROM ({sql}) AS exported", [*bound, *params]
