"""The dashboard's figures on a small hand-made province, with every number worked out.

Today is Monday 30 June 2025. KHI-S has ten pending cases chosen to sit on the
edges: an FIR exactly 3 months old, a challan due today (not yet overdue), one
due yesterday, an ATA case past its 30-working-day clock and one that only the
ordinary 17-day rule would call overdue, a reinvestigation whose challan the
case page counts as met, a retrial whose old outcome must not count, and an
old file with no FIR date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles import reports
from casefiles.models import Case, FirRef, StageChange
from casefiles.report_periods import ReportError
from casefiles.schedule import case_deadlines, default_calendar
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for, create_district
from mizan.actor import SYSTEM, Actor
from mizan.kernel import Kernel

TODAY = dt.date(2025, 6, 30)


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


class Province:
    """Users by short name and cases by number, as laid out in the module docstring."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.users: dict[str, Actor] = {}
        self.cases: dict[int, Case] = {}

    def user(self, key: str, name: str, role: str, district: str | None) -> None:
        """Stored directly: the dashboard reads names and roles, never passwords."""
        user = User(
            username=f"user.{key}",
            full_name=name,
            password_hash="-",
            roles=[role],
            district=district,
        )
        self.users[key] = actor_for(self.kernel.store.insert(user))

    def case(
        self,
        n: int,
        district: str,
        path: list[str],
        registered: str | None,
        *,
        labels: tuple[str, ...] = (),
        lead: str | None = None,
        assisting: tuple[str, ...] = (),
        outcome: str | None = None,
        created: str = "2020-01-01",
    ) -> None:
        """``path`` is the stages after FIR_REGISTERED, in order; the last is the state."""
        history, state, at = [], "FIR_REGISTERED", _day(registered or created)
        for step in path:
            at += dt.timedelta(days=1)
            history.append(StageChange(from_state=state, to_state=step, at=at, by="system"))
            state = step
        case = Case(
            title=f"Case {n}",
            district=district,
            fir=FirRef(
                police_station="Saddar",
                number=n,
                year=2025,
                registered_on=_day(registered) if registered else None,
            ),
            reference=f"FIR {n}/2025 PS Saddar",
            state=state,
            outcome=outcome,
            history=history,
            labels=list(labels),
            lead_prosecutor=self.users[lead].user_id if lead else None,
            assisting=[self.users[a].user_id for a in assisting],
            created_at=_day(registered) if registered else _day(created),
        )
        self.cases[n] = self.kernel.store.insert(case)


INVESTIGATING = ["UNDER_INVESTIGATION"]
TRIAL = ["REPORT_UNDER_SCRUTINY", "FILED_IN_COURT", "COGNIZANCE_TAKEN", "PRE_CHARGE"]


