"""What the learning platform contributes to Mizan: its stored models (more as it grows)."""

from __future__ import annotations

from learning.case_study_models import CaseStudy
from learning.models import Course, CourseRelease, Enrolment, LearningPath, Lesson, LessonProgress
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [Course, Lesson, CourseRelease, LearningPath, Enrolment, LessonProgress]
    registry.models += [CaseStudy]
