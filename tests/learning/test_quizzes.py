"""Quizzes on the real store: the bank's rules, the draw, grading, limits and tampering."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from learning.errors import CourseNotFound, LearningError
from learning.models import Audience, Course, CourseStatus, Enrolment
from learning.quiz_models import Attempt, AttemptStatus, Question, Quiz
from learning.quizzes import (
    AttemptNotFound,
    Grade,
    OptionInput,
    QuestionInput,
    SettingsInput,
    add_question,
    attempt_sheet,
    course_has_quiz,
    delete_question,
    edit_question,
    grade_attempt,
    grading_queue,
    quiz_summary,
    save_settings,
    start_attempt,
    submit_attempt,
)
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.notifications import Notification, render
from mizan.storage import StaleWriteError

TRAINER = Actor("t1", "trainer", frozenset({"trainer"}))
SANA = Actor("u-sana", "pp.sana", frozenset({"prosecutor"}), "KHI-S")
RAHIM = Actor("u-rahim", "pp.rahim", frozenset({"prosecutor"}), "KHI-S")
HYD = Actor("u-hyd", "pp.hyd", frozenset({"prosecutor"}), "HYD")


def _course(kernel, districts=("KHI-S",), status=CourseStatus.PUBLISHED) -> Course:
    course = Course(
        title_en="The Anti-Terrorism Act for ATC prosecutors",
        status=status,
        audience=Audience(districts=list(districts)),
        created_by=TRAINER.user_id,
        created_at=utc_naive_now(),
        release=1,
    )
    return kernel.store.insert(course)


def _enrol(kernel, course: Course, who: Actor, due_on: dt.date | None = None) -> Enrolment:
    return kernel.store.insert(
        Enrolment(
            course_id=course.id,
            user_id=who.user_id,
            district=who.district,
            enrolled_at=utc_naive_now(),
            due_on=due_on,
        )
    )


def _single(text: str = "Which section of the ATA defines terrorism?", points: int = 1):
    return QuestionInput(
        kind="single",
        text_en=text,
        text_ur="دہشت گردی کی تعریف کس دفعہ میں ہے؟",
        options=[
            OptionInput("Section 6", correct=True, feedback_en="Yes: s. 6 defines it."),
            OptionInput("Section 7"),
            OptionInput("Section 21-E"),
        ],
        feedback_en="Section 6 defines terrorism; s. 7 punishes it.",
        points=points,
    )


def _multiple():
    return QuestionInput(
        kind="multiple",
        text_en="Which of these are scheduled offences?",
        options=[
            OptionInput("Kidnapping for ransom (365-A PPC)", correct=True),
            OptionInput("Extortion with threats (s. 6(2)(k) ATA)", correct=True),
            OptionInput("Theft of a bicycle"),
        ],
        points=2,
    )


def _short():
    return QuestionInput(
        kind="short",
        text_en="Explain when a confession before police is admissible under s. 21-H ATA.",
        rubric_en="Mentions an officer not below DSP; recorded in the prescribed manner.",
        points=4,
    )


def _correct_keys(attempt: Attempt, question_id: str) -> list[str]:
    q = next(q for q in attempt.questions if q.question_id == question_id)
    return [o.key for o in q.options if o.correct]


def _wrong_key(attempt: Attempt, question_id: str) -> str:
    q = next(q for q in attempt.questions if q.question_id == question_id)
    return next(o.key for o in q.options if not o.correct)


def _all_right(attempt: Attempt) -> dict[str, list[str]]:
    return {q.question_id: _correct_keys(attempt, q.question_id) for q in attempt.questions}


@pytest.fixture
def events(kernel):
    seen: list = []
    kernel.events.subscribe(seen.append, "learning.quiz.")
    return seen


def _actions(events) -> list[str]:
    return [e.action for e in events]


# -- the bank ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            QuestionInput(
                kind="single", text_en="Q?", options=[OptionInput("a"), OptionInput("b")]
            ),
            "Mark the correct answer.",
        ),
        (
            QuestionInput(
                kind="multiple", text_en="Q?", options=[OptionInput("a"), OptionInput("b")]
            ),
            "Mark the correct answer.",
        ),
        (
            QuestionInput(
                kind="single",
                text_en="Q?",
                options=[OptionInput("a", correct=True), OptionInput("b", correct=True)],
            ),
            "A single-choice question has one correct answer; you marked 2.",
        ),
        (
            QuestionInput(
                kind="single",
                text_en="Q?",
                options=[OptionInput("a", correct=True), OptionInput("  ")],
            ),
            "Give at least two answers to choose from.",
        ),
        (QuestionInput(kind="single", text_en="   ", options=_single().options), "Write the"),
        (
            QuestionInput(kind="single", text_en="x" * 2001, options=_single().options),
            "too long (2000 characters at most)",
        ),
        (
            QuestionInput(
                kind="single",
                text_en="Q?",
                options=[OptionInput("a" * 501, correct=True), OptionInput("b")],
            ),
            "too long (500 characters at most)",
        ),
        (
            QuestionInput(
                kind="single",
                text_en="Q?",
                options=[OptionInput("Same", correct=True), OptionInput("same")],
            ),
            "Two answers have the same text.",
        ),
        (QuestionInput(kind="short", text_en="Explain."), "Write the rubric"),
        (QuestionInput(kind="true_false", text_en="S. 7 ATA is bailable."), "true or false"),
        (QuestionInput(kind="essay", text_en="Q?"), "Choose the kind of question."),
        (
            QuestionInput(kind="single", text_en="Q?", options=_single().options, points=0),
            "Points must be a whole number from 1 to 100.",
        ),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(kernel, data, message) -> None:
    course = _course(kernel)
    with pytest.raises(LearningError, match=message.replace("(", r"\(").replace(")", r"\)")):
        add_question(kernel, TRAINER, course.id, data)
    assert kernel.store.count(Question) == 0
    assert kernel.store.count(Quiz) == 0
    assert not course_has_quiz(kernel, course.id)


def test_only_authors_keep_the_bank(kernel) -> None:
    course = _course(kernel)
    with pytest.raises(PermissionDenied):
        add_question(kernel, SANA, course.id, _single())
    with pytest.raises(PermissionDenied):
        grading_queue(kernel, SANA)
    assert kernel.store.count(Question) == 0


def test_course_has_quiz_follows_the_bank(kernel) -> None:
    course = _course(kernel)
    assert not course_has_quiz(kernel, course.id)
    q = add_question(kernel, TRAINER, course.id, _single())
    assert course_has_quiz(kernel, course.id)
    delete_question(kernel, TRAINER, course.id, q.id, version=q.version)
    assert not course_has_quiz(kernel, course.id)


def test_true_false_gets_two_fixed_options(kernel) -> None:
    course = _course(kernel)
    q = add_question(
        kernel,
        TRAINER,
        course.id,
        QuestionInput(
            kind="true_false", text_en="S. 7 ATA offences are bailable.", true_answer=False
        ),
    )
    assert [(o.text_en, o.correct) for o in q.options] == [("True", False), ("False", True)]


def test_a_stale_edit_is_refused(kernel) -> None:
    course = _course(kernel)
    q = add_question(kernel, TRAINER, course.id, _single())
    edit_question(kernel, TRAINER, course.id, q.id, version=q.version, data=_single("Edited?"))
    with pytest.raises(StaleWriteError):
        edit_question(kernel, TRAINER, course.id, q.id, version=1, data=_single("Mine?"))
    assert kernel.store.get(Question, q.id).text_en == "Edited?"


def test_editing_keeps_option_keys(kernel) -> None:
    course = _course(kernel)
    q = add_question(kernel, TRAINER, course.id, _single())
    keyed = [OptionInput(o.text_en, correct=o.correct, key=o.key) for o in q.options]
    data = QuestionInput(kind="single", text_en="Reworded?", options=keyed)
    edited = edit_question(kernel, TRAINER, course.id, q.id, version=q.version, data=data)
    assert [o.key for o in edited.options] == [o.key for o in q.options]


def test_settings_rules(kernel) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    add_question(kernel, TRAINER, course.id, _multiple())
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    bad = [
        (SettingsInput(pass_percent=101), "The passing score is above the total"),
        (SettingsInput(pass_percent=-1), "below zero"),
        (SettingsInput(draw_count=3), "You cannot draw 3 questions per attempt: the bank has 2."),
        (SettingsInput(draw_count=0), "Draw at least one question"),
        (SettingsInput(attempt_limit=0), "Allow from 1 to 50 attempts"),
        (SettingsInput(time_limit_minutes=0), "The time limit is from 1 to 600 minutes"),
    ]
    for data, message in bad:
        with pytest.raises(LearningError, match=message):
            save_settings(kernel, TRAINER, course.id, version=quiz.version, data=data)
    assert kernel.store.get(Quiz, quiz.id).version == quiz.version
    good = SettingsInput(draw_count=2, pass_percent=80, attempt_limit=3, time_limit_minutes=15)
    saved = save_settings(kernel, TRAINER, course.id, version=quiz.version, data=good)
    assert (saved.draw_count, saved.pass_percent, saved.attempt_limit) == (2, 80, 3)
    with pytest.raises(StaleWriteError):
        save_settings(kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput())


# -- who may take it -----------------------------------------------------------------


def test_a_learner_must_enrol_first(kernel) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    with pytest.raises(LearningError, match=r"Enrol in the course first\."):
        start_attempt(kernel, SANA, course.id)
    assert quiz_summary(kernel, SANA, course.id).blocked == "Enrol in the course first."
    assert kernel.store.count(Attempt) == 0


def test_another_district_and_drafts_are_not_found(kernel) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    with pytest.raises(CourseNotFound):
        start_attempt(kernel, HYD, course.id)
    draft = _course(kernel, status=CourseStatus.DRAFT)
    add_question(kernel, TRAINER, draft.id, _single())
    _enrol(kernel, draft, SANA)
    with pytest.raises(CourseNotFound):
        start_attempt(kernel, SANA, draft.id)
    with pytest.raises(PermissionDenied):
        start_attempt(kernel, TRAINER, course.id)
    assert kernel.store.count(Attempt) == 0


def test_someone_elses_attempt_is_not_found(kernel) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    _enrol(kernel, course, SANA)
    _enrol(kernel, course, RAHIM)
    attempt = start_attempt(kernel, SANA, course.id)
    with pytest.raises(AttemptNotFound):
        attempt_sheet(kernel, RAHIM, course.id, attempt.id)
    with pytest.raises(AttemptNotFound):
        submit_attempt(kernel, RAHIM, course.id, attempt.id, {})
    assert kernel.store.get(Attempt, attempt.id).status == AttemptStatus.IN_PROGRESS


# -- the draw ------------------------------------------------------------------------


def test_the_draw_is_random_shuffled_stored_and_stable(kernel) -> None:
    course = _course(kernel)
    bank = [add_question(kernel, TRAINER, course.id, _single(f"Question {n}?")) for n in range(6)]
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(draw_count=4)
    )
    _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id, rng=random.Random(1))
    drawn = [q.question_id for q in attempt.questions]
    assert len(drawn) == 4 and len(set(drawn)) == 4
    assert set(drawn) <= {q.id for q in bank}
    by_id = {q.id: q for q in bank}
    for q in attempt.questions:
        assert sorted(o.key for o in q.options) == sorted(
            o.key for o in by_id[q.question_id].options
        )
    # A reload (or a second "start") is the same attempt with the same sheet.
    again = start_attempt(kernel, SANA, course.id, rng=random.Random(2))
    assert again.id == attempt.id
    assert [q.question_id for q in again.questions] == drawn
    sheet = attempt_sheet(kernel, SANA, course.id, attempt.id)
    assert [q.question_id for q in sheet.questions] == drawn
    assert all(not hasattr(o, "correct") for q in sheet.questions for o in q.options)
    # Different draws for different seeds: the order or the choice changes.
    orders = set()
    for seed in range(8):
        kernel.store.delete(kernel.store.get(Attempt, attempt.id))
        attempt = start_attempt(kernel, SANA, course.id, rng=random.Random(seed))
        orders.add(tuple(q.question_id for q in attempt.questions))
        orders.add(tuple(o.key for o in attempt.questions[0].options))
    assert len(orders) > 2


# -- submitting and grading ----------------------------------------------------------


def test_passing_sets_the_enrolment_and_emits_once(kernel, events) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    add_question(kernel, TRAINER, course.id, _multiple())
    enrolment = _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    done = submit_attempt(kernel, SANA, course.id, attempt.id, _all_right(attempt))
    assert done.status == AttemptStatus.GRADED and done.score == 100.0 and done.passed
    saved = kernel.store.get(Enrolment, enrolment.id)
    assert saved.best_score == 100.0 and saved.quiz_passed_at is not None
    with pytest.raises(LearningError, match="already submitted"):
        submit_attempt(kernel, SANA, course.id, attempt.id, _all_right(attempt))
    assert _actions(events).count("learning.quiz.attempted") == 1
    passed = [e for e in events if e.action == "learning.quiz.passed"]
    assert len(passed) == 1
    assert passed[0].data == {
        "course_id": course.id,
        "user_id": SANA.user_id,
        "attempt_id": attempt.id,
        "score": 100.0,
    }


def test_failing_keeps_the_best_score_and_emits_no_pass(kernel, events) -> None:
    course = _course(kernel)
    single = add_question(kernel, TRAINER, course.id, _single())
    add_question(kernel, TRAINER, course.id, _multiple())  # 2 points of 3
    enrolment = _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    answers = {single.id: _correct_keys(attempt, single.id)}  # the multiple left blank
    done = submit_attempt(kernel, SANA, course.id, attempt.id, answers)
    assert done.score == 33.3 and not done.passed
    saved = kernel.store.get(Enrolment, enrolment.id)
    assert saved.best_score == 33.3 and saved.quiz_passed_at is None
    assert "learning.quiz.passed" not in _actions(events)
    second = start_attempt(kernel, SANA, course.id)
    assert second.number == 2
    submit_attempt(kernel, SANA, course.id, second.id, {})
    assert kernel.store.get(Enrolment, enrolment.id).best_score == 33.3


def test_multiple_choice_is_all_or_nothing(kernel) -> None:
    course = _course(kernel)
    q = add_question(kernel, TRAINER, course.id, _multiple())
    _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    every = [o.key for o in attempt.questions[0].options]
    done = submit_attempt(kernel, SANA, course.id, attempt.id, {q.id: every})
    assert done.score == 0.0 and not done.passed


def test_passing_score_boundary_is_unrounded(kernel) -> None:
    course = _course(kernel)
    qs = [add_question(kernel, TRAINER, course.id, _single(f"Q{n}?")) for n in range(3)]
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(pass_percent=67)
    )
    _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    answers = {q.id: _correct_keys(attempt, q.id) for q in qs[:2]}
    done = submit_attempt(kernel, SANA, course.id, attempt.id, answers)
    assert done.score == 66.7 and not done.passed  # 66.67% is below 67%


@pytest.mark.parametrize(
    "tamper",
    ["unknown question", "not in attempt", "unknown option", "other question's option", "two"],
)
def test_tampered_forms_change_nothing(kernel, events, tamper) -> None:
    course = _course(kernel)
    first = add_question(kernel, TRAINER, course.id, _single("First?"))
    second = add_question(kernel, TRAINER, course.id, _single("Second?"))
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(draw_count=1)
    )
    _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    drawn = attempt.questions[0].question_id
    other = second.id if drawn == first.id else first.id
    right = _correct_keys(attempt, drawn)
    forms = {
        "unknown question": {drawn: right, "nope": right},
        "not in attempt": {drawn: right, other: right},
        "unknown option": {drawn: ["deadbeef"]},
        "other question's option": {drawn: [kernel.store.get(Question, other).options[0].key]},
        "two": {drawn: [*right, _wrong_key(attempt, drawn)]},
    }
    with pytest.raises(LearningError, match="do not match this attempt"):
        submit_attempt(kernel, SANA, course.id, attempt.id, forms[tamper])
    saved = kernel.store.get(Attempt, attempt.id)
    assert saved.status == AttemptStatus.IN_PROGRESS and saved.version == attempt.version
    assert "learning.quiz.attempted" not in _actions(events)
    # The honest form still goes through afterwards.
    assert submit_attempt(kernel, SANA, course.id, attempt.id, {drawn: right}).passed


def test_the_time_limit_has_a_grace_of_thirty_seconds(kernel, frozen_clock) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(time_limit_minutes=10)
    )
    _enrol(kernel, course, SANA)
    on_time = start_attempt(kernel, SANA, course.id)
    assert attempt_sheet(kernel, SANA, course.id, on_time.id).seconds_left == 600
    frozen_clock.advance(dt.timedelta(minutes=10, seconds=29))
    assert attempt_sheet(kernel, SANA, course.id, on_time.id).seconds_left == 0
    assert submit_attempt(kernel, SANA, course.id, on_time.id, _all_right(on_time)).passed

    late = start_attempt(kernel, SANA, course.id)
    frozen_clock.advance(dt.timedelta(minutes=10, seconds=31))
    with pytest.raises(LearningError, match="time for this attempt ran out"):
        submit_attempt(kernel, SANA, course.id, late.id, _all_right(late))
    assert kernel.store.get(Attempt, late.id).status == AttemptStatus.IN_PROGRESS
    # Starting again closes the lapsed attempt as a zero and draws a new one.
    third = start_attempt(kernel, SANA, course.id)
    assert third.number == 3
    lapsed = kernel.store.get(Attempt, late.id)
    assert lapsed.status == AttemptStatus.EXPIRED and lapsed.score == 0.0


def test_the_attempt_limit(kernel) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    quiz = save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(attempt_limit=2)
    )
    _enrol(kernel, course, SANA)
    for _n in range(2):
        attempt = start_attempt(kernel, SANA, course.id)
        submit_attempt(kernel, SANA, course.id, attempt.id, {})
    assert quiz_summary(kernel, SANA, course.id).attempts_left == 0
    with pytest.raises(LearningError, match="You have used all 2 attempts"):
        start_attempt(kernel, SANA, course.id)
    assert kernel.store.count(Attempt) == 2
    # Lowering the limit after an attempt started: that attempt can no longer be sent.
    quiz = save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(attempt_limit=3)
    )
    third = start_attempt(kernel, SANA, course.id)
    save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(attempt_limit=2)
    )
    with pytest.raises(LearningError, match="You have used all 2 attempts"):
        submit_attempt(kernel, SANA, course.id, third.id, _all_right(third))
    assert kernel.store.get(Attempt, third.id).status == AttemptStatus.IN_PROGRESS


def test_the_due_date_closes_the_quiz(kernel, frozen_clock) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    # frozen_clock: Monday 3 March 2025 in Pakistan.
    _enrol(kernel, course, SANA, due_on=dt.date(2025, 3, 3))
    attempt = start_attempt(kernel, SANA, course.id)
    frozen_clock.advance(dt.timedelta(days=1))
    with pytest.raises(LearningError, match="due on 2025-03-03"):
        submit_attempt(kernel, SANA, course.id, attempt.id, _all_right(attempt))
    with pytest.raises(LearningError, match="due on 2025-03-03"):
        start_attempt(kernel, SANA, course.id)
    assert kernel.store.get(Attempt, attempt.id).status == AttemptStatus.IN_PROGRESS
    assert not quiz_summary(kernel, SANA, course.id).can_take


def test_short_answers_wait_for_the_trainer(kernel, events) -> None:
    course = _course(kernel)
    single = add_question(kernel, TRAINER, course.id, _single())
    short = add_question(kernel, TRAINER, course.id, _short())  # 4 of 5 points
    enrolment = _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    answers = {single.id: _correct_keys(attempt, single.id), short.id: ["Before a DSP."]}
    done = submit_attempt(kernel, SANA, course.id, attempt.id, answers)
    assert done.status == AttemptStatus.AWAITING_GRADING and done.score is None
    assert kernel.store.get(Enrolment, enrolment.id).best_score is None
    assert [i.attempt.id for i in grading_queue(kernel, TRAINER)] == [attempt.id]

    with pytest.raises(LearningError, match="from 0 to 4"):
        grade_attempt(
            kernel,
            TRAINER,
            course.id,
            attempt.id,
            version=done.version,
            grades={short.id: Grade(5)},
        )
    with pytest.raises(LearningError, match="every written answer"):
        grade_attempt(kernel, TRAINER, course.id, attempt.id, version=done.version, grades={})
    with pytest.raises(LearningError, match="do not match"):
        grade_attempt(
            kernel,
            TRAINER,
            course.id,
            attempt.id,
            version=done.version,
            grades={single.id: Grade(1)},
        )
    with pytest.raises(PermissionDenied):
        grade_attempt(
            kernel, SANA, course.id, attempt.id, version=done.version, grades={short.id: Grade(4)}
        )
    assert kernel.store.get(Attempt, attempt.id).status == AttemptStatus.AWAITING_GRADING

    graded = grade_attempt(
        kernel,
        TRAINER,
        course.id,
        attempt.id,
        version=done.version,
        grades={short.id: Grade(3, "Name the rank: DSP.")},
    )
    assert graded.status == AttemptStatus.GRADED and graded.score == 80.0 and graded.passed
    # The learner hears of it on the bell, with a link to the result.
    notes = kernel.store.find(Notification, {"user_id": SANA.user_id})
    assert [render(n) for n in notes] == [
        "Your quiz answers in The Anti-Terrorism Act for ATC prosecutors were graded: 80%."
    ]
    assert notes[0].link == f"/learning/courses/{course.id}/quiz/attempts/{attempt.id}"
    assert kernel.store.get(Enrolment, enrolment.id).best_score == 80.0
    assert grading_queue(kernel, TRAINER) == []
    assert _actions(events).count("learning.quiz.passed") == 1
    # A second trainer grading from the same page: refused, the first grade stands.
    with pytest.raises(LearningError, match="not waiting to be graded"):
        grade_attempt(
            kernel,
            TRAINER,
            course.id,
            attempt.id,
            version=done.version,
            grades={short.id: Grade(0)},
        )
    assert kernel.store.get(Attempt, attempt.id).score == 80.0


def test_a_later_pass_raises_the_best_score_without_a_second_event(kernel, events) -> None:
    course = _course(kernel)
    qs = [add_question(kernel, TRAINER, course.id, _single(f"Q{n}?")) for n in range(2)]
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    save_settings(
        kernel, TRAINER, course.id, version=quiz.version, data=SettingsInput(pass_percent=50)
    )
    enrolment = _enrol(kernel, course, SANA)
    first = start_attempt(kernel, SANA, course.id)
    submit_attempt(kernel, SANA, course.id, first.id, {qs[0].id: _correct_keys(first, qs[0].id)})
    passed_at = kernel.store.get(Enrolment, enrolment.id).quiz_passed_at
    second = start_attempt(kernel, SANA, course.id)
    submit_attempt(kernel, SANA, course.id, second.id, _all_right(second))
    saved = kernel.store.get(Enrolment, enrolment.id)
    assert saved.best_score == 100.0 and saved.quiz_passed_at == passed_at
    assert _actions(events).count("learning.quiz.passed") == 1
    assert _actions(events).count("learning.quiz.attempted") == 2


def test_two_simultaneous_submits_count_once(kernel, events) -> None:
    """Two requests sending the same attempt at the same moment: one grades, one is refused."""
    import threading

    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    enrolment = _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    answers = _all_right(attempt)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        barrier.wait()
        try:
            submit_attempt(kernel, SANA, course.id, attempt.id, answers)
        except LearningError as exc:
            outcomes.append(str(exc))
        else:
            outcomes.append("graded")

    threads = [threading.Thread(target=send) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["This attempt was already submitted; it counts once.", "graded"]
    assert _actions(events).count("learning.quiz.attempted") == 1
    assert _actions(events).count("learning.quiz.passed") == 1
    assert kernel.store.get(Enrolment, enrolment.id).best_score == 100.0


def test_results_export_for_trainers(kernel, events) -> None:
    import io

    from openpyxl import load_workbook

    from learning.quiz_export import results_workbook
    from mizan.accounts.models import User

    kernel.store.insert(
        User(
            id=SANA.user_id,
            username="pp.sana",
            full_name='=HYPERLINK("http://evil")',
            password_hash="x",
            roles=["prosecutor"],
            district="KHI-S",
        )
    )
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    submit_attempt(kernel, SANA, course.id, attempt.id, _all_right(attempt))
    with pytest.raises(PermissionDenied):
        results_workbook(kernel, SANA, course.id)
    with pytest.raises(CourseNotFound):
        results_workbook(kernel, TRAINER, "nope")
    sheet = load_workbook(io.BytesIO(results_workbook(kernel, TRAINER, course.id))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Learner" and len(rows) == 2
    name, username, district, number, status, _started, _sent, score, passed = rows[1]
    assert name == '\'=HYPERLINK("http://evil")'  # text, not a formula
    assert (username, district, number, status, score, passed) == (
        "pp.sana",
        "KHI-S",
        1,
        "Graded",
        100.0,
        "Yes",
    )
    assert "learning.quiz.results_exported" in _actions(events)


def test_the_demo_quiz_obeys_the_bank_rules_and_seeds_once(kernel) -> None:
    from app.demo_quiz import seed_demo_quiz

    course = _course(kernel)
    assert seed_demo_quiz(kernel, course.id, TRAINER) == 10
    assert seed_demo_quiz(kernel, course.id, TRAINER) == 0
    assert kernel.store.count(Question, {"course_id": course.id}) == 10
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    assert (quiz.pass_percent, quiz.attempt_limit) == (60, 3)
    assert {q.kind for q in kernel.store.find(Question)} == {
        "single",
        "multiple",
        "true_false",
        "short",
    }


def test_a_repeated_option_key_from_the_form_gets_a_new_key(kernel) -> None:
    course = _course(kernel)
    q = add_question(kernel, TRAINER, course.id, _single())
    same = q.options[0].key
    data = QuestionInput(
        kind="single",
        text_en="Reworded?",
        options=[OptionInput("a", correct=True, key=same), OptionInput("b", key=same)],
    )
    edited = edit_question(kernel, TRAINER, course.id, q.id, version=q.version, data=data)
    keys = [o.key for o in edited.options]
    assert keys[0] == same and len(set(keys)) == 2


def test_a_lapsed_last_attempt_is_closed_even_when_no_new_one_may_start(
    kernel, frozen_clock, events
) -> None:
    course = _course(kernel)
    add_question(kernel, TRAINER, course.id, _single())
    quiz = kernel.store.find_one(Quiz, {"course_id": course.id})
    settings = SettingsInput(time_limit_minutes=5, attempt_limit=1)
    save_settings(kernel, TRAINER, course.id, version=quiz.version, data=settings)
    enrolment = _enrol(kernel, course, SANA)
    attempt = start_attempt(kernel, SANA, course.id)
    frozen_clock.advance(dt.timedelta(minutes=6))
    with pytest.raises(LearningError, match="You have used all 1 attempts"):
        start_attempt(kernel, SANA, course.id)
    lapsed = kernel.store.get(Attempt, attempt.id)
    assert lapsed.status == AttemptStatus.EXPIRED and lapsed.score == 0.0
    assert kernel.store.get(Enrolment, enrolment.id).best_score == 0.0
    assert _actions(events).count("learning.quiz.attempted") == 1
    assert kernel.store.count(Attempt) == 1


def test_the_bank_shows_how_each_question_fared(kernel) -> None:
    from learning.quizzes import quiz_bank

    course = _course(kernel)
    first = add_question(kernel, TRAINER, course.id, _single("First?"))
    second = add_question(kernel, TRAINER, course.id, _single("Second?"))
    for who in (SANA, RAHIM):
        _enrol(kernel, course, who)
        attempt = start_attempt(kernel, who, course.id)
        answers = {first.id: _correct_keys(attempt, first.id)}
        if who is SANA:
            answers[second.id] = _correct_keys(attempt, second.id)
        submit_attempt(kernel, who, course.id, attempt.id, answers)
    stats = quiz_bank(kernel, TRAINER, course.id).stats
    assert (stats[first.id].asked, stats[first.id].right) == (2, 2)
    assert (stats[second.id].asked, stats[second.id].right, stats[second.id].percent_right) == (
        2,
        1,
        50,
    )
