"""A real ``mizan run-worker`` process: it processes jobs, and a killed worker's job resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image

from casefiles.models import Case, CaseDocument, DocumentPage
from ingestion.service import upload_document
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job
from tests.conftest import render_scan

pytestmark = pytest.mark.slow


def start_worker(settings) -> subprocess.Popen:
    env = {
        **os.environ,
        "MIZAN_DATA_DIR": str(settings.data_dir),
        "MIZAN_BROKER": settings.broker_url,
        "OMP_THREAD_LIMIT": "1",
        "MIZAN_WARM_MODEL": "true" if settings.warm_model else "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "run-worker", "-c", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop by PID and wait (never `timeout`: polling-broker workers take seconds to stop).

    SIGTERM goes to the main process only, as `scripts/run.sh` sends it: a pool child
    killed under a warm shutdown can leave Celery waiting for it. SIGKILL takes the group.
    """
    if proc.poll() is None:
        if sig == signal.SIGKILL:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        proc.wait(timeout=60)


def wait_job(kernel, job_id: str, predicate, timeout: float = 180) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = kernel.store.get(Job, job_id)
        if predicate(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job never reached the expected state: {kernel.store.get(Job, job_id)}")


def test_killed_worker_job_is_resumed_by_the_next_worker(demo, tmp_path) -> None:
    """SIGKILL mid-file: the next worker keeps the finished pages and reads only the rest."""
    count = 6
    pages = [
        Image.open(
            render_scan(
                f"Page {n} of the police file, statement of witness {n}", tmp_path / f"p{n}.png"
            )
        )
        for n in range(1, count + 1)
    ]
    tiff = tmp_path / "file.tiff"
    pages[0].save(tiff, save_all=True, append_images=pages[1:], dpi=(300, 300))
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    case = demo.store.find_one(Case, {"district": "KHI-S"})
    worker = start_worker(demo.settings)
    try:
        with tiff.open("rb") as fh:
            doc = upload_document(demo, clerk, case.id, filename="file.tiff", stream=fh)
        wait_job(demo, doc.job_id, lambda j: j.state == "running" and j.done >= 2)
    finally:
        stop(worker, signal.SIGKILL)  # dies mid-job, without acknowledging anything
    killed = demo.store.get(Job, doc.job_id)
    assert killed.state == "running" and 2 <= killed.done < count
    before = {
        p.number: (p.id, p.extracted_at, p.version)
        for p in demo.store.find(DocumentPage, {"document_id": doc.id})
    }
    assert len(before) == killed.done

    worker = start_worker(demo.settings)
    try:
        job = wait_job(demo, doc.job_id, lambda j: j.finished)
    finally:
        stop(worker)
    assert job.state == "succeeded", job.error
    assert job.attempts == 2 and job.done == job.total == count and job.failed_pages == 0
    after = {
        p.number: (p.id, p.extracted_at, p.version)
        for p in demo.store.find(DocumentPage, {"document_id": doc.id})
    }
    assert sorted(after) == list(range(1, count + 1))
    for number, record in before.items():
        assert after[number] == record, f"page {number} was read again"
    texts = {p.number: p.text for p in demo.store.find(DocumentPage, {"document_id": doc.id})}
    assert all(f"witness {n}" in texts[n] for n in range(1, count + 1))
    assert demo.store.get(CaseDocument, doc.id).state == "ready"
