"""``mizan remind`` as an operator (or cron) runs it: once, then nothing twice."""

from __future__ import annotations

import datetime as dt

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.models import Case
from mizan.actor import SYSTEM
from mizan.clock import pakistan_moment, pakistan_today
from tests.mizan.test_cli import run


def test_remind_sends_once_and_refuses_a_silly_period(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    when = pakistan_moment(pakistan_today() + dt.timedelta(days=1), dt.time(10))
    schedule_hearing(demo, SYSTEM, case.id, NewHearing(when, "Court A", "evidence"))
    first = run(demo.settings, "remind")
    assert first.returncode == 0, first.stderr
    assert "1 about hearings" in first.stdout
    again = run(demo.settings, "remind")
    assert "0 about deadlines, 0 about hearings" in again.stdout
    bad = run(demo.settings, "remind", "--every", "5")
    assert bad.returncode != 0 and "--every" in bad.stderr