@pytest.fixture
def province(kernel: Kernel) -> Province:
    create_district(kernel, SYSTEM, "KHI-S", "Karachi South")
    create_district(kernel, SYSTEM, "HYD", "Hyderabad")
    p = Province(kernel)
    p.user("pg", "Prosecutor General", "prosecutor_general", None)
    p.user("dpp", "DPP South", "district_public_prosecutor", "KHI-S")
    p.user("sup", "Supervisor South", "supervisor", "KHI-S")
    p.user("dpp.hyd", "DPP Hyderabad", "district_public_prosecutor", "HYD")
    p.user("clerk", "Clerk South", "clerk", "KHI-S")
    p.user("trainer", "Trainer", "trainer", None)
    p.user("admin", "Admin", "admin", None)
    p.user("p1", "Abdul Rahim", "prosecutor", "KHI-S")
    p.user("p2", "Sana Memon", "prosecutor", "KHI-S")
    p.user("p4", "Zafar Idle", "prosecutor", "KHI-S")  # no cases: still on the chart
    p.user("p3", "Imran Qureshi", "prosecutor", "HYD")
    # -- KHI-S, pending
    p.case(1, "KHI-S", [], "2025-06-25")
    p.case(2, "KHI-S", INVESTIGATING, "2025-06-01", lead="p1")  # due 18 June: overdue
    p.case(3, "KHI-S", INVESTIGATING, "2025-06-13", lead="p1")  # due today: not yet
    p.case(4, "KHI-S", INVESTIGATING, "2025-06-12", lead="p2", assisting=("p1",))  # overdue
    p.case(5, "KHI-S", INVESTIGATING, "2025-03-30", labels=("ATA",), lead="p2")  # ATA overdue
    p.case(6, "KHI-S", INVESTIGATING, "2025-06-10", labels=("ATA", "JIT"))  # ATA: in time
    reinvestigation = ["CANCELLATION_PROPOSED", "UNDER_INVESTIGATION"]
    p.case(7, "KHI-S", reinvestigation, "2025-03-01", lead="p1")  # challan counted as met
    p.case(8, "KHI-S", [*TRIAL, "CHARGE_FRAMED", "PROSECUTION_EVIDENCE"], "2024-09-15", lead="p2")
    p.case(9, "KHI-S", TRIAL, None, created="2023-01-10", lead="p1", assisting=("p2",))
    retrial = [*TRIAL, "DECIDED", "APPEAL_OR_REVISION", "PRE_CHARGE"]
    p.case(14, "KHI-S", retrial, "2024-01-15", lead="p2", outcome="acquitted")
    # -- KHI-S, disposed
    p.case(10, "KHI-S", [*TRIAL, "DECIDED"], "2023-05-01", lead="p1", outcome="convicted")
    p.case(11, "KHI-S", [*TRIAL, "DECIDED"], "2023-06-01", lead="p2", outcome="acquitted")
    appeal = [*TRIAL, "DECIDED", "APPEAL_OR_REVISION", "CLOSED"]
    p.case(12, "KHI-S", appeal, "2022-02-01", outcome="partly_convicted")
    p.case(13, "KHI-S", ["CANCELLATION_PROPOSED", "CLOSED"], "2024-02-01")  # no outcome
    # -- HYD
    p.case(15, "HYD", INVESTIGATING, "2025-05-01", lead="p3")  # overdue
    p.case(16, "HYD", [*TRIAL, "DECIDED"], "2023-01-01", lead="p3", outcome="convicted")
    p.case(17, "HYD", [*TRIAL, "CHARGE_FRAMED", "PROSECUTION_EVIDENCE"], "2025-02-10", lead="p3")
    p.case(
        18,
        "HYD",
        [*TRIAL, "CHARGE_FRAMED", "PROSECUTION_EVIDENCE", "S342_DEFENCE", "ARGUMENTS"],
        "2025-01-20",
        lead="p3",
    )
    return p


def _bars(bars: list[reports.Bar]) -> dict[str, int]:
    return {b.key: b.value for b in bars if b.value}


def test_district_dashboard_for_the_dpp(province: Province) -> None:
    board = reports.dashboard(province.kernel, province.users["dpp"], TODAY)
    assert board.scope == "KHI-S"
    assert board.scope_name == "Karachi South"
    assert _bars(board.by_stage) == {
        "FIR_REGISTERED": 1,
        "UNDER_INVESTIGATION": 6,
        "PRE_CHARGE": 2,
        "PROSECUTION_EVIDENCE": 1,
    }
    assert [b.key for b in board.by_stage] == list(reports.PENDING_STATES)
    assert board.pending == 10
    assert board.disposed == {"DECIDED": 2, "CLOSED": 2}
    # 30 March is exactly 3 months back: still "0-3 months"; case 9 has no FIR date and
    # counts from when its file was opened (January 2023: over 2 years).
    assert [b.value for b in board.age] == [6, 1, 1, 1, 1]
    assert board.age_unknown == 0
    assert {o.rule_id: o.count for o in board.overdue} == {
        "interim_challan": 2,
        "interim_challan_ata": 1,
    }
    assert board.overdue_total == 3
    ordinary = next(o for o in board.overdue if o.rule_id == "interim_challan")
    assert ordinary.registered_before == dt.date(2025, 6, 13)
    assert not board.districts


