"""Steps shared by the enrolment, completion, progress and reminder tests: a published course
made directly in the store (the authoring service is another feature's), people by username."""

from __future__ import annotations

import datetime as dt

from learning.models import (
    Audience,
    Course,
    CourseRelease,
    CourseStatus,
    Lesson,
    LessonProgress,
    Module,
    ReleasedLesson,
)
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel


def person(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def user(kernel: Kernel, username: str) -> User:
    return kernel.store.find_one(User, {"username": username})


def publish_course(
    kernel: Kernel,
    title: str = "Anti-Terrorism Act for ATC prosecutors",
    *,
    lessons: int = 2,
    audience: Audience | None = None,
    self_enrol: bool = True,
    prerequisites: list[str] | None = None,
    status: str = CourseStatus.PUBLISHED,
    title_ur: str | None = None,
) -> Course:
    """A course with ``lessons`` lessons, published once (release 1)."""
    store = kernel.store
    now = utc_naive_now()
    course = Course(
        title_en=title,
        title_ur=title_ur,
        status=status,
        audience=audience or Audience(),
        self_enrol=self_enrol,
        prerequisites=prerequisites or [],
        created_by="trainer",
        created_at=now,
        release=0 if status == CourseStatus.DRAFT else 1,
    )
    store.insert(course)
    released = []
    for n in range(lessons):
        lesson = Lesson(course_id=course.id, title_en=f"Lesson {n + 1}", body_en="Text.")
        store.insert(lesson)
        released.append(
            ReleasedLesson(lesson_id=lesson.id, module_key="m1", title_en=lesson.title_en)
        )
    course.modules = [
        Module(key="m1", title_en="Part 1", lesson_ids=[x.lesson_id for x in released])
    ]
    store.replace(course)
    if status != CourseStatus.DRAFT:
        add_release(kernel, course, released)
    return course


def add_release(kernel: Kernel, course: Course, lessons: list[ReleasedLesson]) -> CourseRelease:
    number = len(kernel.store.find(CourseRelease, {"course_id": course.id})) + 1
    release = CourseRelease(
        course_id=course.id,
        number=number,
        title_en=course.title_en,
        title_ur=course.title_ur,
        audience=course.audience,
        prerequisites=course.prerequisites,
        self_enrol=course.self_enrol,
        modules=course.modules,
        lessons=lessons,
        published_by="trainer",
        published_at=utc_naive_now(),
    )
    kernel.store.insert(release)
    return release


def lesson_ids(kernel: Kernel, course: Course) -> list[str]:
    release = kernel.store.find(
        CourseRelease, {"course_id": course.id}, sort=[("number", -1)], limit=1
    )[0]
    return [lesson.lesson_id for lesson in release.lessons]


def read_lesson(
    kernel: Kernel, learner: Actor, course: Course, lesson_id: str, seconds: int = 60
) -> None:
    """What the reader does when a lesson is marked read: progress, then the event."""
    store = kernel.store
    now = utc_naive_now()
    with store.transaction():
        progress = store.find_one(
            LessonProgress, {"user_id": learner.user_id, "lesson_id": lesson_id}
        )
        if progress is None:
            progress = LessonProgress(
                course_id=course.id,
                lesson_id=lesson_id,
                user_id=learner.user_id,
                first_opened_at=now,
            )
            progress.read_at, progress.seconds = now, seconds
            store.insert(progress)
        else:
            progress.read_at, progress.seconds = now, progress.seconds + seconds
            store.replace(progress)
        kernel.emit(
            DomainEvent(
                "learning.lesson.read", learner, "lesson", lesson_id, {"course_id": course.id}
            )
        )


def open_lesson(
    kernel: Kernel, learner: Actor, course: Course, lesson_id: str, seconds: int
) -> None:
    """Opened (time spent) but not marked read."""
    kernel.store.insert(
        LessonProgress(
            course_id=course.id,
            lesson_id=lesson_id,
            user_id=learner.user_id,
            first_opened_at=utc_naive_now(),
            seconds=seconds,
        )
    )


def pass_quiz(kernel: Kernel, learner: Actor, course: Course, score: float = 80.0) -> None:
    """What the quiz feature does on a passing attempt."""
    from learning.models import Enrolment

    store = kernel.store
    with store.transaction():
        enrolment = store.find_one(Enrolment, {"course_id": course.id, "user_id": learner.user_id})
        enrolment.best_score, enrolment.quiz_passed_at = score, utc_naive_now()
        store.replace(enrolment)
        kernel.emit(
            DomainEvent(
                "learning.quiz.passed",
                learner,
                "course",
                course.id,
                {"course_id": course.id, "user_id": learner.user_id, "score": score},
            )
        )


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def seed_people(kernel: Kernel) -> Kernel:
    """The demo districts and accounts only (no cases, no password hashing): quick."""
    from app.demo import DISTRICTS, USERS
    from mizan.accounts.models import District

    for code, name, name_ur in DISTRICTS:
        kernel.store.insert(District(code=code, name=name, name_ur=name_ur))
    for demo in USERS:
        kernel.store.insert(
            User(
                username=demo.username,
                full_name=demo.full_name,
                password_hash="-",
                roles=list(demo.roles),
                district=demo.district,
                created_at=utc_naive_now(),
            )
        )
    return kernel


def mark_read_quietly(kernel: Kernel, learner: Actor, course: Course, lesson_id: str) -> None:
    """Progress marked read with no event, so a test decides when completion is checked."""
    now = utc_naive_now()
    kernel.store.insert(
        LessonProgress(
            course_id=course.id,
            lesson_id=lesson_id,
            user_id=learner.user_id,
            first_opened_at=now,
            read_at=now,
        )
    )
