"""Progress: the learner's own record, per course/group progress within scope, CSV, and the
count of completed training for the performance reports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from learning.enrolment import Group, assign_course, self_enrol
from learning.errors import CourseNotFound, LearningError
from learning.models import Enrolment
from learning.progress import group_progress, progress_csv, training_completed, training_record
from mizan.accounts.service import PermissionDenied
from tests.learning.enrol_steps import (
    days,
    lesson_ids,
    open_lesson,
    person,
    publish_course,
    read_lesson,
    seed_people,
    user,
)

TODAY = dt.date(2025, 3, 3)


@pytest.fixture
def world(kernel, frozen_clock):
    return seed_people(kernel)


@pytest.fixture
def training(world, frozen_clock):
    """An ATA course assigned in Karachi South (due in a week) and Hyderabad (due today)."""
    course = publish_course(world, lessons=2)
    assign_course(
        world, person(world, "trainer"), course.id, Group("district", "KHI-S"), TODAY + days(7)
    )
    assign_course(world, person(world, "trainer"), course.id, Group("district", "HYD"), TODAY)
    rahim, sana = person(world, "pp.rahim"), person(world, "pp.sana")
    first, second = lesson_ids(world, course)
    read_lesson(world, rahim, course, first, seconds=300)
    read_lesson(world, rahim, course, second, seconds=120)  # completed
    open_lesson(world, sana, course, first, seconds=90)  # started
    return course


def test_a_learners_record_shows_each_course_with_its_status(world, training, frozen_clock) -> None:
    extra = publish_course(world, "Evidence", lessons=3)
    sana = person(world, "pp.sana")
    self_enrol(world, sana, extra.id)
    rows = training_record(world, sana)
    assert [r.course_title_en for r in rows] == [
        "Anti-Terrorism Act for ATC prosecutors",
        "Evidence",
    ]
    ata, evidence = rows
    assert (ata.status, ata.lessons_read, ata.lessons_total, ata.seconds) == (
        "in_progress",
        0,
        2,
        90,
    )
    assert ata.enrolment.due_on == TODAY + days(7)
    assert (evidence.status, evidence.lessons_total) == ("not_started", 3)
    done = training_record(world, person(world, "pp.rahim"))
    assert [(r.status, r.lessons_read, r.seconds, r.percent) for r in done] == [
        ("completed", 2, 420, 100)
    ]
    frozen_clock.advance(days(8))
    assert training_record(world, sana)[0].status == "overdue"


def test_a_record_is_only_ones_own(world, training) -> None:
    assert training_record(world, person(world, "pp.hyd"))[0].status == "not_started"
    assert training_record(world, person(world, "clerk.south")) == []


def test_a_trainer_sees_the_province_and_completion_by_district(world, training) -> None:
    board = group_progress(world, person(world, "trainer"), course_id=training.id)
    assert (board.enrolled, board.started, board.completed, board.overdue) == (3, 2, 1, 0)
    assert [(d.code, d.enrolled, d.completed) for d in board.by_district] == [
        ("HYD", 1, 0),
        ("KHI-S", 2, 1),
    ]
    assert [r.learner_name for r in board.rows] == [
        "Abdul Rahim Soomro",
        "Imran Qureshi",
        "Sana Memon",
    ]


def test_a_dpp_sees_only_their_district_and_is_refused_another(world, training) -> None:
    dpp = person(world, "dpp.south")
    board = group_progress(world, dpp)
    assert board.enrolled == 2 and [d.code for d in board.by_district] == ["KHI-S"]
    assert [d.code for d in board.districts] == ["KHI-S"]
    with pytest.raises(PermissionDenied):
        group_progress(world, dpp, district="HYD")
    with pytest.raises(PermissionDenied):
        progress_csv(world, dpp, course_id=None, district="HYD")


def test_prosecutors_cannot_see_others_progress(world, training) -> None:
    for who in ("pp.rahim", "clerk.south", "admin"):
        with pytest.raises(PermissionDenied):
            group_progress(world, person(world, who))


def test_a_district_filter_and_bad_filters(world, training) -> None:
    board = group_progress(world, person(world, "pg.sindh"), district="hyd")
    assert board.district == "HYD" and board.enrolled == 1
    with pytest.raises(LearningError, match="no district"):
        group_progress(world, person(world, "pg.sindh"), district="ATLANTIS")
    with pytest.raises(CourseNotFound):
        group_progress(world, person(world, "pg.sindh"), course_id="nope")


def test_overdue_is_counted_after_the_due_day(world, training, frozen_clock) -> None:
    frozen_clock.advance(days(1))
    board = group_progress(world, person(world, "trainer"))
    assert board.overdue == 1
    assert [r.learner_name for r in board.rows if r.status == "overdue"] == ["Imran Qureshi"]


def test_sorting_and_pages(world, training) -> None:
    trainer = person(world, "trainer")
    by_progress = group_progress(world, trainer, sort="progress", descending=True)
    assert by_progress.rows[0].learner_name == "Abdul Rahim Soomro"
    by_district = group_progress(world, trainer, sort="district")
    assert [r.enrolment.district for r in by_district.rows] == ["HYD", "KHI-S", "KHI-S"]
    page2 = group_progress(world, trainer, per_page=2, page=2)
    assert page2.total == 3 and [r.learner_name for r in page2.rows] == ["Sana Memon"]
    assert group_progress(world, trainer, sort="'; drop").sort == "name"


def test_the_csv_has_every_row_and_defuses_formulas(world, training) -> None:
    sana = world.store.find_one(Enrolment, {"user_id": user(world, "pp.sana").id})
    someone = user(world, "pp.sana")
    someone.full_name = "=HYPERLINK(evil)"
    world.store.replace(someone)
    rows = list(
        csv.reader(
            io.StringIO(
                progress_csv(world, person(world, "trainer"), course_id=None, district=None)
            )
        )
    )
    assert rows[0][:4] == ["Learner", "District", "Course", "Status"]
    assert len(rows) == 4
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert (
        evil[0].startswith("'=") and evil[3] == "In progress" and evil[8] == sana.due_on.isoformat()
    )
    done = next(r for r in rows if r[0] == "Abdul Rahim Soomro")
    assert (done[3], done[4], done[5], done[9]) == ("Completed", "2", "2", "2025-03-03")


def test_training_completed_counts_per_user_within_the_dates(world, training, frozen_clock) -> None:
    rahim, sana, hyd = (user(world, u).id for u in ("pp.rahim", "pp.sana", "pp.hyd"))
    assert training_completed(world, [rahim, sana], TODAY, TODAY) == {rahim: 1, sana: 0}
    assert training_completed(world, [rahim], TODAY + days(1), TODAY + days(30)) == {rahim: 0}
    assert training_completed(world, [rahim], TODAY - days(30), TODAY - days(1)) == {rahim: 0}
    assert training_completed(world, [], TODAY, TODAY) == {}
    assert training_completed(world, [hyd], TODAY, TODAY - days(1)) == {hyd: 0}
    # A completion late in the Pakistan evening (after 19:00 UTC) counts on that Pakistan day.
    frozen_clock.set(dt.datetime(2025, 3, 4, 19, 30))  # 00:30 on 5 March in Pakistan
    other = publish_course(world, "Second", lessons=1)
    hyd_actor = person(world, "pp.hyd")
    self_enrol(world, hyd_actor, other.id)
    read_lesson(world, hyd_actor, other, lesson_ids(world, other)[0])
    assert training_completed(world, [hyd], TODAY + days(2), TODAY + days(2)) == {hyd: 1}
    assert training_completed(world, [hyd], TODAY + days(1), TODAY + days(1)) == {hyd: 0}


def test_the_atc_group_is_the_prosecutors_posted_to_an_atc(world, training) -> None:
    from casefiles.assignment import add_posting
    from mizan.actor import SYSTEM

    add_posting(world, SYSTEM, user(world, "pp.sana").id, "ATC-III Karachi", atc=True)
    board = group_progress(world, person(world, "trainer"), atc_only=True)
    assert [r.learner_name for r in board.rows] == ["Sana Memon"] and board.atc_only
    rows = list(
        csv.reader(
            io.StringIO(
                progress_csv(
                    world, person(world, "trainer"), course_id=None, district=None, atc_only=True
                )
            )
        )
    )
    assert [r[0] for r in rows[1:]] == ["Sana Memon"]


def test_sorting_by_score_puts_a_zero_above_no_attempt(world, training) -> None:
    sana = world.store.find_one(Enrolment, {"user_id": user(world, "pp.sana").id})
    sana.best_score = 0.0
    world.store.replace(sana)
    rows = group_progress(world, person(world, "trainer"), sort="score", descending=True).rows
    assert [r.learner_name for r in rows][:1] == ["Sana Memon"]
