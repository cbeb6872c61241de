"""Starting a case from a scan: a clerk uploads an FIR (or challan) before any case exists;
Mizan reads it and proposes the case in one form, or the existing case it belongs to.

Where the scan lives until then: only in the content-addressed blob store, named by a
:class:`ScanIntake` record (who, which district, the file, its reading job, the text read).
No ``CaseDocument`` is made for it: every document belongs to a case, and its district,
permissions, search entry and review all hang on that case, so a case-less document would
have to be an exception in each of them. When the clerk confirms, the case is created and
the scan is added to it by :func:`ingestion.service.upload_document`, the path of every
upload (so it is read, classified and indexed like any other); the bytes are not copied
(same SHA-256). The proposal is worked out from the stored text each time the page is
shown, by the same readers as a document's suggestions (``ingestion.metadata``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import BinaryIO

import mongoengine as me

from casefiles.fir_details import MAX_NARRATIVE, MAX_PLACE, update_fir
from casefiles.models import Case, DocumentPage
from casefiles.parties import PartyInput, add_party, build_party, set_offences
from casefiles.policy import can_view_case
from casefiles.service import CaseError, NewCase, create_case
from ingestion.metadata import Found, PageInput, find_metadata
from ingestion.service import (
    AlreadyUploaded,
    UploadError,
    check_lang,
    receive_upload,
    upload_document,
)
from ingestion.wordboxes import unpack_words
from legaltext.fir_fields import find_times
from legaltext.section_refs import SectionRefError, parse_section_refs
from mizan.accounts.roles import Capability
from mizan.accounts.service import PermissionDenied, require
from mizan.actor import Actor
from mizan.clock import pakistan_now, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.jobs import Job
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError, StaleWriteError
from mizan.worker import enqueue

READ_TASK = "ingestion.read_intake"
JOB_KIND = "ingest.intake"
#: The proposal is read from the first pages only: an FIR says what it is on page one, and
#: the whole file is read again once it is filed into a case.
MAX_PAGES = 10
#: The longest name (or parentage) a party holds (``casefiles.models.Party``).
MAX_NAME = 120
#: Extra empty rows offered for accused and witnesses the reader missed.
EXTRA_ROWS = 2


class IntakeState:
    QUEUED = "queued"
    READING = "reading"
    READY = "ready"
    FAILED = "failed"
    FILED = "filed"


class ScanIntake(Model):
    """A scan waiting to become (or join) a case; see the module docstring."""

    label = "scan"
    district = me.StringField(required=True)
    filename = me.StringField(required=True, max_length=255)
    media_type = me.StringField()
    sha256 = me.StringField(required=True, regex=r"^[0-9a-f]{64}$")
    size = me.IntField(min_value=0)
    language = me.StringField(default="eng")
    state = me.StringField(
        default=IntakeState.QUEUED,
        choices=[
            IntakeState.QUEUED,
            IntakeState.READING,
            IntakeState.READY,
            IntakeState.FAILED,
            IntakeState.FILED,
        ],
    )
    error = me.StringField()
    job_id = me.StringField()
    #: The pages read, as DocumentPage fields (text, method, confidence, words and
    #: geometry): filed into a case, they become the document's pages, so the scan is not
    #: read twice. ``page_count`` is the file's; more pages than MAX_PAGES are read then.
    pages = me.ListField(me.DictField())
    page_count = me.IntField(default=0)
    uploaded_by = me.StringField(required=True)
    uploaded_at = me.DateTimeField()
    #: Once filed: the case and the document the scan became.
    case_id = me.StringField()
    document_id = me.StringField()

    meta = {"collection": "scan_intakes", "indexes": [("district", "-uploaded_at")]}


class IntakeError(ValueError):
    """The proposal cannot be confirmed; ``errors`` maps each form field to what to fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


# -- starting ---------------------------------------------------------------------------------


def require_intake(actor: Actor) -> None:
    """Starting a case from a scan is opening a case and uploading: staff of a district."""
    require(actor, Capability.CREATE_CASE)
    require(actor, Capability.UPLOAD_DOCUMENT)
    if not actor.district:
        raise PermissionDenied(_("Starting a case from a scan is for the staff of a district."))


