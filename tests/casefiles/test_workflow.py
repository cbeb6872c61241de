"""Every transition rule of the case workflow, and the service that applies it."""

from __future__ import annotations

import itertools

import pytest

from casefiles.models import CASE_STATES, Case
from casefiles.service import CaseNotFound, change_stage
from casefiles.workflow import (
    INITIAL,
    TRANSITIONS,
    TransitionRefused,
    allowed_from,
    check_transition,
)
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError

ALLOWED = {(t.source, t.target): t for t in TRANSITIONS}


def _guards(t) -> dict:
    return {
        "reason": "recorded reason" if t.needs_reason else "",
        "outcome": "acquitted" if t.needs_outcome else None,
        "cancellation_class": "B" if t.needs_cancellation_class else None,
    }


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_each_allowed_transition_passes_with_its_guards(transition) -> None:
    assert (
        check_transition(transition.source, transition.target, **_guards(transition)) == transition
    )


@pytest.mark.parametrize(
    "transition",
    [t for t in TRANSITIONS if t.needs_reason or t.needs_outcome or t.needs_cancellation_class],
    ids=lambda t: f"{t.source}->{t.target}",
)
def test_guards_refuse_missing_reason_outcome_or_class(transition) -> None:
    with pytest.raises(TransitionRefused):
        check_transition(transition.source, transition.target)


DISALLOWED = [pair for pair in itertools.product(CASE_STATES, CASE_STATES) if pair not in ALLOWED]


@pytest.mark.parametrize(("source", "target"), DISALLOWED, ids=lambda s: s)
def test_every_other_move_is_refused_naming_the_allowed_ones(source, target) -> None:
    with pytest.raises(TransitionRefused, match="cannot move") as refused:
        check_transition(source, target, reason="x", outcome="convicted", cancellation_class="A")
    for allowed in allowed_from(source):
        assert str(CASE_STATES[allowed.target]) in str(refused.value)


def test_every_stage_is_reachable_and_only_closed_is_final() -> None:
    reached, frontier = {INITIAL}, [INITIAL]
    while frontier:
        for t in allowed_from(frontier.pop()):
            if t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(CASE_STATES)
    assert [s for s in CASE_STATES if not allowed_from(s)] == ["CLOSED"]


def test_outcome_only_when_decided() -> None:
    with pytest.raises(TransitionRefused, match="only recorded when"):
        check_transition("FIR_REGISTERED", "UNDER_INVESTIGATION", outcome="convicted")


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def test_change_stage_records_history_and_audit(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    rahim = _actor(demo, "pp.rahim")
    case = change_stage(demo, rahim, case.id, version=case.version, target="UNDER_INVESTIGATION")
    case = change_stage(demo, rahim, case.id, version=case.version, target="REPORT_UNDER_SCRUTINY")
    case = change_stage(
        demo,
        rahim,
        case.id,
        version=case.version,
        target="RETURNED_TO_IO",
        reason="Recovery memo not attached; s.161 statements unsigned",
    )
    stored = demo.store.get(Case, case.id)
    assert stored.state == "RETURNED_TO_IO"
    assert [h.to_state for h in stored.history] == [
        "UNDER_INVESTIGATION",
        "REPORT_UNDER_SCRUTINY",
        "RETURNED_TO_IO",
    ]
    assert stored.history[-1].reason.startswith("Recovery memo")
    assert stored.history[-1].by == rahim.user_id
    entries = demo.store.find(
        AuditEntry, {"action": "case.stage_changed", "subject_id": case.id}, sort=[("seq", 1)]
    )
    assert [e.data["to"] for e in entries] == [h.to_state for h in stored.history]


def test_change_stage_refuses_stale_and_unauthorised(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    rahim = _actor(demo, "pp.rahim")
    change_stage(demo, rahim, case.id, version=case.version, target="UNDER_INVESTIGATION")
    with pytest.raises(StaleWriteError):
        change_stage(
            demo,
            rahim,
            case.id,
            version=case.version,
            target="CANCELLATION_PROPOSED",
            cancellation_class="A",
        )
    assert demo.store.get(Case, case.id).state == "UNDER_INVESTIGATION"
    with pytest.raises(CaseNotFound):
        change_stage(
            demo,
            _actor(demo, "pp.sana"),
            case.id,
            version=case.version + 1,
            target="REPORT_UNDER_SCRUTINY",
        )
    with pytest.raises(PermissionDenied):
        change_stage(
            demo,
            _actor(demo, "supervisor"),
            case.id,
            version=case.version + 1,
            target="REPORT_UNDER_SCRUTINY",
        )