def test_workload_counts_open_cases_as_lead_and_assisting(province: Province) -> None:
    board = reports.dashboard(province.kernel, province.users["dpp"], TODAY)
    rows = [(w.name, w.lead, w.assisting, w.total) for w in board.workload]
    assert rows == [
        ("Abdul Rahim", 4, 1, 5),
        ("Sana Memon", 4, 1, 5),
        ("Zafar Idle", 0, 0, 0),
    ]
    assert board.unassigned == 2


def test_outcomes_and_conviction_rate(province: Province) -> None:
    board = reports.dashboard(province.kernel, province.users["sup"], TODAY)
    # Case 14's old acquittal (before the retrial) and case 13's cancellation do not count.
    assert _bars(board.outcomes) == {"convicted": 1, "acquitted": 1, "partly_convicted": 1}
    assert (board.decided, board.convicted) == (3, 2)
    assert board.conviction_rate == pytest.approx(2 / 3)


def test_province_dashboard_with_district_breakdown(province: Province) -> None:
    board = reports.dashboard(province.kernel, province.users["pg"], TODAY)
    assert board.scope == "province"
    assert board.pending == 13
    assert [b.value for b in board.age] == [7, 3, 1, 1, 1]
    assert {o.rule_id: o.count for o in board.overdue} == {
        "interim_challan": 3,
        "interim_challan_ata": 1,
    }
    assert (board.decided, board.convicted) == (4, 3)
    assert board.conviction_rate == pytest.approx(0.75)
    rows = {
        d.code: (d.pending, d.overdue_challans, d.decided, d.convicted) for d in board.districts
    }
    assert rows == {"HYD": (3, 1, 1, 1), "KHI-S": (10, 3, 3, 2)}
    assert [d.code for d in board.districts] == ["HYD", "KHI-S"]  # by name
    names = [w.name for w in board.workload]
    assert names[:3] == ["Abdul Rahim", "Sana Memon", "Imran Qureshi"]
    assert "Zafar Idle" in names


def test_pg_can_narrow_to_one_district(province: Province) -> None:
    board = reports.dashboard(province.kernel, province.users["pg"], TODAY, district="HYD")
    assert (board.scope, board.pending, board.overdue_total) == ("HYD", 3, 1)
    assert [(w.name, w.lead) for w in board.workload] == [("Imran Qureshi", 3)]
    assert not board.districts


def test_overdue_challans_agree_with_the_case_page(province: Province) -> None:
    """The date cut-off must say what ``case_deadlines`` says for every single case."""
    flagged: set[str] = set()
    rules = reports.default_rules()
    calendar = default_calendar(TODAY)
    for rule in rules.rules:
        if rule.trigger == reports.CHALLAN_TRIGGER:
            flt, _before = reports.overdue_challan_filter(rule, TODAY, calendar)
            flagged |= {c.id for c in province.kernel.store.find(Case, flt)}
    for n, case in province.cases.items():
        on_page = any(
            d.state == "overdue" and d.deadline.trigger == "fir_registered"
            for d in case_deadlines(case, TODAY)
        )
        assert (case.id in flagged) == on_page, f"case {n}"
    assert {n for n, c in province.cases.items() if c.id in flagged} == {2, 4, 5, 15}


def test_overdue_boundary_follows_the_rule() -> None:
    rules = reports.default_rules()
    calendar = default_calendar(TODAY)
    ordinary = rules.get("interim_challan")
    before = reports.overdue_boundary(ordinary, TODAY, calendar)
    assert (
        ordinary.due(before, calendar) >= TODAY > ordinary.due(before - dt.timedelta(1), calendar)
    )
    ata = rules.get("interim_challan_ata")
    ata_before = reports.overdue_boundary(ata, TODAY, calendar)
    assert ata_before < before  # 30 working days + 3 is longer than 14 + 3 days
    assert ata.due(ata_before, calendar) >= TODAY > ata.due(ata_before - dt.timedelta(1), calendar)


