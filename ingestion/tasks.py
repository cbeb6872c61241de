"""The worker side of ingestion: extract a document's pages, keep them, index them.

The job record is the durable state; the Celery message only names it. A
corrupt file fails its own job with the reason; an unexpected error is
retried with backoff and then fails the job, never the worker.
"""

from __future__ import annotations

import logging

from casefiles.models import CaseDocument, DocumentPage, DocumentState
from ingestion.extract import Extraction, ExtractionError, extract_file
from ingestion.ocr import OcrUnavailable
from ingestion.sniff import UnsupportedFile
from ingestion.wordboxes import layout_fields, page_text_of
from mizan.actor import Actor
from mizan.events import DomainEvent
from mizan.jobs import Job, JobState, update_job
from mizan.kernel import Kernel, process_kernel
from mizan.storage import NotFoundError
from mizan.worker import app, enqueue

log = logging.getLogger(__name__)

WORKER = Actor(user_id="worker", username="worker", roles=frozenset({"system"}), channel="worker")
MAX_ATTEMPTS = 3


@app.task(name="ingestion.process_document", bind=True, max_retries=MAX_ATTEMPTS)
def process_document_task(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
    kernel = process_kernel()
    try:
        return process_document(kernel, job_id)
    except _Retry as exc:
        raise self.retry(countdown=exc.countdown) from None


class _Retry(Exception):
    def __init__(self, countdown: int) -> None:
        self.countdown = countdown


def process_document(kernel: Kernel, job_id: str) -> str:
    """Run one ingestion job to the end; returns the final job state."""
    store = kernel.store
    try:
        job = store.get(Job, job_id)
        doc = store.get(CaseDocument, job.subject_id)
    except NotFoundError:
        log.warning("Job %s or its document no longer exists; dropping the message", job_id)
        return "missing"
    if job.finished:
        return job.state
    update_job(
        store,
        job.id,
        state=JobState.RUNNING,
        stage="extracting",
        attempts=job.attempts + 1,
        error=None,
    )
    _set_doc_state(kernel, doc.id, DocumentState.PROCESSING)
    try:
        extraction = _extract(kernel, job, doc)
    except (ExtractionError, UnsupportedFile, OcrUnavailable) as exc:
        return _fail(kernel, job.id, doc.id, str(exc))
    except Exception as exc:
        attempts = store.get(Job, job.id).attempts
        log.exception("Ingestion job %s failed unexpectedly (attempt %d)", job.id, attempts)
        if attempts < MAX_ATTEMPTS:
            update_job(
                store,
                job.id,
                state=JobState.RETRYING,
                stage="waiting to retry",
                error=f"Attempt {attempts} failed: {exc}",
            )
            raise _Retry(countdown=5 * 2 ** (attempts - 1)) from exc
        return _fail(kernel, job.id, doc.id, f"Processing stopped after {attempts} attempts: {exc}")
    _store_pages(kernel, job, doc, extraction)
    return JobState.SUCCEEDED


def _extract(kernel: Kernel, job: Job, doc: CaseDocument) -> Extraction:
    """Extract the text, or reuse the pages of an identical file already processed."""
    twin = kernel.store.find_one(
        CaseDocument, {"sha256": doc.sha256, "state": DocumentState.READY, "_id": {"$ne": doc.id}}
    )
    if twin is not None:
        pages = kernel.store.find(DocumentPage, {"document_id": twin.id}, sort=[("number", 1)])
        update_job(
            kernel.store, job.id, stage="linking identical file", done=len(pages), total=len(pages)
        )
        return Extraction(twin.media_type or "", [page_text_of(p) for p in pages])

    def progress(done: int, total: int) -> None:
        update_job(kernel.store, job.id, stage="extracting", done=done, total=total)

    return extract_file(
        kernel.blobs.path(doc.sha256), doc.filename, lang=doc.language, on_page=progress
    )


def _store_pages(kernel: Kernel, job: Job, doc: CaseDocument, extraction: Extraction) -> None:
    store = kernel.store
    failed = [p for p in extraction.pages if p.error]
    with store.transaction():
        for old in store.find(DocumentPage, {"document_id": doc.id}):
            store.delete(old)
        for page in extraction.pages:
            store.insert(
                DocumentPage(
                    document_id=doc.id,
                    number=page.number,
                    text=page.text,
                    method=page.method,
                    confidence=page.confidence,
                    error=page.error,
                    **layout_fields(page),
                )
            )
        fresh = store.get(CaseDocument, doc.id)
        fresh.state = DocumentState.READY
        fresh.page_count = len(extraction.pages)
        fresh.media_type = extraction.media_type or fresh.media_type
        fresh.error = "; ".join(f"page {p.number}: {p.error}" for p in failed) if failed else None
        store.replace(fresh)
        update_job(
            store,
            job.id,
            state=JobState.SUCCEEDED,
            stage="done",
            done=len(extraction.pages),
            total=len(extraction.pages),
            error=fresh.error,
        )
        kernel.emit(
            DomainEvent(
                "document.extracted",
                WORKER,
                "document",
                doc.id,
                {"pages": len(extraction.pages), "failed_pages": len(failed)},
            )
        )
        store.on_commit(lambda: enqueue("mizan.drain_outbox"))


def _fail(kernel: Kernel, job_id: str, doc_id: str, message: str) -> str:
    with kernel.store.transaction():
        update_job(kernel.store, job_id, state=JobState.FAILED, stage="failed", error=message)
        _set_doc_state(kernel, doc_id, DocumentState.FAILED, message)
        kernel.emit(DomainEvent("document.failed", WORKER, "document", doc_id, {"error": message}))
    return JobState.FAILED


def _set_doc_state(kernel: Kernel, doc_id: str, state: str, error: str | None = None) -> None:
    doc = kernel.store.get(CaseDocument, doc_id)
    doc.state, doc.error = state, error
    kernel.store.replace(doc)
