"""Enrolment: a learner joins a course themselves, or a trainer/supervisor assigns it to a group.

Self-enrolment needs a published, not archived course that is open to self-enrolment and
whose audience admits the learner, with its prerequisites completed. Assignment puts a
published course, with a due date, on everyone of a group (the prosecutors of a district,
everyone posted to an Anti-Terrorism Court, or chosen people) within the assigner's scope
(``learning.access.group_scope``: a DPP or supervisor only in their own district). People
already enrolled keep their enrolment (it gains the due date if it had none); people the
course is not published for are counted, never enrolled. Each newly assigned learner gets a
notification in their own language (the message key is stored, not the sentence).

One record per learner and course (a unique index): a withdrawn enrolment is revived when
the learner comes back, so lesson progress and quiz results are never split in two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from casefiles.assignment import Posting
from learning.access import (
    Learner,
    audience_admits,
    can_assign,
    can_learn,
    group_scope,
    learner_of,
)
from learning.errors import CourseNotFound, LearningError
from learning.models import Course, CourseRelease, CourseStatus, Enrolment, LessonProgress
from learning.releases import newest_release
from mizan.accounts.models import District, User
from mizan.accounts.roles import Capability, Role, capabilities_of
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify
from mizan.storage import DuplicateKeyError, NotFoundError, StaleWriteError

__all__ = [
    "ASSIGNED",
    "AssignOptions",
    "AssignmentSummary",
    "EnrolPanel",
    "Group",
    "assign_course",
    "assign_options",
    "course_link",
    "course_title",
    "enrol_panel",
    "newest_release",
    "own_enrolment",
    "self_enrol",
    "withdraw",
]

#: The notification an assigned learner gets (a msgid: shown in the reader's language).
ASSIGNED = _l("%(by)s assigned you the course “%(course)s”, due on %(date)s.")

GroupKind = Literal["district", "atc", "users"]
GROUP_KINDS: tuple[GroupKind, ...] = ("district", "atc", "users")


def course_link(course_id: str) -> str:
    """Where a notification about a course leads: the learner's page for that course."""
    return f"/learning/enrolment/{course_id}"


def course_title(course: Course | CourseRelease, language: str = "en") -> str:
    """The title in ``language`` when the trainer wrote one, else the English title."""
    if language == "ur" and course.title_ur:
        return course.title_ur
    return course.title_en


def _course(kernel: Kernel, course_id: str) -> Course:
    try:
        return kernel.store.get(Course, course_id)
    except NotFoundError:
        raise CourseNotFound(course_id) from None


def _open_course(kernel: Kernel, course_id: str) -> tuple[Course, CourseRelease]:
    """A course that takes new learners: published (a draft is "not found"), not archived."""
    course = _course(kernel, course_id)
    release = newest_release(kernel, course_id)
    if course.status == CourseStatus.DRAFT or release is None:
        raise CourseNotFound(course_id)
    if course.status == CourseStatus.ARCHIVED:
        raise LearningError(_("This course is archived: it takes no new learners."))
    return course, release


def own_enrolment(kernel: Kernel, actor: Actor, course_id: str) -> Enrolment | None:
    """The actor's current (not withdrawn) enrolment in the course, if any."""
    return kernel.store.find_one(
        Enrolment, {"course_id": course_id, "user_id": actor.user_id, "withdrawn": False}
    )


def _missing_prerequisites(
    kernel: Kernel, user_id: str, release: CourseRelease
) -> list[Course | CourseRelease]:
    """Courses named as prerequisites that the learner has not completed."""
    needed = [c for c in release.prerequisites if c]
    if not needed:
        return []
    done = {
        e.course_id
        for e in kernel.store.find(
            Enrolment,
            {"user_id": user_id, "course_id": {"$in": needed}, "completed_at": {"$ne": None}},
        )
    }
    missing: list[Course | CourseRelease] = []
    for course_id in needed:
        if course_id in done:
            continue
        found = kernel.store.find_one(Course, {"_id": course_id})
        if found is not None:
            missing.append(found)
    return missing


def _event(kernel: Kernel, action: str, actor: Actor, enrolment: Enrolment, **data: object) -> None:
    kernel.emit(
        DomainEvent(
            action,
            actor,
            "enrolment",
            enrolment.id,
            {"course_id": enrolment.course_id, "user_id": enrolment.user_id, **data},
        )
    )