def test_reinvestigation_is_the_only_way_back() -> None:
    """Where the workflow can return to investigation, the dashboard must look at history."""
    assert set(reports.REOPENING_STATES) == {
        "REPORT_UNDER_SCRUTINY",
        "RETURNED_TO_IO",
        "CANCELLATION_PROPOSED",
    }


@pytest.mark.parametrize("who", ["clerk", "trainer", "admin", "p1"])
def test_other_roles_are_refused(province: Province, who: str) -> None:
    assert not reports.can_view_dashboard(province.users[who])
    with pytest.raises(PermissionDenied):
        reports.dashboard(province.kernel, province.users[who], TODAY)


def test_district_roles_see_only_their_district(province: Province) -> None:
    hyd = reports.dashboard(province.kernel, province.users["dpp.hyd"], TODAY)
    assert (hyd.scope, hyd.pending) == ("HYD", 3)
    with pytest.raises(PermissionDenied):
        reports.dashboard(province.kernel, province.users["dpp"], TODAY, district="HYD")
    own = reports.dashboard(province.kernel, province.users["sup"], TODAY, district="KHI-S")
    assert own.pending == 10


def test_an_unknown_district_is_refused_not_shown_as_zeros(province: Province) -> None:
    with pytest.raises(ReportError, match="no district with the code “XYZ”"):
        reports.dashboard(province.kernel, province.users["pg"], TODAY, district="XYZ")


def test_the_dashboard_is_a_fixed_handful_of_queries(province: Province) -> None:
    """Queries do not grow with cases or prosecutors: 5 more cases, the same count."""
    before = reports.dashboard(province.kernel, province.users["pg"], TODAY).queries
    for n in range(30, 35):
        province.case(n, "KHI-S", INVESTIGATING, "2025-06-20", lead="p4")
    after = reports.dashboard(province.kernel, province.users["pg"], TODAY)
    assert after.queries == before <= 25
    assert after.pending == 18


def test_empty_province_has_no_rate(kernel: Kernel) -> None:
    board = reports.dashboard(kernel, SYSTEM, TODAY)
    assert board.pending == board.decided == board.overdue_total == 0
    assert board.conviction_rate is None
    assert [b.value for b in board.age] == [0] * len(reports.AGE_BUCKETS)


@pytest.mark.parametrize("fact", ["labels", "outcome", "forum"])
@pytest.mark.parametrize(
    ("op", "value"),
    [
        ("contains", "ATA"),
        ("not_contains", "ATA"),
        ("equals", "convicted"),
        ("not_equals", "convicted"),
        ("in", ("convicted", "acquitted")),
        ("not_in", ("convicted", "acquitted")),
        ("contains", "convicted"),
    ],
)
def test_rule_conditions_select_what_they_hold_for(kernel: Kernel, fact, op, value) -> None:
    """A rule's store filter picks exactly the cases ``Condition.holds`` says it applies to."""
    from casefiles.deadlines import Condition, Rule

    kinds = [
        ([], None),
        (["ATA"], "convicted"),
        (["ATA", "JIT"], None),
        (["JIT"], "acquitted"),
        ([], "compromised"),
    ]
    cases = []
    for n, (labels, outcome) in enumerate(kinds, start=1):
        cases.append(
            kernel.store.insert(
                Case(
                    title="t",
                    district="KHI-S",
                    fir=FirRef(police_station="Saddar", number=n, year=2025),
                    reference=f"FIR {n}/2025",
                    labels=labels,
                    outcome=outcome,
                )
            )
        )
    rule = Rule("r", "r", "fir_registered", "hard", (), (Condition(fact, op, value),))
    flt = reports.rule_filter(rule)
    chosen = {c.id for c in kernel.store.find(Case, flt)} if flt is not None else set()
    expected = {
        c.id for c in cases if rule.applies({"labels": list(c.labels), "outcome": c.outcome})
    }
    assert chosen == expected
