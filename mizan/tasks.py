"""Kernel tasks: draining the outbox and resuming work after a crash."""

from __future__ import annotations

import logging

from mizan import outbox, webhooks
from mizan.jobs import Job, JobState
from mizan.kernel import process_kernel
from mizan.worker import app, enqueue

log = logging.getLogger(__name__)

#: Seconds one drain task works before handing the rest to a fresh task; keeps a warm
#: shutdown (Ctrl-C) short while the worker embeds a large library import.
DRAIN_BUDGET = 20.0


@app.task(name=outbox.DRAIN_TASK)
def drain_outbox(lane: str = outbox.INTERACTIVE) -> int:
    """Drain one lane's entries (interactive ones on the interactive queue, bulk on bulk)."""
    kernel = process_kernel()
    applied = outbox.drain(kernel, budget=DRAIN_BUDGET, lane=lane)
    if outbox.pending(kernel.store, lane) and applied:
        outbox.schedule(lane)  # more to do; failing-only entries wait for a new event
    return applied


@app.task(name=webhooks.RETRY_TASK)
def retry_webhook(delivery_id: str) -> str:
    """Attempt one webhook delivery again after its back-off (a no-op if not due)."""
    return webhooks.attempt(process_kernel(), delivery_id)


@app.task(name="mizan.resume_unfinished")
def resume_unfinished() -> int:
    """Re-send every job that is queued or was running when its worker died."""
    kernel = process_kernel()
    store = kernel.store
    unfinished = store.find(
        Job, {"state": {"$in": [JobState.QUEUED, JobState.RUNNING, JobState.RETRYING]}}
    )
    for job in unfinished:
        task = kernel.registry.job_tasks.get(job.kind)
        if task:
            enqueue(task, job.id)
    outbox.schedule(outbox.INTERACTIVE)
    outbox.schedule(outbox.BULK)
    log.info("Resumed %d unfinished jobs", len(unfinished))
    return len(unfinished)