def self_enrol(kernel: Kernel, actor: Actor, course_id: str) -> Enrolment:
    """Enrol the actor in a course open to them; a second enrolment is refused."""
    if not can_learn(actor):
        raise PermissionDenied(_("You do not have permission to do this."))
    course, release = _open_course(kernel, course_id)
    if not audience_admits(release.audience, learner_of(kernel, actor)):
        raise CourseNotFound(course_id)  # a course not published for you is not shown at all
    existing = kernel.store.find_one(Enrolment, {"course_id": course.id, "user_id": actor.user_id})
    if existing is not None and not existing.withdrawn:
        raise LearningError(_("You are already enrolled in this course."))
    if not release.self_enrol:
        raise LearningError(
            _("This course is assigned by a trainer or supervisor; you cannot enrol yourself.")
        )
    missing = _missing_prerequisites(kernel, actor.user_id, release)
    if missing:
        names = "; ".join(f"“{c.title_en}”" for c in missing)
        raise LearningError(_("Complete these courses first: %(names)s.", names=names))
    at = utc_naive_now()
    enrolment = existing or Enrolment(course_id=course.id, user_id=actor.user_id)
    enrolment.withdrawn = False
    enrolment.source, enrolment.assigned_by, enrolment.due_on = "self", None, None
    enrolment.district = actor.district
    enrolment.enrolled_at = at
    enrolment.release_at_enrolment = release.number
    try:
        with kernel.store.transaction():
            if existing is None:
                kernel.store.insert(enrolment)
            else:
                kernel.store.replace(enrolment)
            _event(kernel, "learning.enrolment.created", actor, enrolment, source="self")
            _complete_if_done(kernel, actor, enrolment)
    except DuplicateKeyError:  # the same learner enrolled in another tab a moment ago
        raise LearningError(_("You are already enrolled in this course.")) from None
    return enrolment


def _complete_if_done(kernel: Kernel, actor: Actor, enrolment: Enrolment) -> None:
    # Imported here: completion listens to events and reads enrolments, this module writes them.
    from learning.completion import check_completion

    check_completion(kernel, actor, enrolment.course_id, enrolment.user_id)


# -- assignment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Whom a course is assigned to: a district's prosecutors, ATC prosecutors, or chosen people.

    ``district`` narrows an ATC group to one district (a district-bound assigner's is always
    their own); ``user_ids`` is the list of chosen people.
    """

    kind: GroupKind
    district: str | None = None
    user_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentSummary:
    """What an assignment did, for the message the assigner reads."""

    added: int
    already_enrolled: int
    outside_audience: int
    due_date_set: int = 0
    added_ids: tuple[str, ...] = field(default=(), repr=False)


def _check_due(due_on: dt.date | None) -> dt.date:
    if due_on is None:
        raise LearningError(_("Choose the date by which the course must be completed."))
    if due_on < pakistan_today():
        raise LearningError(
            _(
                "The due date %(date)s is in the past; choose today or a later day.",
                date=due_on.strftime("%d.%m.%Y"),
            )
        )
    return due_on


def _in_scope(scope: str | None, district: str | None) -> bool:
    return scope is None or (bool(scope) and district == scope)


def _group_members(kernel: Kernel, actor: Actor, group: Group) -> list[User]:
    """The active people of ``group``, refused if the group reaches outside the actor's scope."""
    store = kernel.store
    scope = group_scope(actor)
    if group.kind not in GROUP_KINDS:
        raise LearningError(_("Choose whom to assign the course to."))
    if group.kind == "district":
        if not group.district:
            raise LearningError(_("Choose the district whose prosecutors take the course."))
        if not _in_scope(scope, group.district):
            raise PermissionDenied(_("You can only assign courses within your own district."))
        if store.find_one(District, {"code": group.district}) is None:
            raise LearningError(
                _("There is no district with the code %(code)s.", code=group.district)
            )
        return store.find(
            User,
            {"roles": Role.PROSECUTOR, "district": group.district, "active": True},
            sort=[("full_name", 1)],
        )
    if group.kind == "atc":
        district = group.district or scope
        if not _in_scope(scope, district):
            raise PermissionDenied(_("You can only assign courses within your own district."))
        posted = sorted({p.user_id for p in store.find(Posting, {"atc": True})})
        flt: dict[str, object] = {"_id": {"$in": posted}, "active": True}
        if district:
            flt["district"] = district
        return store.find(User, flt, sort=[("full_name", 1)]) if posted else []
    ids = sorted({u for u in group.user_ids if u})
    if not ids:
        raise LearningError(_("Choose at least one person."))
    users = store.find(User, {"_id": {"$in": ids}, "active": True})
    if len(users) != len(ids):
        raise LearningError(_("Some of the chosen people do not exist or can no longer sign in."))
    if any(not _in_scope(scope, u.district) for u in users):
        raise PermissionDenied(_("You can only assign courses to people of your own district."))
    return sorted(users, key=lambda u: u.full_name)


def _learner(user: User, atc_ids: set[str]) -> Learner:
    roles = frozenset(user.roles)
    return Learner(user.id, roles, user.district, Role.PROSECUTOR in roles and user.id in atc_ids)


