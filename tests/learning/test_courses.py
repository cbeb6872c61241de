"""Authoring: drafts, modules, publish to numbered releases, archive, copy, who may see what."""

from __future__ import annotations

import pytest

from learning.courses import (
    CourseFields,
    add_module,
    archive_course,
    catalogue,
    copy_course,
    create_course,
    delete_module,
    draft_lessons,
    move_module,
    publish_course,
    rename_module,
    update_course,
    view_course,
)
from learning.errors import CourseNotFound, LearningError
from learning.lessons import LessonFields, create_lesson, edit_lesson
from learning.models import Course, CourseRelease, CourseStatus, Lesson
from mizan.accounts.service import PermissionDenied
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError


def _course(kernel, trainer, **kw) -> Course:
    return create_course(kernel, trainer, CourseFields(title_en="ATA basics", **kw))


def _with_lesson(kernel, trainer, **kw) -> tuple[Course, Lesson]:
    course = _course(kernel, trainer, **kw)
    lesson = create_lesson(
        kernel,
        trainer,
        course.id,
        course.modules[0].key,
        LessonFields(title_en="Terrorism defined", body_en="Read s. 6 ATA."),
    )
    return kernel.store.get(Course, course.id), lesson


def test_only_trainers_author(demo, people) -> None:
    with pytest.raises(PermissionDenied):
        _course(demo, people["pp.rahim"])
    course = _course(demo, people["trainer"])
    with pytest.raises(CourseNotFound):
        update_course(
            demo, people["pp.rahim"], course.id, version=1, fields=CourseFields(title_en="x")
        )
    assert demo.store.count(Course) == 1


def test_create_validates_every_field_and_changes_nothing(demo, people) -> None:
    t = people["trainer"]
    bad = [
        (CourseFields(title_en="  "), "English title"),
        (CourseFields(title_en="x" * 201), "too long"),
        (CourseFields(title_en="A", summary_en="s" * 2001), "summary"),
        (CourseFields(title_en="A", roles=["wizard"]), "Unknown role"),
        (CourseFields(title_en="A", districts=["NOWHERE"]), "Unknown district"),
        (CourseFields(title_en="A", prerequisites=["nope"]), "prerequisite"),
        (CourseFields(title_en="A", estimated_minutes=-5), "estimated time"),
    ]
    for fields, message in bad:
        with pytest.raises(LearningError, match=message):
            create_course(demo, t, fields)
    assert demo.store.count(Course) == 0


def test_create_keeps_audience_and_emits_event(demo, people) -> None:
    first = _course(demo, people["trainer"])
    course = _course(
        demo,
        people["trainer"],
        title_ur="انسداد دہشت گردی",
        roles=["prosecutor"],
        districts=["KHI-S"],
        atc_only=True,
        prerequisites=[first.id],
        estimated_minutes=90,
        self_enrol=False,
    )
    stored = demo.store.get(Course, course.id)
    assert stored.audience.roles == ["prosecutor"] and stored.audience.districts == ["KHI-S"]
    assert stored.audience.atc_only and stored.prerequisites == [first.id]
    assert stored.status == CourseStatus.DRAFT and len(stored.modules) == 1
    assert demo.store.count(AuditEntry, {"action": "learning.course.created"}) == 2
    with pytest.raises(LearningError, match="own prerequisite"):
        update_course(
            demo,
            people["trainer"],
            course.id,
            version=stored.version,
            fields=CourseFields(title_en="A", prerequisites=[course.id]),
        )


def test_stale_course_edit_is_refused(demo, people) -> None:
    t = people["trainer"]
    course = _course(demo, t)
    update_course(demo, t, course.id, version=1, fields=CourseFields(title_en="New"))
    with pytest.raises(StaleWriteError):
        update_course(demo, t, course.id, version=1, fields=CourseFields(title_en="Old"))
    assert demo.store.get(Course, course.id).title_en == "New"


def test_modules_add_rename_reorder_delete(demo, people) -> None:
    t = people["trainer"]
    course = _course(demo, t)
    first = course.modules[0].key
    second = add_module(demo, t, course.id, title_en="Evidence").key
    rename_module(demo, t, course.id, second, title_en="Evidence and proof", title_ur="شہادت")
    move_module(demo, t, course.id, second, -1)
    stored = demo.store.get(Course, course.id)
    assert [m.key for m in stored.modules] == [second, first]
    assert stored.modules[0].title_en == "Evidence and proof"
    move_module(demo, t, course.id, second, -1)  # already first: nothing changes
    assert [m.key for m in demo.store.get(Course, course.id).modules] == [second, first]
    with pytest.raises(LearningError, match="module title"):
        add_module(demo, t, course.id, title_en=" ")
    with pytest.raises(LearningError, match="no longer exists"):
        rename_module(demo, t, course.id, "gone", title_en="x")
    create_lesson(demo, t, course.id, first, LessonFields(title_en="L", body_en="b"))
    with pytest.raises(LearningError, match="lessons first"):
        delete_module(demo, t, course.id, first)
    delete_module(demo, t, course.id, second)
    lone = _course(demo, t)
    with pytest.raises(LearningError, match="at least one module"):
        delete_module(demo, t, lone.id, lone.modules[0].key)


