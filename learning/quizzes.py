"""Quizzes: a question bank per course, attempts, grading, and what passing records.

Authors (``learning.author``) keep the bank and the settings. A learner enrolled in the
course starts an attempt: a random draw of questions with shuffled options, copied onto
the attempt so a reload shows the same sheet. Answers are checked here only: the sheet
handed to the page (:class:`Sheet`) has no correct answers in it, and a submitted form is
checked against the attempt (unknown question or option, a question not drawn, a second
submission, too late, past the attempt limit or the due date: refused, nothing changes).

A short answer leaves the attempt awaiting grading until a trainer grades it against the
rubric. Every submitted attempt emits ``learning.quiz.attempted``; the first passing one
sets ``Enrolment.quiz_passed_at`` and emits ``learning.quiz.passed`` (the completion and
certificate features listen to it). ``Enrolment.best_score`` keeps the best graded score.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from learning import grading
from learning.access import audience_admits, can_author, can_learn, learner_of
from learning.errors import CourseNotFound, LearningError
from learning.models import Course, CourseStatus, Enrolment
from learning.quiz_models import (
    MAX_ANSWER,
    MAX_FEEDBACK,
    MAX_OPTION,
    MAX_OPTIONS,
    MAX_POINTS,
    MAX_QUESTION,
    MAX_RUBRIC,
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Question,
    QuestionKind,
    QuestionOption,
    Quiz,
)
from learning.releases import newest_release
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, NotFoundError, StaleWriteError

#: A submission this long after the time limit still counts (a slow connection, a
#: clock a little off); later ones are refused.
GRACE = dt.timedelta(seconds=30)
MAX_ATTEMPT_LIMIT = 50
MAX_TIME_LIMIT = 600  # minutes
DEFAULT_PASS_PERCENT = 70


class QuestionNotFound(LookupError):
    """No such question in this course's bank."""


class AttemptNotFound(LookupError):
    """No such attempt, or someone else's (indistinguishable on purpose)."""


# -- input ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionInput:
    """An option as the author typed it; ``key`` is empty for a new one."""

    text_en: str
    text_ur: str = ""
    correct: bool = False
    feedback_en: str = ""
    feedback_ur: str = ""
    key: str = ""


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text_en: str
    text_ur: str = ""
    options: Sequence[OptionInput] = ()
    rubric_en: str = ""
    rubric_ur: str = ""
    feedback_en: str = ""
    feedback_ur: str = ""
    points: int = 1
    #: For true/false: is the statement true?
    true_answer: bool | None = None


@dataclass(frozen=True)
class SettingsInput:
    draw_count: int | None = None
    pass_percent: int = DEFAULT_PASS_PERCENT
    attempt_limit: int | None = None
    time_limit_minutes: int | None = None


@dataclass(frozen=True)
class Grade:
    """A trainer's grade of one short answer."""

    points: float
    comment: str = ""


# -- what pages get ------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionStats:
    """How a question fared in graded attempts: a question almost nobody gets right may
    be unclear, one everybody gets right may teach nothing."""

    asked: int = 0
    right: int = 0  # full points

    @property
    def percent_right(self) -> int | None:
        return round(self.right * 100 / self.asked) if self.asked else None


@dataclass(frozen=True)
class Bank:
    course: Course
    quiz: Quiz | None
    questions: list[Question]
    stats: dict[str, QuestionStats] = field(default_factory=dict)


@dataclass(frozen=True)
class SheetOption:
    key: str
    text_en: str
    text_ur: str


@dataclass(frozen=True)
class SheetQuestion:
    """A question as the learner sees it while answering: no correctness, no feedback."""

    question_id: str
    kind: str
    text_en: str
    text_ur: str
    points: int
    options: list[SheetOption]


@dataclass(frozen=True)
class Sheet:
    """An attempt in progress, safe to put in a page."""

    attempt_id: str
    course: Course
    number: int
    deadline_at: dt.datetime | None
    questions: list[SheetQuestion]
    #: Seconds until the time limit (by the server's clock), for the page's countdown.
    seconds_left: int | None = None


@dataclass(frozen=True)
class QuizSummary:
    """What the course page says about its quiz to the person looking."""

    course_id: str
    has_quiz: bool
    course_title_en: str = ""
    course_title_ur: str = ""
    questions_per_attempt: int = 0
    pass_percent: int = 0
    time_limit_minutes: int | None = None
    attempts_used: int = 0
    attempts_left: int | None = None  # None = no limit
    best_score: float | None = None
    passed: bool = False
    can_edit: bool = False
    can_take: bool = False
    blocked: str | None = None  # why the learner cannot start now
    open_attempt_id: str | None = None
    awaiting_grading: int = 0
    attempts: list[Attempt] = field(default_factory=list)


