"""What the learning platform contributes to Mizan: its stored models (more as it grows)."""

from __future__ import annotations

from learning.attachments import JOB_KIND, TASK, LessonFile
from learning.indexing import TOPIC, index_course, learning_principals, reindex_learning
from learning.models import Course, CourseRelease, Enrolment, LearningPath, Lesson, LessonProgress
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [Course, Lesson, CourseRelease, LearningPath, Enrolment, LessonProgress]
    # courses: authoring, reading, search
    registry.models.append(LessonFile)
    registry.outbox_handlers[TOPIC] = index_course
    registry.reindexers.append(reindex_learning)
    registry.principal_providers.append(learning_principals)
    registry.task_modules.append("learning.tasks")
    registry.job_tasks[JOB_KIND] = TASK
