"""Due-soon and overdue deadlines across many cases: "my deadlines" and a district's.

Deadlines are derived from each case's events (``casefiles.schedule``), never
stored. Deriving them for every case of a district would load tens of
thousands of files, so the store first narrows the cases to those that *can*
have a live deadline (``candidate_filter``): cases still under investigation
whose FIR is old enough for a challan clock to be near, ATA trials after
charge, and decided cases whose appeal clocks run. Only those are loaded and
their deadlines computed exactly as the case page computes them, so the list
and the case page never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from casefiles.deadlines import RuleSet
from casefiles.holidays import working_calendar
from casefiles.models import CASE_STATES, Case
from casefiles.reports import INVESTIGATION_STATES, _all, overdue_boundary, rule_filter
from casefiles.schedule import _MET_AT, CaseDeadline, case_deadlines, default_rules
from mizan.accounts.models import User
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import WorkingCalendar
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import Filter

#: Days before the due date from which a deadline counts as due soon (the case page's rule).
DUE_SOON_DAYS = 3
SORTS = ("due", "-due", "case", "district")
STATUSES = ("all", "overdue", "due_soon")


@dataclass(frozen=True)
class DeadlineItem:
    case: Case
    deadline: CaseDeadline

    @property
    def due(self) -> dt.date:
        return self.deadline.deadline.due

    @property
    def state(self) -> str:
        return self.deadline.state


@dataclass(frozen=True)
class DeadlineList:
    items: list[DeadlineItem]
    total: int
    overdue: int
    due_soon: int
    #: For a district list: (user id, name, overdue, due soon) per lead prosecutor.
    by_prosecutor: list[tuple[str | None, str, int, int]] = field(default_factory=list)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def candidate_filter(
    today: dt.date,
    calendar: WorkingCalendar,
    rules: RuleSet | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Filter:
    """Cases that may have a deadline due within ``due_soon_days`` or already overdue."""
    rules = rules or default_rules()
    clauses: list[Filter] = []
    horizon = today + dt.timedelta(days=due_soon_days + 1)
    fir_rules = [r for r in rules.rules if r.trigger == "fir_registered"]
    if fir_rules:
        # A due date before ``horizon`` means the FIR was registered before this boundary.
        latest = max(overdue_boundary(r, horizon, calendar) for r in fir_rules)
        clauses.append(
            {
                "state": {"$in": list(INVESTIGATION_STATES)},
                "fir.registered_on": {"$lt": _midnight(latest)},
                # Never past the investigation: no stage of _MET_AT["fir_registered"].
                "investigation_only": True,
            }
        )
    charge_filters = [rule_filter(r) for r in rules.rules if r.trigger == "charge_framed"]
    charge_rules = [f for f in charge_filters if f is not None]
    if charge_rules:
        open_trial = [
            s
            for s in CASE_STATES
            if s not in _MET_AT["charge_framed"] and s not in INVESTIGATION_STATES
        ]
        applies = charge_rules[0] if len(charge_rules) == 1 else {"$or": charge_rules}
        clauses.append(
            _all(
                {"state": {"$in": open_trial}, "stages": "CHARGE_FRAMED"},
                applies,
            )
        )
    if any(r.trigger == "judgment" for r in rules.rules):
        clauses.append({"state": "DECIDED"})
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def live_deadlines(
    cases: list[Case],
    today: dt.date,
    calendar: WorkingCalendar,
    rules: RuleSet | None = None,
    *,
    status: str = "all",
) -> list[DeadlineItem]:
    """The overdue and due-soon deadlines of ``cases``, as the case page computes them."""
    wanted = {"overdue", "due_soon"} if status == "all" else {status}
    items = []
    for case in cases:
        for d in case_deadlines(case, today, rules, calendar):
            if d.state in wanted:
                items.append(DeadlineItem(case, d))
    return items


def _sorted(items: list[DeadlineItem], sort: str) -> list[DeadlineItem]:
    if sort == "-due":
        return sorted(items, key=lambda i: (i.due, i.case.reference), reverse=True)
    if sort == "case":
        return sorted(items, key=lambda i: (i.case.reference, i.due))
    if sort == "district":
        return sorted(items, key=lambda i: (i.case.district, i.due, i.case.reference))
    return sorted(items, key=lambda i: (i.due, i.case.reference))


def _scope_filter(
    actor: Actor, scope: str, district: str | None, prosecutor: str | None
) -> tuple[Filter, str | None]:
    """The cases a list may cover for ``actor``; PermissionDenied otherwise."""
    if scope == "mine":
        if not actor.has_role(Role.PROSECUTOR):
            raise PermissionDenied(_("Only prosecutors have deadlines of their own."))
        me = actor.user_id
        return {"$or": [{"lead_prosecutor": me}, {"assisting": me}]}, actor.district
    if actor.has_role("system", Role.PROSECUTOR_GENERAL):
        chosen = district or None
    elif actor.has_role(Role.DISTRICT_PUBLIC_PROSECUTOR, Role.SUPERVISOR) and actor.district:
        if district and district != actor.district:
            raise PermissionDenied(_("You can only see the deadlines of your own district."))
        chosen = actor.district
    else:
        raise PermissionDenied(
            _("District deadlines are for the district public prosecutor and supervisors.")
        )
    flt: Filter = {"district": chosen} if chosen else {}
    if prosecutor:
        flt = _all(flt, {"$or": [{"lead_prosecutor": prosecutor}, {"assisting": prosecutor}]})
    return flt, chosen


def deadline_list(
    kernel: Kernel,
    actor: Actor,
    today: dt.date,
    *,
    scope: str = "mine",
    district: str | None = None,
    prosecutor: str | None = None,
    status: str = "all",
    sort: str = "due",
    page: int = 1,
    per_page: int = 25,
) -> DeadlineList:
    """One page of the overdue and due-soon deadlines of a prosecutor or a district."""
    if status not in STATUSES:
        status = "all"
    if sort not in SORTS:
        sort = "due"
    flt, _chosen = _scope_filter(actor, scope, district, prosecutor)
    calendar = working_calendar(kernel.store, today)
    rules = default_rules()
    cases = kernel.store.find(Case, _all(flt, candidate_filter(today, calendar, rules)))
    every = live_deadlines(cases, today, calendar, rules)
    overdue = sum(1 for i in every if i.state == "overdue")
    due_soon = len(every) - overdue
    shown = every if status == "all" else [i for i in every if i.state == status]
    shown = _sorted(shown, sort)
    start = (max(page, 1) - 1) * per_page
    by_prosecutor: list[tuple[str | None, str, int, int]] = []
    if scope != "mine":
        by_prosecutor = _by_prosecutor(kernel, every)
    return DeadlineList(
        items=shown[start : start + per_page],
        total=len(shown),
        overdue=overdue,
        due_soon=due_soon,
        by_prosecutor=by_prosecutor,
    )


def _by_prosecutor(
    kernel: Kernel, items: list[DeadlineItem]
) -> list[tuple[str | None, str, int, int]]:
    counts: dict[str | None, list[int]] = {}
    for item in items:
        row = counts.setdefault(item.case.lead_prosecutor, [0, 0])
        row[0 if item.state == "overdue" else 1] += 1
    ids = [i for i in counts if i]
    names = {u.id: u.full_name for u in kernel.store.find(User, {"_id": {"$in": ids}})}
    rows = [
        (uid, names.get(uid, uid) if uid else _("Not assigned"), o, s)
        for uid, (o, s) in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r[2], -r[3], r[1]))
