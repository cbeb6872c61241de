"""The dashboard's hearings: today and each of the next seven Pakistan days, per scope."""

from __future__ import annotations

import datetime as dt

from casefiles import reports
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.models import Case
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM
from mizan.clock import pakistan_moment, pakistan_today


def _list(kernel, station: str, days: int, clock: dt.time) -> None:
    case = kernel.store.find_one(Case, {"fir.police_station": station})
    when = pakistan_moment(pakistan_today() + dt.timedelta(days=days), clock)
    schedule_hearing(kernel, SYSTEM, case.id, NewHearing(when, "Court A", "evidence"))


def test_hearings_this_week_by_pakistan_day(demo) -> None:
    _list(demo, "Artillery Maidan", 1, dt.time(2, 30))  # 21:30 UTC the day before
    _list(demo, "Artillery Maidan", 1, dt.time(11, 0))
    _list(demo, "Boat Basin", 6, dt.time(10, 0))
    _list(demo, "Boat Basin", 7, dt.time(10, 0))  # the eighth day: not this week
    _list(demo, "Market", 2, dt.time(10, 0))  # Hyderabad
    today = pakistan_today()
    pg = actor_for(demo.store.find_one(User, {"username": "pg.sindh"}))
    board = reports.dashboard(demo, pg, today)
    assert [b.value for b in board.hearings_week] == [0, 2, 1, 0, 0, 0, 1]
    assert board.hearings_week[1].key == (today + dt.timedelta(days=1)).isoformat()
    assert board.hearings_today == 0 and board.hearings_week_total == 4
    dpp = actor_for(demo.store.find_one(User, {"username": "dpp.south"}))
    assert reports.dashboard(demo, dpp, today).hearings_week_total == 3
