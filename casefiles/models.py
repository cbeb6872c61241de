"""Case-file records. The case grows with later work (parties, offences, hearings,
deadlines); the fields here are the ones the rest of the system relies on."""

from __future__ import annotations

from enum import StrEnum

import mongoengine as me

from casefiles.hearings import court_key
from legaltext.search_terms import terms
from mizan.clock import utc_naive_now
from mizan.i18n import lazy_gettext as _l
from mizan.storage import Model, new_id

#: Workflow stages of a case (the state machine of the domain notes), with their labels.
CASE_STATES = {
    "FIR_REGISTERED": _l("FIR registered"),
    "UNDER_INVESTIGATION": _l("Under investigation"),
    "REPORT_UNDER_SCRUTINY": _l("Report under scrutiny"),
    "RETURNED_TO_IO": _l("Returned to the IO"),
    "CANCELLATION_PROPOSED": _l("Cancellation proposed"),
    "FILED_IN_COURT": _l("Filed in court"),
    "COGNIZANCE_TAKEN": _l("Cognizance taken"),
    "PRE_CHARGE": _l("Before charge"),
    "CHARGE_FRAMED": _l("Charge framed"),
    "PROSECUTION_EVIDENCE": _l("Prosecution evidence"),
    "S342_DEFENCE": _l("Statement of accused (s.342) and defence"),
    "ARGUMENTS": _l("Arguments"),
    "RESERVED": _l("Judgment reserved"),
    "DECIDED": _l("Decided"),
    "APPEAL_OR_REVISION": _l("Appeal or revision"),
    "CLOSED": _l("Closed"),
}
#: The case has left the trial court (decided, or closed incl. cancellations); every
#: other stage is pending (an appeal still is).
DISPOSED_STATES = ("DECIDED", "CLOSED")
#: Labels that change how a case is handled (clocks, access, confidentiality).
CASE_LABELS = {
    "ATA": _l("Anti-terrorism (ATA)"),
    "JIT": _l("Joint investigation team"),
    "PROTECTED_WITNESS": _l("Protected witness"),
    "JUVENILE": _l("Juvenile"),
    "SEXUAL_OFFENCE": _l("Sexual offence"),
}
DOCUMENT_STATES = {
    "queued": _l("Waiting"),
    "processing": _l("Being read"),
    "ready": _l("Ready"),
    "failed": _l("Failed"),
}


class FirRef(me.EmbeddedDocument):
    """An FIR is identified by police station + number + year (the number restarts yearly).

    Its dates and times are Pakistan time as written in the FIR (naive), unlike the
    rest of the store (naive UTC): the deadlines they start count Pakistan calendar
    days, so `registered_on.date()` must be the day the FIR says.
    """

    police_station = me.StringField(required=True, max_length=80)
    number = me.IntField(required=True, min_value=1, max_value=99999)
    year = me.IntField(required=True, min_value=1947, max_value=2100)
    registered_on = me.DateTimeField()
    #: When and where the offence happened, as the FIR records it (Pakistan time).
    incident_at = me.DateTimeField()
    place = me.StringField(max_length=200)
    narrative = me.StringField(max_length=20000)


class Challan(me.EmbeddedDocument):
    """A police report under s.173 (interim or final) as received by the prosecution."""

    kind = me.StringField(required=True, choices=("interim", "final"))
    submitted_on = me.DateTimeField(required=True)
    received_at = me.DateTimeField(required=True)
    source = me.StringField()
    io_name = me.StringField(max_length=120)


PARTY_ROLES = {
    "accused": _l("Accused"),
    "complainant": _l("Complainant"),
    "witness": _l("Witness"),
}
CUSTODY = {
    "not_arrested": _l("Not arrested"),
    "arrested": _l("In custody"),
    "on_bail": _l("On bail"),
    "absconding": _l("Absconding"),
    "released": _l("Released"),
}


