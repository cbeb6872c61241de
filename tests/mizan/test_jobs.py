"""Job leases: a dead worker's job is taken over at once and queued again by the sweep."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import time

import pytest

from casefiles.models import Case
from ingestion.service import upload_document
from mizan import worker
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job, claim_job, update_job


@pytest.fixture
def job_id(demo) -> str:
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    case = demo.store.find_one(Case, {"district": "KHI-S"})
    data = io.BytesIO(b"Statement of the witness, recorded at the police station.")
    return upload_document(demo, clerk, case.id, filename="statement.txt", stream=data).job_id


def owner(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}"


def queued_messages() -> int:
    with worker.app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(worker.INTERACTIVE_QUEUE, passive=True)[1]


def zombie() -> subprocess.Popen:
    """A child that has exited and is not reaped, as a killed worker's pool process stays
    under a PID 1 that does not reap (a container without init)."""
    child = subprocess.Popen(["true"])
    for _ in range(200):
        with open(f"/proc/{child.pid}/stat") as stat:
            if stat.read().rpartition(")")[2].split()[0] == "Z":
                return child
        time.sleep(0.05)
    raise AssertionError("the child never exited")


def test_a_live_worker_keeps_its_job_and_an_unreaped_dead_one_does_not(demo, job_id) -> None:
    live = subprocess.Popen(["sleep", "60"])
    dead = zombie()
    try:
        assert claim_job(demo.store, job_id, owner(live.pid), 600) is not None
        assert claim_job(demo.store, job_id, owner(os.getpid()), 600) is None
        assert claim_job(demo.store, job_id, owner(dead.pid), 600) is None  # live still holds
        live.kill()
        live.wait()
        assert claim_job(demo.store, job_id, owner(dead.pid), 600) is not None
        assert claim_job(demo.store, job_id, owner(os.getpid()), 600) is not None
    finally:
        for proc in (live, dead):
            proc.kill()
            proc.wait()


def test_the_sweep_queues_again_only_the_jobs_of_dead_workers(demo, job_id) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    claim_job(demo.store, job_id, owner(gone.pid), 600)
    update_job(demo.store, job_id, state="running", done=1, total=3, current_page=2)
    before = queued_messages()
    assert worker.reclaim_orphans(demo) == 1
    job = demo.store.get(Job, job_id)
    assert job.state == "queued" and job.owner is None and "worker stopped" in job.stage
    assert (job.done, job.current_page) == (1, 2)  # goes on where it stopped
    assert queued_messages() == before + 1
    # A job whose worker lives is left to it.
    claim_job(demo.store, job_id, owner(os.getpid()), 600)
    update_job(demo.store, job_id, state="running")
    assert worker.reclaim_orphans(demo) == 0
    assert demo.store.get(Job, job_id).owner == owner(os.getpid())
    assert queued_messages() == before + 1
