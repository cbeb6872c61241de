"""Completion: every lesson of the newest release read and the quiz (if any) passed, once."""

from __future__ import annotations

import sys
import threading
import types

import pytest

import learning.completion as completion
from learning.completion import check_completion
from learning.enrolment import self_enrol
from learning.models import Enrolment, ReleasedLesson
from mizan.audit import AuditEntry
from mizan.events import DomainEvent
from tests.learning.enrol_steps import (
    add_release,
    lesson_ids,
    mark_read_quietly,
    pass_quiz,
    person,
    publish_course,
    read_lesson,
    seed_people,
)


@pytest.fixture
def world(kernel):
    return seed_people(kernel)


@pytest.fixture
def with_quiz(monkeypatch):
    """The quiz feature's ``course_has_quiz`` (written in parallel), saying "yes"."""
    module = types.ModuleType("learning.quizzes")
    module.course_has_quiz = lambda kernel, course_id: True  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "learning.quizzes", module)


def _completed(kernel) -> list[AuditEntry]:
    return kernel.store.find(AuditEntry, {"action": "learning.course.completed"})


def _enrolment(kernel, course, learner) -> Enrolment:
    return kernel.store.find_one(Enrolment, {"course_id": course.id, "user_id": learner.user_id})


def test_reading_every_lesson_completes_a_course_without_a_quiz(world) -> None:
    course = publish_course(world, lessons=2)
    rahim = person(world, "pp.rahim")
    enrolment = self_enrol(world, rahim, course.id)
    first, second = lesson_ids(world, course)
    read_lesson(world, rahim, course, first)
    assert _enrolment(world, course, rahim).completed_at is None
    read_lesson(world, rahim, course, second)
    done = _enrolment(world, course, rahim)
    assert done.completed_at is not None
    [entry] = _completed(world)
    assert entry.data == {
        "course_id": course.id,
        "user_id": rahim.user_id,
        "enrolment_id": enrolment.id,
    }
    # Reading again does not complete it twice.
    read_lesson(world, rahim, course, second)
    assert len(_completed(world)) == 1
    assert _enrolment(world, course, rahim).completed_at == done.completed_at


def test_a_course_with_a_quiz_waits_for_the_pass(world, with_quiz) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    read_lesson(world, rahim, course, lesson_ids(world, course)[0])
    assert _enrolment(world, course, rahim).completed_at is None
    pass_quiz(world, rahim, course)
    assert _enrolment(world, course, rahim).completed_at is not None
    assert len(_completed(world)) == 1


def test_passing_the_quiz_first_then_reading_completes(world, with_quiz) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    pass_quiz(world, rahim, course)
    assert _enrolment(world, course, rahim).completed_at is None
    read_lesson(world, rahim, course, lesson_ids(world, course)[0])
    assert _enrolment(world, course, rahim).completed_at is not None


def test_without_the_quiz_module_a_course_has_no_quiz(world, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "learning.quizzes", None)  # import fails
    assert completion.course_has_quiz(world, "any") is False


def test_only_the_newest_release_counts(world) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    old = lesson_ids(world, course)[0]
    add_release(
        world,
        course,
        [
            ReleasedLesson(lesson_id=old, module_key="m1", title_en="Lesson 1"),
            ReleasedLesson(lesson_id="new-lesson", module_key="m1", title_en="Lesson 2"),
        ],
    )
    read_lesson(world, rahim, course, old)
    assert _enrolment(world, course, rahim).completed_at is None
    read_lesson(world, rahim, course, "new-lesson")
    assert _enrolment(world, course, rahim).completed_at is not None


def test_someone_elses_reading_does_not_complete_mine(world) -> None:
    course = publish_course(world, lessons=1)
    rahim, sana = person(world, "pp.rahim"), person(world, "pp.sana")
    self_enrol(world, rahim, course.id)
    self_enrol(world, sana, course.id)
    read_lesson(world, sana, course, lesson_ids(world, course)[0])
    assert _enrolment(world, course, rahim).completed_at is None
    assert _enrolment(world, course, sana).completed_at is not None


def test_reading_without_an_enrolment_completes_nothing(world) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    read_lesson(world, rahim, course, lesson_ids(world, course)[0])
    assert _completed(world) == []
    # Enrolling afterwards finds the course already read: completed at once.
    assert self_enrol(world, rahim, course.id)
    assert _enrolment(world, course, rahim).completed_at is not None


def test_a_writer_that_loses_the_race_does_not_complete_twice(world, monkeypatch) -> None:
    """The other event completes the enrolment between our read and our write."""
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    read_lesson_quietly = lesson_ids(world, course)[0]
    mark_read_quietly(world, rahim, course, read_lesson_quietly)
    real_is_done = completion.is_done
    raced = []

    def is_done_while_another_completes(kernel, enrolment):
        if not raced:
            raced.append(True)
            assert check_completion(kernel, rahim, course.id, rahim.user_id)  # the other event
        return real_is_done(kernel, enrolment)

    monkeypatch.setattr(completion, "is_done", is_done_while_another_completes)
    assert check_completion(world, rahim, course.id, rahim.user_id) is False
    assert len(_completed(world)) == 1


def test_two_concurrent_events_complete_once(world) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    mark_read_quietly(world, rahim, course, lesson_ids(world, course)[0])
    start = threading.Barrier(2)
    results: list[bool] = []

    def event() -> None:
        start.wait()
        results.append(check_completion(world, rahim, course.id, rahim.user_id))

    threads = [threading.Thread(target=event) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(_completed(world)) == 1


def test_a_withdrawn_enrolment_is_not_completed(world) -> None:
    from learning.enrolment import withdraw

    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    enrolment = self_enrol(world, rahim, course.id)
    withdraw(world, rahim, enrolment.id, version=enrolment.version)
    read_lesson(world, rahim, course, lesson_ids(world, course)[0])
    assert _completed(world) == []


def test_a_lesson_event_without_the_course_id_is_understood(world) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    lesson = lesson_ids(world, course)[0]
    mark_read_quietly(world, rahim, course, lesson)
    world.emit(DomainEvent("learning.lesson.read", rahim, "lesson", lesson, {}))
    assert _enrolment(world, course, rahim).completed_at is not None


def test_other_learning_events_are_ignored(world) -> None:
    course = publish_course(world, lessons=1)
    rahim = person(world, "pp.rahim")
    self_enrol(world, rahim, course.id)
    mark_read_quietly(world, rahim, course, lesson_ids(world, course)[0])
    world.emit(
        DomainEvent("learning.lesson.opened", rahim, "lesson", "x", {"course_id": course.id})
    )
    assert _enrolment(world, course, rahim).completed_at is None