# -- helpers -------------------------------------------------------------------------


def _clean(value: str | None, limit: int, too_long: str, missing: str | None = None) -> str:
    """``value`` trimmed; LearningError(``missing``) if empty and required, else if too long."""
    text = (value or "").strip()
    if missing is not None and not text:
        raise LearningError(missing)
    if len(text) > limit:
        raise LearningError(too_long)
    return text


def _course(kernel: Kernel, course_id: str) -> Course:
    try:
        return kernel.store.get(Course, course_id)
    except NotFoundError:
        raise CourseNotFound(course_id) from None


def _authoring(kernel: Kernel, actor: Actor, course_id: str) -> Course:
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers can edit question banks."))
    return _course(kernel, course_id)


def _quiz(kernel: Kernel, course_id: str) -> Quiz | None:
    return kernel.store.find_one(Quiz, {"course_id": course_id})


def _bank_size(kernel: Kernel, course_id: str) -> int:
    return kernel.store.count(Question, {"course_id": course_id})


def course_has_quiz(kernel: Kernel, course_id: str) -> bool:
    """Whether the course has a quiz with questions (completion then requires a pass)."""
    return _quiz(kernel, course_id) is not None and _bank_size(kernel, course_id) > 0


def _event(
    kernel: Kernel, action: str, actor: Actor, subject_type: str, subject_id: str, **data: object
) -> None:
    kernel.emit(DomainEvent(action, actor, subject_type, subject_id, dict(data)))


# -- the bank ------------------------------------------------------------------------


def quiz_bank(kernel: Kernel, actor: Actor, course_id: str) -> Bank:
    """The course's questions, its settings, and how each question fared so far."""
    course = _authoring(kernel, actor, course_id)
    questions = kernel.store.find(Question, {"course_id": course_id}, sort=[("_id", 1)])
    asked: Counter[str] = Counter()
    right: Counter[str] = Counter()
    graded = {"course_id": course_id, "status": AttemptStatus.GRADED}
    for attempt in kernel.store.iter_all(Attempt, graded):
        for q in attempt.questions:
            asked[q.question_id] += 1
            right[q.question_id] += grading.is_right(q)
    stats = {qid: QuestionStats(asked[qid], right[qid]) for qid in asked}
    return Bank(course, _quiz(kernel, course_id), questions, stats)


def get_question(kernel: Kernel, actor: Actor, course_id: str, question_id: str) -> Question:
    _authoring(kernel, actor, course_id)
    try:
        question = kernel.store.get(Question, question_id)
    except NotFoundError:
        raise QuestionNotFound(question_id) from None
    if question.course_id != course_id:
        raise QuestionNotFound(question_id)
    return question


def _keep(key: str, free: set[str]) -> str:
    """The option's saved key if it is still free, else a new one (a forged or repeated key
    from the form never makes two options share a key)."""
    if key in free:
        free.discard(key)
        return key
    return secrets.token_hex(4)


def _options(data: QuestionInput, old: Sequence[QuestionOption]) -> list[QuestionOption]:
    """Validated options; an edited option keeps its key, so the bank's ids stay stable."""
    kind = data.kind
    if kind == QuestionKind.SHORT:
        return []
    if kind == QuestionKind.TRUE_FALSE:
        if data.true_answer is None:
            raise LearningError(_("Say whether the statement is true or false."))
        keys = [o.key for o in old] if len(old) == 2 else [secrets.token_hex(4) for _i in "tf"]
        return [
            QuestionOption(key=keys[0], text_en="True", text_ur="درست", correct=data.true_answer),
            QuestionOption(
                key=keys[1], text_en="False", text_ur="غلط", correct=not data.true_answer
            ),
        ]
    given = [o for o in data.options if (o.text_en or "").strip() or (o.text_ur or "").strip()]
    if len(given) < 2:
        raise LearningError(_("Give at least two answers to choose from."))
    if len(given) > MAX_OPTIONS:
        raise LearningError(_("Give at most %(n)d answers to choose from.", n=MAX_OPTIONS))
    free_keys = {o.key for o in old}  # each saved key may be kept once, by one option
    options = []
    for option in given:
        answer_long = _("An answer is too long (%(n)d characters at most).", n=MAX_OPTION)
        feedback_long = _("Feedback is too long (%(n)d characters at most).", n=MAX_FEEDBACK)
        text = _clean(option.text_en, MAX_OPTION, answer_long, _("Write every answer in English."))
        options.append(
            QuestionOption(
                key=_keep(option.key, free_keys),
                text_en=text,
                text_ur=_clean(option.text_ur, MAX_OPTION, answer_long),
                correct=bool(option.correct),
                feedback_en=_clean(option.feedback_en, MAX_FEEDBACK, feedback_long),
                feedback_ur=_clean(option.feedback_ur, MAX_FEEDBACK, feedback_long),
            )
        )
    if len({o.text_en.casefold() for o in options}) < len(options):
        raise LearningError(_("Two answers have the same text."))
    correct = sum(o.correct for o in options)
    if not correct:
        raise LearningError(_("Mark the correct answer."))
    if kind == QuestionKind.SINGLE and correct > 1:
        raise LearningError(
            _(
                "A single-choice question has one correct answer; you marked %(n)d. "
                "Make it a multiple-choice question or mark only one.",
                n=correct,
            )
        )
    return options


