"""Completion: a course is done when every lesson of its newest release is read and its quiz,
if it has one, is passed.

Listens to ``learning.lesson.read`` (the reader) and ``learning.quiz.passed`` (the quiz) and,
inside the same transaction, sets ``Enrolment.completed_at`` and emits
``learning.course.completed`` (certificates listen to it). Exactly once: the write is
guarded by the enrolment's version, and a writer that lost the race re-reads the record
and finds it already completed.
"""

from __future__ import annotations

import logging

from learning.models import Enrolment, Lesson, LessonProgress
from learning.releases import newest_release
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import StaleWriteError

log = logging.getLogger(__name__)

#: Events after which a learner may have finished a course.
TRIGGERS = ("learning.lesson.read", "learning.quiz.passed")
#: A writer that lost the race re-reads and retries at most this often.
_RETRIES = 3


def course_has_quiz(kernel: Kernel, course_id: str) -> bool:
    """Whether the course has a quiz to pass (False while the quiz feature is not installed)."""
    try:
        from learning.quizzes import course_has_quiz as has_quiz  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return False
    return bool(has_quiz(kernel, course_id))


def lesson_ids_of_newest(kernel: Kernel, course_id: str) -> list[str]:
    release = newest_release(kernel, course_id)
    return [lesson.lesson_id for lesson in release.lessons] if release else []


def is_done(kernel: Kernel, enrolment: Enrolment) -> bool:
    """Every lesson of the newest release read, and the quiz (if any) passed."""
    lesson_ids = lesson_ids_of_newest(kernel, enrolment.course_id)
    if not lesson_ids:
        return False  # a course with nothing to read is not "completed" by enrolling
    read = {
        p.lesson_id
        for p in kernel.store.find(
            LessonProgress,
            {
                "user_id": enrolment.user_id,
                "lesson_id": {"$in": lesson_ids},
                "read_at": {"$ne": None},
            },
        )
    }
    if not set(lesson_ids) <= read:
        return False
    return enrolment.quiz_passed_at is not None or not course_has_quiz(kernel, enrolment.course_id)


def check_completion(kernel: Kernel, actor: Actor, course_id: str, user_id: str) -> bool:
    """Complete the learner's enrolment if they are done; True only for the call that did it."""
    store = kernel.store
    for _attempt in range(_RETRIES):
        enrolment = store.find_one(
            Enrolment, {"course_id": course_id, "user_id": user_id, "withdrawn": False}
        )
        if enrolment is None or enrolment.completed_at is not None:
            return False
        if not is_done(kernel, enrolment):
            return False
        enrolment.completed_at = utc_naive_now()
        try:
            with store.transaction():
                store.replace(enrolment)  # refused if another event completed it meanwhile
                kernel.emit(
                    DomainEvent(
                        "learning.course.completed",
                        actor,
                        "course",
                        course_id,
                        {
                            "course_id": course_id,
                            "user_id": user_id,
                            "enrolment_id": enrolment.id,
                        },
                    )
                )
        except StaleWriteError:
            continue  # re-read: completed by the other writer, or changed for another reason
        return True
    log.warning(
        "completion of course %s for %s gave up after %d tries", course_id, user_id, _RETRIES
    )
    return False


def _on_event(kernel: Kernel, event: DomainEvent) -> None:
    if event.action not in TRIGGERS:
        return
    data = event.data or {}
    course_id = data.get("course_id") or (
        event.subject_id if event.subject_type == "course" else None
    )
    if not course_id and event.subject_type == "lesson":
        lesson = kernel.store.find_one(Lesson, {"_id": event.subject_id})
        course_id = lesson.course_id if lesson else None
    user_id = data.get("user_id") or event.actor.user_id
    if course_id and user_id:
        check_completion(kernel, event.actor, str(course_id), str(user_id))


def subscribe_completion(kernel: Kernel) -> None:
    """Registered subscriber: complete enrolments as lessons are read and quizzes passed."""
    kernel.events.subscribe(lambda event: _on_event(kernel, event), "learning.")
