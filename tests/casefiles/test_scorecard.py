"""The prosecutor scorecard on the hand-made province (``report_province``), June 2025."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from casefiles.report_periods import ReportError
from casefiles.report_queries import ReportRequest
from casefiles.scorecard import scorecard
from mizan.accounts.service import PermissionDenied
from mizan.kernel import Kernel
from tests.casefiles.report_province import TODAY, World, make_world

JUNE = ReportRequest(period="month", start="2025-06-01")


@pytest.fixture
def world(kernel: Kernel) -> World:
    return make_world(kernel)


def _card(world: World, who: str, whose: str):
    return scorecard(world.kernel, world.actors[who], world.actors[whose].user_id, JUNE, TODAY)


def test_scorecard_of_p1(world: World) -> None:
    card = _card(world, "p1", "p1")
    # p1 leads C1, C3, C6, C10, C13. Pending on 30 June: C1, C13. Disposed in June: C3, C6.
    assert card.figure("pendency", "pending") == 2
    assert card.figure("caseflow", "disposed") == 2
    assert card.figure("caseflow", "instituted") == 2  # C1, C13
    # Interim challans due in June: C1 missed, C13 still running → 0 met of 1 settled.
    assert card.figure("challans", "met") == 0 and card.figure("challans", "settled") == 1
    assert card.figure("ata_trial", "met") == 1  # C6
    # Hearings listed for p1: H1, H2 (adjourned, so attended) and H5 (no outcome).
    assert card.figure("attendance", "listed") == 3
    assert card.figure("attendance", "attended") == 2
    assert card.figure("adjournments", "adjourned") == 2
    assert card.assisting_open == 1  # C7
    assert card.training_completed == 0  # the learning platform counts; p1 completed none


def test_outcomes_beside_the_district_rate_for_the_same_offence_mix(world: World) -> None:
    card = _card(world, "dpp", "p2")
    # p2 decided C4 (302: murder, acquitted) and C11 (392: robbery, partly convicted): 1 of 2.
    assert card.rate == 0.5
    lines = {c.key: (c.decided, c.convicted, c.rate, c.district_rate) for c in card.classes}
    # KHI-S in June: murder C4 only (0 of 1); robbery C3 and C11 (2 of 2).
    assert lines == {"murder": (1, 0, 0.0, 0.0), "robbery": (1, 1, 1.0, 1.0)}
    # Expected with p2's mix: (1 × 0% + 1 × 100%) / 2 = 50%.
    assert card.expected_rate == 0.5


def test_scorecard_scope(world: World) -> None:
    with pytest.raises(PermissionDenied, match="your own figures"):
        _card(world, "p1", "p2")
    with pytest.raises(PermissionDenied, match="prosecutors of your own district"):
        _card(world, "dpp", "p3")
    assert _card(world, "pg", "p3").figure("outcomes", "decided") == 1  # C5
    with pytest.raises(ReportError, match="no prosecutor"):
        scorecard(world.kernel, world.actors["pg"], "nobody", JUNE, TODAY)
    with pytest.raises(ReportError, match="no prosecutor"):
        scorecard(world.kernel, world.actors["pg"], world.actors["dpp"].user_id, JUNE, TODAY)


def test_training_comes_from_the_registered_source(world: World) -> None:
    asked = []

    def completed(kernel, user_id: str, start: dt.date, end: dt.date) -> int:
        asked.append((user_id, start, end))
        return 4

    # This kernel's own registry, with the learning platform's source swapped for a probe.
    world.kernel.registry = replace(world.kernel.registry, training_completed=[completed])
    card = _card(world, "pg", "p1")
    assert card.training_completed == 4
    assert asked == [(world.actors["p1"].user_id, dt.date(2025, 6, 1), dt.date(2025, 6, 30))]
