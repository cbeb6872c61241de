"""Test helpers: a decided demo case with people, a protected witness and a judgment."""

from __future__ import annotations

import hashlib

from app.demo import seed_demo_details
from casefiles.models import Case, CaseDocument, DocumentPage
from casefiles.parties import PartyInput, add_party
from learning.case_studies import draft_case_study
from learning.case_study_models import CaseStudy
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM, Actor
from mizan.clock import utc_naive_now
from mizan.kernel import Kernel
from tests.casefiles.case_steps import decide, demo_case

JUDGMENT = (
    "IN THE COURT OF THE SESSIONS JUDGE, KARACHI SOUTH\n\n"
    "Sessions Case No. 338 of 2024. The State versus Mohd. Aslam s/o Muhammad Akram.\n\n"
    "The prosecution examined the complainant MUHAMMAD IQBAL, whose evidence was that he saw "
    "the firing; the witness Abdul-Ghaffar (mobile 0300-1234567) corroborated him.\n\n"
    "The protected witness Rafiq Ahmed was not cross-examined on the point, and his "
    "testimony therefore stands unshaken.\n\n"
    "Accused Aslam, CNIC 4210198765432, r/o House No. 12, Street 4, Lyari, Karachi, was "
    "arrested at the spot. I find that the prosecution has proved the charge beyond doubt.\n\n"
    "Announced in open court."
)


def actor(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def decided_case(kernel: Kernel, *, judgment: bool = True) -> Case:
    """The Artillery Maidan demo case, with its people, a protected witness, decided."""
    seed_demo_details(kernel)
    case = demo_case(kernel)
    case = add_party(
        kernel,
        SYSTEM,
        case.id,
        version=case.version,
        data=PartyInput("witness", "Rafiq Ahmed", protected=True, pseudonym="PW-3"),
    )
    if judgment:
        add_judgment(kernel, case, JUDGMENT)
    return decide(kernel, case, "convicted")


def add_judgment(kernel: Kernel, case: Case, text: str) -> CaseDocument:
    """A judgment whose text was already read (as the ingestion pipeline leaves it)."""
    doc = CaseDocument(
        case_id=case.id,
        district=case.district,
        title="Judgment",
        filename="judgment.pdf",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        doc_type="judgment",
        state="ready",
        page_count=1,
        uploaded_by="system",
        uploaded_at=utc_naive_now(),
    )
    kernel.store.insert(doc)
    kernel.store.insert(DocumentPage(document_id=doc.id, number=1, text=text))
    return doc


def drafted(kernel: Kernel, username: str = "trainer") -> tuple[CaseStudy, Case]:
    case = decided_case(kernel)
    return draft_case_study(kernel, actor(kernel, username), case.id), case
