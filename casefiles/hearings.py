"""Hearings: the court diary of each case, calendars, cause lists and reminders.

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
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import mongoengine as me

from casefiles.matters import Matter
from casefiles.models import Case
from casefiles.policy import can_view_case, visible_cases_filter
from casefiles.service import (
    CaseError,
    CaseNotFound,
    check_prosecutors,
    ensure_can_edit,
    get_case,
)
from mizan.accounts.models import User
from mizan.accounts.roles import Role
from mizan.actor import Actor
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import DocumentStore, Filter, Model, NotFoundError, StaleWriteError

#: Pakistan Standard Time; Pakistan has kept no daylight saving since 2009.
PKT = dt.timezone(dt.timedelta(hours=5), "PKT")

#: A prosecutor cannot be in two courts less than this far apart on the same day.
CLASH_WINDOW = dt.timedelta(hours=1)
#: Courts fix dates months ahead, not years: a date further out is almost surely a typo.
MAX_AHEAD = dt.timedelta(days=2 * 366)
#: Longest stretch one calendar query may cover (the iCalendar feed uses a year and a bit).
MAX_DAYS = 400
#: SQLite turns ``$in`` into an OR chain with a depth limit of 1000; stay well below it.
_IN_CHUNK = 300

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


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def to_utc(value: dt.datetime) -> dt.datetime:
    """Naive UTC at minute precision; a naive value is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def to_local(value: dt.datetime) -> dt.datetime:
    """Naive UTC from the store → naive Pakistan time for display."""
    return value.replace(tzinfo=dt.UTC).astimezone(PKT).replace(tzinfo=None)


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """What a person means by "3 March, 10:30" in Sindh, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=PKT)


def local_today(at: dt.datetime | None = None) -> dt.date:
    return to_local(at or utcnow()).date()


def day_bounds(day: dt.date, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    """Naive-UTC start (inclusive) and end (exclusive) of ``days`` Pakistan days from ``day``."""
    start = to_utc(local_moment(day, dt.time()))
    return start, start + dt.timedelta(days=days)


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
        return to_local(self.starts_at)

    @property
    def local_next_date(self) -> dt.datetime | None:
        return to_local(self.next_date) if self.next_date else None

    @property
    def awaiting_outcome(self) -> bool:
        """Its day has come and nobody has recorded what happened."""
        return self.outcome is None and self.local_starts_at.date() <= local_today()


class CalendarToken(Model):
    """The secret in a user's calendar-feed URL; only its SHA-256 is kept."""

    label = "calendar link"
    user_id = me.StringField(required=True, unique=True)
    token_hash = me.StringField(required=True, unique=True, regex=r"^[0-9a-f]{64}$")
    created_at = me.DateTimeField(required=True)

    meta = {"collection": "calendar_tokens"}


class HearingError(ValueError):
    """Input that cannot be accepted; the message says what to fix."""


class HearingNotFound(LookupError):
    """No such hearing, or one of a case the user may not see (indistinguishable)."""


@dataclass(frozen=True)
class Clash:
    prosecutor_id: str
    prosecutor_name: str
    hearing: Hearing
    #: None when the person scheduling may not see that case: its name is not revealed.
    case_reference: str | None

    def describe(self) -> str:
        when = self.hearing.local_starts_at.strftime("%d.%m.%Y %H:%M")
        if self.case_reference:
            return _(
                "%(name)s already has a hearing at %(when)s in %(court)s (%(case)s).",
                name=self.prosecutor_name,
                when=when,
                court=self.hearing.court,
                case=self.case_reference,
            )
        return _(
            "%(name)s already has a hearing at %(when)s in %(court)s (another case).",
            name=self.prosecutor_name,
            when=when,
            court=self.hearing.court,
        )


class HearingClash(HearingError):
    """A prosecutor would be due in two courts at once; ``override_clash`` accepts it."""

    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        super().__init__(
            " ".join(
                [
                    *(c.describe() for c in clashes),
                    _("Choose another time, or confirm that the hearing clashes."),
                ]
            )
        )


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


# -- who sees what ---------------------------------------------------------------------------


def _in(field: str, values: Iterable[str]) -> Filter:
    """``{field: {"$in": values}}`` split so a long list stays within SQLite's limits."""
    values = sorted(set(values))
    if len(values) <= _IN_CHUNK:
        return {field: {"$in": values}}
    return {
        "$or": [
            {field: {"$in": values[i : i + _IN_CHUNK]}} for i in range(0, len(values), _IN_CHUNK)
        ]
    }


