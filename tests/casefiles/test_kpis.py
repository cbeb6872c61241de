"""Every KPI against figures worked out by hand on the small province of
``report_province`` (read its docstring first: it lists each case and hearing).

The period is June 2025 unless a test says otherwise; today is 30 June 2025.
"""

from __future__ import annotations

import pytest

from casefiles.assignment import Posting
from casefiles.kpis import KPI_BY_ID, KPIS, UNAVAILABLE, offence_class, percentile
from casefiles.models import Case, Offence
from casefiles.report_periods import ReportError
from casefiles.report_queries import (
    TOTAL,
    Report,
    ReportRequest,
    can_view_reports,
    drill_down,
)
from mizan.accounts.roles import Capability, Role, capabilities_of
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.kernel import Kernel
from tests.casefiles.report_province import TODAY, ReportProvince, World, make_world


@pytest.fixture
def world(kernel: Kernel) -> World:
    return make_world(kernel)


def figures(report: Report, table: str = "current", row: str = TOTAL) -> dict:
    found = report.tables[table].row(row)
    assert found is not None, f"no row {row}"
    return {k: c.value for k, c in found.cells.items()}


def refs(report: Report, column: str, row: str = TOTAL, table: str = "current") -> set[str]:
    """The case keys (C1 …) behind a count, read from the case titles."""
    found = report.tables[table].row(row)
    assert found is not None
    ids = found.cells[column].items
    return {c.title.split()[-1] for c in report_cases(ids)}


_KERNEL: list[Kernel] = []


def report_cases(ids: frozenset[str]) -> list[Case]:
    return _KERNEL[0].store.find(Case, {"_id": {"$in": sorted(ids)}})


@pytest.fixture(autouse=True)
def _remember(kernel: Kernel):
    _KERNEL[:] = [kernel]
    yield
    _KERNEL.clear()


# -- cases instituted and disposed -------------------------------------------------------


def test_caseflow_june(world: World) -> None:
    r = world.report(kpi="caseflow")
    # Instituted: FIR dated in June — C1 (5th), C2 (10th), C12 (2nd), C13 (13th). C8 has no
    # FIR date and was opened in 2023.
    assert refs(r, "instituted") == {"C1", "C2", "C12", "C13"}
    # Disposed: decided C3, C4, C5, C6, C11 and closed C12 (from a cancellation). C11's
    # appeal on the 20th is not a second disposal.
    assert refs(r, "disposed") == {"C3", "C4", "C5", "C6", "C11", "C12"}
    assert figures(r) == {"instituted": 4, "disposed": 6, "clearance": 1.5}
    # KHI-S: instituted C1, C2, C13; disposed C3, C4, C6, C11. HYD: C12 | C5, C12.
    assert figures(r, row="KHI-S") == {"instituted": 3, "disposed": 4, "clearance": 4 / 3}
    assert figures(r, row="HYD") == {"instituted": 1, "disposed": 2, "clearance": 2.0}
    # May: C5 instituted (20th), C10 decided (15th).
    assert figures(r, "previous") == {"instituted": 1, "disposed": 1, "clearance": 1.0}
    # June 2024: C4's FIR (3 June 2024); nothing disposed.
    assert figures(r, "last_year") == {"instituted": 1, "disposed": 0, "clearance": 0.0}


def test_trend_ends_with_the_period_and_counts_each_month(world: World) -> None:
    r = world.report(kpi="caseflow")
    assert [p.period.label for p in r.trend][-3:] == ["04/2025", "05/2025", "06/2025"]
    assert len(r.trend) == 12
    # The headline is "disposed": in April C15 (decided on the 10th; it has no outcome but
    # did leave the court), in May C10, in June six.
    assert [p.value for p in r.trend][-3:] == [1, 1, 6]


# -- pendency ---------------------------------------------------------------------------


