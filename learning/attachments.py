"""Files attached to a lesson (PDF, DOCX, images): stored in the blob store, read by the
ingestion extractor (OCR for scans) in a background job, and searchable with the lesson.

``Attachment.document_id`` on the lesson names a ``LessonFile``; the file's text
lives there, not on the lesson, so a lesson stays small and a slow OCR never
holds up an edit. A file that cannot be read fails its own job with the
extractor's sentence; the lesson and its other files are untouched.
"""

from __future__ import annotations

import mongoengine as me

from learning.models import Attachment
from mizan.kernel import Kernel
from mizan.storage import Model


class LessonFile(Model):
    """One attached file and what the extractor read from it."""

    label = "lesson attachment"
    lesson_id = me.StringField(required=True)
    course_id = me.StringField(required=True)
    filename = me.StringField(required=True, max_length=300)
    blob = me.StringField(required=True)  # content-address in the blob store
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
