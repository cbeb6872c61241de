"""Training progress: a learner's own record, and per course and group for those who follow it.

A learner sees only their own record. Trainers and the Prosecutor General follow the whole
province; District Public Prosecutors and supervisors only their district
(``learning.access.group_scope``). Lessons are counted against the course's newest release
(progress is keyed by lesson id, so it survives a new version); a course is overdue when it
is not completed and its due date, a Pakistan day, has passed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from casefiles.assignment import Posting
from learning.access import can_follow_progress, group_scope
from learning.errors import CourseNotFound, LearningError
from learning.models import Course, CourseRelease, Enrolment, LessonProgress
from learning.releases import newest_releases
from mizan.accounts.models import District, User
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import pakistan_day_bounds, pakistan_today
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.spreadsheets import csv_text, inert_row

__all__ = [
    "SORTS",
    "STATUS_LABELS",
    "GroupProgress",
    "ProgressRow",
    "group_progress",
    "progress_csv",
    "progress_xlsx",
    "training_completed",
    "training_record",
]

STATUS_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "overdue": _l("Overdue"),
    "completed": _l("Completed"),
}
#: Sort keys the learner table accepts (anything else sorts by name).
SORTS = ("name", "district", "course", "status", "progress", "score", "due", "completed")
PER_PAGE = 50


@dataclass(frozen=True)
class ProgressRow:
    """One enrolment as the record and the progress pages show it."""

    enrolment: Enrolment
    course_title_en: str
    course_title_ur: str | None
    learner_name: str
    lessons_read: int
    lessons_total: int
    #: Time spent reading, from the reader's heartbeats.
    seconds: int
    #: "not_started", "in_progress", "overdue" or "completed".
    status: str

    @property
    def started(self) -> bool:
        return self.status != "not_started"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return round(100 * self.lessons_read / self.lessons_total)


def _status(enrolment: Enrolment, opened: bool, today: dt.date) -> str:
    if enrolment.completed_at is not None:
        return "completed"
    if enrolment.due_on is not None and enrolment.due_on < today:
        return "overdue"
    if opened or enrolment.best_score is not None:
        return "in_progress"
    return "not_started"


def _rows(kernel: Kernel, enrolments: Sequence[Enrolment], today: dt.date) -> list[ProgressRow]:
    """Rows for ``enrolments`` with a handful of queries, whatever their number."""
    if not enrolments:
        return []
    store = kernel.store
    course_ids = sorted({e.course_id for e in enrolments})
    user_ids = sorted({e.user_id for e in enrolments})
    releases = newest_releases(kernel, course_ids)
    courses = {c.id: c for c in store.find(Course, {"_id": {"$in": course_ids}})}
    users = {u.id: u for u in store.find(User, {"_id": {"$in": user_ids}})}
    read: dict[tuple[str, str], set[str]] = defaultdict(set)
    seconds: dict[tuple[str, str], int] = defaultdict(int)
    opened: set[tuple[str, str]] = set()
    for p in store.iter_all(
        LessonProgress, {"course_id": {"$in": course_ids}, "user_id": {"$in": user_ids}}
    ):
        key = (p.user_id, p.course_id)
        opened.add(key)
        seconds[key] += p.seconds or 0
        if p.read_at is not None:
            read[key].add(p.lesson_id)
    rows = []
    for e in enrolments:
        key = (e.user_id, e.course_id)
        release = releases.get(e.course_id)
        lesson_ids = {lesson.lesson_id for lesson in release.lessons} if release else set()
        titled: Course | CourseRelease | None = release or courses.get(e.course_id)
        user = users.get(e.user_id)
        rows.append(
            ProgressRow(
                enrolment=e,
                course_title_en=titled.title_en if titled else e.course_id,
                course_title_ur=titled.title_ur if titled else None,
                learner_name=user.full_name if user else e.user_id,
                lessons_read=len(read[key] & lesson_ids),
                lessons_total=len(lesson_ids),
                seconds=seconds[key],
                status=_status(e, key in opened, today),
            )
        )
    return rows


def training_record(kernel: Kernel, actor: Actor) -> list[ProgressRow]:
    """The actor's own courses: open ones first (soonest due first), then completed ones."""
    enrolments = kernel.store.find(Enrolment, {"user_id": actor.user_id, "withdrawn": False})
    rows = _rows(kernel, enrolments, pakistan_today())
    far = dt.date.max

    def order(row: ProgressRow) -> tuple[Any, ...]:
        e = row.enrolment
        if e.completed_at is None:
            return (0, e.due_on or far, row.course_title_en)
        return (1, -e.completed_at.timestamp(), row.course_title_en)

    return sorted(rows, key=order)