def start_intake(
    kernel: Kernel, actor: Actor, *, filename: str, stream: BinaryIO, lang: str = "eng"
) -> ScanIntake:
    """Keep the scan and queue its reading in the interactive lane."""
    require_intake(actor)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise UploadError(_("Choose a file to upload."))
    lang = check_lang(lang)
    sha, size, media_type = receive_upload(kernel, stream, name)
    intake = ScanIntake(
        district=actor.district or "",
        filename=name,
        media_type=media_type,
        sha256=sha,
        size=size,
        language=lang,
        uploaded_by=actor.user_id,
        uploaded_at=utc_naive_now(),
    )
    job = Job(
        kind=JOB_KIND,
        subject_type="intake",
        subject_id=intake.id,
        district=intake.district,
        title=name,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
    )
    intake.job_id = job.id
    with kernel.store.transaction():
        kernel.store.insert(intake)
        kernel.store.insert(job)
        kernel.emit(
            DomainEvent(
                "intake.uploaded",
                actor,
                "intake",
                intake.id,
                {"filename": name, "sha256": sha, "size": size, "district": intake.district},
            )
        )
        kernel.store.on_commit(lambda: enqueue(READ_TASK, job.id))
    return intake


def intake_for(kernel: Kernel, actor: Actor, intake_id: str) -> ScanIntake:
    """A scan ``actor`` may work on: one of their district's (LookupError otherwise, so
    another district's scan looks like one that does not exist)."""
    require_intake(actor)
    try:
        intake = kernel.store.get(ScanIntake, intake_id)
    except NotFoundError:
        raise LookupError(intake_id) from None
    if intake.district != actor.district:
        kernel.emit(
            DomainEvent("intake.access_denied", actor, "intake", intake.id, changes_state=False)
        )
        raise LookupError(intake_id)
    return intake


def intake_job(kernel: Kernel, intake: ScanIntake) -> Job | None:
    try:
        return kernel.store.get(Job, intake.job_id or "")
    except NotFoundError:
        return None


# -- the proposal -----------------------------------------------------------------------------


@dataclass
class PersonRow:
    name: str = ""
    parentage: str = ""
    cnic: str = ""


@dataclass
class Proposal:
    """The case as read (or as the clerk edited it): every value text, as in the form."""

    police_station: str = ""
    fir_number: str = ""
    fir_year: str = ""
    registered_on: str = ""
    registered_at: str = ""
    occurred_on: str = ""
    occurred_at: str = ""
    place: str = ""
    offences: str = ""
    narrative: str = ""
    complainant: PersonRow = field(default_factory=PersonRow)
    accused: list[PersonRow] = field(default_factory=list)
    witnesses: list[PersonRow] = field(default_factory=list)


def _person(found: Found) -> PersonRow:
    extra = found.extra or {}
    parentage = extra.get("parentage", "")
    if not parentage and extra.get("parent"):
        parentage = f"s/o {extra['parent']}"  # "Father's name": the clerk corrects d/o, w/o
    return PersonRow(extra.get("name", found.value), parentage, extra.get("cnic", ""))


def propose(intake: ScanIntake) -> Proposal:
    """The case the scan's text describes: for each field the first (surest) reading."""
    found = find_metadata(
        [
            PageInput(p["number"], p.get("text") or "", tuple(unpack_words(p.get("words"))))
            for p in intake.pages
        ]
    )
    first: dict[str, str] = {}
    for f in found:
        first.setdefault(f.field, f.value)
    complainants = [_person(f) for f in found if f.field == "complainant"]
    return Proposal(
        police_station=first.get("police_station", ""),
        fir_number=first.get("fir_number", ""),
        fir_year=first.get("fir_year", ""),
        registered_on=first.get("registered_on", ""),
        registered_at=first.get("registered_at", ""),
        occurred_on=first.get("occurred_on", ""),
        occurred_at=first.get("occurred_at", ""),
        place=first.get("place", ""),
        offences=first.get("offences", ""),
        narrative=first.get("narrative", ""),
        complainant=complainants[0] if complainants else PersonRow(),
        accused=[_person(f) for f in found if f.field == "accused"],
        witnesses=[],
    )


def existing_case(kernel: Kernel, actor: Actor, district: str, p: Proposal) -> Case | None:
    """The case of the district with the proposal's FIR (station + number + year), if the
    actor may see it."""
    try:
        number, year = int(p.fir_number), int(p.fir_year)
    except ValueError:
        return None
    station = " ".join(p.police_station.split())
    case = kernel.store.find_one(
        Case,
        {
            "district": district,
            "fir.police_station": station,
            "fir.number": number,
            "fir.year": year,
        },
    )
    return case if case is not None and can_view_case(actor, case) else None


# -- confirming -------------------------------------------------------------------------------


