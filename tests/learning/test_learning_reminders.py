"""Reminders of assigned courses: due within three days, then overdue; each once."""

from __future__ import annotations

import datetime as dt

import pytest

from learning.enrolment import Group, assign_course, self_enrol, withdraw
from learning.models import Enrolment
from learning.reminders import send_learning_reminders
from mizan.accounts.models import User
from mizan.notifications import Notification, render
from tests.learning.enrol_steps import (
    days,
    lesson_ids,
    person,
    publish_course,
    read_lesson,
    seed_people,
)

TODAY = dt.date(2025, 3, 3)


@pytest.fixture
def world(kernel, frozen_clock):
    return seed_people(kernel)


def _reminders(kernel) -> list[Notification]:
    return kernel.store.find(
        Notification, {"kind": "deadline"}, sort=[("created_at", 1), ("_id", 1)]
    )


def _assign(kernel, course, due: dt.date) -> None:
    assign_course(kernel, person(kernel, "trainer"), course.id, Group("district", "HYD"), due)


def test_due_soon_then_overdue_each_sent_once(world, frozen_clock) -> None:
    course = publish_course(world)
    _assign(world, course, TODAY + days(5))
    assert send_learning_reminders(world) == 0  # five days away: not yet
    frozen_clock.advance(days(2))  # due in three days
    assert send_learning_reminders(world) == 1
    assert send_learning_reminders(world) == 0  # idempotent
    [soon] = _reminders(world)
    assert render(soon) == (
        "The course “Anti-Terrorism Act for ATC prosecutors” assigned to you is due on 08.03.2025."
    )
    assert soon.link == f"/learning/enrolment/{course.id}"
    frozen_clock.advance(days(3))  # the due day itself: still "due", nothing new
    assert send_learning_reminders(world) == 0
    frozen_clock.advance(days(1))  # the day after: overdue, once
    assert send_learning_reminders(world) == 1
    frozen_clock.advance(days(5))
    assert send_learning_reminders(world) == 0
    assert "was due on 08.03.2025" in render(_reminders(world)[-1])


def test_completed_withdrawn_and_self_enrolments_get_no_reminder(world, frozen_clock) -> None:
    course = publish_course(world, lessons=1)
    _assign(world, course, TODAY + days(1))
    hyd = person(world, "pp.hyd")
    read_lesson(world, hyd, course, lesson_ids(world, course)[0])  # completes it
    other = publish_course(world, "Second")
    _assign(world, other, TODAY + days(1))
    enrolment = world.store.find_one(Enrolment, {"course_id": other.id})
    withdraw(world, person(world, "trainer"), enrolment.id, version=enrolment.version)
    third = publish_course(world, "Third")
    self_enrol(world, person(world, "pp.rahim"), third.id)
    assert send_learning_reminders(world) == 0


def test_a_new_due_date_is_announced_again(world, frozen_clock) -> None:
    course = publish_course(world)
    _assign(world, course, TODAY + days(1))
    assert send_learning_reminders(world) == 1
    enrolment = world.store.find_one(Enrolment, {"course_id": course.id})
    enrolment.due_on = TODAY + days(2)
    world.store.replace(enrolment)
    assert send_learning_reminders(world) == 1


def test_reminders_use_the_urdu_title_for_an_urdu_reader(world, frozen_clock) -> None:
    course = publish_course(world, title_ur="انسداد دہشت گردی ایکٹ")
    reader = world.store.find_one(User, {"username": "pp.hyd"})
    reader.language = "ur"
    world.store.replace(reader)
    _assign(world, course, TODAY)
    send_learning_reminders(world)
    assert _reminders(world)[0].params["course"] == "انسداد دہشت گردی ایکٹ"


def test_the_remind_command_sends_course_reminders(world, frozen_clock) -> None:
    from click.testing import CliRunner

    from casefiles.cli import remind

    course = publish_course(world)
    _assign(world, course, TODAY)
    env = {
        "MIZAN_DATA_DIR": str(world.settings.data_dir),
        "MIZAN_BROKER": world.settings.broker_url,
        "MIZAN_WARM_MODEL": "false",
    }
    result = CliRunner().invoke(remind, [], env=env)
    assert result.exit_code == 0, result.output
    assert "1 about courses" in result.output
    again = CliRunner().invoke(remind, [], env=env)
    assert "0 about courses" in again.output


def test_a_self_enrolment_given_a_due_date_by_an_assignment_is_reminded(
    world, frozen_clock
) -> None:
    course = publish_course(world)
    self_enrol(world, person(world, "pp.hyd"), course.id)
    _assign(world, course, TODAY + days(1))
    assert send_learning_reminders(world) == 1
