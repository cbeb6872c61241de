"""A prosecutor's own child matters ("My matters"), each with its limitation date and
next hearing, and the clocks of one matter as its page shows them.

A prosecutor argues bail applications and appeals in cases they may not lead,
so the list is of the matters whose prosecutor they are, not of their cases.
A prosecutor holds tens of matters, not thousands: they are loaded at once,
their clocks derived exactly as the matter page derives them (never stored),
then filtered, sorted and paged in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casefiles.approvals import limitation
from casefiles.hearings import Hearing
from casefiles.holidays import working_calendar
from casefiles.matters import Matter, matter_deadlines
from casefiles.models import Case
from casefiles.schedule import CaseDeadline
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import WorkingCalendar, utc_naive_now
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

__all__ = ["SHOWS", "SORTS", "MatterList", "MatterRow", "matter_clocks", "my_matters"]

#: "live": to be filed, pending, or decided with a clock still running (not yet past its
#: day); "all": every one, withdrawn and long-decided too.
SHOWS = ("live", "all")
#: Earliest limitation first, soonest hearing first, by case, or newest filing first.
SORTS = ("limitation", "hearing", "case", "-filed")
_OPEN_STATES = ("to_file", "pending")
_FAR = dt.date.max


def matter_clocks(
    matter: Matter, case: Case, siblings: list[Matter], today: dt.date, calendar: WorkingCalendar
) -> list[CaseDeadline]:
    """The matter's own clocks; an appeal against acquittal also carries the State's
    limitation date, met once the appeal is filed."""
    found = matter_deadlines(matter, case, siblings, today, calendar=calendar)
    if matter.kind == "appeal_acquittal":
        due = limitation(case, today, calendar)
        if due is not None:
            found.insert(0, CaseDeadline(due.deadline, "met") if matter.filed_on else due)
    return found


@dataclass(frozen=True)
class MatterRow:
    matter: Matter
    case: Case
    #: The earliest clock not yet met (None: no clock runs).
    limitation: CaseDeadline | None
    next_hearing: Hearing | None


@dataclass(frozen=True)
class MatterList:
    rows: list[MatterRow]
    total: int


def _sort_key(sort: str) -> Callable[[MatterRow], tuple[Any, ...]]:
    def limitation_day(row: MatterRow) -> dt.date:
        return row.limitation.deadline.due if row.limitation else _FAR

    def hearing_at(row: MatterRow) -> dt.datetime:
        return row.next_hearing.starts_at if row.next_hearing else dt.datetime.max

    if sort == "hearing":
        return lambda r: (hearing_at(r), limitation_day(r), r.case.reference)
    if sort == "case":
        return lambda r: (r.case.reference, r.matter.created_at or dt.datetime.min)
    if sort == "-filed":  # newest filing first; not yet filed at the end
        return lambda r: (
            r.matter.filed_on is None,
            -(r.matter.filed_on or dt.datetime.min).timestamp(),
        )
    return lambda r: (limitation_day(r), hearing_at(r), r.case.reference)


def my_matters(
    kernel: Kernel,
    actor: Actor,
    today: dt.date,
    *,
    show: str = "live",
    sort: str = "limitation",
    page: int = 1,
    per_page: int = 25,
) -> MatterList:
    """One page of the matters whose prosecutor is `actor`; unknown options fall back."""
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("Only prosecutors have matters of their own."))
    show = show if show in SHOWS else "live"
    sort = sort if sort in SORTS else "limitation"
    store = kernel.store
    mine = store.find(Matter, {"lead_prosecutor": actor.user_id})
    if not mine:
        return MatterList([], 0)
    case_ids = sorted({m.case_id for m in mine})
    cases = {c.id: c for c in store.find(Case, {"_id": {"$in": case_ids}})}
    siblings: dict[str, list[Matter]] = {}
    for m in store.find(Matter, {"case_id": {"$in": case_ids}}):
        siblings.setdefault(m.case_id, []).append(m)
    upcoming: dict[str, Hearing] = {}
    for h in store.find(
        Hearing,
        {"matter_id": {"$in": [m.id for m in mine]}, "starts_at": {"$gte": utc_naive_now()}},
        sort=[("starts_at", 1)],
    ):
        upcoming.setdefault(h.matter_id, h)
    calendar = working_calendar(store, today)
    rows = []
    for m in mine:
        case = cases.get(m.case_id)
        if case is None:
            continue
        clocks = matter_clocks(m, case, siblings.get(m.case_id, []), today, calendar)
        running = sorted((c for c in clocks if c.state != "met"), key=lambda c: c.deadline.due)
        live = m.state in _OPEN_STATES or any(c.state != "overdue" for c in running)
        if show == "live" and not live:
            continue
        rows.append(MatterRow(m, case, running[0] if running else None, upcoming.get(m.id)))
    rows.sort(key=_sort_key(sort))
    start = (max(page, 1) - 1) * per_page
    return MatterList(rows[start : start + per_page], len(rows))
