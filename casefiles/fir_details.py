"""The FIR details of a case: identity (police station, number, year), registration date,
when and where the offence happened, and the narrative.

The FIR is the case's identity (district + police station + number + year), so a change
keeps the reference in step and is refused, with the clash named, if another case in the
district already has that FIR. The narrative is what the precedent finder searches with.
"""

from __future__ import annotations

import datetime as dt

from casefiles.models import Case
from casefiles.service import CaseError, duplicate_fir, ensure_can_edit, get_case
from mizan.actor import Actor
from mizan.clock import PKT, pakistan_now, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError

MAX_NARRATIVE = 20000
MAX_PLACE = 200


def _fir_fields(case: Case) -> dict[str, object]:
    fir = case.fir
    registered = fir.registered_on
    return {
        "police_station": fir.police_station,
        "number": fir.number,
        "year": fir.year,
        "registered_on": registered.date().isoformat() if registered else None,
        "incident_at": fir.incident_at.isoformat(timespec="minutes") if fir.incident_at else None,
        "place": fir.place,
        # The audit trail keeps the size, not the text: a narrative can be pages long.
        "narrative": f"{len(fir.narrative)} characters" if fir.narrative else None,
    }


def update_fir(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    version: int,
    police_station: str | None = None,
    number: int | None = None,
    year: int | None = None,
    registered_on: dt.date | None = None,
    incident_at: dt.datetime | None = None,
    place: str | None = None,
    narrative: str | None = None,
) -> Case:
    """Change the given FIR fields (None leaves a field as it is, "" clears a text);
    one write, one event."""
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    before = _fir_fields(case)
    if police_station is not None:
        station = " ".join(police_station.split())
        if not station or len(station) > 80:
            raise CaseError(_("Enter the police station (80 letters at most)."))
        case.fir.police_station = station
    if number is not None:
        if not 1 <= number <= 99999:
            raise CaseError(_("The FIR number must be between 1 and 99999."))
        case.fir.number = number
    if year is not None:
        if not 1947 <= year <= utc_naive_now().year:
            raise CaseError(
                _("The FIR year must be between 1947 and %(year)d.", year=utc_naive_now().year)
            )
        case.fir.year = year
    if registered_on is not None:
        if registered_on > pakistan_today():
            raise CaseError(_("The FIR registration date cannot be in the future."))
        case.fir.registered_on = dt.datetime.combine(registered_on, dt.time())
    if incident_at is not None:  # Pakistan time, as written in the FIR (see FirRef)
        if incident_at.tzinfo is not None:
            incident_at = incident_at.astimezone(PKT).replace(tzinfo=None)
        if incident_at > pakistan_now().replace(tzinfo=None):
            raise CaseError(_("The incident cannot be in the future."))
        case.fir.incident_at = incident_at.replace(second=0, microsecond=0)
    if place is not None:
        clean = " ".join(place.split())
        if len(clean) > MAX_PLACE:
            raise CaseError(_("Shorten the place of the incident to %(n)d letters.", n=MAX_PLACE))
        case.fir.place = clean or None
    if narrative is not None:
        text = narrative.strip().replace("\r\n", "\n")
        if len(text) > MAX_NARRATIVE:
            raise CaseError(
                _(
                    "The narrative is %(n)d letters long; at most %(max)d fit.",
                    n=len(text),
                    max=MAX_NARRATIVE,
                )
            )
        case.fir.narrative = text or None
    happened, registered = case.fir.incident_at, case.fir.registered_on
    if happened and registered and happened.date() > registered.date():
        raise CaseError(
            _(
                "The incident (%(incident)s) cannot be after the FIR "
                "was registered (%(registered)s).",
                incident=happened.strftime("%d.%m.%Y"),
                registered=registered.strftime("%d.%m.%Y"),
            )
        )
    old_reference = case.reference
    case.reference = f"FIR {case.fir.number}/{case.fir.year} PS {case.fir.police_station}"
    if case.title == old_reference.split(" PS ")[0]:  # the default title follows the FIR
        case.title = f"FIR {case.fir.number}/{case.fir.year}"
    case.version = version
    case.updated_at = utc_naive_now()
    after = _fir_fields(case)
    changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    try:
        with kernel.store.transaction():
            kernel.store.replace(case)
            kernel.emit(
                DomainEvent("case.fir_updated", actor, "case", case.id, {"changed": changed})
            )
    except DuplicateKeyError:
        raise duplicate_fir(case) from None
    return case
