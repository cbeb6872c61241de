"""Enrolment and progress pages: my training record, enrol/withdraw, assign a course to a group,
training progress by course and district (with a chart and CSV), and the course page's
enrolment panel (partial ``learning/_course_enrol.html``, fed by the ``course_enrolment``
Jinja global).

Each view parses the request, calls one service of ``learning.enrolment`` or
``learning.progress`` and renders; the services decide who may do what.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_number, get_locale, lazy_gettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import Optional

from learning.enrolment import (
    AssignOptions,
    EnrolPanel,
    Group,
    assign_course,
    assign_options,
    enrol_panel,
    self_enrol,
    withdraw,
)
from learning.errors import CourseNotFound, LearningError
from learning.models import Course
from learning.progress import (
    GroupProgress,
    group_progress,
    progress_csv,
    progress_xlsx,
    training_record,
)
from mizan.storage import StaleWriteError
from web.dashboard import ACCENT, LIGHT, BarChart, bar_chart
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("learning_progress", __name__, url_prefix="/learning")


class AssignForm(FlaskForm):
    course = SelectField(lazy_gettext("Course"), validate_choice=False)
    kind = RadioField(
        lazy_gettext("Assign to"),
        choices=[
            ("district", lazy_gettext("All prosecutors of a district")),
            ("atc", lazy_gettext("Everyone posted to an Anti-Terrorism Court")),
            ("users", lazy_gettext("Chosen people")),
        ],
        default="district",
        validate_choice=False,
    )
    district = SelectField(lazy_gettext("District"), validate_choice=False)
    users = SelectMultipleField(lazy_gettext("People"), validate_choice=False)
    due_on = DateField(lazy_gettext("Due on"), validators=[Optional()])


class WithdrawForm(FlaskForm):
    version = HiddenField()
    next = HiddenField()


def _rtl() -> bool:
    locale = get_locale()
    return bool(locale and locale.character_order == "right-to-left")


def _back(default: str) -> str:
    """A ``next`` inside Mizan, or ``default`` (never another site)."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# -- the course page's panel ----------------------------------------------------------------


@bp.app_template_global()
def course_enrolment(course: Course) -> EnrolPanel | None:
    """The signed-in reader's enrolment panel for ``course`` (None: show nothing)."""
    if not getattr(current_user, "is_authenticated", False) or course is None:
        return None
    return enrol_panel(kernel(), actor(), course.id)


# -- a learner's own ------------------------------------------------------------------------


@bp.route("/record")
@login_required
def record() -> ResponseReturnValue:
    return render_template("learning/progress/record.html", rows=training_record(kernel(), actor()))


@bp.route("/enrolment/<course_id>")
@login_required
def enrolment(course_id: str) -> ResponseReturnValue:
    """The learner's page for one course: enrol, assigned by whom and when due, progress."""
    panel = enrol_panel(kernel(), actor(), course_id)
    if panel is None:
        abort(404)
    return render_template(
        "learning/progress/enrolment.html",
        panel=panel,
        release=panel.release,
        withdraw_form=WithdrawForm(),
    )


@bp.route("/courses/<course_id>/enrol", methods=["POST"])
@login_required
def enrol(course_id: str) -> ResponseReturnValue:
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        self_enrol(kernel(), actor(), course_id)
    except CourseNotFound:
        abort(404)
    except (LearningError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("You are enrolled. Start with the first lesson."), "success")
    return redirect(_back(url_for("learning_progress.enrolment", course_id=course_id)))


@bp.route("/enrolments/<enrolment_id>/withdraw", methods=["POST"])
@login_required
def withdraw_(enrolment_id: str) -> ResponseReturnValue:
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = int(form.version.data or "")
    except ValueError:
        version = -1
    try:
        withdraw(kernel(), actor(), enrolment_id, version=version)
    except (LearningError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("Withdrawn from the course. What you read is kept."), "success")
    return redirect(_back(url_for("learning_progress.record")))


# -- assigning ------------------------------------------------------------------------------


