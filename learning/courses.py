"""Authoring courses: drafts, modules, publishing numbered releases, archive and copy.

A trainer edits the draft (``Course`` and its ``Lesson`` records). Publishing
freezes the draft into a new ``CourseRelease`` (number + 1) that learners read;
later edits change only the draft until the next publish, and because lessons
keep their ids, learners' ``LessonProgress`` carries over to the new version.

Every change is guarded by the course's ``version`` where the trainer edited a
form (a stale form is refused with ``StaleWriteError``), runs in one transaction
and emits a ``learning.*`` event whose data carries ids and counts only.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from learning.access import audience_admits, can_author, can_learn, learner_of
from learning.errors import CourseNotFound, LearningError
from learning.models import (
    MAX_SUMMARY,
    MAX_TITLE,
    Audience,
    Course,
    CourseRelease,
    CourseStatus,
    Lesson,
    Module,
    ReleasedLesson,
)
from learning.releases import newest_release, newest_releases
from mizan.accounts.models import District
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import NotFoundError

MAX_MINUTES = 100 * 60
MAX_MODULES = 50


@dataclass(frozen=True)
class CourseFields:
    """What the course form sets (the same for create and edit)."""

    title_en: str
    title_ur: str = ""
    summary_en: str = ""
    summary_ur: str = ""
    roles: Sequence[str] = ()
    districts: Sequence[str] = ()
    atc_only: bool = False
    prerequisites: Sequence[str] = ()
    estimated_minutes: int = 0
    self_enrol: bool = True


def require_author(actor: Actor) -> None:
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers can write courses."))


def emit(kernel: Kernel, actor: Actor, action: str, subject: str, sid: str, **data: object) -> None:
    kernel.emit(DomainEvent(f"learning.{action}", actor, subject, sid, dict(data)))


def clean_title(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise LearningError(_("Write the %(what)s.", what=what))
    if len(value) > MAX_TITLE:
        raise LearningError(
            _("The %(what)s is too long (%(n)d characters at most).", what=what, n=MAX_TITLE)
        )
    return value


def clean_minutes(value: int | None) -> int:
    if value is None:
        return 0
    if value < 0 or value > MAX_MINUTES:
        raise LearningError(
            _("The estimated time must be between 0 and %(n)d minutes.", n=MAX_MINUTES)
        )
    return value


def _clean_summary(value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_SUMMARY:
        raise LearningError(_("The summary is too long (%(n)d characters at most).", n=MAX_SUMMARY))
    return value


def _clean_audience(kernel: Kernel, fields: CourseFields) -> Audience:
    roles = sorted({r.strip() for r in fields.roles if r.strip()})
    unknown = [r for r in roles if r not in Role._value2member_map_]
    if unknown:
        raise LearningError(_("Unknown role: %(role)s.", role=", ".join(unknown)))
    districts = sorted({d.strip() for d in fields.districts if d.strip()})
    known = {d.code for d in kernel.store.find(District, {"code": {"$in": districts}})}
    missing = [d for d in districts if d not in known]
    if missing:
        raise LearningError(_("Unknown district: %(code)s.", code=", ".join(missing)))
    return Audience(roles=roles, districts=districts, atc_only=bool(fields.atc_only))


def _clean_prerequisites(kernel: Kernel, ids: Iterable[str], own_id: str | None) -> list[str]:
    wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    if own_id in wanted:
        raise LearningError(_("A course cannot be its own prerequisite."))
    found = {c.id for c in kernel.store.find(Course, {"_id": {"$in": wanted}})}
    if len(found) != len(wanted):
        raise LearningError(_("A prerequisite names a course that does not exist."))
    return wanted


def _apply(kernel: Kernel, course: Course, fields: CourseFields) -> None:
    course.title_en = clean_title(fields.title_en, _("English title"))
    course.title_ur = clean_title(fields.title_ur, _("Urdu title"), required=False)
    course.summary_en = _clean_summary(fields.summary_en)
    course.summary_ur = _clean_summary(fields.summary_ur)
    course.audience = _clean_audience(kernel, fields)
    course.prerequisites = _clean_prerequisites(kernel, fields.prerequisites, course.id)
    course.estimated_minutes = clean_minutes(fields.estimated_minutes)
    course.self_enrol = bool(fields.self_enrol)


def create_course(kernel: Kernel, actor: Actor, fields: CourseFields) -> Course:
    """A new draft with one empty module, so the trainer can add lessons at once."""
    require_author(actor)
    at = utc_naive_now()
    course = Course(created_by=actor.user_id, created_at=at, updated_by=actor.user_id)
    course.updated_at = at
    _apply(kernel, course, fields)
    # Both languages stored as such (not the creator's language); renamed like any module.
    course.modules = [Module(key=_new_key(), title_en="Lessons", title_ur="اسباق", lesson_ids=[])]
    with kernel.store.transaction():
        kernel.store.insert(course)
        emit(kernel, actor, "course.created", "course", course.id)
    return course


def update_course(
    kernel: Kernel, actor: Actor, course_id: str, *, version: int, fields: CourseFields
) -> Course:
    """Change the draft's fields; StaleWriteError if someone saved it since ``version``."""
    course = get_draft(kernel, actor, course_id)
    _apply(kernel, course, fields)
    course.version = version
    _touch(course, actor)
    with kernel.store.transaction():
        kernel.store.replace(course)
        emit(kernel, actor, "course.updated", "course", course.id)
    return course


