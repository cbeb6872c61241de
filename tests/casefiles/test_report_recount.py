"""The reports' fast path (only ``CASE_FIELDS`` read, scope and prefilter in the store)
against the plainest recount: every case and hearing loaded whole, filtered in Python.

On a seeded synthetic province every cell (its value and the ids behind it) of every
table of every KPI must be equal, for the province and for one district."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from casefiles.assignment import posted_user_ids
from casefiles.hearings import Hearing
from casefiles.holidays import working_calendar
from casefiles.kpis import KPIS, Records
from casefiles.models import Case, Challan
from casefiles.report_queries import ReportRequest, Scope, Slicer, build_report, build_table
from casefiles.scale import seed_scale
from casefiles.schedule import default_rules
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.kernel import Kernel

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def province(demo: Kernel, monkeypatch: pytest.MonkeyPatch) -> Kernel:
    # Forty accounts at full Argon2 cost would dominate the test; the cost is not under test.
    monkeypatch.setattr(
        "mizan.accounts.passwords._hasher",
        PasswordHasher(time_cost=1, memory_cost=64, parallelism=1),
    )
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
    """The speed comes from not decoding parties (and the rest) of every case."""
    from casefiles.report_queries import load_records

    pg = actor_for(province.store.find_one(User, {"username": "pg.sindh"}))
    records = load_records(province, pg, Scope(None, None, ""), TODAY)
    assert any(c.parties for c in province.store.find(Case))
    assert records.cases and not any(c.parties for c in records.cases)
