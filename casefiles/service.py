"""Case services: create, find, assign. Each checks permission, validates, writes
and emits a domain event (which the audit trail records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from casefiles.models import AssignmentChange, Case, FirRef, StageChange
from casefiles.policy import can_edit_case, can_view_case, visible_cases_filter
from casefiles.workflow import check_transition
from mizan.accounts.models import District, User
from mizan.accounts.roles import Capability, Role
from mizan.accounts.service import PermissionDenied, require
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, NotFoundError


class CaseError(ValueError):
    """Input that cannot be accepted; the message says what to fix."""


class CaseNotFound(LookupError):
    """No such case, or one the user may not see (indistinguishable on purpose)."""


@dataclass(frozen=True)
class NewCase:
    district: str
    police_station: str
    fir_number: int
    fir_year: int
    title: str
    registered_on: dt.date | None = None
    labels: tuple[str, ...] = ()


def duplicate_fir(case: Case) -> CaseError:
    """The refusal for a second case with the same FIR in a district (a unique index)."""
    return CaseError(
        _(
            "%(ref)s is already registered in district %(district)s.",
            ref=case.reference,
            district=case.district,
        )
    )


def create_case(kernel: Kernel, actor: Actor, data: NewCase) -> Case:
    require(actor, Capability.CREATE_CASE)
    district = data.district.strip().upper()
    if kernel.store.find_one(District, {"code": district}) is None:
        raise CaseError(_("There is no district with the code %(code)s.", code=district))
    if (
        actor.has_role(Role.CLERK, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR)
        and not (actor.has_role(Role.PROSECUTOR_GENERAL))
        and actor.district != district
    ):
        raise PermissionDenied(_("You can only open cases in your own district."))
    station = " ".join(data.police_station.split())
    if not station:
        raise CaseError(_("Enter the police station."))
    this_year = utc_naive_now().year
    if not 1947 <= data.fir_year <= this_year:
        raise CaseError(_("The FIR year must be between 1947 and %(year)d.", year=this_year))
    if not 1 <= data.fir_number <= 99999:
        raise CaseError(_("The FIR number must be between 1 and 99999."))
    registered = dt.datetime.combine(data.registered_on, dt.time()) if data.registered_on else None
    if registered and registered.date() > utc_naive_now().date():
        raise CaseError(_("The FIR registration date cannot be in the future."))
    case = Case(
        title=data.title.strip() or f"FIR {data.fir_number}/{data.fir_year}",
        district=district,
        fir=FirRef(
            police_station=station,
            number=data.fir_number,
            year=data.fir_year,
            registered_on=registered,
        ),
        reference=f"FIR {data.fir_number}/{data.fir_year} PS {station}",
        labels=sorted(set(data.labels)),
        lead_prosecutor=actor.user_id if actor.has_role(Role.PROSECUTOR) else None,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
    )
    return insert_case(kernel, actor, case)


def insert_case(kernel: Kernel, actor: Actor, case: Case, **event_data: object) -> Case:
    """Store a new case and announce it; the FIR's natural key must be new."""
    try:
        with kernel.store.transaction():
            kernel.store.insert(case)
            kernel.emit(
                DomainEvent(
                    "case.created",
                    actor,
                    "case",
                    case.id,
                    {"reference": case.reference, "district": case.district, **event_data},
                )
            )
    except DuplicateKeyError:
        raise duplicate_fir(case) from None
    return case


def check_prosecutors(kernel: Kernel, ids: list[str | None]) -> list[str]:
    """The given user ids, each once and each an active prosecutor; else CaseError."""
    chosen = [i for i in ids if i]
    if len(set(chosen)) != len(chosen):
        raise CaseError(_("A prosecutor can only be listed once."))
    for user_id in chosen:
        try:
            user = kernel.store.get(User, user_id)
        except NotFoundError:
            raise CaseError(_("Unknown prosecutor.")) from None
        if Role.PROSECUTOR not in user.roles or not user.active:
            raise CaseError(_("%(name)s is not an active prosecutor.", name=user.full_name))
    return chosen


def get_case(kernel: Kernel, actor: Actor, case_id: str) -> Case:
    """The case if ``actor`` may see it; otherwise CaseNotFound, and the refusal is audited."""
    try:
        case = kernel.store.get(Case, case_id)
    except NotFoundError:
        raise CaseNotFound(case_id) from None
    if not can_view_case(actor, case):
        kernel.emit(DomainEvent("case.access_denied", actor, "case", case.id, changes_state=False))
        raise CaseNotFound(case_id)
    return case