def _touch(course: Course, actor: Actor) -> None:
    course.updated_by, course.updated_at = actor.user_id, utc_naive_now()


def _new_key() -> str:
    return secrets.token_hex(4)


def get_draft(kernel: Kernel, actor: Actor, course_id: str) -> Course:
    """The editable course, for trainers only (others get CourseNotFound, like a bad id)."""
    if not can_author(actor):
        raise CourseNotFound(course_id)
    try:
        return kernel.store.get(Course, course_id)
    except NotFoundError:
        raise CourseNotFound(course_id) from None


def module_of(course: Course, key: str) -> Module:
    for module in course.modules:
        if module.key == key:
            return module
    raise LearningError(_("This module no longer exists; reload the page."))


def add_module(
    kernel: Kernel, actor: Actor, course_id: str, *, title_en: str, title_ur: str = ""
) -> Module:
    course = get_draft(kernel, actor, course_id)
    if len(course.modules) >= MAX_MODULES:
        raise LearningError(_("A course has at most %(n)d modules.", n=MAX_MODULES))
    module = Module(
        key=_new_key(),
        title_en=clean_title(title_en, _("module title")),
        title_ur=clean_title(title_ur, _("Urdu module title"), required=False),
        lesson_ids=[],
    )
    course.modules.append(module)
    _save_structure(kernel, actor, course, "module.added", key=module.key)
    return module


def rename_module(
    kernel: Kernel, actor: Actor, course_id: str, key: str, *, title_en: str, title_ur: str = ""
) -> Module:
    course = get_draft(kernel, actor, course_id)
    module = module_of(course, key)
    module.title_en = clean_title(title_en, _("module title"))
    module.title_ur = clean_title(title_ur, _("Urdu module title"), required=False)
    _save_structure(kernel, actor, course, "module.renamed", key=key)
    return module


def move_module(kernel: Kernel, actor: Actor, course_id: str, key: str, delta: int) -> None:
    """Move a module up (-1) or down (+1); at either end nothing changes."""
    course = get_draft(kernel, actor, course_id)
    module = module_of(course, key)
    at = list(course.modules).index(module)
    to = at + (1 if delta > 0 else -1)
    if 0 <= to < len(course.modules):
        modules = list(course.modules)
        modules[at], modules[to] = modules[to], modules[at]
        course.modules = modules
        _save_structure(kernel, actor, course, "module.moved", key=key)


def delete_module(kernel: Kernel, actor: Actor, course_id: str, key: str) -> None:
    course = get_draft(kernel, actor, course_id)
    module = module_of(course, key)
    if module.lesson_ids:
        raise LearningError(_("Move or delete the module's lessons first."))
    if len(course.modules) == 1:
        raise LearningError(_("A course keeps at least one module."))
    course.modules = [m for m in course.modules if m.key != key]
    _save_structure(kernel, actor, course, "module.deleted", key=key)


def _save_structure(kernel: Kernel, actor: Actor, course: Course, action: str, **data: str) -> None:
    _touch(course, actor)
    with kernel.store.transaction():
        kernel.store.replace(course)
        emit(kernel, actor, action, "course", course.id, **data)


def draft_lessons(kernel: Kernel, course: Course) -> list[tuple[Module, list[Lesson]]]:
    """The draft's modules with their lessons in order (one query)."""
    ids = [i for m in course.modules for i in m.lesson_ids]
    found = {x.id: x for x in kernel.store.find(Lesson, {"_id": {"$in": ids}})}
    return [(m, [found[i] for i in m.lesson_ids if i in found]) for m in course.modules]


