"""Every performance indicator the reports show, defined in one place: what it is called,
what it means in words, and the function that finds the cases (or hearings) behind it.

A KPI turns the records of a period into *facts*: one case or hearing, the table
columns it counts in and, for durations, how many days it took. The report
builder (``casefiles.report_queries``) groups facts by the chosen slice, so every
count in a table is the number of distinct ids behind it, and the drill-down
lists exactly those ids. Rates and medians are worked out from those counts.

Dates: an FIR's date is the Pakistan date it records; a stage change is dated by
the Pakistan day on which it was recorded; a hearing by its Pakistan day.
Indicators the records cannot support are listed in ``UNAVAILABLE`` with the
reason, instead of figures made up from something else.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from casefiles.deadlines import Rule, RuleSet, add_months
from casefiles.hearings import ADJOURNMENT_REASONS
from casefiles.models import CASE_STATES
from casefiles.report_periods import Period
from casefiles.report_rows import ReportCase, ReportHearing
from casefiles.reports import AGE_BUCKETS, CONVICTED_OUTCOMES, DECIDED_STATES, DISPOSED_STATES
from casefiles.schedule import _MET_AT
from mizan.clock import WorkingCalendar, pakistan_wall_time
from mizan.i18n import LazyString
from mizan.i18n import lazy_gettext as _l

# -- offence classes ---------------------------------------------------------------------

#: Offence classes, most serious first: a case is put in the first class any of its
#: offences falls into. PPC ranges are section numbers (the letters of 337-A are ignored).
OFFENCE_CLASSES: dict[str, LazyString] = {
    "terrorism": _l("Terrorism (ATA)"),
    "murder": _l("Murder (qatl, PPC 302–311)"),
    "sexual": _l("Sexual offences (PPC 375–377)"),
    "kidnapping": _l("Kidnapping (PPC 359–374)"),
    "robbery": _l("Robbery and dacoity (PPC 390–402)"),
    "hurt": _l("Attempt and hurt (PPC 324, 332–338)"),
    "arms": _l("Arms (Sindh Arms Act)"),
    "narcotics": _l("Narcotics (CNSA)"),
    "property": _l("Theft, cheating and other property offences"),
    "other": _l("Other or not recorded"),
}
_PPC_RANGES: tuple[tuple[str, Callable[[int], bool]], ...] = (
    ("murder", lambda n: 302 <= n <= 311),
    ("sexual", lambda n: 375 <= n <= 377),
    ("kidnapping", lambda n: 359 <= n <= 374),
    ("robbery", lambda n: 390 <= n <= 402),
    ("hurt", lambda n: n == 324 or 332 <= n <= 338),
    ("property", lambda n: 378 <= n <= 489),
)
_CLASS_ORDER = list(OFFENCE_CLASSES)


def offence_class(case: ReportCase) -> str:
    """The most serious offence class of ``case`` (see ``OFFENCE_CLASSES``)."""
    found = {"terrorism"} if "ATA" in case.labels else set()
    if "SEXUAL_OFFENCE" in case.labels:
        found.add("sexual")
    for offence in case.offences:
        act = (offence.act or "").upper()
        if act == "ATA":
            found.add("terrorism")
        elif act == "CNSA":
            found.add("narcotics")
        elif act in ("SAA", "ARMS", "PAO"):
            found.add("arms")
        elif act == "PPC":
            match = re.match(r"\d+", offence.section or "")
            number = int(match.group()) if match else 0
            found.update(name for name, test in _PPC_RANGES if test(number))
    return next((c for c in _CLASS_ORDER if c in found), "other")


# -- dates of a case ---------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 18)
def pk_day(at: dt.datetime) -> dt.date:
    """The Pakistan day of a stored (naive UTC) time. Remembered: a report asks for the
    same stage change's day once per period (up to 15 of them) and the time-zone
    conversion was the largest share of working out the facts."""
    return pakistan_wall_time(at).date()


def instituted_on(case: ReportCase) -> dt.date | None:
    """The FIR's date, or the day the file was opened where no FIR date was entered."""
    if case.fir and case.fir.registered_on:
        return case.fir.registered_on.date()
    return pk_day(case.created_at) if case.created_at else None


