"""The learning platform's shared records: courses, lessons, releases, enrolments, progress.

A trainer edits a course and its lessons as a **draft** (``Course``, ``Lesson``).
Publishing freezes the draft into a numbered ``CourseRelease``; learners always
read the newest release. A lesson keeps its id from one release to the next, so
``LessonProgress`` (keyed by lesson id) survives a new version of the course.

Each feature keeps its own records in its own module (quizzes, certificates,
case studies); these are the ones several features share.
"""

from __future__ import annotations

from enum import StrEnum

import mongoengine as me

from mizan.storage import Model

MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_BODY = 100_000


class CourseStatus(StrEnum):
    DRAFT = "draft"  # never published: only trainers see it
    PUBLISHED = "published"  # learners read its newest release; the draft may differ
    ARCHIVED = "archived"  # no new enrolments; learners keep their record and certificate


class Audience(me.EmbeddedDocument):
    """Who a course is for. Empty lists mean "any"; every condition given must hold."""

    roles = me.ListField(me.StringField())  # e.g. ["prosecutor"]
    districts = me.ListField(me.StringField())  # district codes, e.g. ["KHI-S"]
    #: Only prosecutors with a current posting to an Anti-Terrorism Court.
    atc_only = me.BooleanField(default=False)


class Module(me.EmbeddedDocument):
    """A part of a course: an ordered list of lesson ids."""

    key = me.StringField(required=True)  # stable across edits and releases
    title_en = me.StringField(required=True, max_length=MAX_TITLE)
    title_ur = me.StringField(max_length=MAX_TITLE)
    lesson_ids = me.ListField(me.StringField())


class Course(Model):
    """The editable (draft) state of a course; ``CourseRelease`` is what learners read."""

    label = "course"
    status = me.StringField(default=CourseStatus.DRAFT, choices=[s.value for s in CourseStatus])
    title_en = me.StringField(required=True, max_length=MAX_TITLE)
    title_ur = me.StringField(max_length=MAX_TITLE)
    summary_en = me.StringField(max_length=MAX_SUMMARY)
    summary_ur = me.StringField(max_length=MAX_SUMMARY)
    audience = me.EmbeddedDocumentField(Audience, default=Audience)
    prerequisites = me.ListField(me.StringField())  # course ids
    estimated_minutes = me.IntField(min_value=0, default=0)
    self_enrol = me.BooleanField(default=True)
    modules = me.EmbeddedDocumentListField(Module)
    #: Number of the newest release (0 = never published).
    release = me.IntField(default=0)
    copied_from = me.StringField()
    created_by = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)
    updated_by = me.StringField()
    updated_at = me.DateTimeField()
    published_at = me.DateTimeField()
    meta = {"collection": "learning_courses", "indexes": ["status", "created_by"]}


class Reference(me.EmbeddedDocument):
    """A citation written in a lesson (``s. 302 PPC``, ``PLD 2019 SC 64``), resolved."""

    kind = me.StringField(required=True, choices=("section", "judgment"))
    target = me.StringField(required=True)  # section id "ppc:302" or judgment id
    cited_as = me.StringField(max_length=200)  # as the trainer wrote it
    #: Hash of the section's text when the lesson was last saved or published, so the
    #: reader can say "this section has changed since" after an act is re-imported.
    text_hash = me.StringField()


class Attachment(me.EmbeddedDocument):
    """A file attached to a lesson; its text comes from the ingestion pipeline."""

    document_id = me.StringField(required=True)
    filename = me.StringField(max_length=300)


class Lesson(Model):
    """The draft of one lesson: Markdown in English and Urdu, references and attachments."""

    label = "lesson"
    course_id = me.StringField(required=True)
    title_en = me.StringField(required=True, max_length=MAX_TITLE)
    title_ur = me.StringField(max_length=MAX_TITLE)
    body_en = me.StringField(max_length=MAX_BODY, default="")
    body_ur = me.StringField(max_length=MAX_BODY, default="")
    estimated_minutes = me.IntField(min_value=0, default=0)
    references = me.EmbeddedDocumentListField(Reference)
    attachments = me.EmbeddedDocumentListField(Attachment)
    updated_by = me.StringField()
    updated_at = me.DateTimeField()
    meta = {"collection": "learning_lessons", "indexes": ["course_id"]}


