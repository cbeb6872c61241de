"""A clerk's review of what the machine read: document type and case-detail suggestions.

The classifier and the metadata reader only ever *suggest*. A clerk corrects the type (kept
for good: the classifier never overwrites it) and confirms, edits or rejects each suggestion;
a confirmed value fills the case through the case-file services, so it is permission-checked
and audited like any other edit. A value read with low OCR confidence cannot be confirmed
until the clerk says they compared it with the page image.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import mongoengine as me

from casefiles.fir_details import MAX_NARRATIVE, update_fir
from casefiles.models import Case, CaseDocument
from casefiles.parties import PartyInput, add_party, set_offences
from casefiles.policy import can_edit_case
from casefiles.service import CaseError, ensure_can_edit, get_case
from ingestion.classify import DOCUMENT_TYPES, Agreement, agreement
from ingestion.metadata import parse_date
from legaltext.fir_fields import find_cnics, find_times
from legaltext.person_names import name_key, parse_parentage
from legaltext.section_refs import SectionRefError, parse_section_refs
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError

__all__ = [
    "FIELD_LABELS",
    "DocumentSuggestion",
    "ReviewError",
    "already_in_case",
    "clerk_agreement",
    "decide_suggestion",
    "set_document_type",
    "suggestions_for",
]

FIELD_LABELS = {
    "fir_number": _l("FIR number"),
    "fir_year": _l("FIR year"),
    "police_station": _l("Police station"),
    "district": _l("District"),
    "registered_on": _l("FIR registered on"),
    "registered_at": _l("Time of report"),
    "occurred_on": _l("Date of occurrence"),
    "occurred_at": _l("Time of occurrence"),
    "place": _l("Place of occurrence"),
    "offences": _l("Sections of law"),
    "complainant": _l("Complainant"),
    "accused": _l("Accused"),
    "narrative": _l("What happened (brief facts)"),
    "court_case_number": _l("Court case number"),
    "citation": _l("Law-report citation"),
}
#: Fields whose confirmed value changes the case; the others are kept with the document.
FILLS_CASE = {
    "fir_number",
    "fir_year",
    "police_station",
    "registered_on",
    "occurred_on",
    "occurred_at",
    "place",
    "offences",
    "complainant",
    "accused",
    "narrative",
}
#: Longest value a suggestion holds: a narrative may be pages long, other values are short.
MAX_VALUE = {"narrative": MAX_NARRATIVE}


class ReviewError(ValueError):
    """A decision that cannot be taken; the message tells the clerk what to do."""


class DocumentSuggestion(Model):
    """One value read from a document, with where it was read and how sure the reading is."""

    label = "suggestion"
    document_id = me.StringField(required=True)
    case_id = me.StringField(required=True)
    field = me.StringField(required=True, choices=list(FIELD_LABELS))
    value = me.StringField(required=True, max_length=MAX_NARRATIVE)
    raw = me.StringField(max_length=2000)
    page = me.IntField(min_value=1)
    start = me.IntField(min_value=0)
    end = me.IntField(min_value=0)
    confidence = me.FloatField()
    ocr_confidence = me.FloatField()
    flagged = me.BooleanField(default=False)
    extra = me.DictField()
    status = me.StringField(default="pending", choices=("pending", "confirmed", "rejected"))
    final_value = me.StringField(max_length=MAX_NARRATIVE)
    decided_by = me.StringField()
    decided_at = me.DateTimeField()
    created_at = me.DateTimeField()

    meta = {
        "collection": "document_suggestions",
        "indexes": [("document_id", "status"), "case_id"],
    }


def _editable_document(kernel: Kernel, actor: Actor, document_id: str) -> tuple[CaseDocument, Case]:
    """The document and its case, if ``actor`` may change that case (else LookupError or
    PermissionDenied, as the case services raise them)."""
    try:
        doc = kernel.store.get(CaseDocument, document_id)
    except NotFoundError:
        raise LookupError(document_id) from None
    case = get_case(kernel, actor, doc.case_id)
    ensure_can_edit(actor, case)
    return doc, case


def set_document_type(
    kernel: Kernel, actor: Actor, document_id: str, *, version: int, doc_type: str
) -> CaseDocument:
    """A clerk's type for the document; the classifier's answer is kept beside it."""
    doc, _case = _editable_document(kernel, actor, document_id)
    if doc_type not in DOCUMENT_TYPES:
        raise ReviewError(_("Choose one of the document types in the list."))
    before = doc.doc_type
    doc.version = version
    doc.doc_type, doc.doc_type_source = doc_type, "clerk"
    with kernel.store.transaction():
        kernel.store.replace(doc)
        kernel.emit(
            DomainEvent(
                "document.retyped",
                actor,
                "document",
                doc.id,
                {"from": before, "to": doc_type, "by": "clerk", "classifier": doc.doc_type_auto},
            )
        )
    return doc


def suggestions_for(kernel: Kernel, doc: CaseDocument) -> list[DocumentSuggestion]:
    """A document's suggestions in review order (the caller has checked access)."""
    order = list(FIELD_LABELS)
    found = kernel.store.find(DocumentSuggestion, {"document_id": doc.id})
    return sorted(found, key=lambda s: (order.index(s.field), s.page or 0, s.start or 0))


