"""Which case a cause-list row names, and how sure Mizan is of it.

* **sure**: the court's own number for the case ("Special Case No. 69 of 2025" in this
  court), or the FIR number, year and police station, exactly;
* **likely**: the accused named in the row, found through the person index
  (``Case.accused_keys``, transliteration-tolerant: "Mohd. Husain" finds "Muhammad
  Hussain"), when exactly one case fits — or exactly one of them is before this court, or
  exactly one of those has a hearing there whose outcome is still open;
* **unmatched**: nothing fits, or several cases fit equally; the row waits for a clerk;
* **outside**: a sure match that is a case the clerk may not change (another district):
  reported, never applied.

A row the list itself garbles (no date, an unreadable number) is an **error** with the
field's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casefiles.cause_lists import ListedRow
from casefiles.hearings import Hearing, court_key
from casefiles.models import Case
from casefiles.policy import can_edit_case
from legaltext.person_names import name_key, split_aliases
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

LEVELS = ("sure", "likely", "unmatched", "outside", "error")
#: Cases read per accused name at most; a name this common cannot pick one case anyway.
MAX_NAME_CASES = 50
_STATE = re.compile(r"\b(?:the\s+)?state\b", re.IGNORECASE)
_VERSUS = re.compile(r"\s+(?:v/?s?\.?|versus|vs\.?)\s+", re.IGNORECASE)
_OTHERS = re.compile(r"(?:\band|&)\s+(?:others?|another|\d+\s+others?)\b.*$", re.IGNORECASE)
#: Words standing for people the list does not name.
_NOBODY = {"others", "other", "another", "unknown", "unknown persons"}


@dataclass
class Match:
    level: str
    case: Case | None = None
    reason: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def station_key(station: str) -> str:
    """Police stations are written "PS Clifton", "P.S. Clifton", "Clifton": one key."""
    text = re.sub(r"^\s*(?:p\.?\s*s\.?|police\s+station)\s*[:.\-]?\s*", "", station, flags=re.I)
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def accused_names(parties: str) -> list[str]:
    """The people a row's parties name, without "The State" and "& others"."""
    names = []
    for side in _VERSUS.split(parties):
        side = _OTHERS.sub("", side)
        for name in re.split(r"\s*(?:,|;|\band\b|&)\s*", side):
            name = split_aliases(_STATE.sub("", name).strip(" .,;:'\"‘’“”"))[0]
            if name.casefold() in _NOBODY:
                continue
            if len(name_key(name).split()) >= 2 or (name_key(name) and len(name) > 3):
                names.append(name)
    return names


def _decided(actor: Actor, case: Case, reason: str) -> Match:
    if can_edit_case(actor, case):
        return Match("sure", case, reason)
    return Match(
        "outside",
        None,
        _("This row names a case outside your district (%(district)s); it is not applied.")
        % {"district": case.district},
    )


def _by_fir(kernel: Kernel, row: ListedRow) -> list[Case]:
    assert row.fir is not None
    district, station, number, year = row.fir
    flt: dict = {"fir.number": number, "fir.year": year}
    if district:
        flt["district"] = district
    wanted = station_key(station)
    return [c for c in kernel.store.find(Case, flt) if station_key(c.fir.police_station) == wanted]


def name_words(name: str) -> list[str]:
    """The folded words of a name a row gives, without one- and two-letter bits when there
    are longer words: OCR reads specks and rules as "ee", "j" beside a name."""
    longer = " ".join(t for t in name.split() if len(re.sub(r"\W", "", t)) > 2 or "/" in t)
    return list(dict.fromkeys((name_key(longer) or name_key(name)).split()))


def _by_names(kernel: Kernel, actor: Actor, row: ListedRow) -> tuple[list[Case], str]:
    found: dict[str, Case] = {}
    shown = ""
    for name in accused_names(row.parties):
        words = name_words(name)
        if not words:
            continue
        clauses = [{"accused_keys": f"t:{w}"} for w in words]
        flt = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        for case in kernel.store.find(Case, flt, limit=MAX_NAME_CASES):
            if can_edit_case(actor, case):
                found[case.id] = case
                shown = shown or name
    return list(found.values()), shown


def _awaiting_date(kernel: Kernel, cases: list[Case], court: str) -> list[Case]:
    """Those of ``cases`` with a hearing in this court whose outcome is not recorded: a case
    the court lists again is one whose last date there is still open."""
    ids = [c.id for c in cases]
    open_ = kernel.store.find(
        Hearing, {"case_id": {"$in": ids}, "court_key": court_key(court), "outcome": None}
    )
    waiting = {h.case_id for h in open_}
    return [c for c in cases if c.id in waiting]


def names_fit(case: Case, parties: str) -> bool:
    """Does an accused the row names appear among the case's accused (in any spelling)?"""
    words = {k[2:] for k in case.accused_keys if k.startswith("t:")}
    return any(set(name_words(name)) <= words and name_key(name) for name in accused_names(parties))


def match_row(kernel: Kernel, actor: Actor, row: ListedRow, *, scanned: bool = False) -> Match:
    """The case ``row`` names and the level of the match (see the module's docstring).

    A number read by OCR may be off by a digit and then name another case exactly, so from
    a scan a sure match also needs the row's accused to be the case's; otherwise it is
    only likely, for the clerk to check.
    """
    found = _match(kernel, actor, row)
    if scanned and found.level == "sure" and found.case and not names_fit(found.case, row.parties):
        found.level = "likely"
        found.reason = _("%(reason)s, read from a scan; the names do not confirm it") % {
            "reason": found.reason
        }
    return found


def _match(kernel: Kernel, actor: Actor, row: ListedRow) -> Match:
    store = kernel.store
    if row.number:
        case = store.find_one(Case, {"court_case_keys": f"{court_key(row.court)}|{row.number}"})
        if case is not None:
            return _decided(actor, case, _("the court's case number"))
    if row.fir:
        cases = _by_fir(kernel, row)
        if len(cases) == 1:
            return _decided(actor, cases[0], _("FIR number and police station"))
    if row.parties:
        cases, name = _by_names(kernel, actor, row)
        if len(cases) > 1:
            prefix = f"{court_key(row.court)}|"
            here = [c for c in cases if any(k.startswith(prefix) for k in c.court_case_keys)]
            if len(here) > 1:
                here = _awaiting_date(kernel, here, row.court)
            if len(here) == 1:
                cases = here
        if len(cases) == 1:
            return Match("likely", cases[0], _("the accused %(name)s") % {"name": name})
        if cases:
            return Match(
                "unmatched",
                None,
                _("%(count)d cases have an accused named %(name)s; choose the case by hand.")
                % {"count": len(cases), "name": name},
            )
    return Match("unmatched", None, _("No case in Mizan fits this row."))
