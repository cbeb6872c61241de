"""The free-text parts of an FIR form: CNICs, clock times, the place of occurrence and the
narrative ("brief facts"), in English and Urdu.

An FIR states these under printed labels ("Place of occurrence", "Brief facts", "جائے
وقوعہ", "مختصر حالات"), so each reader looks for a label and takes what follows it; nothing
unlabelled is guessed, except CNICs and times, whose written forms say what they are.
Every value comes with its character span, so a caller can show where it was read. The
text may hold Urdu digits; they are read as their ASCII twins (one character for one, so
spans stay spans of the given text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "find_cnics", "find_narrative", "find_places", "find_times"]

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

#: At most this many characters are read as a place (the case field's own limit).
MAX_PLACE = 200
#: A labelled narrative shorter than this is a form's empty heading, not the facts.
MIN_NARRATIVE = 40
MAX_NARRATIVE = 20000


@dataclass(frozen=True)
class Span:
    """A normalised value and where its written form lies in the text."""

    value: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# CNICs: 13 digits, written 42101-1234567-1 or run together.

_CNIC = re.compile(r"(?<![\d\-])(\d{5})[ \-]?(\d{7})[ \-]?(\d)(?![\d\-])")


def find_cnics(text: str) -> list[Span]:
    """Every CNIC in ``text`` as ``"42101-1234567-1"``."""
    folded = text.translate(_DIGITS)
    return [Span(f"{m[1]}-{m[2]}-{m[3]}", *m.span()) for m in _CNIC.finditer(folded)]


# ---------------------------------------------------------------------------------------------
# Clock times: "10:30", "10.30 pm", "at 2200 hours", "1030 hrs", "10 am", "۱۰:۳۰ بجے".

_AMPM = r"(?P<ap>[ap]\.?\s?m\b\.?)"
_SUFFIX = r"(?P<suffix>hours|hrs?\b|بجے|بجہ|بجی)"
_TIME = re.compile(
    r"(?<![\d./:\-])(?:"
    rf"(?P<h1>\d{{1,2}}):(?P<m1>\d{{2}})(?![\d:])\s*(?:{_AMPM}|{_SUFFIX})?"
    rf"|(?P<h2>\d{{1,2}})\.(?P<m2>\d{{2}})(?![\d.])\s*(?:(?P<ap2>[ap]\.?\s?m\b\.?)"
    r"|(?P<suffix2>hours|hrs?\b|بجے|بجہ|بجی))"
    r"|(?P<h3>[01]\d|2[0-3])(?P<m3>[0-5]\d)\s*(?P<suffix3>hours|hrs?\b)"
    r"|(?P<h4>\d{1,2})\s*(?:(?P<ap4>[ap]\.?\s?m\b\.?)|(?P<suffix4>بجے|بجہ|بجی))"
    r")",
    re.IGNORECASE,
)


def _clock(hour: int, minute: int, ampm: str | None) -> str | None:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def find_times(text: str) -> list[Span]:
    """Every clock time in ``text`` as 24-hour ``"HH:MM"``. A bare "14.03" is a date's
    beginning, not a time: a dotted or four-digit time needs am/pm or "hours"."""
    out = []
    for m in _TIME.finditer(text.translate(_DIGITS)):
        if m["h1"]:
            value = _clock(int(m["h1"]), int(m["m1"]), m["ap"])
        elif m["h2"]:
            value = _clock(int(m["h2"]), int(m["m2"]), m["ap2"])
        elif m["h3"]:
            value = _clock(int(m["h3"]), int(m["m3"]), None)
        else:
            value = _clock(int(m["h4"]), 0, m["ap4"])
        if value is not None:
            out.append(Span(value, m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------------------------
# Place of occurrence: the rest of the labelled line.

_PLACE_LABEL = re.compile(
    r"(?:\bplace\s+of\s+(?:the\s+)?(?:occurrence|incident|offen[cs]e)"
    r"(?:\s+with\s+address)?|\bspot\s+of\s+(?:occurrence|incident)"
    r"|جائے\s*وقوعہ|جائے\s*واردات|مقام\s*وقوعہ|جاءِ\s*وقوعہ)"
    r"(?:\s*\((?:address|with address)\))?[ \t]*[:\-–.…]*[ \t]*",
    re.IGNORECASE,
)
# Where a typed line runs on into the next field of the form.
_PLACE_END = re.compile(
    r"\s{3,}|\s+(?:Date|Time|Distance|Direction|Beat\s+No|District|Police\s+Station"
    r"|تاریخ|بوقت|فاصلہ)\b",
    re.IGNORECASE,
)


_LETTER = re.compile(r"[^\W\d_]")
_FORM_WORDS = re.compile(
    r"\(?(?:[a-z]|[ivx]{2,4}|\d{1,2})[.)](?:\s|$)|direction|distance|address|beat\b|date\b|time\b",
    re.IGNORECASE,
)


def find_places(text: str) -> list[Span]:
    """The place of occurrence after each "Place of occurrence:" / "جائے وقوعہ" label."""
    out = []
    for m in _PLACE_LABEL.finditer(text):
        line_end = text.find("\n", m.end())
        line = text[m.end() : line_end if line_end >= 0 else len(text)]
        stop = _PLACE_END.search(line)
        raw = line[: stop.start()] if stop else line
        value = " ".join(raw.split()).strip(" ,.;:-")[:MAX_PLACE].strip()
        # A blank printed form: its sub-item marks and labels ("(a) Direction and distance
        # from P.S.") are not a place.
        if len(_LETTER.findall(value)) >= 3 and not _FORM_WORDS.match(value):
            start = m.end() + (len(raw) - len(raw.lstrip()))
            out.append(Span(value, start, start + len(raw.strip())))
    return out


# ---------------------------------------------------------------------------------------------
# Narrative: from the "Brief facts" label to the form's closing part (or the end).

_NARRATIVE_LABEL = re.compile(
    r"(?:\bbrief\s+facts(?:\s+of\s+the\s+(?:case|occurrence))?"
    r"|\b(?:first\s+information\s+)?contents\s+of\s+(?:the\s+)?(?:FIR|F\.I\.R\.?|report)"
    r"|\bdetails\s+of\s+(?:the\s+)?(?:occurrence|incident)"
    r"|\bstatement\s+of\s+(?:the\s+)?(?:complainant|informant)"
    r"|مختصر\s*حالات|حالات\s*مقدمہ|خلاصہ\s*واقعہ|بیان\s*مدعی|کیفیت\s*واقعہ)"
    r"(?:\s*\([^)\n]{0,40}\))?[ \t]*[:\-–.…]*[ \t]*\n?",
    re.IGNORECASE,
)
_NARRATIVE_END = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)]\s*)?(?:action\s+taken|signature|sd/-|read\s+over|"
    r"investigating\s+officer|officer\s+in\s+charge|SHO\b|date\s+(?:and\s+time\s+)?of\s+despatch"
    r"|دستخط|کارروائی|افسر\s*تفتیش)",
    re.IGNORECASE | re.MULTILINE,
)


def find_narrative(text: str) -> Span | None:
    """The FIR's narrative: the text after its first "Brief facts" (or like) label up to the
    form's closing part ("Action taken", "Signature", "دستخط") or the end; None if there is
    no label or nothing of substance follows it."""
    for m in _NARRATIVE_LABEL.finditer(text):
        stop = _NARRATIVE_END.search(text, m.end())
        end = stop.start() if stop else len(text)
        body = text[m.end() : end]
        value = "\n".join(" ".join(line.split()) for line in body.strip().splitlines())
        value = re.sub(r"\n{2,}", "\n", value).strip()
        if len(value) >= MIN_NARRATIVE:
            start = m.end() + (len(body) - len(body.lstrip()))
            return Span(value[:MAX_NARRATIVE], start, start + len(body.strip()))
    return None
