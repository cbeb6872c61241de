"""Enrolment: self-enrolment and its refusals, assignment to groups within scope, withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.assignment import add_posting
from learning.enrolment import Group, assign_course, enrol_panel, self_enrol, withdraw
from learning.errors import CourseNotFound, LearningError
from learning.models import Audience, CourseStatus, Enrolment
from mizan.accounts.service import PermissionDenied
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.notifications import Notification
from mizan.storage import StaleWriteError
from tests.learning.enrol_steps import days, person, publish_course, seed_people, user

TODAY = dt.date(2025, 3, 3)  # the frozen clock's Pakistan day


@pytest.fixture
def world(kernel, frozen_clock):
    return seed_people(kernel)


def _enrolments(kernel, course) -> list[Enrolment]:
    return kernel.store.find(Enrolment, {"course_id": course.id})


# -- self-enrolment -------------------------------------------------------------------------


def test_learner_enrols_once_and_a_duplicate_changes_nothing(world) -> None:
    course = publish_course(world)
    rahim = person(world, "pp.rahim")
    enrolment = self_enrol(world, rahim, course.id)
    assert (enrolment.source, enrolment.district, enrolment.release_at_enrolment) == (
        "self",
        "KHI-S",
        1,
    )
    with pytest.raises(LearningError, match="already enrolled"):
        self_enrol(world, rahim, course.id)
    assert len(_enrolments(world, course)) == 1
    assert _enrolments(world, course)[0].version == enrolment.version
    actions = [e.action for e in world.store.find(AuditEntry, {"subject_id": enrolment.id})]
    assert actions == ["learning.enrolment.created"]


def test_a_course_closed_to_self_enrolment_is_refused(world) -> None:
    course = publish_course(world, self_enrol=False)
    with pytest.raises(LearningError, match="assigned by a trainer"):
        self_enrol(world, person(world, "pp.rahim"), course.id)
    assert _enrolments(world, course) == []


def test_drafts_are_not_found_and_archived_courses_take_nobody(world) -> None:
    draft = publish_course(world, status=CourseStatus.DRAFT)
    with pytest.raises(CourseNotFound):
        self_enrol(world, person(world, "pp.rahim"), draft.id)
    archived = publish_course(world, status=CourseStatus.ARCHIVED)
    with pytest.raises(LearningError, match="archived"):
        self_enrol(world, person(world, "pp.rahim"), archived.id)
    with pytest.raises(CourseNotFound):
        self_enrol(world, person(world, "pp.rahim"), "no-such-course")


def test_a_course_for_another_audience_is_not_found(world) -> None:
    course = publish_course(world, audience=Audience(districts=["HYD"]))
    with pytest.raises(CourseNotFound):
        self_enrol(world, person(world, "pp.rahim"), course.id)
    assert self_enrol(world, person(world, "pp.hyd"), course.id).district == "HYD"


def test_atc_only_courses_need_an_atc_posting(world) -> None:
    course = publish_course(world, audience=Audience(atc_only=True))
    rahim = person(world, "pp.rahim")
    with pytest.raises(CourseNotFound):
        self_enrol(world, rahim, course.id)
    add_posting(world, SYSTEM, rahim.user_id, "ATC-XII Karachi", atc=True)
    assert self_enrol(world, rahim, course.id)


def test_missing_prerequisites_are_named(world) -> None:
    basics = publish_course(world, "Basics of the ATA")
    evidence = publish_course(world, "Evidence in ATC trials")
    course = publish_course(world, "Advanced ATA", prerequisites=[basics.id, evidence.id])
    rahim = person(world, "pp.rahim")
    with pytest.raises(LearningError) as refused:
        self_enrol(world, rahim, course.id)
    assert "Basics of the ATA" in str(refused.value)
    assert "Evidence in ATC trials" in str(refused.value)
    assert _enrolments(world, course) == []
    for done in (basics, evidence):
        enrolment = self_enrol(world, rahim, done.id)
        enrolment.completed_at = dt.datetime(2025, 3, 1)
        world.store.replace(enrolment)
    assert self_enrol(world, rahim, course.id)


def test_a_trainer_cannot_enrol_as_a_learner(world) -> None:
    course = publish_course(world)
    with pytest.raises(PermissionDenied):
        self_enrol(world, person(world, "trainer"), course.id)


# -- assignment -----------------------------------------------------------------------------


def test_assigning_to_a_district_enrols_its_prosecutors_and_notifies_them(world) -> None:
    course = publish_course(world)
    summary = assign_course(
        world, person(world, "trainer"), course.id, Group("district", "KHI-S"), TODAY + days(14)
    )
    assert (summary.added, summary.already_enrolled, summary.outside_audience) == (2, 0, 0)
    got = {user(world, u).id for u in ("pp.rahim", "pp.sana")}
    enrolments = _enrolments(world, course)
    assert {e.user_id for e in enrolments} == got
    assert all(e.source == "assigned" and e.due_on == TODAY + days(14) for e in enrolments)
    notes = world.store.find(Notification, {"kind": "assignment"})
    assert len(notes) == 2
    assert all(
        n.kind == "assignment" and n.link == f"/learning/enrolment/{course.id}" for n in notes
    )
    assert notes[0].key == "%(by)s assigned you the course “%(course)s”, due on %(date)s."
    assert notes[0].params["date"] == "17.03.2025"
    assert notes[0].params["by"] == "Dr. Nadia Jatoi (Trainer)"
    audit = world.store.find(AuditEntry, {"action": "learning.course.assigned"})
    assert len(audit) == 1


def test_people_already_enrolled_keep_their_enrolment_and_gain_a_due_date(world) -> None:
    course = publish_course(world)
    own = self_enrol(world, person(world, "pp.rahim"), course.id)
    summary = assign_course(
        world, person(world, "dpp.south"), course.id, Group("district", "KHI-S"), TODAY
    )
    assert (summary.added, summary.already_enrolled, summary.due_date_set) == (1, 1, 1)
    # Both hear of the assignment: the newcomer and the one whose enrolment gained a due date.
    assert world.store.count(Notification, {"kind": "assignment"}) == 2
    kept = world.store.get(Enrolment, own.id)
    assert kept.source == "self" and kept.due_on == TODAY
    # Now it is an assignment for them too: only an assigner may withdraw it.
    with pytest.raises(PermissionDenied, match="assigned to you"):
        withdraw(world, person(world, "pp.rahim"), own.id, version=kept.version)
    again = assign_course(
        world, person(world, "dpp.south"), course.id, Group("district", "KHI-S"), TODAY + days(3)
    )
    assert (again.added, again.already_enrolled, again.due_date_set) == (0, 2, 0)
    assert world.store.count(Notification, {"kind": "assignment"}) == 2  # nothing new to say
    assert world.store.get(Enrolment, own.id).due_on == TODAY  # not moved by a later assignment
    assert len(_enrolments(world, course)) == 2


def test_people_outside_the_audience_are_counted_not_enrolled(world) -> None:
    course = publish_course(world, audience=Audience(atc_only=True))
    add_posting(world, SYSTEM, user(world, "pp.sana").id, "ATC-III Karachi", atc=True)
    chosen = tuple(user(world, u).id for u in ("pp.rahim", "pp.sana", "clerk.south"))
    summary = assign_course(
        world, person(world, "trainer"), course.id, Group("users", None, chosen), TODAY
    )
    assert (summary.added, summary.already_enrolled, summary.outside_audience) == (1, 0, 2)
    assert [e.user_id for e in _enrolments(world, course)] == [user(world, "pp.sana").id]


def test_an_atc_group_is_everyone_posted_to_an_atc(world) -> None:
    course = publish_course(world)
    add_posting(world, SYSTEM, user(world, "pp.sana").id, "ATC-III Karachi", atc=True)
    add_posting(world, SYSTEM, user(world, "pp.hyd").id, "ATC-I Hyderabad", atc=True)
    add_posting(world, SYSTEM, user(world, "pp.rahim").id, "Sessions Court South", atc=False)
    summary = assign_course(world, person(world, "pg.sindh"), course.id, Group("atc"), TODAY)
    assert summary.added == 2
    # A DPP's ATC group is the ATC prosecutors of their own district only.
    other = publish_course(world, "Second course")
    mine = assign_course(world, person(world, "dpp.south"), other.id, Group("atc"), TODAY)
    assert [e.user_id for e in _enrolments(world, other)] == [user(world, "pp.sana").id]
    assert mine.added == 1


def test_a_dpp_cannot_assign_in_another_district(world) -> None:
    course = publish_course(world)
    dpp = person(world, "dpp.south")
    with pytest.raises(PermissionDenied):
        assign_course(world, dpp, course.id, Group("district", "HYD"), TODAY)
    with pytest.raises(PermissionDenied):
        assign_course(world, dpp, course.id, Group("atc", "HYD"), TODAY)
    with pytest.raises(PermissionDenied):
        assign_course(
            world, dpp, course.id, Group("users", None, (user(world, "pp.hyd").id,)), TODAY
        )
    assert _enrolments(world, course) == []
    assert world.store.count(Notification, {"kind": "assignment"}) == 0


def test_prosecutors_and_clerks_cannot_assign(world) -> None:
    course = publish_course(world)
    for who in ("pp.rahim", "clerk.south", "admin"):
        with pytest.raises(PermissionDenied):
            assign_course(world, person(world, who), course.id, Group("district", "KHI-S"), TODAY)


@pytest.mark.parametrize(
    ("group", "due", "message"),
    [
        (Group("district", "KHI-S"), None, "Choose the date"),
        (Group("district", "KHI-S"), TODAY - days(1), "in the past"),
        (Group("district", None), TODAY, "Choose the district"),
        (Group("district", "NOWHERE"), TODAY, "no district"),
        (Group("users", None, ()), TODAY, "at least one person"),
        (Group("users", None, ("ghost",)), TODAY, "do not exist"),
        (Group("district", "THT"), TODAY, "Nobody is in this group"),
        (Group("everyone"), TODAY, "Choose whom"),  # type: ignore[arg-type]
    ],
)
def test_bad_assignments_change_nothing(world, group, due, message) -> None:
    course = publish_course(world)
    with pytest.raises(LearningError, match=message):
        assign_course(world, person(world, "trainer"), course.id, group, due)
    assert _enrolments(world, course) == []
    assert world.store.count(Notification, {"kind": "assignment"}) == 0


def test_a_draft_cannot_be_assigned(world) -> None:
    draft = publish_course(world, status=CourseStatus.DRAFT)
    with pytest.raises(CourseNotFound):
        assign_course(world, person(world, "trainer"), draft.id, Group("district", "KHI-S"), TODAY)


# -- withdrawal -----------------------------------------------------------------------------


def test_a_learner_withdraws_a_self_enrolment_and_may_come_back(world) -> None:
    course = publish_course(world)
    rahim = person(world, "pp.rahim")
    enrolment = self_enrol(world, rahim, course.id)
    withdrawn = withdraw(world, rahim, enrolment.id, version=enrolment.version)
    assert withdrawn.withdrawn
    with pytest.raises(LearningError, match="already withdrawn"):
        withdraw(world, rahim, enrolment.id, version=withdrawn.version)
    back = self_enrol(world, rahim, course.id)
    assert back.id == enrolment.id and not back.withdrawn


def test_an_assigned_learner_cannot_withdraw_but_the_assigner_can(world) -> None:
    course = publish_course(world)
    assign_course(world, person(world, "dpp.south"), course.id, Group("district", "KHI-S"), TODAY)
    rahim = person(world, "pp.rahim")
    enrolment = world.store.find_one(Enrolment, {"user_id": rahim.user_id})
    with pytest.raises(PermissionDenied, match="assigned to you"):
        withdraw(world, rahim, enrolment.id, version=enrolment.version)
    with pytest.raises(PermissionDenied):
        withdraw(world, person(world, "pp.sana"), enrolment.id, version=enrolment.version)
    assert withdraw(world, person(world, "supervisor"), enrolment.id, version=enrolment.version)


def test_a_stale_withdrawal_is_refused(world) -> None:
    course = publish_course(world)
    rahim = person(world, "pp.rahim")
    enrolment = self_enrol(world, rahim, course.id)
    with pytest.raises(StaleWriteError):
        withdraw(world, rahim, enrolment.id, version=enrolment.version - 1)
    assert not world.store.get(Enrolment, enrolment.id).withdrawn


def test_a_dpp_cannot_withdraw_in_another_district(world) -> None:
    course = publish_course(world)
    enrolment = self_enrol(world, person(world, "pp.hyd"), course.id)
    with pytest.raises(PermissionDenied):
        withdraw(world, person(world, "dpp.south"), enrolment.id, version=enrolment.version)


def test_a_completed_course_cannot_be_withdrawn(world) -> None:
    course = publish_course(world)
    rahim = person(world, "pp.rahim")
    enrolment = self_enrol(world, rahim, course.id)
    enrolment.completed_at = dt.datetime(2025, 3, 2)
    world.store.replace(enrolment)
    with pytest.raises(LearningError, match="cannot be withdrawn"):
        withdraw(world, rahim, enrolment.id, version=enrolment.version)


# -- the course page's panel ----------------------------------------------------------------


def test_the_panel_says_enrol_assigned_or_why_not(world) -> None:
    course = publish_course(world)
    rahim = person(world, "pp.rahim")
    panel = enrol_panel(world, rahim, course.id)
    assert panel.can_enrol and panel.enrolment is None and panel.lessons_total == 2
    assign_course(world, person(world, "dpp.south"), course.id, Group("district", "KHI-S"), TODAY)
    panel = enrol_panel(world, rahim, course.id)
    assert not panel.can_enrol and panel.assigned_by == "Ayesha Siddiqui (DPP Karachi South)"
    assert panel.enrolment.due_on == TODAY and not panel.may_withdraw
    closed = publish_course(world, self_enrol=False)
    assert "assigned by" in enrol_panel(world, rahim, closed.id).reason
    hidden = publish_course(world, audience=Audience(districts=["HYD"]))
    assert enrol_panel(world, rahim, hidden.id) is None
    assert enrol_panel(world, person(world, "trainer"), course.id) is None


def test_an_assignment_racing_a_self_enrolment_writes_nothing(world, monkeypatch) -> None:
    import learning.enrolment as enrolment_module

    course = publish_course(world)
    rahim = person(world, "pp.rahim")
    real_now = enrolment_module.utc_naive_now

    def enrol_meanwhile():
        monkeypatch.setattr(enrolment_module, "utc_naive_now", real_now)
        self_enrol(world, rahim, course.id)  # lands between the assigner's read and write
        return real_now()

    monkeypatch.setattr(enrolment_module, "utc_naive_now", enrol_meanwhile)
    with pytest.raises(LearningError, match="at the same moment"):
        assign_course(world, person(world, "trainer"), course.id, Group("district", "KHI-S"), TODAY)
    assert [e.user_id for e in _enrolments(world, course)] == [rahim.user_id]
    assert world.store.count(Notification, {"kind": "assignment"}) == 0
    assert world.store.count(AuditEntry, {"action": "learning.course.assigned"}) == 0