def _fill(question: Question, data: QuestionInput) -> None:
    """Validate ``data`` into ``question``; raises LearningError before changing anything."""
    if data.kind not in QuestionKind._value2member_map_:
        raise LearningError(_("Choose the kind of question."))
    question_long = _("The question is too long (%(n)d characters at most).", n=MAX_QUESTION)
    text_en = _clean(data.text_en, MAX_QUESTION, question_long, _("Write the question in English."))
    text_ur = _clean(data.text_ur, MAX_QUESTION, question_long)
    if not isinstance(data.points, int) or not 1 <= data.points <= MAX_POINTS:
        raise LearningError(_("Points must be a whole number from 1 to %(n)d.", n=MAX_POINTS))
    rubric_en = rubric_ur = ""
    if data.kind == QuestionKind.SHORT:
        rubric_long = _("The rubric is too long (%(n)d characters at most).", n=MAX_RUBRIC)
        rubric_en = _clean(
            data.rubric_en,
            MAX_RUBRIC,
            rubric_long,
            _("Write the rubric the trainer grades against."),
        )
        rubric_ur = _clean(data.rubric_ur, MAX_RUBRIC, rubric_long)
    feedback_long = _("Feedback is too long (%(n)d characters at most).", n=MAX_FEEDBACK)
    feedback_en = _clean(data.feedback_en, MAX_FEEDBACK, feedback_long)
    feedback_ur = _clean(data.feedback_ur, MAX_FEEDBACK, feedback_long)
    old = list(question.options) if question.kind == data.kind else []
    options = _options(data, old)
    question.kind, question.text_en, question.text_ur = data.kind, text_en, text_ur
    question.options, question.points = options, data.points
    question.rubric_en, question.rubric_ur = rubric_en, rubric_ur
    question.feedback_en, question.feedback_ur = feedback_en, feedback_ur


def add_question(kernel: Kernel, actor: Actor, course_id: str, data: QuestionInput) -> Question:
    course = _authoring(kernel, actor, course_id)
    now = utc_naive_now()
    question = Question(course_id=course.id, created_by=actor.user_id, created_at=now)
    _fill(question, data)
    question.updated_by, question.updated_at = actor.user_id, now
    with kernel.store.transaction():
        if _quiz(kernel, course.id) is None:
            kernel.store.insert(Quiz(course_id=course.id, updated_by=actor.user_id, updated_at=now))
        kernel.store.insert(question)
        _event(
            kernel,
            "learning.quiz.question_added",
            actor,
            "question",
            question.id,
            course_id=course.id,
            kind=question.kind,
        )
    return question


def edit_question(
    kernel: Kernel,
    actor: Actor,
    course_id: str,
    question_id: str,
    *,
    version: int,
    data: QuestionInput,
) -> Question:
    """Replace a question; refused (StaleWriteError) if someone saved it since ``version``."""
    question = get_question(kernel, actor, course_id, question_id)
    _fill(question, data)
    question.version = version
    question.updated_by, question.updated_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(question)
        _event(
            kernel,
            "learning.quiz.question_edited",
            actor,
            "question",
            question.id,
            course_id=course_id,
            kind=question.kind,
        )
    return question


