"""The reminder run: notify prosecutors of deadlines due soon or just missed, and of
tomorrow's hearings.

Run by ``mizan remind`` (once, e.g. from cron or a systemd timer) or
``mizan remind --every 3600`` (a loop; ``scripts/run.sh`` starts one next to the
worker). Why not Celery beat or a self-rescheduling task: beat is one more
process with a schedule file to keep, and a task that re-queues itself on a
durable broker multiplies with every worker restart. A plain command is
testable, works the same with the embedded store and with servers, and is safe
to run from several machines at once: every notification carries a dedupe key
naming the fact it announces (case, rule, due date, state; or hearing and
time), so a second run — or a second machine — announces nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from casefiles.deadline_lists import candidate_filter, live_deadlines
from casefiles.hearing_access import case_map
from casefiles.hearings import Hearing
from casefiles.holidays import working_calendar
from casefiles.models import Case
from casefiles.schedule import default_rules
from mizan.clock import pakistan_day_bounds, pakistan_today, pakistan_wall_time, utc_naive_now
from mizan.i18n import LazyString
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify, translated

#: An overdue deadline is announced if it was missed at most this many days ago; older
#: ones stay on the deadline lists (announcing years-old backlogs would drown the rest).
RECENTLY_MISSED_DAYS = 7

DUE_SOON = _l("%(deadline)s in %(case)s is due on %(date)s.")
OVERDUE = _l("%(deadline)s in %(case)s was due on %(date)s and is now overdue.")
HEARING_TOMORROW = _l("Hearing tomorrow at %(time)s in %(court)s: %(case)s.")


@dataclass(frozen=True)
class ReminderRun:
    deadlines: int
    hearings: int

    @property
    def sent(self) -> int:
        return self.deadlines + self.hearings


def send_reminders(kernel: Kernel, now: dt.datetime | None = None) -> ReminderRun:
    """One run; returns how many notifications were sent (repeats send none)."""
    at = now or utc_naive_now()
    today = pakistan_today(at)
    return ReminderRun(_deadline_reminders(kernel, today), _hearing_reminders(kernel, today))


def _deadline_reminders(kernel: Kernel, today: dt.date) -> int:
    store = kernel.store
    calendar = working_calendar(store, today)
    rules = default_rules()
    cases = store.find(Case, candidate_filter(today, calendar, rules))
    sent = 0
    for item in live_deadlines(cases, today, calendar, rules):
        deadline = item.deadline.deadline
        if item.state == "overdue" and (today - deadline.due).days > RECENTLY_MISSED_DAYS:
            continue
        message = OVERDUE if item.state == "overdue" else DUE_SOON
        params = {
            "deadline": translated(deadline.label),
            "case": item.case.reference,
            "date": deadline.due.strftime("%d.%m.%Y"),
        }
        fact = f"deadline:{item.case.id}:{deadline.rule_id}:{deadline.due.isoformat()}:{item.state}"
        link = f"/cases/{item.case.id}#deadlines"
        sent += _announce(kernel, item.case.prosecutors, message, params, link, "deadline", fact)
    return sent


def _announce(
    kernel: Kernel,
    user_ids: Iterable[str],
    message: LazyString,
    params: dict,
    link: str,
    kind: str,
    fact: str,
) -> int:
    """Notify each user of ``fact`` once; returns how many were new."""
    notes = [
        notify(kernel.store, u, message, params, link=link, kind=kind, dedupe=fact)
        for u in user_ids
    ]
    return sum(n is not None for n in notes)


def _hearing_reminders(kernel: Kernel, today: dt.date) -> int:
    store = kernel.store
    start, end = pakistan_day_bounds(today + dt.timedelta(days=1))
    hearings = [
        h
        for h in store.find(Hearing, {"starts_at": {"$gte": start, "$lt": end}})
        if h.outcome is None
    ]
    cases = case_map(store, hearings)
    sent = 0
    for hearing in hearings:
        case = cases.get(hearing.case_id)
        if case is None:
            continue
        params = {
            "time": pakistan_wall_time(hearing.starts_at).strftime("%H:%M"),
            "court": hearing.court,
            "case": case.reference,
        }
        fact = f"hearing:{hearing.id}:{hearing.starts_at.isoformat()}"
        people = sorted(set(hearing.prosecutor_ids) | set(case.prosecutors))
        link = f"/hearings/{hearing.id}"
        sent += _announce(kernel, people, HEARING_TOMORROW, params, link, "hearing", fact)
    return sent