def list_cases(
    kernel: Kernel, actor: Actor, *, page: int = 1, per_page: int = 25, state: str | None = None
) -> tuple[list[Case], int]:
    flt = visible_cases_filter(actor)
    if flt is None:
        return [], 0
    if state:
        flt = {"$and": [flt, {"state": state}]} if flt else {"state": state}
    total = kernel.store.count(Case, flt)
    cases = kernel.store.find(
        Case, flt, sort=[("created_at", -1)], skip=(max(page, 1) - 1) * per_page, limit=per_page
    )
    return cases, total


def assign(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    version: int,
    lead: str | None,
    assisting: list[str],
    reason: str = "",
) -> Case:
    """Set the prosecutors of a case; refused if someone changed the case meanwhile."""
    require(actor, Capability.ASSIGN_CASE)
    case = get_case(kernel, actor, case_id)
    check_prosecutors(kernel, [lead, *assisting])
    reason = " ".join(reason.split())
    removed = set(case.prosecutors) - {lead, *assisting}
    if removed and not reason:
        raise CaseError(
            _("Give the reason for the reassignment: it is kept in the case's history.")
        )
    if len(reason) > 2000:
        raise CaseError(_("The reason is too long (2000 letters at most)."))
    before = {"lead": case.lead_prosecutor, "assisting": list(case.assisting)}
    case.version = version
    case.lead_prosecutor, case.assisting, case.updated_at = (
        lead or None,
        list(assisting),
        utc_naive_now(),
    )
    case.assignments.append(
        AssignmentChange(
            at=case.updated_at,
            by=actor.user_id,
            by_name=actor.username,
            lead_before=before["lead"],
            assisting_before=before["assisting"],
            lead=case.lead_prosecutor,
            assisting=list(case.assisting),
            reason=reason or None,
        )
    )
    with kernel.store.transaction():
        kernel.store.replace(case)
        kernel.emit(
            DomainEvent(
                "case.assigned",
                actor,
                "case",
                case.id,
                {
                    "before": before,
                    "lead": case.lead_prosecutor,
                    "assisting": case.assisting,
                    "reason": reason,
                },
            )
        )
    return case


def ensure_can_edit(actor: Actor, case: Case) -> None:
    if not can_edit_case(actor, case):
        raise PermissionDenied(_("You cannot change this case."))


def change_stage(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    version: int,
    target: str,
    reason: str = "",
    outcome: str | None = None,
    cancellation_class: str | None = None,
) -> Case:
    """Move the case along the workflow; the guards of ``casefiles.workflow`` decide."""
    case = get_case(kernel, actor, case_id)
    return apply_stage(
        kernel,
        actor,
        case,
        version=version,
        target=target,
        reason=reason,
        outcome=outcome,
        cancellation_class=cancellation_class,
    )


def apply_stage(
    kernel: Kernel,
    actor: Actor,
    case: Case,
    *,
    version: int,
    target: str,
    reason: str = "",
    outcome: str | None = None,
    cancellation_class: str | None = None,
    event_data: dict | None = None,
) -> Case:
    """Move an already loaded (and possibly amended) case; one write, one event."""
    ensure_can_edit(actor, case)
    check_transition(
        case.state, target, reason=reason, outcome=outcome, cancellation_class=cancellation_class
    )
    source = case.state
    case.version = version
    case.history.append(
        StageChange(
            from_state=source,
            to_state=target,
            at=utc_naive_now(),
            by=actor.user_id,
            by_name=actor.username,
            reason=reason.strip() or None,
            outcome=outcome,
            cancellation_class=cancellation_class,
        )
    )
    case.state, case.updated_at = target, utc_naive_now()
    if outcome:
        case.outcome = outcome
    with kernel.store.transaction():
        kernel.store.replace(case)
        kernel.emit(
            DomainEvent(
                "case.stage_changed",
                actor,
                "case",
                case.id,
                {
                    **(event_data or {}),
                    "from": source,
                    "to": target,
                    "reason": reason.strip(),
                    "outcome": outcome,
                    "cancellation_class": cancellation_class,
                },
            )
        )
    return case
