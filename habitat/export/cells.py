"""Spreadsheet cells that stay text: no typed name or note becomes a live formula.

A display name such as ``=HYPERLINK("http://host","点击")`` written raw into a CSV or XLSX file is a
formula when a committee member opens the file in Excel or WPS (it can fetch addresses, and older
spreadsheet programs ran commands). The rule (OWASP "CSV injection"): a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return could start a formula; such a cell is written
with a leading single quote, which spreadsheets read as "this is text". The full-width forms
``＝ ＋ － ＠`` are included, because Chinese input methods type them and some spreadsheet programs
in East Asian locales accept them as formula starts (defence in depth; not verified here).

Decisions (docs/decisions.md, "Spreadsheet cells"):
- only text columns are touched; numbers stay typed numbers (an hours total of -3 would still be the
  number -3; a name "-3" is text and gets the quote, as in Excel itself);
- CSV: the quote is part of the value (it is the only way CSV can say "text");
- XLSX: every text cell is written as a string cell, never a formula, with its value unchanged; a
  cell that starts like a formula also gets Excel's own "quote prefix" style (what Excel stores when
  someone types ``'=1+1``), so it stays text even when edited;
- the Darwin Core Archive is written verbatim: it is a data-exchange format read by GBIF and
  scientific software, where a quote would become part of the published record; its text columns
  are names chosen by the committee and experts (people, gardens, zones, species), not volunteers'
  free text. The CSV download (made for Excel) is neutralised.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # habitat.db.cells binds these


def could_be_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutral(value: object) -> object:
    """A CSV cell value: text that could start a formula gets a leading quote; anything else as is."""
    return "'" + value if could_be_formula(value) else value


def _is_text(column: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(column) or column.dtype == object


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text column neutralised; numeric, date and boolean columns untouched."""
    out = frame.copy()
    for name in out.columns:
        if _is_text(out[name]):
            out[name] = out[name].map(neutral)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so Excel in China shows Chinese), cells neutralised."""
    return neutral_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """An Excel workbook of one sheet: a header row, then the rows; text cells are string cells."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([_xlsx_value(v) for v in row])
    for cells in ws.iter_rows(min_row=1):
        _as_text(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, str):  # XML cannot hold NUL and most control characters: they are left out
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars -> Python numbers
        return value.item()
    return value


def _as_text(cells: Iterable) -> None:
    """openpyxl turns any string starting with "=" into a formula: make every string a string cell."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if could_be_formula(cell.value):
                cell.quotePrefix = True
