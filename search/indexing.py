"""Keep the search index in step with the store, through the outbox.

A subscriber turns document events into outbox entries inside the same
transaction as the change; the worker drains the outbox into the index.
``reindex_all`` rebuilds the index from the store, the source of truth.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from casefiles.hearings import Hearing
from casefiles.models import Case, CaseDocument, DocumentPage, DocumentState
from casefiles.policy import document_acl
from legaltext.section_refs import SectionRef
from mizan import outbox
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import NotFoundError
from search.backends import embedder, search_index, vector_index
from search.embeddings import Embedder
from search.passages import windows
from search.port import Passage, SearchIndex
from search.saved import alert_new_documents
from search.statute_keys import passage_sections
from search.vector_port import VectorIndex

log = logging.getLogger(__name__)

TOPIC = "index.document"
_REINDEX_ON = ("document.extracted", "document.deleted", "document.retyped")


def subscribe_indexing(kernel: Kernel) -> None:
    def on_event(event: DomainEvent) -> None:
        if event.action in _REINDEX_ON:
            outbox.enqueue(kernel.store, TOPIC, {"document_id": event.subject_id})

    kernel.events.subscribe(on_event, "document.")
    subscribe_case_indexing(kernel)


def document_passages(kernel: Kernel, doc: CaseDocument) -> list[Passage]:
    case = kernel.store.get(Case, doc.case_id)
    acl = document_acl(case)
    facts = _case_facts(kernel, case)
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
                    date=doc.uploaded_at.date() if doc.uploaded_at else None,
                    sections=passage_sections(text, facts.offences),
                    court=facts.court,
                    district=case.district,
                    year=case.fir.year,
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
        _alert(kernel, [(doc.id, doc.title, doc.uploaded_at, f"/documents/{doc.id}")])
    else:
        delete_indexed(kernel, [doc_id])


def reindex_all(kernel: Kernel) -> int:
    """Rebuild the index from the store; returns the number of documents indexed.

    Case records are indexed too (see `reindex_cases`); they are not counted.
    """
    search_index(kernel).clear()
    vector_index(kernel).clear()
    reindex_cases(kernel)
    count = 0
    for doc in kernel.store.iter_all(CaseDocument, {"state": DocumentState.READY}):
        passages = document_passages(kernel, doc)
        if passages:
            upsert_indexed(kernel, passages)
            count += 1
    for reindex in kernel.registry.reindexers:  # e.g. the library's acts and judgments
        count += reindex(kernel)
    vector_index(kernel).prepare()  # embedded: build the HNSW graph now, not in the first search
    return count


# ---------------------------------------------------------------------------
# Structured facts of a case, and case records as search results
# ---------------------------------------------------------------------------

CASE_TOPIC = "index.case"
#: Case changes that alter what its documents and its record are indexed with.
_CASE_REINDEX_ON = ("case.", "hearing.scheduled")


class _CaseFacts:
    """What every passage of a case carries: its charges and its current court."""

    def __init__(self, offences: tuple[SectionRef, ...], court: str | None) -> None:
        self.offences = offences
        self.court = court


def _case_facts(kernel: Kernel, case: Case) -> _CaseFacts:
    offences = tuple(SectionRef(o.act, o.section, tuple(o.subsections)) for o in case.offences)
    # The court a case is before is the court of its latest listing.
    latest = kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", -1)], limit=1)
    return _CaseFacts(offences, latest[0].court if latest else None)


def case_doc_id(case_id: str) -> str:
    """The index id of a case's own record (documents use their own ids)."""
    return f"case:{case_id}"


def case_text(case: Case) -> str:
    """What a case record is found by: reference, FIR, charges, parties, narrative.

    Protected witnesses appear by pseudonym only: district-wide users may
    see the case but not who they are.
    """
    fir = case.fir
    lines = [
        case.reference,
        f"FIR {fir.number}/{fir.year} {fir.police_station}",
        ", ".join(f"{o.section}{''.join(f'({s})' for s in o.subsections)} {o.act}"
                  for o in case.offences),
    ]  # fmt: skip
    for party in case.parties:
        name = party.shown_name
        aliases = [] if party.protected else list(party.aliases)
        parent = "" if party.protected or not party.parent_name else party.parent_name
        lines.append(" ".join(x for x in [party.role, name, *aliases, parent] if x))
    if fir.place:
        lines.append(fir.place)
    if fir.narrative:
        lines.append(fir.narrative)
    return "\n".join(line for line in lines if line)


def case_passages(kernel: Kernel, case: Case) -> list[Passage]:
    facts = _case_facts(kernel, case)
    registered = case.fir.registered_on or case.created_at
    return [
        Passage(
            id=f"{case_doc_id(case.id)}:{n}",
            doc_id=case_doc_id(case.id),
            kind="case",
            title=case.title,
            text=text,
            acl=document_acl(case),
            case_id=case.id,
            doc_type="case",
            date=registered.date() if registered else None,
            sections=passage_sections(text, facts.offences),
            court=facts.court,
            district=case.district,
            year=case.fir.year,
        )
        for n, text in enumerate(windows(case_text(case)))
    ]


def subscribe_case_indexing(kernel: Kernel) -> None:
    """Reindex a case (its record and its documents) when it, or its court, changes."""

    def on_event(event: DomainEvent) -> None:
        if not event.changes_state:
            return
        case_id = event.subject_id if event.subject_type == "case" else event.data.get("case_id")
        if event.action.startswith(_CASE_REINDEX_ON) and case_id:
            outbox.enqueue(kernel.store, CASE_TOPIC, {"case_id": case_id})

    kernel.events.subscribe(on_event)


def index_case(kernel: Kernel, payload: dict[str, Any]) -> None:
    """Outbox handler: the case record and every ready document of the case, or removal."""
    case_id = payload["case_id"]
    try:
        case = kernel.store.get(Case, case_id)
    except NotFoundError:
        case = None
    docs = kernel.store.find(CaseDocument, {"case_id": case_id})
    if case is None:
        delete_indexed(kernel, [case_doc_id(case_id), *(d.id for d in docs)])
        return
    passages = case_passages(kernel, case)
    ready = [doc for doc in docs if doc.state == DocumentState.READY]
    for doc in ready:
        passages += document_passages(kernel, doc)
    if passages:
        upsert_indexed(kernel, passages)
    # A case's documents may match a saved search only now (a new charge); the dedupe key
    # keeps each (search, document) announced once.
    _alert(
        kernel,
        [(case_doc_id(case.id), case.title, case.created_at, f"/cases/{case.id}")]
        + [(doc.id, doc.title, doc.uploaded_at, f"/documents/{doc.id}") for doc in ready],
    )


def _alert(kernel: Kernel, items: list[tuple[str, str, Any, str]]) -> None:
    alert_new_documents(
        kernel, [(i, title, at) for i, title, at, _ in items], link={i: u for i, _, _, u in items}
    )


def reindex_cases(kernel: Kernel) -> int:
    """Index every case record (after `reindex_all` cleared the index); returns the count."""
    count = 0
    for case in kernel.store.iter_all(Case):
        passages = case_passages(kernel, case)
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
    write_passages(
        search_index(kernel), vector_index(kernel), embedder(kernel), passages, embed_per_document
    )


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
    search_index(kernel).delete_documents(doc_ids)
    vector_index(kernel).delete_documents(doc_ids)