def _and(*clauses: Filter | None) -> Filter:
    parts = [c for c in clauses if c]
    if not parts:
        return {}
    return parts[0] if len(parts) == 1 else {"$and": parts}


def visible_hearings_filter(store: DocumentStore, actor: Actor) -> Filter | None:
    """The hearings of the cases ``actor`` may see, as a hearing filter (None: none at all).

    A district clause of the case policy applies to the hearing's own district;
    any other clause (assignment) is resolved to the ids of the cases it selects.
    """
    flt = visible_cases_filter(actor)
    if flt is None or not flt:
        return flt
    clauses = list(flt["$or"]) if set(flt) == {"$or"} else [flt]
    out: list[Filter] = []
    by_case = []
    for clause in clauses:
        if set(clause) == {"district"}:
            out.append({"district": clause["district"]})
        else:
            by_case.append(clause)
    if by_case:
        case_filter = by_case[0] if len(by_case) == 1 else {"$or": by_case}
        ids = [c.id for c in store.find(Case, case_filter)]
        if ids:
            out.append(_in("case_id", ids))
    if not out:
        return None
    return out[0] if len(out) == 1 else {"$or": out}


def _attending_filter(store: DocumentStore, prosecutor_ids: Sequence[str]) -> Filter:
    """Hearings a prosecutor is listed for, or of a case now assigned to them.

    The second half keeps calendars right after a case is reassigned: the new
    prosecutor inherits its future hearings without anyone editing them.
    """
    assigned = store.find(
        Case,
        {"$or": [_in("lead_prosecutor", prosecutor_ids), _in("assisting", prosecutor_ids)]},
    )
    clauses: list[Filter] = [_in("prosecutor_ids", prosecutor_ids)]
    if assigned:
        clauses.append(_in("case_id", [c.id for c in assigned]))
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def case_map(store: DocumentStore, hearings: Iterable[Hearing]) -> dict[str, Case]:
    """The cases of some hearings by id, fetched at once (for references and links)."""
    ids = {h.case_id for h in hearings}
    return {c.id: c for c in store.find(Case, _in("_id", ids))} if ids else {}


