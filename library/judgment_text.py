"""Read the parts of a reported judgment from its text: bench, parties, case numbers, date,
headnotes, and the numbered paragraphs a reader navigates by.

Pakistani law reports print a judgment the same way (citation line, "Before X and Y, JJ",
parties around "Versus", "<case no.>, decided on <date>.", lettered headnotes, then
"JUDGMENT"/"ORDER" and numbered paragraphs), but the text comes out of PDFs with split
words and page furniture, so every part is optional: what cannot be found is left empty
rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

MONTHS = {
    m: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
#: How many lines from the top the header (bench, parties, case number) may take.
HEADER_LINES = 40

_DECIDED = re.compile(r"(?i)\bdecided\s+on\s*:?\s*(?P<date>[^.;]{4,40}?\d{4})")
_NUMERIC_DATE = re.compile(r"(?P<d>\d{1,2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})")
_WORD_DATE = re.compile(
    r"(?P<d>\d{1,2})\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>[A-Za-z]{3,9})\.?,?\s*(?P<y>\d{4})"
)
_BENCH = re.compile(r"^\s*(?:Before|Present)\s*:?\s*(?P<names>.+)$", re.I)
_BENCH_END = re.compile(r",?\s*\b(?:C\.?\s*J\.?|JJ?\.?|ACJ\.?)\s*$", re.I)
_VERSUS = re.compile(r"^\s*(?:versus|vs\.?|v\.?)\s*$", re.I)
_PARTY_ROLE = re.compile(r"\s*-{2,}\s*[A-Za-z/ ()]*$")
_JUDGMENT_HEADING = re.compile(
    r"^\s*(?:J\s*U\s*D\s*G\s*M\s*E\s*N\s*T|O\s*R\s*D\s*E\s*R|SHORT ORDER)\s*\.?\s*$"
)
_HEADNOTE = re.compile(r"^\s*\((?P<letter>[a-z]{1,2})\)\s+\S")
_PARAGRAPH = re.compile(r"^\s*(?P<n>\d{1,3})\s*[.)]\s+\S")


@dataclass
class Block:
    """A run of text the reader sees as one paragraph; ``anchor`` is its id in the page."""

    anchor: str
    kind: str  # "header" | "headnote" | "heading" | "paragraph" | "text"
    label: str  # "(a)", "12", "" — what the table of contents shows
    text: str


@dataclass
class JudgmentParts:
    bench: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)
    decided_on: dt.date | None = None
    headnotes: list[tuple[str, str]] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    """A date written as ``12.6.2017`` or ``29th October, 2018``; None if it is not one."""
    for pattern in (_WORD_DATE, _NUMERIC_DATE):
        match = pattern.search(text)
        if not match:
            continue
        month = match["m"]
        number = int(month) if month.isdigit() else MONTHS.get(month.lower())
        if not number:
            continue
        try:
            return dt.date(int(match["y"]), number, int(match["d"]))
        except ValueError:
            continue
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r", "").split("\n")]


def parse_judgment(text: str) -> JudgmentParts:
    """The header facts and lettered headnotes of a reported judgment."""
    parts = JudgmentParts()
    lines = _lines(text)
    header = lines[:HEADER_LINES]
    bench_at = versus_at = case_at = None
    for i, line in enumerate(header):
        if bench_at is None and _BENCH.match(line):
            bench_at = i
        elif versus_at is None and _VERSUS.match(line):
            versus_at = i
        elif case_at is None and _DECIDED.search(line):
            case_at = i
            break
    if bench_at is not None:
        names = _BENCH_END.sub("", _BENCH.match(header[bench_at])["names"])  # type: ignore[index]
        parts.bench = [
            _squash(n).strip(" ,.")
            for n in re.split(r"\s*(?:,|&|\band\b)\s*", names)
            if len(_squash(n).strip(" ,.")) > 2
        ]
    if versus_at is not None:
        start = bench_at + 1 if bench_at is not None and bench_at < versus_at else 0
        first = _squash(" ".join(header[start:versus_at]))
        end = case_at if case_at is not None else min(versus_at + 3, len(header))
        second = _squash(" ".join(header[versus_at + 1 : end]))
        parts.parties = [
            _PARTY_ROLE.sub("", p).strip(" -,") for p in (first, second) if p.strip(" -,")
        ]
    if case_at is not None:
        line = _squash(header[case_at])
        match = _DECIDED.search(line)
        assert match is not None
        numbers = line[: match.start()].strip(" ,.")
        if numbers:
            parts.case_numbers = [numbers]
        parts.decided_on = parse_date(match["date"])
    parts.headnotes = _headnotes(lines[(case_at or 0) + 1 :])
    return parts


def judgment_body(text: str) -> str:
    """The text after the JUDGMENT/ORDER heading (where the judge's own words begin),
    or "" when the heading cannot be found."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _JUDGMENT_HEADING.match(line):
            return "\n".join(lines[i + 1 :])
    return ""


def _headnotes(lines: list[str]) -> list[tuple[str, str]]:
    """Lettered headnotes ``(a) …`` up to the JUDGMENT/ORDER heading, in order."""
    notes: list[tuple[str, list[str]]] = []
    expected = "a"
    for line in lines:
        if _JUDGMENT_HEADING.match(line):
            break
        match = _HEADNOTE.match(line)
        if match and match["letter"] == expected:
            notes.append((expected, [line.strip()[len(expected) + 2 :]]))
            expected = chr(ord(expected) + 1) if len(expected) == 1 and expected < "z" else "zz"
        elif notes:
            notes[-1][1].append(line)
    return [(letter, _squash(" ".join(body))) for letter, body in notes]


def reading_blocks(text: str) -> list[Block]:
    """The text as blocks for the reading view: lettered headnotes and numbered paragraphs
    get anchors (the table of contents), hard-wrapped PDF lines are joined."""
    blocks: list[Block] = []
    current: list[str] = []
    kind, label = "header", ""
    in_body = False
    expected_note, expected_para = "a", 1

    def flush() -> None:
        joined = _squash(" ".join(current))
        if joined:
            anchor = {
                "headnote": f"headnote-{label.strip('()')}",
                "paragraph": f"para-{label}",
            }.get(kind, f"b{len(blocks)}")
            blocks.append(Block(anchor, kind, label, joined))
        current.clear()

    for line in _lines(text):
        if not in_body and _JUDGMENT_HEADING.match(line):
            flush()
            in_body = True
            kind, label = "heading", ""
            current.append(line)
            flush()
            kind = "text"
            continue
        note = None if in_body else _HEADNOTE.match(line)
        para = _PARAGRAPH.match(line) if in_body else None
        if note and note["letter"] == expected_note:
            flush()
            kind, label = "headnote", f"({expected_note})"
            expected_note = chr(ord(expected_note) + 1) if expected_note < "z" else "zz"
        elif para and int(para["n"]) == expected_para:
            flush()
            kind, label = "paragraph", para["n"]
            expected_para += 1
        elif para and expected_para == 1 and para["n"] == "2":
            # Reports leave the first paragraph unnumbered ("X, J.--- This appeal ...").
            flush()
            first = next((b for b in blocks if b.kind == "text"), None)
            if first is not None:
                first.kind, first.label, first.anchor = "paragraph", "1", "para-1"
            kind, label = "paragraph", "2"
            expected_para = 3
        elif not line.strip():
            # Blank lines end a block only outside headnotes and numbered paragraphs,
            # which PDF extraction breaks with stray blank lines.
            if kind in ("header", "text", "heading"):
                flush()
            continue
        current.append(line)
    flush()
    if not in_body and expected_para == 1:
        # No JUDGMENT heading: still offer numbered paragraphs for navigation.
        return _number_plain(blocks)
    return blocks


def _number_plain(blocks: list[Block]) -> list[Block]:
    expected = 1
    for block in blocks:
        match = _PARAGRAPH.match(block.text)
        if block.kind in ("header", "text") and match and int(match["n"]) == expected:
            block.kind, block.label, block.anchor = "paragraph", match["n"], f"para-{match['n']}"
            expected += 1
    return blocks
