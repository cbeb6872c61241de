"""Demo enrolments: the newest published course assigned in Karachi South, with some progress,
so "My training" and "Training progress" have something to show after ``mizan seed-demo``.

Runs after the courses' own demo seeding (which publishes the course); does nothing while no
course is published, and nothing a second time (idempotent like the rest of the demo data).
"""

from __future__ import annotations

import datetime as dt

from learning.enrolment import Group, assign_course
from learning.models import Course, CourseStatus, Enrolment, LessonProgress
from learning.releases import newest_release
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM
from mizan.clock import pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel

#: The demo district whose prosecutors get the course, and how the demo learners got on.
DISTRICT = "KHI-S"
DUE_IN_DAYS = 14
#: username -> (lessons read, minutes spent on each)
PROGRESS = {"pp.rahim": (2, 12), "pp.sana": (1, 7)}


def seed_demo_training(kernel: Kernel) -> int:
    """Assign the demo course and record some reading; returns how many learners were added."""
    store = kernel.store
    courses = store.find(
        Course, {"status": CourseStatus.PUBLISHED}, sort=[("created_at", 1)], limit=1
    )
    if not courses or store.count(Enrolment, {"course_id": courses[0].id}):
        return 0
    course = courses[0]
    release = newest_release(kernel, course.id)
    if release is None:
        return 0
    summary = assign_course(
        kernel,
        SYSTEM,
        course.id,
        Group("district", DISTRICT),
        pakistan_today() + dt.timedelta(days=DUE_IN_DAYS),
    )
    lessons = [lesson.lesson_id for lesson in release.lessons]
    for username, (read, minutes) in PROGRESS.items():
        user = store.find_one(User, {"username": username})
        if user is None or user.id not in summary.added_ids:
            continue
        learner = actor_for(user, channel="cli")
        for lesson_id in lessons[:read]:
            now = utc_naive_now()
            with store.transaction():
                store.insert(
                    LessonProgress(
                        course_id=course.id,
                        lesson_id=lesson_id,
                        user_id=user.id,
                        first_opened_at=now,
                        read_at=now,
                        seconds=minutes * 60,
                    )
                )
                kernel.emit(
                    DomainEvent(
                        "learning.lesson.read",
                        learner,
                        "lesson",
                        lesson_id,
                        {"course_id": course.id},
                    )
                )
    return summary.added
