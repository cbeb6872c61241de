"""Registry of the statutes that offences and procedure are cited under.

FIRs, challans and judgments name the same act in many ways ("PPC", "P.P.C.", "Pakistan
Penal Code (XLV of 1860)"), so references are stored against a short canonical code and every
spelling is kept here as data. Adding an act means adding one ``Act`` to ``ACTS``; the
patterns used by the section parsers are built from this tuple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Act:
    """One statute. ``aliases`` are written without dots ("PPC" also matches "P.P.C.",
    "CrPC" also matches "Cr. P.C."); ``designations`` are the act numbers ("XLV of 1860")
    that judgments use to name an act in place of its title."""

    code: str
    title: str
    year: int
    aliases: tuple[str, ...] = ()
    designations: tuple[str, ...] = ()
    #: what the numbered provisions are called (the Qanun-e-Shahadat has articles)
    unit: str = "section"


# Act numbers other than XLV of 1860 and V of 1898 are as law-report headnotes cite them
# ("Anti-Terrorism Act (XXVII of 1997)"); ⚠ confirm against the statute texts.
ACTS: tuple[Act, ...] = (
    Act(
        "PPC",
        "Pakistan Penal Code",
        1860,
        ("PPC", "Pakistan Penal Code", "Penal Code"),
        ("XLV of 1860",),
    ),
    Act(
        "CrPC",
        "Code of Criminal Procedure",
        1898,
        ("CrPC", "Code of Criminal Procedure", "Criminal Procedure Code"),
        ("V of 1898",),
    ),
    Act(
        "ATA",
        "Anti-Terrorism Act",
        1997,
        ("ATA", "Anti-Terrorism Act"),
        ("XXVII of 1997",),
    ),
    Act(
        "CNSA",
        "Control of Narcotic Substances Act",
        1997,
        ("CNSA", "CNS Act", "Control of Narcotic Substances Act"),
        ("XXV of 1997",),
    ),
    Act("SAA", "Sindh Arms Act", 2013, ("SAA", "Sindh Arms Act")),
    # "A.O." is how FIRs abbreviate it ("13-D A.O."). The Sindh Arms Act 2013 replaces it in
    # Sindh ⚠, so older FIRs cite AO and newer ones SAA; the two are kept apart on purpose.
    Act(
        "AO",
        "Pakistan Arms Ordinance",
        1965,
        ("AO", "Arms Ordinance", "Pakistan Arms Ordinance", "West Pakistan Arms Ordinance"),
        ("XX of 1965",),
    ),
    Act(
        "ESA",
        "Explosive Substances Act",
        1908,
        ("ESA", "Explosive Substances Act", "Explosive Substance Act"),
        ("VI of 1908",),
    ),
    Act(
        "QSO",
        "Qanun-e-Shahadat Order",
        1984,
        (
            "QSO",
            "Qanun-e-Shahadat Order",
            "Qanun-e-Shahadat",
            "Qanun-i-Shahadat Order",
            "Qanun-i-Shahadat",
            "Qanoon-e-Shahadat Order",
        ),
        ("PO No 10 of 1984",),
        unit="article",
    ),
    Act(
        "ARA",
        "Anti-Rape (Investigation and Trial) Act",
        2021,
        ("ARA", "Anti-Rape (Investigation and Trial) Act", "Anti-Rape Act"),
        ("XXX of 2021",),
    ),
    Act(
        "SWPA",
        "Sindh Witness Protection Act",
        2013,
        ("SWPA", "Sindh Witness Protection Act"),
    ),
    # The two statutes judgments cite most outside criminal law (the online library reads
    # judgments of every kind): constitutional petitions under Art. 199, appeals under
    # s. 96 CPC. The code "Constitution" is spelt out: "Const." abbreviates "Constitutional
    # petition" in case numbers ("Const. P. No. D-1046/2019").
    Act(
        "CPC",
        "Code of Civil Procedure",
        1908,
        ("CPC", "Code of Civil Procedure", "Civil Procedure Code"),
        ("V of 1908",),
    ),
    Act(
        "Constitution",
        "Constitution of the Islamic Republic of Pakistan",
        1973,
        (
            "Constitution",
            "Constitution of Pakistan",
            "Constitution of the Islamic Republic of Pakistan",
        ),
        unit="article",
    ),
    # Indian judgments and FIRs (the FIR benchmark, precedents) cite the same sections under
    # the Indian Penal Code; kept apart from the PPC so a Sindh charge is never read as one.
    Act("IPC", "Indian Penal Code", 1860, ("IPC", "Indian Penal Code")),
)

# Between the letters of one abbreviation ("P.P.C.", "Cr. P.C.") and between words.
_ABBR_JOIN = r"(?:\.\s*)?"
_WORD_JOIN = r"\.?[\s\-–]*"
_ATOM = re.compile(r"[A-Z][a-z]*|[a-z]+|\d+")


def _flex(alias: str) -> str:
    """Regex for an alias that tolerates dots, spacing and hyphenation as clerks type them."""
    words = []
    for chunk in re.split(r"[\s\-–]+", alias.strip()):
        parts = []
        for piece in re.split(r"([()])", chunk):
            if piece in ("(", ")"):
                parts.append(r"\s*" + re.escape(piece) + r"\s*")
            elif piece.lower() in ("no", "no."):
                parts.append(r"(?:No\.?)?")
            elif piece:
                parts.append(_ABBR_JOIN.join(re.escape(a) for a in _ATOM.findall(piece)))
        words.append("".join(parts))
    return _WORD_JOIN.join(words) + r"\.?"


def _designation(text: str) -> str:
    """Regex for an act number as judgments write it: "(XLV of 1860)", "Act XLV of 1860",
    "(Act No. V of 1898)", "P.O. No. 10 of 1984"."""
    head = r"(?:(?:Act|Ordinance|Order)\s+)?(?:No\.?\s*)?"
    body = _flex(text)[: -len(r"\.?")]
    return rf"(?:\(\s*{head}{body}\s*\)|{head}{body}(?!\d))"


# After a title, any act number in brackets is accepted ("Qanun-e-Shahadat (10 of 1984)",
# "Control of Narcotic Substances Act, 1997 (XXVII of 1997)" as one judgment misprints it):
# the title already identifies the act, and amending acts differ in the title, not here.
_ANY_DESIGNATION = (
    r"\(\s*(?:(?:Act|Ordinance|Order|P\.?\s*O\.?)\s*)?(?:No\.?\s*)?"
    r"(?:[IVXLC]+|\d{1,3})\s+of\s+\d{4}\s*\)"
)


def _one_act(act: Act, alias: str) -> str:
    year = rf"(?:\s*,?\s*(?:of\s+)?{act.year}(?!\d))?"
    own = [_designation(d) for d in act.designations]
    desig = "|".join([*own, _ANY_DESIGNATION])
    return rf"{_flex(alias)}{year}(?:\s*,?\s*(?:{desig}))?"


def _alternatives(acts: tuple[Act, ...]) -> list[tuple[str, str, str]]:
    """(code, alias, regex), longest alias first so "CNS Act" wins over a shorter spelling."""
    out = [(act.code, alias, _one_act(act, alias)) for act in acts for alias in act.aliases]
    out.sort(key=lambda p: -len(p[1]))
    out += [(act.code, d, _designation(d)) for act in acts for d in act.designations]
    return out


# Not inside a word, nor inside another abbreviation ("A.O." in "F.A.O.").
_START = r"(?<![A-Za-z])(?<![A-Za-z]\.)"


@dataclass(frozen=True)
class ActPattern:
    """A compiled pattern for act mentions; ``codes`` maps each alias group to its act."""

    pattern: re.Pattern[str]
    codes: dict[str, str]
    #: groups of all-capital aliases ("ATA", "ESA") that are also personal names ("Ata
    #: Muhammad", "Esa Khan") when written in title case
    initialisms: frozenset[str]

    def code_of(self, m: re.Match[str]) -> str:
        assert m.lastgroup is not None
        return self.codes[m.lastgroup]

    def is_name_like(self, m: re.Match[str]) -> bool:
        """A title-case "Ata" in running text is a name, not the Anti-Terrorism Act."""
        letters = re.sub(r"[^A-Za-z]", "", m.group())
        return m.lastgroup in self.initialisms and not (letters.isupper() or letters.islower())


def _first_chars(acts: tuple[Act, ...]) -> str:
    """A lookahead on the characters a mention can start with. Without it the engine tries
    every alternative at every word of a judgment; with it, only at plausible words (about
    three times faster on the BHC judgments)."""
    chars = {alias[0].lower() for act in acts for alias in act.aliases}
    chars |= {d[0].lower() for act in acts for d in act.designations}
    chars |= set("aon(")  # a designation's own head: "Act ...", "Ordinance ...", "No. ...", "("
    return "(?=[" + re.escape("".join(sorted(chars))) + "])"


@cache
def act_regex(acts: tuple[Act, ...] = ACTS) -> ActPattern:
    """One pattern matching any act mention; ``lastgroup`` of a match names the alias."""
    codes: dict[str, str] = {}
    initialisms: set[str] = set()
    alts = []
    for i, (code, alias, rx) in enumerate(_alternatives(acts)):
        name = f"a{i}"
        codes[name] = code
        if alias.isupper() and alias.isalpha():
            initialisms.add(name)
        alts.append(f"(?P<{name}>{rx})")
    body = "|".join(alts)
    pattern = re.compile(rf"{_first_chars(acts)}{_START}(?:{body})(?![A-Za-z])", re.IGNORECASE)
    return ActPattern(pattern, codes, frozenset(initialisms))


@cache
def act_lookahead(acts: tuple[Act, ...] = ACTS) -> str:
    """The act alternation without groups, to embed in other patterns as a lookahead."""
    body = "|".join(rx for _, _, rx in _alternatives(acts))
    return rf"{_START}(?:{body})(?![A-Za-z])"


def match_act(text: str, pos: int = 0, acts: tuple[Act, ...] = ACTS) -> tuple[str, int] | None:
    """The act named at ``pos`` (code and end offset), or None."""
    acts_rx = act_regex(acts)
    m = acts_rx.pattern.match(text, pos)
    if m is None:
        return None
    return acts_rx.code_of(m), m.end()


def resolve_act(name: str, acts: tuple[Act, ...] = ACTS) -> Act | None:
    """The act a whole string names ("P.P.C.", "Anti-Terrorism Act, 1997"), or None."""
    text = name.strip()
    found = match_act(text, 0, acts)
    if found is None or found[1] != len(text):
        return None
    return get_act(found[0], acts)


def get_act(code: str, acts: tuple[Act, ...] = ACTS) -> Act:
    """The act with this canonical code; KeyError if it is not registered."""
    for act in acts:
        if act.code == code:
            return act
    raise KeyError(code)


def act_codes(acts: tuple[Act, ...] = ACTS) -> tuple[str, ...]:
    return tuple(act.code for act in acts)