def delete_question(
    kernel: Kernel, actor: Actor, course_id: str, question_id: str, *, version: int
) -> None:
    """Remove a question from the bank; attempts keep their own copy of it."""
    question = get_question(kernel, actor, course_id, question_id)
    question.version = version
    with kernel.store.transaction():
        kernel.store.delete(question)
        quiz = _quiz(kernel, course_id)
        size = _bank_size(kernel, course_id)
        if quiz is not None and quiz.draw_count and quiz.draw_count > size:
            # Fewer questions than the draw: draw what is left rather than break attempts.
            quiz.draw_count = size or None
            kernel.store.replace(quiz)
        _event(
            kernel,
            "learning.quiz.question_deleted",
            actor,
            "question",
            question.id,
            course_id=course_id,
        )


def save_settings(
    kernel: Kernel, actor: Actor, course_id: str, *, version: int, data: SettingsInput
) -> Quiz:
    """Set the draw, passing score, attempt limit and time limit (StaleWriteError if stale)."""
    course = _authoring(kernel, actor, course_id)
    size = _bank_size(kernel, course.id)
    if data.draw_count is not None:
        if data.draw_count < 1:
            raise LearningError(_("Draw at least one question per attempt."))
        if data.draw_count > size:
            raise LearningError(
                _(
                    "You cannot draw %(n)d questions per attempt: the bank has %(size)d.",
                    n=data.draw_count,
                    size=size,
                )
            )
    if data.pass_percent > 100:
        raise LearningError(_("The passing score is above the total: give a percent up to 100."))
    if data.pass_percent < 0:
        raise LearningError(_("The passing score cannot be below zero."))
    if data.attempt_limit is not None and not 1 <= data.attempt_limit <= MAX_ATTEMPT_LIMIT:
        raise LearningError(
            _(
                "Allow from 1 to %(n)d attempts, or leave it empty for no limit.",
                n=MAX_ATTEMPT_LIMIT,
            )
        )
    if data.time_limit_minutes is not None and not 1 <= data.time_limit_minutes <= MAX_TIME_LIMIT:
        raise LearningError(
            _(
                "The time limit is from 1 to %(n)d minutes, or empty for no limit.",
                n=MAX_TIME_LIMIT,
            )
        )
    now = utc_naive_now()
    with kernel.store.transaction():
        quiz = _quiz(kernel, course.id)
        if quiz is None:
            quiz = Quiz(course_id=course.id)
            _apply(quiz, data, actor, now)
            kernel.store.insert(quiz)
        else:
            _apply(quiz, data, actor, now)
            quiz.version = version
            kernel.store.replace(quiz)
        _event(
            kernel,
            "learning.quiz.settings_changed",
            actor,
            "course",
            course.id,
            course_id=course.id,
            draw_count=quiz.draw_count,
            pass_percent=quiz.pass_percent,
            attempt_limit=quiz.attempt_limit,
            time_limit_minutes=quiz.time_limit_minutes,
        )
    return quiz


def _apply(quiz: Quiz, data: SettingsInput, actor: Actor, now: dt.datetime) -> None:
    quiz.draw_count, quiz.pass_percent = data.draw_count, data.pass_percent
    quiz.attempt_limit, quiz.time_limit_minutes = data.attempt_limit, data.time_limit_minutes
    quiz.updated_by, quiz.updated_at = actor.user_id, now


# -- taking --------------------------------------------------------------------------


def _enrolment(kernel: Kernel, course_id: str, user_id: str) -> Enrolment | None:
    return kernel.store.find_one(
        Enrolment, {"course_id": course_id, "user_id": user_id, "withdrawn": {"$ne": True}}
    )


def _learning(kernel: Kernel, actor: Actor, course_id: str) -> tuple[Course, Enrolment]:
    """The course and the actor's enrolment, or why not.

    A course the learner may not see (a draft, another district's) is not found; one they
    may see but have not joined says so.
    """
    if not can_learn(actor):
        raise PermissionDenied(_("Quizzes are taken by learners."))
    course = _course(kernel, course_id)
    if course.status == CourseStatus.DRAFT:
        raise CourseNotFound(course_id)
    enrolment = _enrolment(kernel, course.id, actor.user_id)
    if enrolment is None:
        release = newest_release(kernel, course.id)
        audience = release.audience if release else course.audience
        if not audience_admits(audience, learner_of(kernel, actor)):
            raise CourseNotFound(course_id)
        raise LearningError(_("Enrol in the course first."))
    return course, enrolment


def _settings(kernel: Kernel, course_id: str) -> Quiz:
    quiz = _quiz(kernel, course_id)
    if quiz is None or not _bank_size(kernel, course_id):
        raise LearningError(_("This course has no quiz."))
    return quiz


