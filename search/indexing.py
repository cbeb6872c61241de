"""Keep the search index in step with the store, through the outbox.

A subscriber turns document events into outbox entries inside the same
transaction as the change; the worker drains the outbox into the index.
``reindex_all`` rebuilds the index from the store, the source of truth.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from casefiles.models import Case, CaseDocument, DocumentPage, DocumentState
from casefiles.policy import document_acl
from mizan import outbox
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import NotFoundError
from search.embeddings import Embedder
from search.passages import windows
from search.port import Passage, SearchIndex
from search.vector_port import VectorIndex

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
        delete_indexed(kernel, [doc_id])
        return
    passages = document_passages(kernel, doc)
    if passages:
        upsert_indexed(kernel, passages)
    else:
        delete_indexed(kernel, [doc_id])


outbox.register(TOPIC, index_document)


def reindex_all(kernel: Kernel) -> int:
    """Rebuild the index from the store; returns the number of documents indexed."""
    kernel.index.clear()
    kernel.vectors.clear()
    count = 0
    for doc in kernel.store.iter_all(CaseDocument, {"state": DocumentState.READY}):
        passages = document_passages(kernel, doc)
        if passages:
            upsert_indexed(kernel, passages)
            count += 1
    return count


#: Passages of one document that get a vector (the first ones: facts come first in
#: judgments and FIRs). Keyword search covers every passage; this bounds the CPU
#: a 300-page judgment costs on a laptop (~0.07 s per passage on 2 cores).
EMBED_PASSAGES_PER_DOCUMENT = 24


def passages_to_embed(
    passages: Sequence[Passage], per_document: int | None = EMBED_PASSAGES_PER_DOCUMENT
) -> list[Passage]:
    """The first `per_document` passages of each document (None: all)."""
    if per_document is None:
        return list(passages)
    seen: dict[str, int] = {}
    out = []
    for p in passages:
        seen[p.doc_id] = seen.get(p.doc_id, 0) + 1
        if seen[p.doc_id] <= per_document:
            out.append(p)
    return out


def upsert_indexed(
    kernel: Kernel,
    passages: Sequence[Passage],
    *,
    embed_per_document: int | None = EMBED_PASSAGES_PER_DOCUMENT,
) -> None:
    """Write passages to the text index and their vectors to the vector index.

    Embedding runs here, i.e. in the worker draining the outbox (or the
    reindex command), never in a web request; unchanged passages come from
    the embedding cache. Both writes replace whole documents and are
    idempotent, so an outbox entry retried after a crash between them
    converges.
    """
    write_passages(kernel.index, kernel.vectors, kernel.embedder, passages, embed_per_document)


def write_passages(
    index: SearchIndex,
    vectors: VectorIndex,
    embedder: Embedder,
    passages: Sequence[Passage],
    embed_per_document: int | None = EMBED_PASSAGES_PER_DOCUMENT,
) -> None:
    """The one way passages reach both indexes (product and evaluation harness alike)."""
    index.upsert(passages)
    chosen = passages_to_embed(passages, embed_per_document)
    if chosen:
        vectors.upsert(chosen, embedder.embed([p.text for p in chosen]))
    else:
        vectors.delete_documents({p.doc_id for p in passages})


def delete_indexed(kernel: Kernel, doc_ids: Sequence[str]) -> None:
    """Remove documents from both indexes."""
    kernel.index.delete_documents(doc_ids)
    kernel.vectors.delete_documents(doc_ids)
