"""Citations in judgments: law reports, neutral citations and statute references.

The library resolves a citation to a judgment by its canonical form, so every spelling a judge,
a clerk or a PDF extractor produces ("P Cr. L J", "P.Cr.L.J.", "S C M R", "Supre me Court")
must collapse to one key. Canonical forms (domain notes, section 3):

* year-first reporters: ``{year} {SERIES} {page}`` — ``2019 SCMR 1234``, ``2015 PCrLJ 456``,
  ``2010 YLR 470``, ``2018 MLD 196``, ``2013 CLC 1446``, ``2011 PLC(CS) 12``; a note case keeps
  its word: ``2022 YLR Note 57`` (notes are numbered apart from pages).
* reporter-first: ``PLD {year} {court} {page}`` (``PLD 2010 SC 123``, ``PLD 1976 Lah 574``),
  ``PLJ {year} {court} {page}`` (``PLJ 2025 SC (CrC) 128``, ``PLJ 1995 CrC (Kar) 420``,
  ``PLJ 2020 CrC Note 15``), ``NLR {year} {division} {page}`` (``NLR 1999 Cr Lah 1``).
  Court tokens are dotless abbreviations: SC, FSC, FC, PC, ShC, Lah, Kar, Sindh, Pesh, Quetta,
  Bal, Isl, AJ&K, GB, WP, Dacca, CrC, Cr, Civil, Pak. A bracketed token stays bracketed
  ("SC (AJ&K)"). Kar/Sindh and Quetta/Bal are kept apart as printed: the reporters renamed
  those volumes over the years, and a resolver may treat them as aliases.
* neutral citations: ``{year} {COURT} {number}`` — ``2022 LHC 6257``, ``2025 SHC KHI 59``
  (SHC carries its seat), also IHC, PHC, BHC and SCP ⚠.
* statutes: one citation per section, canonical as ``legaltext.section_refs.SectionRef``
  (``302(b) PPC``, ``25(4A) ATA``); found by ``legaltext.section_refs.find_section_refs`` — one
  parser for the whole product.

Reporters are matched against a whitelist, so "Crl. Appeal No. 9 of 2014" or "FIR No. 12/2019"
are never read as citations. Page numbers lose leading zeros ("01" -> 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from legaltext.section_refs import SectionRefError, find_section_refs, parse_section_refs

__all__ = ["Citation", "canonical_citation", "cited_after", "find_citations"]

REPORT = "report"
NEUTRAL = "neutral"
STATUTE = "statute"


@dataclass(frozen=True)
class Citation:
    """One citation found in text; ``start``/``end`` are offsets into that text.

    Reports fill ``year``, ``journal`` (canonical series, e.g. "PCrLJ"), ``court`` (canonical
    court or volume token, or None for year-first series) and ``page`` (``note`` when the page
    is a note number). Neutral citations fill ``year``, ``court`` ("LHC", "SHC KHI") and put the
    court's serial number in ``page``. Statutes fill ``act`` (code from ``legaltext.act_names``),
    ``section`` ("337-A") and ``subsections`` (("1", "a")).
    """

    kind: str  # "report" | "neutral" | "statute"
    canonical: str
    raw: str
    start: int
    end: int
    year: int | None = None
    journal: str | None = None
    court: str | None = None
    page: int | None = None
    note: bool = False
    act: str | None = None
    section: str | None = None
    subsections: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Building blocks


def _initials(*units: str) -> str:
    """Regex for an abbreviation written with or without dots and spaces between its units:
    ("P", "Cr", "L", "J") matches "PCrLJ", "P.Cr.L.J.", "PCr.LJ", "P Cr. L J"."""
    sep = r"\s?\.?\s{0,2}"
    return sep.join(_split_word(u) for u in units) + r"\.?"


def _split_word(word: str) -> str:
    """A word as PDF extraction may break it: one stray space between any two letters
    ("Supre me Court", "Quett a", "SC MR")."""
    return r"\s?".join(re.escape(ch) for ch in word)


# A year, also as PDF extraction splits it ("2 016", "20 16", "201 6").
_YEAR = r"(?P<year>(?:19|20)\d{2}|[12] [09]\d{2}|(?:19|20) \d{2}|(?:19|20)\d \d)"
_YEAR_STRICT = r"(?P<year>(?:19|20)\d{2})"
_YEAR_B = (
    rf"(?:\(\s*{_YEAR}\s*\)|\[\s*{_YEAR.replace('year', 'year_b')}\s*\]"
    rf"|{_YEAR.replace('year', 'year_p')})"
)

# Year-first series: canonical name -> regex alternatives.
_YEAR_FIRST: dict[str, str] = {
    "SCMR": _initials("S", "C", "M", "R"),
    "PCrLJ": _initials("P", "Cr", "L", "J"),
    "YLR": _initials("Y", "L", "R"),
    "MLD": _initials("M", "L", "D"),
    "CLC": _initials("C", "L", "C"),
    "PLC(CS)": _initials("P", "L", "C") + r"\s*\(\s*" + _initials("C", "S") + r"\s*\)",
    "PLC": _initials("P", "L", "C"),
    "PTD": _initials("P", "T", "D"),
    "CLD": _initials("C", "L", "D"),
    "KLR": _initials("K", "L", "R"),
    "PSC": _initials("P", "S", "C"),
    "GBLR": _initials("G", "B", "L", "R"),
}

# Court and volume tokens of PLD, PLJ and NLR: canonical -> regex.
_COURTS: dict[str, str] = {
    "FSC": rf"{_initials('F', 'S', 'C')}|Federal\s+Shariat\s+Court",
    "ShC": r"Sh\.?\s?C\.?|Shariat\s+Court",
    "SC": (
        rf"{_initials('S', 'C')}|{_split_word('Supreme')}\s+{_split_word('Court')}"
        r"|Supseme\s+Court"
    ),
    "FC": rf"{_initials('F', 'C')}|Federal\s+Court",
    "PC": rf"{_initials('P', 'C')}|Privy\s+Council",
    "Lah": rf"{_split_word('Lahore')}|Lah\.?",
    "Kar": rf"{_split_word('Karachi')}|K\s?ar\.?",
    "Sindh": _split_word("Sindh"),
    "Pesh": rf"{_split_word('Peshawar')}|Pesh\.?",
    "Quetta": rf"{_split_word('Quetta')}|Qta\.?",
    "Bal": rf"{_split_word('Balochistan')}|Baluchistan|Bal\.?",
    "Isl": rf"{_split_word('Islamabad')}|Isl\.?",
    "AJ&K": r"A\.?\s?J\.?\s?&\s?K\.?|AJK|Azad\s*\(?\s*J\s?&\s?K\s*\)?|Azad\s+Kashmir",
    "GB": r"G\.?\s?B\.?|Gilgit[\s-]+Baltistan",
    "WP": r"W\.?\s?P\.?",
    "Dacca": rf"{_split_word('Dacca')}|Dhaka",
    "Pak": r"Pak\.?",
    "CrC": r"Cr\.?\s?C\.?",
    "Cr": r"Crl\.?|Criminal|Cr\.?",
    "Civil": r"Civil|Civ\.",
    "Note": r"Note",
    "Central Statutes": r"Central\s+Statutes?",
    "Federal Statutes": r"Federal\s+Statutes?|Federal\s+Statues",
    "Sindh Statutes": r"Sindh\s+Statutes?",
    "Punjab Statutes": r"Punjab\s+Statutes?",
    "Balochistan Statutes": r"Balochistan\s+Statutes?",
    "NWFP Statutes": r"N\.?\s?W\.?\s?F\.?\s?P\.?\s+Statutes?",
}
# Statute volumes must be tried before the bare court names they start with.
_COURT_ORDER = sorted(_COURTS, key=lambda c: (" " not in c, c in ("Cr",)))

# Court tokens that name a bench (as opposed to a division or a statutes volume).
_BENCHES = frozenset(
    [
        "FSC",
        "ShC",
        "SC",
        "FC",
        "PC",
        "Lah",
        "Kar",
        "Sindh",
        "Pesh",
        "Quetta",
        "Bal",
        "Isl",
        "AJ&K",
        "GB",
        "Dacca",
    ]
)

_NEUTRAL_SEATS = r"KHI|SUK|HYD|LRK|MPK|Khi|Suk|Hyd|Lrk|Mpk"


def _court_token_rx() -> str:
    return "|".join(f"(?:{_COURTS[c]})" for c in _COURT_ORDER)


@cache
def _court_token_re() -> re.Pattern[str]:
    return re.compile(rf"(?:{_court_token_rx()})(?![A-Za-z])", re.IGNORECASE)


def _canonical_court(raw: str) -> str:
    """ "SC (AJ& K)" -> "SC (AJ&K)", "Cr.C. (Note)" -> "CrC Note", "(W.P.) Lah." -> "WP Lah"."""
    out: list[str] = []
    pos = 0
    tok_re = _court_token_re()
    text = raw
    while pos < len(text):
        ch = text[pos]
        if ch in " \t\r\n,.":
            pos += 1
            continue
        bracketed = ch == "("
        if bracketed:
            pos += 1
            while pos < len(text) and text[pos].isspace():
                pos += 1
        m = tok_re.match(text, pos)
        if m is None:
            raise ValueError(raw)
        name = next(c for c in _COURT_ORDER if re.fullmatch(_COURTS[c], m.group(), re.I))
        pos = m.end()
        if bracketed:
            while pos < len(text) and text[pos] in " .)":
                pos += 1
        # "(Note)" and "(W.P.)" carry no bracket in the canonical form: the bracket is
        # typography, and the same volume is written with and without it.
        # A bracket around the first token ("PLD 2021 (Balochistan) 21") is typography too.
        keep = bracketed and out and name not in ("Note", "WP")
        out.append(f"({name})" if keep else name)
    return " ".join(out)


def _page_rx(name: str = "page") -> str:
    """The page, optionally introduced: "123", "page 123", "P -80", "Page /419", "at p. 12"."""
    intro = r"(?:(?:at\s+)?(?:page|p)\b\.?\s*[:\-/]?\s*)?"
    return rf"[,\s]*{intro}[-/]?\s*(?P<{name}>\d{{1,5}})(?!\d)"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Each pattern opens with a lookahead on its first character (IGNORECASE applies), so
    the engine tries the long alternations only where a citation can start."""
    series = "|".join(f"(?P<s{i}>{rx})(?![A-Za-z])" for i, rx in enumerate(_YEAR_FIRST.values()))
    court_tok = _court_token_rx()
    # A year-first report may name the bench between series and page ("1982 CLC Lahore
    # 1732", "1985 PCrLJ (Kar.) 12"); pages run through the whole volume, so the bench is
    # kept as ``court`` but is not part of the key.
    benches = "|".join(f"(?:{_COURTS[c]})" for c in _COURT_ORDER if c in _BENCHES)
    bench = rf"(?:\(\s*)?(?P<bench>{benches})(?![A-Za-z])\.?(?:\s*\))?"
    tail = rf"\s*(?:{bench}\s*)?(?P<note>\(?\s*Note\s*\)?)?" + _page_rx()
    year_first = re.compile(
        rf"(?=[(\[12])(?<![\w/.\-]){_YEAR_B}\s*,?\s*(?:{series}){tail}", re.IGNORECASE
    )
    # The series before the year, as some judgments (and the BHC file's own index) write it:
    # "SCMR 2011 page 820", "CLC 2012 Balochistan 890".
    series_first = re.compile(
        rf"(?=[SPYMCKG])(?<![\w.])(?:{series})\s*,?\s*{_YEAR_B}{tail}", re.IGNORECASE
    )
    court = (
        rf"(?P<court>(?:\(\s*)?(?:{court_tok})(?![A-Za-z])\.?(?:\s*\))?"
        rf"(?:\s*(?:\(\s*)?(?:{court_tok})(?![A-Za-z])\.?(?:\s*\))?){{0,3}})"
    )
    rep = "|".join(_initials(*name) for name in ("PLD", "PLJ", "NLR"))
    rep = rf"(?P<rep>{rep})"
    reporter_first = re.compile(
        rf"(?=[PN])(?<![\w.]){rep}\s*,?\s*{_YEAR_B}\s*,?\s*{court}" + _page_rx(), re.IGNORECASE
    )
    # ... and the year before the reporter: "2003 PLD Karachi 495".
    year_reporter = re.compile(
        rf"(?=[(\[12])(?<![\w/.\-]){_YEAR_B}\s*,?\s*{rep}\s*,?\s*{court}" + _page_rx(),
        re.IGNORECASE,
    )
    neutral = re.compile(
        rf"(?=[12])(?<![\w/.\-]){_YEAR_STRICT}\s*-?\s*"
        rf"(?P<court>LHC|IHC|PHC|BHC|SCP|SHC\s*-?\s*(?:{_NEUTRAL_SEATS}))\s*-?\s*"
        r"(?P<no>\d{1,6})(?!\d)",
    )
    return year_first, series_first, reporter_first, year_reporter, neutral


