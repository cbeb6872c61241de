"""Cells for CSV and XLSX exports that a spreadsheet will never run as formulas.

A name, police station or answer typed by a user may begin with ``=``, ``+``, ``-`` or
``@``; Excel and LibreOffice would evaluate it (CSV/formula injection). Every export
passes its text cells through :func:`inert`; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """Text that starts like a formula gets a leading quote; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inert_row(row: Sequence[object]) -> list[object]:
    return [inert(value) for value in row]


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV, every text cell made inert."""
    out = io.StringIO()
    csv.writer(out).writerows(inert_row(row) for row in rows)
    return out.getvalue()
