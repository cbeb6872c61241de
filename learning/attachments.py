"""Files attached to a lesson (PDF, DOCX, images): stored in the blob store, read by the
ingestion extractor (OCR for scans) in a background job, and searchable with the lesson.

``Attachment.document_id`` on the lesson names a ``LessonFile``; the file's text
lives there, not on the lesson, so a lesson stays small and a slow OCR never
holds up an edit. A file that cannot be read fails its own job with the
extractor's sentence; the lesson and its other files are untouched. Attachments
reach learners with the next publish, like every other change to the draft.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import mongoengine as me

from learning.courses import emit
from learning.errors import CourseNotFound, LearningError
from learning.lessons import get_lesson
from learning.models import Attachment
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.i18n import gettext as _
from mizan.jobs import Job, JobState, update_job
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError
from mizan.storage.blobs import BlobTooLarge

JOB_KIND = "learning.attachment"
TASK = "learning.read_attachment"
SUFFIXES = (".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_ATTACHMENTS = 20


class LessonFile(Model):
    """One attached file and what the extractor read from it."""

    label = "lesson attachment"
    lesson_id = me.StringField(required=True)
    course_id = me.StringField(required=True)
    filename = me.StringField(required=True, max_length=300)
    blob = me.StringField(required=True)  # content address in the blob store
    size = me.IntField(default=0)
    state = me.StringField(default="pending", choices=("pending", "done", "failed"))
    text = me.StringField(default="")
    error = me.StringField(max_length=500)
    job_id = me.StringField()
    created_by = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)
    meta = {"collection": "learning_files", "indexes": ["lesson_id", "course_id"]}


def attachment_text(kernel: Kernel, attachments: list[Attachment]) -> str:
    """The extracted text of the given attachments (read ones only), joined."""
    ids = [a.document_id for a in attachments]
    if not ids:
        return ""
    files = kernel.store.find(LessonFile, {"_id": {"$in": ids}, "state": "done"})
    return "\n\n".join(f.text for f in files if f.text)


def files_of(kernel: Kernel, actor: Actor, lesson_id: str) -> list[LessonFile]:
    """A draft lesson's files with their reading state (trainers only)."""
    get_lesson(kernel, actor, lesson_id)
    return kernel.store.find(LessonFile, {"lesson_id": lesson_id}, sort=[("created_at", 1)])


def attach_file(
    kernel: Kernel, actor: Actor, lesson_id: str, stream: BinaryIO, filename: str
) -> LessonFile:
    """Store the file, list it on the lesson and queue the job that reads its text."""
    from mizan.worker import enqueue

    lesson, course = get_lesson(kernel, actor, lesson_id)
    name = Path(filename or "").name
    if not name:
        raise LearningError(_("Choose a file to attach."))
    if not name.lower().endswith(SUFFIXES):
        raise LearningError(_("Attach a PDF, a Word (.docx) file or a picture (PNG, JPEG, TIFF)."))
    if len(lesson.attachments) >= MAX_ATTACHMENTS:
        raise LearningError(_("A lesson has at most %(n)d attachments.", n=MAX_ATTACHMENTS))
    try:
        sha, size = kernel.blobs.put_stream(stream, kernel.settings.max_upload_mb * 1024 * 1024)
    except BlobTooLarge as exc:
        raise LearningError(
            _("The file is larger than the upload limit of %(mb)d MB.", mb=exc.limit // 1048576)
        ) from None
    if not size:
        raise LearningError(_("The file is empty."))
    at = utc_naive_now()
    file = LessonFile(
        lesson_id=lesson.id,
        course_id=course.id,
        filename=name[:300],
        blob=sha,
        size=size,
        created_by=actor.user_id,
        created_at=at,
    )
    job = Job(
        kind=JOB_KIND,
        subject_type="lesson_file",
        subject_id=file.id,
        title=name[:300],
        created_by=actor.user_id,
        created_at=at,
        updated_at=at,
    )
    file.job_id = job.id
    lesson.attachments.append(Attachment(document_id=file.id, filename=file.filename))
    with kernel.store.transaction():
        kernel.store.insert(file)
        kernel.store.insert(job)
        kernel.store.replace(lesson)
        emit(kernel, actor, "lesson.file_attached", "lesson", lesson.id, file_id=file.id)
        kernel.store.on_commit(lambda: enqueue(TASK, job.id))
    return file


def detach_file(kernel: Kernel, actor: Actor, lesson_id: str, file_id: str) -> None:
    lesson, _course = get_lesson(kernel, actor, lesson_id)
    kept = [a for a in lesson.attachments if a.document_id != file_id]
    if len(kept) == len(lesson.attachments):
        raise LearningError(_("This file is not attached to the lesson any more."))
    lesson.attachments = kept
    with kernel.store.transaction():
        kernel.store.replace(lesson)
        emit(kernel, actor, "lesson.file_detached", "lesson", lesson.id, file_id=file_id)


def read_attachment(kernel: Kernel, job_id: str) -> str:
    """The job's work: extract the file's text; a file that cannot be read fails the job
    with the extractor's sentence (and only this job)."""
    from ingestion.extract import extract_file

    store = kernel.store
    job = store.get(Job, job_id)
    if job.finished:
        return job.state
    file = store.get(LessonFile, job.subject_id)
    update_job(store, job_id, state=JobState.RUNNING, stage="reading", attempts=job.attempts + 1)
    try:
        extraction = extract_file(
            kernel.blobs.path(file.blob),
            file.filename,
            lang="eng+urd",
            on_page=lambda done, total: _progress(kernel, job_id, done, total),
        )
    except Exception as exc:  # damaged, encrypted, unsupported, OCR missing: say so
        message = str(exc)[:500] or _("This file could not be read.")
        file.state, file.error = "failed", message
        store.replace(file)
        update_job(store, job_id, state=JobState.FAILED, stage="failed", error=message)
        return JobState.FAILED
    file.state, file.text, file.error = "done", extraction.text, None
    with store.transaction():
        store.replace(file)
        _reindex_if_published(kernel, file.course_id)
    update_job(store, job_id, state=JobState.SUCCEEDED, stage="done")
    return JobState.SUCCEEDED


def _progress(kernel: Kernel, job_id: str, done: int, total: int) -> None:
    update_job(kernel.store, job_id, done=done, total=total)


def _reindex_if_published(kernel: Kernel, course_id: str) -> None:
    from learning.indexing import enqueue_course
    from learning.models import Course

    course = kernel.store.find_one(Course, {"_id": course_id})
    if course is not None and course.release:
        enqueue_course(kernel.store, course_id)


def open_attachment(
    kernel: Kernel, actor: Actor, course_id: str, lesson_id: str, file_id: str, *, preview: bool
) -> tuple[LessonFile, BinaryIO]:
    """The file for someone who may read the lesson it is attached to (in the release they
    read, or the draft for a trainer's preview); CourseNotFound otherwise."""
    from learning.reading import read_lesson

    page = read_lesson(kernel, actor, course_id, lesson_id, preview=preview)
    if not any(a.document_id == file_id for a in page.lesson.attachments):
        raise CourseNotFound(file_id)
    try:
        file = kernel.store.get(LessonFile, file_id)
    except NotFoundError:
        raise CourseNotFound(file_id) from None
    return file, kernel.blobs.open(file.blob)