def _past_due(enrolment: Enrolment) -> str | None:
    if enrolment.due_on is not None and pakistan_today() > enrolment.due_on:
        return _(
            "This course was due on %(date)s; the quiz is closed. Ask your trainer for more time.",
            date=enrolment.due_on.isoformat(),
        )
    return None


def _attempts(kernel: Kernel, course_id: str, user_id: str) -> list[Attempt]:
    return kernel.store.find(
        Attempt, {"course_id": course_id, "user_id": user_id}, sort=[("number", 1)]
    )


def _expired(attempt: Attempt, now: dt.datetime) -> bool:
    return (
        attempt.status == AttemptStatus.IN_PROGRESS
        and attempt.deadline_at is not None
        and now > attempt.deadline_at + GRACE
    )


def _limit_reached(quiz: Quiz, used: int) -> str | None:
    if quiz.attempt_limit is not None and used >= quiz.attempt_limit:
        return _(
            "You have used all %(n)d attempts at this quiz.",
            n=quiz.attempt_limit,
        )
    return None


def _draw(
    questions: Sequence[Question], count: int | None, rng: random.Random
) -> list[AttemptQuestion]:
    drawn = rng.sample(list(questions), min(count or len(questions), len(questions)))
    sheet = []
    for q in drawn:
        options = [QuestionOption(**o.to_mongo().to_dict()) for o in q.options]
        if q.kind != QuestionKind.TRUE_FALSE:  # "True" before "False" reads best
            rng.shuffle(options)
        sheet.append(
            AttemptQuestion(
                question_id=q.id,
                kind=q.kind,
                text_en=q.text_en,
                text_ur=q.text_ur,
                options=options,
                rubric_en=q.rubric_en,
                rubric_ur=q.rubric_ur,
                feedback_en=q.feedback_en,
                feedback_ur=q.feedback_ur,
                points=q.points,
            )
        )
    return sheet


def _close_expired(kernel: Kernel, actor: Actor, attempt: Attempt) -> None:
    """An attempt whose time ran out unsubmitted counts as an attempt scoring 0."""
    attempt.status = AttemptStatus.EXPIRED
    attempt.score, attempt.passed = 0.0, False
    attempt.graded_at = utc_naive_now()
    for q in attempt.questions:
        q.awarded = 0.0
    kernel.store.replace(attempt)
    _attempted(kernel, actor, attempt)
    _record(kernel, actor, attempt)


def start_attempt(
    kernel: Kernel, actor: Actor, course_id: str, *, rng: random.Random | None = None
) -> Attempt:
    """A new attempt with a fresh draw, or the learner's open one (a reload is not a retry)."""
    course, enrolment = _learning(kernel, actor, course_id)
    quiz = _settings(kernel, course.id)
    overdue = _past_due(enrolment)
    if overdue:
        raise LearningError(overdue)
    now = utc_naive_now()
    with kernel.store.transaction():
        attempts = _attempts(kernel, course.id, actor.user_id)
        for attempt in attempts:
            if attempt.status == AttemptStatus.IN_PROGRESS:
                if not _expired(attempt, now):
                    return attempt
                _close_expired(kernel, actor, attempt)
        # Lapsed attempts are closed (committed) even when no new one may start.
        refused = _limit_reached(quiz, len(attempts))
        if refused is None:
            attempt = _new_attempt(kernel, actor, quiz, len(attempts) + 1, now, rng)
    if refused is not None:
        raise LearningError(refused)
    return attempt


def _new_attempt(
    kernel: Kernel,
    actor: Actor,
    quiz: Quiz,
    number: int,
    now: dt.datetime,
    rng: random.Random | None,
) -> Attempt:
    bank = kernel.store.find(Question, {"course_id": quiz.course_id}, sort=[("_id", 1)])
    attempt = Attempt(
        course_id=quiz.course_id,
        user_id=actor.user_id,
        district=actor.district,
        number=number,
        questions=_draw(bank, quiz.draw_count, rng or random.SystemRandom()),
        pass_percent=quiz.pass_percent,
        started_at=now,
        deadline_at=(
            now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        ),
    )
    try:
        kernel.store.insert(attempt)
    except DuplicateKeyError:
        raise LearningError(
            _("Another attempt was started at the same moment. Reload the page.")
        ) from None
    _event(
        kernel,
        "learning.quiz.started",
        actor,
        "course",
        quiz.course_id,
        course_id=quiz.course_id,
        user_id=actor.user_id,
        attempt_id=attempt.id,
        questions=len(attempt.questions),
    )
    return attempt


