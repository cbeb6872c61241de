"""The quiz records: a course's question bank, its settings, and learners' attempts.

An attempt keeps a **copy** of each question it drew (text, options in the shuffled
order, which are correct, feedback, rubric). A reload shows the same questions, and an
author editing the bank meanwhile never changes what an attempt is graded against.
"""

from __future__ import annotations

from enum import StrEnum

import mongoengine as me

from mizan.i18n import lazy_gettext as _l
from mizan.storage import Model

MAX_QUESTION = 2000
MAX_OPTION = 500
MAX_FEEDBACK = 2000
MAX_RUBRIC = 4000
MAX_ANSWER = 5000
MAX_OPTIONS = 8
MAX_POINTS = 100


class QuestionKind(StrEnum):
    SINGLE = "single"  # one correct option
    MULTIPLE = "multiple"  # one or more correct options; all-or-nothing
    TRUE_FALSE = "true_false"  # two fixed options
    SHORT = "short"  # written answer, graded by a trainer against the rubric


KIND_LABELS = {
    QuestionKind.SINGLE: _l("Single choice"),
    QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.TRUE_FALSE: _l("True or false"),
    QuestionKind.SHORT: _l("Short answer"),
}


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    AWAITING_GRADING = "awaiting_grading"  # a short answer waits for the trainer
    GRADED = "graded"
    EXPIRED = "expired"  # the time limit passed without a submission; counts as 0


STATUS_LABELS = {
    AttemptStatus.IN_PROGRESS: _l("In progress"),
    AttemptStatus.AWAITING_GRADING: _l("Awaiting grading"),
    AttemptStatus.GRADED: _l("Graded"),
    AttemptStatus.EXPIRED: _l("Time ran out"),
}


class QuestionOption(me.EmbeddedDocument):
    """One answer to choose; ``key`` is what the form sends (random, says nothing)."""

    key = me.StringField(required=True)
    text_en = me.StringField(required=True, max_length=MAX_OPTION)
    text_ur = me.StringField(max_length=MAX_OPTION)
    correct = me.BooleanField(default=False)
    feedback_en = me.StringField(max_length=MAX_FEEDBACK)
    feedback_ur = me.StringField(max_length=MAX_FEEDBACK)


class Question(Model):
    """A question in a course's bank (authors only)."""

    label = "question"
    course_id = me.StringField(required=True)
    kind = me.StringField(required=True, choices=[k.value for k in QuestionKind])
    text_en = me.StringField(required=True, max_length=MAX_QUESTION)
    text_ur = me.StringField(max_length=MAX_QUESTION)
    options = me.EmbeddedDocumentListField(QuestionOption)
    rubric_en = me.StringField(max_length=MAX_RUBRIC)
    rubric_ur = me.StringField(max_length=MAX_RUBRIC)
    feedback_en = me.StringField(max_length=MAX_FEEDBACK)
    feedback_ur = me.StringField(max_length=MAX_FEEDBACK)
    points = me.IntField(required=True, min_value=1, max_value=MAX_POINTS, default=1)
    created_by = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)
    updated_by = me.StringField()
    updated_at = me.DateTimeField()
    meta = {"collection": "learning_quiz_questions", "indexes": ["course_id"]}


class Quiz(Model):
    """A course's quiz settings; exists once the first question is added."""

    label = "quiz"
    course_id = me.StringField(required=True, unique=True)
    #: Questions drawn per attempt; None = every question in the bank.
    draw_count = me.IntField(min_value=1)
    pass_percent = me.IntField(required=True, min_value=0, max_value=100, default=70)
    #: Attempts a learner may start; None = no limit.
    attempt_limit = me.IntField(min_value=1)
    #: Minutes from the start of an attempt to its submission; None = untimed.
    time_limit_minutes = me.IntField(min_value=1)
    updated_by = me.StringField()
    updated_at = me.DateTimeField()
    meta = {"collection": "learning_quizzes"}


class AttemptQuestion(me.EmbeddedDocument):
    """A drawn question as the attempt keeps it, with the learner's answer and its grade."""

    question_id = me.StringField(required=True)
    kind = me.StringField(required=True)
    text_en = me.StringField(required=True)
    text_ur = me.StringField()
    options = me.EmbeddedDocumentListField(QuestionOption)  # in the shuffled order shown
    rubric_en = me.StringField()
    rubric_ur = me.StringField()
    feedback_en = me.StringField()
    feedback_ur = me.StringField()
    points = me.IntField(required=True)
    chosen = me.ListField(me.StringField())  # option keys
    answer_text = me.StringField(max_length=MAX_ANSWER)
    awarded = me.FloatField()  # None until graded
    comment = me.StringField(max_length=MAX_FEEDBACK)  # the grader's, on a short answer


class Attempt(Model):
    """One learner's attempt at one course's quiz."""

    label = "quiz attempt"
    course_id = me.StringField(required=True)
    user_id = me.StringField(required=True)
    district = me.StringField()
    number = me.IntField(required=True, min_value=1)  # 1 = the learner's first attempt
    status = me.StringField(
        default=AttemptStatus.IN_PROGRESS, choices=[s.value for s in AttemptStatus]
    )
    questions = me.EmbeddedDocumentListField(AttemptQuestion)
    pass_percent = me.IntField(required=True)  # as set when the attempt started
    started_at = me.DateTimeField(required=True)
    deadline_at = me.DateTimeField()  # started_at + time limit; None = untimed
    submitted_at = me.DateTimeField()
    graded_at = me.DateTimeField()
    graded_by = me.StringField()
    score = me.FloatField()  # percent, once graded
    passed = me.BooleanField()
    meta = {
        "collection": "learning_quiz_attempts",
        "indexes": [
            {"fields": ("course_id", "user_id", "number"), "unique": True},
            "user_id",
            "status",
        ],
    }
