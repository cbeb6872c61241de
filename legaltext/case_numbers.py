"""Court case numbers ("Crl. Bail Application No. S-24/2025") read into their parts.

A case is looked up by the number the court gave it, which clerks copy from cause lists and
orders in many spellings, so the parts are stored normalised (case type from a whitelist, bench,
number, registry, year) next to the raw string (domain notes, section 2). The case type is
checked against the whitelist so that "FIR No. 189/2024" or "Crime No. 14 of 2023" are never
read as court cases; police numbers live on the FIR record instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

__all__ = [
    "CASE_TYPES",
    "CaseNumber",
    "CaseNumberError",
    "CaseType",
    "find_case_numbers",
    "lookup_case_type",
    "parse_case_number",
]

EARLIEST_YEAR = 1947


@dataclass(frozen=True)
class CaseType:
    """A whitelisted case type. ``benches`` says whether an "S-"/"D-" before the number means
    a single or division High Court bench; in trial-court types a letter is only a prefix
    ("New Special Case No. A-20")."""

    name: str
    aliases: tuple[str, ...] = ()
    benches: bool = True


CASE_TYPES: tuple[CaseType, ...] = (
    # Trial courts
    CaseType("Sessions Case", benches=False),
    CaseType("Special Case", benches=False),
    CaseType("New Special Case", benches=False),
    CaseType("Criminal Case", benches=False),
    # Bail, appeals and petitions (district courts, High Court, Supreme Court, FSC)
    CaseType("Criminal Bail Application", ("Bail Application",)),
    CaseType("Criminal Appeal"),
    CaseType("Criminal Jail Appeal", ("Jail Appeal",)),
    CaseType("Criminal Acquittal Appeal"),
    CaseType("Criminal Revision"),
    CaseType("Criminal Revision Application"),
    CaseType("Criminal Revision Petition"),
    CaseType("Criminal Miscellaneous Application"),
    CaseType("Criminal Transfer Application"),
    CaseType("Criminal Petition"),
    CaseType("Jail Petition"),
    CaseType("Constitutional Petition", ("Constitution Petition",)),
    CaseType("Murder Reference"),
    CaseType("Confirmation Case"),
    CaseType("Special Criminal Anti-Terrorism Appeal"),
    CaseType("Special Criminal Anti-Terrorism Jail Appeal"),
    CaseType(
        "Special Criminal Anti-Terrorism (Acquittal) Appeal",
        ("Special Criminal Anti-Terrorism Acquittal Appeal",),
    ),
)

# Abbreviations as they appear in cause lists and judgments, one word at a time.
_WORDS = {
    "crl": "criminal",
    "cr": "criminal",
    "crim": "criminal",
    "spl": "special",
    "const": "constitutional",
    "constt": "constitutional",
    "constitution": "constitutional",
    "pet": "petition",
    "petn": "petition",
    "appl": "application",
    "appln": "application",
    "applic": "application",
    "acq": "acquittal",
    "acqt": "acquittal",
    "rev": "revision",
    "revn": "revision",
    "misc": "miscellaneous",
    "ref": "reference",
    "conf": "confirmation",
    "session": "sessions",
}
# Runs of initials ("B.A.", "M.A.", "A.T.A."), longest first.
_INITIALS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("a", "t", "j", "a"), ("anti", "terrorism", "jail", "appeal")),
    (("a", "t"), ("anti", "terrorism")),
    (("b", "a"), ("bail", "application")),
    (("m", "a"), ("miscellaneous", "application")),
    (("r", "a"), ("revision", "application")),
    (("t", "a"), ("transfer", "application")),
    (("j", "a"), ("jail", "appeal")),
    (("j", "p"), ("jail", "petition")),
    (("m", "r"), ("murder", "reference")),
    (("p",), ("petition",)),
)


def _expand(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        last = i == len(tokens) - 1
        # "Spl. Crl. A.T.A. No." is the ATA appeal; "ATA" mid-type is just "Anti-Terrorism".
        if tok == "ata" or tokens[i : i + 3] == ["a", "t", "a"]:
            width = 1 if tok == "ata" else 3
            out += ["anti", "terrorism"]
            if i + width == len(tokens):
                out.append("appeal")
            i += width
            continue
        for short, long in _INITIALS:
            if tuple(tokens[i : i + len(short)]) == short:
                out += long
                i += len(short)
                break
        else:
            # "Crl. A. No. 5 of 2020": a lone final "A." is "Appeal".
            out.append("appeal" if tok == "a" and last else _WORDS.get(tok, tok))
            i += 1
    return out


def _key(text: str) -> str | None:
    """Comparable form of a case-type name; None if it holds anything but words."""
    if not re.fullmatch(r"[A-Za-z.\s()\-–&]+", text):
        return None
    tokens = [t.lower() for t in re.findall(r"[A-Za-z]+", text)]
    return " ".join(_expand(tokens)) if tokens else None


def _build_index(types: tuple[CaseType, ...]) -> dict[str, CaseType]:
    index: dict[str, CaseType] = {}
    for ct in types:
        for name in (ct.name, *ct.aliases):
            key = _key(name)
            assert key is not None, name
            index[key] = ct
    return index


_INDEX = _build_index(CASE_TYPES)


def lookup_case_type(text: str) -> CaseType | None:
    """The whitelisted type a name or abbreviation stands for ("Cr. B.A."), or None."""
    key = _key(text)
    return None if key is None else _INDEX.get(key)


@dataclass(frozen=True)
class CaseNumber:
    """A court case number. ``bench`` is "S" (single) or "D" (division) for High Court
    benches; ``prefix`` is a letter series ("A" in "A-20"); ``registry`` the Supreme Court
    branch registry or FSC suffix ("L" in "32-L"). ``raw`` is kept but not compared."""

    raw: str = field(compare=False)
    case_type: str
    bench: str | None
    number: int
    prefix: str | None
    registry: str | None
    year: int

    def canonical(self) -> str:
        """One spelling for display and de-duplication: "Criminal Bail Application No. S-24
        of 2025"."""
        lead = f"{self.bench}-" if self.bench else f"{self.prefix}-" if self.prefix else ""
        tail = f"-{self.registry}" if self.registry else ""
        return f"{self.case_type} No. {lead}{self.number}{tail} of {self.year}"

    def __str__(self) -> str:
        return self.canonical()