def _may_learn(user: User) -> bool:
    return Capability.LEARN in capabilities_of(frozenset(user.roles))


def assign_course(
    kernel: Kernel, actor: Actor, course_id: str, group: Group, due_on: dt.date | None
) -> AssignmentSummary:
    """Assign a published course with a due date to everyone in ``group`` the course is for."""
    if not can_assign(actor):
        raise PermissionDenied(_("You do not have permission to assign courses."))
    course, release = _open_course(kernel, course_id)
    due = _check_due(due_on)
    members = _group_members(kernel, actor, group)
    if not members:
        raise LearningError(_("Nobody is in this group, so nobody was assigned the course."))
    store = kernel.store
    ids = [u.id for u in members]
    atc_ids = {p.user_id for p in store.find(Posting, {"atc": True, "user_id": {"$in": ids}})}
    existing = {
        e.user_id: e
        for e in store.find(Enrolment, {"course_id": course.id, "user_id": {"$in": ids}})
    }
    assigner = store.find_one(User, {"_id": actor.user_id})
    by = assigner.full_name if assigner else actor.username
    at = utc_naive_now()
    added: list[str] = []
    already = outside = dated = 0
    try:
        with store.transaction():
            for user in members:
                if not _may_learn(user) or not audience_admits(
                    release.audience, _learner(user, atc_ids)
                ):
                    outside += 1
                    continue
                enrolment = existing.get(user.id)
                if enrolment is not None and not enrolment.withdrawn:
                    already += 1
                    if enrolment.due_on is None and enrolment.completed_at is None:
                        enrolment.due_on = due
                        enrolment.assigned_by = enrolment.assigned_by or actor.user_id
                        store.replace(enrolment)
                        dated += 1
                        _notify_assigned(kernel, user, course, enrolment, by)
                    continue
                enrolment = enrolment or Enrolment(course_id=course.id, user_id=user.id)
                enrolment.withdrawn = False
                enrolment.source, enrolment.assigned_by, enrolment.due_on = (
                    "assigned",
                    actor.user_id,
                    due,
                )
                enrolment.district = user.district
                enrolment.enrolled_at = at
                enrolment.release_at_enrolment = release.number
                if enrolment.version:
                    store.replace(enrolment)
                else:
                    store.insert(enrolment)
                added.append(user.id)
                _event(kernel, "learning.enrolment.created", actor, enrolment, source="assigned")
                _notify_assigned(kernel, user, course, enrolment, by)
                _complete_if_done(kernel, actor, enrolment)
            kernel.emit(
                DomainEvent(
                    "learning.course.assigned",
                    actor,
                    "course",
                    course.id,
                    {
                        "course_id": course.id,
                        "group": group.kind,
                        "district": group.district,
                        "due_on": due.isoformat(),
                        "added": len(added),
                        "already_enrolled": already,
                        "outside_audience": outside,
                        "user_ids": added,
                    },
                )
            )
    except (DuplicateKeyError, StaleWriteError):
        # Someone enrolled or changed one of these people at the same moment: nothing was
        # written (one transaction), and assigning again now counts them correctly.
        raise LearningError(
            _(
                "Someone changed these enrolments at the same moment; nothing was assigned. "
                "Please assign again."
            )
        ) from None
    return AssignmentSummary(len(added), already, outside, dated, tuple(added))


def _notify_assigned(
    kernel: Kernel, user: User, course: Course, enrolment: Enrolment, by: str
) -> None:
    due = enrolment.due_on
    notify(
        kernel.store,
        user.id,
        ASSIGNED,
        {
            "by": by,
            "course": course_title(course, user.language or "en"),
            "date": due.strftime("%d.%m.%Y") if due else "",
        },
        link=course_link(course.id),
        kind="assignment",
        dedupe=f"learning-assigned:{enrolment.id}:{due.isoformat() if due else ''}",
    )


# -- withdrawal ---------------------------------------------------------------------------


def _is_assigned(enrolment: Enrolment) -> bool:
    """Assigned, or self-enrolled and later given a due date by an assignment."""
    return enrolment.source == "assigned" or bool(enrolment.assigned_by)


