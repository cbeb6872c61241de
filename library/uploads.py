"""The administrator's upload into the library: an act, one judgment file, or judgments
in bulk (a background job).

The use case lives here, not in the web page, so that who may import, what is checked
and how the bulk job is queued are the same for every caller: the bulk job is created
like every other job (in the store's transaction, announced as a domain event, and
sent to the worker only once the transaction has committed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from library import importers
from library.service import LibraryError, require_librarian
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.jobs import Job
from mizan.kernel import Kernel
from mizan.storage.blobs import BlobTooLarge

#: What an uploaded file can hold.
KINDS = ("act", "judgments", "judgment")
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")


@dataclass(frozen=True)
class Upload:
    """One uploaded file and the form's fields that describe it."""

    kind: str
    filename: str
    stream: BinaryIO
    code: str = ""
    title: str = ""
    court: str = ""
    citation: str = ""


def import_upload(kernel: Kernel, actor: Actor, upload: Upload) -> str | Job:
    """Import ``upload``: an act or one judgment at once (returns what was imported, in
    words), judgments in bulk as a queued job (returned). Refused input raises
    :class:`LibraryError` (or ``ValueError`` from the extractor) with a clerk-readable
    message; anyone but an administrator gets ``PermissionDenied``."""
    require_librarian(actor)
    filename = Path(upload.filename or "").name
    if not filename:
        raise LibraryError(_("Choose a file to upload."))
    try:
        sha, _size = kernel.blobs.put_stream(
            upload.stream, kernel.settings.max_upload_mb * 1024 * 1024
        )
    except BlobTooLarge as exc:
        raise LibraryError(
            _("The file is larger than the upload limit of %(mb)d MB.", mb=exc.limit // 1048576)
        ) from None
    path = kernel.blobs.path(sha)
    if upload.kind == "act":
        return _import_act(kernel, actor, path, filename, upload)
    if upload.kind == "judgment":
        return _import_judgment(kernel, actor, path, filename, upload)
    if not filename.lower().endswith(JSONL_SUFFIXES):
        raise LibraryError(_("Judgments in bulk must be a .jsonl file (one JSON object a line)."))
    first = importers.read_jsonl(path, limit=1)
    problem = next((i for i in first if isinstance(i, importers.LineError)), None)
    if problem is not None:
        raise LibraryError(
            _("This does not look like a judgments file: %(problem)s", problem=str(problem))
        )
    return queue_judgments_import(kernel, actor, sha, filename)


def _import_act(kernel: Kernel, actor: Actor, path: Path, filename: str, upload: Upload) -> str:
    from library.act_import import import_act_text

    if not upload.code.strip() or not upload.title.strip():
        raise LibraryError(_("Enter the act's code and title."))
    act = import_act_text(
        kernel,
        actor,
        importers.read_act_text(path, filename),
        code=upload.code,
        title=upload.title,
        source=filename,
    )
    return _("Imported %(title)s: %(n)d sections.", title=act.title, n=act.section_count)


def _import_judgment(
    kernel: Kernel, actor: Actor, path: Path, filename: str, upload: Upload
) -> str:
    if not upload.court.strip():
        raise LibraryError(_("Enter the court that decided the judgment."))
    report = importers.import_judgment_file(
        kernel,
        actor,
        path,
        filename=filename,
        court=upload.court,
        title=upload.title,
        citation=upload.citation,
    )
    return _(
        "Imported the judgment with %(edges)d citations (%(resolved)d found in the library).",
        edges=report.edges,
        resolved=report.resolved,
    )


def queue_judgments_import(kernel: Kernel, actor: Actor, sha: str, filename: str) -> Job:
    """Queue the import of the stored JSON-lines blob ``sha`` as a job of ``actor``'s.

    The job, its event and the message to the worker follow the one path all jobs take:
    written in one transaction, the task sent only after it commits (a rolled-back job
    is never worked on; a lost message is picked up by the worker's start-up sweep).
    """
    from library.tasks import JOB_KIND, TASK
    from mizan.worker import enqueue

    require_librarian(actor)
    job = Job(
        kind=JOB_KIND,
        subject_type="blob",
        subject_id=sha,
        title=filename,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
    )
    with kernel.store.transaction():
        kernel.store.insert(job)
        kernel.emit(
            DomainEvent(
                "library.import_queued",
                actor,
                "job",
                job.id,
                {"filename": filename, "sha256": sha},
            )
        )
        kernel.store.on_commit(lambda: enqueue(TASK, job.id))
    return job
