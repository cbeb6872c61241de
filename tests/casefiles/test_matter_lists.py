"""A prosecutor's own matters: who has the list, and which matters it keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.matter_lists import my_matters
from casefiles.matters import MatterInput, create_matter, decide_matter
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from tests.casefiles.case_steps import demo_case

TODAY = dt.date(2025, 9, 1)


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def test_only_prosecutors_have_a_list(demo) -> None:
    with pytest.raises(PermissionDenied):
        my_matters(demo, _actor(demo, "clerk.south"), TODAY)


def test_a_decided_matter_stays_while_its_clock_runs(demo) -> None:
    rahim = _actor(demo, "pp.rahim")
    dpp = _actor(demo, "dpp.south")
    made = {}
    for n, decided_on in ((1, dt.date(2025, 8, 20)), (2, dt.date(2025, 3, 1))):
        matter = create_matter(
            demo, dpp, demo_case(demo).id,
            MatterInput(kind="bail_post_arrest", forum="high_court",
                        number=f"Cr. B.A. No. S-{n}/2025", filed_on=dt.date(2025, 2, 1),
                        lead_prosecutor=rahim.user_id),
        )  # fmt: skip
        made[n] = decide_matter(
            demo, dpp, matter.id, version=matter.version, outcome="refused",
            decided_on=decided_on,
        )  # fmt: skip
    live = my_matters(demo, rahim, TODAY)
    assert [r.matter.id for r in live.rows] == [made[1].id] and live.total == 1
    assert live.rows[0].limitation is not None
    assert live.rows[0].limitation.deadline.rule_id == "sc_leave_petition"
    every = my_matters(demo, rahim, TODAY, show="all")
    assert {r.matter.id for r in every.rows} == {made[1].id, made[2].id}  # its day has passed
    assert my_matters(demo, _actor(demo, "pp.sana"), TODAY).total == 0
