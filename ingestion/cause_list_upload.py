"""A cause-list file uploaded by a clerk: kept, read into rows, matched, stored for review.

Read in the request, within limits (``cause_list_pdf.MAX_PAGES`` pages, ``MAX_ROWS`` rows):
a day's list of one court is a few pages, and a scanned page takes Tesseract some seconds.
The file itself is kept in the blob store, so a disputed row can be checked against it.
"""

from __future__ import annotations

from typing import BinaryIO

from casefiles.cause_list_reviews import CauseListImport, stage_cause_list
from casefiles.cause_lists import CauseListError
from casefiles.policy import may_import_cause_lists
from ingestion.cause_list_pdf import read_cause_list
from ingestion.ocr import OcrUnavailable
from ingestion.pages import ExtractionError
from ingestion.service import UploadError, _receive
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


def upload_cause_list(
    kernel: Kernel,
    actor: Actor,
    stream: BinaryIO,
    filename: str,
    *,
    court: str = "",
    day: str = "",
) -> CauseListImport:
    """Read the list and store its rows with their matches; ``court`` and ``day`` (ISO)
    replace what the list's heading says. Raises ``CauseListError`` with a sentence for
    the clerk when the file cannot be used."""
    if not may_import_cause_lists(actor):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))
    try:
        sha, _size, media_type = _receive(kernel, stream, filename)
    except UploadError as exc:
        raise CauseListError(str(exc)) from None
    try:
        reading = read_cause_list(kernel.blobs.path(sha), media_type)
    except OcrUnavailable:
        raise CauseListError(
            _("This list is a scan and OCR is not installed here; ask the administrator.")
        ) from None
    except ExtractionError as exc:
        raise CauseListError(str(exc)) from None
    return stage_cause_list(
        kernel,
        actor,
        reading.rows,
        court=court.strip() or reading.court,
        day=day.strip() or reading.date,
        filename=filename,
        sha256=sha,
        method=reading.method,
        pages=reading.pages,
    )
