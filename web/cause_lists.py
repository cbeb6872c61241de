"""Court cause lists from PDF: upload, review the matches, accept rows.

The reading and matching are in ``ingestion.cause_list_upload`` and
``casefiles.cause_list_reviews``; this module parses the forms and renders.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.cause_list_reviews import (
    ReviewError,
    accept_entry,
    accept_sure,
    entries_of,
    get_import,
    list_imports,
)
from casefiles.cause_lists import CauseListError
from casefiles.hearings import PURPOSES
from casefiles.policy import may_import_cause_lists
from ingestion.cause_list_upload import upload_cause_list
from mizan.accounts.service import PermissionDenied
from web.support import actor, kernel

bp = Blueprint("cause_lists", __name__, url_prefix="/cause-lists")

LEVEL_LABELS = {
    "sure": _l("Sure match"),
    "likely": _l("Likely match"),
    "unmatched": _l("Not matched"),
    "outside": _l("Outside your district"),
    "error": _l("Could not be read"),
}


class UploadForm(FlaskForm):
    file = FileField(
        _l("Cause list (PDF or scanned page)"),
        validators=[FileRequired(_l("Choose the cause list file."))],
    )
    court = StringField(
        _l("Court (if the list does not say)"), validators=[Optional(), Length(max=120)]
    )
    day = DateField(_l("Date (if the list does not say)"), validators=[Optional()])


class AcceptForm(FlaskForm):
    entry_id = HiddenField(validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()])


class AcceptSureForm(FlaskForm):
    pass


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """Upload a cause list; the lists read before."""
    who = actor()
    if not may_import_cause_lists(who):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            record = upload_cause_list(
                kernel(),
                who,
                upload.stream,
                upload.filename or "cause-list.pdf",
                court=form.court.data or "",
                day=form.day.data.isoformat() if form.day.data else "",
            )
        except CauseListError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("The cause list was read. Check the matches and accept the rows."), "success")
            return redirect(url_for("cause_lists.review", import_id=record.id))
    return render_template(
        "cause_lists/index.html", form=form, imports=list_imports(kernel(), who)
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/<import_id>")
@login_required
def review(import_id: str) -> ResponseReturnValue:
    """The rows of one list by level, each with what accepting it would do or did."""
    who = actor()
    try:
        record = get_import(kernel(), who, import_id)
    except ReviewError:
        abort(404)
    entries = entries_of(kernel(), who, import_id)
    groups = {level: [e for e in entries if e.level == level] for level in LEVEL_LABELS}
    waiting_sure = sum(1 for e in groups["sure"] if e.state == "pending")
    return render_template(
        "cause_lists/review.html",
        record=record,
        groups=groups,
        labels=LEVEL_LABELS,
        purposes=PURPOSES,
        waiting_sure=waiting_sure,
        accept_form=AcceptForm(),
        sure_form=AcceptSureForm(),
    )


def _report_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        flash(warning + " " + _("The prosecutor has been told."), "warning")


@bp.route("/<import_id>/accept", methods=["POST"])
@login_required
def accept(import_id: str) -> ResponseReturnValue:
    form = AcceptForm()
    if not form.validate_on_submit():
        flash(_("The form was out of date; try again."), "error")
        return redirect(url_for("cause_lists.review", import_id=import_id))
    try:
        done = accept_entry(
            kernel(), actor(), import_id, form.entry_id.data, version=form.version.data or 0
        )
    except ReviewError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Row %(n)d accepted.", n=done.entry.n), "success")
        _report_warnings(done.warnings)
    return redirect(url_for("cause_lists.review", import_id=import_id))


@bp.route("/<import_id>/accept-sure", methods=["POST"])
@login_required
def accept_all_sure(import_id: str) -> ResponseReturnValue:
    if not AcceptSureForm().validate_on_submit():
        flash(_("The form was out of date; try again."), "error")
        return redirect(url_for("cause_lists.review", import_id=import_id))
    try:
        done = accept_sure(kernel(), actor(), import_id)
    except ReviewError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(n)d sure rows accepted.", n=len(done)), "success")
        for item in done:
            _report_warnings(item.warnings)
    return redirect(url_for("cause_lists.review", import_id=import_id))