def _int(value: str, message: str) -> int:
    digits = value.strip().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    if not re.fullmatch(r"\d{1,5}", digits):
        raise ReviewError(message)
    return int(digits)


def _date(value: str) -> dt.date:
    text = value.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})\s*[./\-]\s*(\d{1,2}|[A-Za-z]{3,9})\s*[./\-]\s*(\d{4})", text)
    parsed = parse_date(*m.groups()) if m else None
    if parsed is None:
        raise ReviewError(
            _("Write the date as day.month.year, e.g. 14.03.2024, and not in the future.")
        )
    return parsed


_CNIC_PART = re.compile(r",?\s*\bCNIC\b[\s:.]*(?:No\.?)?[\s:.]*(?P<cnic>[\d۰-۹][\d۰-۹ \-]*)", re.I)


def _person(value: str) -> tuple[str, str, str]:
    """("Akbar @ Kaka", "s/o Noor Muhammad", "42101-1234567-1") from
    "Akbar @ Kaka s/o Noor Muhammad, CNIC 42101-1234567-1" (the CNIC may be absent)."""
    cnic = ""
    m_cnic = _CNIC_PART.search(value)
    if m_cnic:
        found = find_cnics(m_cnic["cnic"])
        if not found:
            raise ReviewError(_("Write the CNIC with its 13 digits, e.g. 42101-1234567-1."))
        cnic = found[0].value
        value = value[: m_cnic.start()] + value[m_cnic.end() :]
    relation, parent = parse_parentage(value)
    if relation is None:
        return value.strip(" ,"), "", cnic
    m = re.search(r"\b(?:s/o|d/o|w/o|son of|daughter of|wife of)\b", value, re.IGNORECASE)
    name = value[: m.start()].strip(" ,") if m else value
    return name, f"{relation} {parent}" if parent else "", cnic


def _time(value: str) -> dt.time:
    found = find_times(value.strip())
    if len(found) != 1 or found[0].end - found[0].start != len(value.strip()):
        raise ReviewError(_("Write the time as hours:minutes, e.g. 22:30 or 10:30 pm."))
    hour, minute = found[0].value.split(":")
    return dt.time(int(hour), int(minute))


