"""Learning paths: an ordered set of published courses ("Newly posted ATC prosecutor").

Trainers write a path; a learner sees only the courses of it that their audience
admits (the audience of each course's newest release), each with where they stand
(completed, enrolled, not started), and a path none of whose courses reaches them is
not shown at all. An archived course stays in a path for those enrolled in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from learning.access import Learner, audience_admits, can_author, can_learn, learner_of
from learning.errors import LearningError
from learning.models import (
    MAX_SUMMARY,
    MAX_TITLE,
    Course,
    CourseRelease,
    CourseStatus,
    Enrolment,
    LearningPath,
)
from learning.releases import newest_releases
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import NotFoundError, StaleWriteError

#: A path is a curriculum, not a catalogue.
MAX_COURSES = 20

COMPLETED, ENROLLED, NOT_STARTED = "completed", "enrolled", "not_started"


class PathNotFound(LookupError):
    """No such path, or one that has nothing for this learner (indistinguishable)."""


@dataclass(frozen=True)
class PathFields:
    """What a trainer types for a path; ``course_ids`` in the order learners take them."""

    title_en: str
    title_ur: str = ""
    summary_en: str = ""
    summary_ur: str = ""
    course_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class PathCourse:
    course_id: str
    title_en: str
    title_ur: str
    summary_en: str
    summary_ur: str
    estimated_minutes: int
    status: str  # COMPLETED, ENROLLED, NOT_STARTED
    archived: bool


@dataclass(frozen=True)
class PathView:
    path: LearningPath
    courses: list[PathCourse]

    @property
    def completed(self) -> int:
        return sum(1 for c in self.courses if c.status == COMPLETED)


def _require_author(actor: Actor) -> None:
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers can write learning paths."))


def _require_reader(actor: Actor) -> None:
    if not (can_learn(actor) or can_author(actor)):
        raise PermissionDenied(_("You do not have permission to see learning paths."))


def _text(value: str, limit: int, too_long: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise LearningError(too_long % {"n": limit})
    return value


def _clean(kernel: Kernel, fields: PathFields) -> PathFields:
    title_en = _text(
        fields.title_en, MAX_TITLE, _("The title is too long (%(n)d characters at most).")
    )
    if not title_en:
        raise LearningError(_("Give the path a title in English."))
    title_ur = _text(
        fields.title_ur, MAX_TITLE, _("The Urdu title is too long (%(n)d characters at most).")
    )
    summary_en = _text(
        fields.summary_en, MAX_SUMMARY, _("The summary is too long (%(n)d characters at most).")
    )
    summary_ur = _text(
        fields.summary_ur,
        MAX_SUMMARY,
        _("The Urdu summary is too long (%(n)d characters at most)."),
    )
    ids = [c.strip() for c in fields.course_ids if c and c.strip()]
    if not ids:
        raise LearningError(_("Choose at least one course for the path."))
    if len(ids) > MAX_COURSES:
        raise LearningError(_("A path holds %(n)d courses at most.", n=MAX_COURSES))
    courses = {c.id: c for c in kernel.store.find(Course, {"_id": {"$in": ids}})}
    seen: set[str] = set()
    for course_id in ids:
        course = courses.get(course_id)
        if course is None or course.status != CourseStatus.PUBLISHED:
            raise LearningError(_("One of the chosen courses does not exist or is not published."))
        if course_id in seen:
            raise LearningError(
                _("“%(title)s” is in the path twice; keep it once.", title=course.title_en)
            )
        seen.add(course_id)
    return PathFields(title_en, title_ur, summary_en, summary_ur, tuple(ids))


def _event(action: str, actor: Actor, path: LearningPath) -> DomainEvent:
    return DomainEvent(
        action, actor, "learning_path", path.id, {"course_ids": list(path.course_ids)}
    )


def create_path(kernel: Kernel, actor: Actor, fields: PathFields) -> LearningPath:
    _require_author(actor)
    clean = _clean(kernel, fields)
    now = utc_naive_now()
    path = LearningPath(
        title_en=clean.title_en,
        title_ur=clean.title_ur or None,
        summary_en=clean.summary_en or None,
        summary_ur=clean.summary_ur or None,
        course_ids=list(clean.course_ids),
        created_by=actor.user_id,
        created_at=now,
        updated_by=actor.user_id,
        updated_at=now,
    )
    with kernel.store.transaction():
        kernel.store.insert(path)
        kernel.emit(_event("learning.path.created", actor, path))
    return path


def get_path_for_edit(kernel: Kernel, actor: Actor, path_id: str) -> LearningPath:
    _require_author(actor)
    try:
        return kernel.store.get(LearningPath, path_id)
    except NotFoundError:
        raise PathNotFound(path_id) from None


def update_path(
    kernel: Kernel, actor: Actor, path_id: str, fields: PathFields, *, version: int
) -> LearningPath:
    """Replace the path's text and courses; StaleWriteError if saved since ``version``."""
    path = get_path_for_edit(kernel, actor, path_id)
    clean = _clean(kernel, fields)
    if version != path.version:
        raise StaleWriteError(path.label, path.id, version, path.version)
    path.title_en, path.title_ur = clean.title_en, clean.title_ur or None
    path.summary_en, path.summary_ur = clean.summary_en or None, clean.summary_ur or None
    path.course_ids = list(clean.course_ids)
    path.updated_by, path.updated_at = actor.user_id, utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(path)
        kernel.emit(_event("learning.path.updated", actor, path))
    return path