def freeze(
    kernel: Kernel, course: Course, actor: Actor, number: int, *, refresh_refs: bool = True
) -> CourseRelease:
    """The draft as a release (not stored): used to publish and to preview as a learner."""
    from learning.references import references_for

    lessons: list[ReleasedLesson] = []
    for module, items in draft_lessons(kernel, course):
        for lesson in items:
            refs = (
                references_for(kernel, lesson.body_en, lesson.body_ur)
                if refresh_refs
                else list(lesson.references)
            )
            lessons.append(
                ReleasedLesson(
                    lesson_id=lesson.id,
                    module_key=module.key,
                    title_en=lesson.title_en,
                    title_ur=lesson.title_ur,
                    body_en=lesson.body_en,
                    body_ur=lesson.body_ur,
                    estimated_minutes=lesson.estimated_minutes,
                    references=refs,
                    attachments=list(lesson.attachments),
                )
            )
    return CourseRelease(
        course_id=course.id,
        number=number,
        title_en=course.title_en,
        title_ur=course.title_ur,
        summary_en=course.summary_en,
        summary_ur=course.summary_ur,
        audience=Audience(
            roles=list(course.audience.roles),
            districts=list(course.audience.districts),
            atc_only=course.audience.atc_only,
        ),
        prerequisites=list(course.prerequisites),
        estimated_minutes=course.estimated_minutes,
        self_enrol=course.self_enrol,
        modules=[
            Module(key=m.key, title_en=m.title_en, title_ur=m.title_ur, lesson_ids=m.lesson_ids)
            for m in course.modules
        ],
        lessons=lessons,
        published_by=actor.user_id,
        published_at=utc_naive_now(),
    )


def publish_course(kernel: Kernel, actor: Actor, course_id: str) -> CourseRelease:
    """Freeze the draft as release number + 1 (the section hashes are taken now)."""
    from learning.indexing import enqueue_course

    course = get_draft(kernel, actor, course_id)
    if course.status == CourseStatus.ARCHIVED:
        raise LearningError(_("This course is archived; copy it to publish a new course."))
    release = freeze(kernel, course, actor, course.release + 1)
    if not release.lessons:
        raise LearningError(_("Add at least one lesson before publishing."))
    empty = [x.title_en for x in release.lessons if not (x.body_en or "").strip()]
    if empty:
        raise LearningError(
            _("These lessons have no English text yet: %(titles)s.", titles=", ".join(empty))
        )
    course.release = release.number
    course.status = CourseStatus.PUBLISHED
    course.published_at = release.published_at
    _touch(course, actor)
    with kernel.store.transaction():
        kernel.store.replace(course)
        kernel.store.insert(release)
        enqueue_course(kernel.store, course.id)
        emit(
            kernel,
            actor,
            "course.published",
            "course",
            course.id,
            release=release.number,
            lessons=len(release.lessons),
        )
    return release


def archive_course(kernel: Kernel, actor: Actor, course_id: str) -> Course:
    """No new enrolments; learners keep reading what they had and keep their records."""
    course = get_draft(kernel, actor, course_id)
    if course.status == CourseStatus.ARCHIVED:
        raise LearningError(_("This course is already archived."))
    if course.status == CourseStatus.DRAFT:
        raise LearningError(_("A course that was never published cannot be archived."))
    course.status = CourseStatus.ARCHIVED
    _save_structure(kernel, actor, course, "course.archived")
    return course


def copy_course(kernel: Kernel, actor: Actor, course_id: str) -> Course:
    """A new draft "Copy of …" with copies of every lesson (new ids: its own progress)."""
    source = get_draft(kernel, actor, course_id)
    at = utc_naive_now()
    title = _("Copy of %(title)s", title=source.title_en)[:MAX_TITLE]
    copy = Course(
        title_en=title,
        title_ur=source.title_ur,
        summary_en=source.summary_en,
        summary_ur=source.summary_ur,
        audience=Audience(
            roles=list(source.audience.roles),
            districts=list(source.audience.districts),
            atc_only=source.audience.atc_only,
        ),
        prerequisites=list(source.prerequisites),
        estimated_minutes=source.estimated_minutes,
        self_enrol=source.self_enrol,
        copied_from=source.id,
        created_by=actor.user_id,
        created_at=at,
        updated_by=actor.user_id,
        updated_at=at,
    )
    new_lessons: list[Lesson] = []
    for module, items in draft_lessons(kernel, source):
        ids = []
        for lesson in items:
            twin = Lesson(
                course_id=copy.id,
                title_en=lesson.title_en,
                title_ur=lesson.title_ur,
                body_en=lesson.body_en,
                body_ur=lesson.body_ur,
                estimated_minutes=lesson.estimated_minutes,
                references=list(lesson.references),
                attachments=list(lesson.attachments),
                updated_by=actor.user_id,
                updated_at=at,
            )
            new_lessons.append(twin)
            ids.append(twin.id)
        copy.modules.append(
            Module(
                key=module.key, title_en=module.title_en, title_ur=module.title_ur, lesson_ids=ids
            )
        )
    with kernel.store.transaction():
        kernel.store.insert(copy)
        for lesson in new_lessons:
            kernel.store.insert(lesson)
        emit(kernel, actor, "course.copied", "course", copy.id, source_id=source.id)
    return copy


