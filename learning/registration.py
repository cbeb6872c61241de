"""What the learning platform contributes to Mizan: its stored models, subscribers, reminders."""

from __future__ import annotations

from learning.attachments import JOB_KIND, TASK, LessonFile
from learning.case_study_models import CaseStudy
from learning.certificates import Certificate, VerifyWindow, subscribe_certificates
from learning.completion import subscribe_completion
from learning.day_work import training_due
from learning.indexing import (
    TOPIC,
    index_learning,
    learning_principals,
    reindex_learning,
    subscribe_case_study_indexing,
)
from learning.models import Course, CourseRelease, Enrolment, LearningPath, Lesson, LessonProgress
from learning.progress import courses_completed
from learning.quiz_models import Attempt, Question, Quiz
from learning.quiz_notices import subscribe_quiz_notices
from learning.reminders import send_learning_reminders
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [Course, Lesson, CourseRelease, LearningPath, Enrolment, LessonProgress]
    registry.models += [Certificate, VerifyWindow]
    registry.models += [Question, Quiz, Attempt, CaseStudy]
    # Completion follows lesson reads and quiz passes; certificates follow completion.
    registry.subscribers.append(subscribe_completion)
    registry.subscribers.append(subscribe_certificates)
    registry.subscribers.append(subscribe_quiz_notices)
    registry.subscribers.append(subscribe_case_study_indexing)
    # Assigned courses due soon or overdue are announced by the reminder loop (`mizan remind`).
    registry.reminders["courses"] = send_learning_reminders
    # The prosecutor scorecard (case files) shows training completed in its period.
    registry.training_completed.append(courses_completed)
    # courses: authoring, reading, search
    registry.models.append(LessonFile)
    registry.outbox_handlers[TOPIC] = index_learning
    registry.reindexers.append(reindex_learning)
    registry.principal_providers.append(learning_principals)
    registry.task_modules.append("learning.tasks")
    registry.job_tasks[JOB_KIND] = TASK
    # The start page's "your day" (mizan.my_day).
    registry.day_sections += [training_due]
