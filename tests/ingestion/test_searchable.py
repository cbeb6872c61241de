"""Searchable PDFs of scans: the page images with an invisible text layer, made by Tesseract."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from casefiles.models import Case, CaseDocument
from ingestion.searchable import build_searchable_pdf, make_searchable_pdf, request_searchable_pdf
from ingestion.service import upload_document
from ingestion.tasks import process_document
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.audit import AuditEntry
from mizan.jobs import Job
from tests.conftest import render_scan
from tests.ingestion.test_extract import make_pdf

pytestmark = pytest.mark.slow


def pdf_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_mixed_pdf_keeps_text_pages_and_gives_scans_a_text_layer(tmp_path) -> None:
    scan = Image.open(render_scan("Recovery memo of the pistol", tmp_path / "s.png"))
    path = tmp_path / "mixed.pdf"
    path.write_bytes(
        make_pdf([{"lines": ["Typed order of the court"]}, {"image": scan.convert("RGB")}])
    )
    progress: list[tuple[int, int]] = []
    data = build_searchable_pdf(
        path, "mixed.pdf", {2}, on_page=lambda d, t: progress.append((d, t))
    )
    texts = pdf_texts(data)
    assert len(texts) == 2 and progress == [(1, 2), (2, 2)]
    assert "Typed order of the court" in texts[0]
    assert "Recovery" in texts[1] and "pistol" in texts[1]
    pdf = pdfium.PdfDocument(data)
    kinds = {obj.type for obj in pdf[1].get_objects()}
    pdf.close()
    assert pdfium.raw.FPDF_PAGEOBJ_IMAGE in kinds  # the scanned image is kept


def test_searchable_pdf_job_for_an_uploaded_scan(demo, browser, tmp_path) -> None:
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    scan = render_scan("Statement of the eye witness Rasheed", tmp_path / "scan.png")
    doc = upload_document(
        demo, clerk, case.id, filename="scan.png", stream=io.BytesIO(scan.read_bytes())
    )
    with pytest.raises(ValueError, match="Only a scanned document that has been read"):
        request_searchable_pdf(demo, clerk, doc)  # not read yet
    process_document(demo, doc.job_id)
    doc = demo.store.get(CaseDocument, doc.id)
    job = request_searchable_pdf(demo, clerk, doc)
    assert request_searchable_pdf(demo, clerk, doc).id == job.id  # one request at a time
    assert make_searchable_pdf(demo, job.id) == "succeeded"
    doc = demo.store.get(CaseDocument, doc.id)
    assert doc.searchable_sha256 and doc.searchable_sha256 != doc.sha256
    (text,) = pdf_texts(demo.blobs.path(doc.searchable_sha256).read_bytes())
    assert "Rasheed" in text
    assert demo.blobs.path(doc.sha256).read_bytes() == scan.read_bytes()  # original untouched
    assert demo.store.get(Job, job.id).state == "succeeded"

    # Offered on the document page; the download is audited.
    reader = browser()
    reader.login("clerk.south")
    assert "Download a searchable PDF" in reader.get(f"/documents/{doc.id}").data.decode()
    response = reader.get(f"/documents/{doc.id}/searchable.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "scan-searchable.pdf" in response.headers["Content-Disposition"]
    entry = demo.store.find_one(AuditEntry, {"action": "document.downloaded_searchable"})
    assert entry is not None and entry.subject_id == doc.id
