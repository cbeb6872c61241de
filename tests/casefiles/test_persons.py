"""The person index: accused found across cases by CNIC or by any spelling of the name,
grouped into people, limited to the cases the searcher may see."""

from __future__ import annotations

import pytest

from casefiles.models import Case
from casefiles.parties import PartyInput, add_party, remove_party, repeat_accused
from casefiles.persons import PersonSearchError, search_accused
from casefiles.service import NewCase, create_case
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM, Actor
from mizan.kernel import Kernel


def who(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def accused(kernel: Kernel, number: int, name: str, parentage: str = "", cnic: str = "") -> Case:
    case = create_case(
        kernel, SYSTEM, NewCase("KHI-S", "Clifton", number, 2025, f"State v. {name}")
    )
    return add_party(
        kernel,
        SYSTEM,
        case.id,
        version=case.version,
        data=PartyInput(role="accused", name=name, parentage=parentage, cnic=cnic),
    )


def test_spellings_and_cnic_make_one_person(demo) -> None:
    a = accused(demo, 1, "Muhammad Hussain @ Kala", "s/o Ghulam Nabi", "42101-1234567-1")
    b = accused(demo, 2, "Mohd. Husain", "s/o Ghulam Nabi")
    c = accused(demo, 3, "Muhammad Hussain", "s/o Abdul Karim")  # another father: another man
    d = accused(demo, 4, "M. Hussain Shah", cnic="42101-1234567-1")  # same CNIC
    dpp = who(demo, "dpp.south")
    found = search_accused(demo, dpp, "mohammad husain")
    by_cases = sorted(sorted(x.id for x, _p in p.appearances) for p in found.people)
    # D is found through the CNIC of A, though "M. Hussain Shah" is not "Muhammad Hussain".
    assert sorted([sorted([a.id, b.id, d.id]), [c.id]]) == by_cases
    first = found.people[0]
    assert first.repeat and first.cnic == "42101-1234567-1" and "Kala" in first.aliases
    assert "M. Hussain Shah" in first.spellings
    by_cnic = search_accused(demo, dpp, "4210112345671")
    assert {x.id for x, _p in by_cnic.people[0].appearances} == {a.id, d.id}
    assert search_accused(demo, dpp, "Kala").total == 1  # aliases are names too


def test_only_visible_cases_and_index_follows_edits(demo) -> None:
    case = accused(demo, 5, "Zulfikar Ali Brohi")
    assert search_accused(demo, who(demo, "pp.hyd"), "Zulfiqar Brohi").total == 0
    assert search_accused(demo, who(demo, "dpp.south"), "Zulfiqar Brohi").total == 1
    party = next(p for p in case.parties if p.role == "accused")
    remove_party(demo, SYSTEM, case.id, version=case.version, party_id=party.id)
    assert search_accused(demo, who(demo, "dpp.south"), "Zulfiqar Brohi").total == 0
    assert demo.store.get(Case, case.id).accused_keys == []


def test_repeat_accused_uses_the_index(demo) -> None:
    first = accused(demo, 6, "Muhammad Shahid @ Shoda", "s/o Karim Bux")
    second = accused(demo, 7, "Muhammad Shahid", "s/o Kareem Bakhsh Soomro")
    third = accused(demo, 8, "Mohd. Shahid", "s/o Karim Bux")
    found = repeat_accused(demo, who(demo, "dpp.south"), first)
    ids = {c.id for cases in found.values() for c in cases}
    assert third.id in ids  # "Mohd." is "Muhammad"; same father
    assert second.id not in ids  # a different father's name


@pytest.mark.parametrize("query", ["", "   ", "@", "x" * 130])
def test_refuses_empty_or_silly_queries(demo, query) -> None:
    with pytest.raises(PersonSearchError):
        search_accused(demo, who(demo, "dpp.south"), query)