def people(store: DocumentStore, ids: Iterable[str]) -> dict[str, str]:
    """Full names by user id, for showing who attends."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {u.id: u.full_name for u in store.find(User, _in("_id", wanted))}


def get_hearing(kernel: Kernel, actor: Actor, hearing_id: str) -> tuple[Hearing, Case]:
    """The hearing and its case if ``actor`` may see the case (a refusal is audited)."""
    try:
        hearing = kernel.store.get(Hearing, hearing_id)
    except NotFoundError:
        raise HearingNotFound(hearing_id) from None
    try:
        case = get_case(kernel, actor, hearing.case_id)
    except CaseNotFound:
        raise HearingNotFound(hearing_id) from None
    return hearing, case


def hearings_for_case(kernel: Kernel, actor: Actor, case_id: str) -> list[Hearing]:
    """Every hearing of one case, oldest first (CaseNotFound if the actor may not see it)."""
    case = get_case(kernel, actor, case_id)
    return kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", 1)])


# -- scheduling ------------------------------------------------------------------------------


def _check_prosecutors(kernel: Kernel, ids: Sequence[str]) -> list[str]:
    try:
        return check_prosecutors(kernel, list(ids))
    except CaseError as exc:
        raise HearingError(str(exc)) from None


def _check_time(starts_at: dt.datetime, *, history: bool, at: dt.datetime) -> None:
    if starts_at < at and not history:
        raise HearingError(
            _(
                "That time has already passed. To record a hearing that took place, "
                "tick “recording a past hearing”."
            )
        )
    if starts_at > at + MAX_AHEAD:
        raise HearingError(_("A hearing cannot be more than two years ahead: check the year."))
    if starts_at.year < 1947:
        raise HearingError(_("Check the year of the hearing."))


def _clean_court(court: str) -> str:
    court = " ".join(court.split())
    if not court:
        raise HearingError(_("Enter the court, e.g. “ATC-XII Karachi”."))
    if len(court) > 120:
        raise HearingError(_("The court name is too long (120 letters at most)."))
    return court


def find_clashes(
    kernel: Kernel,
    actor: Actor,
    prosecutor_ids: Sequence[str],
    starts_at: dt.datetime,
    court: str,
    *,
    exclude: Iterable[str] = (),
) -> list[Clash]:
    """Hearings of these prosecutors in another court within the clash window that day.

    Several cases in the same court at once are normal (one cause list), so only
    a different court counts.
    """
    if not prosecutor_ids:
        return []
    store = kernel.store
    day = to_local(starts_at).date()
    window = {"starts_at": {"$gt": starts_at - CLASH_WINDOW, "$lt": starts_at + CLASH_WINDOW}}
    others = {"court_key": {"$ne": court_key(court)}}
    excluded = set(exclude)
    found = [
        h
        for h in store.find(
            Hearing,
            _and(window, others, _attending_filter(store, prosecutor_ids)),
            sort=[("starts_at", 1)],
        )
        if h.id not in excluded and h.local_starts_at.date() == day
    ]
    if not found:
        return []
    cases = case_map(store, found)
    names = people(store, prosecutor_ids)
    clashes = []
    for hearing in found:
        case = cases.get(hearing.case_id)
        attending = set(hearing.prosecutor_ids) | set(case.prosecutors if case else [])
        for pid in prosecutor_ids:
            if pid in attending:
                visible = case is not None and can_view_case(actor, case)
                clashes.append(
                    Clash(pid, names.get(pid, pid), hearing, case.reference if visible else None)
                )
    return clashes


def _clash_data(clashes: list[Clash]) -> list[dict]:
    return [
        {"prosecutor_id": c.prosecutor_id, "hearing_id": c.hearing.id, "court": c.hearing.court}
        for c in clashes
    ]


def schedule_hearing(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    data: NewHearing,
    *,
    override_clash: bool = False,
) -> Hearing:
    """List the case before a court; refused if it double-books a prosecutor, unless overridden.

    An override is kept in the audit trail with the hearings it clashes with,
    so a supervisor can see who accepted a double booking.
    """
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    at = utcnow()
    starts_at = to_utc(data.starts_at)
    _check_time(starts_at, history=data.history, at=at)
    court = _clean_court(data.court)
    if data.purpose not in PURPOSES:
        raise HearingError(_("Choose what the hearing is for."))
    notes = data.notes.strip()
    if len(notes) > 2000:
        raise HearingError(_("The notes are too long (2000 letters at most)."))
    matter_id, matter_lead = _check_matter(kernel, case, data.matter_id)
    default = [matter_lead] if matter_lead else case.prosecutors
    ids = _check_prosecutors(
        kernel, default if data.prosecutor_ids is None else list(data.prosecutor_ids)
    )
    clashes = find_clashes(kernel, actor, ids, starts_at, court)
    if clashes and not override_clash:
        raise HearingClash(clashes)
    hearing = Hearing(
        case_id=case.id,
        matter_id=matter_id,
        district=case.district,
        court=court,
        court_key=court_key(court),
        starts_at=starts_at,
        purpose=data.purpose,
        prosecutor_ids=ids,
        notes=notes or None,
        recorded_as_history=data.history and starts_at < at,
        created_by=actor.user_id,
        created_at=at,
        updated_at=at,
    )
    with kernel.store.transaction():
        kernel.store.insert(hearing)
        kernel.emit(_scheduled_event(actor, hearing, clashes))
    return hearing


def _check_matter(
    kernel: Kernel, case: Case, matter_id: str | None
) -> tuple[str | None, str | None]:
    """The id and prosecutor of a pending child matter of ``case``, or HearingError."""
    if not matter_id:
        return None, None
    try:
        matter = kernel.store.get(Matter, matter_id)
    except NotFoundError:
        matter = None
    if matter is None or matter.case_id != case.id:
        raise HearingError(_("That matter does not belong to this case."))
    if matter.state != "pending":
        raise HearingError(_("Only a pending (filed, undecided) matter can be listed for hearing."))
    return matter.id, matter.lead_prosecutor


def _scheduled_event(
    actor: Actor, hearing: Hearing, clashes: list[Clash], **extra: object
) -> DomainEvent:
    data: dict[str, object] = {
        "case_id": hearing.case_id,
        "court": hearing.court,
        "starts_at": hearing.starts_at.isoformat(),
        "purpose": hearing.purpose,
        "prosecutor_ids": list(hearing.prosecutor_ids),
        "history": hearing.recorded_as_history,
        "matter_id": hearing.matter_id,
        **extra,
    }
    if clashes:
        data["override_clash"] = True
        data["clashes"] = _clash_data(clashes)
    return DomainEvent("hearing.scheduled", actor, "hearing", hearing.id, data)


def record_outcome(
    kernel: Kernel,
    actor: Actor,
    hearing_id: str,
    version: int,
    outcome: str,
    adjournment_reason: str | None = None,
    next_date: dt.datetime | dt.date | None = None,
    *,
    note: str = "",
    next_purpose: str | None = None,
    override_clash: bool = False,
) -> Hearing:
    """Record what happened; a next date lists the case again, in the same court, for the
    same prosecutors.

    An adjournment needs its reason (counted in the adjournment KPI) and the date
    the court fixed. A bare date keeps the time of day of this hearing.
    """
    hearing, case = get_hearing(kernel, actor, hearing_id)
    ensure_can_edit(actor, case)
    if hearing.version != version:
        raise StaleWriteError(hearing.label, hearing.id, version, hearing.version)
    if hearing.outcome:
        raise HearingError(_("The outcome of this hearing is already recorded."))
    at = utcnow()
    if hearing.local_starts_at.date() > local_today(at):
        raise HearingError(_("This hearing has not taken place yet."))
    if outcome not in OUTCOMES:
        raise HearingError(_("Choose what happened at the hearing."))
    reason = adjournment_reason or None
    note = note.strip()
    if len(note) > 2000:
        raise HearingError(_("The note is too long (2000 letters at most)."))
    if outcome == "adjourned" and not reason:
        raise HearingError(_("Choose why the hearing was adjourned."))
    if reason and reason not in ADJOURNMENT_REASONS:
        raise HearingError(_("Choose a reason from the list."))
    if outcome == "held" and reason:
        raise HearingError(_("A hearing that was held has no adjournment reason."))
    if reason == "other" and not note:
        raise HearingError(_("Write the reason in the note when you choose “Other”."))
    if outcome == "adjourned" and next_date is None:
        raise HearingError(_("Enter the next date the court fixed."))
    purpose = next_purpose or hearing.purpose
    if purpose not in PURPOSES:
        raise HearingError(_("Choose what the next hearing is for."))

    successor = None
    clashes: list[Clash] = []
    if next_date is not None:
        if not isinstance(next_date, dt.datetime):
            next_date = local_moment(next_date, hearing.local_starts_at.time())
        next_at = to_utc(next_date)
        if next_at <= hearing.starts_at:
            raise HearingError(_("The next date must come after this hearing."))
        if next_at > at + MAX_AHEAD:
            raise HearingError(_("The next date cannot be more than two years ahead."))
        clashes = find_clashes(kernel, actor, hearing.prosecutor_ids, next_at, hearing.court)
        if clashes and not override_clash:
            raise HearingClash(clashes)
        successor = Hearing(
            case_id=hearing.case_id,
            matter_id=hearing.matter_id,
            district=hearing.district,
            court=hearing.court,
            court_key=hearing.court_key,
            starts_at=next_at,
            purpose=purpose,
            prosecutor_ids=list(hearing.prosecutor_ids),
            previous_hearing_id=hearing.id,
            recorded_as_history=next_at < at,
            created_by=actor.user_id,
            created_at=at,
            updated_at=at,
        )
        hearing.next_date, hearing.next_hearing_id = next_at, successor.id

    hearing.outcome, hearing.adjournment_reason = outcome, reason
    hearing.outcome_note = note or None
    hearing.outcome_by, hearing.outcome_at, hearing.updated_at = actor.user_id, at, at
    with kernel.store.transaction():
        kernel.store.replace(hearing)
        kernel.emit(
            DomainEvent(
                "hearing.outcome_recorded",
                actor,
                "hearing",
                hearing.id,
                {
                    "case_id": hearing.case_id,
                    "outcome": outcome,
                    "adjournment_reason": reason,
                    "note": note,
                    "next_date": hearing.next_date.isoformat() if hearing.next_date else None,
                    "next_hearing_id": hearing.next_hearing_id,
                },
            )
        )
        if successor is not None:
            kernel.store.insert(successor)
            kernel.emit(_scheduled_event(actor, successor, clashes, previous_hearing_id=hearing.id))
    return hearing


# -- calendars -------------------------------------------------------------------------------


def calendar(
    kernel: Kernel,
    actor: Actor,
    *,
    start: dt.date,
    days: int = 7,
    prosecutor_id: str | None = None,
    court: str | None = None,
) -> list[Hearing]:
    """Hearings of ``days`` Pakistan days from ``start``, by time; for one prosecutor, one
    court, or (neither) every hearing the actor may see."""
    if not 1 <= days <= MAX_DAYS:
        raise HearingError(_("A calendar shows 1 to %(n)d days.", n=MAX_DAYS))
    store = kernel.store
    visible = visible_hearings_filter(store, actor)
    if visible is None:
        return []
    lo, hi = day_bounds(start, days)
    flt = _and(
        visible,
        {"starts_at": {"$gte": lo, "$lt": hi}},
        _attending_filter(store, [prosecutor_id]) if prosecutor_id else None,
        {"court_key": court_key(court)} if court and court.strip() else None,
    )
    return store.find(Hearing, flt, sort=[("starts_at", 1), ("court_key", 1), ("created_at", 1)])


def cause_list(kernel: Kernel, actor: Actor, court: str, day: dt.date) -> list[Hearing]:
    """The day's hearings in one court, in the order they are called (by time)."""
    if not court.strip():
        raise HearingError(_("Choose the court."))
    return calendar(kernel, actor, start=day, days=1, court=court)


