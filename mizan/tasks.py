"""Kernel tasks: draining the outbox and resuming work after a crash."""

from __future__ import annotations

import logging

from mizan import outbox
from mizan.jobs import Job, JobState
from mizan.kernel import process_kernel
from mizan.worker import app, enqueue

log = logging.getLogger(__name__)

#: Job kind -> task name that processes it (jobs are resumable by id).
JOB_TASKS: dict[str, str] = {
    "ingest.document": "ingestion.process_document",
    "library.import": "library.import_judgments",
    "searchable.pdf": "ingestion.make_searchable_pdf",
}


@app.task(name="mizan.drain_outbox")
def drain_outbox() -> int:
    return outbox.drain(process_kernel())


@app.task(name="mizan.resume_unfinished")
def resume_unfinished() -> int:
    """Re-send every job that is queued or was running when its worker died."""
    kernel = process_kernel()
    store = kernel.store
    unfinished = store.find(
        Job, {"state": {"$in": [JobState.QUEUED, JobState.RUNNING, JobState.RETRYING]}}
    )
    for job in unfinished:
        task = JOB_TASKS.get(job.kind)
        if task:
            enqueue(task, job.id)
    outbox.drain(kernel)
    log.info("Resumed %d unfinished jobs", len(unfinished))
    return len(unfinished)