def _year(m: re.Match[str]) -> int:
    return int((m["year"] or m["year_b"] or m["year_p"]).replace(" ", ""))


def _report_year_first(m: re.Match[str]) -> Citation:
    name = next(
        list(_YEAR_FIRST)[i] for i in range(len(_YEAR_FIRST)) if m.group(f"s{i}") is not None
    )
    year, page, note = _year(m), int(m["page"]), m["note"] is not None
    canonical = f"{year} {name} {'Note ' if note else ''}{page}"
    court = _canonical_court(m["bench"]) if m["bench"] else None
    return Citation(REPORT, canonical, m.group(), m.start(), m.end(), year, name, court, page, note)


def _report_first(m: re.Match[str]) -> Citation | None:
    rep = re.sub(r"[\s.]", "", m["rep"]).upper()
    try:
        court = _canonical_court(m["court"])
    except ValueError:
        return None
    note = court.endswith("Note") or " Note " in f" {court} "
    year, page = _year(m), int(m["page"])
    canonical = f"{rep} {year} {court} {page}"
    return Citation(REPORT, canonical, m.group(), m.start(), m.end(), year, rep, court, page, note)


def _neutral(m: re.Match[str]) -> Citation:
    court = re.sub(r"[\s-]+", " ", m["court"]).upper()
    court = re.sub(r"^SHC(?=[A-Z])", "SHC ", court)
    year, number = int(m["year"]), int(m["no"])
    return Citation(
        NEUTRAL,
        f"{year} {court} {number}",
        m.group(),
        m.start(),
        m.end(),
        year,
        None,
        court,
        number,
    )


