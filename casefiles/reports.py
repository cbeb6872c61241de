"""The supervisors' dashboard: pendency, overdue challans, workload and outcomes.

Every figure is a count the store computes (``count`` / ``group_count`` with
filters its indexes can serve), never a loop over cases in Python: at a
province's 100,000+ cases the dashboard must stay a handful of queries. Ages
and overdue challans become date cut-offs computed once from ``today`` and
the deadline rules, so "FIR older than the challan period" is a range filter
rather than a per-case deadline calculation.

Who sees what: the Prosecutor General's office the province (with a
per-district breakdown, and any one district on request); a district public
prosecutor or supervisor their own district. The dashboard reports on a whole
district, never on a personal caseload, so other roles get PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casefiles.deadlines import Condition, Rule, RuleSet, add_months
from casefiles.holidays import working_calendar
from casefiles.models import CASE_STATES, Case
from casefiles.models import DISPOSED_STATES as MODEL_DISPOSED_STATES
from casefiles.report_periods import ReportError
from casefiles.schedule import default_rules
from casefiles.workflow import OUTCOMES, TRANSITIONS
from mizan.accounts.models import District, User
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import Filter

#: The case has left the trial court: decided, or closed (incl. cancellations).
DISPOSED_STATES = MODEL_DISPOSED_STATES
#: Everything else is pending, in workflow order (an appeal is still pending).
PENDING_STATES = tuple(s for s in CASE_STATES if s not in DISPOSED_STATES)
#: States in which a recorded outcome is the case's result. A retrial sends a case
#: back to PRE_CHARGE with its old outcome still set, which must not count.
DECIDED_STATES = ("DECIDED", "APPEAL_OR_REVISION", "CLOSED")
#: Outcomes counted as convictions: a conviction of some accused or on some counts is one.
CONVICTED_OUTCOMES = ("convicted", "partly_convicted")
#: The investigation has not yet produced its report (the interim challan clock runs).
INVESTIGATION_STATES = ("FIR_REGISTERED", "UNDER_INVESTIGATION")
#: The event whose clocks are the challan deadlines (see deadline_rules.toml).
CHALLAN_TRIGGER = "fir_registered"

#: Pendency age buckets: (key, label, from, to) in months before today; None is open.
AGE_BUCKETS: tuple[tuple[str, Any, int | None, int | None], ...] = (
    ("0-3m", _l("0–3 months"), 0, 3),
    ("3-6m", _l("3–6 months"), 3, 6),
    ("6-12m", _l("6–12 months"), 6, 12),
    ("1-2y", _l("1–2 years"), 12, 24),
    ("2y+", _l("Over 2 years"), 24, None),
)

_DASHBOARD_ROLES = (Role.PROSECUTOR_GENERAL, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.SUPERVISOR)


def _reopening_states() -> tuple[str, ...]:
    """Stages past the investigation from which the workflow leads back into it.

    The case page counts the challan as met once the case has *ever* reached
    such a stage (a cancellation report sent back for reinvestigation), so the
    dashboard must exclude those cases too, or the two would disagree.
    """
    back = set(INVESTIGATION_STATES)
    changed = True
    while changed:
        changed = False
        for t in TRANSITIONS:
            if t.target in back and t.source not in back:
                back.add(t.source)
                changed = True
    return tuple(s for s in CASE_STATES if s in back and s not in INVESTIGATION_STATES)


REOPENING_STATES = _reopening_states()


# -- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a stable key, what to call it, and its count."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class OverdueRule:
    """Cases overdue under one challan rule: FIR registered before ``registered_before``."""

    rule_id: str
    label: str
    registered_before: dt.date
    count: int
    uncertain: bool


@dataclass(frozen=True)
class Workload:
    user_id: str
    name: str
    district: str | None
    lead: int
    assisting: int

    @property
    def total(self) -> int:
        return self.lead + self.assisting


def rate(part: int, whole: int) -> float | None:
    """A share, or None when there is nothing to divide (shown as "—", not 0%)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class DistrictRow:
    code: str
    name: str
    pending: int
    overdue_challans: int
    decided: int
    convicted: int

    @property
    def conviction_rate(self) -> float | None:
        return rate(self.convicted, self.decided)