@dataclass(frozen=True)
class CourseView:
    """A course as the person asking may see it: the draft for trainers, the newest release
    for learners (None while a trainer looks at a never-published course)."""

    course: Course
    release: CourseRelease | None
    authoring: bool
    #: The courses to finish first (of the release a learner reads; of the draft for trainers).
    prerequisites: list[Course]


def view_course(kernel: Kernel, actor: Actor, course_id: str) -> CourseView:
    """The course page's data; CourseNotFound for drafts and audiences that exclude a learner."""
    try:
        course = kernel.store.get(Course, course_id)
    except NotFoundError:
        raise CourseNotFound(course_id) from None
    if can_author(actor):
        return CourseView(
            course,
            newest_release(kernel, course.id),
            True,
            _courses(kernel, list(course.prerequisites)),
        )
    release = readable_release(kernel, actor, course)
    shown = [c for c in _courses(kernel, list(release.prerequisites)) if c.status != "draft"]
    return CourseView(course, release, False, shown)  # a draft's title is not for learners


def _courses(kernel: Kernel, ids: list[str]) -> list[Course]:
    found = {c.id: c for c in kernel.store.find(Course, {"_id": {"$in": ids}})}
    return [found[i] for i in ids if i in found]


def readable_release(kernel: Kernel, actor: Actor, course: Course) -> CourseRelease:
    """The release a learner reads, or CourseNotFound (draft, or not in its audience)."""
    if not can_learn(actor) or course.status == CourseStatus.DRAFT or not course.release:
        raise CourseNotFound(course.id)
    release = newest_release(kernel, course.id)
    if release is None or not audience_admits(release.audience, learner_of(kernel, actor)):
        raise CourseNotFound(course.id)
    return release


@dataclass(frozen=True)
class CatalogueEntry:
    course: Course
    release: CourseRelease | None


def catalogue(
    kernel: Kernel, actor: Actor, *, page: int = 1, per_page: int = 20
) -> tuple[list[CatalogueEntry], int]:
    """One page of the courses the actor may open: for trainers every course (drafts too),
    for learners the published courses whose audience admits them."""
    page = max(page, 1)
    if can_author(actor):
        total = kernel.store.count(Course)
        courses = kernel.store.find(
            Course, sort=[("title_en", 1)], skip=(page - 1) * per_page, limit=per_page
        )
        releases = newest_releases(kernel, [c.id for c in courses if c.release])
        return [CatalogueEntry(c, releases.get(c.id)) for c in courses], total
    if not can_learn(actor):
        return [], 0
    courses = kernel.store.find(
        Course, {"status": CourseStatus.PUBLISHED.value}, sort=[("title_en", 1)]
    )
    releases = newest_releases(kernel, [c.id for c in courses])
    learner = learner_of(kernel, actor)
    visible = [
        CatalogueEntry(c, releases[c.id])
        for c in courses
        if c.id in releases and audience_admits(releases[c.id].audience, learner)
    ]
    start = (page - 1) * per_page
    return visible[start : start + per_page], len(visible)


@dataclass(frozen=True)
class FormChoices:
    """What the course form offers: roles, districts and the other courses."""

    roles: list[tuple[str, str]]
    districts: list[tuple[str, str]]
    courses: list[tuple[str, str]]


def form_choices(kernel: Kernel, actor: Actor, course_id: str | None = None) -> FormChoices:
    from mizan.accounts.roles import ROLE_LABELS

    require_author(actor)
    return FormChoices(
        roles=[(r.value, str(ROLE_LABELS.get(r, r.value))) for r in Role],
        districts=[
            (d.code, f"{d.name} ({d.code})")
            for d in kernel.store.find(District, sort=[("name", 1)])
        ],
        courses=[
            (c.id, c.title_en)
            for c in kernel.store.find(Course, sort=[("title_en", 1)])
            if c.id != course_id
        ],
    )
