"""The reports' fast path (only ``CASE_FIELDS`` read, scope and prefilter in the store)
against the plainest recount: every case and hearing loaded whole, filtered in Python.

On a seeded synthetic province every cell (its value and the ids behind it) of every
table of every KPI must be equal, for the province and for one district."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bench.bench_cases import Scan, check_agrees
from casefiles.assignment import posted_user_ids
from casefiles.hearing_service import record_outcome, schedule_hearing
from casefiles.hearings import ADJOURNMENT_REASONS, Hearing, NewHearing
from casefiles.hearings import OUTCOMES as HEARING_OUTCOMES
from casefiles.holidays import working_calendar
from casefiles.kpis import KPIS, Records
from casefiles.models import Case, Challan
from casefiles.report_queries import ReportRequest, Scope, Slicer, build_report, build_table
from casefiles.report_rows import ReportCase, ReportHearing
from casefiles.reports import dashboard
from casefiles.scale import seed_scale
from casefiles.schedule import default_rules
from casefiles.service import NewCase, assign, change_stage, create_case
from casefiles.workflow import CANCELLATION_CLASSES, OUTCOMES, allowed_from
from mizan.accounts.models import District, User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM, Actor
from mizan.clock import pakistan_moment
from mizan.kernel import Kernel

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def province(demo: Kernel) -> Kernel:
    seed_scale(demo, 300, seed=20261207, today=TODAY, batch=100)
    # The generator records no challans; give every other recent open case one, so the
    # challan deadline figures depend on them (and on reading them).
    recent = {"state": "FIR_REGISTERED", "fir.registered_on": {"$gte": dt.datetime(2024, 1, 1)}}
    for case in demo.store.find(Case, recent, sort=[("_id", 1)])[::2]:
        fir = case.fir.registered_on
        case.challans.append(
            Challan(kind="interim", submitted_on=fir, received_at=fir + dt.timedelta(days=9))
        )
        demo.store.replace(case)
    return demo


def _plain(kernel: Kernel, district: str | None) -> Records:
    every = kernel.store.find(Case)
    cases = [c for c in every if district is None or c.district == district]
    hearings = [h for h in kernel.store.find(Hearing) if district is None or h.district == district]
    return Records(
        cases=cases,
        hearings=hearings,
        cases_by_id={c.id: c for c in every},
        today=TODAY,
        rules=default_rules(),
        calendar=working_calendar(kernel.store, TODAY),
        posted=posted_user_ids(kernel),
    )


@pytest.mark.parametrize("who", ["pg.sindh", "dpp.south"])
def test_every_report_equals_a_plain_recount(province: Kernel, who: str) -> None:
    actor = actor_for(province.store.find_one(User, {"username": who}))
    district = None if who == "pg.sindh" else actor.district
    plain = _plain(province, district)
    assert len(plain.cases) > 50 and plain.hearings  # a province worth comparing
    compared = 0
    for kpi in KPIS:
        variant = next(iter(kpi.variants)) if kpi.variants else None
        for slice_ in ("district", "prosecutor", "offence", "court"):
            request = ReportRequest(kpi=kpi.id, slice=slice_, period="year")
            report = build_report(province, actor, request, TODAY, trend=False)
            slicer = Slicer(province, slice_, Scope(district, None, ""))
            for name, table in report.tables.items():
                expected = build_table(kpi, plain, table.period, variant, slicer, name)
                assert table.rows == expected.rows, (kpi.id, slice_, name)
                assert table.total == expected.total, (kpi.id, slice_, name)
                compared += sum(
                    1 for c in table.total.cells.values() if isinstance(c.value, int) and c.value
                )
    assert compared > 20  # the figures compared are not all empty


def test_reports_decode_only_the_fields_they_read(province: Kernel) -> None:
    """The speed comes from not decoding parties (and the rest) of every case, and from
    not building model objects at all."""
    from casefiles.report_queries import load_records

    pg = actor_for(province.store.find_one(User, {"username": "pg.sindh"}))
    records = load_records(province, pg, Scope(None, None, ""), TODAY)
    assert any(c.parties for c in province.store.find(Case))
    assert records.cases and records.hearings
    assert all(type(c) is ReportCase for c in records.cases)
    assert all(type(h) is ReportHearing for h in records.hearings)
    assert not any(hasattr(c, "parties") for c in records.cases)


def _reassign(
    kernel: Kernel, actor: Actor, case: Case, staff: list[str], rng: random.Random
) -> None:
    lead = rng.choice(staff)
    helpers = rng.sample([s for s in staff if s != lead], rng.randint(0, 2))
    assign(
        kernel,
        actor,
        case.id,
        version=case.version,
        lead=lead,
        assisting=helpers,
        reason="rotation",
    )


def _move(kernel: Kernel, actor: Actor, case: Case, rng: random.Random) -> bool:
    options = allowed_from(case.state)
    if not options:
        return False
    move = rng.choice(options)
    change_stage(
        kernel,
        actor,
        case.id,
        version=case.version,
        target=move.target,
        reason="review",
        outcome=rng.choice(sorted(OUTCOMES)) if move.needs_outcome else None,
        cancellation_class=(
            rng.choice(sorted(CANCELLATION_CLASSES)) if move.needs_cancellation_class else None
        ),
    )
    return True


def _hearing(kernel: Kernel, actor: Actor, case: Case, rng: random.Random) -> None:
    """A hearing this month, recorded after the fact with a random outcome (an adjournment
    with its reason lists the next one)."""
    day = TODAY - dt.timedelta(days=rng.randint(1, 25))
    heard = schedule_hearing(
        kernel,
        actor,
        case.id,
        NewHearing(pakistan_moment(day, dt.time(10)), "Sessions Court", "evidence", history=True),
        override_clash=True,
    )
    outcome = rng.choice(sorted(HEARING_OUTCOMES))
    if rng.random() < 0.2:
        return  # left without an outcome: the data quality panel counts it
    adjourned = outcome == "adjourned"
    record_outcome(
        kernel,
        actor,
        heard.id,
        heard.version,
        outcome,
        rng.choice(sorted(ADJOURNMENT_REASONS)) if adjourned else None,
        day + dt.timedelta(days=14) if adjourned else None,
        note="recorded for the recount",
        override_clash=True,
    )


def _random_changes(kernel: Kernel, actor: Actor, rng: random.Random, steps: int) -> int:
    """Moves along the workflow (decisions with random outcomes, cancellations, appeals,
    retrials), reassignments, hearings with their outcomes and new cases, through the
    services as a DPP's office would make them."""
    ids = [c.id for c in kernel.store.find(Case, {}, sort=[("_id", 1)])]
    staff = sorted(u.id for u in kernel.store.find(User, {"roles": "prosecutor", "active": True}))
    districts = sorted(d.code for d in kernel.store.find(District, {}))
    done = 0
    for step in range(steps):
        case = kernel.store.get(Case, rng.choice(ids))
        roll = rng.random()
        if roll < 0.1:
            registered = TODAY - dt.timedelta(days=rng.randint(0, 40))
            new = NewCase(
                rng.choice(districts), "Recount PS", 9000 + step, 2025, "State vs X", registered
            )
            ids.append(create_case(kernel, SYSTEM, new).id)  # a clerk's work; the PG may not
        elif roll < 0.3:
            _reassign(kernel, actor, case, staff, rng)
        elif roll < 0.45:
            _hearing(kernel, actor, case, rng)
        elif not _move(kernel, actor, case, rng):
            continue
        done += 1
    return done


