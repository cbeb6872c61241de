"""Durable job records: what the UI shows as progress bars, and what survives a crash.

The Celery message only carries the job id; the record holds state, stage,
progress, attempts and the error in words a clerk understands.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import mongoengine as me

from mizan.storage import DocumentStore, Model, StaleWriteError


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


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def update_job(store: DocumentStore, job_id: str, **changes: object) -> Job:
    """Apply ``changes`` to the freshest copy; retried because the UI never writes jobs."""
    for _ in range(10):
        job = store.get(Job, job_id)
        for key, value in changes.items():
            setattr(job, key, value)
        job.updated_at = now()
        if changes.get("state") in FINISHED:
            job.finished_at = job.updated_at
        try:
            return store.replace(job)
        except StaleWriteError:
            continue
    raise RuntimeError(f"Job {job_id} is being updated by another process.")
