"""The demo trainer's ATA course: published, citing real library sections, with its quiz."""

from __future__ import annotations

from app.demo_learning import TITLE, seed_demo_course
from learning.demo_training import seed_demo_training
from learning.models import Course, CourseRelease, Enrolment
from learning.quizzes import course_has_quiz
from library.seed import seed_library
from mizan.kernel import Kernel


def test_demo_course_is_published_with_cited_sections_and_a_quiz(demo: Kernel) -> None:
    seed_library(demo)
    course_id = seed_demo_course(demo)
    assert course_id is not None
    assert seed_demo_course(demo) is None  # idempotent
    assert demo.store.count(Course, {"title_en": TITLE}) == 1
    release = demo.store.find_one(CourseRelease, {"course_id": course_id})
    assert release.number == 1 and len(release.lessons) == 3
    cited = {ref.target for lesson in release.lessons for ref in lesson.references}
    assert {"ppc:302", "ppc:34", "ppc:365-A"} <= cited
    assert course_has_quiz(demo, course_id)
    assert seed_demo_training(demo) >= 2  # pp.rahim and pp.sana of Karachi South
    assert demo.store.count(Enrolment, {"course_id": course_id, "district": "HYD"}) == 0