def test_publish_refuses_empty_course_and_empty_lesson(demo, people) -> None:
    t = people["trainer"]
    course = _course(demo, t)
    with pytest.raises(LearningError, match="at least one lesson"):
        publish_course(demo, t, course.id)
    create_lesson(demo, t, course.id, course.modules[0].key, LessonFields(title_en="Empty"))
    with pytest.raises(LearningError, match="no English text"):
        publish_course(demo, t, course.id)
    assert demo.store.count(CourseRelease) == 0
    assert demo.store.get(Course, course.id).status == CourseStatus.DRAFT


def test_publish_freezes_a_release_and_later_edits_wait_for_the_next(demo, people) -> None:
    t = people["trainer"]
    course, lesson = _with_lesson(demo, t)
    first = publish_course(demo, t, course.id)
    assert first.number == 1 and first.lessons[0].body_en == "Read s. 6 ATA."
    assert demo.store.get(Course, course.id).status == CourseStatus.PUBLISHED
    edit_lesson(
        demo,
        t,
        lesson.id,
        version=lesson.version,
        fields=LessonFields(title_en="Terrorism defined", body_en="Changed."),
    )
    release = view_course(demo, people["pp.rahim"], course.id).release
    assert release is not None and release.lessons[0].body_en == "Read s. 6 ATA."
    second = publish_course(demo, t, course.id)
    assert second.number == 2 and second.lessons[0].lesson_id == lesson.id
    assert view_course(demo, people["pp.rahim"], course.id).release.lessons[0].body_en == "Changed."
    assert demo.store.get(CourseRelease, first.id).lessons[0].body_en == "Read s. 6 ATA."
    assert demo.store.count(AuditEntry, {"action": "learning.course.published"}) == 2


def test_learners_never_see_drafts_nor_courses_outside_their_audience(demo, people) -> None:
    t = people["trainer"]
    course, _lesson = _with_lesson(demo, t, roles=["prosecutor"], districts=["KHI-S"])
    with pytest.raises(CourseNotFound):
        view_course(demo, people["pp.rahim"], course.id)  # still a draft
    publish_course(demo, t, course.id)
    assert view_course(demo, people["pp.rahim"], course.id).release is not None
    for outsider in ("pp.hyd", "clerk.south"):
        with pytest.raises(CourseNotFound):
            view_course(demo, people[outsider], course.id)
    with pytest.raises(CourseNotFound):
        view_course(demo, people["pp.rahim"], "no-such-course")


def test_catalogue_lists_admitted_published_courses_and_drafts_for_trainers(demo, people) -> None:
    t = people["trainer"]
    open_course, _ = _with_lesson(demo, t)
    publish_course(demo, t, open_course.id)
    hyd_only, _ = _with_lesson(demo, t, districts=["HYD"])
    publish_course(demo, t, hyd_only.id)
    _course(demo, t)  # a draft
    rahim, total = catalogue(demo, people["pp.rahim"])
    assert total == 1 and [e.course.id for e in rahim] == [open_course.id]
    assert catalogue(demo, people["pp.hyd"])[1] == 2
    assert catalogue(demo, t)[1] == 3
    page2, total = catalogue(demo, t, page=2, per_page=2)
    assert total == 3 and len(page2) == 1


def test_archive_and_copy(demo, people) -> None:
    t = people["trainer"]
    course, lesson = _with_lesson(demo, t)
    with pytest.raises(LearningError, match="never published"):
        archive_course(demo, t, course.id)
    publish_course(demo, t, course.id)
    archive_course(demo, t, course.id)
    assert demo.store.get(Course, course.id).status == CourseStatus.ARCHIVED
    assert catalogue(demo, people["pp.rahim"])[1] == 0  # no new learners find it
    with pytest.raises(LearningError, match="archived"):
        publish_course(demo, t, course.id)
    copy = copy_course(demo, t, course.id)
    assert copy.title_en == "Copy of ATA basics" and copy.status == CourseStatus.DRAFT
    assert copy.copied_from == course.id and copy.release == 0
    ((_module, lessons),) = draft_lessons(demo, copy)
    assert [x.title_en for x in lessons] == ["Terrorism defined"] and lessons[0].id != lesson.id


def test_learners_see_published_prerequisites_only(demo, people) -> None:
    t = people["trainer"]
    first, _ = _with_lesson(demo, t)
    publish_course(demo, t, first.id)
    draft = _course(demo, t)
    course, _ = _with_lesson(demo, t, prerequisites=[first.id, draft.id])
    publish_course(demo, t, course.id)
    assert [c.id for c in view_course(demo, t, course.id).prerequisites] == [first.id, draft.id]
    assert [c.id for c in view_course(demo, people["pp.hyd"], course.id).prerequisites] == [
        first.id
    ]
