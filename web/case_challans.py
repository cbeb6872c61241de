"""A challan received on paper, entered from the case page (the police API's twin)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.intake import CHALLAN_KINDS, enter_paper_challan
from mizan.i18n import lazy_gettext as _l
from web.support import actor, case_action, flash_form_errors, kernel

bp = Blueprint("case_challans", __name__, url_prefix="/cases")


class ChallanForm(FlaskForm):
    kind = SelectField(
        _l("Kind of challan"),
        choices=[(k, v) for k, v in CHALLAN_KINDS.items()],
        validators=[InputRequired(lazy_gettext("Choose whether the challan is interim or final."))],
    )
    submitted_on = DateField(
        _l("Submitted by the police on"),
        validators=[InputRequired(lazy_gettext("Enter the date the police submitted it."))],
    )
    io_name = StringField(
        _l("Investigating officer"),
        validators=[
            Optional(),
            Length(max=120, message=lazy_gettext("The name is too long (120 letters at most).")),
        ],
    )
    version = HiddenField()


@bp.route("/<case_id>/challans", methods=["POST"])
@login_required
def enter(case_id: str) -> ResponseReturnValue:
    form = ChallanForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case_id) + "#challans")
    return case_action(
        case_id,
        lambda: enter_paper_challan(
            kernel(),
            actor(),
            case_id,
            version=int(form.version.data or 0),
            kind=form.kind.data,
            submitted_on=form.submitted_on.data,
            io_name=form.io_name.data or "",
        ),
        _("The challan was recorded."),
        "#challans",
    )
