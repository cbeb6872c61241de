"""Cause lists read by the worker: from an upload, the drop folder or an address; a damaged
or refused file fails its own job with the reason and stages nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefiles.cause_list_reviews import CauseListEntry, CauseListImport
from casefiles.cause_lists import CauseListError
from ingestion.cause_list_jobs import CauseListRequest, queue_file, queue_url, read_queued
from ingestion.dropfolder import scan_once
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import pakistan_today
from mizan.jobs import Job
from tests.conftest import make_settings
from tests.data.make_cause_lists import Listing, atc_list, scanned

COURT = "ATC-XII Karachi"
DAY = pakistan_today() + dt.timedelta(days=3)
LISTINGS = [
    Listing("Special Case No. 5 of 2024", "The State v. Muhammad Aslam", 189, 2024,
            "Artillery Maidan", "Evidence"),
    Listing("Special Case No. 6 of 2025", "The State v. Shahid alias Shoda", 77, 2025,
            "Boat Basin", "Bail"),
]  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path):
    # A court "site" on loopback is fetched only because the tests allow it.
    return make_settings(
        tmp_path / "data",
        MIZAN_FETCH_PRIVATE_ADDRESSES="true",
        MIZAN_DROP_DIR=str(tmp_path / "drop"),
        MIZAN_DROP_USER="clerk.south",
    )


def _clerk(kernel):
    return actor_for(kernel.store.find_one(User, {"username": "clerk.south"}))


def _served(files: dict[str, tuple[str, bytes]]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in files:
                self.send_error(404)
                return
            kind, body = files[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def court_site() -> Iterator[str]:
    yield from _served(
        {
            "/lists/atc.pdf": ("application/pdf", atc_list(COURT, DAY, LISTINGS)),
            "/lists/index.html": ("text/html", b"<html>today's lists</html>"),
        }
    )


def _finished(kernel, job_id: str, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = kernel.store.get(Job, job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job.state} ({job.stage})")


@pytest.mark.slow  # OCR
def test_an_uploaded_scan_is_read_page_by_page(demo) -> None:
    data = scanned(atc_list(COURT, DAY, LISTINGS))
    queued = queue_file(demo, _clerk(demo), io.BytesIO(data), "atc-scan.pdf")
    job = demo.store.get(Job, queued.job_id)
    assert (job.kind, job.state, job.district) == ("cause_list.read", "queued", "KHI-S")
    assert demo.store.count(CauseListImport) == 0
    assert read_queued(demo, job.id) == "succeeded"
    job = demo.store.get(Job, job.id)
    assert (job.done, job.total, job.percent) == (1, 1, 100)
    record = demo.store.get(CauseListImport, demo.store.get(CauseListRequest, queued.id).import_id)
    assert (record.method, record.court, record.district) == ("ocr", COURT, "KHI-S")
    assert demo.store.count(CauseListEntry, {"import_id": record.id}) == 2
    # Run again (a second message for the job): nothing is staged twice.
    assert read_queued(demo, job.id) == "succeeded"
    assert demo.store.count(CauseListImport) == 1


def test_a_damaged_pdf_fails_its_own_job(demo) -> None:
    clerk = _clerk(demo)
    broken = queue_file(demo, clerk, io.BytesIO(b"%PDF-1.7\n1 0 obj <<"), "broken.pdf")
    good = queue_file(demo, clerk, io.BytesIO(atc_list(COURT, DAY, LISTINGS)), "atc.pdf")
    assert read_queued(demo, broken.job_id) == "failed"
    assert "cannot be opened" in demo.store.get(Job, broken.job_id).error
    assert read_queued(demo, good.job_id) == "succeeded"
    assert demo.store.count(CauseListImport) == 1


def test_the_court_the_clerk_typed_wins_over_the_heading(demo) -> None:
    data = atc_list(COURT, DAY, LISTINGS)
    queued = queue_file(demo, _clerk(demo), io.BytesIO(data), "atc.pdf", court="ATC-I Karachi")
    assert read_queued(demo, queued.job_id) == "succeeded"
    record = demo.store.find_one(CauseListImport, {})
    assert record.court == "ATC-I Karachi"  # what the clerk typed wins over the heading


@pytest.mark.slow
def test_a_real_worker_fetches_an_address_and_reads_it(demo, celery_worker, court_site) -> None:
    clerk = _clerk(demo)
    fetched = queue_url(demo, clerk, f"{court_site}/lists/atc.pdf")
    page = queue_url(demo, clerk, f"{court_site}/lists/index.html")
    missing = queue_url(demo, clerk, f"{court_site}/lists/gone.pdf")
    assert _finished(demo, fetched.job_id).state == "succeeded"
    request = demo.store.get(CauseListRequest, fetched.id)
    assert request.sha256 and request.media_type == "application/pdf"
    record = demo.store.get(CauseListImport, request.import_id)
    assert (record.court, record.day, record.filename) == (COURT, DAY.isoformat(), "atc.pdf")
    html = _finished(demo, page.job_id)
    assert html.state == "failed" and "text/html, not a PDF" in html.error
    gone = _finished(demo, missing.job_id)
    assert gone.state == "failed" and "answered 404" in gone.error
    assert demo.store.count(CauseListImport) == 1


def test_without_the_setting_loopback_is_refused_when_asked(demo) -> None:
    demo.settings = dataclasses.replace(demo.settings, fetch_private_addresses=False)

    with pytest.raises(CauseListError, match="inside this network"):
        queue_url(demo, _clerk(demo), "http://127.0.0.1:8000/list.pdf")
    assert demo.store.count(CauseListRequest) == 0


def test_a_list_dropped_in_the_folder_is_queued_as_the_drop_account(demo, tmp_path) -> None:
    folder = tmp_path / "drop" / "cause-lists"
    folder.mkdir(parents=True)
    (folder / "atc-12.pdf").write_bytes(atc_list(COURT, DAY, LISTINGS))
    (folder / "notes.txt").write_bytes(b"not a list")
    past = time.time() - 60
    for path in folder.iterdir():
        os.utime(path, (past, past))
    results = {r.path.name: r for r in scan_once(demo, settle=0)}
    assert results["cause-lists__atc-12.pdf"].ok
    assert not results["cause-lists__notes.txt"].ok
    assert (tmp_path / "drop" / "processed" / "cause-lists__atc-12.pdf").exists()
    note = tmp_path / "drop" / "failed" / "cause-lists__notes.txt.txt"
    assert "PDF file or a scanned page" in note.read_text()
    assert folder.is_dir()  # the scanner's folder stays
    queued = demo.store.find_one(CauseListRequest, {})
    assert (queued.source, queued.district) == ("drop", "KHI-S")
    assert read_queued(demo, queued.job_id) == "succeeded"
    assert demo.store.find_one(CauseListImport, {}).created_by == _clerk(demo).user_id