class CaseNumberError(ValueError):
    """A case number that cannot be read; the message is meant for the clerk who typed it."""


_NO = r"(?:\bNos?\b\.?|\bNumber\b)"
_NUMBER_PART = (
    r"(?:(?P<letter>[A-Za-z])\s*-\s*)?(?P<number>\d+)"
    r"(?:\s*-\s*(?P<registry>[A-Za-z])(?![A-Za-z]))?"
    r"\s*(?:\bof\b|/)\s*(?P<year>\d+)"
)
_STRICT = re.compile(rf"(?:{_NO}\s*:?\s*)?{_NUMBER_PART}\s*\.?\s*$", re.IGNORECASE)
_EXAMPLE = "'Sessions Case No. 338 of 2023' or 'Crl. Bail Application No. S-24/2025'"


def _check_year(year_text: str, raw: str, current_year: int) -> int:
    if len(year_text) != 4:
        raise CaseNumberError(
            f"The year {year_text!r} in {raw!r} must have four digits, e.g. 2024."
        )
    year = int(year_text)
    if year < EARLIEST_YEAR:
        raise CaseNumberError(
            f"The year {year} in {raw!r} is implausible: it is before {EARLIEST_YEAR}."
        )
    if year > current_year:
        raise CaseNumberError(f"The year {year} in {raw!r} is in the future.")
    return year


def _build(raw: str, ct: CaseType, m: re.Match[str], year: int) -> CaseNumber:
    letter = m["letter"].upper() if m["letter"] else None
    bench = letter if letter in ("S", "D") and ct.benches else None
    prefix = letter if letter and bench is None else None
    registry = m["registry"].upper() if m["registry"] else None
    return CaseNumber(raw, ct.name, bench, int(m["number"]), prefix, registry, year)


