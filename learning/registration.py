"""What the learning platform contributes to Mizan: its stored models (more as it grows)."""

from __future__ import annotations

from learning.completion import subscribe_completion
from learning.models import Course, CourseRelease, Enrolment, LearningPath, Lesson, LessonProgress
from learning.reminders import send_learning_reminders
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [Course, Lesson, CourseRelease, LearningPath, Enrolment, LessonProgress]
    # Enrolment and progress: completion follows lesson reads and quiz passes; assigned
    # courses due soon or overdue are announced by the reminder loop (`mizan remind`).
    registry.subscribers.append(subscribe_completion)
    registry.reminders["courses"] = send_learning_reminders
