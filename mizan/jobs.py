"""Durable job records: what the UI shows as progress bars, and what survives a crash.

The Celery message only carries the job id; the record holds state, stage,
progress, attempts and the error in words a clerk understands.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import mongoengine as me

from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.storage import DocumentStore, Model, NotFoundError, StaleWriteError

if TYPE_CHECKING:
    from mizan.kernel import Kernel


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


FINISHED = frozenset({JobState.SUCCEEDED, JobState.FAILED})


class Job(Model):
    label = "job"
    kind = me.StringField(required=True)
    state = me.StringField(
        required=True, default=JobState.QUEUED, choices=[s.value for s in JobState]
    )
    stage = me.StringField(default="queued")
    done = me.IntField(default=0)
    total = me.IntField(default=0)
    error = me.StringField()
    attempts = me.IntField(default=0)
    subject_type = me.StringField()
    subject_id = me.StringField()
    case_id = me.StringField()
    district = me.StringField()
    title = me.StringField()
    created_by = me.StringField()
    created_at = me.DateTimeField()
    updated_at = me.DateTimeField()
    finished_at = me.DateTimeField()
    #: Pages that could not be read; the job still succeeds and each page says why.
    failed_pages = me.IntField(default=0)
    #: The page being worked on and how often a worker started it: a page that
    #: killed its worker twice is failed instead of being tried for ever.
    current_page = me.IntField()
    current_page_starts = me.IntField(default=0)
    #: Which worker process holds the job (``host:pid``) and until when; a second
    #: message for the same job leaves it alone while the holder lives.
    owner = me.StringField()
    lease_until = me.DateTimeField()

    meta = {
        "collection": "jobs",
        "indexes": ["state", ("subject_type", "subject_id"), "created_by", "case_id", "district"],
    }

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


def jobs_of(
    kernel: Kernel, actor: Actor, *, page: int = 1, per_page: int = 30
) -> tuple[list[Job], int]:
    """One page of the jobs ``actor`` started, newest first, and how many there are."""
    flt = {"created_by": actor.user_id}
    total = kernel.store.count(Job, flt)
    rows = kernel.store.find(
        Job, flt, sort=[("created_at", -1)], skip=(max(page, 1) - 1) * per_page, limit=per_page
    )
    return rows, total


def recent_jobs(kernel: Kernel, actor: Actor, limit: int = 5) -> list[Job]:
    """The last ``limit`` jobs ``actor`` started (the start page lists them)."""
    return kernel.store.find(
        Job, {"created_by": actor.user_id}, sort=[("created_at", -1)], limit=limit
    )


def update_job(store: DocumentStore, job_id: str, **changes: object) -> Job:
    """Apply ``changes`` to the freshest copy; retried because the UI never writes jobs."""
    for _ in range(10):
        job = store.get(Job, job_id)
        for key, value in changes.items():
            setattr(job, key, value)
        job.updated_at = utc_naive_now()
        if changes.get("state") in FINISHED:
            job.finished_at = job.updated_at
        try:
            return store.replace(job)
        except StaleWriteError:
            continue
    raise RuntimeError(f"Job {job_id} is being updated by another process.")


def worker_identity() -> str:
    """``host:pid`` of this process, as recorded in :attr:`Job.owner`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_alive(owner: str) -> bool:
    """Whether the process named by ``owner`` still runs (only knowable on this host)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: trust the lease's expiry instead
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """Whether ``pid`` has exited but was never reaped.

    A killed worker's pool process is handed to PID 1; in a container whose PID 1
    does not reap (no init), it stays a zombie, which ``kill(pid, 0)`` reports as alive,
    and its job would wait for the lease to run out (over ten minutes).
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc (not Linux) or already gone: kill() had the last word
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def orphaned(job: Job) -> bool:
    """Whether a running job's worker is gone: its process died here, or its lease ran out."""
    if job.state != JobState.RUNNING or not job.owner:
        return False  # only leased work (ingestion) names its worker
    expired = job.lease_until is None or job.lease_until <= utc_naive_now()
    return expired or not _owner_alive(job.owner)


def release_orphan(store: DocumentStore, job_id: str) -> bool:
    """Put a job whose worker died back in the queue; False when it is not orphaned (any more).

    The pages it stored are kept and the page in progress stays noted, so the next
    worker reads only what is missing and counts the interrupted page's start.
    """
    for _ in range(10):
        job = store.get(Job, job_id)
        if not orphaned(job):
            return False
        job.state, job.stage = JobState.QUEUED, "queued again: its worker stopped"
        job.owner, job.lease_until = None, None
        job.updated_at = utc_naive_now()
        try:
            store.replace(job)
        except StaleWriteError:
            continue
        return True
    raise RuntimeError(f"Job {job_id} is being updated by another process.")


Subject = TypeVar("Subject", bound=Model)


def start_job(
    store: DocumentStore, job_id: str, subject_model: type[Subject], owner: str, seconds: float
) -> tuple[Job, Subject] | str:
    """The job and what it works on, leased to ``owner`` for ``seconds``; or why it is not
    to be run now: ``"missing"`` (the job or its subject is gone), a finished job's state,
    or ``"busy"`` (another live worker holds it). Every job runner starts here, so each is
    safe to call twice for the same job (a redelivered message, a sweep)."""
    try:
        job = store.get(Job, job_id)
        subject = store.get(subject_model, job.subject_id)
    except NotFoundError:
        return "missing"
    if job.finished:
        return job.state
    claimed = claim_job(store, job.id, owner, seconds)
    if claimed is None:
        return "busy"
    return claimed, subject


def fail_job(store: DocumentStore, job_id: str, message: str) -> str:
    """Mark a leased job failed with ``message`` (a sentence for the clerk) and release
    its lease, the end of what `start_job` began; returns the failed state."""
    update_job(
        store,
        job_id,
        state=JobState.FAILED,
        stage="failed",
        error=message,
        owner=None,
        lease_until=None,
    )
    return JobState.FAILED


def claim_job(store: DocumentStore, job_id: str, owner: str, seconds: float) -> Job | None:
    """Take (or renew) the lease on a job; None while another live worker holds it.

    A killed worker's lease is taken over at once when it ran on this machine
    (its process is gone), otherwise when the lease runs out.
    """
    for _ in range(10):
        job = store.get(Job, job_id)
        held = (
            job.owner
            and job.owner != owner
            and job.lease_until
            and job.lease_until > utc_naive_now()
        )
        if held and _owner_alive(job.owner or ""):
            return None
        job.owner = owner
        job.lease_until = utc_naive_now() + dt.timedelta(seconds=seconds)
        job.updated_at = utc_naive_now()
        try:
            return store.replace(job)
        except StaleWriteError:
            continue
    raise RuntimeError(f"Job {job_id} is being updated by another process.")