# -- per course and group -----------------------------------------------------------------


@dataclass(frozen=True)
class DistrictCount:
    code: str
    name: str
    name_ur: str | None
    enrolled: int
    completed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0


@dataclass(frozen=True)
class GroupProgress:
    """Counts, completion by district and one page of the learner table."""

    course: Course | None
    district: str | None
    atc_only: bool
    #: The district the viewer is limited to (None: the whole province).
    scope: str | None
    enrolled: int
    started: int
    completed: int
    overdue: int
    by_district: list[DistrictCount]
    rows: list[ProgressRow]
    total: int
    page: int
    per_page: int
    sort: str
    descending: bool
    #: Filter choices: courses anyone in scope is enrolled in, districts in scope.
    courses: list[Course]
    districts: list[District]


def _filter(
    kernel: Kernel,
    actor: Actor,
    course_id: str | None,
    district: str | None,
    atc_only: bool = False,
) -> tuple[dict[str, Any], Course | None, str | None, str | None]:
    """The enrolment filter for the viewer's scope and the chosen course, district and group
    (``atc_only``: prosecutors posted to an Anti-Terrorism Court)."""
    if not can_follow_progress(actor):
        raise PermissionDenied(_("You do not have permission to see others' training progress."))
    scope = group_scope(actor)
    district = (district or "").strip().upper() or None
    if district is not None and scope is not None and district != scope:
        raise PermissionDenied(_("You can only see the training progress of your own district."))
    if district is not None and kernel.store.find_one(District, {"code": district}) is None:
        raise LearningError(_("There is no district with the code %(code)s.", code=district))
    course = None
    if course_id:
        course = kernel.store.find_one(Course, {"_id": course_id})
        if course is None:
            raise CourseNotFound(course_id)
    flt: dict[str, Any] = {"withdrawn": False}
    if course is not None:
        flt["course_id"] = course.id
    if district is not None or scope is not None:
        flt["district"] = district if district is not None else scope
    if atc_only:
        posted = {p.user_id for p in kernel.store.find(Posting, {"atc": True})}
        flt["user_id"] = {"$in": sorted(posted)}
    return flt, course, district, scope


def _sort_key(sort: str) -> Any:
    keys: dict[str, Any] = {
        "name": lambda r: (r.learner_name.casefold(),),
        "district": lambda r: (r.enrolment.district or "", r.learner_name.casefold()),
        "course": lambda r: (r.course_title_en.casefold(), r.learner_name.casefold()),
        "status": lambda r: (list(STATUS_LABELS).index(r.status), r.learner_name.casefold()),
        "progress": lambda r: (r.percent, r.learner_name.casefold()),
        "score": lambda r: (
            -1.0 if r.enrolment.best_score is None else r.enrolment.best_score,
            r.learner_name.casefold(),
        ),
        "due": lambda r: (r.enrolment.due_on or dt.date.max, r.learner_name.casefold()),
        "completed": lambda r: (
            r.enrolment.completed_at or dt.datetime.max,
            r.learner_name.casefold(),
        ),
    }
    return keys.get(sort, keys["name"])


def progress_rows(
    kernel: Kernel,
    actor: Actor,
    *,
    course_id: str | None = None,
    district: str | None = None,
    atc_only: bool = False,
    sort: str = "name",
    descending: bool = False,
) -> list[ProgressRow]:
    """Every enrolment in the viewer's scope matching the filters, sorted (for the CSV too)."""
    flt, _course, _district, _scope = _filter(kernel, actor, course_id, district, atc_only)
    rows = _rows(kernel, kernel.store.find(Enrolment, flt), pakistan_today())
    return sorted(rows, key=_sort_key(sort), reverse=descending)


