"""The ingestion job: page by page, resumable, time-limited pages, leases, retries, versions."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casefiles.models import Case, CaseDocument, DocumentPage
from ingestion.pages import PageSource, PageText
from ingestion.service import UploadError, document_versions, retry_job, upload_document
from ingestion.tasks import _Retry, backoff, process_document, read_page, time_limit
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job, claim_job, update_job
from tests.ingestion.test_extract import make_pdf


@pytest.fixture
def clerk(demo):
    return actor_for(demo.store.find_one(User, {"username": "clerk.south"}))


@pytest.fixture
def case(demo) -> Case:
    return demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})


def pdf_pages(count: int) -> bytes:
    return make_pdf(
        [
            {"lines": [f"Page {n} of the challan", f"Witness number {n} deposed."]}
            for n in range(1, count + 1)
        ]
    )


def upload(kernel, actor, case, name: str, data: bytes, **kw) -> CaseDocument:
    return upload_document(kernel, actor, case.id, filename=name, stream=io.BytesIO(data), **kw)


def pages_of(kernel, doc) -> dict[int, DocumentPage]:
    return {p.number: p for p in kernel.store.find(DocumentPage, {"document_id": doc.id})}


def test_each_page_is_stored_with_progress_and_the_document_is_ready(demo, clerk, case) -> None:
    doc = upload(demo, clerk, case, "challan.pdf", pdf_pages(3))
    assert demo.store.get(Job, doc.job_id).state == "queued"
    assert process_document(demo, doc.job_id) == "succeeded"
    job = demo.store.get(Job, doc.job_id)
    assert (job.done, job.total, job.percent, job.failed_pages, job.error) == (3, 3, 100, 0, None)
    assert job.owner is None and job.attempts == 1
    pages = pages_of(demo, doc)
    assert sorted(pages) == [1, 2, 3]
    assert all(p.method == "text-layer" and p.extracted_at for p in pages.values())
    assert "Witness number 2" in pages[2].text
    fresh = demo.store.get(CaseDocument, doc.id)
    assert (fresh.state, fresh.page_count, fresh.error) == ("ready", 3, None)
    # A second message for a finished job changes nothing.
    assert process_document(demo, doc.job_id) == "succeeded"
    assert demo.store.get(Job, doc.job_id).attempts == 1


def test_a_resumed_job_reads_only_the_missing_pages(demo, clerk, case) -> None:
    doc = upload(demo, clerk, case, "challan.pdf", pdf_pages(4))
    process_document(demo, doc.job_id)
    # As a killed worker leaves it: pages 1-2 stored, the job still running.
    for number in (3, 4):
        demo.store.delete(pages_of(demo, doc)[number])
    update_job(demo.store, doc.job_id, state="running", stage="reading pages", done=2)
    before = {n: (p.id, p.version, p.extracted_at) for n, p in pages_of(demo, doc).items()}
    assert process_document(demo, doc.job_id) == "succeeded"
    after = pages_of(demo, doc)
    assert sorted(after) == [1, 2, 3, 4]
    for number, record in before.items():
        assert (after[number].id, after[number].version, after[number].extracted_at) == record
    job = demo.store.get(Job, doc.job_id)
    assert (job.done, job.total, job.attempts) == (4, 4, 2)


def test_a_page_that_stopped_the_worker_twice_is_skipped_with_a_reason(demo, clerk, case) -> None:
    doc = upload(demo, clerk, case, "challan.pdf", pdf_pages(3))
    process_document(demo, doc.job_id)
    for number in (2, 3):
        demo.store.delete(pages_of(demo, doc)[number])
    # Two workers died while on page 2 (each start is recorded before the page is read).
    update_job(demo.store, doc.job_id, state="running", current_page=2, current_page_starts=2)
    assert process_document(demo, doc.job_id) == "succeeded"
    pages = pages_of(demo, doc)
    assert "stopped the worker 2 times" in pages[2].error and pages[2].text == ""
    assert pages[3].error is None and "Page 3" in pages[3].text
    job = demo.store.get(Job, doc.job_id)
    assert job.failed_pages == 1 and job.error.startswith("1 of 3 pages could not be read: page 2")
    fresh = demo.store.get(CaseDocument, doc.id)
    assert fresh.state == "ready" and fresh.error == job.error

    # Retry re-reads only the failed page; the others stay as they were.
    kept = {n: pages[n].id for n in (1, 3)}
    retry_job(demo, clerk, demo.store.get(Job, doc.job_id))
    assert demo.store.get(Job, doc.job_id).state == "queued"
    assert process_document(demo, doc.job_id) == "succeeded"
    pages = pages_of(demo, doc)
    assert pages[2].error is None and "Page 2" in pages[2].text
    assert {n: pages[n].id for n in (1, 3)} == kept
    assert demo.store.get(Job, doc.job_id).failed_pages == 0


class SlowPage(PageSource):
    """A page that never finishes (as a runaway parser would); page 2 is quick."""

    media_type, page_count = "application/pdf", 2

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        if number == 1:
            time.sleep(30)
        return PageText(number, "quick page", "text-layer")


def test_a_page_over_its_time_limit_fails_alone(monkeypatch) -> None:
    from ingestion import tasks

    monkeypatch.setattr(tasks, "ALARM_GRACE", 0)  # no grace: keep the test short
    started = time.monotonic()
    slow = read_page(SlowPage(), 1, 1)
    assert time.monotonic() - started < 20
    assert slow.error and "longer than the limit of 1 seconds" in slow.error
    assert read_page(SlowPage(), 2, 1).text == "quick page"
    with time_limit(5):
        pass  # the alarm is cleared afterwards
    time.sleep(0.01)


def test_transient_errors_are_retried_with_backoff_then_resume(demo, clerk, case) -> None:
    doc = upload(demo, clerk, case, "challan.pdf", pdf_pages(2))
    blob = demo.blobs.path(doc.sha256)
    hidden = blob.with_name("away")
    os.rename(blob, hidden)  # the disk holding the files went away for a moment
    try:
        with pytest.raises(_Retry) as caught:
            process_document(demo, doc.job_id)
    finally:
        os.rename(hidden, blob)
    assert caught.value.countdown == backoff(1) == 5
    job = demo.store.get(Job, doc.job_id)
    assert job.state == "retrying" and "trying again in 5 seconds" in job.error
    assert backoff(2) == 10 and backoff(20) == 300
    assert process_document(demo, doc.job_id) == "succeeded"
    assert demo.store.get(Job, doc.job_id).attempts == 2


def test_a_file_that_cannot_be_read_fails_its_job_without_retrying(demo, clerk, case) -> None:
    doc = upload(demo, clerk, case, "locked.pdf", make_pdf([{"lines": ["x"]}], user_password="s"))
    assert process_document(demo, doc.job_id) == "failed"
    job = demo.store.get(Job, doc.job_id)
    assert job.attempts == 1 and job.error.startswith("This PDF is password-protected.")


def test_a_job_held_by_a_live_worker_is_left_alone_and_a_dead_ones_is_taken_over(
    demo, clerk, case
) -> None:
    import socket

    doc = upload(demo, clerk, case, "challan.pdf", pdf_pages(1))
    host = socket.gethostname()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert claim_job(demo.store, doc.job_id, f"{host}:{live.pid}", 600) is not None
        assert process_document(demo, doc.job_id) == "busy"
        assert demo.store.get(Job, doc.job_id).state == "queued"
    finally:
        live.kill()
        live.wait()
    # The holder is gone: its lease is taken over at once, not after ten minutes.
    assert process_document(demo, doc.job_id) == "succeeded"


def test_identical_content_is_linked_not_read_again(demo, clerk, case) -> None:
    other = demo.store.find_one(Case, {"fir.police_station": "Boat Basin"})
    data = pdf_pages(2)
    first = upload(demo, clerk, case, "a.pdf", data)
    process_document(demo, first.job_id)
    second = upload(demo, clerk, other, "b.pdf", data)
    assert second.sha256 == first.sha256
    assert process_document(demo, second.job_id) == "succeeded"
    job = demo.store.get(Job, second.job_id)
    assert job.stage == "done" and job.total == 2
    texts = {n: p.text for n, p in pages_of(demo, second).items()}
    assert texts == {n: p.text for n, p in pages_of(demo, first).items()}
    with pytest.raises(UploadError, match="already in this case"):
        upload(demo, clerk, case, "again.pdf", data)


def test_a_new_version_keeps_the_old_ones(demo, clerk, case) -> None:
    v1 = upload(demo, clerk, case, "challan.txt", b"Interim challan, first draft.", title="Challan")
    process_document(demo, v1.job_id)
    v2 = upload(demo, clerk, case, "challan-v2.txt", b"Interim challan, corrected.", replaces=v1.id)
    assert (v2.version_no, v2.title, v2.series_id) == (2, "Challan", v1.id)
    assert demo.store.get(CaseDocument, v1.id).superseded_by == v2.id
    assert [v.id for v in document_versions(demo, v1)] == [v2.id, v1.id]
    assert demo.blobs.exists(v1.sha256) and demo.blobs.exists(v2.sha256)
    assert pages_of(demo, v1)[1].text == "Interim challan, first draft."
    with pytest.raises(UploadError, match="not the latest version"):
        upload(demo, clerk, case, "c.txt", b"Third text", replaces=v1.id)
    with pytest.raises(UploadError, match="identical to version 1"):
        upload(demo, clerk, case, "old.txt", b"Interim challan, first draft.", replaces=v2.id)
    upload(demo, clerk, case, "c.txt", b"Final challan.", replaces=v2.id)
    assert [v.version_no for v in document_versions(demo, v2)] == [3, 2, 1]


def test_unknown_document_type_is_refused(demo, clerk, case) -> None:
    with pytest.raises(UploadError, match="Unknown document type"):
        upload(demo, clerk, case, "a.txt", b"text", doc_type="banana")


def test_page_time_limit_setting_is_validated(tmp_path: Path) -> None:
    from mizan.settings import SettingsError
    from tests.conftest import make_settings

    assert make_settings(tmp_path / "a").page_time_limit == 300
    assert make_settings(tmp_path / "b", MIZAN_PAGE_TIME_LIMIT="60").page_time_limit == 60
    with pytest.raises(SettingsError, match="MIZAN_PAGE_TIME_LIMIT"):
        make_settings(tmp_path / "c", MIZAN_PAGE_TIME_LIMIT="1")


def test_the_same_bytes_after_a_failed_reading_are_read_again(
    demo, clerk, case, monkeypatch
) -> None:
    """A failed document does not block the same file: it is read again, not refused as
    "already in this case", and the case keeps one document of that content."""
    import ingestion.tasks
    from ingestion.ocr import OcrUnavailable

    data = pdf_pages(1)
    doc = upload(demo, clerk, case, "challan.pdf", data)

    def no_reader(*args, **kw):
        raise OcrUnavailable("Tesseract is not installed.")

    monkeypatch.setattr(ingestion.tasks, "open_pages", no_reader)
    assert process_document(demo, doc.job_id) == "failed"
    monkeypatch.undo()  # the reader is back (installed, or the worker restarted)

    again = upload(demo, clerk, case, "challan-again.pdf", data, lang="urd")
    assert again.id == doc.id and again.language == "urd"
    job = demo.store.get(Job, doc.job_id)
    assert job.state == "queued" and not job.error
    assert demo.store.count(CaseDocument, {"case_id": case.id, "sha256": doc.sha256}) == 1
    assert process_document(demo, doc.job_id) == "succeeded"
    assert "Witness number 1" in pages_of(demo, doc)[1].text
    # Once read, the same bytes are "already in this case" as before.
    with pytest.raises(UploadError, match="already in this case"):
        upload(demo, clerk, case, "third.pdf", data)