def courts_on(kernel: Kernel, actor: Actor, day: dt.date) -> list[tuple[str, int]]:
    """Courts with hearings on ``day`` that the actor can see, with how many each."""
    counts: dict[str, tuple[str, int]] = {}
    for hearing in calendar(kernel, actor, start=day, days=1):
        name, n = counts.get(hearing.court_key, (hearing.court, 0))
        counts[hearing.court_key] = (name, n + 1)
    return sorted(counts.values(), key=lambda item: item[0].casefold())


def known_courts(kernel: Kernel, actor: Actor, limit: int = 300) -> list[str]:
    """Court names already used in visible hearings (offered while typing a court)."""
    visible = visible_hearings_filter(kernel.store, actor)
    if visible is None:
        return []
    counts = kernel.store.group_count(Hearing, "court", visible)
    by_key: dict[str, tuple[int, str]] = {}
    for name, n in counts.items():
        key = court_key(str(name))
        if n > by_key.get(key, (0, ""))[0]:
            by_key[key] = (n, str(name))
    return sorted((name for _n, name in by_key.values()), key=str.casefold)[:limit]


def reminders(kernel: Kernel, actor: Actor, now: dt.datetime | None = None) -> list[Hearing]:
    """The actor's own hearings in the next 24 hours that have no outcome yet."""
    if not actor.has_role(Role.PROSECUTOR):
        return []
    at = to_utc(now or utcnow())
    store = kernel.store
    visible = visible_hearings_filter(store, actor)
    if visible is None:
        return []
    flt = _and(
        visible,
        {"starts_at": {"$gte": at, "$lt": at + dt.timedelta(hours=24)}},
        _attending_filter(store, [actor.user_id]),
    )
    return [h for h in store.find(Hearing, flt, sort=[("starts_at", 1)]) if not h.outcome]


