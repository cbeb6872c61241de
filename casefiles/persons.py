"""The person index: the accused across cases, found by CNIC or by name as spelt anywhere.

"Mohd. Husain s/o Ghulam Nabi" in one FIR and "Muhammad Hussain" in another are
one person to a prosecutor. Names are folded by ``legaltext.person_names`` (spelling
variants, honorifics, doubled letters) into keys stored on each party; every
case also carries the folded words of its accused and their CNICs as indexed
keys (``Case.accused_keys``), so a search is an index lookup, not a scan of the
province.

People are grouped the way ``casefiles.parties.repeat_accused`` decides "same
person": the same CNIC; or, without CNICs on both sides, a shared name (or
alias) and no conflicting parentage. Only cases the searcher may see are used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casefiles.models import Case, Party
from casefiles.policy import visible_cases_filter
from legaltext.person_names import name_key, normalise_cnic
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

#: Cases read for one search at most; a broader query is asked to be narrowed.
MAX_CASES = 1000


class PersonSearchError(ValueError):
    """The query cannot be searched; the message says why."""


@dataclass
class Person:
    name: str
    parentage: str | None
    cnic: str | None
    aliases: set[str] = field(default_factory=set)
    spellings: set[str] = field(default_factory=set)
    #: (case, the party record in it), newest case first.
    appearances: list[tuple[Case, Party]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    parent_key: str | None = None

    @property
    def repeat(self) -> bool:
        """Accused in more than one case (the repeat-accused indicator)."""
        return len({c.id for c, _p in self.appearances}) > 1


@dataclass(frozen=True)
class PersonResults:
    people: list[Person]
    total: int
    #: True when more cases matched than were read: ask for a narrower query.
    truncated: bool


def _query_filter(query: str) -> tuple[dict, list[str], str | None]:
    cnic = normalise_cnic(query) if sum(ch.isdigit() for ch in query) >= 13 else None
    if cnic:
        return {"accused_keys": f"c:{cnic}"}, [], cnic
    words = name_key(query).split()
    if not words:
        raise PersonSearchError(_("Type a name (two letters at least) or a 13-digit CNIC."))
    if all(len(w) < 2 for w in words):
        raise PersonSearchError(_("Type a name (two letters at least) or a 13-digit CNIC."))
    clauses = [{"accused_keys": f"t:{w}"} for w in dict.fromkeys(words)]
    return (clauses[0] if len(clauses) == 1 else {"$and": clauses}), words, None


def _matches(party: Party, words: list[str], cnic: str | None) -> bool:
    if party.role != "accused":
        return False
    if cnic:
        return party.cnic == cnic
    return any(set(words) <= set(key.split()) for key in party.name_keys)


def _fits(person: Person, party: Party) -> bool:
    if person.cnic and party.cnic:
        return person.cnic == party.cnic
    if not person.keys & set(party.name_keys):
        return False
    return not (person.parent_key and party.parent_key) or person.parent_key == party.parent_key


def _parentage(party: Party) -> str | None:
    return f"{party.relation} {party.parent_name}" if party.parent_name else None


def search_accused(
    kernel: Kernel, actor: Actor, query: str, *, page: int = 1, per_page: int = 20
) -> PersonResults:
    """People accused in cases ``actor`` may see whose name or CNIC matches ``query``."""
    query = " ".join(query.split())
    if len(query) > 120:
        raise PersonSearchError(_("The search is too long."))
    visible = visible_cases_filter(actor)
    if visible is None:
        return PersonResults([], 0, False)
    flt, words, cnic = _query_filter(query)
    if visible:
        flt = {"$and": [visible, flt]}
    cases = kernel.store.find(Case, flt, sort=[("created_at", -1)], limit=MAX_CASES + 1)
    truncated = len(cases) > MAX_CASES
    people: list[Person] = []
    # Parties with a CNIC first, so records without one join the person they match.
    found = [(c, p) for c in cases[:MAX_CASES] for p in c.parties if _matches(p, words, cnic)]
    found.sort(key=lambda cp: cp[1].cnic is None)
    for case, party in found:
        person = next((x for x in people if _fits(x, party)), None)
        if person is None:
            person = Person(party.name, _parentage(party), party.cnic, parent_key=party.parent_key)
            people.append(person)
        person.appearances.append((case, party))
        person.keys |= set(party.name_keys)
        person.aliases |= set(party.aliases)
        person.spellings.add(party.name)
        person.cnic = person.cnic or party.cnic
        person.parent_key = person.parent_key or party.parent_key
        person.parentage = person.parentage or _parentage(party)
    people.sort(key=lambda p: (-len(p.appearances), p.name.casefold()))
    start = (max(page, 1) - 1) * per_page
    shown = people[start : start + per_page]
    for person in shown:
        if person.cnic and not cnic:  # the same CNIC under a name written quite differently
            _add_by_cnic(kernel, visible, person)
    for person in shown:
        person.appearances.sort(
            key=lambda cp: (cp[0].created_at is not None, cp[0].created_at), reverse=True
        )
        person.spellings.discard(person.name)
    return PersonResults(shown, len(people), truncated)


def _add_by_cnic(kernel: Kernel, visible: Mapping[str, Any], person: Person) -> None:
    flt: dict = {"accused_keys": f"c:{person.cnic}"}
    if visible:
        flt = {"$and": [visible, flt]}
    seen = {(c.id, p.id) for c, p in person.appearances}
    for case in kernel.store.find(Case, flt, limit=MAX_CASES):
        for party in case.parties:
            if (
                party.role == "accused"
                and party.cnic == person.cnic
                and (case.id, party.id) not in seen
            ):
                person.appearances.append((case, party))
                person.aliases |= set(party.aliases)
                person.spellings.add(party.name)