class Offence(me.EmbeddedDocument):
    """One section of law the case is registered under, e.g. 302(b) PPC."""

    act = me.StringField(required=True)
    section = me.StringField(required=True)
    subsections = me.ListField(me.StringField())
    raw = me.StringField()

    @property
    def canonical(self) -> str:
        return self.section + "".join(f"({s})" for s in self.subsections) + f" {self.act}"


class Party(me.EmbeddedDocument):
    """An accused, complainant or witness as named in the FIR and the police report."""

    id = me.StringField(required=True, default=new_id)
    role = me.StringField(required=True, choices=list(PARTY_ROLES))
    name = me.StringField(required=True, max_length=120)
    aliases = me.ListField(me.StringField(max_length=80))
    relation = me.StringField(choices=("s/o", "d/o", "w/o"))
    parent_name = me.StringField(max_length=120)
    cnic = me.StringField(regex=r"^\d{5}-\d{7}-\d$")
    gender = me.StringField(choices=("male", "female", "other"))
    custody = me.StringField(choices=list(CUSTODY))
    #: A protected witness (ATA s.21AA, Sindh Witness Protection Act 2013): only the
    #: assigned prosecutors see who it is; everyone else sees the pseudonym.
    protected = me.BooleanField(default=False)
    pseudonym = me.StringField(max_length=60)
    #: A protected witness's identity fields, sealed (casefiles.protected_identities);
    #: the plain fields then hold only the pseudonym.
    sealed_identity = me.StringField()
    #: Transliteration-tolerant keys for the person index (see legaltext.person_names).
    name_keys = me.ListField(me.StringField())
    parent_key = me.StringField()
    added_by = me.StringField()
    added_at = me.DateTimeField()

    @property
    def shown_name(self) -> str:
        """The name anyone may see: a protected witness's pseudonym."""
        return (self.pseudonym or "") if self.protected else self.name


class StageChange(me.EmbeddedDocument):
    """Who moved the case to which stage, when and why."""

    from_state = me.StringField(required=True)
    to_state = me.StringField(required=True)
    at = me.DateTimeField(required=True)
    by = me.StringField(required=True)
    by_name = me.StringField()
    reason = me.StringField(max_length=2000)
    outcome = me.StringField()
    cancellation_class = me.StringField()


class ScrutinyRecord(me.EmbeddedDocument):
    """One scrutiny decision on a police report, kept in the case for good."""

    at = me.DateTimeField(required=True)
    by = me.StringField(required=True)
    by_name = me.StringField()
    checked = me.ListField(me.StringField())
    missing = me.ListField(me.StringField())
    objections = me.ListField(me.StringField(max_length=1000))
    decision = me.StringField(required=True, choices=("fit_for_trial", "returned"))
    opinion = me.StringField(max_length=5000)


class AssignmentChange(me.EmbeddedDocument):
    """Who gave the case to whom, when and why (reassignments keep their reason)."""

    at = me.DateTimeField(required=True)
    by = me.StringField(required=True)
    by_name = me.StringField()
    lead_before = me.StringField()
    assisting_before = me.ListField(me.StringField())
    lead = me.StringField()
    assisting = me.ListField(me.StringField())
    reason = me.StringField(max_length=2000)


class CourtCaseRef(me.EmbeddedDocument):
    """The number a court gave the case ("Sessions Case No. 338 of 2023"), as cause lists
    name it; ``number`` is the canonical spelling (legaltext.case_numbers)."""

    court = me.StringField(required=True, max_length=120)
    number = me.StringField(required=True)
    raw = me.StringField()
    added_at = me.DateTimeField()


