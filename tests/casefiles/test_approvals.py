"""The appeal-against-acquittal chain: trial prosecutor → DPP → Prosecutor General."""

from __future__ import annotations

import pytest

from casefiles.approvals import ApprovalRefused, decide, limitation, propose_appeal
from casefiles.holidays import NewHoliday, add_holiday, working_calendar
from casefiles.matters import Matter
from casefiles.service import CaseNotFound
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import Actor
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.casefiles.case_steps import decide as decide_case
from tests.casefiles.case_steps import demo_case

GROUNDS = "The trial court ignored the recovery memo and the ocular account of PW-1."


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _propose(kernel, username: str = "pp.rahim", **kw):
    return propose_appeal(
        kernel,
        _actor(kernel, username),
        demo_case(kernel).id,
        grounds=kw.pop("grounds", GROUNDS),
        **kw,
    )


def test_full_chain_opens_the_appeal_with_who_when_why(demo) -> None:
    case = decide_case(demo, demo_case(demo))
    decided_on = case.history[-1].at.date()
    due = limitation(case, decided_on, working_calendar(demo.store, decided_on))
    assert due is not None and due.deadline.rule_id == "state_appeal_acquittal"
    approval = _propose(demo)
    assert approval.state == "proposed"
    approval = decide(
        demo,
        _actor(demo, "dpp.south"),
        approval.id,
        version=approval.version,
        action="recommend",
        reason="Strong ocular evidence.",
    )
    approval = decide(
        demo,
        _actor(demo, "pg.sindh"),
        approval.id,
        version=approval.version,
        action="approve",
        reason="Approved; file in the High Court.",
    )
    assert approval.state == "approved"
    assert [(s.action, s.by_name, s.role) for s in approval.steps] == [
        ("propose", "pp.rahim", "prosecutor"),
        ("recommend", "dpp.south", "district_public_prosecutor"),
        ("approve", "pg.sindh", "prosecutor_general"),
    ]
    matter = demo.store.get(Matter, approval.matter_id)
    assert (matter.kind, matter.state, matter.forum) == (
        "appeal_acquittal",
        "to_file",
        "high_court",
    )
    assert matter.lead_prosecutor == _actor(demo, "pp.rahim").user_id
    actions = [e.action for e in demo.store.find(AuditEntry, {"subject_type": "approval"})]
    assert actions == ["approval.proposed", "approval.recommended", "approval.approved"]


def test_only_after_an_acquittal_and_with_grounds(demo) -> None:
    with pytest.raises(ApprovalRefused, match="decided as an acquittal"):
        _propose(demo)
    decide_case(demo, demo_case(demo))
    with pytest.raises(ApprovalRefused, match="grounds of appeal"):
        _propose(demo, grounds="weak")
    with pytest.raises(PermissionDenied, match="assigned to the trial"):
        _propose(demo, username="dpp.south")  # the DPP decides; the trial prosecutor proposes
    _propose(demo)
    with pytest.raises(ApprovalRefused, match="already awaiting a decision"):
        _propose(demo)


def test_pp_sana_cannot_see_the_case_at_all(demo) -> None:
    decide_case(demo, demo_case(demo))
    with pytest.raises(CaseNotFound):
        propose_appeal(demo, _actor(demo, "pp.hyd"), demo_case(demo).id, grounds=GROUNDS)


def test_steps_out_of_turn_or_by_the_wrong_role_are_explained(demo) -> None:
    decide_case(demo, demo_case(demo))
    approval = _propose(demo)
    with pytest.raises(ApprovalRefused, match="must recommend or decline it before"):
        decide(
            demo,
            _actor(demo, "pg.sindh"),
            approval.id,
            version=approval.version,
            action="approve",
            reason="ok",
        )
    with pytest.raises(PermissionDenied, match="Only the District Public Prosecutor"):
        decide(
            demo,
            _actor(demo, "pp.rahim"),
            approval.id,
            version=approval.version,
            action="recommend",
            reason="I like it",
        )
    with pytest.raises(ApprovalRefused, match="reason for your decision"):
        decide(
            demo,
            _actor(demo, "dpp.south"),
            approval.id,
            version=approval.version,
            action="decline",
            reason=" ",
        )
    declined = decide(
        demo,
        _actor(demo, "dpp.south"),
        approval.id,
        version=approval.version,
        action="decline",
        reason="No fresh evidence.",
    )
    with pytest.raises(StaleWriteError):
        decide(
            demo,
            _actor(demo, "dpp.south"),
            approval.id,
            version=approval.version,
            action="decline",
            reason="twice",
        )
    with pytest.raises(ApprovalRefused, match="the chain has ended"):
        decide(
            demo,
            _actor(demo, "pg.sindh"),
            approval.id,
            version=declined.version,
            action="reject",
            reason="late",
        )
    # A declined proposal can be followed by a new one with new grounds.
    assert _propose(demo).state == "proposed"


def test_limitation_follows_the_administrators_holiday_calendar(demo) -> None:
    """A holiday entered on the last day moves it on, in the date shown and the one audited."""
    case = decide_case(demo, demo_case(demo))
    decided_on = case.history[-1].at.date()
    before = limitation(case, decided_on, working_calendar(demo.store, decided_on))
    assert before is not None
    last_day = before.deadline.due
    admin = Actor("a1", "admin", frozenset({"admin"}))
    add_holiday(demo, admin, NewHoliday(last_day, "Sindh Government holiday", "provincial"))
    after = limitation(case, decided_on, working_calendar(demo.store, decided_on))
    assert after is not None and after.deadline.due > last_day
    assert working_calendar(demo.store, decided_on).is_working_day(after.deadline.due)
    _propose(demo)
    [proposed] = demo.store.find(AuditEntry, {"action": "approval.proposed"})
    assert proposed.data["limitation"] == after.deadline.due.isoformat()