def test_pendency_at_the_end_of_june(world: World) -> None:
    r = world.report(kpi="pendency")
    # Pending on 30 June: C1, C2, C13 (June FIRs: 0–3 months), C7 (1 Feb: 3–6), C9
    # (15 Sep 2024: 6–12), C11 (in appeal, 1 Mar 2024: 1–2 years), C8 (opened 2023: over 2).
    assert refs(r, "pending") == {"C1", "C2", "C7", "C8", "C9", "C11", "C13"}
    assert figures(r) == {"pending": 7, "0-3m": 3, "3-6m": 1, "6-12m": 1, "1-2y": 1, "2y+": 1}
    assert figures(r, row="HYD")["pending"] == 1  # C9; C5 decided, C12 closed, C14 decided
    # On 31 May: C3, C11 (1–2 years), C4, C9 (6–12 months), C6, C7 (3–6 months), C5 (filed
    # in court 28 May: 0–3 months), C8. C10 was decided on 15 May; C1, C2, C12, C13 not yet.
    assert figures(r, "previous") == {
        "pending": 8,
        "0-3m": 1,
        "3-6m": 2,
        "6-12m": 2,
        "1-2y": 2,
        "2y+": 1,
    }


# -- time in a stage --------------------------------------------------------------------


def test_time_under_investigation(world: World) -> None:
    assert world.report(kpi="stage_time").variant == "FIR_REGISTERED"  # the first stage
    r = world.report(kpi="stage_time", variant="UNDER_INVESTIGATION")
    # Left the stage in June: C2 (11th → 20th: 9 days), C12 (3rd → 10th: 7 days). C1 is
    # still in it. Median of 7 and 9 is 8; the 90th percentile (nearest rank 2 of 2) is 9.
    assert refs(r, "cases") == {"C2", "C12"}
    assert figures(r) == {"cases": 2, "median": 8, "p90": 9}
    # June 2024: C4 (4 June → 13 June 2024: 9 days).
    assert figures(r, "last_year") == {"cases": 1, "median": 9, "p90": 9}


def test_unknown_stage_is_refused(world: World) -> None:
    with pytest.raises(ReportError, match="stages"):
        world.report(kpi="stage_time", variant="NOPE")


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == 9  # 9 of 10 values are at or below 9
    assert percentile(list(range(1, 12)), 0.9) == 10  # ceil(9.9) = 10th value


# -- outcomes ---------------------------------------------------------------------------


def test_conviction_rate_and_shares(world: World) -> None:
    r = world.report(kpi="outcomes")
    # Decided in June with an outcome: C3, C6 convicted, C11 partly convicted (now in
    # appeal: still its result), C4 acquitted, C5 compromised. C12 was closed, not decided.
    assert refs(r, "decided") == {"C3", "C4", "C5", "C6", "C11"}
    assert refs(r, "convicted") == {"C3", "C6", "C11"}
    assert figures(r) == {
        "decided": 5,
        "convicted": 3,
        "conviction_rate": 0.6,
        "acquitted": 1,
        "acquittal_share": 0.2,
        "compromised": 1,
        "compromise_share": 0.2,
        "other": 0,
    }
    assert figures(r, row="KHI-S")["conviction_rate"] == 0.75  # 3 of C3, C4, C6, C11
    assert figures(r, row="HYD")["conviction_rate"] == 0.0  # C5 compromised
    # May: C10 acquitted. C15 (April) has no outcome and is left out.
    assert figures(r, "previous")["decided"] == 1
    assert figures(r, "previous")["conviction_rate"] == 0.0
    assert figures(r, "last_year")["conviction_rate"] is None  # nothing to divide: "—"


def test_conviction_rate_by_offence_class(world: World) -> None:
    r = world.report(kpi="outcomes", slice="offence")
    # 392 PPC (C3, C11) robbery: both convicted; 302 (C4) murder: acquitted; 489-F (C5)
    # property: compromised; C6 (ATA) terrorism: convicted.
    assert figures(r, row="robbery")["conviction_rate"] == 1.0
    assert figures(r, row="murder")["conviction_rate"] == 0.0
    assert figures(r, row="property")["compromised"] == 1
    assert figures(r, row="terrorism")["convicted"] == 1
    assert {row.key for row in r.current.rows} == {"robbery", "murder", "property", "terrorism"}


