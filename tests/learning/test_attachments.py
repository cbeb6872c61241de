"""Lesson attachments: read in their own job, searchable with the lesson, a bad file fails
only its job."""

from __future__ import annotations

import io

import pytest

from learning.attachments import (
    LessonFile,
    attach_file,
    detach_file,
    open_attachment,
    read_attachment,
)
from learning.courses import CourseFields, create_course, publish_course
from learning.errors import CourseNotFound, LearningError
from learning.lessons import LessonFields, create_lesson
from learning.models import Lesson
from mizan import outbox
from mizan.jobs import Job, JobState
from search.service import search_documents


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _lesson(kernel, trainer):
    course = create_course(kernel, trainer, CourseFields(title_en="Evidence"))
    lesson = create_lesson(
        kernel, trainer, course.id, course.modules[0].key, LessonFields(title_en="L", body_en="b")
    )
    return course, lesson


def test_attachment_text_is_read_in_a_job_and_found_with_the_lesson(demo, people) -> None:
    t = people["trainer"]
    course, lesson = _lesson(demo, t)
    file = attach_file(
        demo, t, lesson.id, io.BytesIO(_docx("Handout on xylophonic evidence")), "handout.docx"
    )
    assert demo.store.get(Lesson, lesson.id).attachments[0].document_id == file.id
    assert read_attachment(demo, file.job_id) == JobState.SUCCEEDED
    assert "xylophonic" in demo.store.get(LessonFile, file.id).text
    publish_course(demo, t, course.id)
    outbox.drain(demo)
    hits = search_documents(demo, people["pp.hyd"], "xylophonic").hits
    assert [h.doc_id for h in hits] == [f"lesson:{course.id}:{lesson.id}"]
    found, stream = open_attachment(
        demo, people["pp.hyd"], course.id, lesson.id, file.id, preview=False
    )
    assert found.filename == "handout.docx" and stream.read()[:2] == b"PK"
    with pytest.raises(CourseNotFound):
        open_attachment(demo, people["pp.hyd"], course.id, lesson.id, "other", preview=False)


def test_a_corrupt_file_fails_its_own_job_with_a_message(demo, people) -> None:
    t = people["trainer"]
    _course, lesson = _lesson(demo, t)
    file = attach_file(demo, t, lesson.id, io.BytesIO(b"%PDF-1.4 garbage"), "scan.pdf")
    assert read_attachment(demo, file.job_id) == JobState.FAILED
    job = demo.store.get(Job, file.job_id)
    assert job.state == JobState.FAILED and job.error
    assert demo.store.get(LessonFile, file.id).state == "failed"
    assert demo.store.get(Lesson, lesson.id).body_en == "b"


def test_bad_attachments_are_refused(demo, people) -> None:
    t = people["trainer"]
    _course, lesson = _lesson(demo, t)
    with pytest.raises(LearningError, match="PDF"):
        attach_file(demo, t, lesson.id, io.BytesIO(b"x"), "virus.exe")
    with pytest.raises(LearningError, match="empty"):
        attach_file(demo, t, lesson.id, io.BytesIO(b""), "empty.pdf")
    with pytest.raises(CourseNotFound):
        attach_file(demo, people["pp.rahim"], lesson.id, io.BytesIO(b"x"), "a.pdf")
    assert demo.store.count(LessonFile) == 0
    with pytest.raises(LearningError, match="not attached"):
        detach_file(demo, t, lesson.id, "nope")
