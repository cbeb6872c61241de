"""A course's quiz results as an Excel workbook, for the trainer's own records and reports.

One row per attempt, times in Pakistan time. Text a learner's name could carry is written
as text, never as a formula (a name beginning with "=" must not run in Excel). The export
is audited: it carries learners' names and scores.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from learning.access import can_author
from learning.errors import CourseNotFound
from learning.models import Course
from learning.quiz_models import STATUS_LABELS, Attempt, AttemptStatus
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import pakistan_wall_time
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.spreadsheets import inert
from mizan.storage import NotFoundError


def _text(value: str | None) -> str:
    """``value`` as inert text (``mizan.spreadsheets.inert``)."""
    return str(inert(value or ""))


def results_workbook(kernel: Kernel, actor: Actor, course_id: str) -> bytes:
    """Every attempt at the course's quiz as XLSX bytes (trainers only)."""
    if not can_author(actor):
        raise PermissionDenied(_("Only trainers can download quiz results."))
    try:
        course = kernel.store.get(Course, course_id)
    except NotFoundError:
        raise CourseNotFound(course_id) from None
    attempts = kernel.store.find(
        Attempt, {"course_id": course.id}, sort=[("user_id", 1), ("number", 1)]
    )
    users = {
        u.id: u
        for u in kernel.store.find(User, {"_id": {"$in": sorted({a.user_id for a in attempts})}})
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Results"
    sheet.append(
        [
            _("Learner"),
            _("Username"),
            _("District"),
            _("Attempt"),
            _("Status"),
            _("Started"),
            _("Submitted"),
            _("Score (percent)"),
            _("Passed"),
        ]
    )
    for a in attempts:
        user = users.get(a.user_id)
        sheet.append(
            [
                _text(user.full_name if user else a.user_id),
                _text(user.username if user else ""),
                _text(a.district),
                a.number,
                str(STATUS_LABELS.get(AttemptStatus(a.status), a.status)),
                pakistan_wall_time(a.started_at),
                pakistan_wall_time(a.submitted_at) if a.submitted_at else None,
                a.score,
                (_("Yes") if a.passed else _("No")) if a.score is not None else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    kernel.emit(
        DomainEvent(
            "learning.quiz.results_exported",
            actor,
            "course",
            course.id,
            {"course_id": course.id, "rows": len(attempts)},
            changes_state=False,
        )
    )
    return buffer.getvalue()