@dataclass(frozen=True)
class Dashboard:
    #: "province" or a district code
    scope: str
    scope_name: str
    today: dt.date
    #: Pending cases per stage, in workflow order (zeros included, so charts keep their shape).
    by_stage: list[Bar]
    pending: int
    #: DECIDED and CLOSED counts.
    disposed: dict[str, int]
    age: list[Bar]
    #: Pending cases with neither an FIR date nor a creation date.
    age_unknown: int
    overdue: list[OverdueRule]
    workload: list[Workload]
    #: Pending cases with no lead prosecutor.
    unassigned: int
    #: Decided cases per outcome, in the order of ``casefiles.workflow.OUTCOMES``.
    outcomes: list[Bar]
    decided: int
    convicted: int
    districts: list[DistrictRow] = field(default_factory=list)
    #: Number of store queries it took (the scaling promise, checked by tests).
    queries: int = 0
    #: Hearings listed on each of the seven Pakistan days from today (key: ISO date).
    hearings_week: list[Bar] = field(default_factory=list)

    @property
    def hearings_today(self) -> int:
        return self.hearings_week[0].value if self.hearings_week else 0

    @property
    def hearings_week_total(self) -> int:
        return sum(b.value for b in self.hearings_week)

    @property
    def overdue_total(self) -> int:
        return sum(o.count for o in self.overdue)

    @property
    def conviction_rate(self) -> float | None:
        return rate(self.convicted, self.decided)


# -- scope -------------------------------------------------------------------------------


def can_view_dashboard(actor: Actor) -> bool:
    return actor.has_role("system", *_DASHBOARD_ROLES)


def dashboard_scope(actor: Actor, district: str | None = None) -> str | None:
    """The district ``actor`` may report on (None = the province); PermissionDenied otherwise.

    The Prosecutor General may narrow the view to one district; district roles
    see their own district and nothing else.
    """
    if actor.has_role("system", Role.PROSECUTOR_GENERAL):
        return district or None
    if actor.has_role(Role.DISTRICT_PUBLIC_PROSECUTOR, Role.SUPERVISOR) and actor.district:
        if district and district != actor.district:
            raise PermissionDenied(_("You can only see the dashboard of your own district."))
        return actor.district
    raise PermissionDenied(_("The dashboard is for supervisors and the Prosecutor General."))


# -- queries ---------------------------------------------------------------------------


class _Counter:
    """Counts store calls, so tests can hold the dashboard to a fixed number of queries."""

    def __init__(self, kernel: Kernel) -> None:
        self.store = kernel.store
        self.calls = 0

    def count(self, flt: Filter) -> int:
        self.calls += 1
        return self.store.count(Case, flt)

    def group(self, path: str, flt: Filter) -> dict[Any, int]:
        self.calls += 1
        return self.store.group_count(Case, path, flt)

    def find(self, cls: type, flt: Filter) -> list:
        self.calls += 1
        return self.store.find(cls, flt)

    def group_of(self, cls: type, path: str, flt: Filter) -> dict[Any, int]:
        self.calls += 1
        return self.store.group_count(cls, path, flt)


# -- filters -----------------------------------------------------------------------------


def _all(*filters: Mapping[str, Any]) -> Filter:
    """All of ``filters``: one flat document when no field repeats (kinder to the planner)."""
    merged: dict[str, Any] = {}
    for flt in filters:
        if any(k in merged for k in flt):
            return {"$and": [dict(f) for f in filters if f]}
        merged.update(flt)
    return merged


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def age_filter(path: str, start: dt.datetime | None, end: dt.datetime | None) -> Filter:
    """Cases whose date at ``path`` lies in [start, end); None leaves that end open."""
    cond: dict[str, dt.datetime] = {}
    if start is not None:
        cond["$gte"] = start
    if end is not None:
        cond["$lt"] = end
    return {path: cond}


def _age_buckets(q: _Counter, pending: Filter, today: dt.date) -> list[Bar]:
    """Pending cases by age of the FIR, or of the case file where no FIR date was entered.

    Two plain range counts per bucket rather than one ``$or`` of both dates: each
    is a single index range, where an ``$or`` over two fields makes SQLite fetch
    every matching row. The fallback counts run only when some case needs them.
    """
    undated = q.count(_all(pending, {"fir.registered_on": None}))
    bars = []
    for key, label, newer, older in AGE_BUCKETS:
        start = _midnight(add_months(today, -older)) if older is not None else None
        end = _midnight(add_months(today, -newer)) if newer else None
        n = q.count(_all(pending, age_filter("fir.registered_on", start, end)))
        if undated:
            fallback = {"fir.registered_on": None, **age_filter("created_at", start, end)}
            n += q.count(_all(pending, fallback))
        bars.append(Bar(key, str(label), n))
    return bars