class Case(Model):
    label = "case"
    title = me.StringField(required=True, max_length=200)
    district = me.StringField(required=True)
    fir = me.EmbeddedDocumentField(FirRef, required=True)
    #: "FIR 189/2024 PS Makli" — how people refer to the case.
    reference = me.StringField(required=True)
    state = me.StringField(default="FIR_REGISTERED")
    outcome = me.StringField()
    history = me.EmbeddedDocumentListField(StageChange)
    labels = me.ListField(me.StringField())
    offences = me.EmbeddedDocumentListField(Offence)
    challans = me.EmbeddedDocumentListField(Challan)
    scrutinies = me.EmbeddedDocumentListField(ScrutinyRecord)
    parties = me.EmbeddedDocumentListField(Party)
    lead_prosecutor = me.StringField()
    assisting = me.ListField(me.StringField())
    created_by = me.StringField()
    created_at = me.DateTimeField()
    updated_at = me.DateTimeField()
    #: Every change of the prosecutors, oldest first (see casefiles.service.assign).
    assignments = me.EmbeddedDocumentListField(AssignmentChange)
    #: Court numbers of the trial, and their lookup keys "<court key>|<number>" (indexed).
    court_cases = me.EmbeddedDocumentListField(CourtCaseRef)
    court_case_keys = me.ListField(me.StringField())
    #: The person index's lookup keys of the accused: "t:<folded name word>" and
    #: "c:<CNIC>" (indexed). Derived from ``parties`` on every save, see ``clean``.
    accused_keys = me.ListField(me.StringField())
    #: Derived on every save (``clean``), indexed, so the dashboard counts from indexes
    #: alone: every stage the case has been in (the current one included), and the
    #: assisting prosecutors while the case is pending (empty once decided or closed).
    stages = me.ListField(me.StringField())
    open_assisting = me.ListField(me.StringField())
    #: True while the case has never left the investigation (no report has reached the
    #: prosecutor yet): the interim challan clock still runs.
    investigation_only = me.BooleanField()
    #: Derived on every save (``clean``), indexed, for the case list's filters and counts
    #: (casefiles.case_lists): when the case entered its current stage, its offences as
    #: "<section> <act>" (no subsections), the court keys of its trial numbers, and the
    #: folded words of its reference, title, police station and court numbers.
    stage_since = me.DateTimeField()
    offence_keys = me.ListField(me.StringField())
    courts = me.ListField(me.StringField())
    search_keys = me.ListField(me.StringField())
    #: "s:<stage>", "p:<police station>", "l:<lead prosecutor>" ("l:" if none),
    #: "d:<district>": an indexed list is counted from its side table without opening a
    #: case, which SQLite would do to count a plain field (seconds at 100,000 cases).
    facet_keys = me.ListField(me.StringField())

    meta = {
        "collection": "cases",
        # Wide indexes so list and dashboard counts are answered from the index alone
        # (measured with bench/bench_cases.py; narrow ones made SQLite read documents).
        "indexes": [
            (
                "district",
                "state",
                "fir.registered_on",
                "created_at",
                "lead_prosecutor",
                "outcome",
                "investigation_only",
            ),
            # The last field serves the overdue challan count (see casefiles.reports).
            (
                "state",
                "fir.registered_on",
                "created_at",
                "district",
                "lead_prosecutor",
                "outcome",
                "investigation_only",
            ),
            "lead_prosecutor",
            # A list: the embedded store keeps its values in a side table (indexed).
            "assisting",
            "court_case_keys",
            "accused_keys",
            "labels",
            "stages",
            "open_assisting",
            "reference",
            "offence_keys",
            "courts",
            "search_keys",
            "facet_keys",
            ("district", "stage_since"),
            "stage_since",
            {
                "fields": ["district", "fir.police_station", "fir.number", "fir.year"],
                "unique": True,
            },
            ("district", "-created_at"),
            # The province-wide case list's sorts (casefiles.case_lists).
            "created_at",
            "fir.registered_on",
        ],
    }

    @property
    def prosecutors(self) -> list[str]:
        return ([self.lead_prosecutor] if self.lead_prosecutor else []) + list(self.assisting)

    def clean(self) -> None:
        """Keep the person index's keys equal to the accused (runs on every store write)."""
        keys: set[str] = set()
        for party in self.parties:
            if party.role != "accused":
                continue
            keys.update(f"t:{word}" for key in party.name_keys for word in key.split())
            if party.cnic:
                keys.add(f"c:{party.cnic}")
        self.accused_keys = sorted(keys)
        visited = {self.state} | {s for h in self.history for s in (h.from_state, h.to_state)}
        self.stages = sorted(visited)
        self.investigation_only = visited <= {"FIR_REGISTERED", "UNDER_INVESTIGATION"}
        self.open_assisting = [] if self.state in DISPOSED_STATES else list(self.assisting)
        # Never empty: ``casefiles.derived`` re-saves cases lacking it.
        self.stage_since = (
            self.history[-1].at if self.history else self.created_at or utc_naive_now()
        )
        self.offence_keys = sorted({f"{o.section} {o.act}" for o in self.offences})
        self.courts = sorted({court_key(c.court) for c in self.court_cases})
        words = [self.reference, self.title, self.fir.police_station if self.fir else ""]
        words += [c.number for c in self.court_cases]
        self.search_keys = sorted({t for text in words if text for t in terms(text)})
        station = self.fir.police_station if self.fir else ""
        self.facet_keys = [
            f"s:{self.state}",
            f"p:{station}",
            f"l:{self.lead_prosecutor or ''}",
            f"d:{self.district}",
        ]


