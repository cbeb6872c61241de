"""Offences and parties of a case, protected witnesses, and the repeat-accused index."""

from __future__ import annotations

import pytest

from casefiles.models import Case
from casefiles.parties import (
    PartyInput,
    add_party,
    break_glass,
    remove_party,
    repeat_accused,
    sees_protected_identities,
    set_offences,
)
from casefiles.service import CaseError, NewCase, assign, create_case
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _case(kernel, station: str = "Artillery Maidan") -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})


def test_offences_are_parsed_strictly(demo) -> None:
    case = _case(demo)
    rahim = _actor(demo, "pp.rahim")
    case = set_offences(demo, rahim, case.id, version=case.version, text="u/s 302(b)/34 PPC")
    assert [o.canonical for o in case.offences] == ["302(b) PPC", "34 PPC"]
    with pytest.raises(CaseError, match="never closed"):
        set_offences(demo, rahim, case.id, version=case.version, text="302 (b PPC")
    assert [o.canonical for o in demo.store.get(Case, case.id).offences] == ["302(b) PPC", "34 PPC"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PartyInput(role="suspect", name="X"), "accused, the complainant or a witness"),
        (PartyInput(role="accused", name="  "), "name"),
        (PartyInput(role="accused", name="Aslam", parentage="Muhammad Akram"), "s/o"),
        (PartyInput(role="accused", name="Aslam", cnic="123"), "13 digits"),
        (PartyInput(role="witness", name="W", custody="arrested"), "accused only"),
        (PartyInput(role="accused", name="A", protected=True, pseudonym="PW"), "Only a witness"),
        (PartyInput(role="witness", name="W", protected=True), "pseudonym"),
    ],
)
def test_bad_party_input_is_refused(demo, data, message) -> None:
    case = _case(demo)
    with pytest.raises(CaseError, match=message):
        add_party(demo, _actor(demo, "clerk.south"), case.id, version=case.version, data=data)


def test_party_is_added_with_alias_parentage_and_keys(demo) -> None:
    case = _case(demo)
    case = add_party(
        demo,
        _actor(demo, "clerk.south"),
        case.id,
        version=case.version,
        data=PartyInput(
            role="accused",
            name="Shahid @ Shoda",
            parentage="s/o Mohd. Hussain by caste Jatoi",
            cnic="4210112345671",
            custody="absconding",
        ),
    )
    party = case.parties[0]
    assert (party.name, party.aliases, party.relation, party.parent_name) == (
        "Shahid",
        ["Shoda"],
        "s/o",
        "Mohd. Hussain",
    )
    assert party.cnic == "42101-1234567-1" and party.custody == "absconding"
    assert party.parent_key == "muhammad hussain"
    case = remove_party(
        demo, _actor(demo, "clerk.south"), case.id, version=case.version, party_id=party.id
    )
    assert case.parties == []


def test_repeat_accused_matches_variants_and_respects_access(demo) -> None:
    first, second = _case(demo), _case(demo, "Boat Basin")
    clerk = _actor(demo, "clerk.south")
    add_party(
        demo,
        clerk,
        first.id,
        version=first.version,
        data=PartyInput(role="accused", name="Muhammad Hussain", parentage="s/o Ghulam Nabi"),
    )
    add_party(
        demo,
        clerk,
        second.id,
        version=second.version,
        data=PartyInput(role="accused", name="Mohd Husain", parentage="s/o Gulam Nabi"),
    )
    # A namesake with another father is a different person.
    third = create_case(
        demo,
        SYSTEM,
        NewCase(district="KHI-S", police_station="Garden", fir_number=5, fir_year=2025, title="t"),
    )
    add_party(
        demo,
        clerk,
        third.id,
        version=third.version,
        data=PartyInput(role="accused", name="Muhammad Hussain", parentage="s/o Abdul Qadir"),
    )
    first = demo.store.get(Case, first.id)
    found = repeat_accused(demo, _actor(demo, "dpp.south"), first)
    assert [c.id for c in found[first.parties[0].id]] == [second.id]
    # pp.rahim is assigned to the first case only: he is not shown the second.
    assert repeat_accused(demo, _actor(demo, "pp.rahim"), first) == {}


def test_protected_witness_identity_and_break_glass(demo) -> None:
    case = _case(demo)
    dpp, rahim = _actor(demo, "dpp.south"), _actor(demo, "pp.rahim")
    case = add_party(
        demo,
        rahim,
        case.id,
        version=case.version,
        data=PartyInput(role="witness", name="Real Name", protected=True, pseudonym="PW-1"),
    )
    assert sees_protected_identities(rahim, case)
    assert not sees_protected_identities(dpp, case)
    assert not sees_protected_identities(_actor(demo, "clerk.south"), case)
    added = demo.store.find_one(AuditEntry, {"action": "case.party_added"})
    assert added.data["name"] == "PW-1"  # the identity never enters the audit trail
    with pytest.raises(CaseError, match="at least 15"):
        break_glass(demo, dpp, case.id, "need it")
    with pytest.raises(PermissionDenied):
        break_glass(demo, _actor(demo, "clerk.south"), case.id, "I would like to see it please")
    break_glass(demo, dpp, case.id, "Court ordered disclosure on 12.05.2025")
    entry = demo.store.find_one(AuditEntry, {"action": "case.protected_identities_viewed"})
    assert entry.actor_name == "dpp.south" and "Court ordered" in entry.data["reason"]
    assign(
        demo,
        dpp,
        case.id,
        version=demo.store.get(Case, case.id).version,
        lead=_actor(demo, "pp.sana").user_id,
        assisting=[],
        reason="Rahim on leave",
    )
    assert not sees_protected_identities(rahim, demo.store.get(Case, case.id))
