"""Exported cells never run as formulas in a spreadsheet."""

from __future__ import annotations

from mizan.spreadsheets import csv_text, inert


def test_formula_starts_are_quoted_and_numbers_pass() -> None:
    assert inert('=HYPERLINK("http://x","click")') == '\'=HYPERLINK("http://x","click")'
    assert inert("+92 300 1234567") == "'+92 300 1234567"
    assert inert("@SUM(A1)") == "'@SUM(A1)" and inert("-5") == "'-5"
    assert inert("Karachi South") == "Karachi South"
    assert inert(-5) == -5 and inert(0.5) == 0.5 and inert(None) is None


def test_csv_rows_are_inert() -> None:
    text = csv_text([["Station", "Cases"], ["=cmd|' /C calc'!A0", 3]])
    assert text.splitlines()[1].startswith("'=cmd|")
