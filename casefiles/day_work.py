"""Case files' sections of the start page's "your day" (``mizan.my_day``).

A prosecutor sees today's hearings and the deadlines of their cases that are overdue
or due soon (the deadlines page's rule, ``deadline_lists.DUE_SOON_DAYS``), those still to
be met first; a District
Public Prosecutor sees appeal proposals awaiting their recommendation, the Prosecutor
General those awaiting approval. A prosecutor also sees what the police have not yet
done of what was asked of them (``police_messages``), oldest first.
"""

from __future__ import annotations

import datetime as dt

from casefiles.approvals import AppealApproval
from casefiles.deadline_lists import DeadlineItem, deadline_list
from casefiles.hearing_access import case_map
from casefiles.hearing_calendars import calendar
from casefiles.hearings import PURPOSES
from casefiles.models import Case
from casefiles.police_messages import KINDS, PoliceMessage
from mizan.accounts.roles import Role
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.my_day import SECTION_ITEMS, DayItem, DaySection

#: A prosecutor's live deadlines are a few dozen; all are read to pick the most urgent.
ALL_DEADLINES = 10_000


def hearings_today(kernel: Kernel, actor: Actor, today: dt.date) -> DaySection | None:
    if not actor.has_role(Role.PROSECUTOR):
        return None
    hearings = calendar(kernel, actor, start=today, days=1, prosecutor_id=actor.user_id)
    cases = case_map(kernel.store, hearings)
    items = [
        DayItem(
            title=cases[h.case_id].reference if h.case_id in cases else h.court,
            ref=("hearing", h.id),
            detail=f"{h.court} · {PURPOSES.get(h.purpose, h.purpose)}",
            when=h.starts_at,
        )
        for h in hearings[:SECTION_ITEMS]
    ]
    return DaySection(
        key="hearings",
        title=_l("Hearings today"),
        empty=_l("No hearings today."),
        items=items,
        total=len(hearings),
        more="hearings.index",
        order=10,
    )


def most_urgent(items: list[DeadlineItem]) -> list[DeadlineItem]:
    """What can still be met first (soonest first), then what lapsed most recently: an
    appeal limitation that ran out years ago is not today's work."""
    return sorted(
        items,
        key=lambda i: (
            i.state == "overdue",
            -i.due.toordinal() if i.state == "overdue" else i.due.toordinal(),
        ),
    )


def deadlines_due(kernel: Kernel, actor: Actor, today: dt.date) -> DaySection | None:
    if not actor.has_role(Role.PROSECUTOR):
        return None
    found = deadline_list(kernel, actor, today, scope="mine", per_page=ALL_DEADLINES)
    urgent = most_urgent(found.items)[:SECTION_ITEMS]
    items = [
        DayItem(
            title=item.case.reference,
            ref=("case", item.case.id),
            detail=_(item.deadline.deadline.label),
            when=item.due,
            urgent=item.state == "overdue",
        )
        for item in urgent
    ]
    return DaySection(
        key="deadlines",
        title=_l("Deadlines overdue or due soon"),
        empty=_l("No deadline of your cases is overdue or due soon."),
        items=items,
        total=found.total,
        more="deadlines.index",
        order=20,
    )


def approvals_awaiting(kernel: Kernel, actor: Actor, today: dt.date) -> DaySection | None:
    """Appeal proposals whose next step is this person's."""
    if actor.has_role(Role.PROSECUTOR_GENERAL):
        flt: dict = {"state": "recommended"}
    elif actor.has_role(Role.DISTRICT_PUBLIC_PROSECUTOR) and actor.district:
        flt = {"state": "proposed", "district": actor.district}
    else:
        return None
    waiting = kernel.store.find(AppealApproval, flt, sort=[("created_at", 1)])
    shown = waiting[:SECTION_ITEMS]
    cases = {
        c.id: c
        for c in kernel.store.find(Case, {"_id": {"$in": sorted({a.case_id for a in shown})}})
    }
    items = [
        DayItem(
            title=cases[a.case_id].reference if a.case_id in cases else _("Appeal"),
            ref=("approval", a.id),
            detail=_("Appeal against acquittal proposed"),
            when=a.created_at,
        )
        for a in shown
    ]
    return DaySection(
        key="approvals",
        title=_l("Appeals awaiting your decision"),
        empty=_l("No appeal proposal is waiting for you."),
        items=items,
        total=len(waiting),
        order=40,
    )


def police_answers_awaited(kernel: Kernel, actor: Actor, today: dt.date) -> DaySection | None:
    """Messages to the police about this prosecutor's cases that the police have not yet
    closed (answered every objection, resubmitted, or answered), the longest waiting first."""
    if not actor.has_role(Role.PROSECUTOR):
        return None
    store = kernel.store
    mine = {"$or": [{"lead_prosecutor": actor.user_id}, {"assisting": actor.user_id}]}
    cases = {c.id: c for c in store.find_fields(Case, ["reference"], mine)}
    sent = (
        store.find(PoliceMessage, {"case_id": {"$in": sorted(cases)}}, sort=[("seq", 1)])
        if cases
        else []
    )
    waiting = [m for m in sent if m.closed_at is None]
    items = [
        DayItem(
            title=cases[m.case_id].reference,
            ref=("case", m.case_id),
            detail=_(
                "%(kind)s · sent to PS %(station)s",
                kind=KINDS[m.kind],
                station=m.police_station,
            ),
            when=m.created_at,
            urgent=m.due_on is not None and m.due_on.date() < today,
        )
        for m in waiting[:SECTION_ITEMS]
    ]
    return DaySection(
        key="police",
        title=_l("Police answers awaited"),
        empty=_l("The police have answered everything asked about your cases."),
        items=items,
        total=len(waiting),
        order=35,
    )
