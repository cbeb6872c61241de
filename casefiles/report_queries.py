"""Performance reports: who may see which figures, and the tables behind every page and export.

Scope is decided here, never in a view: the Prosecutor General's office sees the
province (and may narrow it to a district or a prosecutor); a district public
prosecutor or supervisor sees their district and its prosecutors; a prosecutor
sees only their own figures. A request outside that scope is refused outright,
never answered with a partial figure.

A table groups the facts of one KPI (``casefiles.kpis``) by the chosen slice.
Each count is the number of distinct cases (or hearings) behind it, and the
drill-down lists exactly those, so the list's length is the number shown.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from casefiles.assignment import posted_user_ids
from casefiles.hearings import Hearing, court_key
from casefiles.holidays import working_calendar
from casefiles.kpis import (
    KPI_BY_ID,
    KPIS,
    OFFENCE_CLASSES,
    Column,
    Fact,
    Kpi,
    Records,
    offence_class,
    percentile,
)
from casefiles.models import Case
from casefiles.policy import can_view_case
from casefiles.report_periods import Period, ReportError, make_period
from casefiles.report_rows import ReportCase, ReportHearing, report_cases, report_hearings
from casefiles.schedule import default_rules
from mizan.accounts.models import District, User
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import Filter

SLICES = {
    "district": _l("District"),
    "court": _l("Court"),
    "police_station": _l("Police station"),
    "prosecutor": _l("Prosecutor"),
    "offence": _l("Offence class"),
}
#: The three tables of a report page, as named in drill-down links and exports.
TABLES = ("current", "previous", "last_year")
TOTAL = "*"
_PROVINCE_ROLES = ("system", Role.PROSECUTOR_GENERAL)
_DISTRICT_ROLES = (Role.DISTRICT_PUBLIC_PROSECUTOR, Role.SUPERVISOR)
#: SQLite turns ``$in`` into an OR chain with a depth limit: fetch in batches.
_BATCH = 400
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ReportRequest:
    """What the page asked for, as typed (checked by ``build_report``)."""

    kpi: str = "caseflow"
    slice: str = "district"
    period: str = "month"
    start: str = ""
    end: str = ""
    variant: str = ""
    district: str = ""
    prosecutor: str = ""


@dataclass(frozen=True)
class Scope:
    #: None: the whole province.
    district: str | None
    #: Only this prosecutor's figures.
    prosecutor: str | None
    label: str


# -- scope -------------------------------------------------------------------------------


def can_view_reports(actor: Actor) -> bool:
    """The PG's office, district supervisors, and prosecutors (their own figures)."""
    return actor.has_role(*_PROVINCE_ROLES, *_DISTRICT_ROLES, Role.PROSECUTOR)


def report_scope(kernel: Kernel, actor: Actor, district: str = "", prosecutor: str = "") -> Scope:
    """The figures ``actor`` may see for the district/prosecutor asked for.

    Unknown ids are a ReportError; a slice outside the actor's scope is
    PermissionDenied, so nothing of it is ever computed. To anyone who may not see every
    prosecutor, a made-up prosecutor id is refused exactly as a colleague's is, so the
    answer never confirms that an id is someone's.
    """
    if not can_view_reports(actor):
        raise PermissionDenied(
            _("Reports are for prosecutors, supervisors and the Prosecutor General.")
        )
    store = kernel.store
    district = district.strip().upper()
    prosecutor = prosecutor.strip()
    names = {d.code: d.name for d in store.find(District, {})}
    if district and district not in names:
        raise ReportError(_("There is no district with the code “%(code)s”.", code=district))
    person: User | None = None
    own_only = actor.has_role(Role.PROSECUTOR) and not actor.has_role(
        *_PROVINCE_ROLES, *_DISTRICT_ROLES
    )
    if prosecutor:
        if own_only and prosecutor != actor.user_id:
            raise PermissionDenied(_("You can only see your own figures."))
        person = store.find_one(User, {"_id": prosecutor})
        if person is not None and Role.PROSECUTOR.value not in person.roles:
            person = None
        if person is None and not actor.has_role(*_PROVINCE_ROLES):
            raise PermissionDenied(
                _("You can only see the figures of prosecutors of your own district.")
            )
        if person is None:
            raise ReportError(_("There is no prosecutor with the id “%(id)s”.", id=prosecutor))
    if actor.has_role(*_PROVINCE_ROLES):
        chosen = district or None
    elif actor.has_role(*_DISTRICT_ROLES) and actor.district:
        if district and district != actor.district:
            raise PermissionDenied(_("You can only see the reports of your own district."))
        if person is not None and person.district != actor.district:
            raise PermissionDenied(
                _("You can only see the figures of prosecutors of your own district.")
            )
        chosen = actor.district
    elif actor.has_role(Role.PROSECUTOR):
        if district and district != actor.district:
            raise PermissionDenied(_("You can only see your own figures."))
        own = store.find_one(User, {"_id": actor.user_id})
        name = own.full_name if own else actor.username
        return Scope(None, actor.user_id, name)
    else:
        raise PermissionDenied(
            _("Reports are for prosecutors, supervisors and the Prosecutor General.")
        )
    label = names.get(chosen, chosen) if chosen else _("Sindh (all districts)")
    if person is not None:
        return Scope(chosen, person.id, f"{person.full_name} ({label})")
    return Scope(chosen, None, str(label))


