"""Reading a course: the lesson page (newest release, or the draft in a trainer's preview)
and the learner's reading progress.

Marking a lesson read stores ``LessonProgress.read_at`` and emits
``learning.lesson.read`` (data: course_id, lesson_id) once; the completion
feature listens to it. Progress is keyed by lesson id, so it survives a new
release of the course.
"""

from __future__ import annotations

from dataclasses import dataclass

from learning.access import can_author
from learning.courses import freeze, get_draft, readable_release
from learning.errors import CourseNotFound
from learning.models import Course, CourseRelease, LessonProgress, ReleasedLesson
from learning.references import ShownReference, shown_references
from learning.releases import newest_release
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, NotFoundError, StaleWriteError

#: A heartbeat counts at most this many seconds (a tab left open all night is not study).
MAX_HEARTBEAT = 300


@dataclass(frozen=True)
class LessonPage:
    course: Course
    release: CourseRelease
    lesson: ReleasedLesson
    prev: ReleasedLesson | None
    next: ReleasedLesson | None
    references: list[ShownReference]
    progress: LessonProgress | None
    preview: bool  # a trainer reading the draft as a learner would


def _course(kernel: Kernel, course_id: str) -> Course:
    try:
        return kernel.store.get(Course, course_id)
    except NotFoundError:
        raise CourseNotFound(course_id) from None


def preview_release(kernel: Kernel, actor: Actor, course_id: str) -> CourseRelease:
    """The draft frozen in memory (never stored), for a trainer's preview."""
    return preview_course(kernel, actor, course_id)[1]


def preview_course(kernel: Kernel, actor: Actor, course_id: str) -> tuple[Course, CourseRelease]:
    """The draft and its in-memory release: what learners would read if it were published."""
    course = get_draft(kernel, actor, course_id)
    return course, freeze(kernel, course, actor, course.release + 1)


def _release_for(kernel: Kernel, actor: Actor, course: Course, preview: bool) -> CourseRelease:
    if preview:
        return preview_release(kernel, actor, course.id)
    if can_author(actor):
        release = newest_release(kernel, course.id)
        if release is None:
            raise CourseNotFound(course.id)
        return release
    return readable_release(kernel, actor, course)


def read_lesson(
    kernel: Kernel, actor: Actor, course_id: str, lesson_id: str, *, preview: bool = False
) -> LessonPage:
    course = _course(kernel, course_id)
    release = _release_for(kernel, actor, course, preview)
    lessons = ordered_lessons(release)
    at = next((n for n, x in enumerate(lessons) if x.lesson_id == lesson_id), None)
    if at is None:
        raise CourseNotFound(lesson_id)
    lesson = lessons[at]
    progress = None if preview else _progress(kernel, actor, lesson_id)
    return LessonPage(
        course=course,
        release=release,
        lesson=lesson,
        prev=lessons[at - 1] if at > 0 else None,
        next=lessons[at + 1] if at + 1 < len(lessons) else None,
        references=shown_references(kernel, list(lesson.references)),
        progress=progress,
        preview=preview,
    )


def ordered_lessons(release: CourseRelease) -> list[ReleasedLesson]:
    """The release's lessons in module order (the order a learner reads them)."""
    by_id = {x.lesson_id: x for x in release.lessons}
    return [by_id[i] for m in release.modules for i in m.lesson_ids if i in by_id]


def _progress(kernel: Kernel, actor: Actor, lesson_id: str) -> LessonProgress | None:
    return kernel.store.find_one(LessonProgress, {"user_id": actor.user_id, "lesson_id": lesson_id})


def progress_of(kernel: Kernel, actor: Actor, course_id: str) -> dict[str, LessonProgress]:
    """The actor's progress on a course's lessons, by lesson id."""
    found = kernel.store.find(LessonProgress, {"user_id": actor.user_id, "course_id": course_id})
    return {p.lesson_id: p for p in found}


def _released_lesson(kernel: Kernel, actor: Actor, course_id: str, lesson_id: str) -> None:
    """Refuse progress on a lesson the actor may not read (CourseNotFound)."""
    course = _course(kernel, course_id)
    release = readable_release(kernel, actor, course)
    if not any(x.lesson_id == lesson_id for x in release.lessons):
        raise CourseNotFound(lesson_id)


def _get_or_new(kernel: Kernel, actor: Actor, course_id: str, lesson_id: str) -> LessonProgress:
    found = _progress(kernel, actor, lesson_id)
    if found is not None:
        return found
    return LessonProgress(
        course_id=course_id,
        lesson_id=lesson_id,
        user_id=actor.user_id,
        first_opened_at=utc_naive_now(),
    )


def _save(kernel: Kernel, progress: LessonProgress) -> None:
    if progress.version:
        kernel.store.replace(progress)
    else:
        kernel.store.insert(progress)


def mark_read(kernel: Kernel, actor: Actor, course_id: str, lesson_id: str) -> LessonProgress:
    """Record that the learner read the lesson; emits ``learning.lesson.read`` the first time."""
    _released_lesson(kernel, actor, course_id, lesson_id)
    progress = _get_or_new(kernel, actor, course_id, lesson_id)
    if progress.read_at is not None:
        return progress
    progress.read_at = utc_naive_now()
    try:
        with kernel.store.transaction():
            _save(kernel, progress)
            kernel.emit(
                DomainEvent(
                    "learning.lesson.read",
                    actor,
                    "lesson",
                    lesson_id,
                    {"course_id": course_id, "lesson_id": lesson_id},
                )
            )
    except DuplicateKeyError:  # a second tab marked it at the same moment
        found = _progress(kernel, actor, lesson_id)
        assert found is not None
        return found
    return progress


def heartbeat(
    kernel: Kernel, actor: Actor, course_id: str, lesson_id: str, seconds: int
) -> LessonProgress:
    """Add reading time (1 to MAX_HEARTBEAT seconds per beat; anything else is ignored)."""
    _released_lesson(kernel, actor, course_id, lesson_id)
    progress = _get_or_new(kernel, actor, course_id, lesson_id)
    if not 0 < seconds <= MAX_HEARTBEAT:
        return progress
    progress.seconds = (progress.seconds or 0) + seconds
    try:
        with kernel.store.transaction():
            _save(kernel, progress)
    except (DuplicateKeyError, StaleWriteError):  # another tab's beat won: lose this one
        return _progress(kernel, actor, lesson_id) or progress
    return progress


__all__ = [
    "LessonPage",
    "heartbeat",
    "mark_read",
    "ordered_lessons",
    "preview_course",
    "preview_release",
    "progress_of",
    "read_lesson",
]
