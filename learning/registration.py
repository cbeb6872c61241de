"""What the learning platform contributes to Mizan: its stored models (more as it grows)."""

from __future__ import annotations

from learning.certificates import Certificate, VerifyWindow, subscribe_certificates
from learning.models import Course, CourseRelease, Enrolment, LearningPath, Lesson, LessonProgress
from learning.quiz_models import Attempt, Question, Quiz
from learning.quiz_notices import subscribe_quiz_notices
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [Course, Lesson, CourseRelease, LearningPath, Enrolment, LessonProgress]
    registry.models += [Certificate, VerifyWindow]
    registry.subscribers.append(subscribe_certificates)
    registry.models += [Question, Quiz, Attempt]  # quizzes
    registry.subscribers.append(subscribe_quiz_notices)