def _own_attempt(kernel: Kernel, actor: Actor, course_id: str, attempt_id: str) -> Attempt:
    try:
        attempt = kernel.store.get(Attempt, attempt_id)
    except NotFoundError:
        raise AttemptNotFound(attempt_id) from None
    if attempt.user_id != actor.user_id:  # someone else's results: hidden, and recorded
        kernel.emit(
            DomainEvent(
                "learning.attempt.access_denied",
                actor,
                "attempt",
                attempt.id,
                {"course_id": attempt.course_id},
                changes_state=False,
            )
        )
        raise AttemptNotFound(attempt_id)
    if attempt.course_id != course_id:
        raise AttemptNotFound(attempt_id)
    return attempt


def get_attempt(kernel: Kernel, actor: Actor, course_id: str, attempt_id: str) -> Attempt:
    """A finished attempt for its result page: the learner's own, or any for an author."""
    if can_author(actor):
        _course(kernel, course_id)
        try:
            attempt = kernel.store.get(Attempt, attempt_id)
        except NotFoundError:
            raise AttemptNotFound(attempt_id) from None
        if attempt.course_id != course_id:
            raise AttemptNotFound(attempt_id)
        return attempt
    return _own_attempt(kernel, actor, course_id, attempt_id)


def attempt_sheet(kernel: Kernel, actor: Actor, course_id: str, attempt_id: str) -> Sheet | None:
    """The learner's open attempt as a page may show it; None once it is finished."""
    attempt = _own_attempt(kernel, actor, course_id, attempt_id)  # others': not found
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return None
    course = _course(kernel, course_id)
    questions = [
        SheetQuestion(
            question_id=q.question_id,
            kind=q.kind,
            text_en=q.text_en,
            text_ur=q.text_ur or "",
            points=q.points,
            options=[SheetOption(o.key, o.text_en, o.text_ur or "") for o in q.options],
        )
        for q in attempt.questions
    ]
    left = None
    if attempt.deadline_at is not None:
        left = max(int((attempt.deadline_at - utc_naive_now()).total_seconds()), 0)
    return Sheet(attempt.id, course, attempt.number, attempt.deadline_at, questions, left)


def _tampered() -> LearningError:
    return LearningError(
        _(
            "The answers sent do not match this attempt, so nothing was saved. "
            "Reload the quiz page and answer again."
        )
    )


def _read_answers(
    attempt: Attempt, answers: Mapping[str, Sequence[str]]
) -> dict[str, tuple[list[str], str]]:
    """Check every answer against the attempt's own questions and options."""
    drawn = {q.question_id: q for q in attempt.questions}
    read: dict[str, tuple[list[str], str]] = {}
    for question_id, values in answers.items():
        question = drawn.get(question_id)
        if question is None:
            raise _tampered()
        values = [v for v in values if v != ""]
        if question.kind == QuestionKind.SHORT:
            if len(values) > 1:
                raise _tampered()
            text = values[0].strip() if values else ""
            if len(text) > MAX_ANSWER:
                raise LearningError(
                    _("An answer is too long (%(n)d characters at most).", n=MAX_ANSWER)
                )
            read[question_id] = ([], text)
            continue
        keys = {o.key for o in question.options}
        if any(v not in keys for v in values) or len(set(values)) < len(values):
            raise _tampered()
        if question.kind != QuestionKind.MULTIPLE and len(values) > 1:
            raise _tampered()
        read[question_id] = (list(values), "")
    return read


def submit_attempt(
    kernel: Kernel,
    actor: Actor,
    course_id: str,
    attempt_id: str,
    answers: Mapping[str, Sequence[str]],
) -> Attempt:
    """Grade what can be graded now; ``answers`` maps question id -> chosen option keys (or
    the written answer). Unanswered questions earn nothing. Counts once, however often sent."""
    course, enrolment = _learning(kernel, actor, course_id)
    now = utc_naive_now()
    with kernel.store.transaction():
        attempt = _own_attempt(kernel, actor, course_id, attempt_id)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise LearningError(_("This attempt was already submitted; it counts once."))
        if _expired(attempt, now):
            raise LearningError(
                _(
                    "The time for this attempt ran out, so these answers were not accepted. "
                    "Start a new attempt if you have one left."
                )
            )
        quiz = _quiz(kernel, course.id)
        limit = quiz.attempt_limit if quiz is not None else None
        if limit is not None and attempt.number > limit:
            raise LearningError(_("You have used all %(n)d attempts at this quiz.", n=limit))
        overdue = _past_due(enrolment)
        if overdue:
            raise LearningError(overdue)
        read = _read_answers(attempt, answers)
        for q in attempt.questions:
            q.chosen, q.answer_text = read.get(q.question_id, ([], ""))
            q.awarded = grading.auto_grade(q)
        attempt.submitted_at = now
        if any(q.awarded is None for q in attempt.questions):
            attempt.status = AttemptStatus.AWAITING_GRADING
        else:
            _finish(attempt, now)
        try:
            kernel.store.replace(attempt)
        except StaleWriteError:
            raise LearningError(_("This attempt was already submitted; it counts once.")) from None
        _attempted(kernel, actor, attempt)
        if attempt.status == AttemptStatus.GRADED:
            _record(kernel, actor, attempt)
    return attempt


