"""Due-soon and overdue lists per prosecutor and district, and the reminder run.

Today is Monday 30 June 2025. Interim challans fall due 17 days after the FIR:
  A  p1 lead    FIR 01.06  investigating       due 18.06  overdue (12 days ago)
  B  p1 lead    FIR 12.06  investigating       due 29.06  overdue (yesterday)
  C  p2 lead,   FIR 15.06  investigating       due 02.07  due soon
     p1 assists
  D  p1 lead    FIR 25.06  investigating       due 12.07  not yet shown
  E  p1 lead    FIR 01.05  report under scrutiny: met
  F  p3 (HYD)   FIR 01.06  investigating       overdue, Hyderabad only
  G  p1 lead    decided (acquitted) mid-May: the 30-day appeal clock is overdue
  H  p1 lead    the same, but the file is closed: nothing left to do
"""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.deadline_lists import deadline_list
from casefiles.hearings import Hearing, court_key
from casefiles.holidays import working_calendar
from casefiles.models import Case, FirRef, StageChange
from casefiles.reminders import send_reminders
from casefiles.schedule import case_deadlines
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for, create_district
from mizan.actor import SYSTEM, Actor
from mizan.kernel import Kernel
from mizan.notifications import Notification, unread_count

TODAY = dt.date(2025, 6, 30)
#: 11:00 in Karachi on TODAY.
NOW = dt.datetime(2025, 6, 30, 6, 0)
TRIAL = [
    "REPORT_UNDER_SCRUTINY",
    "FILED_IN_COURT",
    "COGNIZANCE_TAKEN",
    "PRE_CHARGE",
    "CHARGE_FRAMED",
    "PROSECUTION_EVIDENCE",
    "S342_DEFENCE",
    "ARGUMENTS",
    "RESERVED",
]


class World:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.users: dict[str, Actor] = {}
        self.cases: dict[str, Case] = {}

    def user(self, key: str, role: str, district: str | None) -> None:
        user = User(
            username=f"user.{key}",
            full_name=f"Name {key}",
            password_hash="-",
            roles=[role],
            district=district,
        )
        self.users[key] = actor_for(self.kernel.store.insert(user))

    def case(
        self,
        key: str,
        registered: str,
        path: list[str],
        *,
        lead: str,
        assisting: tuple[str, ...] = (),
        district: str = "KHI-S",
        outcome: str | None = None,
    ) -> None:
        at = dt.datetime.fromisoformat(registered)
        state, history = "FIR_REGISTERED", []
        for step in path:
            at += dt.timedelta(days=1)
            history.append(StageChange(from_state=state, to_state=step, at=at, by="system"))
            state = step
        n = len(self.cases) + 1
        self.cases[key] = self.kernel.store.insert(
            Case(
                title=f"Case {key}",
                district=district,
                fir=FirRef(
                    police_station="Saddar",
                    number=n,
                    year=2025,
                    registered_on=dt.datetime.fromisoformat(registered),
                ),
                reference=f"FIR {n}/2025 PS Saddar ({key})",
                state=state,
                outcome=outcome,
                history=history,
                lead_prosecutor=self.users[lead].user_id,
                assisting=[self.users[a].user_id for a in assisting],
                created_at=dt.datetime.fromisoformat(registered),
            )
        )


@pytest.fixture
def world(kernel: Kernel) -> World:
    create_district(kernel, SYSTEM, "KHI-S", "Karachi South")
    create_district(kernel, SYSTEM, "HYD", "Hyderabad")
    w = World(kernel)
    for key, role, district in [
        ("p1", "prosecutor", "KHI-S"),
        ("p2", "prosecutor", "KHI-S"),
        ("p3", "prosecutor", "HYD"),
        ("dpp", "district_public_prosecutor", "KHI-S"),
        ("pg", "prosecutor_general", None),
        ("clerk", "clerk", "KHI-S"),
    ]:
        w.user(key, role, district)
    w.case("A", "2025-06-01", ["UNDER_INVESTIGATION"], lead="p1")
    w.case("B", "2025-06-12", ["UNDER_INVESTIGATION"], lead="p1")
    w.case("C", "2025-06-15", [], lead="p2", assisting=("p1",))
    w.case("D", "2025-06-25", [], lead="p1")
    w.case("E", "2025-05-01", ["UNDER_INVESTIGATION", "REPORT_UNDER_SCRUTINY"], lead="p1")
    w.case("F", "2025-06-01", [], lead="p3", district="HYD")
    w.case("G", "2025-05-01", [*TRIAL, "DECIDED"], lead="p1", outcome="acquitted")
    w.case("H", "2025-05-01", [*TRIAL, "DECIDED", "CLOSED"], lead="p1", outcome="acquitted")
    return w


