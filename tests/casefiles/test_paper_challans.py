"""A challan entered from paper goes through the API's path: same record, same stage move."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.intake import enter_paper_challan, receive_challan
from casefiles.models import Case
from casefiles.service import CaseError, CaseNotFound, NewCase, create_case
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import SYSTEM
from mizan.storage import StaleWriteError


def _who(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _case(kernel) -> Case:
    return create_case(
        kernel,
        _who(kernel, "clerk.south"),
        NewCase("KHI-S", "Clifton", 41, 2025, "Paper", registered_on=dt.date(2025, 3, 1)),
    )


def test_paper_challan_moves_the_case_to_scrutiny(demo) -> None:
    case = _case(demo)
    clerk = _who(demo, "clerk.south")
    result = enter_paper_challan(
        demo,
        clerk,
        case.id,
        version=case.version,
        kind="interim",
        submitted_on=dt.date(2025, 3, 15),
        io_name="  SI  Akram ",
    )
    stored = demo.store.get(Case, case.id)
    assert stored.state == "REPORT_UNDER_SCRUTINY" and result.changed == ["challans", "state"]
    challan = stored.challans[0]
    assert challan.io_name == "SI Akram" and challan.source == "clerk.south"
    assert challan.submitted_on == dt.datetime(2025, 3, 14, 19, 0)  # midnight in Karachi
    assert stored.history[-1].reason == "Interim challan entered from paper"
    # The police sending the same challan later adds nothing.
    again = receive_challan(
        demo,
        SYSTEM,
        ["KHI-S"],
        {
            "district": "KHI-S",
            "police_station": "Clifton",
            "fir_number": 41,
            "fir_year": 2025,
            "kind": "interim",
            "submitted_on": "2025-03-15",
        },
    )
    assert again.changed == [] and len(demo.store.get(Case, case.id).challans) == 1


def test_paper_challan_is_checked(demo) -> None:
    case = _case(demo)
    clerk = _who(demo, "clerk.south")

    def enter(who=clerk, version=case.version, **kw):
        data = {"kind": "final", "submitted_on": dt.date(2025, 3, 15), **kw}
        return enter_paper_challan(demo, who, case.id, version=version, **data)

    with pytest.raises(CaseError, match="interim or final"):
        enter(kind="other")
    with pytest.raises(CaseError, match="future"):
        enter(submitted_on=dt.date(2999, 1, 1))
    with pytest.raises(CaseError, match="before the FIR"):
        enter(submitted_on=dt.date(2025, 2, 1))
    with pytest.raises(CaseError, match="too long"):
        enter(io_name="x" * 121)
    with pytest.raises(StaleWriteError):
        enter(version=case.version + 1)
    with pytest.raises(PermissionDenied):
        enter(who=_who(demo, "supervisor"))
    with pytest.raises(CaseNotFound):
        enter(who=_who(demo, "pp.hyd"))
