"""Case details found in a document's text, as suggestions a clerk confirms.

Nothing found here is written to a case by itself: each :class:`Found` value carries where it
was read (page, character span) and how sure we are — the pattern's own confidence and, for
OCR pages, the lowest word confidence Tesseract gave inside the span. A value read with low OCR
confidence is flagged, so the review screen asks the clerk to compare it with the page image
before it can be used (domain notes, section 6: "have staff key and verify FIR number,
sections, names and dates").

The readers reuse the legal-text parsers (``legaltext.section_refs`` for act-aware sections,
``legaltext.case_numbers`` for court numbers, ``legaltext.person_names`` for parentage,
``legaltext.law_reports`` for law reports and ``legaltext.fir_fields`` for CNICs, times, the
place and the narrative); the FIR number, police station, district, dates and names are read
from the labels FIR forms and police reports use, in English and Urdu.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from ingestion.ocr import Word
from ingestion.wordboxes import word_spans
from legaltext.case_numbers import find_case_numbers
from legaltext.fir_fields import find_cnics, find_narrative, find_places, find_times
from legaltext.law_reports import find_citations
from legaltext.section_refs import find_section_refs
from mizan.clock import pakistan_today

__all__ = [
    "FIELDS",
    "LOW_OCR_CONFIDENCE",
    "Found",
    "PageInput",
    "find_metadata",
    "parse_date",
]

#: Below this Tesseract word confidence (0-100) a value is flagged for checking.
LOW_OCR_CONFIDENCE = 70.0

#: Fields a suggestion may fill, in review order.
FIELDS = (
    "fir_number",
    "fir_year",
    "police_station",
    "district",
    "registered_on",
    "registered_at",
    "occurred_on",
    "occurred_at",
    "place",
    "offences",
    "complainant",
    "accused",
    "narrative",
    "court_case_number",
    "citation",
)


@dataclass(frozen=True)
class PageInput:
    """A page's text and, for OCR pages, its words (to rate the OCR behind a value)."""

    number: int
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Found:
    """One suggested value. ``value`` is the normalised form the case would take; ``raw`` is
    what the page says; ``confidence`` (0-1) is how sure the reader is of the reading."""

    field: str
    value: str
    raw: str
    page: int
    start: int
    end: int
    confidence: float
    ocr_confidence: float | None = None
    # Qualified: in this class body `field` is also the name of an attribute.
    extra: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return self.ocr_confidence is not None and self.ocr_confidence < LOW_OCR_CONFIDENCE


# Urdu (U+06F0..) and Arabic (U+0660..) digits to ASCII, one character for one, so spans of
# the folded text are spans of the page text.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

# ---------------------------------------------------------------------------------------------
# FIR number and year