def _keys(world: World, items) -> list[str]:
    by_id = {c.id: k for k, c in world.cases.items()}
    return [by_id[i.case.id] for i in items]


def test_my_deadlines_are_the_case_pages_overdue_and_due_soon(world: World) -> None:
    result = deadline_list(world.kernel, world.users["p1"], TODAY, scope="mine")
    assert sorted(set(_keys(world, result.items))) == ["A", "B", "C", "G"]
    assert [i.due for i in result.items] == sorted(i.due for i in result.items)
    calendar = working_calendar(world.kernel.store, TODAY)
    for item in result.items:  # exactly what the case page says
        page = case_deadlines(item.case, TODAY, calendar=calendar)
        assert (item.deadline.deadline.rule_id, item.state) in {
            (d.deadline.rule_id, d.state) for d in page
        }
    states = {k: i.state for k, i in zip(_keys(world, result.items), result.items, strict=True)}
    assert states["A"] == states["B"] == "overdue" and states["C"] == "due_soon"
    assert result.due_soon == 1 and result.overdue == result.total - 1


def test_filters_sorting_and_pages(world: World) -> None:
    p1 = world.users["p1"]
    soon = deadline_list(world.kernel, p1, TODAY, scope="mine", status="due_soon")
    assert _keys(world, soon.items) == ["C"] and soon.total == 1
    latest = deadline_list(world.kernel, p1, TODAY, scope="mine", sort="-due")
    assert _keys(world, latest.items)[0] == "C"
    everything = deadline_list(world.kernel, p1, TODAY, scope="mine", sort="case")
    page2 = deadline_list(world.kernel, p1, TODAY, scope="mine", sort="case", page=2, per_page=2)
    assert page2.total == everything.total
    assert [i.case.id for i in page2.items] == [i.case.id for i in everything.items[2:4]]


def test_district_list_and_its_prosecutor_breakdown(world: World) -> None:
    result = deadline_list(world.kernel, world.users["dpp"], TODAY, scope="district")
    assert set(_keys(world, result.items)) == {"A", "B", "C", "G"}  # not Hyderabad's F
    rows = {uid: (o, s) for uid, _name, o, s in result.by_prosecutor}
    assert rows[world.users["p2"].user_id] == (0, 1)
    just_p2 = deadline_list(
        world.kernel,
        world.users["dpp"],
        TODAY,
        scope="district",
        prosecutor=world.users["p2"].user_id,
    )
    assert _keys(world, just_p2.items) == ["C"]
    province = deadline_list(world.kernel, world.users["pg"], TODAY, scope="district")
    assert "F" in _keys(world, province.items)
    hyd = deadline_list(world.kernel, world.users["pg"], TODAY, scope="district", district="HYD")
    assert set(_keys(world, hyd.items)) == {"F"}


@pytest.mark.parametrize(
    ("who", "scope", "district"),
    [("dpp", "district", "HYD"), ("clerk", "district", None), ("dpp", "mine", None)],
)
def test_refused_scopes(world: World, who: str, scope: str, district: str | None) -> None:
    with pytest.raises(PermissionDenied):
        deadline_list(world.kernel, world.users[who], TODAY, scope=scope, district=district)


def test_reminders_announce_each_fact_once(world: World) -> None:
    store = world.kernel.store
    store.insert(
        Hearing(
            case_id=world.cases["D"].id,
            district="KHI-S",
            court="ATC-XII Karachi",
            court_key=court_key("ATC-XII Karachi"),
            starts_at=dt.datetime(2025, 7, 1, 5, 0),  # 10:00 tomorrow in Karachi
            purpose="evidence",
            prosecutor_ids=[world.users["p2"].user_id],
        )
    )
    run = send_reminders(world.kernel, NOW)
    p1, p2 = world.users["p1"].user_id, world.users["p2"].user_id
    # p1: B just missed, C due soon (assisting), hearing of D; not A or G (missed long ago).
    assert unread_count(store, p1) == 3
    # p2: C due soon, and listed for D's hearing.
    assert unread_count(store, p2) == 2
    assert run.deadlines == 3 and run.hearings == 2
    hearing_note = store.find_one(Notification, {"user_id": p2, "kind": "hearing"})
    assert hearing_note.params["time"] == "10:00" and hearing_note.link.startswith("/hearings/")
    again = send_reminders(world.kernel, NOW)
    assert again.sent == 0
    assert unread_count(store, p1) == 3
    # Next day C is still due soon (already announced), B is older: nothing new but C moving
    # to overdue later is a new fact.
    later = send_reminders(world.kernel, NOW + dt.timedelta(days=3))
    assert later.deadlines == 2  # C overdue, to p2 and p1
