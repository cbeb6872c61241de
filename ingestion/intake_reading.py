"""The worker side of starting a case from a scan: read the scan's first pages for the
proposal, in the interactive lane (a clerk is waiting at the page).

The job record is the durable state, as for a document's reading; the pages are kept on
the intake only when all are read (a proposal needs them all, and a scan is a few pages),
as the document pages they become when the scan is filed into a case.
"""

from __future__ import annotations

import logging

from celery import Task

from ingestion.extract import open_pages
from ingestion.ocr import OcrUnavailable
from ingestion.pages import ExtractionError, PageText
from ingestion.scan_intake import MAX_PAGES, IntakeState, ScanIntake
from ingestion.sniff import UnsupportedFile
from ingestion.tasks import TRANSIENT, WORKER, lease_seconds, read_page
from ingestion.wordboxes import layout_fields
from mizan.events import DomainEvent
from mizan.jobs import JobState, start_job, update_job, worker_identity
from mizan.kernel import Kernel, process_kernel
from mizan.worker import app

log = logging.getLogger(__name__)


@app.task(name="ingestion.read_intake", bind=True, max_retries=4)
def read_intake_task(self: Task, job_id: str) -> str:
    try:
        return read_intake(process_kernel(), job_id)
    except TRANSIENT as exc:  # the disk or a locked database: try again shortly
        log.warning("Scan job %s: transient error (%s); trying again", job_id, exc)
        raise self.retry(countdown=10) from None


def read_intake(kernel: Kernel, job_id: str) -> str:
    """Read the scan of one intake job; returns the job's state. Safe to run again."""
    store = kernel.store
    started = start_job(store, job_id, ScanIntake, worker_identity(), lease_seconds(kernel))
    if isinstance(started, str):
        return started
    job, intake = started
    limit = kernel.settings.page_time_limit
    with store.transaction():
        update_job(
            store, job.id, state=JobState.RUNNING, stage="reading pages", attempts=job.attempts + 1
        )
        _set_state(kernel, intake.id, IntakeState.READING)
    pages: list[dict[str, object]] = []
    page_count = 0
    try:
        path = kernel.blobs.path(intake.sha256)
        with open_pages(path, intake.filename, lang=intake.language) as source:
            page_count = source.page_count
            count = min(page_count, MAX_PAGES)
            update_job(store, job.id, total=count)
            for number in range(1, count + 1):
                pages.append(_page_fields(read_page(source, number, limit)))
                update_job(store, job.id, done=number)
    except (ExtractionError, UnsupportedFile, OcrUnavailable) as exc:
        return _end(kernel, job.id, intake.id, [], 0, str(exc))
    except TRANSIENT:
        raise
    except Exception as exc:  # a parser crash: the same bytes would fail the same way
        log.exception("Scan job %s failed unexpectedly", job.id)
        message = f"The file could not be processed: {exc}"
        return _end(kernel, job.id, intake.id, [], 0, message)
    return _end(kernel, job.id, intake.id, pages, page_count, None)


def _page_fields(page: PageText) -> dict[str, object]:
    """A page read, as the DocumentPage fields it becomes when the scan is filed."""
    return {
        "number": page.number,
        "text": page.text,
        "method": page.method,
        "confidence": page.confidence,
        "error": page.error,
        **layout_fields(page),
    }


def _set_state(kernel: Kernel, intake_id: str, state: str) -> ScanIntake:
    intake = kernel.store.get(ScanIntake, intake_id)
    intake.state = state
    return kernel.store.replace(intake)


def _end(
    kernel: Kernel,
    job_id: str,
    intake_id: str,
    pages: list[dict[str, object]],
    page_count: int,
    error: str | None,
) -> str:
    store = kernel.store
    state = JobState.FAILED if error else JobState.SUCCEEDED
    with store.transaction():
        intake = store.get(ScanIntake, intake_id)
        intake.state = IntakeState.FAILED if error else IntakeState.READY
        intake.pages, intake.page_count, intake.error = pages, page_count, error
        store.replace(intake)
        update_job(
            store,
            job_id,
            state=state,
            stage="failed" if error else "done",
            error=error,
            owner=None,
            lease_until=None,
        )
        kernel.emit(
            DomainEvent(
                "intake.failed" if error else "intake.read",
                WORKER,
                "intake",
                intake_id,
                {"pages": len(pages), "error": error},
            )
        )
    return state
