"""Intake from police and court systems: FIR records and challans, idempotent.

A record is identified by its natural key (district + police station + FIR
number + year), so sending the same record twice changes nothing, and a
corrected record updates the case. Every problem with a record is reported
per field, in words the sending system's operators can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casefiles.models import CASE_LABELS, Case, Challan, FirRef, Offence, StageChange
from casefiles.parties import PartyInput, build_party
from casefiles.service import CaseError, ensure_can_edit, get_case, insert_case
from legaltext.section_refs import SectionRefError, parse_section_refs
from mizan.actor import Actor
from mizan.clock import PKT, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel

#: Stages at which a challan is expected; receiving one moves the case to scrutiny.
_AWAITING_REPORT = {"FIR_REGISTERED", "UNDER_INVESTIGATION", "RETURNED_TO_IO"}


class IntakeError(ValueError):
    """The record cannot be accepted; ``errors`` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class IntakeResult:
    case: Case
    created: bool = False
    changed: list[str] = field(default_factory=list)


def text_field(
    record: Mapping[str, Any],
    key: str,
    errors: dict[str, str],
    *,
    required: bool = True,
    max_len: int = 200,
    keep_lines: bool = False,
) -> str:
    """``record[key]`` as text, or "" with the problem written into ``errors``. Runs of
    spaces are folded (line breaks too, unless ``keep_lines``: a written answer)."""
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[key] = "is required"
        return ""
    if not isinstance(value, str):
        errors[key] = "must be text"
        return ""
    if len(value) > max_len:
        errors[key] = f"is longer than {max_len} characters"
    if keep_lines:
        return value.strip()
    return " ".join(value.split())


def _int(record: Mapping[str, Any], key: str, low: int, high: int, errors: dict[str, str]) -> int:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = "must be a whole number"
        return 0
    if not low <= value <= high:
        errors[key] = f"must be between {low} and {high}"
    return value


def _datetime(
    record: Mapping[str, Any],
    key: str,
    errors: dict[str, str],
    *,
    required: bool = False,
    wall_clock: bool = False,
) -> dt.datetime | None:
    """An ISO 8601 value as naive UTC, or with `wall_clock` as naive Pakistan time."""
    value = record.get(key)
    if value is None or value == "":
        if required:
            errors[key] = "is required"
        return None
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:  # Pakistan time unless stated
            parsed = parsed.replace(tzinfo=PKT)
        # Both conversions overflow for the first or last day of the calendar.
        utc = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        local = parsed.astimezone(PKT).replace(tzinfo=None)
    except (ValueError, OverflowError):
        errors[key] = "must be an ISO 8601 date or date-time, e.g. 2024-03-14T10:30:00+05:00"
        return None
    if utc > utc_naive_now() + dt.timedelta(hours=1):
        errors[key] = "is in the future"
    return local if wall_clock else utc  # wall clock: as written in the FIR (models.FirRef)


def _natural_key(
    record: Mapping[str, Any], actor_districts: list[str], errors: dict[str, str]
) -> tuple[str, str, int, int]:
    district = text_field(record, "district", errors).upper()
    if district and district not in actor_districts:
        errors["district"] = f"{district} is not one of this integration's districts"
    station = text_field(record, "police_station", errors, max_len=80)
    number = _int(record, "fir_number", 1, 99999, errors)
    year = _int(record, "fir_year", 1947, utc_naive_now().year, errors)
    return district, station, number, year


def _find(kernel: Kernel, district: str, station: str, number: int, year: int) -> Case | None:
    return kernel.store.find_one(
        Case,
        {
            "district": district,
            "fir.police_station": station,
            "fir.number": number,
            "fir.year": year,
        },
    )


def _parties(record: Mapping[str, Any], actor: Actor, errors: dict[str, str]) -> list:
    people: list[tuple[str, Mapping[str, Any]]] = []
    accused = record.get("accused", [])
    if not isinstance(accused, list):
        errors["accused"] = "must be a list of persons"
        accused = []
    people += [("accused", a) for a in accused]
    complainant = record.get("complainant")
    if complainant is not None:
        people.append(("complainant", complainant))
    parties = []
    for n, (role, person) in enumerate(people):
        where = "complainant" if role == "complainant" else f"accused[{n}]"
        fields = ("name", "parentage", "cnic", "custody")
        if not isinstance(person, Mapping) or any(
            not isinstance(person.get(f) or "", str) for f in fields
        ):
            errors[where] = "must be an object with name, parentage, cnic (each text)"
            continue
        try:
            parties.append(
                build_party(
                    PartyInput(
                        role=role,
                        name=person.get("name") or "",
                        parentage=person.get("parentage") or "",
                        cnic=person.get("cnic") or "",
                        custody=(person.get("custody") or "") if role == "accused" else "",
                    ),
                    actor,
                )
            )
        except CaseError as exc:
            errors[where] = str(exc)
    return parties


