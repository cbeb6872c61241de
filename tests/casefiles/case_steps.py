"""Test helpers: move a demo case to a decision through the real workflow."""

from __future__ import annotations

from casefiles.models import Case
from casefiles.service import change_stage
from mizan.actor import SYSTEM
from mizan.kernel import Kernel

TO_COGNIZANCE = ("REPORT_UNDER_SCRUTINY", "FILED_IN_COURT", "COGNIZANCE_TAKEN")


def decide(kernel: Kernel, case: Case, outcome: str = "acquitted") -> Case:
    """FIR → scrutiny → filed → cognizance → decided with ``outcome`` (s.265-K style)."""
    for target in TO_COGNIZANCE:
        case = change_stage(kernel, SYSTEM, case.id, version=case.version, target=target)
    return change_stage(
        kernel,
        SYSTEM,
        case.id,
        version=case.version,
        target="DECIDED",
        reason="Acquitted under s.265-K",
        outcome=outcome,
    )


def demo_case(kernel: Kernel, station: str = "Artillery Maidan") -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})
