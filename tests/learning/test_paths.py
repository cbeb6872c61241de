"""Learning paths: trainers write an ordered list of published courses; learners see the
courses their audience admits, with where they stand in each."""

from __future__ import annotations

import pytest

from learning.errors import LearningError
from learning.models import Audience, CourseStatus, LearningPath
from learning.paths import (
    COMPLETED,
    ENROLLED,
    NOT_STARTED,
    PathFields,
    PathNotFound,
    course_choices,
    create_path,
    list_paths,
    path_page,
    update_path,
)
from mizan.accounts.service import PermissionDenied
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.learning.cert_steps import TRAINER, actor_of, enrol, publish_course


@pytest.fixture
def courses(demo):
    """Three published courses: for everyone, for Hyderabad only, for Karachi South only."""
    return (
        publish_course(demo, "Evidence basics"),
        publish_course(demo, "Hyderabad court practice", audience=Audience(districts=["HYD"])),
        publish_course(demo, "Karachi South practice", audience=Audience(districts=["KHI-S"])),
    )


def _fields(*course_ids: str, title: str = "Newly posted prosecutor") -> PathFields:
    return PathFields(title_en=title, title_ur="نئے تعینات پراسیکیوٹر", course_ids=course_ids)


def test_trainer_creates_a_path_in_order(demo, courses) -> None:
    a, b, c = courses
    path = create_path(demo, TRAINER, _fields(c.id, a.id, b.id))
    stored = demo.store.get(LearningPath, path.id)
    assert stored.course_ids == [c.id, a.id, b.id]
    assert stored.title_ur == "نئے تعینات پراسیکیوٹر"
    entry = demo.store.find_one(AuditEntry, {"action": "learning.path.created"})
    assert entry is not None and entry.subject_id == path.id


@pytest.mark.parametrize(
    ("title", "ids", "message"),
    [
        ("  ", "a", "Give the path a title"),
        ("x" * 201, "a", "too long"),
        ("Path", "", "at least one course"),
        ("Path", "unknown", "does not exist or is not published"),
        ("Path", "draft", "does not exist or is not published"),
        ("Path", "a,a", "in the path twice"),
    ],
)
def test_bad_paths_are_refused_and_change_nothing(demo, courses, title, ids, message) -> None:
    draft = publish_course(demo, "Draft course", status=CourseStatus.DRAFT)
    by_name = {"a": courses[0].id, "draft": draft.id, "unknown": "no-such-course"}
    course_ids = tuple(by_name[n] for n in ids.split(",") if n)
    with pytest.raises(LearningError, match=message):
        create_path(demo, TRAINER, _fields(*course_ids, title=title))
    assert demo.store.count(LearningPath) == 0


def test_only_trainers_write_paths(demo, courses) -> None:
    with pytest.raises(PermissionDenied):
        create_path(demo, actor_of(demo, "dpp.south"), _fields(courses[0].id))
    with pytest.raises(PermissionDenied):
        course_choices(demo, actor_of(demo, "pp.sana"))


def test_editing_is_guarded_by_version(demo, courses) -> None:
    a, b, _c = courses
    path = create_path(demo, TRAINER, _fields(a.id))
    updated = update_path(
        demo, TRAINER, path.id, _fields(b.id, a.id, title="Renamed"), version=path.version
    )
    assert updated.course_ids == [b.id, a.id] and updated.title_en == "Renamed"
    with pytest.raises(StaleWriteError):
        update_path(demo, TRAINER, path.id, _fields(a.id), version=path.version)
    with pytest.raises(LearningError, match="twice"):
        update_path(demo, TRAINER, path.id, _fields(a.id, a.id), version=updated.version)
    stored = demo.store.get(LearningPath, path.id)
    assert stored.course_ids == [b.id, a.id] and stored.title_en == "Renamed"


def test_learners_see_only_courses_their_audience_admits(demo, courses) -> None:
    a, b, c = courses
    path = create_path(demo, TRAINER, _fields(a.id, b.id, c.id))
    sana = path_page(demo, actor_of(demo, "pp.sana"), path.id)  # Karachi South
    assert [pc.course_id for pc in sana.courses] == [a.id, c.id]
    imran = path_page(demo, actor_of(demo, "pp.hyd"), path.id)  # Hyderabad
    assert [pc.course_id for pc in imran.courses] == [a.id, b.id]
    trainer = path_page(demo, TRAINER, path.id)
    assert [pc.course_id for pc in trainer.courses] == [a.id, b.id, c.id]


def test_a_path_with_nothing_for_the_learner_is_hidden(demo, courses) -> None:
    _a, b, _c = courses
    path = create_path(demo, TRAINER, _fields(b.id, title="Hyderabad only"))
    sana = actor_of(demo, "pp.sana")
    assert list_paths(demo, sana) == []
    with pytest.raises(PathNotFound):
        path_page(demo, sana, path.id)
    assert [v.path.id for v in list_paths(demo, actor_of(demo, "pp.hyd"))] == [path.id]


def test_each_course_shows_the_learners_status(demo, courses, frozen_clock) -> None:
    a, _b, c = courses
    third = publish_course(demo, "Bail law")
    path = create_path(demo, TRAINER, _fields(a.id, c.id, third.id))
    enrol(demo, a, "pp.sana", completed=True)
    enrol(demo, c, "pp.sana")
    view = path_page(demo, actor_of(demo, "pp.sana"), path.id)
    assert [pc.status for pc in view.courses] == [COMPLETED, ENROLLED, NOT_STARTED]
    assert view.completed == 1
    rahim = path_page(demo, actor_of(demo, "pp.rahim"), path.id)
    assert [pc.status for pc in rahim.courses] == [NOT_STARTED] * 3


def test_an_archived_course_stays_for_those_enrolled(demo, courses) -> None:
    a, _b, c = courses
    path = create_path(demo, TRAINER, _fields(a.id, c.id))
    enrol(demo, c, "pp.sana")
    c.status = CourseStatus.ARCHIVED
    demo.store.replace(c)
    sana = path_page(demo, actor_of(demo, "pp.sana"), path.id)
    assert [(pc.course_id, pc.archived) for pc in sana.courses] == [(a.id, False), (c.id, True)]
    rahim = path_page(demo, actor_of(demo, "pp.rahim"), path.id)
    assert [pc.course_id for pc in rahim.courses] == [a.id]


def test_people_without_learning_see_no_paths(demo, courses) -> None:
    create_path(demo, TRAINER, _fields(courses[0].id))
    with pytest.raises(PermissionDenied):
        list_paths(demo, actor_of(demo, "admin"))


def test_an_unknown_path_is_not_found(demo) -> None:
    with pytest.raises(PathNotFound):
        path_page(demo, actor_of(demo, "pp.sana"), "no-such-path")
