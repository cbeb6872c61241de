"""A document's steps are read from what is stored: its reading, and the outbox entries
still waiting for it (classifying and suggesting, then the search index)."""

from __future__ import annotations

import io

from casefiles.models import Case, CaseDocument
from ingestion.document_steps import DONE, FAILED, PENDING, RUNNING, document_steps
from ingestion.service import upload_document
from ingestion.tasks import process_document
from mizan import outbox
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from tests.ingestion.test_scan_intake import FIR


def _states(kernel, doc_id: str) -> dict[str, str]:
    doc = kernel.store.get(CaseDocument, doc_id)
    return {s.key: s.state for s in document_steps(kernel, doc).steps}


def test_each_step_is_pending_until_its_stored_work_is_done(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    doc = upload_document(demo, clerk, case.id, filename="fir.txt", stream=io.BytesIO(FIR.encode()))
    assert _states(demo, doc.id) == {
        "reading": PENDING,
        "classifying": PENDING,
        "suggesting": PENDING,
        "indexed": PENDING,
    }
    assert process_document(demo, doc.job_id) == "succeeded"
    # Read, but the outbox entries (understand, index) have not run yet.
    after_reading = _states(demo, doc.id)
    assert after_reading["reading"] == DONE
    assert after_reading["classifying"] == after_reading["suggesting"] == PENDING
    assert after_reading["indexed"] == PENDING
    assert not document_steps(demo, demo.store.get(CaseDocument, doc.id)).understood
    while outbox.drain(demo):
        pass
    steps = document_steps(demo, demo.store.get(CaseDocument, doc.id))
    assert {s.key: s.state for s in steps.steps} == dict.fromkeys(
        ("reading", "classifying", "suggesting", "indexed"), DONE
    )
    assert steps.understood and steps.finished


def test_a_document_being_read_or_failed_says_so(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    doc = upload_document(
        demo, clerk, case.id, filename="bad.pdf", stream=io.BytesIO(b"%PDF-1.4 broken")
    )
    doc.state = "processing"
    demo.store.replace(doc)
    assert _states(demo, doc.id)["reading"] == RUNNING
    assert process_document(demo, doc.job_id) == "failed"
    assert set(_states(demo, doc.id).values()) == {FAILED}