# -- the records -------------------------------------------------------------------------


def _fetch_cases(kernel: Kernel, ids: list[str]) -> list[Case]:
    found: list[Case] = []
    for n in range(0, len(ids), _BATCH):
        found += kernel.store.find(Case, {"_id": {"$in": ids[n : n + _BATCH]}})
    return found


def load_records(
    kernel: Kernel,
    actor: Actor,
    scope: Scope,
    today: dt.date,
    kpi: Kpi | None = None,
    since: dt.date | None = None,
) -> Records:
    """The cases and hearings of ``scope`` that ``actor`` may see and ``kpi`` can count
    from ``since`` on (all of them without a KPI)."""
    store = kernel.store
    case_f: dict[str, object] = {}
    hearing_f: dict[str, object] = {}
    if scope.district:
        case_f["district"] = hearing_f["district"] = scope.district
    if scope.prosecutor:
        case_f["lead_prosecutor"] = scope.prosecutor
        hearing_f["prosecutor_ids"] = scope.prosecutor
    reads = kpi.reads if kpi else "both"
    cases: list[ReportCase] = []
    if reads != "hearings":
        flt: Filter = case_f
        if kpi and kpi.prefilter and since:
            flt = {"$and": [case_f, kpi.prefilter(since)]} if case_f else kpi.prefilter(since)
        cases = [c for c in report_cases(store, flt) if can_view_case(actor, c)]
    by_id = {c.id: c for c in cases}
    hearings: list[ReportHearing] = []
    if reads != "cases":
        if since and not (kpi and kpi.timeless):
            hearing_f["starts_at"] = {"$gte": dt.datetime.combine(since, dt.time()) - _DAY}
        hearings = report_hearings(store, hearing_f)
        missing = sorted({h.case_id for h in hearings} - set(by_id))
        fetched: list[ReportCase] = []
        for n in range(0, len(missing), _BATCH):
            fetched += report_cases(store, {"_id": {"$in": missing[n : n + _BATCH]}})
        by_id.update({c.id: c for c in fetched if can_view_case(actor, c)})
        hearings = [h for h in hearings if h.case_id in by_id]
    return Records(
        cases=cases,
        hearings=hearings,
        cases_by_id=by_id,
        today=today,
        rules=default_rules(),
        calendar=working_calendar(store, today),
        posted=posted_user_ids(kernel),
    )


# -- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: float | None
    #: The ids behind a count (cases or hearings); empty for rates and days.
    items: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Table:
    name: str
    period: Period
    columns: tuple[Column, ...]
    rows: list[TableRow]
    total: TableRow

    def row(self, key: str) -> TableRow | None:
        if key == TOTAL:
            return self.total
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class _Group:
    label: str
    items: dict[str, set[str]] = field(default_factory=dict)
    days: dict[str, float] = field(default_factory=dict)

    def add(self, fact: Fact) -> None:
        for column in fact.columns:
            self.items.setdefault(column, set()).add(fact.item_id)
        if fact.days is not None:
            self.days[fact.item_id] = fact.days