def disposal_days(case: ReportCase) -> list[dt.date]:
    """Days the case left the trial court: decided, or closed without a decision
    (a closing after a decision or an appeal is not a second disposal)."""
    return [
        pk_day(h.at)
        for h in case.history
        if h.to_state == "DECIDED"
        or (h.to_state == "CLOSED" and h.from_state not in ("DECIDED", "APPEAL_OR_REVISION"))
    ]


def decided_on(case: ReportCase) -> dt.date | None:
    """The day of the decision whose outcome the case carries (the latest one)."""
    days = [pk_day(h.at) for h in case.history if h.to_state == "DECIDED"]
    return days[-1] if days else None


def state_on(case: ReportCase, day: dt.date) -> str | None:
    """The stage the case was in at the end of ``day``; None before it was instituted."""
    start = instituted_on(case)
    if start is None or start > day:
        return None
    state = "FIR_REGISTERED"
    for change in case.history:
        if pk_day(change.at) > day:
            break
        state = change.to_state
    return state


def stays(case: ReportCase) -> list[tuple[str, dt.date, dt.date]]:
    """(stage, entered, left) for every stage the case has left, oldest first."""
    start = instituted_on(case)
    if start is None:
        return []
    result, state, entered = [], "FIR_REGISTERED", start
    for change in case.history:
        left = pk_day(change.at)
        result.append((state, entered, left))
        state, entered = change.to_state, left
    return result


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with ``share`` of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


# -- what a KPI produces -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: LazyString
    #: "count" (a number of items, linked to them), "rate" (``of`` = numerator and
    #: denominator column keys), "median"/"p90" (days over the facts of column ``of[0]``).
    kind: str = "count"
    of: tuple[str, ...] = ()
    #: What a count counts: "case" or "hearing".
    item: str = "case"


@dataclass(frozen=True)
class Fact:
    """One case (or hearing) and the columns it counts in."""

    case: ReportCase
    columns: tuple[str, ...]
    hearing: ReportHearing | None = None
    days: float | None = None
    #: The prosecutors it is counted for (default: the hearing's listed prosecutors,
    #: or the case's lead prosecutor).
    prosecutors: tuple[str, ...] | None = None

    @property
    def item_id(self) -> str:
        return self.hearing.id if self.hearing is not None else self.case.id

    def prosecutor_ids(self) -> tuple[str, ...]:
        if self.prosecutors is not None:
            return self.prosecutors
        if self.hearing is not None:
            return tuple(self.hearing.prosecutor_ids)
        return (self.case.lead_prosecutor,) if self.case.lead_prosecutor else ()


@dataclass
class Records:
    """What a KPI reads: the cases and hearings in the viewer's scope, and the rules."""

    cases: list[ReportCase]
    hearings: list[ReportHearing]
    cases_by_id: dict[str, ReportCase]
    today: dt.date
    rules: RuleSet
    calendar: WorkingCalendar
    extra: dict[str, Any] = field(default_factory=dict)
    #: Prosecutors posted to at least one court (``casefiles.assignment.Posting``); the data
    #: quality panel flags pending cases led by anyone else.
    posted: frozenset[str] = frozenset()


Compute = Callable[[Records, Period, str | None], Iterable[Fact]]
#: A store filter selecting (a superset of) the cases that can count from ``start`` on:
#: loading every case of a province is the slow part of a report, so each KPI names the
#: indexed fields that rule most cases out. None: every case in scope.
Prefilter = Callable[[dt.date], dict[str, Any]]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _since(path: str, start: dt.date, margin_days: int = 1) -> dict[str, Any]:
    return {path: {"$gte": _midnight(start - dt.timedelta(days=margin_days))}}


def _changed_since(start: dt.date) -> list[dict[str, Any]]:
    """Cases that may have changed stage since ``start``: every stage change also sets
    ``updated_at`` (``casefiles.service.apply_stage``), so an older one rules it out;
    records without it are kept."""
    return [_since("updated_at", start), {"updated_at": None}]


