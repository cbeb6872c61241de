"""Lessons: write, edit with a version guard, reorder, delete; reading progress and preview."""

from __future__ import annotations

import pytest

from learning.courses import CourseFields, add_module, create_course, publish_course
from learning.errors import CourseNotFound, LearningError
from learning.lesson_import import extract_lesson_text
from learning.lessons import LessonFields, create_lesson, delete_lesson, edit_lesson, move_lesson
from learning.models import MAX_BODY, Course, Lesson, LessonProgress
from learning.reading import heartbeat, mark_read, preview_release, read_lesson
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError


def _course(kernel, trainer, **kw):
    course = create_course(kernel, trainer, CourseFields(title_en="ATA", **kw))
    key = course.modules[0].key
    lessons = [
        create_lesson(
            kernel, trainer, course.id, key, LessonFields(title_en=t, body_en=f"{t} text")
        )
        for t in ("One", "Two", "Three")
    ]
    return kernel.store.get(Course, course.id), lessons


def _order(kernel, course_id):
    return [
        kernel.store.get(Lesson, i).title_en
        for m in kernel.store.get(Course, course_id).modules
        for i in m.lesson_ids
    ]


def test_lesson_fields_are_checked_and_nothing_is_saved_on_bad_input(demo, people) -> None:
    t = people["trainer"]
    course = create_course(demo, t, CourseFields(title_en="ATA"))
    key = course.modules[0].key
    for fields, message in [
        (LessonFields(title_en=""), "lesson title"),
        (LessonFields(title_en="x", body_en="b" * (MAX_BODY + 1)), "too long"),
        (LessonFields(title_en="x", estimated_minutes=10**6), "estimated time"),
    ]:
        with pytest.raises(LearningError, match=message):
            create_lesson(demo, t, course.id, key, fields)
    with pytest.raises(LearningError, match="module"):
        create_lesson(demo, t, course.id, "nope", LessonFields(title_en="x"))
    with pytest.raises(CourseNotFound):
        create_lesson(demo, people["pp.rahim"], course.id, key, LessonFields(title_en="x"))
    assert demo.store.count(Lesson) == 0


def test_stale_lesson_edit_is_refused_and_keeps_the_saved_text(demo, people) -> None:
    t = people["trainer"]
    _c, (one, _two, _three) = _course(demo, t)
    edit_lesson(demo, t, one.id, version=one.version, fields=LessonFields("One", body_en="A"))
    with pytest.raises(StaleWriteError):
        edit_lesson(demo, t, one.id, version=one.version, fields=LessonFields("One", body_en="B"))
    assert demo.store.get(Lesson, one.id).body_en == "A"
    assert demo.store.count(AuditEntry, {"action": "learning.lesson.updated"}) == 1


def test_reorder_move_between_modules_and_delete(demo, people) -> None:
    t = people["trainer"]
    course, (one, two, three) = _course(demo, t)
    move_lesson(demo, t, three.id, -1)
    assert _order(demo, course.id) == ["One", "Three", "Two"]
    move_lesson(demo, t, one.id, -1)  # already first
    assert _order(demo, course.id) == ["One", "Three", "Two"]
    other = add_module(demo, t, course.id, title_en="Later")
    move_lesson(demo, t, one.id, 0, to_module=other.key)
    assert _order(demo, course.id) == ["Three", "Two", "One"]
    with pytest.raises(StaleWriteError):
        delete_lesson(demo, t, two.id, version=two.version - 1)
    delete_lesson(demo, t, two.id, version=demo.store.get(Lesson, two.id).version)
    assert _order(demo, course.id) == ["Three", "One"]
    assert demo.store.count(Lesson, {"_id": two.id}) == 0


def test_mark_read_once_and_progress_survives_a_new_release(demo, people) -> None:
    t, learner = people["trainer"], people["pp.rahim"]
    course, (one, _two, _three) = _course(demo, t)
    with pytest.raises(CourseNotFound):
        mark_read(demo, learner, course.id, one.id)  # draft: nothing to read yet
    publish_course(demo, t, course.id)
    mark_read(demo, learner, course.id, one.id)
    mark_read(demo, learner, course.id, one.id)  # again: no second event
    events = demo.store.find(AuditEntry, {"action": "learning.lesson.read"})
    assert len(events) == 1 and events[0].data == {"course_id": course.id, "lesson_id": one.id}
    edit_lesson(
        demo,
        t,
        one.id,
        version=demo.store.get(Lesson, one.id).version,
        fields=LessonFields("One", body_en="Revised"),
    )
    publish_course(demo, t, course.id)
    page = read_lesson(demo, learner, course.id, one.id)
    assert page.lesson.body_en == "Revised" and page.progress.read_at is not None
    assert page.prev is None and page.next is not None


def test_heartbeat_adds_bounded_time(demo, people) -> None:
    t, learner = people["trainer"], people["pp.rahim"]
    course, (one, _two, _three) = _course(demo, t)
    publish_course(demo, t, course.id)
    heartbeat(demo, learner, course.id, one.id, 30)
    heartbeat(demo, learner, course.id, one.id, 30)
    heartbeat(demo, learner, course.id, one.id, 100_000)  # ignored
    heartbeat(demo, learner, course.id, one.id, -5)  # ignored
    progress = demo.store.find_one(LessonProgress, {"lesson_id": one.id})
    assert progress.seconds == 60 and progress.read_at is None


def test_learner_outside_the_audience_cannot_read_or_record_progress(demo, people) -> None:
    t = people["trainer"]
    course, (one, _two, _three) = _course(demo, t, districts=["KHI-S"])
    publish_course(demo, t, course.id)
    with pytest.raises(CourseNotFound):
        read_lesson(demo, people["pp.hyd"], course.id, one.id)
    with pytest.raises(CourseNotFound):
        mark_read(demo, people["pp.hyd"], course.id, one.id)
    with pytest.raises(CourseNotFound):
        read_lesson(demo, people["pp.rahim"], course.id, "not-a-lesson")
    assert demo.store.count(LessonProgress) == 0


def test_preview_shows_the_draft_only_to_trainers(demo, people) -> None:
    t = people["trainer"]
    course, (one, _two, _three) = _course(demo, t)
    release = preview_release(demo, t, course.id)
    assert [x.title_en for x in release.lessons] == ["One", "Two", "Three"]
    assert read_lesson(demo, t, course.id, one.id, preview=True).lesson.body_en == "One text"
    with pytest.raises(CourseNotFound):
        preview_release(demo, people["pp.rahim"], course.id)


def test_import_refuses_wrong_types_and_unreadable_files() -> None:
    with pytest.raises(LearningError, match="Word"):
        extract_lesson_text(b"text", "notes.txt")
    with pytest.raises(LearningError, match="empty"):
        extract_lesson_text(b"", "notes.docx")
    with pytest.raises(LearningError, match="could not be read"):
        extract_lesson_text(b"%PDF-1.4 broken", "notes.pdf")


def test_import_reads_a_pdf_text_layer(tmp_path) -> None:
    from mizan.pdf import PdfDocument

    pdf = PdfDocument("Lesson")
    pdf.paragraph("Section 302 PPC punishes qatl-i-amd.")
    text = extract_lesson_text(pdf.output(), "lesson.pdf")
    assert "302 PPC" in text