def course_choices(kernel: Kernel, actor: Actor) -> list[Course]:
    """The published courses a trainer may put in a path, by title."""
    _require_author(actor)
    return kernel.store.find(
        Course, {"status": CourseStatus.PUBLISHED.value}, sort=[("title_en", 1)]
    )


# -- what learners see -------------------------------------------------------------------------


def _view(
    kernel: Kernel,
    actor: Actor,
    path: LearningPath,
    learner: Learner | None,
    releases: dict[str, CourseRelease],
    courses: dict[str, Course],
    enrolments: dict[str, Enrolment],
) -> PathView:
    shown: list[PathCourse] = []
    for course_id in path.course_ids:
        course, release = courses.get(course_id), releases.get(course_id)
        if course is None or release is None:
            continue  # deleted, or never published
        enrolment = enrolments.get(course_id)
        archived = course.status == CourseStatus.ARCHIVED
        if learner is not None:
            if archived and enrolment is None:
                continue
            if course.status == CourseStatus.DRAFT:
                continue
            if enrolment is None and not audience_admits(release.audience, learner):
                continue
        if enrolment is not None and enrolment.completed_at is not None:
            status = COMPLETED
        elif enrolment is not None:
            status = ENROLLED
        else:
            status = NOT_STARTED
        shown.append(
            PathCourse(
                course_id=course_id,
                title_en=release.title_en,
                title_ur=release.title_ur or "",
                summary_en=release.summary_en or "",
                summary_ur=release.summary_ur or "",
                estimated_minutes=release.estimated_minutes or 0,
                status=status,
                archived=archived,
            )
        )
    return PathView(path, shown)


def _views(kernel: Kernel, actor: Actor, paths: list[LearningPath]) -> list[PathView]:
    ids = sorted({c for p in paths for c in p.course_ids})
    courses = {c.id: c for c in kernel.store.find(Course, {"_id": {"$in": ids}})}
    releases = newest_releases(kernel, ids)
    enrolments = {
        e.course_id: e
        for e in kernel.store.find(Enrolment, {"user_id": actor.user_id, "course_id": {"$in": ids}})
        if not e.withdrawn
    }
    # Trainers see every course of every path; learners what their audience admits.
    learner = None if can_author(actor) else learner_of(kernel, actor)
    return [_view(kernel, actor, p, learner, releases, courses, enrolments) for p in paths]


def list_paths(kernel: Kernel, actor: Actor) -> list[PathView]:
    """The catalogue: every path with something for the actor in it, by title."""
    _require_reader(actor)
    paths = kernel.store.find(LearningPath, {}, sort=[("title_en", 1)])
    views = _views(kernel, actor, paths)
    return [v for v in views if v.courses or can_author(actor)]


def path_page(kernel: Kernel, actor: Actor, path_id: str) -> PathView:
    """One path with the actor's status in each of its courses they may see."""
    _require_reader(actor)
    try:
        path = kernel.store.get(LearningPath, path_id)
    except NotFoundError:
        raise PathNotFound(path_id) from None
    view = _views(kernel, actor, [path])[0]
    if not view.courses and not can_author(actor):
        raise PathNotFound(path_id)
    return view
