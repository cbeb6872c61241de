"""Adding files to a case file: store the original, create a durable job, queue it."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from casefiles.models import CaseDocument, DocumentPage
from casefiles.service import ensure_can_edit, get_case
from ingestion.classify import DOCUMENT_TYPES
from ingestion.sniff import UnsupportedFile, sniff_file
from mizan.accounts.roles import Capability
from mizan.accounts.service import require
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.health import HealthCheck
from mizan.i18n import gettext as _
from mizan.jobs import Job, JobState, update_job
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


def check_lang(lang: str) -> str:
    """The OCR language as Tesseract names it (``eng``, ``urd+eng``…), or a clear refusal."""
    parts = [p for p in lang.split("+") if p]
    if not parts or any(p not in ("eng", "urd", "snd", "ara") for p in parts):
        raise UploadError(_("Choose the document's language: English, Urdu or Sindhi."))
    return "+".join(parts)


def receive_upload(kernel: Kernel, stream: BinaryIO, filename: str) -> tuple[str, int, str]:
    """Keep the bytes (once per content) and say what they are: (sha256, size, media type)."""
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
    return sha, size, media_type


def require_uploader(actor: Actor) -> None:
    """Adding documents (or new versions) to case files needs the upload capability;
    checked before a page reads the upload form, so a refusal is a refusal."""
    require(actor, Capability.UPLOAD_DOCUMENT)


def health_checks() -> list[HealthCheck]:
    """Ingestion's part of /healthz: OCR (not core: documents with a text layer still
    come in without it)."""
    from ingestion.ocr import ocr_status

    return [HealthCheck("ocr", ocr_status, core=False)]


def document_types() -> dict[str, object]:
    """Document type codes (and labels) a clerk or a manifest may use: the classifier's."""
    return dict(DOCUMENT_TYPES)


def _check_doc_type(doc_type: str) -> str:
    code = (doc_type or "other").strip().lower()
    if code not in document_types():
        raise UploadError(
            _(
                "Unknown document type “%(type)s”; use one of: %(types)s.",
                type=doc_type,
                types=", ".join(document_types()),
            )
        )
    return code


def _version_of(kernel: Kernel, case_id: str, replaces: str) -> tuple[CaseDocument, int]:
    """The current version a new upload replaces, and the new version's number."""
    try:
        old = kernel.store.get(CaseDocument, replaces)
    except NotFoundError:
        raise UploadError(_("The document to replace no longer exists.")) from None
    if old.case_id != case_id:
        raise UploadError(_("A new version must be added to the same case."))
    if old.superseded_by:
        raise UploadError(
            _("This is not the latest version; add the new version to the latest one.")
        )
    versions = document_versions(kernel, old)
    return old, max(v.version_no or 1 for v in versions) + 1


def upload_document(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    filename: str,
    stream: BinaryIO,
    title: str = "",
    lang: str = "eng",
    doc_type: str = "other",
    replaces: str | None = None,
    type_is_known: bool = False,
) -> CaseDocument:
    """Keep the original, then queue extraction. Nothing is lost if any later step fails.

    ``replaces`` names the current version of a document this file is a new
    version of; the old versions stay, each downloadable. ``type_is_known`` keeps
    ``doc_type`` as given (a person chose it, e.g. the letter kind of an uploaded letter),
    so the classifier does not overwrite it. Raises
    :class:`UploadError` (with :class:`AlreadyUploaded` for identical content
    already in the case), PermissionDenied and CaseNotFound. Identical content whose
    reading failed is not refused: that document is read again and returned.
    """
    require_uploader(actor)
    case = get_case(kernel, actor, case_id)
    ensure_can_edit(actor, case)
    filename = Path(filename or "").name.strip()
    if not filename:
        raise UploadError(_("Choose a file to upload."))
    lang = check_lang(lang)
    doc_type = _check_doc_type(doc_type)
    previous, version_no = _version_of(kernel, case.id, replaces) if replaces else (None, 1)
    sha, size, media_type = receive_upload(kernel, stream, filename)
    existing = kernel.store.find_one(CaseDocument, {"case_id": case.id, "sha256": sha})
    if existing is not None:
        if previous is not None and (existing.series_id or existing.id) == (
            previous.series_id or previous.id
        ):
            raise UploadError(
                _(
                    "This file is identical to version %(n)d of this document.",
                    n=existing.version_no or 1,
                )
            )
        if previous is None and _reading_failed(kernel, existing):
            return _read_again(kernel, actor, existing, lang)
        raise AlreadyUploaded(existing)
    doc = CaseDocument(
        case_id=case.id,
        district=case.district,
        title=title.strip() or (previous.title if previous else filename),
        filename=filename,
        media_type=media_type,
        sha256=sha,
        size=size,
        doc_type=doc_type if previous is None or doc_type != "other" else previous.doc_type,
        doc_type_source="clerk" if type_is_known else "auto",
        language=lang,
        uploaded_by=actor.user_id,
        uploaded_at=utc_naive_now(),
        version_no=version_no,
    )
    doc.series_id = (previous.series_id or previous.id) if previous else doc.id
    job = Job(
        kind="ingest.document",
        subject_type="document",
        subject_id=doc.id,
        case_id=case.id,
        district=case.district,
        title=doc.title,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
    )
    doc.job_id = job.id
    with kernel.store.transaction():
        if previous is not None:
            fresh = kernel.store.get(CaseDocument, previous.id)
            if fresh.superseded_by:
                raise UploadError(
                    _("Someone added a new version meanwhile; open the document again.")
                )
            fresh.superseded_by = doc.id
            kernel.store.replace(fresh)  # a stale version is refused, never overwritten
        kernel.store.insert(doc)
        kernel.store.insert(job)
        data = {
            "case_id": case.id,
            "filename": filename,
            "sha256": sha,
            "size": size,
            "media_type": media_type,
        }
        if previous is not None:
            data |= {"replaces": previous.id, "version": version_no}
        kernel.emit(DomainEvent("document.uploaded", actor, "document", doc.id, data))
        kernel.store.on_commit(lambda: enqueue(PROCESS_TASK, job.id))
    return doc