def upsert_fir(
    kernel: Kernel, actor: Actor, districts: list[str], record: Mapping[str, Any]
) -> IntakeResult:
    """Create the case for an FIR record, or bring it up to date; unchanged if identical."""
    if not isinstance(record, Mapping):
        raise IntakeError({"record": "must be a JSON object"})
    errors: dict[str, str] = {}
    district, station, number, year = _natural_key(record, districts, errors)
    registered = _datetime(record, "registered_at", errors, wall_clock=True)
    incident = _datetime(record, "incident_at", errors, wall_clock=True)
    if incident and registered and incident > registered:
        errors["incident_at"] = "is after registered_at: the offence happens before the FIR"
    place = text_field(record, "place", errors, required=False, max_len=200)
    narrative = text_field(record, "narrative", errors, required=False, max_len=20000)
    title = text_field(record, "title", errors, required=False)
    offences: list[Offence] = []
    sections = record.get("sections")
    if sections is not None and not (
        isinstance(sections, str)
        or (isinstance(sections, list) and all(isinstance(x, str) for x in sections))
    ):
        errors["sections"] = "must be text such as '302/34 PPC', or a list of such texts"
    elif sections is not None:
        text = "; ".join(sections) if isinstance(sections, list) else sections
        try:
            offences = [
                Offence(
                    act=r.act, section=r.section, subsections=list(r.subsections), raw=r.raw or None
                )
                for r in parse_section_refs(text)
            ]
        except SectionRefError as exc:
            errors["sections"] = str(exc)
    labels = record.get("labels", [])
    if not isinstance(labels, list) or any(
        not isinstance(label, str) or label not in CASE_LABELS for label in labels
    ):
        errors["labels"] = f"must be a list of: {', '.join(CASE_LABELS)}"
        labels = []
    parties = _parties(record, actor, errors)
    if errors:
        raise IntakeError(errors)

    existing = _find(kernel, district, station, number, year)
    if existing is None:
        case = Case(
            title=title or f"FIR {number}/{year}",
            district=district,
            fir=FirRef(
                police_station=station,
                number=number,
                year=year,
                registered_on=registered,
                incident_at=incident,
                place=place or None,
                narrative=narrative or None,
            ),
            reference=f"FIR {number}/{year} PS {station}",
            labels=sorted(set(labels)),
            offences=offences,
            parties=parties,
            created_by=actor.user_id,
            created_at=utc_naive_now(),
            updated_at=utc_naive_now(),
        )
        try:
            insert_case(kernel, actor, case, source="api")
        except CaseError:  # the same FIR arrived concurrently: it is an update now
            return upsert_fir(kernel, actor, districts, record)
        return IntakeResult(case, created=True)

    case = existing
    changed: list[str] = []
    if registered and case.fir.registered_on != registered:
        case.fir.registered_on, changed = registered, [*changed, "registered_at"]
    if incident and case.fir.incident_at != incident:
        case.fir.incident_at, changed = incident, [*changed, "incident_at"]
    if place and case.fir.place != place:
        case.fir.place, changed = place, [*changed, "place"]
    if narrative and case.fir.narrative != narrative:
        case.fir.narrative, changed = narrative, [*changed, "narrative"]
    if title and case.title != title:
        case.title, changed = title, [*changed, "title"]
    if sections is not None and [o.canonical for o in case.offences] != [
        o.canonical for o in offences
    ]:
        case.offences, changed = offences, [*changed, "sections"]
    if sorted(set(labels)) != sorted(case.labels) and "labels" in record:
        case.labels, changed = sorted(set(labels)), [*changed, "labels"]
    known = {(p.role, tuple(p.name_keys), p.parent_key) for p in case.parties}
    new_people = [p for p in parties if (p.role, tuple(p.name_keys), p.parent_key) not in known]
    if new_people:
        case.parties, changed = [*case.parties, *new_people], [*changed, "parties"]
    if changed:
        case.updated_at = utc_naive_now()
        with kernel.store.transaction():
            kernel.store.replace(case)
            kernel.emit(
                DomainEvent(
                    "case.updated", actor, "case", case.id, {"fields": changed, "source": "api"}
                )
            )
    return IntakeResult(case, changed=changed)


