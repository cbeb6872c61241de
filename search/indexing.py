"""Keep the search index in step with the store, through the outbox.

A subscriber turns document events into outbox entries inside the same
transaction as the change; the worker drains the outbox into the index.
``reindex_all`` rebuilds the index from the store, the source of truth.
"""

from __future__ import annotations

import logging
from typing import Any

from casefiles.models import Case, CaseDocument, DocumentPage, DocumentState
from casefiles.policy import document_acl
from library.indexing import reindex_library
from mizan import outbox
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import NotFoundError
from search.passages import windows
from search.port import Passage

log = logging.getLogger(__name__)

TOPIC = "index.document"
_REINDEX_ON = ("document.extracted", "document.deleted", "document.retyped")


def subscribe_indexing(kernel: Kernel) -> None:
    def on_event(event: DomainEvent) -> None:
        if event.action in _REINDEX_ON:
            outbox.enqueue(kernel.store, TOPIC, {"document_id": event.subject_id})

    kernel.events.subscribe(on_event, "document.")


def document_passages(kernel: Kernel, doc: CaseDocument) -> list[Passage]:
    case = kernel.store.get(Case, doc.case_id)
    acl = document_acl(case)
    pages = kernel.store.find(DocumentPage, {"document_id": doc.id}, sort=[("number", 1)])
    passages = []
    for page in pages:
        for n, text in enumerate(windows(page.text)):
            passages.append(
                Passage(
                    id=f"{doc.id}:{page.number}:{n}",
                    doc_id=doc.id,
                    kind="document",
                    title=doc.title,
                    text=text,
                    acl=acl,
                    case_id=doc.case_id,
                    doc_type=doc.doc_type,
                    page=page.number,
                    language="ur" if "urd" in doc.language else "en",
                )
            )
    return passages


def index_document(kernel: Kernel, payload: dict[str, Any]) -> None:
    """Outbox handler: (re)index one document, or remove it if it is gone or not ready."""
    doc_id = payload["document_id"]
    try:
        doc = kernel.store.get(CaseDocument, doc_id)
    except NotFoundError:
        doc = None
    if doc is None or doc.state != DocumentState.READY:
        kernel.index.delete_documents([doc_id])
        return
    passages = document_passages(kernel, doc)
    if passages:
        kernel.index.upsert(passages)
    else:
        kernel.index.delete_documents([doc_id])


outbox.register(TOPIC, index_document)


def reindex_all(kernel: Kernel) -> int:
    """Rebuild the index from the store; returns the number of documents indexed."""
    kernel.index.clear()
    count = 0
    for doc in kernel.store.iter_all(CaseDocument, {"state": DocumentState.READY}):
        passages = document_passages(kernel, doc)
        if passages:
            kernel.index.upsert(passages)
            count += 1
    return count + reindex_library(kernel)
