"""Court cause lists from PDF: upload or give the address, follow the reading, review the
matches, match rows by hand, accept rows.

The reading is a worker job (``ingestion.cause_list_jobs``), the matching and review are in
``casefiles.cause_list_reviews``; this module parses the forms and renders.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.cause_list_reviews import (
    ReviewError,
    accept_entry,
    accept_sure,
    candidate_cases,
    choose_case,
    entries_of,
    get_import,
    list_imports,
)
from casefiles.cause_lists import CauseListError
from casefiles.hearings import PURPOSES
from casefiles.policy import may_import_cause_lists
from ingestion.cause_list_jobs import (
    CauseListRequest,
    get_request,
    queue_file,
    queue_url,
    unfinished_requests,
)
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
    file = FileField(_l("Cause list (PDF or scanned page)"))
    url = StringField(
        _l("Or the address of the list on the court's web site"),
        validators=[Optional(), Length(max=2000)],
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


class ChooseForm(FlaskForm):
    case_id = HiddenField(validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()])


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    """Upload a cause list; the lists read before."""
    who = actor()
    if not may_import_cause_lists(who):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))
    form = UploadForm()
    if form.validate_on_submit():
        try:
            queued = _queue(form)
        except CauseListError as exc:
            form.form_errors.append(str(exc))
        else:
            return redirect(url_for("cause_lists.reading", request_id=queued.id))
    return render_template(
        "cause_lists/index.html",
        form=form,
        imports=list_imports(kernel(), who),
        unfinished=unfinished_requests(kernel(), who),
    ), (422 if form.errors or form.form_errors else 200)


def _queue(form: UploadForm) -> CauseListRequest:
    """The file or the address, whichever the clerk gave (one of them, not both)."""
    upload = form.file.data
    url = (form.url.data or "").strip()
    court = form.court.data or ""
    day = form.day.data.isoformat() if form.day.data else ""
    if bool(upload and upload.filename) == bool(url):
        raise CauseListError(_("Choose the cause list file, or give its address (one of them)."))
    if url:
        return queue_url(kernel(), actor(), url, court=court, day=day)
    return queue_file(
        kernel(), actor(), upload.stream, upload.filename or "cause-list.pdf", court=court, day=day
    )


@bp.route("/reading/<request_id>")
@login_required
def reading(request_id: str) -> ResponseReturnValue:
    """The list being read (progress, then the review), or why it could not be read."""
    try:
        queued, job = get_request(kernel(), actor(), request_id)
    except LookupError:
        abort(404)
    if queued.import_id:
        return redirect(url_for("cause_lists.review", import_id=queued.import_id))
    return render_template("cause_lists/reading.html", queued=queued, job=job)


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


@bp.route("/<import_id>/rows/<entry_id>/match")
@login_required
def match(import_id: str, entry_id: str) -> ResponseReturnValue:
    """Find the case a row names (by FIR or court number, reference or name) and pick it."""
    who = actor()
    try:
        record = get_import(kernel(), who, import_id)
    except ReviewError:
        abort(404)
    entry = next((e for e in entries_of(kernel(), who, import_id) if e.id == entry_id), None)
    if entry is None:
        abort(404)
    query = (request.args.get("q") or "").strip()[:100]
    if not query:
        query = entry.fields.get("case_number") or (
            f"{entry.fields['fir_number']}/{entry.fields.get('fir_year', '')}".rstrip("/")
            if entry.fields.get("fir_number")
            else ""
        )
    return render_template(
        "cause_lists/match.html",
        record=record,
        entry=entry,
        query=query,
        cases=candidate_cases(kernel(), who, query),
        purposes=PURPOSES,
        choose_form=ChooseForm(),
    )


@bp.route("/<import_id>/rows/<entry_id>/match", methods=["POST"])
@login_required
def choose(import_id: str, entry_id: str) -> ResponseReturnValue:
    form = ChooseForm()
    back = url_for("cause_lists.match", import_id=import_id, entry_id=entry_id)
    if not form.validate_on_submit():
        flash(_("The form was out of date; try again."), "error")
        return redirect(back)
    try:
        entry = choose_case(
            kernel(),
            actor(),
            import_id,
            entry_id,
            form.case_id.data or "",
            version=form.version.data or 0,
        )
    except ReviewError as exc:
        flash(str(exc), "error")
        return redirect(back)
    flash(
        _(
            "Row %(n)d is matched to %(case)s; accept it to apply it.",
            n=entry.n,
            case=entry.case_reference,
        ),
        "success",
    )
    return redirect(url_for("cause_lists.review", import_id=import_id) + f"#row-{entry.n}")