def _apply(kernel: Kernel, actor: Actor, s: DocumentSuggestion, value: str, version: int) -> str:
    """Fill the case from a confirmed value, through the case-file services; returns the
    value as kept."""
    field = s.field
    if field in FILLS_CASE and already_in_case(
        DocumentSuggestion(field=field, value=value), get_case(kernel, actor, s.case_id)
    ):
        return value  # nothing to change: confirming records that the document agrees
    if field == "fir_number":
        number = _int(value, _("The FIR number must be between 1 and 99999."))
        update_fir(kernel, actor, s.case_id, version=version, number=number)
    elif field == "fir_year":
        update_fir(
            kernel,
            actor,
            s.case_id,
            version=version,
            year=_int(value, _("Write the FIR year with four digits, e.g. 2024.")),
        )
    elif field == "police_station":
        update_fir(kernel, actor, s.case_id, version=version, police_station=value)
    elif field == "registered_on":
        update_fir(kernel, actor, s.case_id, version=version, registered_on=_date(value))
    elif field == "offences":
        try:
            found = [r.canonical() for r in parse_section_refs(value)]
        except SectionRefError as exc:
            raise ReviewError(str(exc)) from None
        current = [o.canonical for o in get_case(kernel, actor, s.case_id).offences]
        merged = list(dict.fromkeys([*current, *found]))
        set_offences(kernel, actor, s.case_id, version=version, text="; ".join(merged))
    elif field in ("accused", "complainant"):
        name, parentage, cnic = _person(value)
        add_party(
            kernel,
            actor,
            s.case_id,
            version=version,
            data=PartyInput(role=field, name=name, parentage=parentage, cnic=cnic),
        )
    elif field == "occurred_on":  # the day; a time of day already in the case is kept
        day = _date(value)
        known = get_case(kernel, actor, s.case_id).fir.incident_at
        at = dt.datetime.combine(day, known.time() if known else dt.time())
        update_fir(kernel, actor, s.case_id, version=version, incident_at=at)
        value = day.isoformat()
    elif field == "occurred_at":
        clock = _time(value)
        known = get_case(kernel, actor, s.case_id).fir.incident_at
        if known is None:
            raise ReviewError(_("Confirm the date of occurrence first, then its time."))
        at = dt.datetime.combine(known.date(), clock)
        update_fir(kernel, actor, s.case_id, version=version, incident_at=at)
        value = clock.strftime("%H:%M")
    elif field == "registered_at":
        value = _time(value).strftime("%H:%M")
    elif field == "place":
        update_fir(kernel, actor, s.case_id, version=version, place=value)
    elif field == "narrative":
        update_fir(kernel, actor, s.case_id, version=version, narrative=value)
    return value


def decide_suggestion(
    kernel: Kernel,
    actor: Actor,
    suggestion_id: str,
    *,
    decision: str,
    value: str = "",
    checked_image: bool = False,
    case_version: int | None = None,
) -> DocumentSuggestion:
    """Confirm (possibly edited) or reject one suggestion; a confirmed value fills the case.

    ``case_version`` is the case version the clerk saw, so a case changed meanwhile is not
    overwritten (the store refuses the stale write).
    """
    try:
        s = kernel.store.get(DocumentSuggestion, suggestion_id)
    except NotFoundError:
        raise LookupError(suggestion_id) from None
    _doc, case = _editable_document(kernel, actor, s.document_id)
    if decision not in ("confirm", "reject"):
        raise ReviewError(_("Choose to confirm or to reject the suggestion."))
    if s.status != "pending":
        raise ReviewError(_("This suggestion has already been decided."))
    # A narrative keeps its lines; every other value is one line.
    lines = (value or s.value).splitlines() if s.field == "narrative" else [value or s.value]
    value = "\n".join(" ".join(line.split()) for line in lines if line.strip())
    if decision == "confirm":
        if not value:
            raise ReviewError(_("Write the value, or reject the suggestion."))
        limit = MAX_VALUE.get(s.field, 1000)
        if len(value) > limit:
            raise ReviewError(_("The value is too long (%(n)d letters at most).", n=limit))
        if s.flagged and not checked_image:
            raise ReviewError(
                _(
                    "This value was read with low OCR confidence. Compare it with the page "
                    "image, correct it if needed, and tick “I checked it against the page”."
                )
            )
        try:
            version = case.version if case_version is None else case_version
            value = _apply(kernel, actor, s, value, version)
        except CaseError as exc:
            raise ReviewError(str(exc)) from None
    s.status = "confirmed" if decision == "confirm" else "rejected"
    s.final_value = value if decision == "confirm" else None
    s.decided_by, s.decided_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(s)
        kernel.emit(
            DomainEvent(
                f"document.suggestion_{s.status}",
                actor,
                "document",
                s.document_id,
                {
                    "suggestion_id": s.id,
                    "field": s.field,
                    "suggested": s.value,
                    "value": s.final_value,
                    "edited": decision == "confirm" and value != s.value,
                    "fills_case": decision == "confirm" and s.field in FILLS_CASE,
                },
            )
        )
    return s


