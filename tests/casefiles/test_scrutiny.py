"""Scrutiny of a police report is a recorded decision that moves the case."""

from __future__ import annotations

import pytest

from casefiles.models import Case
from casefiles.scrutiny import checklist, record_scrutiny
from casefiles.service import CaseError, change_stage
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.audit import AuditEntry


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


@pytest.fixture
def under_scrutiny(demo) -> Case:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    return change_stage(
        demo,
        _actor(demo, "pp.rahim"),
        case.id,
        version=case.version,
        target="REPORT_UNDER_SCRUTINY",
    )


def test_checklist_is_configured() -> None:
    keys = [item.key for item in checklist()]
    assert "statements_161" in keys and len(keys) == len(set(keys))


def test_return_to_io_needs_defects_and_records_them(demo, under_scrutiny) -> None:
    rahim = _actor(demo, "pp.rahim")
    with pytest.raises(CaseError, match="defects"):
        record_scrutiny(
            demo,
            rahim,
            under_scrutiny.id,
            version=under_scrutiny.version,
            checked=["fir_copy"],
            objections=[" "],
            decision="returned",
            opinion="",
        )
    case = record_scrutiny(
        demo,
        rahim,
        under_scrutiny.id,
        version=under_scrutiny.version,
        checked=["fir_copy", "statements_161"],
        objections=["Site plan missing", "Recovery memo unsigned"],
        decision="returned",
        opinion="",
    )
    stored = demo.store.get(Case, case.id)
    assert stored.state == "RETURNED_TO_IO"
    record = stored.scrutinies[-1]
    assert record.objections == ["Site plan missing", "Recovery memo unsigned"]
    assert "site_plan" in record.missing and "fir_copy" not in record.missing
    assert stored.history[-1].reason == "Site plan missing; Recovery memo unsigned"
    event = demo.store.find_one(
        AuditEntry, {"action": "case.stage_changed", "data.scrutiny": "returned"}
    )
    assert event is not None and event.data["to"] == "RETURNED_TO_IO"


def test_resubmission_then_fit_for_trial(demo, under_scrutiny) -> None:
    rahim = _actor(demo, "pp.rahim")
    case = record_scrutiny(
        demo,
        rahim,
        under_scrutiny.id,
        version=under_scrutiny.version,
        checked=[],
        objections=["Medical report missing"],
        decision="returned",
        opinion="",
    )
    case = change_stage(demo, rahim, case.id, version=case.version, target="REPORT_UNDER_SCRUTINY")
    with pytest.raises(CaseError, match="opinion"):
        record_scrutiny(
            demo,
            rahim,
            case.id,
            version=case.version,
            checked=[i.key for i in checklist()],
            objections=[],
            decision="fit_for_trial",
            opinion="",
        )
    case = record_scrutiny(
        demo,
        rahim,
        case.id,
        version=case.version,
        checked=[i.key for i in checklist()],
        objections=[],
        decision="fit_for_trial",
        opinion="Eyewitnesses consistent; recovery proved.",
    )
    assert case.state == "FILED_IN_COURT" and len(case.scrutinies) == 2
    assert case.scrutinies[-1].missing == []


def test_only_prosecutors_scrutinise_and_only_reports_under_scrutiny(demo, under_scrutiny) -> None:
    with pytest.raises(PermissionDenied):
        record_scrutiny(
            demo,
            _actor(demo, "clerk.south"),
            under_scrutiny.id,
            version=under_scrutiny.version,
            checked=[],
            objections=["x"],
            decision="returned",
            opinion="",
        )
    other = demo.store.find_one(Case, {"fir.police_station": "Boat Basin"})
    with pytest.raises(CaseError, match="under scrutiny"):
        record_scrutiny(
            demo,
            _actor(demo, "pp.sana"),
            other.id,
            version=other.version,
            checked=[],
            objections=["x"],
            decision="returned",
            opinion="",
        )
    with pytest.raises(CaseError, match="Unknown checklist item"):
        record_scrutiny(
            demo,
            _actor(demo, "pp.rahim"),
            under_scrutiny.id,
            version=under_scrutiny.version,
            checked=["bribe"],
            objections=["x"],
            decision="returned",
            opinion="",
        )