def test_offence_classes() -> None:
    def cls(*offences: tuple[str, str], labels: tuple[str, ...] = ()) -> str:
        case = Case(offences=[Offence(act=a, section=s) for s, a in offences], labels=list(labels))
        return offence_class(case)

    assert cls(("302", "PPC"), ("34", "PPC")) == "murder"
    assert cls(("353", "PPC"), ("324", "PPC"), ("23", "SAA")) == "hurt"  # hurt before arms
    assert cls(("337-A", "PPC")) == "hurt"
    assert cls(("365-A", "PPC"), ("7", "ATA")) == "terrorism"
    assert cls(("302", "PPC"), labels=("ATA",)) == "terrorism"
    assert cls(("9", "CNSA")) == "narcotics"
    assert cls(("489-F", "PPC")) == "property"
    assert cls(("376", "PPC")) == "sexual"
    assert cls() == "other"
    assert cls(("1", "XYZ")) == "other"


# -- deadlines ---------------------------------------------------------------------------


def test_ata_seven_day_target(world: World) -> None:
    r = world.report(kpi="ata_trial")
    # C6: charge Mon 2 June, 7 working days → Wed 11 June; decided 10 June: met.
    # C7: charge Mon 16 June → Wed 25 June; undecided on 30 June: missed.
    assert refs(r, "met") == {"C6"}
    assert refs(r, "missed") == {"C7"}
    assert figures(r) == {
        "due": 2,
        "met": 1,
        "missed": 1,
        "running": 0,
        "settled": 2,
        "compliance": 0.5,
    }


def test_interim_challan_deadlines(world: World) -> None:
    r = world.report(kpi="challans")
    # 14 + 3 days from the FIR, due in June: C1 (due 22nd; still investigating: missed), C2
    # (27th; report 20th: met), C5 (FIR 20 May → 6 June; report 25 May: met), C12 (19th;
    # cancellation proposed 10th: met), C13 (FIR 13th → due 30 June = today: still running).
    assert refs(r, "met") == {"C2", "C5", "C12"}
    assert refs(r, "missed") == {"C1"}
    assert refs(r, "running") == {"C13"}
    assert figures(r)["compliance"] == 0.75  # 3 met of 4 settled
    assert figures(r, row="KHI-S")["compliance"] == 0.5  # C2 met, C1 missed
    assert figures(r, row="HYD")["compliance"] == 1.0


# -- hearings ---------------------------------------------------------------------------


def test_adjournments_by_reason(world: World) -> None:
    r = world.report(kpi="adjournments")
    # June hearings with an outcome: H1, H2, H4 adjourned, H3 held (H5 has none).
    f = figures(r)
    assert (f["with_outcome"], f["adjourned"], f["adjourned_share"]) == (4, 3, 0.75)
    assert f["reason_witness_absent"] == 1
    assert f["reason_defence_counsel_absent"] == 1
    assert f["reason_prosecutor_absent"] == 1
    assert f["reason_judge_on_leave"] == 0
    assert figures(r, "previous")["with_outcome"] == 1  # H6 held on 20 May
    assert r.current.columns[0].item == "hearing"
    ids = r.current.total.cells["adjourned"].items
    assert ids == {world.province.hearings[h].id for h in ("H1", "H2", "H4")}


def test_hearings_attended_per_prosecutor(world: World) -> None:
    r = world.report(kpi="attendance", slice="prosecutor")
    p1, p2, p3 = (world.actors[k].user_id for k in ("p1", "p2", "p3"))
    # p1: H1, H2 (outcomes recorded) and H5 (none). p2: H3 held, H5 none. p3: H4, adjourned
    # because the prosecutor was absent. H7 (3 July) has not happened.
    assert figures(r, row=p1) == {
        "listed": 3,
        "attended": 2,
        "absent": 0,
        "no_outcome": 1,
        "attendance_rate": 2 / 3,
    }
    assert figures(r, row=p2)["attended"] == 1
    assert figures(r, row=p3) == {
        "listed": 1,
        "attended": 0,
        "absent": 1,
        "no_outcome": 0,
        "attendance_rate": 0.0,
    }
    # The total counts each hearing once: H1–H5.
    assert figures(r)["listed"] == 5
    assert figures(r)["attended"] == 3


# -- data quality -----------------------------------------------------------------------


