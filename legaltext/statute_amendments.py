"""Amendment markers in statute texts: removed from the text, kept as spans on the node.

Gazette conversions print amendments inline (``1[...] 1`` for amended text, ``2[] 2`` or
``[ ] 8`` for an omission, ``[text]^(140)``, superscript ``¹³⁷[``) with footnotes such as
``1. Subs. by Act II of 2005, s. 3.``. The statute reader (``legaltext.statute_structure``)
strips them here first so that headings and provisions are found in clean text, and a page can
still render them (``render_readable`` gives ``[text]¹`` and ``[omitted]⁸``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Amendment",
    "RawAmendment",
    "amendments_in_chunk",
    "amendments_in_span",
    "render_readable",
    "strip_amendments",
]


_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Amendment:
    """An amended or omitted span; ``start``/``end`` are offsets in the owning node's ``text``
    (equal for an omission). ``mark`` is the footnote number; ``note`` its footnote text
    ("Subs. by Act II of 2005, s. 3.") when the source carries one."""

    mark: str
    kind: str  # "amended" | "omitted" | "note" (a footnote mark whose extent is not printed)
    start: int
    end: int
    note: str = ""


_MARK = re.compile(
    r"(?P<omit>(?P<om1>\d{1,3})?\[\s*\]\s*(?P<om2>\d{1,3})(?!\d)|(?P<om3>\d{1,3})\[\](?!\s*\d))"
    r"|(?P<caret>\[(?P<ctext>[^\[\]\n]{0,300})\]\^\((?P<cmark>\d{1,3})\))"
    r"|(?P<bare>\[(?P<bmark>\d{1,3})\](?!\())"
    r"|(?P<open>(?:(?P<omark>\d{1,3})|(?P<osup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))\[)"
    r"|(?P<close>\][ \t]*(?P<cl>\d{1,3})(?![\d.)]))",
)
_FOOTNOTE = re.compile(
    r"^\s*(?:\[\^?(?P<m1>\d{1,3})\]:?|(?P<m2>\d{1,3})[.)])\s*"
    r"(?P<note>(?:Subs|Ins|Omitted|Added|Rep|Renumbered|Inserted|Substituted)\b\.?.*)$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class RawAmendment:
    """An amendment span in the whole stripped text, before it is cut to a node."""

    mark: str
    kind: str
    start: int
    end: int


def strip_amendments(text: str) -> tuple[str, list[RawAmendment], dict[str, str]]:
    """Text without markers, the amendment spans in it, and footnote texts by mark."""
    notes: dict[str, str] = {}

    def keep_note(m: re.Match[str]) -> str:
        notes[m["m1"] or m["m2"]] = m["note"].strip()
        return ""

    text = _FOOTNOTE.sub(keep_note, text)
    closers = [(m.start(), m["cl"]) for m in _MARK.finditer(text) if m["close"]]
    out: list[str] = []
    spans: list[RawAmendment] = []
    open_marks: dict[str, int] = {}
    length = 0
    pos = 0
    for m in _MARK.finditer(text):
        piece = text[pos : m.start()]
        out.append(piece)
        length += len(piece)
        pos = m.end()
        if m["omit"]:
            mark = m["om2"] or m["om1"] or m["om3"] or ""
            spans.append(RawAmendment(mark, "omitted", length, length))
        elif m["caret"]:
            body = m["ctext"]
            spans.append(RawAmendment(m["cmark"], "amended", length, length + len(body)))
            out.append(body)
            length += len(body)
        elif m["bare"] or m["open"]:
            mark = m["bmark"] or m["omark"] or (m["osup"] or "").translate(_SUPERSCRIPT)
            # An opener counts only if its closer ("] 148") follows; "[148]" alone is a note.
            if any(at > m.start() and cl == mark for at, cl in closers):
                open_marks[mark] = length
            else:
                spans.append(RawAmendment(mark, "note", length, length))
        elif m["close"]:
            mark = m["cl"]
            if mark in open_marks:
                spans.append(RawAmendment(mark, "amended", open_marks.pop(mark), length))
            else:
                spans.append(RawAmendment(mark, "note", length, length))
    out.append(text[pos:])
    spans.sort(key=lambda a: (a.start, a.end))
    return "".join(out), spans, notes


def render_readable(text: str, amendments: list[Amendment]) -> str:
    """``[amended text]¹`` and ``[omitted]⁸``: the printed-gazette convention, in plain text."""
    inserts: list[tuple[int, int, str]] = []
    for a in amendments:
        sup = a.mark.translate(_TO_SUPERSCRIPT)
        if a.kind == "omitted":
            inserts.append((a.start, 1, f"[omitted]{sup}"))
        elif a.kind == "note":
            inserts.append((a.start, 1, sup))
        else:
            inserts.append((a.start, 2, "["))
            inserts.append((a.end, 0, f"]{sup}"))
    inserts.sort(key=lambda x: (x[0], x[1]))
    out, pos = [], 0
    for at, _order, s in inserts:
        out.append(text[pos:at])
        out.append(s)
        pos = at
    out.append(text[pos:])
    return "".join(out)


def amendments_in_span(
    spans: list[RawAmendment], notes: dict[str, str], lo: int, hi: int, strip: int = 0
) -> list[Amendment]:
    """Amendments overlapping [lo, hi), re-based to the node's text (which starts at lo and
    had ``strip`` leading characters removed)."""
    out = []
    base = lo + strip
    for a in spans:
        if a.end < lo or a.start > hi or (a.start == hi and a.kind == "amended"):
            continue
        if a.kind == "amended" and a.end <= lo:
            continue
        start = max(a.start, base) - base
        end = min(a.end, hi) - base
        out.append(Amendment(a.mark, a.kind, max(start, 0), max(end, 0), notes.get(a.mark, "")))
    return out


def amendments_in_chunk(spans: list[Amendment], lo: int, hi: int, chunk: str) -> list[Amendment]:
    """Amendments overlapping [lo, hi), re-based to ``chunk`` (the text there) once it is
    stripped, clamped to its length: a provision's own spans."""
    strip = len(chunk) - len(chunk.lstrip())
    out = []
    for a in spans:
        if a.end < lo or a.start > hi or (a.kind == "amended" and (a.end <= lo or a.start >= hi)):
            continue
        s = min(max(a.start - lo - strip, 0), len(chunk.strip()))
        e = min(max(a.end - lo - strip, 0), len(chunk.strip()))
        out.append(Amendment(a.mark, a.kind, s, e, a.note))
    return out