_FIR = re.compile(
    r"\b(?:F\.?\s?I\.?\s?R\.?|Crime|Case\s+Crime)\s*(?:No|Number)\b[\s:.\-…]*"
    r"(?P<no>\d{1,5})\s*(?:/|of|,?\s*(?:dated|year)\s*[:.]?|-)\s*(?P<year>(?:19|20)?\d{2})(?!\d)",
    re.IGNORECASE,
)
_FIR_NO_ONLY = re.compile(
    r"\b(?:F\.?\s?I\.?\s?R\.?|Crime)\s*(?:No|Number)\b[\s:.\-…]*(?P<no>\d{1,5})(?![\d/])",
    re.IGNORECASE,
)
_FIR_URDU = re.compile(
    r"(?:ایف\s*آئی\s*آر|ايف\s*آءِ\s*آر|مقدمہ|مقدمو|جرم)\s*(?:نمبر|نمبری|نمبرى)\s*[:]?\s*"
    r"(?P<no>\d{1,5})\s*(?:/|سال|ء)?\s*(?P<year>(?:19|20)\d{2})?"
)
_YEAR_LABEL = re.compile(r"\bYear[\s:.\-…]*(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------
# Places

_NAME_WORD = r"[A-Z][A-Za-z'\-]*\.?"
_STOP_WORDS = (
    r"(?:District|Dist|Distt|Taluka|Tehsil|Year|Date|Dated|FIR|Under|U/s|Sections?|Police|PS"
    r"|Crime|No|Case|Complainant|Accused|Time|Act|Brief|Place|Facts|Offen[cs]e)\b"
)
_PLACE = rf"(?P<name>(?!{_STOP_WORDS}){_NAME_WORD}(?:[ \t]+(?!{_STOP_WORDS}){_NAME_WORD}){{0,3}})"
# Labels are matched in any case, names only when capitalised ("Police Station with" is
# not a station).
_STATION = re.compile(
    rf"(?i:\bPolice\s+Station|\bP\.\s?S\.?|\bPS\b|\bThana)\s*(?i:Name)?[ \t:.\-…]*{_PLACE}"
)
_DISTRICT = re.compile(rf"\b(?:District|Distt?\.?)\s*(?:Name)?[ \t:.\-…]*{_PLACE}")
_URDU_WORD = r"(?<![\u0600-\u06FF\u0750-\u077F])[\u0600-\u06FF\u0750-\u077F]+"
_URDU_STOP = (
    r"(?:ضلع|تحصیل|تعلقہ|سال|نمبر|تاریخ|بجرم|زیر|دفعہ|مدعی|مدعي|ملزمان|ملزمہ|ملزم|گواہ|ولد"
    r"|بنت|زوجہ|ساکن|سکنہ|قوم|تھانہ|ٿاڻو|شناختی|بوقت)(?![\u0600-\u06FF])"
)
_URDU_PLACE = (
    rf"(?P<name>(?!{_URDU_STOP}){_URDU_WORD}(?:[ \t]+(?!{_URDU_STOP}){_URDU_WORD}){{0,2}})"
)
_STATION_URDU = re.compile(rf"(?:تھانہ|تھانے|ٿاڻو|ٿاڻي)\s*[:]?[ \t]*{_URDU_PLACE}")
_DISTRICT_URDU = re.compile(rf"(?:ضلع|ضلعو)\s*[:]?[ \t]*{_URDU_PLACE}")

# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DATE = re.compile(
    r"(?<![\d/.\-])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*[./\-\s]\s*"
    r"(?P<m>\d{1,2}|[A-Za-z]{3,9})\.?\s*[./\-\s,]\s*(?P<y>(?:19|20)\d{2}|\d{2})(?![\d/.])"
)
_REGISTERED_WORDS = (
    r"(?:(?:date|time)\s+(?:and\s+(?:date|time)\s+)?of\s+(?:report|registration|FIR|information)"
    r"|registered\s+on|information\s+received|reported\s+on|(?:date|time)\s+of\s+lodging"
    r"|(?:تاریخ|وقت)\s*(?:اندراج|رپورٹ))"
)
_OCCURRED_WORDS = r"(?:occurrence|incident|offen[cs]e\s+committed|وقوعہ|واردات)"
_REGISTERED_LABEL = re.compile(rf"{_REGISTERED_WORDS}[^\n\d]{{0,40}}$", re.IGNORECASE)
_OCCURRED_LABEL = re.compile(rf"{_OCCURRED_WORDS}[^\n\d]{{0,40}}$", re.IGNORECASE)
# A time belongs to the nearest label before it on its line ("Date and time of report:
# 14.03.2024 at 1030 hours"), dates in between allowed.
_TIME_LABEL = re.compile(
    rf"(?P<registered>{_REGISTERED_WORDS})|(?P<occurred>{_OCCURRED_WORDS})", re.IGNORECASE
)

# ---------------------------------------------------------------------------------------------
# People