def test_data_quality_panel(world: World) -> None:
    r = world.report(kpi="data_quality")
    assert set(r.tables) == {"current"} and r.trend == []
    # C15 decided with no outcome; C14 decided before its FIR; C8 has no FIR date and has
    # not moved since 2023 (over two years); H5 (26 June) has no outcome.
    assert refs(r, "no_outcome") == {"C15"}
    assert refs(r, "decided_before_fir") == {"C14"}
    assert refs(r, "no_fir_date") == {"C8"}
    assert refs(r, "stuck") == {"C8"}
    assert figures(r)["hearing_no_outcome"] == 1
    # Nobody is posted to a court: every pending case with a lead is flagged (C1, C2, C7,
    # C9, C11 in appeal, C13); C8 and C12 have no lead, the others are decided or closed.
    assert refs(r, "lead_not_posted") == {"C1", "C2", "C7", "C9", "C11", "C13"}


def test_data_quality_flags_only_prosecutors_with_no_posting(world: World) -> None:
    p1 = world.actors["p1"].user_id
    world.kernel.store.insert(Posting(user_id=p1, court="ATC-I Karachi", court_key="atc-i"))
    r = world.report(kpi="data_quality")
    # p1 now has a posting: C1 and C13 (p1's pending cases) leave the list.
    assert refs(r, "lead_not_posted") == {"C2", "C7", "C9", "C11"}


# -- scope -------------------------------------------------------------------------------


def test_dpp_sees_their_district_only(world: World) -> None:
    r = world.report("dpp", kpi="caseflow")
    assert r.scope.district == "KHI-S"
    assert [row.key for row in r.current.rows] == ["KHI-S"]
    assert figures(r) == {"instituted": 3, "disposed": 4, "clearance": 4 / 3}
    with pytest.raises(PermissionDenied, match="own district"):
        world.report("dpp", kpi="caseflow", district="HYD")
    with pytest.raises(PermissionDenied, match="own district"):
        world.report("sup", kpi="caseflow", district="HYD")


def test_dpp_may_see_a_prosecutor_of_their_district_but_not_another(world: World) -> None:
    p1, p3 = world.actors["p1"].user_id, world.actors["p3"].user_id
    r = world.report("dpp", kpi="outcomes", prosecutor=p1)
    assert refs(r, "decided") == {"C3", "C6"}
    with pytest.raises(PermissionDenied, match="prosecutors of your own district"):
        world.report("dpp", kpi="outcomes", prosecutor=p3)


def test_prosecutor_sees_only_their_own_figures(world: World) -> None:
    r = world.report("p1", kpi="outcomes")
    # p1 leads C1, C3, C6, C10, C13: C3 and C6 decided in June, both convicted.
    assert figures(r) == {
        "decided": 2,
        "convicted": 2,
        "conviction_rate": 1.0,
        "acquitted": 0,
        "acquittal_share": 0.0,
        "compromised": 0,
        "compromise_share": 0.0,
        "other": 0,
    }
    # Hearings: H5 is counted for p1 only, not for p2 who is listed too.
    a = world.report("p1", kpi="attendance", slice="prosecutor")
    assert [row.key for row in a.current.rows] == [world.actors["p1"].user_id]
    assert figures(a)["listed"] == 3


def test_prosecutor_asking_for_a_colleague_is_refused(world: World) -> None:
    p2 = world.actors["p2"].user_id
    with pytest.raises(PermissionDenied, match="your own figures"):
        world.report("p1", kpi="outcomes", prosecutor=p2)
    with pytest.raises(PermissionDenied, match="your own figures"):
        world.report("p1", kpi="outcomes", district="HYD")


def test_clerk_has_no_reports(world: World) -> None:
    assert not can_view_reports(world.actors["clerk"])
    with pytest.raises(PermissionDenied):
        world.report("clerk", kpi="outcomes")


@pytest.mark.parametrize("role", list(Role))
def test_menu_capability_follows_the_rule(role: Role) -> None:
    actor = Actor(user_id="u", username="u", roles=frozenset({role}), district="KHI-S")
    assert (Capability.VIEW_REPORTS in capabilities_of({role})) == can_view_reports(actor)


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"district": "XYZ"}, "no district"),
        ({"prosecutor": "nobody"}, "no prosecutor"),
        ({"kpi": "nope"}, "no report called"),
        ({"slice": "weather"}, "break the figures down"),
        ({"period": "week"}, "Choose the period"),
        ({"period": "custom", "start": "2025-05-01", "end": "2025-04-01"}, "before the start"),
        ({"period": "custom", "start": "2010-01-01", "end": "2025-01-01"}, "longer than 10"),
        ({"period": "custom", "start": "2025-01-01"}, "both a start date and an end"),
        ({"start": "31/12/2025"}, "not a date"),
    ],
)
def test_bad_input_gets_a_clear_message(world: World, args: dict, message: str) -> None:
    with pytest.raises(ReportError, match=message):
        world.report(**args)


