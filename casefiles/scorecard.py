"""One prosecutor's scorecard: caseload, disposals, outcomes by offence class beside the
district's rate for the same offence mix, deadlines, adjournments, hearings and training.

Who may open it is the reports' rule (``report_scope``): the prosecutor themself,
their district's DPP or supervisor, the Prosecutor General's office. Every count
is a report figure for that prosecutor, so it drills down like any other.

Outcome rates depend on what a prosecutor carries (murder trials convict less
often than narcotics cases), so the comparison is the district's conviction rate
in each offence class, weighted by this prosecutor's decided cases in that class:
the rate an average prosecutor of the district would have had with the same cases.
The district's rates are aggregates of the whole district (no case is listed).

Training completed comes from the learning platform, which sits above this
package: it registers ``Registry.training_completed`` (``fn(kernel, user_id, start,
end) -> int``), reached here through ``kernel.registry``. Without it (a build without
the learning package) the scorecard says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from casefiles.kpis import KPI_BY_ID, OFFENCE_CLASSES
from casefiles.models import Case
from casefiles.report_periods import Period, ReportError
from casefiles.report_queries import (
    TOTAL,
    Report,
    ReportRequest,
    Scope,
    Slicer,
    build_report,
    build_table,
    load_records,
    report_scope,
)
from mizan.accounts.models import User
from mizan.actor import SYSTEM, Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


@dataclass(frozen=True)
class ClassLine:
    key: str
    label: str
    decided: int
    convicted: int
    rate: float | None
    district_rate: float | None


@dataclass(frozen=True)
class Scorecard:
    user_id: str
    name: str
    district: str | None
    period: Period
    reports: dict[str, Report]
    #: Open cases they assist on today (the reports count the lead only).
    assisting_open: int
    classes: list[ClassLine]
    #: Their conviction rate, and the district's for the same offence mix.
    rate: float | None
    expected_rate: float | None
    #: None: the learning platform does not report it (yet).
    training_completed: int | None

    def figure(self, kpi: str, column: str) -> float | None:
        return self.reports[kpi].current.total.cells[column].value


_PARTS = ("pendency", "caseflow", "outcomes", "challans", "ata_trial", "adjournments", "attendance")


def scorecard(
    kernel: Kernel, actor: Actor, user_id: str, request: ReportRequest, today: dt.date
) -> Scorecard:
    """The scorecard of prosecutor ``user_id`` for the request's period, if ``actor`` may see it."""
    report_scope(kernel, actor, prosecutor=user_id)  # refuses before anything is computed
    person = kernel.store.find_one(User, {"_id": user_id})
    if person is None:  # report_scope has checked it exists; a race with deletion
        raise ReportError(_("There is no prosecutor with the id “%(id)s”.", id=user_id))
    base = replace(request, prosecutor=user_id, district="", slice="offence", variant="")
    reports = {
        kpi: build_report(kernel, actor, replace(base, kpi=kpi), today, trend=False)
        for kpi in _PARTS
    }
    outcomes = reports["outcomes"]
    district_rates = _district_rates(kernel, person.district, outcomes.period, today)
    classes = []
    expected_sum, weighted = 0.0, 0
    for row in outcomes.current.rows:
        decided = int(row.cells["decided"].value or 0)
        convicted = int(row.cells["convicted"].value or 0)
        district_rate = district_rates.get(row.key)
        classes.append(
            ClassLine(
                row.key,
                row.label,
                decided,
                convicted,
                row.cells["conviction_rate"].value,
                district_rate,
            )
        )
        if decided and district_rate is not None:
            expected_sum += decided * district_rate
            weighted += decided
    sources = kernel.registry.training_completed
    completed = (
        sum(fn(kernel, user_id, outcomes.period.start, outcomes.period.end) for fn in sources)
        if sources
        else None
    )
    return Scorecard(
        user_id=user_id,
        name=person.full_name,
        district=person.district,
        period=outcomes.period,
        reports=reports,
        assisting_open=kernel.store.count(Case, {"open_assisting": user_id}),
        classes=classes,
        rate=outcomes.current.total.cells["conviction_rate"].value,
        expected_rate=expected_sum / weighted if weighted else None,
        training_completed=completed,
    )


def _district_rates(
    kernel: Kernel, district: str | None, period: Period, today: dt.date
) -> dict[str, float | None]:
    """The district's conviction rate per offence class in ``period`` (aggregates only)."""
    if not district:
        return {}
    scope = Scope(district, None, district)
    kpi = KPI_BY_ID["outcomes"]
    records = load_records(kernel, SYSTEM, scope, today, kpi, period.start)
    table = build_table(kpi, records, period, None, Slicer(kernel, "offence", scope))
    return {row.key: row.cells["conviction_rate"].value for row in table.rows} | {
        TOTAL: table.total.cells["conviction_rate"].value
    }


def offence_label(key: str) -> str:
    return str(OFFENCE_CLASSES.get(key, key))