def parse_case_number(text: str, *, current_year: int) -> CaseNumber:
    """Read a case number typed into a form ("Crl. Acquittal Appeal No. D-15 of 2013").

    Raises CaseNumberError naming what is missing or wrong (type, number, year) rather than
    guessing. Years after ``current_year`` (the caller's clock) are rejected as future.
    """
    raw = text.strip()
    if not raw:
        raise CaseNumberError(f"The case number is empty; write it like {_EXAMPLE}.")
    m = _STRICT.search(raw)
    if m is None:
        _diagnose(raw)
    type_text = raw[: m.start()].strip(" ,:-")
    if not type_text:
        raise CaseNumberError(
            f"The case type is missing in {raw!r}; write it before the number, e.g. {_EXAMPLE}."
        )
    ct = lookup_case_type(type_text)
    if ct is None:
        if re.sub(r"[^a-z]", "", type_text.lower()) == "cp":
            raise CaseNumberError(
                f"{type_text!r} is ambiguous (Constitutional Petition or Civil Petition); "
                "write 'Const. P.' or the full name."
            )
        known = ", ".join(t.name for t in CASE_TYPES)
        raise CaseNumberError(f"Unknown case type {type_text!r}; known types: {known}.")
    year = _check_year(m["year"], raw, current_year)
    if int(m["number"]) < 1:
        raise CaseNumberError(f"The case number in {raw!r} must be 1 or more.")
    return _build(raw, ct, m, year)


def _diagnose(raw: str) -> NoReturn:
    """Say what is missing from a case number the strict pattern rejected."""
    bad = re.search(
        rf"{_NO}\s*:?\s*(?P<bad>[A-Za-z0-9][^\s/]*)\s*(?:\bof\b|/)\s*\d+\s*\.?\s*$", raw, re.I
    )
    if bad is not None and not re.fullmatch(r"(?:[A-Za-z]-)?\d+(?:-[A-Za-z])?", bad["bad"]):
        raise CaseNumberError(
            f"{bad['bad']!r} in {raw!r} is not a case number: it must be digits, optionally "
            "with a bench or series letter before it (S-24, A-20) or a registry letter after "
            "it (32-L)."
        )
    if not re.search(r"\d", raw):
        raise CaseNumberError(f"The number and year are missing in {raw!r}; write e.g. {_EXAMPLE}.")
    if re.search(rf"(?:{_NO}\s*:?\s*)?(?:\bof\b|/)\s*\d+\s*\.?\s*$", raw, re.IGNORECASE):
        raise CaseNumberError(f"The case number is missing in {raw!r}; write e.g. {_EXAMPLE}.")
    if re.search(
        r"(?:[A-Za-z]\s*-\s*)?\d+(?:\s*-\s*[A-Za-z])?\s*(?:\bof\b|/)?\s*\.?\s*$",
        raw,
        re.IGNORECASE,
    ):
        raise CaseNumberError(
            f"The year is missing in {raw!r}; add it after the number, e.g. {_EXAMPLE}."
        )
    raise CaseNumberError(f"Cannot read {raw!r} as a case number; write it like {_EXAMPLE}.")


# Lenient scanner: find "No. 12 of 2020"-shaped parts, then look back for a whitelisted type.
_FIND = re.compile(
    rf"(?:{_NO}\s*:?\s*|(?<![\w/.-]))"
    r"(?:(?P<letter>[A-Za-z])\s*-\s*)?(?P<number>\d{1,6})"
    r"(?:\s*-\s*(?P<registry>[A-Za-z])(?![A-Za-z]))?"
    r"\s*(?:\bof\b|/)\s*(?P<year>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
_TYPE_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z(]")
_TYPE_LOOKBACK = 90


def find_case_numbers(text: str, *, current_year: int) -> list[tuple[CaseNumber, int, int]]:
    """Case numbers in running text with their spans, in text order.

    Only numbers preceded by a whitelisted case type are returned, so FIR and crime numbers,
    citations and bare years are skipped; implausible years are skipped too.
    """
    this_year = current_year
    out: list[tuple[CaseNumber, int, int]] = []
    floor = 0
    for m in _FIND.finditer(text):
        year = int(m["year"])
        if not EARLIEST_YEAR <= year <= this_year or int(m["number"]) < 1:
            continue
        head = m.start()
        lo = max(floor, head - _TYPE_LOOKBACK)
        for start in _TYPE_START.finditer(text, lo, head):
            # "Cr. Bail Application S-24/2025": a bench letter belongs to the number.
            ct = lookup_case_type(text[start.start() : head])
            if ct is not None:
                begin = start.start()
                raw = re.sub(r"\s+", " ", text[begin : m.end()])
                out.append((_build(raw, ct, m, year), begin, m.end()))
                floor = m.end()
                break
    return out