def receive_challan(
    kernel: Kernel, actor: Actor, districts: list[str], record: Mapping[str, Any]
) -> IntakeResult:
    """Record a police report (challan); the case moves to scrutiny if it was awaiting one."""
    if not isinstance(record, Mapping):
        raise IntakeError({"record": "must be a JSON object"})
    errors: dict[str, str] = {}
    district, station, number, year = _natural_key(record, districts, errors)
    kind = record.get("kind")
    if kind not in ("interim", "final"):
        errors["kind"] = "must be 'interim' or 'final'"
    submitted = _datetime(record, "submitted_on", errors, required=True)
    io_name = text_field(record, "io_name", errors, required=False, max_len=120)
    # Either test implies an error above; both narrow the types for what follows.
    if errors or submitted is None or kind not in ("interim", "final"):
        raise IntakeError(errors)
    case = _find(kernel, district, station, number, year)
    if case is None:
        raise IntakeError(
            {
                "fir_number": f"no case for FIR {number}/{year} PS {station} in "
                f"{district}; send the FIR first"
            }
        )
    return add_challan(
        kernel,
        actor,
        case,
        kind,
        submitted,
        io_name,
        reason=f"{kind.capitalize()} challan received from the police",
    )


def add_challan(
    kernel: Kernel,
    actor: Actor,
    case: Case,
    kind: str,
    submitted: dt.datetime,
    io_name: str,
    *,
    reason: str,
) -> IntakeResult:
    """Record a challan on a loaded case: the one path for the API and the paper form.

    The same challan twice (kind and submission time) changes nothing; a case awaiting a
    report moves to scrutiny. The write is refused (StaleWriteError) if the case changed
    since it was read.
    """
    if any(c.kind == kind and c.submitted_on == submitted for c in case.challans):
        return IntakeResult(case)
    case.challans.append(
        Challan(
            kind=kind,
            submitted_on=submitted,
            received_at=utc_naive_now(),
            source=actor.username,
            io_name=io_name or None,
        )
    )
    changed = ["challans"]
    if case.state in _AWAITING_REPORT:
        case.history.append(
            StageChange(
                from_state=case.state,
                to_state="REPORT_UNDER_SCRUTINY",
                at=utc_naive_now(),
                by=actor.user_id,
                by_name=actor.username,
                reason=reason,
            )
        )
        case.state = "REPORT_UNDER_SCRUTINY"
        changed.append("state")
    case.updated_at = utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(case)
        kernel.emit(
            DomainEvent(
                "case.challan_received",
                actor,
                "case",
                case.id,
                {"kind": kind, "submitted_on": submitted.isoformat(), "state": case.state},
            )
        )
    return IntakeResult(case, changed=changed)


#: The challans a prosecution office records from paper, with their labels.
CHALLAN_KINDS = {"interim": _l("Interim challan"), "final": _l("Final challan")}


def enter_paper_challan(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    version: int,
    kind: str,
    submitted_on: dt.date,
    io_name: str = "",
) -> IntakeResult:
    """A challan that arrived on paper, entered by someone who may edit the case; recorded
    exactly as the police API records one (``add_challan``)."""
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    if kind not in CHALLAN_KINDS:
        raise CaseError(_("Choose whether the challan is interim or final."))
    if submitted_on > pakistan_today():
        raise CaseError(_("The date the challan was submitted cannot be in the future."))
    if case.fir.registered_on and submitted_on < case.fir.registered_on.date():
        raise CaseError(_("The challan cannot be submitted before the FIR was registered."))
    io_name = " ".join(io_name.split())
    if len(io_name) > 120:
        raise CaseError(_("The investigating officer's name is too long (120 letters at most)."))
    case.version = version
    submitted = dt.datetime.combine(submitted_on, dt.time(), PKT)
    return add_challan(
        kernel,
        actor,
        case,
        kind,
        submitted.astimezone(dt.UTC).replace(tzinfo=None),
        io_name,
        reason=f"{kind.capitalize()} challan entered from paper",
    )
