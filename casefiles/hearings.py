"""Hearings: the model of the court diary of each case, its vocabularies and Pakistan time.

Scheduling and outcomes are in ``hearing_service``, clashes in ``hearing_clashes``,
who sees which hearing in ``hearing_access``, calendars and reminders in
``hearing_calendars``, feed tokens in ``calendar_tokens``, iCal in ``ical`` and
imported cause lists in ``cause_lists``.

Times are stored as naive UTC like every other datetime in the store. People in
Sindh think in Pakistan Standard Time (UTC+5, no daylight saving), so days are
Pakistan days: a calendar day, a cause list or the "same day" of a clash check
runs from midnight to midnight PKT. Callers pass aware datetimes (or naive
UTC); the web layer converts what people type at the edge.

Who sees which hearing follows who sees which case (``casefiles.policy``): the
case policy's filter is translated into a hearing filter, never re-decided here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import mongoengine as me

from mizan.clock import pakistan_today, pakistan_wall_time
from mizan.i18n import lazy_gettext as _l
from mizan.storage import Model

#: A prosecutor cannot be in two courts less than this far apart on the same day.
CLASH_WINDOW = dt.timedelta(hours=1)
#: Courts fix dates months ahead, not years: a date further out is almost surely a typo.
MAX_AHEAD = dt.timedelta(days=2 * 366)
#: Longest stretch one calendar query may cover (the iCalendar feed uses a year and a bit).
MAX_DAYS = 400
#: SQLite turns ``$in`` into an OR chain with a depth limit of 1000; stay well below it.

PURPOSES = {
    "charge": _l("Framing of charge"),
    "evidence": _l("Prosecution evidence"),
    "s342": _l("Statement of accused (s.342)"),
    "arguments": _l("Arguments"),
    "bail": _l("Bail"),
    "remand": _l("Remand"),
    "judgment": _l("Judgment"),
    "other": _l("Other"),
}
OUTCOMES = {
    "held": _l("Held"),
    "adjourned": _l("Adjourned"),
    "not_taken_up": _l("Not taken up"),
}
#: Reasons are counted in the adjournment KPI, so they are a fixed list, not free text.
ADJOURNMENT_REASONS = {
    "witness_absent": _l("Witness absent"),
    "defence_counsel_absent": _l("Defence counsel absent"),
    "judge_on_leave": _l("Judge on leave"),
    "accused_not_produced": _l("Accused not produced"),
    "file_not_received": _l("File not received"),
    "prosecutor_absent": _l("Prosecutor absent"),
    "other": _l("Other"),
}


def to_utc(value: dt.datetime) -> dt.datetime:
    """Naive UTC at minute precision; a naive value is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def court_key(court: str) -> str:
    """Court names are typed by hand: compare them without case or spacing differences."""
    return " ".join(court.split()).casefold()


class Hearing(Model):
    """One listing of a case before a court, and what happened at it."""

    label = "hearing"
    case_id = me.StringField(required=True)
    #: Copied from the case so district-wide calendars need no join.
    district = me.StringField(required=True)
    court = me.StringField(required=True, max_length=120)
    court_key = me.StringField(required=True)
    starts_at = me.DateTimeField(required=True)
    purpose = me.StringField(required=True, choices=list(PURPOSES))
    prosecutor_ids = me.ListField(me.StringField())
    notes = me.StringField(max_length=2000)
    #: Entered after the fact, for the record (allowed to lie in the past).
    recorded_as_history = me.BooleanField(default=False)
    outcome = me.StringField(choices=list(OUTCOMES))
    adjournment_reason = me.StringField(choices=list(ADJOURNMENT_REASONS))
    outcome_note = me.StringField(max_length=2000)
    next_date = me.DateTimeField()
    next_hearing_id = me.StringField()
    previous_hearing_id = me.StringField()
    outcome_by = me.StringField()
    outcome_at = me.DateTimeField()
    created_by = me.StringField()
    created_at = me.DateTimeField()
    updated_at = me.DateTimeField()
    #: The child matter (bail application, appeal …) heard, if not the trial itself.
    matter_id = me.StringField()

    meta = {
        "collection": "hearings",
        "indexes": [
            "case_id",
            "matter_id",
            ("district", "starts_at"),
            ("court_key", "starts_at"),
            "starts_at",
        ],
    }

    @property
    def local_starts_at(self) -> dt.datetime:
        return pakistan_wall_time(self.starts_at)

    @property
    def local_next_date(self) -> dt.datetime | None:
        return pakistan_wall_time(self.next_date) if self.next_date else None

    @property
    def awaiting_outcome(self) -> bool:
        """Its day has come and nobody has recorded what happened."""
        return self.outcome is None and self.local_starts_at.date() <= pakistan_today()


class HearingError(ValueError):
    """Input that cannot be accepted; the message says what to fix."""


class HearingNotFound(LookupError):
    """No such hearing, or one of a case the user may not see (indistinguishable)."""


@dataclass(frozen=True)
class NewHearing:
    #: Aware, or naive UTC.
    starts_at: dt.datetime
    court: str
    purpose: str
    #: None: the case's lead and assisting prosecutors.
    prosecutor_ids: Sequence[str] | None = None
    notes: str = ""
    #: Recording a hearing that already took place (otherwise the past is refused).
    history: bool = False
    #: The child matter heard (see ``casefiles.matters``); None for the trial itself.
    matter_id: str | None = None