def _finish(attempt: Attempt, now: dt.datetime) -> None:
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.score = grading.score_percent(attempt.questions)
    attempt.passed = grading.passes(attempt.questions, attempt.pass_percent)


def _attempted(kernel: Kernel, actor: Actor, attempt: Attempt) -> None:
    _event(
        kernel,
        "learning.quiz.attempted",
        actor,
        "course",
        attempt.course_id,
        course_id=attempt.course_id,
        user_id=attempt.user_id,
        attempt_id=attempt.id,
        status=attempt.status,
        score=attempt.score,
    )


def _record(kernel: Kernel, actor: Actor, attempt: Attempt) -> None:
    """A graded attempt on the enrolment: the best score; the first pass, announced once."""
    enrolment = kernel.store.find_one(
        Enrolment, {"course_id": attempt.course_id, "user_id": attempt.user_id}
    )
    if enrolment is None or attempt.score is None:
        return
    first_pass = bool(attempt.passed) and enrolment.quiz_passed_at is None
    better = enrolment.best_score is None or attempt.score > enrolment.best_score
    if not (first_pass or better):
        return
    if better:
        enrolment.best_score = attempt.score
    if first_pass:
        enrolment.quiz_passed_at = attempt.graded_at
    kernel.store.replace(enrolment)
    if first_pass:
        _event(
            kernel,
            "learning.quiz.passed",
            actor,
            "course",
            attempt.course_id,
            course_id=attempt.course_id,
            user_id=attempt.user_id,
            attempt_id=attempt.id,
            score=attempt.score,
        )


def my_attempts(kernel: Kernel, actor: Actor, course_id: str) -> list[Attempt]:
    course, _enrol = _learning(kernel, actor, course_id)
    return _attempts(kernel, course.id, actor.user_id)


def quiz_summary(kernel: Kernel, actor: Actor, course_id: str) -> QuizSummary:
    """The quiz as the course page shows it to ``actor``: an author's tools, or a learner's
    standing. CourseNotFound (or PermissionDenied) for someone the course is not for."""
    course = _course(kernel, course_id)
    quiz = _quiz(kernel, course.id)
    size = _bank_size(kernel, course.id)
    has_quiz = quiz is not None and size > 0
    base = {
        "course_id": course.id,
        "has_quiz": has_quiz,
        "course_title_en": course.title_en,
        "course_title_ur": course.title_ur or "",
        "questions_per_attempt": min(quiz.draw_count or size, size) if quiz else 0,
        "pass_percent": quiz.pass_percent if quiz else DEFAULT_PASS_PERCENT,
        "time_limit_minutes": quiz.time_limit_minutes if quiz else None,
    }
    if can_author(actor):
        waiting = kernel.store.count(
            Attempt, {"course_id": course.id, "status": AttemptStatus.AWAITING_GRADING}
        )
        return QuizSummary(**base, can_edit=True, awaiting_grading=waiting)
    try:
        _found, enrolment = _learning(kernel, actor, course.id)
    except LearningError as exc:  # may see the course, has not joined it
        return QuizSummary(**base, blocked=str(exc) if has_quiz else None)
    if not has_quiz or quiz is None:
        return QuizSummary(**base)
    attempts = _attempts(kernel, course.id, actor.user_id)
    now = utc_naive_now()
    open_attempt = next(
        (a for a in attempts if a.status == AttemptStatus.IN_PROGRESS and not _expired(a, now)),
        None,
    )
    used = len(attempts)
    left = None if quiz.attempt_limit is None else max(quiz.attempt_limit - used, 0)
    blocked = _past_due(enrolment) or (None if open_attempt else _limit_reached(quiz, used))
    return QuizSummary(
        **base,
        attempts_used=used,
        attempts_left=left,
        best_score=enrolment.best_score,
        passed=enrolment.quiz_passed_at is not None,
        can_take=blocked is None,
        blocked=blocked,
        open_attempt_id=open_attempt.id if open_attempt else None,
        attempts=attempts,
    )


