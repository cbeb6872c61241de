"""Start a case from a scan: upload an FIR with no case, wait while it is read, confirm the
proposed case (every field editable) in one form, or file it into the case with that FIR."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField

from casefiles.service import CaseError
from ingestion.scan_intake import (
    EXTRA_ROWS,
    IntakeError,
    IntakeState,
    PersonRow,
    Proposal,
    ScanIntake,
    confirm_intake,
    existing_case,
    file_intake,
    intake_for,
    intake_job,
    propose,
    require_intake,
    start_intake,
)
from ingestion.service import UploadError
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.documents import LANG_CHOICES
from web.support import actor, kernel

bp = Blueprint("scan_intake", __name__, url_prefix="/scans")

#: Text fields of the proposal form, with the most each may hold (a narrative is long).
TEXT_FIELDS = {
    "police_station": 200,
    "fir_number": 20,
    "fir_year": 20,
    "registered_on": 40,
    "registered_at": 40,
    "occurred_on": 40,
    "occurred_at": 40,
    "place": 1000,
    "offences": 1000,
    "narrative": 40000,
}
#: Rows of people a form may send (more is not a form Mizan made).
MAX_ROWS = 50


class ScanForm(FlaskForm):
    file = FileField(_l("Scan or file of the FIR or challan (PDF, image, Word or text)"))
    lang = SelectField(_l("Language of the text"), choices=LANG_CHOICES, default="eng")


class ConfirmForm(FlaskForm):
    """The anti-forgery token and the version of the scan the clerk saw; the fields of the
    proposal are read by :func:`_proposal` (their number varies with the people read)."""

    version = HiddenField()


def _version(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _intake(intake_id: str) -> ScanIntake:
    try:
        return intake_for(kernel(), actor(), intake_id)
    except LookupError:
        abort(404)
    except PermissionDenied:
        abort(403)


def _rows(form: MultiDict, prefix: str) -> list[PersonRow]:
    rows = []
    for n in range(MAX_ROWS):
        keys = [f"{prefix}-{n}-{part}" for part in ("name", "parentage", "cnic")]
        if not any(k in form for k in keys):
            break
        rows.append(PersonRow(*(form.get(k, "")[:200] for k in keys)))
    return rows


def _proposal(form: MultiDict) -> tuple[Proposal, dict[str, str]]:
    """The proposal as sent, and the fields too long to be a value (refused unread)."""
    errors = {
        key: _("This value is too long.")
        for key, limit in TEXT_FIELDS.items()
        if len(form.get(key, "")) > limit
    }
    values = {key: form.get(key, "")[:limit] for key, limit in TEXT_FIELDS.items()}
    complainant = _rows(form, "complainant")
    return (
        Proposal(
            **values,
            complainant=complainant[0] if complainant else PersonRow(),
            accused=_rows(form, "accused"),
            witnesses=_rows(form, "witness"),
        ),
        errors,
    )


def _with_blank_rows(p: Proposal) -> Proposal:
    """Room to add people the reader missed."""
    blank = [PersonRow() for _n in range(EXTRA_ROWS)]
    p.accused = [*p.accused, *blank]
    p.witnesses = [*p.witnesses, *(PersonRow() for _n in range(EXTRA_ROWS))]
    return p


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    try:
        require_intake(actor())
    except PermissionDenied:
        abort(403)
    form = ScanForm()
    status = 200
    if request.method == "POST":
        upload = form.file.data
        if not form.validate_on_submit() or not upload or not upload.filename:
            form.form_errors.append(_("Choose a file to upload."))
            status = 400
        else:
            try:
                intake = start_intake(
                    kernel(),
                    actor(),
                    filename=upload.filename,
                    stream=upload.stream,
                    lang=form.lang.data,
                )
            except UploadError as exc:
                form.form_errors.append(str(exc))
                status = 400
            else:
                return redirect(url_for("scan_intake.show", intake_id=intake.id)), 303
    return render_template("scans/new.html", form=form), status


def _render(
    intake: ScanIntake, proposal: Proposal, errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    form = ConfirmForm(formdata=None, version=intake.version)
    return render_template(
        "scans/show.html",
        intake=intake,
        job=intake_job(kernel(), intake),
        proposal=_with_blank_rows(proposal),
        existing=existing_case(kernel(), actor(), intake.district, proposal),
        errors=errors,
        form=form,
    ), status


@bp.route("/<intake_id>")
@login_required
def show(intake_id: str) -> ResponseReturnValue:
    intake = _intake(intake_id)
    if intake.state == IntakeState.FILED and intake.case_id:
        return redirect(url_for("cases.show", case_id=intake.case_id))
    proposal = propose(intake) if intake.state == IntakeState.READY else Proposal()
    return _render(intake, proposal, {})


@bp.route("/<intake_id>/progress")
@login_required
def progress(intake_id: str) -> ResponseReturnValue:
    """The reading's progress alone; the page polls it and reloads once the reading ends."""
    intake = _intake(intake_id)
    return render_template("scans/_progress.html", intake=intake, job=intake_job(kernel(), intake))


@bp.route("/<intake_id>", methods=["POST"])
@login_required
def confirm(intake_id: str) -> ResponseReturnValue:
    intake = _intake(intake_id)
    form = ConfirmForm()
    proposal, errors = _proposal(request.form)
    version = _version(form.version.data)
    if not form.validate_on_submit() or version is None:
        flash(_("The form is out of date; reload the page and try again."), "error")
        return redirect(url_for("scan_intake.show", intake_id=intake.id)), 303
    if errors:
        return _render(intake, proposal, errors, 400)
    try:
        case, _document_id = confirm_intake(kernel(), actor(), intake.id, proposal, version=version)
    except IntakeError as exc:
        return _render(intake, proposal, exc.errors, 400)
    except (CaseError, UploadError) as exc:
        return _render(intake, proposal, {"form": str(exc)}, 400)
    except StaleWriteError:
        flash(_("Someone filed this scan meanwhile; nothing was changed."), "error")
        return redirect(url_for("scan_intake.show", intake_id=intake.id)), 303
    except PermissionDenied:
        abort(403)
    flash(
        _("Case %(ref)s opened from the scan; the scan is filed in it.", ref=case.reference),
        "success",
    )
    return redirect(url_for("cases.show", case_id=case.id)), 303


@bp.route("/<intake_id>/file", methods=["POST"])
@login_required
def file_into(intake_id: str) -> ResponseReturnValue:
    """File the scan into the existing case with the same FIR."""
    intake = _intake(intake_id)
    form = ConfirmForm()
    version = _version(form.version.data)
    case_id = request.form.get("case_id", "")
    if not form.validate_on_submit() or version is None or not case_id:
        flash(_("The form is out of date; reload the page and try again."), "error")
        return redirect(url_for("scan_intake.show", intake_id=intake.id)), 303
    try:
        case, document_id = file_intake(kernel(), actor(), intake.id, case_id, version=version)
    except LookupError:
        abort(404)
    except PermissionDenied:
        abort(403)
    except (CaseError, UploadError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("scan_intake.show", intake_id=intake.id)), 303
    except StaleWriteError:
        flash(_("Someone filed this scan meanwhile; nothing was changed."), "error")
        return redirect(url_for("scan_intake.show", intake_id=intake.id)), 303
    flash(_("The scan was filed into %(ref)s.", ref=case.reference), "success")
    return redirect(url_for("documents.show", document_id=document_id)), 303
