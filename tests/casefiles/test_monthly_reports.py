"""The monthly return on the small province of ``report_province``: due from the first
working day, filed once per scope, kept as filed, announced to its readers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from casefiles.models import Case
from casefiles.monthly_reports import (
    JOB_KIND,
    MonthlyReport,
    file_monthly_reports,
    month_due,
    monthly_report_file,
    monthly_reports,
    queue_monthly_reports,
    run_monthly_job,
)
from casefiles.report_periods import ReportError
from mizan.accounts.service import PermissionDenied
from mizan.jobs import Job
from mizan.kernel import Kernel
from mizan.notifications import Notification
from tests.casefiles.report_province import World, make_world

MAY = dt.date(2025, 5, 1)


@pytest.fixture
def world(kernel: Kernel, frozen_clock) -> World:
    frozen_clock.set(dt.datetime(2025, 6, 30, 5, 0, tzinfo=dt.UTC))  # 30 June 2025, PKT
    return make_world(kernel)


def test_due_from_the_first_working_day(world: World) -> None:
    # 1 June 2025 is a Sunday: May's returns are due on Monday 2 June, not before.
    assert month_due(world.kernel, dt.date(2025, 6, 1)) is None
    assert month_due(world.kernel, dt.date(2025, 6, 2)) == MAY
    assert month_due(world.kernel, dt.date(2025, 6, 30)) == MAY  # a missed day is caught up


def test_one_return_per_scope_filed_once(world: World) -> None:
    filed = file_monthly_reports(world.kernel, MAY)
    assert sorted(r.scope for r in filed) == ["HYD", "KHI-S", "province"]
    assert file_monthly_reports(world.kernel, MAY) == []  # a second run files nothing
    assert world.kernel.store.count(MonthlyReport) == 3


def test_readers_are_told_once(world: World) -> None:
    file_monthly_reports(world.kernel, MAY)
    file_monthly_reports(world.kernel, MAY)
    store = world.kernel.store

    def notes(key: str) -> list[Notification]:
        return store.find(Notification, {"user_id": world.actors[key].user_id, "kind": "report"})

    assert [n.params["scope"] for n in notes("pg")] == ["Sindh (all districts)"]
    assert [n.params["scope"] for n in notes("dpp")] == ["Karachi South"]
    assert notes("p1") == []  # prosecutors get no district return


def test_the_return_is_kept_as_filed(world: World) -> None:
    (province,) = [r for r in file_monthly_reports(world.kernel, MAY) if r.scope == "province"]
    pg = world.actors["pg"]
    before, media, name = monthly_report_file(world.kernel, pg, province.id, "xlsx")
    assert name == "mizan-monthly-province-2025-05.xlsx" and "spreadsheet" in media
    sheet = load_workbook(io.BytesIO(before))["caseflow Period"]
    total = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Total")
    # May 2025: C5's FIR (20 May) is the one instituted; C10 (15 May) the one disposed.
    assert total[1:3] == (1, 1)
    figures = {f["kpi"]: f["value"] for f in province.figures}
    assert figures["caseflow"] == "1"
    # A later change to the records does not alter what was filed.
    c5 = world.province.cases["C5"]
    case = world.kernel.store.get(Case, c5.id)
    case.fir.registered_on = dt.datetime(2025, 4, 20)
    world.kernel.store.replace(case)
    assert monthly_report_file(world.kernel, pg, province.id, "xlsx")[0] == before
    pdf = monthly_report_file(world.kernel, pg, province.id, "pdf")[0]
    assert pdf.startswith(b"%PDF")


def test_district_roles_read_only_their_district(world: World) -> None:
    filed = {r.scope: r for r in file_monthly_reports(world.kernel, MAY)}
    dpp = world.actors["dpp"]
    assert [r.scope for r in monthly_reports(world.kernel, dpp)] == ["KHI-S"]
    with pytest.raises(ReportError, match="does not exist"):
        monthly_report_file(world.kernel, dpp, filed["HYD"].id, "pdf")
    with pytest.raises(PermissionDenied):
        monthly_reports(world.kernel, world.actors["p1"])
    with pytest.raises(ReportError, match="PDF or XLSX"):
        monthly_report_file(world.kernel, dpp, filed["KHI-S"].id, "exe")


def test_the_loop_queues_one_job_and_the_worker_files(world: World) -> None:
    assert queue_monthly_reports(world.kernel) == 1
    assert queue_monthly_reports(world.kernel) == 0  # the job is waiting: not queued twice
    (job,) = world.kernel.store.find(Job, {"kind": JOB_KIND})
    assert job.subject_id == MAY.isoformat()
    assert run_monthly_job(world.kernel, job.id) == "succeeded"
    assert world.kernel.store.count(MonthlyReport) == 3
    assert queue_monthly_reports(world.kernel) == 0  # nothing missing any more
