"""Interactive work never waits behind bulk work: separate queues, real workers."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from casefiles.models import Case
from ingestion.service import upload_document
from library.indexing import TOPIC as LIBRARY_TOPIC
from library.uploads import queue_judgments_import
from mizan import outbox, worker
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job
from tests.conftest import render_scan
from tests.mizan.test_worker_process import stop, wait_job


def test_bulk_tasks_and_topics_are_routed_to_the_bulk_queue(kernel) -> None:
    routes = worker.app.conf.task_routes
    assert routes["library.import_judgments"] == {"queue": worker.BULK_QUEUE}
    assert routes["ingestion.make_searchable_pdf"] == {"queue": worker.BULK_QUEUE}
    assert "ingestion.process_document" not in routes  # the default: interactive
    with kernel.store.transaction():
        bulk = outbox.enqueue(kernel.store, LIBRARY_TOPIC, {"act": "none", "removed": []})
        case = outbox.enqueue(kernel.store, "index.case", {"case_id": "nope"})
    assert bulk.lane == outbox.BULK and case.lane is None
    assert outbox.pending(kernel.store, outbox.BULK) == 1
    assert outbox.pending(kernel.store, outbox.INTERACTIVE) == 1
    outbox.drain(kernel, lane=outbox.INTERACTIVE)  # the case entry only
    assert outbox.pending(kernel.store, outbox.BULK) == 1


def _worker(settings, queues: str) -> subprocess.Popen:
    env = {**os.environ, "MIZAN_DATA_DIR": str(settings.data_dir),
           "MIZAN_BROKER": settings.broker_url, "OMP_THREAD_LIMIT": "1",
           "MIZAN_WARM_MODEL": "false"}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "run-worker", "-c", "1", "-Q", queues],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


@pytest.mark.slow
def test_an_upload_is_read_while_a_bulk_import_waits_for_its_worker(demo, tmp_path) -> None:
    """With only the interactive worker up, the upload is read and the import stays queued;
    the bulk worker then takes the import."""
    admin = actor_for(demo.store.find_one(User, {"username": "admin"}))
    lines = "\n".join(
        json.dumps({"title": f"State v. Accused {n}", "citation": f"PLD 2020 SC {n}",
                    "court": "Supreme Court", "year": "2020", "text": "Murder appeal. " * 50})
        for n in range(1, 4)
    )  # fmt: skip
    sha, _size = demo.blobs.put_stream(io.BytesIO(lines.encode()))
    bulk_job = queue_judgments_import(demo, admin, sha, "judgments.jsonl")
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    case = demo.store.find_one(Case, {"district": "KHI-S"})
    scan = render_scan("First Information Report under section 302 PPC", tmp_path / "fir.png")
    interactive = _worker(demo.settings, "interactive")
    try:
        with scan.open("rb") as fh:
            doc = upload_document(demo, clerk, case.id, filename="fir.png", stream=fh)
        done = wait_job(demo, doc.job_id, lambda j: j.finished)
        assert done.state == "succeeded", done.error
        assert demo.store.get(Job, bulk_job.id).state == "queued"  # not taken by this worker
    finally:
        stop(interactive)
    everything = _worker(demo.settings, "all")
    try:
        finished = wait_job(demo, bulk_job.id, lambda j: j.finished)
    finally:
        stop(everything)
    assert finished.state == "succeeded", finished.error