def clerk_agreement(kernel: Kernel) -> Agreement:
    """The classifier measured on every document whose type a clerk has set (confirming
    the classifier's answer counts as agreement, correcting it as an error)."""
    docs = kernel.store.find(
        CaseDocument, {"doc_type_source": "clerk", "doc_type_auto": {"$exists": True}}
    )
    return agreement((d.doc_type_auto, d.doc_type) for d in docs if d.doc_type_auto)


def visible_suggestion(kernel: Kernel, actor: Actor, suggestion_id: str) -> DocumentSuggestion:
    """A suggestion on a case ``actor`` may see; LookupError otherwise (so nothing about
    it leaks)."""
    try:
        suggestion = kernel.store.get(DocumentSuggestion, suggestion_id)
    except NotFoundError:
        raise LookupError(suggestion_id) from None
    get_case(kernel, actor, suggestion.case_id)
    return suggestion


@dataclass(frozen=True)
class ReviewState:
    """The review panel of a document for one user: its case, whether they may review,
    the suggestions, and which of them the case already holds."""

    case: Case
    can_review: bool
    suggestions: list[DocumentSuggestion]
    in_case: set[str]


def review_state(kernel: Kernel, actor: Actor, doc: CaseDocument) -> ReviewState:
    """The review panel for a document ``actor`` may see (the caller has checked that)."""
    case = kernel.store.get(Case, doc.case_id)
    suggestions = suggestions_for(kernel, doc)
    return ReviewState(
        case=case,
        can_review=can_edit_case(actor, case),
        suggestions=suggestions,
        in_case={s.id for s in suggestions if already_in_case(s, case)},
    )


def already_in_case(s: DocumentSuggestion, case: Case) -> bool:
    """Whether the case already holds this value (shown, so a clerk need not re-key it)."""
    fir = case.fir
    if s.field == "fir_number":
        return s.value == str(fir.number)
    if s.field == "fir_year":
        return s.value == str(fir.year)
    if s.field == "police_station":
        return s.value.casefold() == fir.police_station.casefold()
    if s.field == "registered_on":
        return bool(fir.registered_on) and s.value == fir.registered_on.date().isoformat()
    if s.field == "offences":
        have = {o.canonical for o in case.offences}
        return bool(have) and set(s.value.split("; ")) <= have
    if s.field == "occurred_on":
        return bool(fir.incident_at) and s.value == fir.incident_at.date().isoformat()
    if s.field == "occurred_at":
        return bool(fir.incident_at) and s.value == fir.incident_at.strftime("%H:%M")
    if s.field == "place":
        return bool(fir.place) and s.value.casefold() == fir.place.casefold()
    if s.field == "narrative":
        return bool(fir.narrative) and " ".join(s.value.split()) == " ".join(fir.narrative.split())
    if s.field in ("accused", "complainant"):
        try:
            name, parentage, _cnic = _person(s.value)
        except ReviewError:
            return False
        parent = parse_parentage(parentage)[1] if parentage else None
        key, parent_key = name_key(name), name_key(parent) if parent else None
        return any(
            p.role == s.field and key in p.name_keys and (p.parent_key or None) == parent_key
            for p in case.parties
        )
    return False
