"""Assignment suggestions: ranking by workload, district, court posting, experience, the
ATC rule for ATA cases and conflicts; reassignment history with a required reason."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.assignment import add_posting, remove_posting, suggest
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.models import Case
from casefiles.parties import PartyInput, add_party, set_offences
from casefiles.service import CaseError, NewCase, assign, create_case
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import SYSTEM, Actor
from mizan.clock import pakistan_moment, pakistan_today
from mizan.kernel import Kernel

ATC = "ATC-XII Karachi"


def who(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def uid(kernel: Kernel, username: str) -> str:
    return kernel.store.find_one(User, {"username": username}).id


def new_case(kernel: Kernel, number: int, sections: str = "", labels=()) -> Case:
    case = create_case(
        kernel,
        who(kernel, "dpp.south"),
        NewCase("KHI-S", "Clifton", number, 2025, f"Case {number}", labels=tuple(labels)),
    )
    if sections:
        case = set_offences(kernel, SYSTEM, case.id, version=case.version, text=sections)
    return case


def ranked(kernel: Kernel, case: Case) -> list[str]:
    users = {u.id: u.username for u in kernel.store.find(User)}
    return [users[s.user.id] for s in suggest(kernel, who(kernel, "dpp.south"), case)]


def reasons(kernel: Kernel, case: Case, username: str) -> dict[str, str]:
    for s in suggest(kernel, who(kernel, "dpp.south"), case):
        if s.user.id == uid(kernel, username):
            return {r.kind: r.text for r in s.reasons}
    raise AssertionError(f"{username} not suggested")


def test_district_prosecutors_ranked_by_workload(demo) -> None:
    case = new_case(demo, 500)
    # Both demo prosecutors lead one case; give Rahim two more.
    for n in (501, 502):
        extra = new_case(demo, n)
        assign(
            demo, SYSTEM, extra.id, version=extra.version, lead=uid(demo, "pp.rahim"), assisting=[]
        )
    order = ranked(demo, case)
    assert order == ["pp.sana", "pp.rahim"]  # pp.hyd (Hyderabad) is not offered
    assert "3 open cases as lead" in reasons(demo, case, "pp.rahim")["workload"]


def test_offence_experience_counts(demo) -> None:
    for n in (601, 602, 603):
        done = new_case(demo, n, "302/34 PPC")
        assign(
            demo, SYSTEM, done.id, version=done.version, lead=uid(demo, "pp.rahim"), assisting=[]
        )
    case = new_case(demo, 604, "302(b) PPC")
    why = reasons(demo, case, "pp.rahim")
    assert "3 other cases under 302 PPC" in why["experience"]
    # Experience (3 x 2 points) outweighs Rahim's heavier load here.
    assert ranked(demo, case)[0] == "pp.rahim"


def test_ata_case_needs_an_atc_prosecutor(demo) -> None:
    dpp = who(demo, "dpp.south")
    case = new_case(demo, 700, "365-A PPC, 7(1)(e) ATA", labels=["ATA"])
    add_posting(demo, dpp, uid(demo, "pp.rahim"), ATC, atc=True)
    add_posting(demo, who(demo, "pg.sindh"), uid(demo, "pp.hyd"), "ATC-I Hyderabad", atc=True)
    found = suggest(demo, dpp, case)
    names = [s.user.username for s in found]
    assert names[0] == "pp.rahim"  # the only ATC prosecutor of the district
    assert "pp.hyd" in names  # ATC prosecutors elsewhere are offered, behind
    sana = next(s for s in found if s.user.username == "pp.sana")
    assert not sana.eligible and names[-1] == "pp.sana"
    assert "Not an ATC prosecutor" in " ".join(r.text for r in sana.reasons)
    hyd = next(s for s in found if s.user.username == "pp.hyd")
    assert hyd.eligible and "another district" in " ".join(r.text for r in hyd.reasons)


def test_a_possible_family_link_sinks_a_prosecutor(demo) -> None:
    case = new_case(demo, 800)
    assert ranked(demo, case)[0] == "pp.rahim"  # names tie-break: Abdul before Sana
    add_party(
        demo,
        SYSTEM,
        case.id,
        version=demo.store.get(Case, case.id).version,
        data=PartyInput(role="accused", name="Kamran", parentage="s/o Abdul Rahim Soomro"),
    )
    case = demo.store.get(Case, case.id)
    assert ranked(demo, case) == ["pp.sana", "pp.rahim"]
    assert "family link" in reasons(demo, case, "pp.rahim")["party"]


def test_hearing_clash_is_a_conflict(demo) -> None:
    case = new_case(demo, 900)
    day = pakistan_today() + dt.timedelta(days=5)
    schedule_hearing(
        demo,
        SYSTEM,
        case.id,
        NewHearing(pakistan_moment(day, dt.time(10)), ATC, "evidence", prosecutor_ids=[]),
    )
    # Sana is due in the Sessions Court half an hour later (her own demo case).
    sana_case = demo.store.find_one(Case, {"fir.police_station": "Boat Basin"})
    schedule_hearing(
        demo,
        SYSTEM,
        sana_case.id,
        NewHearing(pakistan_moment(day, dt.time(10, 30)), "Sessions Court South", "evidence"),
    )
    why = reasons(demo, case, "pp.sana")
    assert "Sessions Court South" in why["clash"]
    assert ranked(demo, case) == ["pp.rahim", "pp.sana"]


def test_reassignment_needs_a_reason_and_keeps_history(demo) -> None:
    dpp = who(demo, "dpp.south")
    case = new_case(demo, 1000)
    case = assign(
        demo, dpp, case.id, version=case.version, lead=uid(demo, "pp.rahim"), assisting=[]
    )
    with pytest.raises(CaseError, match="reason"):
        assign(demo, dpp, case.id, version=case.version, lead=uid(demo, "pp.sana"), assisting=[])
    case = assign(
        demo,
        dpp,
        case.id,
        version=case.version,
        lead=uid(demo, "pp.sana"),
        assisting=[],
        reason="Rahim on leave until March",
    )
    stored = demo.store.get(Case, case.id)
    assert [(a.lead_before, a.lead) for a in stored.assignments] == [
        (None, uid(demo, "pp.rahim")),
        (uid(demo, "pp.rahim"), uid(demo, "pp.sana")),
    ]
    assert stored.assignments[-1].reason == "Rahim on leave until March"
    assert stored.assignments[-1].by_name == "dpp.south"


def test_postings_are_district_bound_and_refuse_duplicates(demo) -> None:
    dpp = who(demo, "dpp.south")
    with pytest.raises(PermissionDenied):
        add_posting(demo, dpp, uid(demo, "pp.hyd"), ATC, atc=True)
    posting = add_posting(demo, dpp, uid(demo, "pp.sana"), ATC, atc=True)
    with pytest.raises(CaseError, match="already posted"):
        add_posting(demo, dpp, uid(demo, "pp.sana"), " atc-xii   KARACHI ", atc=False)
    with pytest.raises(CaseError):
        add_posting(demo, dpp, uid(demo, "clerk.south"), ATC, atc=False)
    remove_posting(demo, dpp, posting.id, posting.version)


def test_assign_from_a_suggestion_row_reuses_its_checks(demo) -> None:
    from casefiles.assignment import assign_suggested
    from mizan.storage import StaleWriteError

    dpp = who(demo, "dpp.south")
    case = new_case(demo, 900, "365-A PPC, 7(1)(e) ATA", labels=["ATA"])
    add_posting(demo, dpp, uid(demo, "pp.rahim"), ATC, atc=True)
    add_posting(demo, who(demo, "pg.sindh"), uid(demo, "pp.hyd"), "ATC-I Hyderabad", atc=True)
    with pytest.raises(CaseError, match="Not an ATC prosecutor"):
        assign_suggested(demo, dpp, case.id, uid(demo, "pp.sana"), version=case.version)
    with pytest.raises(CaseError, match="not among the suggestions"):
        assign_suggested(demo, dpp, case.id, uid(demo, "admin"), version=case.version)
    done = assign_suggested(demo, dpp, case.id, uid(demo, "pp.rahim"), version=case.version)
    assert done.lead_prosecutor == uid(demo, "pp.rahim")
    with pytest.raises(StaleWriteError):  # someone else's change since the page was read
        assign_suggested(
            demo, dpp, case.id, uid(demo, "pp.hyd"), version=case.version, reason="Transfer"
        )
    # Replacing the lead needs the reason the full form asks for.
    with pytest.raises(CaseError, match="reason"):
        assign_suggested(demo, dpp, case.id, uid(demo, "pp.hyd"), version=done.version)
    moved = assign_suggested(
        demo, dpp, case.id, uid(demo, "pp.hyd"), version=done.version, reason="Transfer"
    )
    assert moved.lead_prosecutor == uid(demo, "pp.hyd") and moved.assignments[-1].reason
    with pytest.raises(PermissionDenied):
        assign_suggested(
            demo, who(demo, "clerk.south"), case.id, uid(demo, "pp.rahim"), version=moved.version
        )
