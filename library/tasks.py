"""Background import of a judgments file an administrator uploaded (it can take minutes)."""

from __future__ import annotations

import logging

from library.importers import import_judgments_jsonl
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.i18n import gettext as _
from mizan.jobs import Job, JobState, update_job
from mizan.kernel import Kernel, process_kernel
from mizan.worker import app

log = logging.getLogger(__name__)

JOB_KIND = "library.import"
TASK = "library.import_judgments"


@app.task(name=TASK)
def import_judgments_task(job_id: str) -> str:
    return run_import(process_kernel(), job_id)


def run_import(kernel: Kernel, job_id: str) -> str:
    """Import the uploaded JSON-lines file of job ``job_id``; progress goes to the job."""
    store = kernel.store
    job = store.get(Job, job_id)
    if job.finished:
        return job.state
    user = store.get(User, job.created_by)
    who = actor_for(user, None, "worker")
    update_job(store, job_id, state=JobState.RUNNING, stage="importing", attempts=job.attempts + 1)
    try:
        report = import_judgments_jsonl(
            kernel,
            who,
            kernel.blobs.path(job.subject_id),
            progress=lambda done, total: update_job(store, job_id, done=done, total=total),
        )
    except Exception as exc:
        log.exception("Library import %s failed", job_id)
        update_job(store, job_id, state=JobState.FAILED, stage="failed", error=str(exc)[:500])
        return JobState.FAILED
    summary = _(
        "%(added)d added, %(updated)d updated, %(errors)d lines skipped",
        added=report.added,
        updated=report.updated,
        errors=len(report.errors),
    )
    problems = "; ".join(str(e) for e in report.errors[:5])
    update_job(
        store,
        job_id,
        state=JobState.SUCCEEDED,
        stage=summary,
        error=problems or None,
    )
    return JobState.SUCCEEDED