def _reading_failed(kernel: Kernel, doc: CaseDocument) -> bool:
    if not doc.job_id:
        return False
    try:
        job = kernel.store.get(Job, doc.job_id)
    except NotFoundError:
        return False
    return job.state == JobState.FAILED and job.kind in kernel.registry.job_tasks


def _read_again(kernel: Kernel, actor: Actor, doc: CaseDocument, lang: str) -> CaseDocument:
    """The same bytes as a document whose reading failed: read that document again.

    A second copy would leave two documents of one content in the case (one of them
    failed) and break "identical files are linked"; the bytes are the same, so the
    failed document is the one to read (with the language chosen this time).
    """
    job = kernel.store.get(Job, doc.job_id or "")
    try:
        with kernel.store.transaction():
            if doc.language != lang:
                doc.language = lang
                kernel.store.replace(doc)
            retry_job(kernel, actor, job)
    except RetryRefused:  # someone else has just queued it again
        raise AlreadyUploaded(doc) from None
    return kernel.store.get(CaseDocument, doc.id)


def document_pages(kernel: Kernel, doc: CaseDocument) -> list[DocumentPage]:
    """The pages read from ``doc``, in order (the caller has checked access)."""
    return kernel.store.find(DocumentPage, {"document_id": doc.id}, sort=[("number", 1)])


def document_versions(kernel: Kernel, doc: CaseDocument) -> list[CaseDocument]:
    """Every version of ``doc``'s document, newest first (a single upload is version 1)."""
    series = doc.series_id or doc.id
    found = kernel.store.find(CaseDocument, {"series_id": series}, sort=[("version_no", -1)])
    if not any(v.id == doc.id for v in found):
        found.append(doc)
    return sorted(found, key=lambda v: v.version_no or 1, reverse=True)


def record_refusal(
    kernel: Kernel, actor: Actor, filename: str, message: str, case_id: str | None = None
) -> Job:
    """A refused file in a batch ends its own (failed) job, so the clerk sees why on the
    jobs page; nothing is stored for it and nothing else changes."""
    case = None
    if case_id:
        try:
            case = get_case(kernel, actor, case_id)
        except LookupError:
            case = None
    job = Job(
        kind="ingest.refused",
        state=JobState.FAILED,
        stage="refused",
        subject_type="upload",
        case_id=case.id if case else None,
        district=case.district if case else None,
        title=filename,
        error=message,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
        finished_at=utc_naive_now(),
    )
    with kernel.store.transaction():
        kernel.store.insert(job)
        kernel.emit(
            DomainEvent(
                "document.refused",
                actor,
                "job",
                job.id,
                {"filename": filename, "error": message, "case_id": job.case_id},
            )
        )
    return job


class RetryRefused(ValueError):
    """The job cannot be retried; the message says why."""


def visible_job(kernel: Kernel, actor: Actor, job_id: str) -> Job:
    """A job ``actor`` may follow: their own, or one on a case they may see.

    Raises LookupError (CaseNotFound, itself audited, for a case they may not see) so a
    job of someone else's case looks the same as one that does not exist.
    """
    try:
        job = kernel.store.get(Job, job_id)
    except NotFoundError:
        raise LookupError(job_id) from None
    if job.created_by != actor.user_id:
        get_case(kernel, actor, job.case_id or "")
    return job


def retry_job(kernel: Kernel, actor: Actor, job: Job) -> Job:
    """Queue a failed job again, or re-read only the failed pages of a finished one.

    Pages already read are kept, so a retry costs only what failed.
    """

    job_tasks = kernel.registry.job_tasks
    retryable = job.kind in job_tasks and (
        job.state == JobState.FAILED or (job.state == JobState.SUCCEEDED and job.failed_pages)
    )
    if not retryable:
        raise RetryRefused(_("Only a failed job, or one with failed pages, can be retried."))
    with kernel.store.transaction():
        if job.subject_type == "document":
            for page in kernel.store.find(
                DocumentPage, {"document_id": job.subject_id, "error": {"$exists": True}}
            ):
                if page.error:
                    kernel.store.delete(page)
        fresh = update_job(
            kernel.store,
            job.id,
            state=JobState.QUEUED,
            stage="queued",
            error=None,
            failed_pages=0,
            finished_at=None,
            current_page=None,
            current_page_starts=0,
        )
        kernel.emit(DomainEvent("job.retried", actor, "job", job.id, {"kind": job.kind}))
        kernel.store.on_commit(lambda: enqueue(job_tasks[job.kind], job.id))
    return fresh


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
