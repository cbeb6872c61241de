"""The demo enrolments: assigned once in Karachi South, with reading progress; none without a
published course."""

from __future__ import annotations

from learning.demo_training import seed_demo_training
from learning.models import Enrolment, LessonProgress
from tests.learning.enrol_steps import person, publish_course, seed_people


def test_demo_training_assigns_once_and_records_progress(kernel) -> None:
    seed_people(kernel)
    assert seed_demo_training(kernel) == 0  # nothing published yet
    course = publish_course(kernel, lessons=2)
    assert seed_demo_training(kernel) == 2
    assert seed_demo_training(kernel) == 0
    rahim = kernel.store.find_one(Enrolment, {"user_id": person(kernel, "pp.rahim").user_id})
    assert rahim.completed_at is not None  # read both lessons of a course without a quiz
    assert kernel.store.count(LessonProgress, {"course_id": course.id}) == 3