def _choices(form: AssignForm, options: AssignOptions) -> None:
    lang = str(get_locale() or "en")
    form.course.choices = [("", _("Choose a course"))] + [
        (c.id, c.title_ur if lang == "ur" and c.title_ur else c.title_en) for c in options.courses
    ]
    form.district.choices = [("", _("Choose a district"))] + [
        (d.code, d.name_ur if lang == "ur" and d.name_ur else d.name) for d in options.districts
    ]
    form.users.choices = [
        (u.id, f"{u.full_name} ({u.district})" if u.district else u.full_name)
        for u in options.people
    ]


@bp.route("/assign", methods=["GET", "POST"])
@login_required
def assign() -> ResponseReturnValue:
    options = assign_options(kernel(), actor())
    form = AssignForm()
    if request.method == "GET":
        form.course.data = request.args.get("course") or ""
    _choices(form, options)
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            group = Group(
                form.kind.data or "",  # type: ignore[arg-type]
                (form.district.data or "").strip().upper() or None,
                tuple(form.users.data or ()),
            )
            try:
                summary = assign_course(
                    kernel(), actor(), form.course.data or "", group, form.due_on.data
                )
            except CourseNotFound:
                form.form_errors.append(_("Choose a published course."))
                status = 400
            except LearningError as exc:
                form.form_errors.append(str(exc))
                status = 400
            else:
                flash(
                    _(
                        "Course assigned: %(added)s added, %(already)s already enrolled, "
                        "%(outside)s outside the course's audience (not enrolled).",
                        added=format_number(summary.added),
                        already=format_number(summary.already_enrolled),
                        outside=format_number(summary.outside_audience),
                    ),
                    "success",
                )
                return redirect(url_for("learning_progress.progress", course=form.course.data))
    return render_template("learning/progress/assign.html", form=form, options=options), status


# -- following others' progress -------------------------------------------------------------


def _chart(board: GroupProgress) -> BarChart | None:
    """Completed and not completed per district; the share completed is the number shown."""
    if not board.by_district:
        return None
    rtl = _rtl()
    done, left = _("Completed"), _("Not completed")
    rows: list[tuple[str, list[tuple[float, str, str]], str]] = []
    for d in board.by_district:
        name = d.name_ur if rtl and d.name_ur else d.name
        rows.append(
            (
                name,
                [
                    (d.completed, ACCENT, f"{name} — {done}: {format_number(d.completed)}"),
                    (
                        d.enrolled - d.completed,
                        LIGHT,
                        f"{name} — {left}: {format_number(d.enrolled - d.completed)}",
                    ),
                ],
                f"{d.percent}%",
            )
        )
    return bar_chart(rows, rtl=rtl)


def _filters() -> tuple[str | None, str | None, bool]:
    """The chosen course id, district code and group ("atc") from the query string."""
    return (
        request.args.get("course") or None,
        request.args.get("district") or None,
        request.args.get("group") == "atc",
    )


@bp.route("/progress")
@login_required
def progress() -> ResponseReturnValue:
    sort = request.args.get("sort") or "name"
    descending = sort.startswith("-")
    course_id, district, atc_only = _filters()
    try:
        board = group_progress(
            kernel(),
            actor(),
            course_id=course_id,
            district=district,
            atc_only=atc_only,
            sort=sort.lstrip("-"),
            descending=descending,
            page=page_arg(),
        )
    except CourseNotFound:
        abort(404)
    except LearningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learning_progress.progress"))
    return render_template(
        "learning/progress/progress.html",
        board=board,
        chart=_chart(board),
        pagination=Pagination(board.page, board.per_page, board.total),
        sort=sort,
    )


def _progress_file(
    make: Callable[..., str | bytes], mimetype: str, filename: str
) -> ResponseReturnValue:
    """The progress table as a download (the filters of the page, the same scope)."""
    course_id, district, atc_only = _filters()
    try:
        data = make(kernel(), actor(), course_id=course_id, district=district, atc_only=atc_only)
    except CourseNotFound:
        abort(404)
    except LearningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learning_progress.progress"))
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/progress.csv")
@login_required
def progress_download() -> ResponseReturnValue:
    # A byte-order mark first, so spreadsheets read Urdu names as UTF-8.
    return _progress_file(
        lambda *a, **kw: "\ufeff" + progress_csv(*a, **kw), "text/csv", "training-progress.csv"
    )


@bp.route("/progress.xlsx")
@login_required
def progress_workbook() -> ResponseReturnValue:
    return _progress_file(
        progress_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "training-progress.xlsx",
    )