def overdue_boundary(rule: Rule, today: dt.date, calendar: Any) -> dt.date:
    """The earliest FIR date whose deadline under ``rule`` has not passed by ``today``.

    ``Rule.due`` never moves backwards as the FIR date moves forwards, so the
    FIRs that are overdue (due date before today) are exactly those registered
    before this date: one range condition instead of a deadline per case.
    """
    day = today
    for _step in range(5000):  # bounded: no rule runs for more than a decade
        previous = day - dt.timedelta(days=1)
        if rule.due(previous, calendar) < today:
            return day
        day = previous
    return day


def _condition_filter(cond: Condition) -> Filter | bool:
    """A store filter for one rule condition, meaning what ``Condition.holds`` means.

    ``casefiles.schedule`` gives the rules two facts: the case's labels (a list)
    and its outcome (one value, or none). Any other fact is absent, so a
    positive test on it is False and a negative one True; True and False here
    mean "every case" and "no case".
    """
    value, op = cond.value, cond.op
    values = list(value) if isinstance(value, tuple) else [value]
    if cond.fact == "labels":
        # ``equals``/``in`` compare the whole list with single values: never true.
        by_op: dict[str, Filter | bool] = {
            "contains": {"labels": value},
            "not_contains": {"labels": {"$ne": value}},
            "equals": False,
            "in": False,
        }
        return by_op.get(op, True)
    if cond.fact == "outcome":
        outcome: dict[str, Filter] = {
            "equals": {"outcome": value},
            "contains": {"outcome": value},
            "in": {"outcome": {"$in": values}},
            "not_equals": {"outcome": {"$ne": value}},
            "not_contains": {"outcome": {"$ne": value}},
            "not_in": {"outcome": {"$nin": values}},
        }
        return outcome[op]
    return op.startswith("not_")


def rule_filter(rule: Rule) -> Filter | None:
    """The cases ``rule`` applies to, or None if it can apply to none."""
    parts: list[Filter] = []
    for cond in rule.conditions:
        result = _condition_filter(cond)
        if result is False:
            return None
        if result is not True:
            parts.append(result)
    return _all(*parts)


def overdue_challan_filter(rule: Rule, today: dt.date, calendar: Any) -> tuple[Filter, dt.date]:
    """Cases still under investigation whose ``rule`` deadline passed before ``today``."""
    applies = rule_filter(rule)
    if applies is None:
        return {"_id": {"$in": []}}, today
    before = overdue_boundary(rule, today, calendar)
    return (
        _all(
            {"state": {"$in": list(INVESTIGATION_STATES)}},
            {"fir.registered_on": {"$lt": _midnight(before)}},
            applies,
            # Never reopened: a case now under investigation that ever left it came back
            # through one of REOPENING_STATES, so this is "history.to_state $nin
            # REOPENING_STATES", kept as an indexed flag (Case.clean) so the count is
            # answered from the index instead of opening each case.
            {"investigation_only": True},
        ),
        before,
    )


# -- the dashboard -----------------------------------------------------------------------


def dashboard(
    kernel: Kernel,
    actor: Actor,
    today: dt.date,
    *,
    district: str | None = None,
    rules: RuleSet | None = None,
) -> Dashboard:
    """All dashboard figures for ``actor``'s scope as of ``today`` (a Pakistan date)."""
    district = dashboard_scope(actor, district)
    q = _Counter(kernel)
    names = {d.code: d.name for d in q.find(District, {})}
    if district and district not in names:
        # Counting a code no district has would show a dashboard of zeros as if it were real.
        raise ReportError(_("There is no district with the code “%(code)s”.", code=district))
    scope: Filter = {"district": district} if district else {}
    pending_f = _all(scope, {"state": {"$in": list(PENDING_STATES)}})

    # Naming every state lets SQLite count from the state index alone (a bare group
    # over all cases read every document: 0.5 s at 40,000 cases).
    by_state = q.group("state", _all(scope, {"state": {"$in": list(CASE_STATES)}}))
    by_stage = [Bar(s, str(CASE_STATES[s]), by_state.get(s, 0)) for s in PENDING_STATES]
    pending = sum(b.value for b in by_stage)

    age = _age_buckets(q, pending_f, today)

    rules = rules or default_rules()
    calendar = working_calendar(kernel.store, today)
    overdue: list[OverdueRule] = []
    overdue_by_district: dict[str, int] = {}
    for rule in rules.rules:
        if rule.trigger != CHALLAN_TRIGGER:
            continue
        flt, before = overdue_challan_filter(rule, today, calendar)
        per_district = q.group("district", _all(scope, flt))
        for code, n in per_district.items():
            overdue_by_district[code] = overdue_by_district.get(code, 0) + n
        overdue.append(
            OverdueRule(rule.id, rule.label, before, sum(per_district.values()), rule.uncertain)
        )

    leads = q.group("lead_prosecutor", pending_f)
    # ``open_assisting`` is ``assisting`` while the case is pending: grouped from its
    # index table instead of reading every pending case's list.
    helpers = q.group("open_assisting", scope)
    workload = _workload(q, district, leads, helpers)

    decided_f = _all(scope, {"state": {"$in": list(DECIDED_STATES)}})
    by_outcome = q.group("outcome", decided_f)
    outcomes = [Bar(k, str(v), by_outcome.get(k, 0)) for k, v in OUTCOMES.items()]
    outcomes += [Bar(k, str(k), n) for k, n in by_outcome.items() if k and k not in OUTCOMES]
    decided = sum(b.value for b in outcomes)
    convicted = sum(b.value for b in outcomes if b.key in CONVICTED_OUTCOMES)

    districts = _districts(q, names, overdue_by_district) if district is None else []
    hearings_week = _hearings_week(q, district, today)
    return Dashboard(
        scope=district or "province",
        scope_name=names.get(district, district) if district else _("Sindh (all districts)"),
        today=today,
        by_stage=by_stage,
        pending=pending,
        disposed={s: by_state.get(s, 0) for s in DISPOSED_STATES},
        age=age,
        age_unknown=pending - sum(b.value for b in age),
        overdue=overdue,
        workload=workload,
        unassigned=leads.get(None, 0),
        outcomes=outcomes,
        decided=decided,
        convicted=convicted,
        districts=districts,
        queries=q.calls,
        hearings_week=hearings_week,
    )


