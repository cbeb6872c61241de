"""The worker side of ingestion: read a document page by page, keep each page, index it.

The job record is the durable state; the Celery message only names it. Each
page is stored the moment it is read, so a killed worker's successor asks
only for the pages still missing. A page that fails (damaged, too slow,
OCR error) records why and the document carries on; a file that cannot be
read at all fails its own job with the reason. Only transient trouble (the
disk, a locked database) is retried, with backoff; the worker itself never
stops for a bad file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator

from celery import Task

from casefiles.models import CaseDocument, DocumentPage, DocumentState
from ingestion.extract import open_pages
from ingestion.ocr import OcrUnavailable
from ingestion.pages import ExtractionError, PageSource, PageText
from ingestion.sniff import UnsupportedFile
from ingestion.wordboxes import copied_layout, layout_fields
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.jobs import Job, JobState, fail_job, start_job, update_job, worker_identity
from mizan.kernel import Kernel, process_kernel
from mizan.worker import app, enqueue

log = logging.getLogger(__name__)

WORKER = Actor(user_id="worker", username="worker", roles=frozenset({"system"}), channel="worker")
#: Attempts for transient errors (the first run included).
MAX_ATTEMPTS = 4
#: A page whose reading killed the worker this many times is failed, not started again.
MAX_PAGE_STARTS = 2
#: Seconds the in-process alarm waits beyond a page's limit (Tesseract's timeout comes first).
ALARM_GRACE = 5
#: Fast pages are stored together, at most this many seconds apart (a kill loses no more).
FLUSH_SECONDS = 0.5
#: Errors worth trying again later: the disk, the database, the broker.
TRANSIENT = (OSError, sqlite3.OperationalError, TimeoutError, ConnectionError)


@app.task(name="ingestion.process_document", bind=True, max_retries=MAX_ATTEMPTS)
def process_document_task(self: Task, job_id: str) -> str:
    kernel = process_kernel()
    try:
        state = process_document(kernel, job_id)
    except _Retry as exc:
        raise self.retry(countdown=exc.countdown, max_retries=None) from None
    except TRANSIENT as exc:  # the store was busy before the job could even be claimed
        log.warning("Job %s could not start (%s); trying again shortly", job_id, exc)
        raise self.retry(countdown=10, max_retries=None) from None
    if state == "busy":
        # Held by another worker: look again when its lease would run out, so a
        # holder that died on another machine is taken over, never forgotten.
        lease = kernel.store.get(Job, job_id).lease_until
        wait = (lease - utc_naive_now()).total_seconds() + 5 if lease else 60
        enqueue("ingestion.process_document", job_id, countdown=max(wait, 5))
    return state


@app.task(name="ingestion.make_searchable_pdf")
def make_searchable_pdf_task(job_id: str) -> str:
    from ingestion.searchable import make_searchable_pdf

    return make_searchable_pdf(process_kernel(), job_id)


@app.task(name="ingestion.read_cause_list")
def read_cause_list_task(job_id: str) -> str:
    from ingestion.cause_list_jobs import read_queued

    return read_queued(process_kernel(), job_id)


class _Retry(Exception):
    def __init__(self, countdown: float) -> None:
        self.countdown = countdown


class PageTimeout(Exception):
    """A page ran past its time limit."""


def backoff(attempt: int) -> int:
    """Seconds to wait before attempt ``attempt + 1``: 5, 10, 20, ... up to 5 minutes."""
    return min(5 * 2 ** (attempt - 1), 300)


def lease_seconds(kernel: Kernel) -> float:
    # Renewed after every page, so it only has to outlast one slow page.
    return kernel.settings.page_time_limit * 2 + 60


def process_document(kernel: Kernel, job_id: str) -> str:
    """Run one ingestion job to its end (or to a retry); returns the job state.

    Safe to call again for the same job at any time: finished jobs are left
    alone, a job another live worker holds is left to it, and a resumed job
    reads only the pages it does not have yet.
    """
    store = kernel.store
    owner = worker_identity()
    started = start_job(store, job_id, CaseDocument, owner, lease_seconds(kernel))
    if isinstance(started, str):
        log.info("Ingestion job %s not run: %s", job_id, started)
        return started
    job, doc = started
    try:
        job = update_job(
            store, job.id, state=JobState.RUNNING, stage="starting", attempts=job.attempts + 1
        )
        _set_doc_state(kernel, doc.id, DocumentState.PROCESSING)
        if not _link_identical(kernel, job, doc):
            _read_pages(kernel, job, doc, owner)
    except (ExtractionError, UnsupportedFile, OcrUnavailable) as exc:
        return _fail(kernel, job.id, doc.id, str(exc))
    except TRANSIENT as exc:
        attempts = store.get(Job, job.id).attempts
        log.warning("Ingestion job %s: transient error (attempt %d): %s", job.id, attempts, exc)
        if attempts < MAX_ATTEMPTS:
            wait = backoff(attempts)
            update_job(
                store,
                job.id,
                state=JobState.RETRYING,
                stage="waiting to retry",
                error=f"Attempt {attempts} failed ({exc}); trying again in {wait} seconds.",
                owner=None,
                lease_until=None,
            )
            raise _Retry(countdown=wait) from exc
        return _fail(kernel, job.id, doc.id, f"Processing stopped after {attempts} attempts: {exc}")
    except Exception as exc:
        # A bug or a parser crash: trying the same bytes again would fail the same way.
        log.exception("Ingestion job %s failed unexpectedly", job.id)
        return _fail(kernel, job.id, doc.id, f"The file could not be processed: {exc}")
    return _finish(kernel, job.id, doc.id)


# -- identical content -----------------------------------------------------------------------


def _link_identical(kernel: Kernel, job: Job, doc: CaseDocument) -> bool:
    """Copy the pages of an identical file that is already read; False when there is none."""
    store = kernel.store
    twin = store.find_one(
        CaseDocument, {"sha256": doc.sha256, "state": DocumentState.READY, "_id": {"$ne": doc.id}}
    )
    if twin is None:
        return False
    pages = store.find(DocumentPage, {"document_id": twin.id}, sort=[("number", 1)])
    have = _stored_numbers(kernel, doc.id)
    with store.transaction():
        for page in pages:
            if page.number not in have:
                store.insert(
                    DocumentPage(
                        document_id=doc.id,
                        number=page.number,
                        text=page.text,
                        method=page.method,
                        confidence=page.confidence,
                        error=page.error,
                        extracted_at=page.extracted_at,
                        **copied_layout(page),
                    )
                )
        update_job(store, job.id, stage="linking identical file", done=len(pages), total=len(pages))
        fresh = store.get(CaseDocument, doc.id)
        fresh.media_type = twin.media_type or fresh.media_type
        store.replace(fresh)
    return True


# -- page by page ----------------------------------------------------------------------------


def _stored_numbers(kernel: Kernel, doc_id: str) -> set[int]:
    return {p.number for p in kernel.store.find(DocumentPage, {"document_id": doc_id})}


def _read_pages(kernel: Kernel, job: Job, doc: CaseDocument, owner: str) -> None:
    """Read the pages not stored yet, storing them as they are read.

    Fast pages (a text layer reads in a millisecond) are stored together at
    most :data:`FLUSH_SECONDS` apart, so a commit per page does not dominate;
    an OCR'd page is stored on its own at once. After a crash (the job still
    names a page in progress) every page is stored on its own, so the page
    that stopped the worker is found and, the second time, skipped.
    """
    store = kernel.store
    limit = kernel.settings.page_time_limit
    with open_pages(kernel.blobs.path(doc.sha256), doc.filename, lang=doc.language) as source:
        fresh = store.get(CaseDocument, doc.id)
        fresh.media_type = source.media_type or fresh.media_type
        fresh.page_count = source.page_count
        store.replace(fresh)
        have = _stored_numbers(kernel, doc.id)
        careful = job.current_page is not None
        job = update_job(
            store, job.id, stage="reading pages", done=len(have), total=source.page_count
        )
        pending: list[PageText] = []
        batch_started = time.monotonic()
        for number in range(1, source.page_count + 1):
            if number in have:
                continue
            page: PageText | None = None
            if careful or not pending:
                job = _start_page(kernel, job.id, number, owner)
                batch_started = time.monotonic()
                if job.current_page_starts > MAX_PAGE_STARTS:
                    page = PageText(
                        number,
                        "",
                        "ocr" if source.media_type.startswith("image/") else "text-layer",
                        error=(
                            f"Page {number} stopped the worker {MAX_PAGE_STARTS} times and was "
                            "skipped; the page may be damaged."
                        ),
                    )
            if page is None:
                page = read_page(source, number, limit)
            pending.append(page)
            if careful or page.method == "ocr" or time.monotonic() - batch_started >= FLUSH_SECONDS:
                _save_pages(kernel, job.id, doc.id, pending, owner)
                pending = []
        if pending:
            _save_pages(kernel, job.id, doc.id, pending, owner)


def _start_page(kernel: Kernel, job_id: str, number: int, owner: str) -> Job:
    """Note which page is being read (and renew the lease) before reading it."""
    job = kernel.store.get(Job, job_id)
    starts = job.current_page_starts + 1 if job.current_page == number else 1
    return update_job(
        kernel.store,
        job_id,
        current_page=number,
        current_page_starts=starts,
        owner=owner,
        lease_until=_lease_end(kernel),
    )


def _lease_end(kernel: Kernel) -> dt.datetime:
    return utc_naive_now() + dt.timedelta(seconds=lease_seconds(kernel))


def read_page(source: PageSource, number: int, limit: int) -> PageText:
    """One page within its time limit; any failure confined to the page lands on the page."""
    try:
        # Tesseract's own timeout (which also kills its process) fires first; the
        # alarm is the backstop for rendering and parsing.
        with time_limit(limit + ALARM_GRACE):
            return source.page(number, timeout=limit)
    except PageTimeout:
        reason = (
            f"Page {number} took longer than the limit of {limit} seconds to read and was "
            "skipped; rescan it more cleanly or retry the job."
        )
    except (ExtractionError, OcrUnavailable, *TRANSIENT):
        raise
    except Exception as exc:  # a parser crash on one page must not lose the others
        log.exception("Page %d could not be read", number)
        reason = f"Page {number} could not be read: {exc}"
    method = "ocr" if source.media_type.startswith("image/") else "text-layer"
    return PageText(number, "", method, error=reason)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`PageTimeout` in this thread after ``seconds`` (main thread only).

    Tesseract gets the same limit as its own timeout; this guard also covers
    rendering and text-layer work in Python. Worker pool processes run tasks
    in their main thread; elsewhere (a test worker thread) only Tesseract's
    own timeout applies.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise PageTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _save_pages(
    kernel: Kernel, job_id: str, doc_id: str, pages: list[PageText], owner: str
) -> None:
    """Store pages and count them on the job, in one transaction."""
    store = kernel.store
    with store.transaction():
        numbers = [p.number for p in pages]
        stored = {
            p.number
            for p in store.find(DocumentPage, {"document_id": doc_id, "number": {"$in": numbers}})
        }
        added = failed = 0
        for page in pages:
            if page.number in stored:
                continue  # another worker stored it first; keep theirs
            store.insert(_page_record(doc_id, page, utc_naive_now()))
            if page.reading:
                log.info(
                    "Job %s, page %d read by OCR, reading kept: %s",
                    job_id,
                    page.number,
                    page.reading,
                )
            added += 1
            failed += 1 if page.error else 0
        job = store.get(Job, job_id)
        update_job(
            store,
            job_id,
            done=min(job.done + added, job.total or job.done + added),
            failed_pages=job.failed_pages + failed,
            current_page=None,
            current_page_starts=0,
            owner=owner,
            lease_until=_lease_end(kernel),
        )


def _page_record(doc_id: str, page: PageText, when: dt.datetime) -> DocumentPage:
    return DocumentPage(
        document_id=doc_id,
        number=page.number,
        text=page.text,
        method=page.method,
        confidence=page.confidence,
        error=page.error,
        extracted_at=when,
        **layout_fields(page),
    )


# -- the end ---------------------------------------------------------------------------------


def failed_pages_summary(pages: list[DocumentPage], total: int) -> str | None:
    """ "2 of 10 pages could not be read: page 3: ..." or None when every page was read."""
    failed = [p for p in pages if p.error]
    if not failed:
        return None
    reasons = "; ".join(f"page {p.number}: {p.error}" for p in failed[:5])
    more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
    return f"{len(failed)} of {total} pages could not be read: {reasons}{more}"


def _finish(kernel: Kernel, job_id: str, doc_id: str) -> str:
    store = kernel.store
    pages = store.find(DocumentPage, {"document_id": doc_id}, sort=[("number", 1)])
    failed = [p for p in pages if p.error]
    with store.transaction():
        fresh = store.get(CaseDocument, doc_id)
        fresh.state = DocumentState.READY
        fresh.page_count = len(pages)
        fresh.error = failed_pages_summary(pages, len(pages))
        store.replace(fresh)
        update_job(
            store,
            job_id,
            state=JobState.SUCCEEDED,
            stage="done",
            done=len(pages),
            total=len(pages),
            failed_pages=len(failed),
            error=fresh.error,
            current_page=None,
            current_page_starts=0,
            owner=None,
            lease_until=None,
        )
        kernel.emit(
            DomainEvent(
                "document.extracted",
                WORKER,
                "document",
                doc_id,
                {"pages": len(pages), "failed_pages": len(failed)},
            )
        )
    return JobState.SUCCEEDED


def _fail(kernel: Kernel, job_id: str, doc_id: str, message: str) -> str:
    with kernel.store.transaction():
        fail_job(kernel.store, job_id, message)
        _set_doc_state(kernel, doc_id, DocumentState.FAILED, message)
        kernel.emit(DomainEvent("document.failed", WORKER, "document", doc_id, {"error": message}))
    return JobState.FAILED


def _set_doc_state(kernel: Kernel, doc_id: str, state: str, error: str | None = None) -> None:
    doc = kernel.store.get(CaseDocument, doc_id)
    doc.state, doc.error = state, error
    kernel.store.replace(doc)