class Slicer:
    """The row(s) a fact belongs to under one slice, with readable labels."""

    def __init__(self, kernel: Kernel, slice_: str, scope: Scope) -> None:
        self.kernel, self.slice, self.scope = kernel, slice_, scope
        self.districts = {d.code: d.name for d in kernel.store.find(District, {})}
        self.users: dict[str, str] = {}

    def names_of(self, ids: Iterable[str]) -> None:
        wanted = sorted(set(ids) - set(self.users))
        for n in range(0, len(wanted), _BATCH):
            for user in self.kernel.store.find(User, {"_id": {"$in": wanted[n : n + _BATCH]}}):
                self.users[user.id] = user.full_name

    def keys(self, fact: Fact) -> list[tuple[str, str]]:
        case, hearing = fact.case, fact.hearing
        if self.slice == "district":
            code = hearing.district if hearing is not None else case.district
            return [(code, self.districts.get(code, code))]
        if self.slice == "court":
            court = hearing.court if hearing is not None else ""
            if not court and case.court_cases:
                court = case.court_cases[-1].court
            return [(court_key(court), court) if court else ("", _("No court recorded"))]
        if self.slice == "police_station":
            station = case.fir.police_station if case.fir else ""
            district = self.districts.get(case.district, case.district)
            return [(f"{case.district}/{station}", f"{station} ({district})")]
        if self.slice == "prosecutor":
            ids = fact.prosecutor_ids()
            if self.scope.prosecutor:
                ids = tuple(i for i in ids if i == self.scope.prosecutor)
            if not ids:
                return [("", _("Not assigned"))]
            return [(i, self.users.get(i, i)) for i in ids]
        key = offence_class(case)
        return [(key, str(OFFENCE_CLASSES[key]))]


def _cell(column: Column, group: _Group) -> Cell:
    if column.kind == "count":
        items = frozenset(group.items.get(column.key, ()))
        return Cell(len(items), items)
    if column.kind == "rate":
        numerator, denominator = (len(group.items.get(k, ())) for k in column.of)
        return Cell(numerator / denominator if denominator else None)
    values = [group.days[i] for i in group.items.get(column.of[0], ()) if i in group.days]
    if not values:
        return Cell(None)
    return Cell(statistics.median(values) if column.kind == "median" else percentile(values, 0.9))


def build_table(
    kpi: Kpi,
    records: Records,
    period: Period,
    variant: str | None,
    slicer: Slicer,
    name: str = "current",
) -> Table:
    facts = list(kpi.compute(records, period, variant))
    if slicer.scope.prosecutor:
        facts = [f for f in facts if slicer.scope.prosecutor in f.prosecutor_ids()]
    if slicer.slice == "prosecutor":
        slicer.names_of(i for f in facts for i in f.prosecutor_ids())
    groups: dict[str, _Group] = {}
    total = _Group(_("Total"))
    for fact in facts:
        total.add(fact)
        for key, label in slicer.keys(fact):
            groups.setdefault(key, _Group(label)).add(fact)
    rows = [
        TableRow(key, g.label, {c.key: _cell(c, g) for c in kpi.columns})
        for key, g in sorted(groups.items(), key=lambda kv: (kv[1].label.casefold(), kv[0]))
    ]
    return Table(
        name,
        period,
        kpi.columns,
        rows,
        TableRow(TOTAL, total.label, {c.key: _cell(c, total) for c in kpi.columns}),
    )


# -- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    value: float | None


@dataclass(frozen=True)
class Report:
    kpi: Kpi
    request: ReportRequest
    scope: Scope
    slice: str
    period: Period
    variant: str | None
    tables: dict[str, Table]
    trend: list[TrendPoint]
    today: dt.date

    @property
    def current(self) -> Table:
        return self.tables["current"]

    @property
    def headline(self) -> Column:
        return next(c for c in self.kpi.columns if c.key == self.kpi.headline)

    @property
    def variant_label(self) -> str | None:
        return str(self.kpi.variants[self.variant]) if self.variant else None


def _checked(request: ReportRequest, today: dt.date) -> tuple[Kpi, str, Period, str | None]:
    kpi = KPI_BY_ID.get(request.kpi.strip() or "caseflow")
    if kpi is None:
        raise ReportError(_("There is no report called “%(kpi)s”.", kpi=request.kpi))
    slice_ = request.slice.strip() or "district"
    if slice_ not in SLICES:
        raise ReportError(
            _(
                "Choose how to break the figures down: district, court, police station, "
                "prosecutor or offence."
            )
        )
    period = make_period(request.period, request.start, request.end, today)
    variant: str | None = None
    if kpi.variants:
        variant = request.variant.strip() or next(iter(kpi.variants))
        if variant not in kpi.variants:
            raise ReportError(_("Choose one of the stages listed."))
    return kpi, slice_, period, variant


