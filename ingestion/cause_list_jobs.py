"""Cause lists read by the worker: an uploaded file, a file from the drop folder, or an address.

A scanned list takes Tesseract 10-25 seconds a page, too long for a web request; so the
request only keeps the file (or checks the address) and queues a job in the interactive lane.
The worker fetches the address if there is one, reads the list page by page (the job shows
the pages done), then matches and stages its rows for review
(``casefiles.cause_list_reviews.stage_cause_list``) in the same transaction that finishes
the job, so a job run twice never stages a list twice. A file that cannot be used (damaged,
not a table, a fetch refused) fails its own job with a sentence for the clerk and stages
nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import BinaryIO

import mongoengine as me

from casefiles.cause_list_reviews import stage_cause_list
from casefiles.cause_lists import CauseListError
from casefiles.policy import may_import_cause_lists, sees_province
from ingestion.cause_list_pdf import read_cause_list
from ingestion.ocr import OcrUnavailable
from ingestion.pages import ExtractionError
from ingestion.service import UploadError, receive_upload
from ingestion.sniff import UnsupportedFile, sniff_file
from ingestion.url_fetch import FetchError, check_url, fetch
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.jobs import Job, JobState, fail_job, start_job, update_job, worker_identity
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError
from mizan.worker import enqueue

log = logging.getLogger(__name__)

KIND = "cause_list.read"
TASK = "ingestion.read_cause_list"
SOURCES = ("upload", "drop", "url")
#: Seconds the whole download of a list may take.
FETCH_SECONDS = 60


class CauseListRequest(Model):
    """A cause list waiting for the worker (or read, or refused): where it came from."""

    label = "cause_list_request"
    source = me.StringField(required=True, choices=SOURCES)
    url = me.StringField(max_length=2000)
    filename = me.StringField(max_length=255)
    sha256 = me.StringField()
    media_type = me.StringField()
    #: What the clerk typed for the court and the date; empty: what the list says.
    court = me.StringField(max_length=120, default="")
    day = me.StringField(default="")
    #: The requester's district (their scope); None for the province-wide office.
    district = me.StringField()
    requested_by = me.StringField(required=True)
    channel = me.StringField(default="web")
    job_id = me.StringField()
    #: The staged list once read (``CauseListImport``).
    import_id = me.StringField()
    created_at = me.DateTimeField(required=True)

    meta = {
        "collection": "cause_list_requests",
        "indexes": [("district", "-created_at"), "job_id"],
    }


def _require_importer(actor: Actor) -> None:
    if not may_import_cause_lists(actor):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))


def _check_media_type(media_type: str) -> None:
    if media_type != "application/pdf" and not media_type.startswith("image/"):
        raise CauseListError(_("A cause list must be a PDF file or a scanned page image."))


def queue_file(
    kernel: Kernel,
    actor: Actor,
    stream: BinaryIO,
    filename: str,
    *,
    court: str = "",
    day: str = "",
    source: str = "upload",
) -> CauseListRequest:
    """Keep an uploaded (or dropped) file and queue its reading; ``court`` and ``day``
    (ISO) replace what the list's heading says. Raises ``CauseListError`` for a file that
    is not a PDF or an image."""
    _require_importer(actor)
    try:
        sha, _size, media_type = receive_upload(kernel, stream, filename)
    except UploadError as exc:
        raise CauseListError(str(exc)) from None
    _check_media_type(media_type)
    return _queue(
        kernel,
        actor,
        source=source,
        filename=filename,
        sha256=sha,
        media_type=media_type,
        court=court,
        day=day,
    )


def queue_url(
    kernel: Kernel, actor: Actor, url: str, *, court: str = "", day: str = ""
) -> CauseListRequest:
    """Queue the fetching and reading of a list at a web address (checked now and again
    when fetched)."""
    _require_importer(actor)
    try:
        url = check_url(url, allow_private=kernel.settings.fetch_private_addresses)
    except FetchError as exc:
        raise CauseListError(str(exc)) from None
    name = url.rstrip("/").rsplit("/", 1)[-1][:200] or "cause-list.pdf"
    return _queue(kernel, actor, source="url", url=url, filename=name, court=court, day=day)


def _queue(kernel: Kernel, actor: Actor, **fields: str) -> CauseListRequest:
    now = utc_naive_now()
    request = CauseListRequest(
        district=None if sees_province(actor) else actor.district,
        requested_by=actor.user_id,
        channel=actor.channel,
        created_at=now,
        **{k: " ".join(v.split()) if k in ("court", "day") else v for k, v in fields.items()},
    )
    job = Job(
        kind=KIND,
        subject_type="cause_list_request",
        subject_id=request.id,
        district=request.district,
        title=_("Cause list %(name)s", name=request.filename or request.url),
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    request.job_id = job.id
    store = kernel.store
    with store.transaction():
        store.insert(request)
        store.insert(job)
        kernel.emit(
            DomainEvent(
                "cause_list.queued",
                actor,
                "cause_list_request",
                request.id,
                {"source": request.source, "filename": request.filename, "url": request.url},
            )
        )
        store.on_commit(lambda: enqueue(TASK, job.id))
    return request


def get_request(kernel: Kernel, actor: Actor, request_id: str) -> tuple[CauseListRequest, Job]:
    """A request ``actor`` may follow (their district's, or any for the province), and its
    job; LookupError otherwise."""
    _require_importer(actor)
    try:
        request = kernel.store.get(CauseListRequest, request_id)
        job = kernel.store.get(Job, request.job_id or "")
    except NotFoundError:
        raise LookupError(request_id) from None
    if not (sees_province(actor) or request.district == actor.district):
        raise LookupError(request_id)
    return request, job


def unfinished_requests(
    kernel: Kernel, actor: Actor, limit: int = 10
) -> list[tuple[CauseListRequest, Job]]:
    """Lists still being read, or refused, with their jobs (the import page shows them)."""
    _require_importer(actor)
    flt: dict = {"import_id": None}
    if not sees_province(actor):
        flt["district"] = actor.district
    requests = kernel.store.find(CauseListRequest, flt, sort=[("created_at", -1)], limit=limit)
    jobs = {j.id: j for j in kernel.store.find(Job, {"_id": {"$in": [r.job_id for r in requests]}})}
    return [(r, jobs[r.job_id]) for r in requests if r.job_id in jobs]


# -- the worker's side -------------------------------------------------------------------------


def _requester(kernel: Kernel, request: CauseListRequest) -> Actor:
    """Who asked, with their rights as they are now; the drop folder without an account
    (``MIZAN_DROP_USER`` unset) reads as the system."""
    try:
        user = kernel.store.get(User, request.requested_by)
    except NotFoundError:
        return Actor(
            user_id=request.requested_by,
            username=request.requested_by,
            roles=frozenset({"system"}),
            channel=request.channel or "worker",
        )
    if not user.active:
        raise PermissionDenied(_("The account that asked for this list is no longer active."))
    return actor_for(user, channel=request.channel or "worker")


def _fetch_into_store(kernel: Kernel, request: CauseListRequest) -> None:
    fetched = fetch(
        request.url or "",
        max_bytes=kernel.settings.max_upload_mb * 1024 * 1024,
        seconds=FETCH_SECONDS,
        allow_private=kernel.settings.fetch_private_addresses,
    )
    sha = kernel.blobs.put_bytes(fetched.data)
    media_type = sniff_file(kernel.blobs.path(sha), fetched.filename)
    _check_media_type(media_type)
    request.sha256, request.media_type, request.filename = sha, media_type, fetched.filename
    kernel.store.replace(request)


def read_queued(kernel: Kernel, job_id: str) -> str:
    """Run one cause-list job to its end; returns the job's state. Safe to call twice."""
    store = kernel.store
    # The lease outlasts one slow page and is renewed after each, so a long scan is never
    # taken for an orphan and read (and staged) a second time.
    lease = kernel.settings.page_time_limit * 2 + FETCH_SECONDS
    owner = worker_identity()
    started = start_job(store, job_id, CauseListRequest, owner, lease)
    if isinstance(started, str):
        log.info("Cause-list job %s not run: %s", job_id, started)
        return started
    job, request = started
    update_job(store, job.id, state=JobState.RUNNING, stage="starting", attempts=job.attempts + 1)

    def progress(done: int, total: int) -> None:
        renewed = utc_naive_now() + dt.timedelta(seconds=lease)
        update_job(
            store,
            job.id,
            stage="reading pages",
            done=done,
            total=total,
            owner=owner,
            lease_until=renewed,
        )

    try:
        actor = _requester(kernel, request)
        if not request.sha256:
            update_job(store, job.id, stage="fetching the file")
            _fetch_into_store(kernel, request)
        reading = read_cause_list(
            kernel.blobs.path(request.sha256 or ""),
            request.media_type or "application/pdf",
            timeout=kernel.settings.page_time_limit,
            on_page=progress,
        )
        update_job(store, job.id, stage="matching rows")
        with store.transaction():
            record = stage_cause_list(
                kernel,
                actor,
                reading.rows,
                court=request.court or reading.court,
                day=request.day or reading.date,
                filename=request.filename or "",
                sha256=request.sha256,
                method=reading.method,
                pages=reading.pages,
            )
            request.import_id = record.id
            store.replace(request)
            update_job(
                store,
                job.id,
                state=JobState.SUCCEEDED,
                stage="done",
                done=reading.pages,
                total=reading.pages,
                error=None,
                owner=None,
                lease_until=None,
            )
    except OcrUnavailable:
        return _fail(
            kernel,
            job.id,
            _("This list is a scan and OCR is not installed here; ask the administrator."),
        )
    except (FetchError, ExtractionError, CauseListError, UnsupportedFile, PermissionDenied) as exc:
        return _fail(kernel, job.id, str(exc))
    except Exception as exc:
        log.exception("Cause-list job %s failed unexpectedly", job.id)
        return _fail(kernel, job.id, _("The list could not be read: %(error)s") % {"error": exc})
    return JobState.SUCCEEDED


def _fail(kernel: Kernel, job_id: str, message: str) -> str:
    return fail_job(kernel.store, job_id, message)