# A capitalised word that is not a form label ("Complainant Ghulam Rasool" is not a name).
_LABEL = (
    r"(?:Complainant|Informant|Accused|Name|Father|Husband|Witness|Offen[cs]e|Sections?|Under"
    r"|Police|Station|District|Date|Address|Caste|Resident|Age|The|And|Of|By|In|On)\b"
)
_PWORD = rf"(?!{_LABEL})[A-Z][a-zA-Z']+\.?"
_HONORIFIC = r"(?:(?:Mst|Mr|Mrs|Dr|Haji|Syed)\.?\s+)?"
_PERSON = rf"{_HONORIFIC}{_PWORD}(?:[ \t]+(?:(?:@|alias)[ \t]*)?{_PWORD}){{0,4}}"
# Case-blind: typists and OCR write "S/o" as often as "s/o".
_RELATION = r"(?P<rel>(?i:s/o|d/o|w/o|son\s+of|daughter\s+of|wife\s+of))"
_PARTY = re.compile(
    rf"(?P<name>{_PERSON})\s*,?\s*{_RELATION}\s*[:.]?\s*(?P<parent>{_PERSON})",
)
_ROLE_WORD = re.compile(
    r"\b(?P<role>complainant|informant|accused|witness(?:es)?|P\.?W\.?\s*-?\s*\d+)\b"
    r"|(?P<urole>مدعی|مدعي|ملزمان|ملزم|ملزمہ|گواہ|شاهد)",
    re.IGNORECASE,
)
_COMPLAINANT_FORM = re.compile(
    r"(?i:\b(?:complainant|informant)\b[^\n]{0,40}?(?:\n[^\n]{0,20}?)?\bName)[ \t:.\-…]*"
    r"(?P<name>" + _PERSON + ")"
)
_FATHER_FORM = re.compile(
    r"(?i:\b(?:Father'?s|Husband'?s)(?:\s*/\s*Husband'?s)?\s+Name)[ \t:.\-…]*(?P<parent>"
    + _PERSON
    + ")"
)
_URDU_RELATION = {"ولد": "s/o", "بنت": "d/o", "دختر": "d/o", "زوجہ": "w/o", "زوجه": "w/o"}
_URDU_NAME = rf"(?!{_URDU_STOP}){_URDU_WORD}(?:[ \t]+(?!{_URDU_STOP}){_URDU_WORD}){{0,3}}"
_PARTY_URDU = re.compile(
    rf"(?P<name>{_URDU_NAME})[ \t]*(?P<rel>ولد|بنت|دختر|زوجہ|زوجه)[ \t]*(?P<parent>{_URDU_NAME})"
)
_ROLE_NORMAL = {
    "complainant": "complainant",
    "informant": "complainant",
    "accused": "accused",
    "مدعی": "complainant",
    "مدعي": "complainant",
    "ملزم": "accused",
    "ملزمان": "accused",
    "ملزمہ": "accused",
}


def parse_date(day: str, month: str, year: str, *, today: dt.date | None = None) -> dt.date | None:
    """A calendar date from its written parts ("18", "04"/"Apr", "2011" or "11"); None if
    it is not a real date or lies in the future."""
    today = today or pakistan_today()
    month_no = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."), 0)
    y = int(year)
    if len(year) == 2:
        y += 2000 if y <= today.year % 100 else 1900
    try:
        value = dt.date(y, month_no, int(day))
    except ValueError:
        return None
    return value if dt.date(1947, 1, 1) <= value <= today else None


class _Rater:
    """Confidence of the OCR words under a span of one page (None for text-layer pages)."""

    def __init__(self, page: PageInput) -> None:
        self.spans = word_spans(page.text, list(page.words)) if page.words else []

    def __call__(self, start: int, end: int) -> float | None:
        if not self.spans:
            return None
        confs = [w.confidence for s, e, w in self.spans if s < end and e > start]
        return min(confs) if confs else None


def _clean(name: str) -> str:
    return " ".join(name.replace("\n", " ").split()).strip(" ,.:;-")


def _fir_values(page: PageInput, text: str, rate: _Rater, today: dt.date) -> list[Found]:
    out: list[Found] = []
    for m in _FIR.finditer(text):
        year = m["year"]
        year_no = (
            int(year) + (2000 if int(year) <= today.year % 100 else 1900)
            if len(year) == 2
            else int(year)
        )
        conf = rate(m.start("no"), m.end("year"))
        out.append(
            Found("fir_number", str(int(m["no"])), m["no"], page.number, *m.span("no"), 0.9, conf)
        )
        if 1947 <= year_no <= today.year:
            out.append(
                Found("fir_year", str(year_no), year, page.number, *m.span("year"), 0.85, conf)
            )
    for m in _FIR_URDU.finditer(text):
        conf = rate(m.start("no"), m.end())
        out.append(
            Found("fir_number", str(int(m["no"])), m["no"], page.number, *m.span("no"), 0.85, conf)
        )
        if m["year"] and 1947 <= int(m["year"]) <= today.year:
            out.append(
                Found("fir_year", m["year"], m["year"], page.number, *m.span("year"), 0.8, conf)
            )
    if not any(f.field == "fir_number" for f in out):
        for m in _FIR_NO_ONLY.finditer(text):
            out.append(
                Found(
                    "fir_number",
                    str(int(m["no"])),
                    m["no"],
                    page.number,
                    *m.span("no"),
                    0.7,
                    rate(*m.span("no")),
                )
            )
    if not any(f.field == "fir_year" for f in out):
        for m in _YEAR_LABEL.finditer(text):
            if 1947 <= int(m["year"]) <= today.year:
                out.append(
                    Found(
                        "fir_year",
                        m["year"],
                        m["year"],
                        page.number,
                        *m.span("year"),
                        0.6,
                        rate(*m.span("year")),
                    )
                )
    return out