@dataclass(frozen=True)
class Kpi:
    id: str
    name: LazyString
    definition: LazyString
    columns: tuple[Column, ...]
    compute: Compute
    #: The column the trend chart and the PDF's bar chart show.
    headline: str
    #: Choices of one parameter (e.g. which stage), first is the default.
    variants: dict[str, LazyString] = field(default_factory=dict)
    #: Figures as at today, whatever the period (no comparison or trend).
    timeless: bool = False
    #: What the records cannot tell, said beside the figures.
    caveat: LazyString | None = None
    #: Which cases to load (see ``Prefilter``); None: all of them.
    prefilter: Prefilter | None = None
    #: What it reads: "cases", "hearings" (and only the cases of those) or "both".
    reads: str = "cases"


# -- the indicators ----------------------------------------------------------------------


def _caseflow(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    for case in records.cases:
        columns = []
        if period.contains(instituted_on(case)):
            columns.append("instituted")
        if any(period.contains(day) for day in disposal_days(case)):
            columns.append("disposed")
        if columns:
            yield Fact(case, tuple(columns))


@functools.lru_cache(maxsize=256)
def _band_bounds(on: dt.date) -> tuple[tuple[str, dt.date | None, dt.date | None], ...]:
    """The age bands' date bounds as seen from ``on``: worked out once per day, not once
    per case (month arithmetic was a third of a pendency report's time)."""
    return tuple(
        (
            key,
            add_months(on, -older) if older is not None else None,
            add_months(on, -newer) if newer else None,
        )
        for key, _label, newer, older in AGE_BUCKETS
    )


def _band(instituted: dt.date, on: dt.date) -> str:
    for key, start, end in _band_bounds(on):
        if (start is None or instituted >= start) and (end is None or instituted < end):
            return key
    return AGE_BUCKETS[-1][0]


def _pendency(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    end = min(period.end, records.today)
    for case in records.cases:
        state = state_on(case, end)
        if state is None or state in DISPOSED_STATES:
            continue
        start = instituted_on(case)
        assert start is not None  # state_on returned a stage
        yield Fact(case, ("pending", _band(start, end)))


def _stage_time(records: Records, period: Period, variant: str | None) -> Iterator[Fact]:
    stage = variant or "UNDER_INVESTIGATION"
    for case in records.cases:
        ended = [(entered, left) for s, entered, left in stays(case) if s == stage]
        ended = [(e, left) for e, left in ended if period.contains(left)]
        if ended:
            entered, left = ended[-1]
            yield Fact(case, ("cases",), days=float((left - entered).days))


_OTHER_ENDINGS = ("abated", "transferred", "dormant")


def _outcomes(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    for case in records.cases:
        if case.state not in DECIDED_STATES or not case.outcome:
            continue
        if not period.contains(decided_on(case)):
            continue
        columns = ["decided"]
        if case.outcome in CONVICTED_OUTCOMES:
            columns.append("convicted")
        elif case.outcome in ("acquitted", "compromised"):
            columns.append(case.outcome)
        else:
            columns.append("other")
        yield Fact(case, tuple(columns))


def _rule_facts(case: ReportCase) -> dict[str, object]:
    return {"labels": list(case.labels), "outcome": case.outcome}


def _deadline_fact(due: dt.date, met_on: dt.date | None, records: Records) -> tuple[str, ...]:
    if met_on is not None and met_on <= due:
        return ("due", "met", "settled")
    if due < records.today:
        return ("due", "missed", "settled")
    return ("due", "running")


def _ata_trial(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    rules = [r for r in records.rules.rules if r.trigger == "charge_framed" and r.kind == "kpi"]
    for case in records.cases:
        charged = [pk_day(h.at) for h in case.history if h.to_state == "CHARGE_FRAMED"]
        if not charged:
            continue
        for rule in rules:
            if not rule.applies(_rule_facts(case)):
                continue
            due = rule.due(charged[-1], records.calendar)
            if not period.contains(due):
                continue
            decided = [
                pk_day(h.at)
                for h in case.history
                if h.to_state == "DECIDED" and pk_day(h.at) >= charged[-1]
            ]
            yield Fact(case, _deadline_fact(due, decided[0] if decided else None, records))


def _challan_rules(records: Records) -> list[Rule]:
    return [r for r in records.rules.rules if r.trigger == "fir_registered"]


def challan_met_on(case: ReportCase) -> dt.date | None:
    """The first day the police report reached the prosecution: a challan received, or the
    case moved to a stage that follows one (as the case page counts the deadline met)."""
    days = [pk_day(c.received_at) for c in case.challans if c.received_at]
    days += [pk_day(h.at) for h in case.history if h.to_state in _MET_AT["fir_registered"]]
    return min(days) if days else None


def _challans(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    rules = _challan_rules(records)
    for case in records.cases:
        if not (case.fir and case.fir.registered_on):
            continue
        for rule in rules:
            if not rule.applies(_rule_facts(case)):
                continue
            due = rule.due(case.fir.registered_on.date(), records.calendar)
            if period.contains(due):
                yield Fact(case, _deadline_fact(due, challan_met_on(case), records))


def _adjournments(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    for hearing in records.hearings:
        case = records.cases_by_id.get(hearing.case_id)
        if case is None or not hearing.outcome:
            continue
        if not period.contains(pk_day(hearing.starts_at)):
            continue
        columns = ["with_outcome"]
        if hearing.outcome == "adjourned":
            columns += ["adjourned", f"reason_{hearing.adjournment_reason or 'none'}"]
        yield Fact(case, tuple(columns), hearing=hearing)


def _attendance(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    for hearing in records.hearings:
        case = records.cases_by_id.get(hearing.case_id)
        day = pk_day(hearing.starts_at)
        if case is None or not period.contains(day) or day > records.today:
            continue
        if not hearing.outcome:
            column = "no_outcome"
        elif hearing.adjournment_reason == "prosecutor_absent":
            column = "absent"
        else:
            column = "attended"
        for pid in hearing.prosecutor_ids:
            yield Fact(case, ("listed", column), hearing=hearing, prosecutors=(pid,))


#: A pending case in one stage for longer than this is flagged as stuck.
STUCK_AFTER = dt.timedelta(days=730)


def _data_quality(records: Records, period: Period, _variant: str | None) -> Iterator[Fact]:
    today = records.today
    for case in records.cases:
        columns = []
        was_decided = any(h.to_state == "DECIDED" for h in case.history)
        if case.state in DECIDED_STATES and was_decided and not case.outcome:
            columns.append("no_outcome")
        decided, fir = decided_on(case), instituted_on(case)
        if decided and fir and case.fir and case.fir.registered_on and decided < fir:
            columns.append("decided_before_fir")
        if not (case.fir and case.fir.registered_on):
            columns.append("no_fir_date")
        if case.state not in DISPOSED_STATES:
            since = pk_day(case.history[-1].at) if case.history else fir
            if since is not None and today - since > STUCK_AFTER:
                columns.append("stuck")
            if case.lead_prosecutor and case.lead_prosecutor not in records.posted:
                columns.append("lead_not_posted")
        if columns:
            yield Fact(case, tuple(columns))
    for hearing in records.hearings:
        owner = records.cases_by_id.get(hearing.case_id)
        if owner is not None and not hearing.outcome and pk_day(hearing.starts_at) < today:
            yield Fact(owner, ("hearing_no_outcome",), hearing=hearing)


def _rate(key: str, label: LazyString, numerator: str, denominator: str) -> Column:
    return Column(key, label, "rate", (numerator, denominator))


_DEADLINE_COLUMNS = (
    Column("due", _l("Fell due")),
    Column("met", _l("Met")),
    Column("missed", _l("Missed")),
    Column("running", _l("Still running")),
    Column("settled", _l("Met or missed")),
)

KPIS: tuple[Kpi, ...] = (
    Kpi(
        "caseflow",
        _l("Cases instituted and disposed"),
        _l(
            "Instituted: cases whose FIR is dated in the period (the day the file was opened "
            "where no FIR date was entered). Disposed: cases that left the trial court in the "
            "period, by a decision or by closing without one (e.g. an accepted cancellation "
            "report). Clearance rate: disposed divided by instituted; above 100 per cent the "
            "backlog shrinks."
        ),
        (
            Column("instituted", _l("Instituted")),
            Column("disposed", _l("Disposed")),
            _rate("clearance", _l("Clearance rate"), "disposed", "instituted"),
        ),
        _caseflow,
        headline="disposed",
        # Instituted since the start (FIR date, or the file's creation: both stored no later
        # than the Pakistan day), or disposed at some time.
        prefilter=lambda start: {
            "$or": [
                _since("fir.registered_on", start),
                _since("created_at", start),
                *_changed_since(start),
            ]
        },
    ),
    Kpi(
        "pendency",
        _l("Pendency by age"),
        _l(
            "Cases still pending at the end of the period (or today, if the period has not "
            "ended), by the age of the FIR on that day. A case is pending in every stage "
            "except Decided and Closed; a case in appeal is still pending."
        ),
        (
            Column("pending", _l("Pending")),
            *(Column(key, label) for key, label, _a, _b in AGE_BUCKETS),
        ),
        _pendency,
        headline="pending",
        # Pending now, or disposed (a stage change) since the start.
        prefilter=lambda start: {
            "$or": [{"state": {"$nin": list(DISPOSED_STATES)}}, *_changed_since(start)]
        },
    ),
    Kpi(
        "stage_time",
        _l("Time spent in a stage"),
        _l(
            "For the cases that left the chosen stage in the period: the median and the 90th "
            "percentile (nine in ten took no longer) of the days spent in it, from the day "
            "the case entered the stage (the FIR's date for the first stage) to the day it "
            "moved on. A case that passed through the stage twice counts once, with its "
            "latest stay."
        ),
        (
            Column("cases", _l("Cases")),
            Column("median", _l("Median days"), "median", ("cases",)),
            Column("p90", _l("90th percentile, days"), "p90", ("cases",)),
        ),
        _stage_time,
        headline="median",
        prefilter=lambda start: {"$or": _changed_since(start)},
        variants={s: label for s, label in CASE_STATES.items() if s not in ("DECIDED", "CLOSED")},
    ),
    Kpi(
        "outcomes",
        _l("Conviction rate and outcomes"),
        _l(
            "Cases decided in the period (by the day of the decision) that carry an outcome. "
            "Conviction rate: convicted or partly convicted divided by decided. The shares of "
            "acquittals, compromises (ss.310/345) and other endings (abated, transferred, "
            "dormant) are divided by decided too. A case sent back for retrial counts when it "
            "is decided again."
        ),
        (
            Column("decided", _l("Decided")),
            Column("convicted", _l("Convicted")),
            _rate("conviction_rate", _l("Conviction rate"), "convicted", "decided"),
            Column("acquitted", _l("Acquitted")),
            _rate("acquittal_share", _l("Acquittal share"), "acquitted", "decided"),
            Column("compromised", _l("Compromised")),
            _rate("compromise_share", _l("Compromise share"), "compromised", "decided"),
            Column("other", _l("Other endings")),
        ),
        _outcomes,
        headline="conviction_rate",
        prefilter=lambda start: {
            "state": {"$in": list(DECIDED_STATES)},
            "outcome": {"$ne": None},
            "$or": _changed_since(start),
        },
        caveat=_l(
            "Withdrawals (s.494 CrPC) are not an outcome the case records hold, so no "
            "withdrawal share is shown."
        ),
    ),
    Kpi(
        "ata_trial",
        _l("ATA trials decided within 7 working days"),
        _l(
            "Anti-terrorism cases whose decision target (7 working days from the framing of "
            "the charge, ATA s.19(7), as the deadline rules set it) fell in the period. Met: "
            "decided on or before the target day. Missed: not decided by then. Still running: "
            "the target day is today or later. Compliance: met divided by met and missed."
        ),
        (*_DEADLINE_COLUMNS, _rate("compliance", _l("Compliance"), "met", "settled")),
        _ata_trial,
        headline="compliance",
        prefilter=lambda _start: {"labels": "ATA", "stages": "CHARGE_FRAMED"},
    ),
    Kpi(
        "challans",
        _l("Interim challan deadlines met"),
        _l(
            "Cases whose interim challan (s.173 report) fell due in the period: 14 + 3 days "
            "from the FIR, or 30 working days + 3 days in ATA cases, as the deadline rules "
            "set them. Met: a challan was received, or the case moved past the investigation, "
            "on or before the due day. Compliance: met divided by met and missed."
        ),
        (*_DEADLINE_COLUMNS, _rate("compliance", _l("Compliance"), "met", "settled")),
        _challans,
        headline="compliance",
        # No challan period is longer than 30 working days + 3: four months is a safe margin.
        prefilter=lambda start: _since("fir.registered_on", start, 120),
        caveat=_l(
            "The deadline rules have no period for the final challan, so final challan "
            "deadlines cannot be reported."
        ),
    ),
    Kpi(
        "adjournments",
        _l("Adjournments by reason"),
        _l(
            "Hearings dated in the period whose outcome was recorded, how many were adjourned "
            "and why (the reason chosen when the outcome was recorded)."
        ),
        (
            Column("with_outcome", _l("Hearings with an outcome"), item="hearing"),
            Column("adjourned", _l("Adjourned"), item="hearing"),
            _rate("adjourned_share", _l("Adjourned share"), "adjourned", "with_outcome"),
            *(
                Column(f"reason_{key}", label, item="hearing")
                for key, label in ADJOURNMENT_REASONS.items()
            ),
            Column("reason_none", _l("No reason given"), item="hearing"),
        ),
        _adjournments,
        headline="adjourned",
        reads="hearings",
        caveat=_l(
            "Who sought an adjournment (prosecution, defence or court) is not recorded with "
            "the hearing, so adjournments are shown by reason only."
        ),
    ),
    Kpi(
        "attendance",
        _l("Hearings attended per prosecutor"),
        _l(
            "Hearings dated in the period up to today, counted for each prosecutor listed on "
            "them. Attended: an outcome was recorded and the hearing was not adjourned for "
            "the prosecutor's absence. Absent: adjourned because the prosecutor was absent. "
            "No outcome: nobody has recorded what happened."
        ),
        (
            Column("listed", _l("Listed"), item="hearing"),
            Column("attended", _l("Attended"), item="hearing"),
            Column("absent", _l("Absent"), item="hearing"),
            Column("no_outcome", _l("No outcome recorded"), item="hearing"),
            _rate("attendance_rate", _l("Attendance rate"), "attended", "listed"),
        ),
        _attendance,
        headline="attended",
        reads="hearings",
    ),
    Kpi(
        "data_quality",
        _l("Data quality"),
        _l(
            "Records that skew the figures, as they stand today: decided cases with no "
            "outcome, decisions dated before the FIR, cases with no FIR date, pending cases "
            "that have not changed stage for over two years, pending cases led by a "
            "prosecutor who is not posted to any court, and hearings in the past with no "
            "outcome recorded."
        ),
        (
            Column("no_outcome", _l("Decided, no outcome")),
            Column("decided_before_fir", _l("Decision before FIR")),
            Column("no_fir_date", _l("No FIR date")),
            Column("stuck", _l("Same stage over 2 years")),
            Column("lead_not_posted", _l("Led by a prosecutor with no posting")),
            Column("hearing_no_outcome", _l("Past hearings, no outcome"), item="hearing"),
        ),
        _data_quality,
        headline="hearing_no_outcome",
        timeless=True,
        reads="both",
    ),
)
KPI_BY_ID = {k.id: k for k in KPIS}

#: Indicators of the department's list that the case records cannot (yet) support.
UNAVAILABLE: tuple[tuple[LazyString, LazyString], ...] = (
    (
        _l("Challans scrutinised within the SLA"),
        _l("No time limit for scrutiny is set (the checklist says it is to be confirmed)."),
    ),
    (
        _l("Witness attendance at evidence hearings"),
        _l("Hearings record an outcome and an adjournment reason, not which witnesses came."),
    ),
    (
        _l("Bail applications opposed and granted"),
        _l("Not computed yet: bail matters are recorded, but this report does not read them."),
    ),
    (
        _l("Appeals against acquittal proposed, approved and filed in time"),
        _l("Not computed yet: appeal matters are recorded, but this report does not read them."),
    ),
    (
        _l("Training completed"),
        _l("The learning platform does not yet report completed training to case reports."),
    ),
)