class ReleasedLesson(me.EmbeddedDocument):
    """A lesson as published in one release (same id as its draft ``Lesson``)."""

    lesson_id = me.StringField(required=True)
    module_key = me.StringField(required=True)
    title_en = me.StringField(required=True)
    title_ur = me.StringField()
    body_en = me.StringField(default="")
    body_ur = me.StringField(default="")
    estimated_minutes = me.IntField(default=0)
    references = me.EmbeddedDocumentListField(Reference)
    attachments = me.EmbeddedDocumentListField(Attachment)


class CourseRelease(Model):
    """A published version of a course, frozen: later edits of the draft never change it."""

    label = "course version"
    course_id = me.StringField(required=True)
    number = me.IntField(required=True, min_value=1)
    title_en = me.StringField(required=True)
    title_ur = me.StringField()
    summary_en = me.StringField()
    summary_ur = me.StringField()
    audience = me.EmbeddedDocumentField(Audience, default=Audience)
    prerequisites = me.ListField(me.StringField())
    estimated_minutes = me.IntField(default=0)
    self_enrol = me.BooleanField(default=True)
    modules = me.EmbeddedDocumentListField(Module)
    lessons = me.EmbeddedDocumentListField(ReleasedLesson)
    published_by = me.StringField(required=True)
    published_at = me.DateTimeField(required=True)
    meta = {
        "collection": "learning_releases",
        "indexes": [{"fields": ("course_id", "number"), "unique": True}],
    }


class LearningPath(Model):
    """An ordered set of courses ("Newly posted ATC prosecutor")."""

    label = "learning path"
    title_en = me.StringField(required=True, max_length=MAX_TITLE)
    title_ur = me.StringField(max_length=MAX_TITLE)
    summary_en = me.StringField(max_length=MAX_SUMMARY)
    summary_ur = me.StringField(max_length=MAX_SUMMARY)
    course_ids = me.ListField(me.StringField())
    created_by = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)
    updated_by = me.StringField()
    updated_at = me.DateTimeField()
    meta = {"collection": "learning_paths"}


class Enrolment(Model):
    """One learner on one course: how they came, by when, and how far they got.

    ``quiz_passed_at``/``best_score`` are written by the quiz feature; ``completed_at``
    by the progress feature once every lesson is read and the quiz (if any) passed.
    """

    label = "enrolment"
    course_id = me.StringField(required=True)
    user_id = me.StringField(required=True)
    district = me.StringField()  # the learner's, for per-district progress
    source = me.StringField(default="self", choices=("self", "assigned"))
    assigned_by = me.StringField()
    due_on = me.DateField()
    enrolled_at = me.DateTimeField(required=True)
    release_at_enrolment = me.IntField(default=1)
    best_score = me.FloatField()  # percent, best quiz attempt
    quiz_passed_at = me.DateTimeField()
    completed_at = me.DateTimeField()
    withdrawn = me.BooleanField(default=False)
    meta = {
        "collection": "learning_enrolments",
        "indexes": [
            {"fields": ("course_id", "user_id"), "unique": True},
            "user_id",
            "district",
        ],
    }


class LessonProgress(Model):
    """A learner's reading of one lesson (kept across releases: keyed by lesson id)."""

    label = "lesson progress"
    course_id = me.StringField(required=True)
    lesson_id = me.StringField(required=True)
    user_id = me.StringField(required=True)
    first_opened_at = me.DateTimeField(required=True)
    read_at = me.DateTimeField()  # marked read (or finished) by the learner
    seconds = me.IntField(default=0, min_value=0)  # time spent, from the reader's heartbeats
    meta = {
        "collection": "learning_progress",
        "indexes": [{"fields": ("user_id", "lesson_id"), "unique": True}, "course_id"],
    }