def _places(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    out: list[Found] = []
    for field_name, patterns in (
        ("police_station", (_STATION, _STATION_URDU)),
        ("district", (_DISTRICT, _DISTRICT_URDU)),
    ):
        for pattern in patterns:
            for m in pattern.finditer(text):
                name = _clean(m["name"])
                if len(name) < 2:
                    continue
                out.append(
                    Found(
                        field_name,
                        name,
                        m["name"],
                        page.number,
                        *m.span("name"),
                        0.75,
                        rate(*m.span("name")),
                    )
                )
    return out


def _dates(page: PageInput, text: str, rate: _Rater, today: dt.date) -> list[Found]:
    out: list[Found] = []
    for m in _DATE.finditer(text):
        value = parse_date(m["d"], m["m"], m["y"], today=today)
        if value is None:
            continue
        before = text[max(0, m.start() - 80) : m.start()]
        if _REGISTERED_LABEL.search(before):
            field_name, conf = "registered_on", 0.8
        elif _OCCURRED_LABEL.search(before):
            field_name, conf = "occurred_on", 0.75
        else:
            continue  # an unlabelled date could be anything: never guess what it is
        out.append(
            Found(
                field_name,
                value.isoformat(),
                m.group(),
                page.number,
                *m.span(),
                conf,
                rate(*m.span()),
            )
        )
    return out


def _times(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    out: list[Found] = []
    for t in find_times(text):
        line_start = text.rfind("\n", 0, t.start) + 1
        labels = list(_TIME_LABEL.finditer(text, max(line_start, t.start - 120), t.start))
        if not labels:
            continue  # an unlabelled time could be anything
        field_name = "registered_at" if labels[-1]["registered"] else "occurred_at"
        out.append(
            Found(
                field_name,
                t.value,
                text[t.start : t.end],
                page.number,
                t.start,
                t.end,
                0.7,
                rate(t.start, t.end),
            )
        )
    return out


def _place_and_narrative(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    spans = [("place", p, 0.7) for p in find_places(text)]
    narrative = find_narrative(text)
    if narrative:
        spans.append(("narrative", narrative, 0.7))
    return [
        Found(
            name,
            s.value,
            text[s.start : s.end],
            page.number,
            s.start,
            s.end,
            conf,
            rate(s.start, s.end),
        )
        for name, s, conf in spans
    ]


def _cnic_after(text: str, start: int, stop: int) -> str | None:
    """The first CNIC written between a person's name and ``stop`` (the next person)."""
    for c in find_cnics(text[start:stop]):
        return c.value
    return None


def _role_before(text: str, start: int) -> str | None:
    """The role word nearest before ``start`` in the same passage (200 characters)."""
    role = None
    for m in _ROLE_WORD.finditer(text, max(0, start - 200), start):
        word = (m["role"] or m["urole"] or "").lower()
        role = _ROLE_NORMAL.get(word, "witness" if word else None)
        if word.startswith("p") or word.startswith("witness") or word in ("گواہ", "شاهد"):
            role = "witness"
    return role


def _people(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    # A CNIC after a person, before the next person or role word, is that person's.
    marks = sorted(
        [m.start() for p in (_PARTY, _PARTY_URDU) for m in p.finditer(text)]
        + [m.start() for m in _ROLE_WORD.finditer(text)]
    )

    def next_mark(pos: int) -> int:
        return min([s for s in marks if s >= pos] + [pos + 200, len(text)])

    for pattern, urdu in ((_PARTY, False), (_PARTY_URDU, True)):
        for m in pattern.finditer(text):
            role = _role_before(text, m.start())
            if role not in ("accused", "complainant"):
                continue
            name, parent = _clean(m["name"]), _clean(m["parent"])
            rel = _URDU_RELATION[m["rel"]] if urdu else m["rel"].lower()
            rel = {"son of": "s/o", "daughter of": "d/o", "wife of": "w/o"}.get(
                re.sub(r"\s+", " ", rel), rel
            )
            value = f"{name} {rel} {parent}"
            extra = {"name": name, "parentage": f"{rel} {parent}"}
            cnic = _cnic_after(text, m.end(), next_mark(m.end()))
            if cnic:
                value, extra["cnic"] = f"{value}, CNIC {cnic}", cnic
            taken.append(m.span())
            out.append(
                Found(role, value, m.group(), page.number, *m.span(), 0.8, rate(*m.span()), extra)
            )
    for m in _COMPLAINANT_FORM.finditer(text):
        if any(s <= m.start("name") < e for s, e in taken):
            continue
        name = _clean(m["name"])
        # "Father's/Husband's Name" does not say whether s/o, d/o or w/o: the parent is shown
        # (in the text read) for the clerk to add, never guessed into the value.
        parent_m = _FATHER_FORM.search(text, m.end(), m.end() + 200)
        extra = {"name": name}
        value, end = name, m.end("name")
        if parent_m:
            extra["parent"] = _clean(parent_m["parent"])
            end = parent_m.end("parent")
        cnic = _cnic_after(text, end, next_mark(end))
        if cnic:
            value, extra["cnic"] = f"{value}, CNIC {cnic}", cnic
        out.append(
            Found(
                "complainant",
                value,
                text[m.start("name") : end],
                page.number,
                m.start("name"),
                end,
                0.7,
                rate(m.start("name"), end),
                extra,
            )
        )
    return out


# "زیر دفعہ 302، 324 ت پ": sections of the Tazirat-e-Pakistan (the PPC) in Urdu FIRs.
_URDU_OFFENCES = re.compile(
    r"(?:دفعہ|دفعات)\s*(?P<list>\d[\d\s،,/\-()A-Za-z]*?)\s*"
    r"(?:ت\s*پ(?:\s*پ)?|تعزیرات\s*پاکستان)(?![\u0600-\u06FF])"
)


def _urdu_offences(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    out = []
    for m in _URDU_OFFENCES.finditer(text):
        listed = m["list"].replace("،", ",").strip(" ,")
        refs = find_section_refs(f"{listed} PPC")
        if refs:
            value = "; ".join(dict.fromkeys(r.ref.canonical() for r in refs))
            s, e = m.span("list")
            out.append(Found("offences", value, m.group(), page.number, s, e, 0.75, rate(s, e)))
    return out


def _offences(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    # Procedure (CrPC) is not an offence: "FIR under section 154 Cr.P.C." charges nobody.
    refs = [r for r in find_section_refs(text) if r.ref.act != "CrPC"]
    if not refs:
        return _urdu_offences(page, text, rate)
    # One suggestion per run of references (the "u/s 302, 324, 34 PPC" of an FIR heading).
    out: list[Found] = []
    group = [refs[0]]
    for ref in refs[1:]:
        if ref.start - group[-1].end <= 40:
            group.append(ref)
            continue
        out.append(_offence_group(page, text, rate, group))
        group = [ref]
    out.append(_offence_group(page, text, rate, group))
    return out + _urdu_offences(page, text, rate)


def _offence_group(page: PageInput, text: str, rate: _Rater, group: list) -> Found:
    canon: list[str] = []
    for ref in group:
        if ref.ref.canonical() not in canon:
            canon.append(ref.ref.canonical())
    start, end = group[0].start, group[-1].end
    return Found(
        "offences",
        "; ".join(canon),
        text[start:end],
        page.number,
        start,
        end,
        0.85,
        rate(start, end),
    )


def _court_numbers(page: PageInput, text: str, rate: _Rater, today: dt.date) -> list[Found]:
    return [
        Found("court_case_number", num.canonical(), num.raw, page.number, s, e, 0.85, rate(s, e))
        for num, s, e in find_case_numbers(text, current_year=today.year)
    ]


def _citations(page: PageInput, text: str, rate: _Rater) -> list[Found]:
    out = []
    for cite in find_citations(text, statutes=False):
        s, e = cite.start, cite.end
        out.append(Found("citation", cite.canonical, text[s:e], page.number, s, e, 0.9, rate(s, e)))
    return out


def find_metadata(pages: list[PageInput], *, today: dt.date | None = None) -> list[Found]:
    """Every suggestion in the document, de-duplicated by (field, value) keeping the first
    (and surest) reading, in review order."""
    today = today or pakistan_today()
    found: list[Found] = []
    for page in pages:
        text = page.text.translate(_DIGITS)
        rate = _Rater(page)
        found += _fir_values(page, text, rate, today)
        found += _places(page, text, rate)
        found += _dates(page, text, rate, today)
        found += _times(page, text, rate)
        found += _place_and_narrative(page, text, rate)
        found += _people(page, text, rate)
        found += _offences(page, text, rate)
        found += _court_numbers(page, text, rate, today)
        found += _citations(page, text, rate)
    best: dict[tuple[str, str], Found] = {}
    for item in found:
        key = (item.field, item.value.casefold())
        if key not in best or item.confidence > best[key].confidence:
            best[key] = item
    return sorted(best.values(), key=lambda f: (FIELDS.index(f.field), f.page, f.start))
