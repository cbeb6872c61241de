"""Statute references ("302/34 PPC", "7(1)(a) ATA") read from form fields and running text.

Offences drive bail (prohibitory clause), the court (ATC or Sessions), deadlines and KPIs, so a
reference is stored as (act, section, subsection path), never as the string a clerk typed. Two
readers share one grammar:

* ``parse_section_refs`` is strict, for a form field: it rejects anything it cannot read and
  says which part is wrong, because a wrong guess would silently change the charge.
* ``find_section_refs`` is lenient, for FIRs and judgments: it finds each act name first and
  then walks back through the section list before it (domain notes, section 3), so numbers that
  are not followed by an act (case numbers, years, citations) are never taken as sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from legaltext.act_names import ACTS, act_codes, act_lookahead, act_regex, match_act, resolve_act

__all__ = [
    "FoundRef",
    "SectionRef",
    "SectionRefError",
    "find_cross_references",
    "find_section_refs",
    "parse_section_refs",
]


@dataclass(frozen=True)
class SectionRef:
    """A provision of an act: ``section`` is the base ("302", "337-A"); ``subsections`` the
    bracketed path ("7(1)(a)" -> ("1", "a")). ``raw`` is what was written; it is not part of
    equality, so "302 (B)" and "302(b)" are the same reference."""

    act: str
    section: str
    subsections: tuple[str, ...] = ()
    raw: str = field(default="", compare=False)

    def canonical(self) -> str:
        """The one spelling stored and shown: "302(b) PPC", "7(1)(a) ATA"."""
        path = "".join(f"({s})" for s in self.subsections)
        return f"{self.section}{path} {self.act}"

    def __str__(self) -> str:
        return self.canonical()


@dataclass(frozen=True)
class FoundRef:
    """A reference found in running text; ``start``/``end`` span the section token itself
    ("302(b)"), so each section of a list can be highlighted on its own."""

    ref: SectionRef
    start: int
    end: int


class SectionRefError(ValueError):
    """A section field that cannot be read; the message is meant for the clerk who typed it."""


# ---------------------------------------------------------------------------------------------
# Grammar shared by both readers

_ACT = act_lookahead(ACTS)
_SUB_BODY = r"\d{1,2}\s*-\s*[A-Za-z]|\d{1,3}[A-Za-z]{0,2}|[A-Za-z]{1,5}"
_SUB = re.compile(rf"\s*\(\s*({_SUB_BODY})\s*\)")
# A section: number, optional letter suffix ("337-A", "489 F", "11EE"), optional subsection
# path. A suffix is one letter, or one letter repeated (ATA "11-EE"), so words such as
# "302-Qatl" are not read as suffixes, and never the start of an act name ("13 A.O.").
_SECTION = re.compile(
    r"(?P<num>\d{1,3})(?!\d)"
    r"(?:"
    rf"\s*-\s*(?!{_ACT})(?P<s1>(?P<l1>[A-Za-z])(?P=l1){{0,3}})(?![A-Za-z/])"
    rf"|(?!{_ACT})(?P<s2>(?P<l2>[A-Za-z])(?P=l2){{0,3}})(?![A-Za-z/])"
    rf"|\s(?!{_ACT})(?P<s3>[A-Za-z])(?![A-Za-z/.])"
    r")?"
    rf"(?P<subs>(?:\s*\(\s*(?:{_SUB_BODY})\s*\))*)",
    re.IGNORECASE,
)
_PREFIX = (
    r"(?:u\s*/\s*ss?\b\.?|under\s+(?:sections?\b|secs?\b\.?|ss?\.)|sections?\b|secs?\b\.?"
    r"|ss?\.|arts?\b\.?|articles?\b)\s*"
)
_PREFIX_RE = re.compile(r"\s*" + _PREFIX, re.IGNORECASE)
# Joins inside one list of sections: "302/34", "324, 114, 34", "6 & 7", "302 r/w 34".
# A word join may repeat the prefix ("9(2)(ii), 9(6) and section 14"); a comma may not, so
# "aged 25, section 302 PPC" does not make 25 a section.
_JOIN = re.compile(
    r"\s*(?:,|/|\bor\b|-(?=\s*\d))\s*"
    rf"|\s*(?:&|\band\b|\br\s*/\s*w\b\.?|\bread\s+with\b)\s*(?:{_PREFIX})?",
    re.IGNORECASE,
)
# Between a list and its act: "302 PPC", "302, PPC", "302 of the PPC", "173, the Cr.P.C.",
# "302-PPC".
_CONNECT = re.compile(r"\s*[,.\-]?\s*(?:\bof\s*(?:the\b\s*)?|\bthe\b\s*)?", re.IGNORECASE)


def _connector_end(text: str, pos: int) -> int:
    """Where the act may start after a list ending at ``pos`` (every part of the connector is
    optional, so it always matches)."""
    m = _CONNECT.match(text, pos)
    assert m is not None
    return m.end()


# Between one act's group and the next in a form field: "302 PPC, 7 ATA", "... r/w 7 ATA".
_GROUP_SEP = re.compile(
    rf"\s*(?:[,;&/]|\band\b|\br\s*/\s*w\b\.?|\bread\s+with\b)\s*(?:{_PREFIX})?", re.IGNORECASE
)
_TRAILER = re.compile(r"[\s,;.]*")


@dataclass(frozen=True)
class _Token:
    section: str
    subsections: tuple[str, ...]
    start: int
    end: int


def _norm_sub(sub: str) -> str:
    """Clauses are lower-case letters ("(B)" -> "b"); numbered ones keep upper case ("4A")."""
    sub = re.sub(r"\s+", "", sub)
    return sub.lower() if sub.isalpha() else sub.upper()


def _read_section(text: str, pos: int) -> _Token | None:
    m = _SECTION.match(text, pos)
    if m is None:
        return None
    number = str(int(m["num"]))
    suffix = m["s1"] or m["s2"] or m["s3"]
    section = f"{number}-{suffix.upper()}" if suffix else number
    subs = tuple(_norm_sub(s) for s in _SUB.findall(m["subs"]))
    end = m.end()
    return _Token(section, subs, pos, end)


_SUB_PATH = re.compile(rf"(?:\s*\(\s*(?:{_SUB_BODY})\s*\))+")


def _read_next(text: str, pos: int, prev: _Token) -> _Token | None:
    """The next section of a list, where a bare bracket continues the previous section:
    "11-F(2), (5) and (6)" are 11-F(2), 11-F(5) and 11-F(6)."""
    token = _read_section(text, pos)
    if token is not None or not prev.subsections:
        return token
    m = _SUB_PATH.match(text, pos)
    if m is None:
        return None
    subs = tuple(_norm_sub(x) for x in _SUB.findall(m.group()))
    if len(subs) > len(prev.subsections):
        return None
    start = pos + len(m.group()) - len(m.group().lstrip())
    return _Token(prev.section, prev.subsections[: -len(subs)] + subs, start, m.end())


def _names(tokens: list[_Token]) -> str:
    return ", ".join(t.section + "".join(f"({s})" for s in t.subsections) for t in tokens)


# ---------------------------------------------------------------------------------------------
# Strict reader


def _check_brackets(text: str) -> None:
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                raise SectionRefError(
                    f"Unbalanced brackets in {text!r}: the ')' after {text[:i]!r} "
                    "has no matching '('."
                )
            opened.pop()
    if opened:
        i = opened[0]
        where = f"after {text[:i]!r}" if i else "at the start"
        raise SectionRefError(f"Unbalanced brackets in {text!r}: the '(' {where} is never closed.")


def _strict_list(text: str, pos: int) -> tuple[list[_Token], int]:
    """Sections up to (not including) the act; ``pos`` is left before any trailing joiner."""
    tokens: list[_Token] = []
    token = _read_section(text, pos)
    while True:
        if token is None:
            rest = text[pos:].strip()
            if not rest:
                raise SectionRefError(f"No section number in {text!r}; write it like '302/34 PPC'.")
            act = match_act(text, pos)
            if act is not None:
                named = text[pos : act[1]].strip()
                if _read_section(text, _connector_end(text, act[1])) is not None:
                    raise SectionRefError(
                        f"The act {named!r} comes before its sections in {text!r}; "
                        f"write the sections first, e.g. '302 {named}'."
                    )
                raise SectionRefError(
                    f"{named!r} names an act but no section; write the section number "
                    f"before it, e.g. '302 {named}'."
                )
            word = re.match(r"\S+", rest)
            shown = word.group() if word else rest
            if shown[0].isdigit():
                raise SectionRefError(
                    f"{shown!r} is not a section number: a section has one to three digits, "
                    "optionally a letter and bracketed subsections, e.g. '302', '337-A', "
                    "'7(1)(a)'."
                )
            raise SectionRefError(
                f"Cannot read {rest!r} as a section: a section starts with its number, "
                "e.g. '302', '337-A' or '7(1)(a)'."
            )
        if token.section.split("-")[0] == "0":
            raise SectionRefError(f"Section 0 does not exist (in {text!r}).")
        tokens.append(token)
        pos = token.end
        join = _JOIN.match(text, pos)
        nxt = None if join is None else _read_next(text, join.end(), token)
        if nxt is None or join is None:
            return tokens, pos
        pos, token = join.end(), nxt


def _resolve_default(default_act: str | None) -> str | None:
    if default_act is None:
        return None
    act = resolve_act(default_act)
    if act is None:
        raise SectionRefError(
            f"Unknown default act {default_act!r}; known acts: {', '.join(act_codes())}."
        )
    return act.code


def parse_section_refs(text: str, default_act: str | None = None) -> list[SectionRef]:
    """Read a form field such as "302/34 PPC", "u/s 324, 114, 34 PPC" or "302 PPC, 7 ATA".

    ``default_act`` applies only to a trailing list that names no act ("302/34" with PPC).
    Raises SectionRefError, naming the part that is wrong, rather than guessing. Repeated
    references are returned once, in the order written.
    """
    default = _resolve_default(default_act)
    s = text.strip()
    if not s:
        raise SectionRefError("No sections given; write them like '302/34 PPC'.")
    _check_brackets(s)
    pos = 0
    if match_act(s, 0) is None:
        prefix = _PREFIX_RE.match(s, 0)
        if prefix is not None:
            pos = prefix.end()
    refs: list[SectionRef] = []

    def add(tokens: list[_Token], code: str) -> None:
        for t in tokens:
            refs.append(SectionRef(code, t.section, t.subsections, s[t.start : t.end].strip()))

    while True:
        if pos >= len(s):
            raise SectionRefError(f"No section number after {s!r}; write e.g. '{s} 302 PPC'.")
        tokens, pos = _strict_list(s, pos)
        act_pos = _connector_end(s, pos)
        found = match_act(s, act_pos)
        if found is not None:
            code, pos = found
            add(tokens, code)
            if _TRAILER.fullmatch(s, pos):
                break
            sep = _GROUP_SEP.match(s, pos)
            if sep is None or sep.end() >= len(s):
                rest = s[pos:].strip()
                raise SectionRefError(
                    f"Cannot read {rest!r} after {s[:pos].strip()!r}; each act goes after its "
                    "own sections, separated by a comma, e.g. '302/34 PPC, 7 ATA'."
                )
            pos = sep.end()
            continue
        rest = s[pos:]
        if _TRAILER.fullmatch(rest):
            if default is None:
                names = _names(tokens)
                raise SectionRefError(
                    f"No act given for section {names}; add the act, e.g. '{names} PPC'."
                )
            add(tokens, default)
            break
        _raise_unknown_act(s, pos, tokens)
    return list(dict.fromkeys(refs))


def _raise_unknown_act(text: str, pos: int, tokens: list[_Token]) -> None:
    rest = text[pos:].strip()
    names = _names(tokens)
    later = act_regex().pattern.search(text, pos)
    if later is not None:
        junk = text[pos : later.start()].strip(" ,;")
        if _SUB_PATH.fullmatch(junk):
            raise SectionRefError(
                f"Cannot read {junk!r} after section {names}: a bracket on its own only "
                f"continues a subsection (as in '7(1)(a), (b)'); did you mean "
                f"'{tokens[-1].section}{junk}'?"
            )
        if junk.startswith("("):
            raise SectionRefError(
                f"Cannot read the bracket {junk!r} after section {names}: a subsection is a "
                "number, letters or both, e.g. (1), (b), (4A)."
            )
        raise SectionRefError(
            f"Cannot read {junk!r} between section {names} and {later.group().strip()!r}."
        )
    unknown = re.sub(r"^(?:of\s+)?(?:the\s+)?", "", re.split(r"[,;]", rest)[0].strip())
    raise SectionRefError(
        f"Unknown act {unknown!r} after section {names}; known acts: {', '.join(act_codes())}."
    )


# ---------------------------------------------------------------------------------------------
# Lenient scanner

# Where a section list may start: digits not glued to a word or to another number
# ("u/s302" is allowed; "12/2014" and "1.5" are not).
_CANDIDATE = re.compile(r"(?:(?<=u/s)|(?<![A-Za-z0-9]))(?<!\d[./-])\d", re.IGNORECASE)
# Numbers introduced like these are case numbers, amounts or page references, not sections.
_NOT_A_SECTION = re.compile(
    r"(?:\bNos?|\bRs|\bparas?|\bparagraphs?|\bpages?|\bpp?|\bchapter|\brules?|\bforms?"
    r"|\bschedule|\bitems?|\bentry|\bserial|\bsr|\bfir|\bcrime)\s*\.?\s*[:#]?\s*$",
    re.IGNORECASE,
)
# After an act, a headnote may list its sections: "Pakistan Penal Code (XLV of 1860), S. 302".
_FORWARD = re.compile(
    r"[\s,:\-—–]*(?:sections?\b|secs?\b\.?|ss?\.|arts?\b\.?|articles?\b)\s*",
    re.IGNORECASE,
)
_LOOKBACK = 400


def _lenient_list(text: str, pos: int, limit: int) -> tuple[list[_Token], int]:
    tokens: list[_Token] = []
    token = _read_section(text, pos)
    while True:
        if token is None or token.end > limit or token.section.split("-")[0] == "0":
            return tokens, pos
        tokens.append(token)
        pos = token.end
        join = _JOIN.match(text, pos, limit)
        if join is None:
            return tokens, pos
        token = _read_next(text, join.end(), token)
        if token is None or token.end > limit:
            return tokens, pos


def _walk_back(text: str, lo: int, act_start: int) -> list[_Token]:
    """The longest section list ending just before the act (leftmost start that reaches it)."""
    for cand in _CANDIDATE.finditer(text, lo, act_start):
        start = cand.start()
        if _NOT_A_SECTION.search(text, max(0, start - 16), start):
            continue
        tokens, end = _lenient_list(text, start, act_start)
        if tokens and _CONNECT.fullmatch(text, end, act_start):
            return tokens
    return []


def _walk_forward(text: str, act_end: int) -> tuple[list[_Token], int]:
    lead = _FORWARD.match(text, act_end)
    if lead is None:
        return [], act_end
    tokens, end = _lenient_list(text, lead.end(), len(text))
    if not tokens or match_act(text, _connector_end(text, end)) is not None:
        # Nothing there, or the list belongs to the act named after it.
        return [], act_end
    return tokens, end


def find_section_refs(text: str) -> list[FoundRef]:
    """Every statute reference in running text (FIR narrative, judgment), in text order.

    Each act mention is found first; the sections are the list just before it ("u/s 302, 324
    PPC", "Sections 302, 34 of the Pakistan Penal Code") or, failing that, a list introduced
    by "S."/"Ss." just after it (law-report headnotes). Numbers not attached to an act are
    ignored, so case numbers, years and citations never become sections.
    """
    acts_rx = act_regex()
    found: list[FoundRef] = []
    floor = 0
    for m in acts_rx.pattern.finditer(text):
        if m.start() < floor or acts_rx.is_name_like(m):
            continue
        code = acts_rx.code_of(m)
        tokens = _walk_back(text, max(floor, m.start() - _LOOKBACK), m.start())
        floor = m.end()
        if not tokens:
            tokens, floor = _walk_forward(text, m.end())
        for t in tokens:
            raw = text[t.start : t.end].strip()
            found.append(FoundRef(SectionRef(code, t.section, t.subsections, raw), t.start, t.end))
    found.sort(key=lambda f: f.start)
    return found


# A list followed by another statute's name that the registry does not know ("section 4 of the
# Arms Act", "section 10 of the General Clauses Act") belongs to that statute, not this one.
_OTHER_STATUTE = re.compile(
    r"\s*,?\s*(?:of\s+)?(?:the\s+)?(?:[A-Z][\w'-]*[\s,]+){0,6}?"
    r"(?:Act|Ordinance|Order|Code|Rules|Regulation|Constitution)\b"
)
_CROSS_PREFIX = re.compile(
    r"(?<![A-Za-z])(?:u\s*/\s*ss?\b\.?|sections?\b|secs?\b\.?|ss?\.)\s*", re.IGNORECASE
)


def find_cross_references(text: str, default_act: str) -> list[FoundRef]:
    """References inside a statute's own text: "section 302", "Sections 309, 310 and 338-E".

    A list introduced by "section(s)"/"s."/"ss." with no act after it refers to
    ``default_act`` (the act being read); one followed by a registered act name refers to that
    act; one followed by an unregistered statute's name ("of the Arms Act") is left out.
    """
    found: list[FoundRef] = []
    floor = 0
    for m in _CROSS_PREFIX.finditer(text):
        if m.start() < floor:
            continue  # "section 2" inside "section 496 and section 2", already read
        tokens, end = _lenient_list(text, m.end(), len(text))
        if not tokens:
            continue
        floor = end
        act_pos = _connector_end(text, end)
        named = match_act(text, act_pos)
        if named is not None:
            code = named[0]
        elif _OTHER_STATUTE.match(text, end):
            continue
        else:
            code = default_act
        for t in tokens:
            raw = text[t.start : t.end].strip()
            found.append(FoundRef(SectionRef(code, t.section, t.subsections, raw), t.start, t.end))
    return found
