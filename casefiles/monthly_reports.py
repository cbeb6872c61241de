"""The monthly return, filed by the worker: last month's reports for the province and for
each district, kept as they were made and announced to the people who read them.

Scheduling follows Mizan's one periodic loop (``mizan remind --every 3600``, see
``casefiles.reminders``): each run calls ``queue_monthly_reports``, which from the first
working day of a month on queues one worker job for last month's returns if any are
missing. The job files each missing return once: a return is unique per (month, scope),
so a second run, a second worker or a second machine files nothing twice.

A return is a snapshot: its figures, XLSX and PDF are stored when it is filed and served
as stored, never recomputed when the case records change later.
"""

from __future__ import annotations

import datetime as dt

import mongoengine as me

from casefiles.holidays import working_calendar
from casefiles.kpis import KPIS
from casefiles.report_exports import reports_pdf, reports_xlsx, shown
from casefiles.report_periods import ReportError
from casefiles.report_queries import Report, ReportRequest, build_report
from mizan.accounts.models import District, User
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import SYSTEM, Actor
from mizan.clock import WorkingCalendar, pakistan_now, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.jobs import FINISHED, Job, JobState, update_job
from mizan.kernel import Kernel
from mizan.notifications import notify
from mizan.storage import DuplicateKeyError, Model, NotFoundError

JOB_KIND = "monthly_reports"
TASK = "casefiles.monthly_reports"
PROVINCE = "province"
FILED = _l("The monthly report for %(scope)s, %(month)s, is ready (PDF and XLSX).")
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class MonthlyReport(Model):
    """One filed return: the month, whose it is, its headline figures and its two files."""

    label = "monthly report"
    #: The first day of the month reported on.
    month = me.DateField(required=True)
    #: "province" or a district code.
    scope = me.StringField(required=True)
    scope_name = me.StringField(required=True)
    #: Each KPI's headline as filed: {"kpi", "name", "figure", "value"} (value as printed).
    figures = me.ListField(me.DictField())
    pdf = me.StringField(required=True)
    xlsx = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)

    meta = {
        "collection": "monthly_reports",
        "indexes": [{"fields": ["month", "scope"], "unique": True}, "scope"],
    }

    @property
    def stem(self) -> str:
        return f"mizan-monthly-{self.scope.lower()}-{self.month:%Y-%m}"


def first_working_day(month: dt.date, calendar: WorkingCalendar) -> dt.date:
    day = month.replace(day=1)
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_due(kernel: Kernel, today: dt.date) -> dt.date | None:
    """The month whose returns are due by ``today``: last month, once this month's first
    working day has come (a missed day is caught up on the next run)."""
    calendar = working_calendar(kernel.store, today)
    return previous_month(today) if today >= first_working_day(today, calendar) else None


def _scopes(kernel: Kernel) -> list[tuple[str, str]]:
    districts = kernel.store.find(District, {}, sort=[("name", 1)])
    return [(PROVINCE, _("Sindh (all districts)"))] + [(d.code, d.name) for d in districts]


def missing_scopes(kernel: Kernel, month: dt.date) -> list[tuple[str, str]]:
    filed = {r.scope for r in kernel.store.find(MonthlyReport, {"month": month})}
    return [(code, name) for code, name in _scopes(kernel) if code not in filed]


def queue_monthly_reports(kernel: Kernel, now: dt.datetime | None = None) -> int:
    """The reminder loop's hook: queue last month's job if returns are due and missing and
    no job for them is waiting or running. Returns how many jobs it queued (0 or 1)."""
    from mizan.worker import enqueue

    today = pakistan_today(now or utc_naive_now())
    month = month_due(kernel, today)
    if month is None or not missing_scopes(kernel, month):
        return 0
    store = kernel.store
    key = month.isoformat()
    waiting = store.find(Job, {"kind": JOB_KIND, "subject_id": key})
    if any(j.state not in FINISHED for j in waiting):
        return 0
    job = Job(
        kind=JOB_KIND,
        subject_type="month",
        subject_id=key,
        title=f"Monthly reports {month:%m.%Y}",
        created_by=SYSTEM.user_id,
        created_at=utc_naive_now(),
    )
    with store.transaction():
        store.insert(job)
        store.on_commit(lambda: enqueue(TASK, job.id))
    return 1


def run_monthly_job(kernel: Kernel, job_id: str) -> str:
    """The worker's part: file every missing return of the job's month."""
    store = kernel.store
    job = store.get(Job, job_id)
    if job.finished:
        return job.state
    update_job(store, job_id, state=JobState.RUNNING, stage="reports", attempts=job.attempts + 1)
    try:
        filed = file_monthly_reports(kernel, dt.date.fromisoformat(job.subject_id or ""))
    except Exception as exc:  # one bad month must not stop the loop; the job says why
        update_job(store, job_id, state=JobState.FAILED, stage="failed", error=str(exc)[:500])
        return JobState.FAILED
    update_job(store, job_id, state=JobState.SUCCEEDED, stage="done", done=len(filed))
    return JobState.SUCCEEDED