def _date(value: str, key: str, errors: dict[str, str]) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors[key] = _("Write the date as year-month-day, e.g. 2024-03-14.")
        return None
    if day > pakistan_today():
        errors[key] = _("The date cannot be in the future.")
    return day


def _time(value: str, key: str, errors: dict[str, str]) -> dt.time | None:
    text = value.strip()
    if not text:
        return None
    found = find_times(text)
    if len(found) != 1 or found[0].end - found[0].start != len(text):
        errors[key] = _("Write the time as hours:minutes, e.g. 22:30 or 10:30 pm.")
        return None
    hour, minute = found[0].value.split(":")
    return dt.time(int(hour), int(minute))


def _whole(value: str, key: str, low: int, high: int, message: str, errors: dict[str, str]) -> int:
    digits = value.strip()
    if not re.fullmatch(r"\d{1,5}", digits) or not low <= int(digits) <= high:
        errors[key] = message
        return 0
    return int(digits)


def _people(p: Proposal, actor: Actor, errors: dict[str, str]) -> list[PartyInput]:
    """Each filled person row as a party; a row's problem is reported on that row."""
    rows = [("complainant", "complainant", p.complainant)]
    rows += [("accused", f"accused-{n}", r) for n, r in enumerate(p.accused)]
    rows += [("witness", f"witness-{n}", r) for n, r in enumerate(p.witnesses)]
    out = []
    for role, key, row in rows:
        if not (row.name.strip() or row.parentage.strip() or row.cnic.strip()):
            continue
        if len(row.name) > MAX_NAME or len(row.parentage) > MAX_NAME:
            errors[key] = _("Shorten the name to %(n)d letters.", n=MAX_NAME)
            continue
        data = PartyInput(role=role, name=row.name, parentage=row.parentage, cnic=row.cnic)
        try:
            build_party(data, actor)  # the same checks add_party makes, before anything is written
        except CaseError as exc:
            errors[key] = str(exc)
            continue
        out.append(data)
    return out


@dataclass(frozen=True)
class _Checked:
    station: str
    number: int
    year: int
    registered: dt.date | None
    incident: dt.datetime | None
    place: str
    narrative: str
    offences: str
    parties: list[PartyInput]


def _check(kernel: Kernel, actor: Actor, intake: ScanIntake, p: Proposal) -> _Checked:
    """Every value checked before anything is written; IntakeError lists all problems."""
    errors: dict[str, str] = {}
    station = " ".join(p.police_station.split())
    if not station or len(station) > 80:
        errors["police_station"] = _("Enter the police station (80 letters at most).")
    this_year = utc_naive_now().year
    number = _whole(
        p.fir_number,
        "fir_number",
        1,
        99999,
        _("The FIR number must be between 1 and 99999."),
        errors,
    )
    year = _whole(
        p.fir_year,
        "fir_year",
        1947,
        this_year,
        _("The FIR year must be between 1947 and %(year)d.", year=this_year),
        errors,
    )
    registered = _date(p.registered_on, "registered_on", errors)
    _time(p.registered_at, "registered_at", errors)
    occurred = _date(p.occurred_on, "occurred_on", errors)
    clock = _time(p.occurred_at, "occurred_at", errors)
    if clock and not occurred and "occurred_on" not in errors:
        errors["occurred_on"] = _("Give the date of occurrence with its time.")
    incident = dt.datetime.combine(occurred, clock or dt.time()) if occurred else None
    if incident and incident > pakistan_now().replace(tzinfo=None):
        errors["occurred_at"] = _("The incident cannot be in the future.")
    if occurred and registered and occurred > registered:
        errors["occurred_on"] = _("The occurrence cannot be after the FIR was registered.")
    place = " ".join(p.place.split())
    if len(place) > MAX_PLACE:
        errors["place"] = _("Shorten the place of the incident to %(n)d letters.", n=MAX_PLACE)
    narrative = p.narrative.strip().replace("\r\n", "\n")
    if len(narrative) > MAX_NARRATIVE:
        errors["narrative"] = _(
            "The narrative is %(n)d letters long; at most %(max)d fit.",
            n=len(narrative),
            max=MAX_NARRATIVE,
        )
    offences = p.offences.strip()
    if offences:
        try:
            parse_section_refs(offences)
        except SectionRefError as exc:
            errors["offences"] = str(exc)
    parties = _people(p, actor, errors)
    if not errors:
        clash = existing_case(kernel, actor, intake.district, p)
        if clash is not None:
            errors["fir_number"] = _(
                "%(ref)s is already registered; file the scan into that case instead.",
                ref=clash.reference,
            )
    if errors:
        raise IntakeError(errors)
    return _Checked(
        station, number, year, registered, incident, place, narrative, offences, parties
    )


