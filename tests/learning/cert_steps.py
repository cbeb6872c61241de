"""Shared steps for certificate and path tests: a published course, an enrolment, completion.

The courses and enrolment features are built elsewhere; these steps write their records
directly (as those features would) and emit the completion event as the progress feature
does, so the certificate subscriber is exercised through the real event bus and store.
"""

from __future__ import annotations

from learning.models import Audience, Course, CourseRelease, CourseStatus, Enrolment
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel

TRAINER = Actor("trainer-id", "trainer", frozenset({"trainer"}))


def publish_course(
    kernel: Kernel,
    title_en: str = "The Anti-Terrorism Act for ATC prosecutors",
    *,
    title_ur: str = "",
    audience: Audience | None = None,
    status: str = CourseStatus.PUBLISHED,
) -> Course:
    now = utc_naive_now()
    course = Course(
        title_en=title_en,
        title_ur=title_ur or None,
        status=status,
        audience=audience or Audience(),
        release=1,
        created_by=TRAINER.user_id,
        created_at=now,
        published_at=now,
    )
    kernel.store.insert(course)
    kernel.store.insert(
        CourseRelease(
            course_id=course.id,
            number=1,
            title_en=title_en,
            title_ur=title_ur or None,
            audience=audience or Audience(),
            published_by=TRAINER.user_id,
            published_at=now,
        )
    )
    return course


def user(kernel: Kernel, username: str) -> User:
    found = kernel.store.find_one(User, {"username": username})
    assert found is not None, username
    return found


def actor_of(kernel: Kernel, username: str) -> Actor:
    from mizan.accounts.service import actor_for

    return actor_for(user(kernel, username))


def enrol(kernel: Kernel, course: Course, username: str, *, completed: bool = False) -> Enrolment:
    learner = user(kernel, username)
    enrolment = Enrolment(
        course_id=course.id,
        user_id=learner.id,
        district=learner.district,
        enrolled_at=utc_naive_now(),
        completed_at=utc_naive_now() if completed else None,
    )
    kernel.store.insert(enrolment)
    return enrolment


def complete(kernel: Kernel, enrolment: Enrolment) -> None:
    """What the progress feature does: mark the enrolment complete and announce it."""
    with kernel.store.transaction():
        enrolment.completed_at = enrolment.completed_at or utc_naive_now()
        kernel.store.replace(enrolment)
        kernel.emit(completed_event(kernel, enrolment))


def completed_event(kernel: Kernel, enrolment: Enrolment) -> DomainEvent:
    learner = kernel.store.get(User, enrolment.user_id)
    return DomainEvent(
        "learning.course.completed",
        Actor(learner.id, learner.username, frozenset(learner.roles), learner.district),
        "course",
        enrolment.course_id,
        {"course_id": enrolment.course_id, "user_id": learner.id, "enrolment_id": enrolment.id},
    )
