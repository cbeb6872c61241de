"""Reading a reported judgment's parts from its (PDF-extracted) text."""

from __future__ import annotations

import datetime as dt

from library.judgment_text import parse_date, parse_judgment, reading_blocks

REPORT = """2019 M L D 836
[Balochistan]
Before Naeem Akhtar Afghan and Zaheer- ud-Din Kakar, JJ
Syed ABDUL NABI ---Appellant
Versus
BAZ MUHAMMAD and 4 others ---Respondents

Criminal Acquittal Appeal No.259 of 2017, decided on 29th October, 2018.

(a) Penal Code (XLV of 1860) ---
----Ss. 302 & 34 ---Qatl-i-amd, common intention ---Appeal against
acquittal was dismissed.

(b) Criminal Procedure Code (V of 1898) ---
----S. 164 ---Extra-judicial confession.
Date of hearing: 2nd October, 2018.
JUDGMENT
NAEEM AKHTAR AFGHAN, J.--- This appeal is directed against
the judgment of the trial court.

2. The facts are these.
3. We have heard the parties
and perused the record.
"""


def test_header_facts_and_lettered_headnotes() -> None:
    parts = parse_judgment(REPORT)
    assert parts.bench == ["Naeem Akhtar Afghan", "Zaheer- ud-Din Kakar"]
    assert parts.parties == ["Syed ABDUL NABI", "BAZ MUHAMMAD and 4 others"]
    assert parts.case_numbers == ["Criminal Acquittal Appeal No.259 of 2017"]
    assert parts.decided_on == dt.date(2018, 10, 29)
    assert [letter for letter, _text in parts.headnotes] == ["a", "b"]
    assert parts.headnotes[0][1].endswith("Appeal against acquittal was dismissed.")


def test_reading_blocks_anchor_headnotes_and_paragraphs() -> None:
    blocks = reading_blocks(REPORT)
    toc = [(b.kind, b.label, b.anchor) for b in blocks if b.kind in ("headnote", "paragraph")]
    assert toc == [
        ("headnote", "(a)", "headnote-a"),
        ("headnote", "(b)", "headnote-b"),
        ("paragraph", "1", "para-1"),  # the unnumbered first paragraph
        ("paragraph", "2", "para-2"),
        ("paragraph", "3", "para-3"),
    ]
    # Hard-wrapped lines are joined into one paragraph.
    assert blocks[-1].text == "3. We have heard the parties and perused the record."


def test_dates_as_reports_write_them_and_nothing_guessed() -> None:
    assert parse_date("12.6.2017") == dt.date(2017, 6, 12)
    assert parse_date("5th March, 2013") == dt.date(2013, 3, 5)
    assert parse_date("31st Sept. 2011") is None  # no such day
    assert parse_date("sometime in 2011") is None
    assert parse_judgment("Just some text without a header.").decided_on is None
