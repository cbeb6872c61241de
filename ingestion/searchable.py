"""A searchable PDF of a scanned document: the original page images with an invisible text layer.

Made on request, in the background, because it runs Tesseract's PDF renderer
over every scanned page (the text layer must sit exactly over the words,
which only the OCR run that found them knows). Pages of a PDF that already
have a text layer are copied over unchanged. The result is kept in the blob
store like any original; the original itself is never modified.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from casefiles.models import CaseDocument, DocumentPage, DocumentState
from ingestion.extract import open_pages
from ingestion.image_pages import ImagePages
from ingestion.ocr import OcrUnavailable, validate_lang
from ingestion.pages import ExtractionError, PageSource
from ingestion.tasks import WORKER
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.jobs import Job, JobState
from mizan.kernel import Kernel
from mizan.worker import enqueue

TASK = "ingestion.make_searchable_pdf"
KIND = "searchable.pdf"
RENDER_DPI = 300


@dataclass
class SearchableStatus:
    """What the document page offers: a download, a job in progress, or a button."""

    ready: bool
    job: Job | None


def has_scanned_pages(pages: list[DocumentPage]) -> bool:
    return any(p.method == "ocr" for p in pages)


def searchable_status(
    kernel: Kernel, doc: CaseDocument, pages: list[DocumentPage]
) -> SearchableStatus | None:
    """None when a searchable PDF makes no sense (not read yet, or no scanned page)."""
    if doc.state != DocumentState.READY or not has_scanned_pages(pages):
        return None
    if doc.searchable_sha256 and kernel.blobs.exists(doc.searchable_sha256):
        return SearchableStatus(True, None)
    jobs = kernel.store.find(
        Job, {"kind": KIND, "subject_id": doc.id}, sort=[("created_at", -1)], limit=1
    )
    return SearchableStatus(False, jobs[0] if jobs else None)


def request_searchable_pdf(kernel: Kernel, actor: Actor, doc: CaseDocument) -> Job:
    """Queue the making of a searchable PDF (once: a running request is returned as is)."""
    status = searchable_status(
        kernel, doc, kernel.store.find(DocumentPage, {"document_id": doc.id})
    )
    if status is None:
        raise ValueError(_("Only a scanned document that has been read can be made searchable."))
    if status.job is not None and not status.job.finished:
        return status.job
    job = Job(
        kind=KIND,
        subject_type="document",
        subject_id=doc.id,
        case_id=doc.case_id,
        district=doc.district,
        title=_("Searchable PDF of “%(title)s”", title=doc.title),
        created_by=actor.user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
    )
    with kernel.store.transaction():
        kernel.store.insert(job)
        kernel.emit(DomainEvent("document.searchable_requested", actor, "document", doc.id, {}))
        kernel.store.on_commit(lambda: enqueue(TASK, job.id))
    return job


def build_searchable_pdf(
    path: Path,
    filename: str,
    scanned: set[int],
    *,
    lang: str = "eng",
    on_page: Callable[[int, int], None] | None = None,
    page_timeout: float = 300,
) -> bytes:
    """The PDF bytes: scanned pages (numbers in ``scanned``) as image + invisible text,
    other PDF pages copied from the original."""
    validate_lang(lang)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    out = pdfium.PdfDocument.new()
    with open_pages(path, filename, lang=lang) as source:
        original = pdfium.PdfDocument(str(path)) if source.media_type == "application/pdf" else None
        try:
            for number in range(1, source.page_count + 1):
                if original is not None and number not in scanned:
                    out.import_pages(original, [number - 1])
                else:
                    image, dpi = _page_image(source, original, number)
                    try:
                        data = pytesseract.image_to_pdf_or_hocr(
                            image,
                            lang=lang,
                            extension="pdf",
                            config=f"--dpi {dpi}",
                            timeout=page_timeout,
                        )
                    except pytesseract.TesseractNotFoundError as exc:
                        raise OcrUnavailable(str(exc)) from exc
                    except (pytesseract.TesseractError, RuntimeError) as exc:
                        raise ExtractionError(
                            f"Page {number} could not be made searchable: {exc}"
                        ) from exc
                    page_pdf = pdfium.PdfDocument(data)
                    out.import_pages(page_pdf)
                    page_pdf.close()
                if on_page:
                    on_page(number, source.page_count)
        finally:
            if original is not None:
                original.close()
    buffer = io.BytesIO()
    out.save(buffer)
    out.close()
    return buffer.getvalue()


def _page_image(
    source: PageSource, original: pdfium.PdfDocument | None, number: int
) -> tuple[Image.Image, int]:
    """(image, dpi) of one page: the frame of an image file, or a 300-dpi render of a PDF page."""
    if original is not None:
        page = original[number - 1]
        try:
            return page.render(scale=RENDER_DPI / 72).to_pil(), RENDER_DPI
        finally:
            page.close()
    # Not a PDF, so an image file (only those have scanned pages): its original frame.
    assert isinstance(source, ImagePages)
    image = source.image
    image.seek(number - 1)
    frame = image.copy()
    dpi = frame.info.get("dpi", (RENDER_DPI, RENDER_DPI))[0] or RENDER_DPI
    return frame, round(float(dpi))


def make_searchable_pdf(kernel: Kernel, job_id: str) -> str:
    """Worker side: build the PDF, keep it in the blob store, link it to the document."""
    from mizan.jobs import update_job

    store = kernel.store
    job = store.get(Job, job_id)
    if job.finished:
        return job.state
    doc = store.get(CaseDocument, job.subject_id)
    update_job(
        store,
        job.id,
        state=JobState.RUNNING,
        stage="making searchable PDF",
        attempts=job.attempts + 1,
    )
    pages = store.find(DocumentPage, {"document_id": doc.id})
    scanned = {p.number for p in pages if p.method == "ocr"}

    def progress(done: int, total: int) -> None:
        update_job(store, job.id, done=done, total=total)

    try:
        data = build_searchable_pdf(
            kernel.blobs.path(doc.sha256),
            doc.filename,
            scanned,
            lang=doc.language,
            on_page=progress,
            page_timeout=kernel.settings.page_time_limit,
        )
    except (ExtractionError, OcrUnavailable, ValueError) as exc:
        update_job(store, job.id, state=JobState.FAILED, stage="failed", error=str(exc))
        return JobState.FAILED
    sha = kernel.blobs.put_bytes(data)
    with store.transaction():
        fresh = store.get(CaseDocument, doc.id)
        fresh.searchable_sha256 = sha
        store.replace(fresh)
        update_job(store, job.id, state=JobState.SUCCEEDED, stage="done")
        kernel.emit(
            DomainEvent(
                "document.searchable_made",
                WORKER,
                "document",
                doc.id,
                {"sha256": sha},
            )
        )
    return JobState.SUCCEEDED