def _requests(scope: str, month: dt.date) -> list[ReportRequest]:
    """Every KPI for the month: the province by district, a district by prosecutor."""
    slice_ = "district" if scope == PROVINCE else "prosecutor"
    district = "" if scope == PROVINCE else scope
    return [
        ReportRequest(
            kpi=kpi.id, slice=slice_, period="month", start=month.isoformat(), district=district
        )
        for kpi in KPIS
    ]


def _headline(report: Report) -> dict[str, str]:
    column = report.headline
    return {
        "kpi": report.kpi.id,
        "name": str(report.kpi.name),
        "figure": str(column.label),
        "value": shown(column, report.current.total.cells[column.key].value),
    }


def file_monthly_reports(kernel: Kernel, month: dt.date) -> list[MonthlyReport]:
    """File the missing returns of ``month`` (reports as at today), announce each once."""
    month = month.replace(day=1)
    today = pakistan_today()
    at = pakistan_now()
    filed: list[MonthlyReport] = []
    for scope, name in missing_scopes(kernel, month):
        reports = [build_report(kernel, SYSTEM, r, today) for r in _requests(scope, month)]
        title = _("Monthly report: %(scope)s, %(month)s", scope=name, month=f"{month:%m.%Y}")
        record = MonthlyReport(
            month=month,
            scope=scope,
            scope_name=name,
            figures=[_headline(r) for r in reports],
            pdf=kernel.blobs.put_bytes(reports_pdf(title, reports, "Mizan", at)),
            xlsx=kernel.blobs.put_bytes(reports_xlsx(reports)),
            created_at=utc_naive_now(),
        )
        try:
            with kernel.store.transaction():
                kernel.store.insert(record)
        except DuplicateKeyError:
            continue  # filed meanwhile by another worker
        _announce(kernel, record)
        filed.append(record)
    return filed


def _readers(kernel: Kernel, scope: str) -> list[User]:
    """The province's return goes to the Prosecutor General's office; a district's to its
    district public prosecutor and supervisors."""
    if scope == PROVINCE:
        flt: dict[str, object] = {"roles": Role.PROSECUTOR_GENERAL.value, "active": True}
        return kernel.store.find(User, flt)
    roles = [Role.DISTRICT_PUBLIC_PROSECUTOR.value, Role.SUPERVISOR.value]
    return kernel.store.find(User, {"roles": {"$in": roles}, "district": scope, "active": True})


def _announce(kernel: Kernel, record: MonthlyReport) -> None:
    params = {"scope": record.scope_name, "month": f"{record.month:%m.%Y}"}
    for user in _readers(kernel, record.scope):
        notify(
            kernel.store,
            user.id,
            FILED,
            params,
            link=f"/reports/monthly#{record.id}",
            kind="report",
            dedupe=f"monthly:{record.month.isoformat()}:{record.scope}",
        )


# -- reading them ------------------------------------------------------------------------


def _visible_scope(actor: Actor) -> dict[str, object]:
    if actor.has_role("system", Role.PROSECUTOR_GENERAL):
        return {}
    if actor.has_role(Role.DISTRICT_PUBLIC_PROSECUTOR, Role.SUPERVISOR) and actor.district:
        return {"scope": actor.district}
    raise PermissionDenied(
        _("Monthly reports are for district supervisors and the Prosecutor General.")
    )


def monthly_reports(kernel: Kernel, actor: Actor) -> list[MonthlyReport]:
    """The returns ``actor`` may read, newest month first."""
    flt = _visible_scope(actor)
    return kernel.store.find(MonthlyReport, flt, sort=[("month", -1), ("scope", 1)])


def monthly_report_file(
    kernel: Kernel, actor: Actor, report_id: str, fmt: str
) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a filed return, exactly as it was filed."""
    if fmt not in FORMATS:
        raise ReportError(_("Choose PDF or XLSX."))
    flt = _visible_scope(actor)
    try:
        record = kernel.store.get(MonthlyReport, report_id)
    except NotFoundError:
        raise ReportError(_("That monthly report does not exist.")) from None
    if flt and record.scope != flt["scope"]:  # another district's: as if missing, recorded
        kernel.emit(
            DomainEvent(
                "monthly_report.access_denied",
                actor,
                "monthly_report",
                record.id,
                {"scope": record.scope},
                changes_state=False,
            )
        )
        raise ReportError(_("That monthly report does not exist."))
    blob = record.pdf if fmt == "pdf" else record.xlsx
    with kernel.blobs.open(blob) as fh:
        data = fh.read()
    return data, FORMATS[fmt], f"{record.stem}.{fmt}"
