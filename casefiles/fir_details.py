"""Correcting a case's FIR details (police station, number, year, registration date).

The FIR is the case's identity (district + police station + number + year), so a change
keeps the reference in step and is refused, with the clash named, if another case in the
district already has that FIR.
"""

from __future__ import annotations

import datetime as dt

from casefiles.models import Case
from casefiles.service import CaseError, ensure_can_edit, get_case, now
from mizan.actor import Actor
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError


def _fir_fields(case: Case) -> dict[str, object]:
    registered = case.fir.registered_on
    return {
        "police_station": case.fir.police_station,
        "number": case.fir.number,
        "year": case.fir.year,
        "registered_on": registered.date().isoformat() if registered else None,
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
) -> Case:
    """Change the given FIR fields (None leaves a field as it is); one write, one event."""
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
        if not 1947 <= year <= now().year:
            raise CaseError(_("The FIR year must be between 1947 and %(year)d.", year=now().year))
        case.fir.year = year
    if registered_on is not None:
        if registered_on > now().date():
            raise CaseError(_("The FIR registration date cannot be in the future."))
        case.fir.registered_on = dt.datetime.combine(registered_on, dt.time())
    old_reference = case.reference
    case.reference = f"FIR {case.fir.number}/{case.fir.year} PS {case.fir.police_station}"
    if case.title == old_reference.split(" PS ")[0]:  # the default title follows the FIR
        case.title = f"FIR {case.fir.number}/{case.fir.year}"
    case.version = version
    case.updated_at = now()
    after = _fir_fields(case)
    changed = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    try:
        with kernel.store.transaction():
            kernel.store.replace(case)
            kernel.emit(
                DomainEvent("case.fir_updated", actor, "case", case.id, {"changed": changed})
            )
    except DuplicateKeyError:
        raise CaseError(
            _(
                "%(ref)s is already registered in district %(district)s.",
                ref=case.reference,
                district=case.district,
            )
        ) from None
    return case
