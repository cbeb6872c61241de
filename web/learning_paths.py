"""Learning paths: the catalogue, one path with the learner's status in each course, and the
trainer's form to write or edit a path (courses chosen in order, one per row)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from learning.errors import LearningError
from learning.models import LearningPath
from learning.paths import (
    MAX_COURSES,
    PathFields,
    PathNotFound,
    course_choices,
    create_path,
    get_path_for_edit,
    list_paths,
    path_page,
    update_path,
)
from mizan.storage import StaleWriteError
from web.support import actor, kernel

bp = Blueprint("learning_paths", __name__)

#: Empty course rows offered below the chosen ones.
SPARE_ROWS = 3


class PathForm(FlaskForm):
    title_en = StringField(_l("Title (English)"))
    title_ur = StringField(_l("Title (Urdu)"), render_kw={"dir": "rtl", "lang": "ur"})
    summary_en = TextAreaField(_l("Summary (English)"))
    summary_ur = TextAreaField(_l("Summary (Urdu)"), render_kw={"dir": "rtl", "lang": "ur"})
    version = HiddenField()


def _fields(form: PathForm) -> PathFields:
    return PathFields(
        title_en=form.title_en.data or "",
        title_ur=form.title_ur.data or "",
        summary_en=form.summary_en.data or "",
        summary_ur=form.summary_ur.data or "",
        course_ids=tuple(request.form.getlist("course")[: MAX_COURSES + SPARE_ROWS]),
    )


def _edit_page(
    form: PathForm,
    chosen: list[str],
    path: LearningPath | None,
    status: int = 200,
    saved: LearningPath | None = None,
) -> ResponseReturnValue:
    rows = chosen + [""] * SPARE_ROWS
    return render_template(
        "learning/paths/edit.html",
        form=form,
        path=path,
        saved=saved,
        rows=rows[: max(MAX_COURSES, len(chosen))],
        courses=course_choices(kernel(), actor()),
    ), status


@bp.route("/learning/paths")
@login_required
def index() -> ResponseReturnValue:
    return render_template("learning/paths/index.html", views=list_paths(kernel(), actor()))


@bp.route("/learning/paths/<path_id>")
@login_required
def show(path_id: str) -> ResponseReturnValue:
    try:
        view = path_page(kernel(), actor(), path_id)
    except PathNotFound:
        abort(404)
    return render_template("learning/paths/show.html", view=view)


@bp.route("/learning/paths/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    form = PathForm()
    if not form.is_submitted():
        return _edit_page(form, [], None)
    fields = _fields(form)
    if not form.validate():
        return _edit_page(form, list(fields.course_ids), None, 400)
    try:
        path = create_path(kernel(), actor(), fields)
    except LearningError as exc:
        form.form_errors.append(str(exc))
        return _edit_page(form, list(fields.course_ids), None, 400)
    flash(_("Learning path saved."), "success")
    return redirect(url_for("learning_paths.show", path_id=path.id))


@bp.route("/learning/paths/<path_id>/edit", methods=["GET", "POST"])
@login_required
def edit(path_id: str) -> ResponseReturnValue:
    try:
        path = get_path_for_edit(kernel(), actor(), path_id)
    except PathNotFound:
        abort(404)
    form = PathForm(obj=path)
    if not form.is_submitted():
        form.version.data = str(path.version)
        return _edit_page(form, list(path.course_ids), path)
    fields = _fields(form)
    if not form.validate():
        return _edit_page(form, list(fields.course_ids), path, 400)
    try:
        version = int(form.version.data or 0)
    except ValueError:
        version = -1
    try:
        update_path(kernel(), actor(), path.id, fields, version=version)
    except StaleWriteError:
        # Keep what the trainer chose; show what is saved now and take its version.
        saved = get_path_for_edit(kernel(), actor(), path.id)
        form.version.data = str(saved.version)
        form.form_errors.append(
            _(
                "Someone saved this path after you opened it. Your changes were not saved: "
                "they are still in the form. Compare them with the saved path, then save again."
            )
        )
        return _edit_page(form, list(fields.course_ids), path, 409, saved)
    except LearningError as exc:
        form.form_errors.append(str(exc))
        return _edit_page(form, list(fields.course_ids), path, 400)
    flash(_("Learning path saved."), "success")
    return redirect(url_for("learning_paths.show", path_id=path.id))
