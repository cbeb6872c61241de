"""The one adapter between the citation parser (``legaltext.law_reports``) and the library.

The parser finds citations and gives each a canonical form; the library needs
to know whether a citation names a reported judgment (resolved against
``Judgment.citations``) or a section of an act (resolved to ``Section.id``,
``<act code>:<number>`` with the act code lower-cased: ``ppc:302``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from legaltext.law_reports import STATUTE, canonical_citation, find_citations


@dataclass(frozen=True)
class Ref:
    kind: str  # "judgment" | "statute"
    canonical: str
    raw: str
    start: int
    end: int
    #: For statutes: the id of the section it names (``ppc:302``; sub-clauses dropped).
    section_key: str = ""


def act_code(code: str) -> str:
    """The library's code of an act from the parsers' code ("PPC" -> "ppc", "CrPC" -> "crpc")."""
    return code.strip().lower()


def section_id(code: str, number: str) -> str:
    """The stored id of a section: ``ppc:302``, ``ppc:337-A``."""
    return f"{act_code(code)}:{number}"


def refs_in(text: str) -> list[Ref]:
    """Every citation in ``text``, in order, with statute citations mapped to section ids."""
    found = []
    for c in find_citations(text):
        if c.kind == STATUTE:
            key = section_id(c.act, c.section) if c.act and c.section else ""
            found.append(Ref("statute", c.canonical, c.raw, c.start, c.end, key))
        else:
            found.append(Ref("judgment", c.canonical, c.raw, c.start, c.end))
    return found


#: Volumes the reporters renamed: a citation to either name finds the same judgment.
COURT_ALIASES = {"Quetta": "Bal", "Bal": "Quetta", "Kar": "Sindh", "Sindh": "Kar"}
_REPORTER_FIRST = re.compile(r"^(?P<series>PLD|PLJ) (?P<year>\d{4}) (?P<court>\w+) (?P<rest>.+)$")


def citation_keys(canonical: str) -> list[str]:
    """What a judgment with this canonical citation can be cited by (renamed volumes too)."""
    keys = [canonical]
    match = _REPORTER_FIRST.match(canonical)
    if match and match["court"] in COURT_ALIASES:
        alias = COURT_ALIASES[match["court"]]
        keys.append(f"{match['series']} {match['year']} {alias} {match['rest']}")
    return keys


def canonical_report(raw: str) -> str:
    """The canonical form of a report citation such as ``2019 M L D 836`` or ``MLD 2019 836``;
    "" if it is not one."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    canonical = canonical_citation(raw) or ""
    # canonical_citation also accepts "302 PPC"; a judgment is cited by a law report.
    return canonical if canonical and find_citations(raw, statutes=False) else ""


def own_citation(citation: str, text: str) -> str:
    """What other judgments cite this one by: the given citation, else the report's own
    citation line at the top of the text (sources get this field wrong); "" if neither."""
    own = canonical_report(citation)
    if not own:
        first = next(
            (r for r in refs_in(text[:200]) if r.kind == "judgment" and r.start < 80), None
        )
        own = first.canonical if first else ""
    return own