def _fresh(kernel: Kernel, intake: ScanIntake, version: int) -> ScanIntake:
    """The intake as the clerk saw it, ready to be filed; a second confirmation is refused."""
    if intake.state == IntakeState.FILED:
        raise CaseError(_("This scan has already been filed into a case."))
    if intake.state != IntakeState.READY:
        raise CaseError(_("The scan is still being read; wait until its details are shown."))
    if intake.version != version:
        raise StaleWriteError(intake.label, intake.id, version, intake.version)
    return intake


def _file(
    kernel: Kernel, actor: Actor, intake: ScanIntake, case: Case, version: int
) -> tuple[Case, str]:
    """Add the scan to ``case`` through the ordinary upload and mark the intake filed."""
    with kernel.blobs.path(intake.sha256).open("rb") as stream:
        try:
            doc = upload_document(
                kernel,
                actor,
                case.id,
                filename=intake.filename,
                stream=stream,
                lang=intake.language,
            )
            document_id = doc.id
            _reuse_pages(kernel, intake, document_id)
        except AlreadyUploaded as exc:  # already in that case: nothing to add
            document_id = exc.existing.id
    intake.state, intake.case_id, intake.document_id = IntakeState.FILED, case.id, document_id
    intake.version = version
    kernel.store.replace(intake)  # refused if another confirmation got there first
    kernel.emit(
        DomainEvent(
            "intake.filed",
            actor,
            "intake",
            intake.id,
            {"case_id": case.id, "document_id": document_id},
        )
    )
    return case, document_id


def _reuse_pages(kernel: Kernel, intake: ScanIntake, document_id: str) -> None:
    """Give the new document the pages already read (all of them, or none: its own job
    reads what is missing), so filing costs no second OCR."""
    if not intake.pages or len(intake.pages) < intake.page_count:
        return
    now = utc_naive_now()
    # A document whose reading had failed is read again (upload_document): keep its pages.
    have = {p.number for p in kernel.store.find(DocumentPage, {"document_id": document_id})}
    for page in intake.pages:
        if page["number"] not in have:
            kernel.store.insert(DocumentPage(document_id=document_id, extracted_at=now, **page))


def confirm_intake(
    kernel: Kernel, actor: Actor, intake_id: str, proposal: Proposal, *, version: int
) -> tuple[Case, str]:
    """Create the case from the (edited) proposal and file the scan into it, all or nothing.

    Returns the case and the document id. Raises IntakeError (per field, a duplicate FIR
    included), CaseError, PermissionDenied, LookupError, StaleWriteError (someone confirmed
    this scan meanwhile).
    """
    intake = _fresh(kernel, intake_for(kernel, actor, intake_id), version)
    checked = _check(kernel, actor, intake, proposal)
    with kernel.store.transaction():  # the services' own transactions join this one
        case = create_case(
            kernel,
            actor,
            NewCase(
                district=intake.district,
                police_station=checked.station,
                fir_number=checked.number,
                fir_year=checked.year,
                title="",
                registered_on=checked.registered,
            ),
        )
        if checked.incident or checked.place or checked.narrative:
            case = update_fir(
                kernel,
                actor,
                case.id,
                version=kernel.store.get(Case, case.id).version,
                incident_at=checked.incident,
                place=checked.place or None,
                narrative=checked.narrative or None,
            )
        if checked.offences:
            case = set_offences(
                kernel,
                actor,
                case.id,
                version=kernel.store.get(Case, case.id).version,
                text=checked.offences,
            )
        for data in checked.parties:
            case = add_party(
                kernel, actor, case.id, version=kernel.store.get(Case, case.id).version, data=data
            )
        return _file(kernel, actor, intake, case, version)


def file_intake(
    kernel: Kernel, actor: Actor, intake_id: str, case_id: str, *, version: int
) -> tuple[Case, str]:
    """File the scan into an existing case (the one with the same FIR)."""
    intake = _fresh(kernel, intake_for(kernel, actor, intake_id), version)
    try:
        case = kernel.store.get(Case, case_id)
    except NotFoundError:
        raise LookupError(case_id) from None
    if not can_view_case(actor, case) or case.district != intake.district:
        raise LookupError(case_id)
    with kernel.store.transaction():
        return _file(kernel, actor, intake, case, version)
