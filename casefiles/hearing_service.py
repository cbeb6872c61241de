"""Scheduling hearings and recording their outcomes: the changes to the court diary,
each checked against the case policy and emitted as a domain event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from casefiles.hearing_access import get_hearing
from casefiles.hearing_clashes import Clash, HearingClash, clash_data, find_clashes
from casefiles.hearings import (
    ADJOURNMENT_REASONS,
    MAX_AHEAD,
    OUTCOMES,
    PURPOSES,
    Hearing,
    HearingError,
    NewHearing,
    court_key,
    to_utc,
)
from casefiles.matters import Matter
from casefiles.models import Case
from casefiles.service import (
    CaseError,
    check_prosecutors,
    ensure_can_edit,
    get_case,
)
from mizan.actor import Actor
from mizan.clock import pakistan_moment, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import NotFoundError, StaleWriteError


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
    at = utc_naive_now()
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
        data["clashes"] = clash_data(clashes)
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
    at = utc_naive_now()
    if hearing.local_starts_at.date() > pakistan_today(at):
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
            next_date = pakistan_moment(next_date, hearing.local_starts_at.time())
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
