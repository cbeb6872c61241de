"""After a document's text is extracted: classify it and read case details from it.

A subscriber to ``document.extracted`` queues an outbox entry in the same transaction, and
the worker applies it (as search indexing does), so a crash between extraction and this step
loses nothing. Running it again is harmless: a clerk's document type is never overwritten,
and suggestions already decided are kept and not suggested again.
"""

from __future__ import annotations

import logging
from typing import Any

from casefiles.models import CaseDocument, DocumentPage, DocumentState
from ingestion.classify import classify_text
from ingestion.metadata import PageInput, find_metadata
from ingestion.pages import PAGE_SEPARATOR
from ingestion.review import MAX_VALUE, DocumentSuggestion
from ingestion.wordboxes import unpack_words
from mizan import outbox
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import NotFoundError

log = logging.getLogger(__name__)

TOPIC = "understand.document"
CLASSIFIER = Actor(
    user_id="classifier", username="classifier", roles=frozenset({"system"}), channel="worker"
)


def subscribe_understanding(kernel: Kernel) -> None:
    def on_event(event: DomainEvent) -> None:
        outbox.enqueue(kernel.store, TOPIC, {"document_id": event.subject_id})

    kernel.events.subscribe(on_event, "document.extracted")


def understand_document(kernel: Kernel, payload: dict[str, Any]) -> None:
    """Outbox handler: classify one ready document and refresh its pending suggestions."""
    store = kernel.store
    try:
        doc = store.get(CaseDocument, payload["document_id"])
    except NotFoundError:
        return
    if doc.state != DocumentState.READY:
        return
    pages = store.find(DocumentPage, {"document_id": doc.id}, sort=[("number", 1)])
    verdict = classify_text(PAGE_SEPARATOR.join(p.text for p in pages))
    found = find_metadata(
        [PageInput(p.number, p.text, tuple(unpack_words(p.words))) for p in pages]
    )
    existing = store.find(DocumentSuggestion, {"document_id": doc.id})
    decided = {(s.field, s.value.casefold()) for s in existing if s.status != "pending"}
    with store.transaction():
        for old in existing:
            if old.status == "pending":
                store.delete(old)
        fresh = [f for f in found if (f.field, f.value.casefold()) not in decided]
        for f in fresh:
            store.insert(
                DocumentSuggestion(
                    document_id=doc.id,
                    case_id=doc.case_id,
                    field=f.field,
                    value=f.value[: MAX_VALUE.get(f.field, 1000)],
                    raw=f.raw[:2000],
                    page=f.page,
                    start=f.start,
                    end=f.end,
                    confidence=f.confidence,
                    ocr_confidence=f.ocr_confidence,
                    flagged=f.flagged,
                    extra=f.extra,
                    created_at=utc_naive_now(),
                )
            )
        before = doc.doc_type
        doc.doc_type_auto = verdict.doc_type
        doc.doc_type_score = verdict.score
        doc.doc_type_cues = list(verdict.cues)
        if doc.doc_type_source != "clerk":
            doc.doc_type = verdict.doc_type
        store.replace(doc)
        data = {
            "by": "classifier",
            "from": before,
            "to": doc.doc_type,
            "classifier": verdict.doc_type,
            "score": verdict.score,
            "cues": list(verdict.cues),
            "suggestions": len(fresh),
        }
        if doc.doc_type != before:  # the index stores the type: reindex
            kernel.emit(DomainEvent("document.retyped", CLASSIFIER, "document", doc.id, data))
        else:
            kernel.emit(DomainEvent("document.classified", CLASSIFIER, "document", doc.id, data))
