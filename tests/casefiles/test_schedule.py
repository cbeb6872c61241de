"""A case's deadlines follow from its events and stages."""

from __future__ import annotations

import datetime as dt

from casefiles.models import Case, FirRef, StageChange
from casefiles.schedule import case_deadlines


def _case(registered: dt.date | None, labels=(), history=()) -> Case:
    return Case(
        title="t",
        district="KHI-S",
        reference="r",
        labels=list(labels),
        history=list(history),
        fir=FirRef(
            police_station="Saddar",
            number=1,
            year=registered.year if registered else 2025,
            registered_on=dt.datetime.combine(registered, dt.time()) if registered else None,
        ),
    )


def _by_rule(deadlines) -> dict:
    return {d.deadline.rule_id: d for d in deadlines}


def test_interim_challan_clock_starts_at_the_fir() -> None:
    case = _case(dt.date(2025, 3, 3))
    found = _by_rule(case_deadlines(case, today=dt.date(2025, 3, 10)))
    challan = found["interim_challan"]
    assert challan.deadline.due == dt.date(2025, 3, 20)  # 14 + 3 calendar days
    assert challan.state == "pending"
    assert (
        _by_rule(case_deadlines(case, today=dt.date(2025, 3, 19)))["interim_challan"].state
        == "due_soon"
    )
    assert (
        _by_rule(case_deadlines(case, today=dt.date(2025, 3, 21)))["interim_challan"].state
        == "overdue"
    )


def test_ata_case_uses_working_days() -> None:
    found = _by_rule(
        case_deadlines(_case(dt.date(2025, 3, 3), labels=["ATA"]), today=dt.date(2025, 3, 4))
    )
    assert "interim_challan" not in found
    # 30 working days from Monday 3 March end on Monday 14 April; then 3 more days.
    assert found["interim_challan_ata"].deadline.due == dt.date(2025, 4, 17)


def test_report_submitted_meets_the_challan_deadline() -> None:
    history = [
        StageChange(
            from_state="FIR_REGISTERED",
            to_state="REPORT_UNDER_SCRUTINY",
            at=dt.datetime(2025, 3, 15),
            by="u",
        )
    ]
    case = _case(dt.date(2025, 3, 3), history=history)
    case.state = "REPORT_UNDER_SCRUTINY"
    found = _by_rule(case_deadlines(case, today=dt.date(2025, 4, 30)))
    assert found["interim_challan"].state == "met"


def test_acquittal_starts_the_appeal_clocks() -> None:
    history = [
        StageChange(
            from_state="RESERVED",
            to_state="DECIDED",
            outcome="acquitted",
            at=dt.datetime(2025, 8, 31, 10),
            by="u",
        )
    ]
    case = _case(dt.date(2024, 1, 2), history=history)
    case.state, case.outcome = "DECIDED", "acquitted"
    found = _by_rule(case_deadlines(case, today=dt.date(2025, 9, 1)))
    state_appeal = found["state_appeal_acquittal"]
    # Six months from 31 August is 28 February 2026, a Saturday: the next working day.
    assert state_appeal.deadline.due == dt.date(2026, 3, 2)
    assert state_appeal.deadline.uncertain
    assert found["aggrieved_appeal_acquittal"].deadline.due == dt.date(2025, 9, 30)
    assert found["interim_challan"].state == "met"


def test_no_fir_date_no_deadlines() -> None:
    assert case_deadlines(_case(None), today=dt.date(2025, 1, 1)) == []
