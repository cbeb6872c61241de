"""Scrutiny of the police report from the case page."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField

from casefiles.scrutiny import record_scrutiny
from web.support import actor, case_action, kernel

bp = Blueprint("case_scrutiny", __name__, url_prefix="/cases")


class ScrutinyForm(FlaskForm):
    """CSRF and version; the checklist boxes are read from the request as a list."""

    version = HiddenField()


@bp.route("/<case_id>/scrutiny", methods=["POST"])
@login_required
def decide(case_id: str) -> ResponseReturnValue:
    form = ScrutinyForm()
    if not form.validate_on_submit():
        abort(400)
    objections = request.form.get("objections", "").splitlines()
    return case_action(
        case_id,
        lambda: record_scrutiny(
            kernel(),
            actor(),
            case_id,
            version=int(form.version.data or 0),
            checked=request.form.getlist("checked"),
            objections=objections,
            decision=request.form.get("decision", ""),
            opinion=request.form.get("opinion", ""),
        ),
        _("The scrutiny decision was recorded."),
        "#scrutiny",
    )
