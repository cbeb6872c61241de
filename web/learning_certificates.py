"""Certificates: the public verification page (no sign-in), a learner's certificates, the PDF,
and revocation by a trainer.

The verification page answers a code typed into its form (``/verify?code=``) or opened from
the address printed on the certificate (``/verify/<code>``) the same way.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from learning.certificates import (
    MAX_REASON,
    Certificate,
    CertificateNotFound,
    certificate_for_course,
    certificate_pdf,
    get_certificate,
    list_certificates,
    my_certificates,
    revoke_certificate,
    verify_code,
)
from learning.errors import LearningError
from mizan.storage import StaleWriteError
from web.support import actor, client_address, kernel

bp = Blueprint("learning_certificates", __name__)


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (shown on the public verification page)"),
        validators=[
            DataRequired(_l("Write why the certificate is revoked; the public page shows it.")),
            Length(max=MAX_REASON),
        ],
    )
    version = HiddenField()


@bp.app_template_global()
def course_certificate(course_id: str) -> Certificate | None:
    """The signed-in learner's valid certificate for the course page's partial."""
    if not getattr(current_user, "is_authenticated", False) or not course_id:
        return None
    return certificate_for_course(kernel(), actor(), course_id)


def _verify_page(code: str) -> ResponseReturnValue:
    result = verify_code(kernel(), code, address=client_address())
    status = 429 if result.status == "throttled" else 200
    return render_template("learning/certificates/verify.html", code=code, result=result), status


@bp.route("/verify")
def verify() -> ResponseReturnValue:
    return _verify_page(request.args.get("code", "")[:100])


@bp.route("/verify/<code>")
def verify_link(code: str) -> ResponseReturnValue:
    return _verify_page(code[:100])


@bp.route("/learning/certificates")
@login_required
def mine() -> ResponseReturnValue:
    return render_template(
        "learning/certificates/mine.html", certificates=my_certificates(kernel(), actor())
    )


@bp.route("/learning/certificates/all")
@login_required
def index() -> ResponseReturnValue:
    code = request.args.get("code", "")[:100]
    course_id = request.args.get("course", "")[:40]
    certificates = list_certificates(kernel(), actor(), code=code, course_id=course_id)
    return render_template("learning/certificates/index.html", certificates=certificates, code=code)


def _load(certificate_id: str) -> Certificate:
    try:
        return get_certificate(kernel(), actor(), certificate_id)
    except CertificateNotFound:
        abort(404)


@bp.route("/learning/certificates/<certificate_id>")
@login_required
def show(certificate_id: str) -> ResponseReturnValue:
    certificate = _load(certificate_id)
    form = RevokeForm(version=certificate.version)
    return render_template("learning/certificates/show.html", certificate=certificate, form=form)


@bp.route("/learning/certificates/<certificate_id>/certificate.pdf")
@login_required
def download(certificate_id: str) -> ResponseReturnValue:
    try:
        certificate, data = certificate_pdf(
            kernel(),
            actor(),
            certificate_id,
            verify_base=url_for("learning_certificates.verify", _external=True),
        )
    except CertificateNotFound:
        abort(404)
    except LearningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learning_certificates.mine"))
    filename = f"certificate-{certificate.code}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/learning/certificates/<certificate_id>/revoke", methods=["POST"])
@login_required
def revoke(certificate_id: str) -> ResponseReturnValue:
    form = RevokeForm()
    if not form.validate_on_submit():
        certificate = _load(certificate_id)
        return render_template(
            "learning/certificates/show.html", certificate=certificate, form=form
        ), 400
    try:
        version = int(form.version.data or 0)
    except ValueError:
        version = -1
    try:
        revoke_certificate(
            kernel(), actor(), certificate_id, reason=form.reason.data or "", version=version
        )
    except CertificateNotFound:
        abort(404)
    except (LearningError, StaleWriteError) as exc:
        form.form_errors.append(str(exc))
        certificate = _load(certificate_id)
        form.version.data = str(certificate.version)
        return render_template(
            "learning/certificates/show.html", certificate=certificate, form=form
        ), 409 if isinstance(exc, StaleWriteError) else 400
    flash(_("The certificate is revoked."), "success")
    return redirect(url_for("learning_certificates.show", certificate_id=certificate_id))