# The Code of Civil Procedure is divided into sections and, in its First Schedule, into
# orders and rules ("Order VII, Rule 11, C.P.C."), which civil judgments cite constantly.
# Canonical "O.VII R.11 CPC"; ``section`` holds "O.VII R.11".
_CPC = r"(?:C\.?\s?P\.?\s?C\.?|Code\s+of\s+Civil\s+Procedure|Civil\s+Procedure\s+Code)"
_RULE_NO = r"\d{1,3}(?:[ \t]*-?[ \t]*[A-Z](?![A-Za-z.]))?(?!\d)"
_ORDER_RULE = re.compile(
    rf"\b(?:{_split_word('Order')}|O\.)\s*(?P<order>[IVXL]{{1,7}})\s*[,.]?\s*"
    rf"(?:{_split_word('Rule')}s?|R\.|r\.)\s*"
    rf"(?P<rules>{_RULE_NO}(?:\s*(?:,|&|and)\s*{_RULE_NO})*)"
    r"(?P<subs>(?:\s*\(\s*[0-9a-z]{1,3}\s*\))*)"
    rf"\s*,?\s*(?:of\s+(?:the\s+)?)?{_CPC}",
)


def _order_rules(text: str) -> list[Citation]:
    """One citation per rule: "Order XXXIX, Rules 1 and 2, CPC" is two. The first spans the
    order and its rule ("Order XXXIX, Rules 1"), later ones their own number."""
    out = []
    for m in _ORDER_RULE.finditer(text):
        rules = list(re.finditer(_RULE_NO, m["rules"]))
        subs = tuple(re.findall(r"\(\s*([0-9a-z]{1,3})\s*\)", m["subs"])) if len(rules) == 1 else ()
        path = "".join(f"({x})" for x in subs)
        for k, r in enumerate(rules):
            rule = re.sub(r"[\s-]+", "", r.group())
            rule = re.sub(r"(\d)([A-Z])$", r"\1-\2", rule)
            section = f"O.{m['order']} R.{rule}"
            start = m.start() if k == 0 else m.start("rules") + r.start()
            end = m.end() if len(rules) == 1 else m.start("rules") + r.end()
            out.append(
                Citation(
                    STATUTE,
                    f"{section}{path} CPC",
                    text[start:end],
                    start,
                    end,
                    act="CPC",
                    section=section,
                    subsections=subs,
                )
            )
    return out