def _hearings_week(q: _Counter, district: str | None, today: dt.date) -> list[Bar]:
    """Hearings on each of the seven days from ``today``: one grouped count of their start
    times (courts list a handful of times a day), sorted into Pakistan days here."""
    from casefiles.hearings import Hearing
    from mizan.clock import pakistan_day_bounds, pakistan_wall_time

    start, end = pakistan_day_bounds(today, 7)
    flt: dict[str, Any] = {"starts_at": {"$gte": start, "$lt": end}}
    if district:
        flt["district"] = district
    per_day: dict[dt.date, int] = {}
    for when, n in q.group_of(Hearing, "starts_at", flt).items():
        if isinstance(when, dt.datetime):
            day = pakistan_wall_time(when).date()
            per_day[day] = per_day.get(day, 0) + n
    days = [today + dt.timedelta(days=i) for i in range(7)]
    return [Bar(d.isoformat(), d.strftime("%d.%m"), per_day.get(d, 0)) for d in days]


def _workload(
    q: _Counter, district: str | None, leads: dict[Any, int], helpers: dict[Any, int]
) -> list[Workload]:
    """Open cases per prosecutor, including prosecutors of the scope who have none."""
    staff_f: dict[str, Any] = {"roles": Role.PROSECUTOR.value, "active": True}
    if district:
        staff_f["district"] = district
    people = {u.id: u for u in q.find(User, staff_f)}
    missing = [i for i in {*leads, *helpers} if i and i not in people]
    if missing:
        people.update({u.id: u for u in q.find(User, {"_id": {"$in": missing}})})
    ids = set(people) | {i for i in {*leads, *helpers} if i}
    rows = [
        Workload(
            user_id=i,
            name=people[i].full_name if i in people else _("Unknown user %(id)s", id=i),
            district=people[i].district if i in people else None,
            lead=leads.get(i, 0),
            assisting=helpers.get(i, 0),
        )
        for i in ids
    ]
    return sorted(rows, key=lambda w: (-w.total, -w.lead, w.name, w.user_id))


def _districts(q: _Counter, names: dict[str, str], overdue: dict[str, int]) -> list[DistrictRow]:
    """The province's breakdown: three grouped counts, whatever the number of districts."""
    pending = q.group("district", {"state": {"$in": list(PENDING_STATES)}})
    decided_f: Filter = {"state": {"$in": list(DECIDED_STATES)}}
    decided = q.group("district", _all(decided_f, {"outcome": {"$ne": None}}))
    convicted = q.group("district", _all(decided_f, {"outcome": {"$in": list(CONVICTED_OUTCOMES)}}))
    codes = sorted(set(names) | set(pending) | set(decided), key=lambda c: names.get(c, c))
    return [
        DistrictRow(
            code=code,
            name=names.get(code, code),
            pending=pending.get(code, 0),
            overdue_challans=overdue.get(code, 0),
            decided=decided.get(code, 0),
            convicted=convicted.get(code, 0),
        )
        for code in codes
    ]
