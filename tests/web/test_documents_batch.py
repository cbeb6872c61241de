"""Uploading many files, ZIPs, versions, searchable PDFs and retries, through HTTP."""

from __future__ import annotations

import io
import zipfile

from casefiles.models import Case, CaseDocument, DocumentPage
from ingestion.tasks import process_document
from mizan.audit import AuditEntry
from mizan.jobs import Job, update_job


def _case(kernel) -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})


def _post_files(b, case_id: str, files: list[tuple[str, bytes]]):
    return b.client.post(
        f"/cases/{case_id}/documents",
        data={
            "file": [(io.BytesIO(data), name) for name, data in files],
            "title": "",
            "lang": "eng",
            "csrf_token": b.token(f"/cases/{case_id}"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_many_files_at_once_each_with_its_outcome(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    page = clerk.get(f"/cases/{case.id}").data.decode()
    assert 'type="file"' in page and "multiple" in page
    response = _post_files(
        clerk,
        case.id,
        [
            ("one.txt", b"First statement."),
            ("two.txt", b"Second statement."),
            ("bad.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ],
    )
    html = response.data.decode()
    assert "2 files received and being read, 0 already in the case, 1 refused." in html
    assert "bad.pdf: This file says it is a PDF but its content is a PNG image." in html
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 2
    jobs = clerk.get("/jobs/").data.decode()
    assert "bad.pdf" in jobs and "Refused" in jobs


def test_zip_upload_with_manifest(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.csv", "file,title\na.txt,Seizure memo\nmissing.txt,\n")
        zf.writestr("a.txt", "Seizure memo of the motorcycle.")
    html = _post_files(clerk, case.id, [("batch.zip", buf.getvalue())]).data.decode()
    assert "1 files received" in html
    assert "Manifest line 3: “missing.txt” is not in the ZIP." in html
    (doc,) = demo.store.find(CaseDocument, {"case_id": case.id})
    assert doc.title == "Seizure memo"


def test_new_version_keeps_the_old_one_downloadable(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    _post_files(clerk, case.id, [("challan.txt", b"Interim challan.")])
    v1 = demo.store.find_one(CaseDocument, {"case_id": case.id})
    process_document(demo, v1.job_id)
    page = clerk.get(f"/documents/{v1.id}").data.decode()
    assert "Add a new version" in page
    response = clerk.client.post(
        f"/documents/{v1.id}/versions",
        data={
            "file": (io.BytesIO(b"Final challan."), "challan-final.txt"),
            "lang": "eng",
            "csrf_token": clerk.token(f"/documents/{v1.id}"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.data.decode()
    assert "Version 2 of “challan.txt” was received" in html
    v2 = demo.store.find_one(CaseDocument, {"case_id": case.id, "version_no": 2})
    assert f"/documents/{v1.id}/download" in html and f"/documents/{v2.id}/download" in html
    assert clerk.get(f"/documents/{v1.id}/download").data == b"Interim challan."
    assert clerk.get(f"/documents/{v2.id}/download").data == b"Final challan."
    old = clerk.get(f"/documents/{v1.id}").data.decode()
    assert "This is an older version." in old and "Add a new version" not in old
    downloads = demo.store.find(AuditEntry, {"action": "document.downloaded"})
    assert {e.subject_id for e in downloads} == {v1.id, v2.id}
    # Another prosecutor's clerk view: a version of a case one may not see is a 404.
    sana = browser()
    sana.login("pp.sana")
    assert sana.get(f"/documents/{v1.id}/download").status_code == 404


def test_searchable_pdf_is_offered_only_for_scans(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    _post_files(clerk, case.id, [("note.txt", b"Typed note.")])
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    process_document(demo, doc.job_id)
    assert "Searchable PDF" not in clerk.get(f"/documents/{doc.id}").data.decode()
    assert clerk.get(f"/documents/{doc.id}/searchable.pdf").status_code == 404
    # As if the page had been scanned: the button appears and queues a job.
    page = demo.store.find_one(DocumentPage, {"document_id": doc.id})
    page.method = "ocr"
    demo.store.replace(page)
    assert "Make a searchable PDF" in clerk.get(f"/documents/{doc.id}").data.decode()
    response = clerk.post(f"/documents/{doc.id}/searchable", {}, form_url=f"/documents/{doc.id}")
    assert response.status_code == 303
    job = demo.store.find_one(Job, {"kind": "searchable.pdf", "subject_id": doc.id})
    assert job is not None and job.state == "queued"
    page = clerk.get(f"/documents/{doc.id}").data.decode()
    assert f"/jobs/{job.id}/progress" in page and "Make a searchable PDF" not in page


def test_retry_button_for_failed_pages(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    _post_files(clerk, case.id, [("note.txt", b"Typed note.")])
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    process_document(demo, doc.job_id)
    page = demo.store.find_one(DocumentPage, {"document_id": doc.id})
    page.error, page.text = "OCR failed on page 1: test", ""
    demo.store.replace(page)
    update_job(demo.store, doc.job_id, failed_pages=1, error="1 of 1 pages could not be read")
    jobs = clerk.get("/jobs/").data.decode()
    assert "Done, 1 page could not be read" in jobs and "Retry" in jobs
    assert clerk.get(f"/jobs/{doc.job_id}.json").get_json()["failed_pages"] == 1
    clerk.post(f"/jobs/{doc.job_id}/retry", {}, form_url="/jobs/")
    assert demo.store.get(Job, doc.job_id).state == "queued"
    assert process_document(demo, doc.job_id) == "succeeded"
    assert demo.store.find_one(DocumentPage, {"document_id": doc.id}).text == "Typed note."


def test_a_single_refused_upload_also_ends_its_own_job(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    html = _post_files(clerk, case.id, [("empty.pdf", b"")]).data.decode()
    assert "This file is empty." in html
    job = demo.store.find_one(Job, {"kind": "ingest.refused", "title": "empty.pdf"})
    assert job.state == "failed" and job.error == "This file is empty."
    assert job.case_id == case.id
    jobs = clerk.get("/jobs/").data.decode()
    assert "empty.pdf" in jobs and "This file is empty." in jobs
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 0


def test_a_batch_over_the_upload_limit_is_refused_whole_with_the_limit_named(tmp_path) -> None:
    from app.bootstrap import build_kernel
    from app.demo import seed
    from mizan.kernel import set_process_kernel
    from tests.conftest import Browser, make_settings
    from web import create_app

    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_MAX_UPLOAD_MB="1"))
    try:
        seed(kernel)
        app = create_app(kernel.settings, kernel=kernel)
        clerk = Browser(app)
        clerk.login("clerk.south")
        case = _case(kernel)
        # Each file is under the limit; together they are over it (and over its 1 MB margin).
        files = [(f"part{n}.txt", b"a" * 700_000) for n in range(3)]
        response = _post_files(clerk, case.id, files)
        assert response.status_code == 413
        assert "larger than the upload limit of 1 MB" in response.data.decode()
        assert "send fewer files at a time" in response.data.decode()
        assert kernel.store.count(CaseDocument, {"case_id": case.id}) == 0
    finally:
        set_process_kernel(None)
        kernel.close()