# -- calendar feed tokens ----------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_calendar_token(kernel: Kernel, actor: Actor) -> str:
    """A new secret for the actor's feed URL; the old one stops working at once.

    Only the hash is stored, so the URL can be shown once, when it is made.
    """
    token = secrets.token_urlsafe(32)
    store = kernel.store
    with store.transaction():
        old = store.find_one(CalendarToken, {"user_id": actor.user_id})
        if old is not None:
            store.delete(old)
        store.insert(
            CalendarToken(user_id=actor.user_id, token_hash=_token_hash(token), created_at=utcnow())
        )
        kernel.emit(
            DomainEvent(
                "calendar.link_issued",
                actor,
                "user",
                actor.user_id,
                {"replaced": old is not None},
            )
        )
    return token


def calendar_token(kernel: Kernel, actor: Actor) -> CalendarToken | None:
    return kernel.store.find_one(CalendarToken, {"user_id": actor.user_id})


def user_for_token(kernel: Kernel, token: str) -> User | None:
    """The active user whose feed this token opens, or None (unknown, replaced, inactive)."""
    if not token or len(token) > 100:
        return None
    record = kernel.store.find_one(CalendarToken, {"token_hash": _token_hash(token)})
    if record is None:
        return None
    try:
        user = kernel.store.get(User, record.user_id)
    except NotFoundError:
        return None
    return user if user.active else None
