"""An edited letter uploaded back to its case: a case document of the letter's kind.

The first letter of a kind in a case starts a document; every later upload of the same
kind becomes its next version (``CaseDocument.series_id`` / ``version_no``), so the case
keeps one "Bail opposition note" with its history rather than a pile of copies. The kind
is kept as the document type (the classifier does not overwrite it). Lives here, not in
``casefiles.letters``, because storing and reading an upload is ingestion's work and
case files may not import it.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from casefiles.letter_templates import LANGUAGES, LETTER_KINDS
from casefiles.letters import writable_case
from casefiles.models import CaseDocument
from ingestion.service import UploadError, upload_document
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

#: Word documents (the DOCX as edited) and PDFs (a signed, scanned copy).
LETTER_SUFFIXES = (".docx", ".pdf")
_OCR_LANG = {"en": "eng", "ur": "urd"}


def current_letter(kernel: Kernel, case_id: str, kind: str) -> CaseDocument | None:
    """The latest version of the case's letter of ``kind``, if one was uploaded."""
    found = kernel.store.find(
        CaseDocument, {"case_id": case_id, "doc_type": kind}, sort=[("uploaded_at", -1)]
    )
    latest = [d for d in found if not d.superseded_by]
    return latest[0] if latest else None


def upload_letter(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    kind: str,
    language: str,
    filename: str,
    stream: BinaryIO,
) -> CaseDocument:
    """Store an edited letter in the case: a new document, or the next version of the
    letter of the same kind. UploadError says in plain words what is wrong."""
    case = writable_case(kernel, actor, case_id)
    if kind not in LETTER_KINDS:
        raise UploadError(_("Choose which letter this is."))
    if language not in LANGUAGES:
        raise UploadError(_("Choose the letter's language: English or Urdu."))
    name = Path(filename or "").name.strip()
    if not name:
        raise UploadError(_("Choose a file to upload."))
    if not name.lower().endswith(LETTER_SUFFIXES):
        raise UploadError(
            _("Upload the letter as a Word document (.docx) or a PDF; “%(name)s” is neither.",
              name=name)
        )  # fmt: skip
    previous = current_letter(kernel, case.id, kind)
    return upload_document(
        kernel,
        actor,
        case.id,
        filename=name,
        stream=stream,
        title=str(LETTER_KINDS[kind]) if previous is None else "",
        lang=_OCR_LANG[language],
        doc_type=kind,
        replaces=previous.id if previous else None,
        type_is_known=True,
    )
