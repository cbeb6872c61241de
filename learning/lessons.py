"""Lessons of a draft course: write, edit (guarded by version), reorder, delete.

A stale edit (someone saved the lesson after the trainer opened it) raises
``StaleWriteError`` and changes nothing, so the page can show both texts, as
notes do. Saving finds the citations in the text (``learning.references``).
Changes here touch only the draft; learners read the release until the next
publish.
"""

from __future__ import annotations

from dataclasses import dataclass

from learning.courses import (
    clean_minutes,
    clean_title,
    emit,
    get_draft,
    module_of,
)
from learning.errors import CourseNotFound, LearningError
from learning.models import MAX_BODY, Course, Lesson, Module
from learning.references import references_for
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import NotFoundError

MAX_LESSONS_PER_MODULE = 200


@dataclass(frozen=True)
class LessonFields:
    title_en: str
    title_ur: str = ""
    body_en: str = ""
    body_ur: str = ""
    estimated_minutes: int = 0


def _clean_body(value: str, what: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_BODY:
        raise LearningError(
            _("The %(what)s is too long (%(n)d characters at most).", what=what, n=MAX_BODY)
        )
    return value


def _apply(kernel: Kernel, lesson: Lesson, fields: LessonFields, actor: Actor) -> None:
    lesson.title_en = clean_title(fields.title_en, _("lesson title"))
    lesson.title_ur = clean_title(fields.title_ur, _("Urdu lesson title"), required=False)
    lesson.body_en = _clean_body(fields.body_en, _("English text"))
    lesson.body_ur = _clean_body(fields.body_ur, _("Urdu text"))
    lesson.estimated_minutes = clean_minutes(fields.estimated_minutes)
    lesson.references = references_for(kernel, lesson.body_en, lesson.body_ur)
    lesson.updated_by, lesson.updated_at = actor.user_id, utc_naive_now()


def get_lesson(kernel: Kernel, actor: Actor, lesson_id: str) -> tuple[Lesson, Course]:
    """A draft lesson and its course, for trainers (CourseNotFound for anyone else)."""
    try:
        lesson = kernel.store.get(Lesson, lesson_id)
    except NotFoundError:
        raise CourseNotFound(lesson_id) from None
    return lesson, get_draft(kernel, actor, lesson.course_id)


def create_lesson(
    kernel: Kernel, actor: Actor, course_id: str, module_key: str, fields: LessonFields
) -> Lesson:
    course = get_draft(kernel, actor, course_id)
    module = module_of(course, module_key)
    if len(module.lesson_ids) >= MAX_LESSONS_PER_MODULE:
        raise LearningError(_("A module has at most %(n)d lessons.", n=MAX_LESSONS_PER_MODULE))
    lesson = Lesson(course_id=course.id)
    _apply(kernel, lesson, fields, actor)
    module.lesson_ids.append(lesson.id)
    course.updated_by, course.updated_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.insert(lesson)
        kernel.store.replace(course)
        emit(kernel, actor, "lesson.created", "lesson", lesson.id, course_id=course.id)
    return lesson


def edit_lesson(
    kernel: Kernel, actor: Actor, lesson_id: str, *, version: int, fields: LessonFields
) -> Lesson:
    """Replace the lesson's draft; StaleWriteError if it was saved since ``version``."""
    lesson, course = get_lesson(kernel, actor, lesson_id)
    _apply(kernel, lesson, fields, actor)
    lesson.version = version
    with kernel.store.transaction():
        kernel.store.replace(lesson)
        emit(
            kernel,
            actor,
            "lesson.updated",
            "lesson",
            lesson.id,
            course_id=course.id,
            references=len(lesson.references),
        )
    return lesson


def _module_holding(course: Course, lesson_id: str) -> Module:
    for module in course.modules:
        if lesson_id in module.lesson_ids:
            return module
    raise LearningError(_("This lesson is not in the course any more; reload the page."))


def move_lesson(
    kernel: Kernel, actor: Actor, lesson_id: str, delta: int, *, to_module: str | None = None
) -> None:
    """Move a lesson up (-1) or down (+1) in its module, or to the end of ``to_module``."""
    lesson, course = get_lesson(kernel, actor, lesson_id)
    module = _module_holding(course, lesson.id)
    ids = list(module.lesson_ids)
    if to_module and to_module != module.key:
        target = module_of(course, to_module)
        module.lesson_ids = [i for i in ids if i != lesson.id]
        target.lesson_ids.append(lesson.id)
    else:
        at = ids.index(lesson.id)
        to = at + (1 if delta > 0 else -1)
        if not 0 <= to < len(ids):
            return
        ids[at], ids[to] = ids[to], ids[at]
        module.lesson_ids = ids
    course.updated_by, course.updated_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(course)
        emit(kernel, actor, "lesson.moved", "lesson", lesson.id, course_id=course.id)


def delete_lesson(kernel: Kernel, actor: Actor, lesson_id: str, *, version: int) -> None:
    """Remove a lesson from the draft. Releases keep their frozen copy, and learners keep
    their progress (it is keyed by lesson id), until the next publish drops it."""
    lesson, course = get_lesson(kernel, actor, lesson_id)
    module = _module_holding(course, lesson.id)
    module.lesson_ids = [i for i in module.lesson_ids if i != lesson.id]
    lesson.version = version
    course.updated_by, course.updated_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.delete(lesson)
        kernel.store.replace(course)
        emit(kernel, actor, "lesson.deleted", "lesson", lesson.id, course_id=course.id)