def withdraw(kernel: Kernel, actor: Actor, enrolment_id: str, *, version: int) -> Enrolment:
    """End an enrolment: the learner their own self-enrolment, an assigner any in their scope.

    Guarded by ``version`` (StaleWriteError if it changed meanwhile). Progress is kept, so a
    learner who comes back continues where they were.
    """
    try:
        enrolment = kernel.store.get(Enrolment, enrolment_id)
    except NotFoundError:
        raise LearningError(_("That enrolment does not exist.")) from None
    own = enrolment.user_id == actor.user_id
    assigner = can_assign(actor) and _in_scope(group_scope(actor), enrolment.district)
    if not own and not assigner:
        raise PermissionDenied(_("You cannot withdraw someone else from a course."))
    if own and not assigner and _is_assigned(enrolment):
        raise PermissionDenied(
            _("This course was assigned to you; ask the person who assigned it to withdraw you.")
        )
    if enrolment.withdrawn:
        raise LearningError(_("This enrolment was already withdrawn."))
    if enrolment.completed_at is not None:
        raise LearningError(
            _("A completed course stays on the training record; it cannot be withdrawn.")
        )
    enrolment.version = version
    enrolment.withdrawn = True
    with kernel.store.transaction():
        kernel.store.replace(enrolment)
        _event(kernel, "learning.enrolment.withdrawn", actor, enrolment)
    return enrolment


# -- what pages show ----------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolPanel:
    """What the course page says about the reader's enrolment (partial ``_course_enrol``)."""

    course_id: str
    #: The release the learner reads (its title and summary head the learner's course page).
    release: CourseRelease
    enrolment: Enrolment | None
    can_enrol: bool
    #: Why the reader cannot enrol (already shown as a sentence), if they cannot.
    reason: str | None
    assigned_by: str | None
    lessons_read: int
    lessons_total: int
    may_withdraw: bool

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_read / self.lessons_total) if self.lessons_total else 0


def lessons_read(kernel: Kernel, user_id: str, lesson_ids: Sequence[str]) -> int:
    """How many of ``lesson_ids`` the learner has marked read."""
    if not lesson_ids:
        return 0
    return kernel.store.count(
        LessonProgress,
        {"user_id": user_id, "lesson_id": {"$in": list(lesson_ids)}, "read_at": {"$ne": None}},
    )


def enrol_panel(kernel: Kernel, actor: Actor, course_id: str) -> EnrolPanel | None:
    """The reader's enrolment state for one course; None if there is nothing to show them."""
    course = kernel.store.find_one(Course, {"_id": course_id})
    release = newest_release(kernel, course_id)
    if course is None or release is None or not can_learn(actor):
        return None
    enrolment = own_enrolment(kernel, actor, course_id)
    lesson_ids = [lesson.lesson_id for lesson in release.lessons]
    reason: str | None = None
    can = False
    if enrolment is None:
        if not audience_admits(release.audience, learner_of(kernel, actor)):
            return None
        if course.status == CourseStatus.ARCHIVED:
            reason = _("This course is archived: it takes no new learners.")
        elif not release.self_enrol:
            reason = _("This course is assigned by a trainer or supervisor.")
        else:
            missing = _missing_prerequisites(kernel, actor.user_id, release)
            if missing:
                names = "; ".join(f"“{c.title_en}”" for c in missing)
                reason = _("Complete these courses first: %(names)s.", names=names)
            else:
                can = True
    by = None
    if enrolment is not None and enrolment.assigned_by:
        assigner = kernel.store.find_one(User, {"_id": enrolment.assigned_by})
        by = assigner.full_name if assigner else None
    return EnrolPanel(
        course_id=course_id,
        release=release,
        enrolment=enrolment,
        can_enrol=can,
        reason=reason,
        assigned_by=by,
        lessons_read=lessons_read(kernel, actor.user_id, lesson_ids) if enrolment else 0,
        lessons_total=len(lesson_ids),
        may_withdraw=bool(
            enrolment and not _is_assigned(enrolment) and enrolment.completed_at is None
        ),
    )


@dataclass(frozen=True)
class AssignOptions:
    """What the assignment form offers: courses that take learners, districts, people."""

    courses: list[Course]
    districts: list[District]
    people: list[User]
    #: The district a district-bound assigner is limited to (None: the province).
    scope: str | None


def assign_options(kernel: Kernel, actor: Actor) -> AssignOptions:
    """Choices for the assignment form, limited to the actor's scope."""
    if not can_assign(actor):
        raise PermissionDenied(_("You do not have permission to assign courses."))
    store = kernel.store
    scope = group_scope(actor)
    courses = store.find(Course, {"status": CourseStatus.PUBLISHED}, sort=[("title_en", 1)])
    districts = store.find(District, {} if scope is None else {"code": scope}, sort=[("code", 1)])
    flt: dict[str, object] = {"active": True, "roles": {"$in": _learning_roles()}}
    if scope is not None:
        flt["district"] = scope
    people = store.find(User, flt, sort=[("full_name", 1)])
    return AssignOptions(courses, districts, people, scope)


def _learning_roles() -> list[str]:
    return [r.value for r in Role if Capability.LEARN in capabilities_of(frozenset({r.value}))]


def users_by_id(kernel: Kernel, ids: Iterable[str]) -> dict[str, User]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {u.id: u for u in kernel.store.find(User, {"_id": {"$in": wanted}})}