def test_figures_stay_equal_to_a_recount_after_random_changes(
    province: Kernel, frozen_clock
) -> None:
    """The reports' prefilters lean on ``updated_at`` and the dashboard on kept flags
    (``investigation_only``, ``open_assisting``): after a random series of changes every
    figure must still be the recount's."""
    frozen_clock.set(dt.datetime(2025, 6, 30, 5, 0, tzinfo=dt.UTC))
    pg = actor_for(province.store.find_one(User, {"username": "pg.sindh"}))
    assert _random_changes(province, pg, random.Random(14), 120) > 80
    plain = _plain(province, None)
    assert any(c.fir.police_station == "Recount PS" for c in plain.cases)
    assert any(h.outcome == "adjourned" and h.starts_at.month == 6 for h in plain.hearings)
    for kpi in KPIS:
        variant = next(iter(kpi.variants)) if kpi.variants else None
        for slice_ in ("district", "prosecutor", "police_station"):
            request = ReportRequest(kpi=kpi.id, slice=slice_, period="month")
            report = build_report(province, pg, request, TODAY, trend=False)
            slicer = Slicer(province, slice_, Scope(None, None, ""))
            for name, table in report.tables.items():
                expected = build_table(kpi, plain, table.period, variant, slicer, name)
                assert (table.rows, table.total) == (expected.rows, expected.total), (
                    kpi.id,
                    slice_,
                    name,
                )
    board = dashboard(province, pg, TODAY)
    assert check_agrees(board, Scan(province).dashboard(None, TODAY, default_rules())) == []
    assert board.decided > 0 and board.overdue_total > 0