class DocumentState(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class CaseDocument(Model):
    """One uploaded file in a case file; the original bytes live in the blob store."""

    label = "document"
    case_id = me.StringField(required=True)
    district = me.StringField(required=True)
    title = me.StringField(required=True, max_length=200)
    filename = me.StringField(required=True, max_length=255)
    media_type = me.StringField()
    sha256 = me.StringField(required=True, regex=r"^[0-9a-f]{64}$")
    size = me.IntField(min_value=0)
    doc_type = me.StringField(default="other")
    #: How doc_type was set: "auto" (the classifier) or "clerk" (a person; never overwritten
    #: by the classifier). doc_type_auto keeps the classifier's last answer either way, so
    #: clerk corrections measure the classifier (ingestion.classify.agreement).
    doc_type_source = me.StringField(default="auto", choices=("auto", "clerk"))
    doc_type_auto = me.StringField()
    doc_type_score = me.FloatField()
    doc_type_cues = me.ListField(me.StringField())
    language = me.StringField(default="eng")
    state = me.StringField(default=DocumentState.QUEUED, choices=[s.value for s in DocumentState])
    page_count = me.IntField(default=0)
    job_id = me.StringField()
    error = me.StringField()
    uploaded_by = me.StringField()
    uploaded_at = me.DateTimeField()
    #: Versions: every version of a document shares the id of the first one as
    #: ``series_id``; an older version points to the one that replaced it.
    series_id = me.StringField()
    version_no = me.IntField(default=1, min_value=1)
    superseded_by = me.StringField()
    #: A searchable PDF made from a scanned original (page images + invisible text).
    searchable_sha256 = me.StringField(regex=r"^[0-9a-f]{64}$")

    meta = {
        "collection": "documents",
        "indexes": ["case_id", "sha256", "state", ("district", "-uploaded_at"), "series_id"],
    }


class DocumentPage(Model):
    """Extracted text of one page: kept page by page so a killed job resumes where it stopped."""

    label = "page"
    document_id = me.StringField(required=True)
    number = me.IntField(required=True, min_value=1)
    text = me.StringField(default="")
    method = me.StringField()
    confidence = me.FloatField()
    error = me.StringField()
    #: When the page was read: a resumed job leaves finished pages as they were.
    extracted_at = me.DateTimeField()
    #: OCR pages: the words with boxes and confidences (ingestion.wordboxes.pack_words), in
    #: pixels of the image that was read (image_width x image_height), which is the scan
    #: turned clockwise by ``rotation`` and straightened by ``skew`` degrees.
    words = me.StringField()
    image_width = me.IntField()
    image_height = me.IntField()
    rotation = me.IntField(default=0)
    skew = me.FloatField(default=0.0)
    #: OCR pages: which reading was kept and why (ingestion.ocr.OcrResult.reading/reason),
    #: so a clerk comparing with plain Tesseract can see what was done to the page.
    ocr_reading = me.StringField()

    meta = {
        "collection": "document_pages",
        "indexes": [{"fields": ["document_id", "number"], "unique": True}],
    }