def test_a_clerk_id_is_not_a_prosecutor(world: World) -> None:
    with pytest.raises(ReportError, match="no prosecutor"):
        world.report(prosecutor=world.actors["clerk"].user_id)


# -- drill-down --------------------------------------------------------------------------


@pytest.mark.parametrize("kpi", [k.id for k in KPIS])
def test_every_count_drills_down_to_as_many_items(world: World, kpi: str) -> None:
    r = world.report(kpi=kpi)
    checked = 0
    for name, table in r.tables.items():
        for row in [*table.rows, table.total]:
            for column in table.columns:
                if column.kind != "count":
                    continue
                cell = row.cells[column.key]
                found = drill_down(
                    world.kernel,
                    world.actors["pg"],
                    r.request,
                    TODAY,
                    name,
                    f"{row.key}|{column.key}",
                )
                assert len(found.items) == cell.value, (name, row.key, column.key)
                checked += 1
    assert checked


def test_drill_down_refuses_a_figure_that_is_not_there(world: World) -> None:
    req = ReportRequest(kpi="outcomes", period="month", start="2025-06-01")
    with pytest.raises(ReportError, match="not in the report"):
        drill_down(world.kernel, world.actors["pg"], req, TODAY, "current", "HYD|nope")
    with pytest.raises(ReportError, match="not in the report"):
        drill_down(world.kernel, world.actors["pg"], req, TODAY, "current", "XX|decided")
    with pytest.raises(ReportError, match="not in the report"):
        drill_down(world.kernel, world.actors["pg"], req, TODAY, "current", "*|conviction_rate")


def test_drill_down_keeps_the_scope_check(world: World) -> None:
    req = ReportRequest(kpi="outcomes", period="month", start="2025-06-01", district="HYD")
    with pytest.raises(PermissionDenied):
        drill_down(world.kernel, world.actors["dpp"], req, TODAY, "current", "*|decided")


# -- definitions -------------------------------------------------------------------------


def test_every_kpi_is_defined_in_words() -> None:
    assert len({k.id for k in KPIS}) == len(KPIS)
    for kpi in KPIS:
        assert len(str(kpi.definition)) > 60, kpi.id
        assert kpi.headline in {c.key for c in kpi.columns}, kpi.id
        for column in kpi.columns:
            if column.kind != "count":
                assert set(column.of) <= {c.key for c in kpi.columns}, (kpi.id, column.key)
    assert KPI_BY_ID["outcomes"].caveat is not None  # withdrawals are not recorded
    assert any("Training" in str(name) for name, _why in UNAVAILABLE)


def test_province_helper_is_what_the_tests_assume(world: World) -> None:
    province: ReportProvince = world.province
    assert len(province.cases) == 16 and len(province.hearings) == 7


@pytest.mark.parametrize("kpi", [k.id for k in KPIS])
def test_prefiltered_records_give_the_figures_of_all_records(world: World, kpi: str) -> None:
    """A KPI loads only the cases its prefilter selects; a recount over every case must agree
    in every period the page shows (trend included)."""
    from casefiles.report_queries import Scope, Slicer, build_table, load_records

    k, pg = world.kernel, world.actors["pg"]
    scope = Scope(None, None, "Sindh")
    period = world.report(kpi=kpi).period
    every = load_records(k, pg, scope, TODAY)
    some = load_records(k, pg, scope, TODAY, KPI_BY_ID[kpi], period.trend()[0].start)
    assert len(some.cases) <= len(every.cases)
    if KPI_BY_ID[kpi].prefilter:  # it does rule cases out (C16, decided in 2022, at least)
        assert len(some.cases) < len(every.cases)
    for p in [*period.trend(), period.last_year()]:
        for slice_ in ("district", "prosecutor", "offence"):
            slicer = Slicer(k, slice_, scope)
            full = build_table(KPI_BY_ID[kpi], every, p, None, slicer)
            part = build_table(KPI_BY_ID[kpi], some, p, None, slicer)
            assert part.rows == full.rows and part.total == full.total, (p, slice_)
