"""Adding files to a case file: store the original, create a durable job, queue it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from casefiles.models import CaseDocument
from casefiles.service import ensure_can_edit, get_case
from ingestion.sniff import UnsupportedFile, sniff_file
from mizan.accounts.roles import Capability
from mizan.accounts.service import require
from mizan.actor import Actor
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.jobs import Job
from mizan.kernel import Kernel
from mizan.storage import NotFoundError
from mizan.storage.blobs import BlobTooLarge
from mizan.worker import enqueue

PROCESS_TASK = "ingestion.process_document"


class UploadError(ValueError):
    """The file cannot be accepted; the message says why in plain words."""


class AlreadyUploaded(UploadError):
    def __init__(self, existing: CaseDocument) -> None:
        self.existing = existing
        super().__init__(
            _("This file is already in this case as “%(title)s”.", title=existing.title)
        )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_lang(lang: str) -> str:
    parts = [p for p in lang.split("+") if p]
    if not parts or any(p not in ("eng", "urd", "snd", "ara") for p in parts):
        raise UploadError(_("Choose the document's language: English, Urdu or Sindhi."))
    return "+".join(parts)


def upload_document(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    filename: str,
    stream: BinaryIO,
    title: str = "",
    lang: str = "eng",
) -> CaseDocument:
    """Keep the original, then queue extraction. Nothing is lost if any later step fails."""
    require(actor, Capability.UPLOAD_DOCUMENT)
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    filename = Path(filename or "").name.strip()
    if not filename:
        raise UploadError(_("Choose a file to upload."))
    lang = _check_lang(lang)
    try:
        sha, size = kernel.blobs.put_stream(stream, kernel.settings.max_upload_mb * 1024 * 1024)
    except BlobTooLarge as exc:
        raise UploadError(
            _(
                "The file is larger than the upload limit of %(mb)d MB.",
                mb=exc.limit // (1024 * 1024),
            )
        ) from None
    try:
        media_type = sniff_file(kernel.blobs.path(sha), filename)
    except UnsupportedFile as exc:
        raise UploadError(str(exc)) from None
    existing = kernel.store.find_one(CaseDocument, {"case_id": case.id, "sha256": sha})
    if existing is not None:
        raise AlreadyUploaded(existing)
    doc = CaseDocument(
        case_id=case.id,
        district=case.district,
        title=title.strip() or filename,
        filename=filename,
        media_type=media_type,
        sha256=sha,
        size=size,
        language=lang,
        uploaded_by=actor.user_id,
        uploaded_at=now(),
    )
    job = Job(
        kind="ingest.document",
        subject_type="document",
        subject_id=doc.id,
        case_id=case.id,
        district=case.district,
        title=doc.title,
        created_by=actor.user_id,
        created_at=now(),
        updated_at=now(),
    )
    doc.job_id = job.id
    with kernel.store.transaction():
        kernel.store.insert(doc)
        kernel.store.insert(job)
        kernel.emit(
            DomainEvent(
                "document.uploaded",
                actor,
                "document",
                doc.id,
                {
                    "case_id": case.id,
                    "filename": filename,
                    "sha256": sha,
                    "size": size,
                    "media_type": media_type,
                },
            )
        )
        kernel.store.on_commit(lambda: enqueue(PROCESS_TASK, job.id))
    return doc


def document_for(kernel: Kernel, actor: Actor, document_id: str, *, purpose: str) -> CaseDocument:
    """A document ``actor`` may see; the view or download is audited. Raises LookupError."""
    try:
        doc = kernel.store.get(CaseDocument, document_id)
    except NotFoundError:
        raise LookupError(document_id) from None
    try:
        get_case(kernel, actor, doc.case_id)
    except LookupError:
        kernel.emit(
            DomainEvent(
                "document.access_denied",
                actor,
                "document",
                doc.id,
                {"purpose": purpose},
                changes_state=False,
            )
        )
        raise
    kernel.emit(
        DomainEvent(
            f"document.{purpose}",
            actor,
            "document",
            doc.id,
            {"case_id": doc.case_id},
            changes_state=False,
        )
    )
    return doc