def group_progress(
    kernel: Kernel,
    actor: Actor,
    *,
    course_id: str | None = None,
    district: str | None = None,
    atc_only: bool = False,
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> GroupProgress:
    """Progress of everyone in scope on one course (or all), optionally in one district or
    only of ATC prosecutors."""
    flt, course, district, scope = _filter(kernel, actor, course_id, district, atc_only)
    store = kernel.store
    sort = sort if sort in SORTS else "name"
    rows = sorted(
        _rows(kernel, store.find(Enrolment, flt), pakistan_today()),
        key=_sort_key(sort),
        reverse=descending,
    )
    districts = store.find(District, {} if scope is None else {"code": scope}, sort=[("code", 1)])
    names = {d.code: (d.name, d.name_ur) for d in districts}
    enrolled: dict[str, int] = defaultdict(int)
    completed: dict[str, int] = defaultdict(int)
    for row in rows:
        code = row.enrolment.district or ""
        enrolled[code] += 1
        completed[code] += row.status == "completed"
    by_district = [
        DistrictCount(
            code,
            names.get(code, (code or _("No district"), None))[0],
            names.get(code, ("", None))[1],
            n,
            completed[code],
        )
        for code, n in sorted(enrolled.items())
    ]
    scope_flt: dict[str, Any] = {"withdrawn": False}
    if scope is not None:
        scope_flt["district"] = scope
    course_ids = sorted(store.group_count(Enrolment, "course_id", scope_flt))
    courses = store.find(Course, {"_id": {"$in": course_ids}}, sort=[("title_en", 1)])
    page = max(page, 1)
    return GroupProgress(
        course=course,
        district=district,
        atc_only=atc_only,
        scope=scope,
        enrolled=len(rows),
        started=sum(r.started for r in rows),
        completed=sum(r.status == "completed" for r in rows),
        overdue=sum(r.status == "overdue" for r in rows),
        by_district=by_district,
        rows=rows[(page - 1) * per_page : page * per_page],
        total=len(rows),
        page=page,
        per_page=per_page,
        sort=sort,
        descending=descending,
        courses=courses,
        districts=districts,
    )


def _table(rows: Sequence[ProgressRow]) -> list[list[object]]:
    """The learner table as plain cells, heading first (for the CSV and XLSX downloads)."""
    table: list[list[object]] = [
        [
            _("Learner"),
            _("District"),
            _("Course"),
            _("Status"),
            _("Lessons read"),
            _("Lessons"),
            _("Best quiz score, percent"),
            _("Minutes spent"),
            _("Due on"),
            _("Completed on"),
        ]
    ]
    for r in rows:
        e = r.enrolment
        table.append(
            [
                r.learner_name,
                e.district or "",
                r.course_title_en,
                r.status_label,
                r.lessons_read,
                r.lessons_total,
                "" if e.best_score is None else round(e.best_score),
                r.seconds // 60,
                e.due_on.isoformat() if e.due_on else "",
                pakistan_today(e.completed_at).isoformat() if e.completed_at else "",
            ]
        )
    return table


def progress_csv(
    kernel: Kernel,
    actor: Actor,
    *,
    course_id: str | None,
    district: str | None,
    atc_only: bool = False,
) -> str:
    """The learner table as CSV (one row per enrolment) for a spreadsheet."""
    return csv_text(
        _table(
            progress_rows(kernel, actor, course_id=course_id, district=district, atc_only=atc_only)
        )
    )


def progress_xlsx(
    kernel: Kernel,
    actor: Actor,
    *,
    course_id: str | None,
    district: str | None,
    atc_only: bool = False,
) -> bytes:
    """The learner table as an Excel workbook (Urdu names need no encoding choice there)."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Training progress")[:31]
    for line in _table(
        progress_rows(kernel, actor, course_id=course_id, district=district, atc_only=atc_only)
    ):
        sheet.append(inert_row(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- for the performance reports ------------------------------------------------------------


def training_completed(
    kernel: Kernel, user_ids: Iterable[str], start: dt.date, end: dt.date
) -> dict[str, int]:
    """Courses each user completed from ``start`` to ``end`` (Pakistan days, both included).

    Every user asked about is in the answer (0 if none); withdrawn enrolments do not count
    (a completed one cannot be withdrawn anyway).
    """
    ids = sorted(set(user_ids))
    counts = dict.fromkeys(ids, 0)
    if not ids or end < start:
        return counts
    since, _unused = pakistan_day_bounds(start)
    until = pakistan_day_bounds(end)[1]
    for e in kernel.store.find(
        Enrolment,
        {
            "user_id": {"$in": ids},
            "withdrawn": False,
            "completed_at": {"$gte": since, "$lt": until},
        },
    ):
        counts[e.user_id] += 1
    return counts


def courses_completed(kernel: Kernel, user_id: str, start: dt.date, end: dt.date) -> int:
    """One user's count for ``training_completed`` (the scorecard's question)."""
    return training_completed(kernel, [user_id], start, end)[user_id]
