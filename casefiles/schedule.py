"""The deadlines of one case, derived from its events each time they are shown.

Nothing is stored, so a corrected date or a changed rule can never leave a stale
deadline behind. A deadline is "met" once the case has moved past the event the
clock waits for (the report reached the prosecutor; the case was decided; an
appeal was filed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from casefiles.calendar import fixed_national_holidays
from casefiles.deadlines import Deadline, RuleSet, status
from casefiles.models import Case
from mizan.clock import WorkingCalendar

#: For each trigger, the stages at which its clocks have been answered.
_MET_AT = {
    "fir_registered": {
        "REPORT_UNDER_SCRUTINY",
        "RETURNED_TO_IO",
        "CANCELLATION_PROPOSED",
        "FILED_IN_COURT",
        "COGNIZANCE_TAKEN",
        "PRE_CHARGE",
        "CHARGE_FRAMED",
        "PROSECUTION_EVIDENCE",
        "S342_DEFENCE",
        "ARGUMENTS",
        "RESERVED",
        "DECIDED",
        "APPEAL_OR_REVISION",
        "CLOSED",
    },
    "charge_framed": {"DECIDED", "APPEAL_OR_REVISION", "CLOSED"},
    # A file closed without appeal: the department chose not to appeal (or the
    # appeal is decided); its limitation clocks no longer call for action.
    "judgment": {"APPEAL_OR_REVISION", "CLOSED"},
}


@dataclass(frozen=True)
class CaseDeadline:
    deadline: Deadline
    #: "met", "overdue", "due_soon" or "pending"
    state: str


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return RuleSet.load()


def default_calendar(today: dt.date) -> WorkingCalendar:
    """Saturday/Sunday weekends and the fixed national holidays around ``today``.

    Islamic holidays move every year and must be entered by an administrator;
    until then the calendar leaves them out (deadlines then err on the early side).
    """
    holidays: dict[dt.date, str] = {}
    for year in range(today.year - 2, today.year + 3):
        holidays.update(fixed_national_holidays(year))
    return WorkingCalendar(holidays=holidays)


def _triggers(case: Case) -> list[tuple[str, dt.date]]:
    events: list[tuple[str, dt.date]] = []
    if case.fir and case.fir.registered_on:
        events.append(("fir_registered", case.fir.registered_on.date()))
    for change in case.history:
        if change.to_state == "CHARGE_FRAMED":
            events.append(("charge_framed", change.at.date()))
        if change.to_state == "DECIDED":
            events.append(("judgment", change.at.date()))
    # A later event of the same kind (a re-trial) replaces the earlier clock.
    latest: dict[str, dt.date] = {}
    for trigger, on in events:
        latest[trigger] = on
    return list(latest.items())


def case_deadlines(
    case: Case,
    today: dt.date,
    rules: RuleSet | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[CaseDeadline]:
    rules = rules or default_rules()
    calendar = calendar or default_calendar(today)
    facts = {"labels": list(case.labels), "outcome": case.outcome}
    visited = {case.state} | {h.to_state for h in case.history}
    result = []
    for trigger, on in _triggers(case):
        for deadline in rules.deadlines_for(trigger, on, facts, calendar):
            met = bool(_MET_AT.get(trigger, set()) & visited)
            result.append(CaseDeadline(deadline, "met" if met else status(deadline, today)))
    return sorted(result, key=lambda d: (d.state == "met", d.deadline.due))