def _statutes(text: str) -> list[Citation]:
    out = []
    for f in find_section_refs(text):
        ref = f.ref
        out.append(
            Citation(
                STATUTE,
                ref.canonical(),
                text[f.start : f.end],
                f.start,
                f.end,
                act=ref.act,
                section=ref.section,
                subsections=ref.subsections,
            )
        )
    return out


def find_citations(text: str, *, statutes: bool = True) -> list[Citation]:
    """Every report, neutral and (unless ``statutes=False``) statute citation, in text order.

    Where two matches overlap (a report inside a longer one), the earlier, longer one wins.
    """
    year_first, series_first, reporter_first, year_reporter, neutral = _patterns()
    found: list[Citation] = []
    for rx in (reporter_first, year_reporter):
        found += [c for m in rx.finditer(text) if (c := _report_first(m)) is not None]
    for rx in (year_first, series_first):
        found += [_report_year_first(m) for m in rx.finditer(text)]
    found += [_neutral(m) for m in neutral.finditer(text)]
    if statutes:
        found += _order_rules(text)
        found += _statutes(text)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Citation] = []
    for c in found:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept


def canonical_citation(raw: str) -> str | None:
    """The canonical form of one citation a user typed ("2019 S.C.M.R. 1234", "302 ppc"),
    or None when the text is not exactly one citation."""
    text = raw.strip().strip(",;")
    if not text:
        return None
    cites = find_citations(text, statutes=False) + _order_rules(text)
    if len(cites) == 1:
        c = cites[0]
        rest = (text[: c.start] + text[c.end :]).strip(" \t\n.,;()[]")
        if not rest:
            return c.canonical
    if cites:
        return None
    try:
        refs = parse_section_refs(text)
    except SectionRefError:
        return None
    return refs[0].canonical() if len(refs) == 1 else None


def cited_after(citations: list[Citation], decided: int) -> list[Citation]:
    """Reports dated after the year the citing judgment was decided: a judgment cannot cite
    a later report, so these are misprints or extraction errors to show a person (domain
    notes, section 3), never silently dropped."""
    return [c for c in citations if c.kind != STATUTE and c.year is not None and c.year > decided]