@dataclass(frozen=True)
class Result:
    """A finished (or lapsed) attempt and its course, for the result page."""

    course: Course
    attempt: Attempt


def open_attempt(kernel: Kernel, actor: Actor, course_id: str, attempt_id: str) -> Sheet | Result:
    """The learner's sheet while the attempt is open; its result (also for authors) after."""
    if not can_author(actor):
        sheet = attempt_sheet(kernel, actor, course_id, attempt_id)
        if sheet is not None:
            return sheet
    attempt = get_attempt(kernel, actor, course_id, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS and _expired(attempt, utc_naive_now()):
        attempt.status = AttemptStatus.EXPIRED  # shown as lapsed; closed on the next start
    return Result(_course(kernel, course_id), attempt)


# -- grading -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    attempt: Attempt
    course: Course | None
    learner_name: str
    written: int  # written answers to grade


def grading_queue(kernel: Kernel, actor: Actor, course_id: str | None = None) -> list[QueueItem]:
    """Attempts waiting for a trainer to grade their written answers, oldest first."""
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers grade quizzes."))
    flt: dict[str, object] = {"status": AttemptStatus.AWAITING_GRADING}
    if course_id:
        flt["course_id"] = course_id
    attempts = kernel.store.find(Attempt, flt, sort=[("submitted_at", 1)])
    courses = {
        c.id: c
        for c in kernel.store.find(Course, {"_id": {"$in": [a.course_id for a in attempts]}})
    }
    users = {
        u.id: u for u in kernel.store.find(User, {"_id": {"$in": [a.user_id for a in attempts]}})
    }
    return [
        QueueItem(
            attempt=a,
            course=courses.get(a.course_id),
            learner_name=users[a.user_id].full_name if a.user_id in users else a.user_id,
            written=sum(q.kind == QuestionKind.SHORT for q in a.questions),
        )
        for a in attempts
    ]


def attempt_for_grading(kernel: Kernel, actor: Actor, course_id: str, attempt_id: str) -> QueueItem:
    """One attempt of the queue with everything the grading page shows."""
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers grade quizzes."))
    attempt = get_attempt(kernel, actor, course_id, attempt_id)
    course = _course(kernel, course_id)
    user = kernel.store.find_one(User, {"_id": attempt.user_id})
    return QueueItem(
        attempt=attempt,
        course=course,
        learner_name=user.full_name if user else attempt.user_id,
        written=sum(q.kind == QuestionKind.SHORT for q in attempt.questions),
    )


def grade_attempt(
    kernel: Kernel,
    actor: Actor,
    course_id: str,
    attempt_id: str,
    *,
    version: int,
    grades: Mapping[str, Grade],
) -> Attempt:
    """Grade every written answer of an attempt at once; then score it and record a pass."""
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers grade quizzes."))
    attempt = get_attempt(kernel, actor, course_id, attempt_id)
    if attempt.status != AttemptStatus.AWAITING_GRADING:
        raise LearningError(_("This attempt is not waiting to be graded."))
    short = {q.question_id: q for q in attempt.questions if q.kind == QuestionKind.SHORT}
    if set(grades) - set(short):
        raise _tampered()
    missing = set(short) - set(grades)
    if missing:
        raise LearningError(_("Give points for every written answer."))
    for question_id, grade in grades.items():
        q = short[question_id]
        if not 0 <= grade.points <= q.points:
            raise LearningError(
                _(
                    "Points for an answer are from 0 to %(n)d (what the question is worth).",
                    n=q.points,
                )
            )
        _clean(
            grade.comment,
            MAX_FEEDBACK,
            _("The comment is too long (%(n)d characters at most).", n=MAX_FEEDBACK),
        )
    now = utc_naive_now()
    for question_id, grade in grades.items():
        short[question_id].awarded = float(grade.points)
        short[question_id].comment = grade.comment.strip()
    attempt.graded_by = actor.user_id
    _finish(attempt, now)
    attempt.version = version
    with kernel.store.transaction():
        kernel.store.replace(attempt)
        _event(
            kernel,
            "learning.quiz.graded",
            actor,
            "course",
            attempt.course_id,
            course_id=attempt.course_id,
            user_id=attempt.user_id,
            attempt_id=attempt.id,
            score=attempt.score,
        )
        _record(kernel, actor, attempt)
    return attempt