def build_report(
    kernel: Kernel, actor: Actor, request: ReportRequest, today: dt.date, *, trend: bool = True
) -> Report:
    """Every table of one report page for ``actor`` (checked scope, checked input)."""
    kpi, slice_, period, variant = _checked(request, today)
    scope = report_scope(kernel, actor, request.district, request.prosecutor)
    slicer = Slicer(kernel, slice_, scope)
    periods = {"current": period}
    if not kpi.timeless:
        periods |= {"previous": period.previous(), "last_year": period.last_year()}
    starts = [p.start for p in periods.values()]
    if trend and not kpi.timeless:
        starts += [p.start for p in period.trend()]
    records = load_records(kernel, actor, scope, today, kpi, min(starts))
    tables = {
        name: build_table(kpi, records, p, variant, slicer, name) for name, p in periods.items()
    }
    points: list[TrendPoint] = []
    if trend and not kpi.timeless:
        flat = Slicer(kernel, "district", Scope(scope.district, scope.prosecutor, scope.label))
        for p in period.trend():
            table = (
                tables["current"] if p == period else build_table(kpi, records, p, variant, flat)
            )
            points.append(TrendPoint(p, table.total.cells[kpi.headline].value))
    return Report(kpi, request, scope, slice_, period, variant, tables, points, today)


@dataclass(frozen=True)
class DrillItem:
    case: Case
    hearing: Hearing | None = None


@dataclass(frozen=True)
class DrillDown:
    report: Report
    table: Table
    row: TableRow
    column: Column
    items: list[DrillItem]


def drill_down(
    kernel: Kernel, actor: Actor, request: ReportRequest, today: dt.date, table: str, cell: str
) -> DrillDown:
    """The cases (or hearings) behind one count of a report, under the same scope checks."""
    report = build_report(kernel, actor, request, today, trend=False)
    chosen = report.tables.get(table or "current")
    row_key, _sep, column_key = cell.rpartition("|")
    column = next((c for c in report.kpi.columns if c.key == column_key), None)
    row = chosen.row(row_key) if chosen else None
    if chosen is None or row is None or column is None or column.kind != "count":
        raise ReportError(_("That figure is not in the report (any more); open the report again."))
    ids = sorted(row.cells[column.key].items)
    items: list[DrillItem]
    if column.item == "hearing":
        hearings: list[Hearing] = []
        for n in range(0, len(ids), _BATCH):
            hearings += kernel.store.find(Hearing, {"_id": {"$in": ids[n : n + _BATCH]}})
        cases = {c.id: c for c in _fetch_cases(kernel, sorted({h.case_id for h in hearings}))}
        items = [
            DrillItem(cases[h.case_id], h)
            for h in sorted(hearings, key=lambda h: h.starts_at)
            if h.case_id in cases and can_view_case(actor, cases[h.case_id])
        ]
    else:
        found = _fetch_cases(kernel, ids)
        items = [
            DrillItem(c)
            for c in sorted(found, key=lambda c: c.reference)
            if can_view_case(actor, c)
        ]
    return DrillDown(report, chosen, row, column, items)


def kpi_choices() -> list[Kpi]:
    return list(KPIS)


def filter_for(scope: Scope) -> Filter:
    """The store filter of a scope's cases (used by tests to recount)."""
    flt: dict[str, object] = {}
    if scope.district:
        flt["district"] = scope.district
    if scope.prosecutor:
        flt["lead_prosecutor"] = scope.prosecutor
    return flt


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ReportPage:
    """What the report page shows: the report, or why it could not be made, and the
    districts and prosecutors the viewer may choose from."""

    report: Report | None
    error: str | None
    districts: list[Choice]
    prosecutors: list[Choice]


def report_page(kernel: Kernel, actor: Actor, request: ReportRequest, today: dt.date) -> ReportPage:
    """The page's report; bad input becomes a message beside the form (PermissionDenied
    still refuses the page)."""
    if not can_view_reports(actor):
        raise PermissionDenied(
            _("Reports are for prosecutors, supervisors and the Prosecutor General.")
        )
    store = kernel.store
    districts: list[Choice] = []
    staff: dict[str, object] = {"roles": Role.PROSECUTOR.value}
    if actor.has_role(*_PROVINCE_ROLES):
        districts = [Choice(d.code, d.name) for d in store.find(District, {}, sort=[("name", 1)])]
    elif actor.has_role(*_DISTRICT_ROLES) and actor.district:
        staff["district"] = actor.district
    else:
        staff = {}
    people = store.find(User, staff, sort=[("full_name", 1)]) if staff else []
    prosecutors = [Choice(u.id, u.full_name) for u in people]
    try:
        report = build_report(kernel, actor, request, today)
    except ReportError as exc:
        return ReportPage(None, str(exc), districts, prosecutors)
    return ReportPage(report, None, districts, prosecutors)
