"""Court postings of prosecutors (which courts they appear in; ATC or not), used to rank
assignment suggestions on the case page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from casefiles.assignment import add_posting, postings_of, remove_posting
from casefiles.pages import filter_districts, postings_district, prosecutors
from casefiles.policy import may_assign_cases
from casefiles.service import CaseError
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.support import actor, flash_form_errors, kernel

bp = Blueprint("assignment", __name__, url_prefix="/postings")


class PostingForm(FlaskForm):
    user_id = SelectField(_l("Prosecutor"), validators=[InputRequired()])
    court = StringField(
        _l("Court"),
        validators=[
            InputRequired(lazy_gettext("Enter the court, e.g. “ATC-XII Karachi”.")),
            Length(max=120, message=lazy_gettext("The court name is too long.")),
        ],
    )
    atc = BooleanField(_l("Posted as an Anti-Terrorism Court (ATC) prosecutor"))


class RemoveForm(FlaskForm):
    version = HiddenField()


def _district() -> str | None:
    return postings_district(actor(), (request.args.get("district") or "").strip().upper() or None)


def _staff(district: str | None) -> list[User]:
    return prosecutors(kernel(), district or None)


def _check() -> None:
    """Postings are kept by those who assign cases (else 403)."""
    if not may_assign_cases(actor()):
        abort(403)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    _check()
    district = _district()
    staff = _staff(district)
    form = PostingForm()
    form.user_id.choices = [(u.id, u.full_name) for u in staff]
    return render_template(
        "assignment/postings.html",
        staff=staff,
        postings=postings_of(kernel(), [u.id for u in staff]),
        form=form,
        remove_form=RemoveForm(),
        district=district,
        districts=filter_districts(kernel(), actor()),
    )


@bp.route("/add", methods=["POST"])
@login_required
def add() -> ResponseReturnValue:
    _check()
    form = PostingForm()
    form.user_id.choices = [(u.id, u.full_name) for u in _staff(None)]
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            add_posting(
                kernel(), actor(), form.user_id.data, form.court.data, atc=bool(form.atc.data)
            )
        except (CaseError, PermissionDenied) as exc:
            flash(str(exc), "error")
        else:
            flash(_("Posting saved."), "success")
    return redirect(url_for("assignment.index", district=request.args.get("district") or None))


@bp.route("/<posting_id>/remove", methods=["POST"])
@login_required
def remove(posting_id: str) -> ResponseReturnValue:
    _check()
    form = RemoveForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            remove_posting(kernel(), actor(), posting_id, int(form.version.data or 0))
        except (CaseError, PermissionDenied) as exc:
            flash(str(exc), "error")
        except StaleWriteError:
            flash(_("Someone changed this posting meanwhile; look again and retry."), "error")
        else:
            flash(_("Posting removed."), "success")
    return redirect(url_for("assignment.index", district=request.args.get("district") or None))
