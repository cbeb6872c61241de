"""Case records and case documents are indexed with their structured fields, through the outbox."""

from __future__ import annotations

import datetime as dt

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.models import Case, CaseDocument, DocumentPage, DocumentState
from casefiles.parties import PartyInput, add_party, set_offences
from mizan import outbox
from mizan.actor import SYSTEM
from mizan.kernel import Kernel
from search.backends import search_index
from search.indexing import case_doc_id, index_document

SHA = "a" * 64


def demo_case(kernel: Kernel, title_part: str) -> Case:
    return next(c for c in kernel.store.find(Case) if title_part in c.title)


def add_page(kernel: Kernel, case: Case, text: str) -> CaseDocument:
    doc = CaseDocument(
        case_id=case.id, district=case.district, title="Post-mortem report",
        filename="pm.pdf", sha256=SHA, doc_type="medical", state=DocumentState.READY,
        page_count=1, uploaded_at=dt.datetime(2025, 2, 1, 10, 0),
    )  # fmt: skip
    kernel.store.insert(doc)
    kernel.store.insert(DocumentPage(document_id=doc.id, number=1, text=text))
    index_document(kernel, {"document_id": doc.id})
    return doc


def test_case_record_is_found_by_charges_parties_and_court(demo: Kernel) -> None:
    case = demo_case(demo, "Aslam")
    case = set_offences(demo, SYSTEM, case.id, version=case.version, text="302/34 PPC")
    case = add_party(
        demo,
        SYSTEM,
        case.id,
        version=case.version,
        data=PartyInput(role="accused", name="Mohd. Aslam s/o Ghulam Husain"),
    )
    case = add_party(demo, SYSTEM, case.id, version=case.version,
                     data=PartyInput(role="witness", name="Real Name Hidden", protected=True,
                                     pseudonym="PW-7"))  # fmt: skip
    schedule_hearing(
        demo, SYSTEM, case.id,
        NewHearing(dt.datetime(2025, 5, 5, 5, 0), "Sessions Court Karachi South", "charge",
                   history=True),
    )  # fmt: skip
    outbox.drain(demo)

    res = search_index(demo).search(
        "302 PPC", principals=None, filters={"kind": "case"}, facets=True
    )
    assert [h.doc_id for h in res.hits] == [case_doc_id(case.id)]
    assert res.hits[0].case_id == case.id
    assert {f.value for f in res.facets["court"]} == {"Sessions Court Karachi South"}
    assert {f.value for f in res.facets["district"]} == {"KHI-S"}
    assert {f.value: f.count for f in res.facets["year"]} == {"2024": 1}
    # name variants find the accused; the protected witness only by pseudonym
    assert search_index(demo).search("Muhammad Aslam", principals=None).total == 1
    assert search_index(demo).search('"PW-7"', principals=None).total == 1
    assert search_index(demo).search("Hidden", principals=None).total == 0
    # only those who may see the case find it
    assert search_index(demo).search("Aslam", principals={"public", "district:HYD"}).total == 0
    assert search_index(demo).search("Aslam", principals={"district:KHI-S"}).total == 1


def test_document_passages_carry_case_facts_and_text_references(demo: Kernel) -> None:
    case = demo_case(demo, "Aslam")
    set_offences(demo, SYSTEM, case.id, version=case.version, text="302 PPC")
    outbox.drain(demo)
    doc = add_page(demo, case, "Injuries consistent with a firearm; see also 337-A PPC.")
    for q, expected in [("302 PPC", 1), ("337-A PPC", 1), ("firearm", 1)]:
        found = search_index(demo).search(q, principals=None, filters={"kind": "document"})
        assert [h.doc_id for h in found.hits] == [doc.id] * expected, q
    res = search_index(demo).search(
        "", principals=None, filters={"doc_type": "medical"}, facets=True
    )
    assert {f.value for f in res.facets["section"]} >= {"302 PPC", "337-A PPC"}
    assert search_index(demo).search("", principals=None, filters={"year": "2024",
                             "district": "KHI-S", "kind": "document"}).total == 1  # fmt: skip
    # a change to the case (new charge) re-indexes its documents too
    case = demo.store.get(Case, case.id)
    set_offences(demo, SYSTEM, case.id, version=case.version, text="302 PPC, 7 ATA")
    outbox.drain(demo)
    found = search_index(demo).search("7 ATA", principals=None, filters={"kind": "document"})
    assert [h.doc_id for h in found.hits] == [doc.id]
