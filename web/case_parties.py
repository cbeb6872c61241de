"""The people and offences of a case: forms and the break-glass view."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.models import CUSTODY, PARTY_ROLES
from casefiles.parties import PartyInput, add_party, break_glass, remove_party, set_offences
from casefiles.service import CaseError, CaseNotFound
from web.cases import render_case
from web.support import actor, case_action, flash_form_errors, kernel

bp = Blueprint("case_parties", __name__, url_prefix="/cases")


class OffencesForm(FlaskForm):
    text = StringField(
        lazy_gettext("Sections of law"),
        validators=[
            InputRequired(lazy_gettext("Write the sections, e.g. 302/34 PPC.")),
            Length(max=500),
        ],
    )
    version = HiddenField()


class PartyForm(FlaskForm):
    role = SelectField(lazy_gettext("Role in the case"))
    name = StringField(
        lazy_gettext("Name (aliases after @)"),
        validators=[InputRequired(lazy_gettext("Enter the person's name.")), Length(max=200)],
    )
    parentage = StringField(
        lazy_gettext("Parentage (s/o, d/o, w/o …)"), validators=[Optional(), Length(max=200)]
    )
    cnic = StringField(lazy_gettext("CNIC"), validators=[Optional(), Length(max=20)])
    gender = SelectField(lazy_gettext("Gender"), validators=[Optional()])
    custody = SelectField(lazy_gettext("Custody (accused)"), validators=[Optional()])
    protected = BooleanField(lazy_gettext("Protected witness"))
    pseudonym = StringField(lazy_gettext("Pseudonym"), validators=[Optional(), Length(max=60)])
    version = HiddenField()


class BreakGlassForm(FlaskForm):
    reason = StringField(
        lazy_gettext("Why you need to see the identities"),
        validators=[InputRequired(), Length(max=500)],
    )


def prepare_party_form(form: PartyForm) -> PartyForm:
    form.role.choices = [(k, str(v)) for k, v in PARTY_ROLES.items()]
    form.gender.choices = [
        ("", "—"),
        ("male", _("Male")),
        ("female", _("Female")),
        ("other", _("Other")),
    ]
    form.custody.choices = [("", "—")] + [(k, str(v)) for k, v in CUSTODY.items()]
    return form


def _back(case_id: str) -> ResponseReturnValue:
    return redirect(url_for("cases.show", case_id=case_id) + "#people")


@bp.route("/<case_id>/offences", methods=["POST"])
@login_required
def offences(case_id: str) -> ResponseReturnValue:
    form = OffencesForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(case_id)
    return case_action(
        case_id,
        lambda: set_offences(
            kernel(), actor(), case_id, version=int(form.version.data or 0), text=form.text.data
        ),
        _("Sections saved."),
        "#people",
    )


@bp.route("/<case_id>/parties", methods=["POST"])
@login_required
def add(case_id: str) -> ResponseReturnValue:
    form = prepare_party_form(PartyForm())
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(case_id)
    data = PartyInput(
        role=form.role.data,
        name=form.name.data,
        parentage=form.parentage.data or "",
        cnic=form.cnic.data or "",
        gender=form.gender.data or "",
        custody=form.custody.data or "",
        protected=form.protected.data,
        pseudonym=form.pseudonym.data or "",
    )
    return case_action(
        case_id,
        lambda: add_party(
            kernel(), actor(), case_id, version=int(form.version.data or 0), data=data
        ),
        _("Person added to the case."),
        "#people",
    )


class RemovePartyForm(FlaskForm):
    version = HiddenField()


@bp.route("/<case_id>/parties/<party_id>/remove", methods=["POST"])
@login_required
def remove(case_id: str, party_id: str) -> ResponseReturnValue:
    form = RemovePartyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(case_id)
    return case_action(
        case_id,
        lambda: remove_party(
            kernel(), actor(), case_id, version=int(form.version.data or 0), party_id=party_id
        ),
        _("Person removed from the case."),
        "#people",
    )


@bp.route("/<case_id>/break-glass", methods=["POST"])
@login_required
def reveal(case_id: str) -> ResponseReturnValue:
    form = BreakGlassForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(case_id)
    try:
        break_glass(kernel(), actor(), case_id, form.reason.data)
    except CaseNotFound:
        abort(404)
    except CaseError as exc:
        flash(str(exc), "error")
        return _back(case_id)
    return render_case(case_id, reveal=True)
