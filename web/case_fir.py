"""The FIR details of a case: when and where the offence happened, and the narrative.

Edited on a page of its own because the narrative can be pages long: a stale or invalid
save comes back with everything the user typed still in the form, never lost.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, TextAreaField, TimeField
from wtforms.validators import Length, Optional

from casefiles.fir_details import MAX_NARRATIVE, MAX_PLACE, update_fir
from casefiles.models import Case
from casefiles.policy import can_edit_case
from casefiles.service import CaseError, CaseNotFound, get_case
from mizan.accounts.service import PermissionDenied
from mizan.storage import StaleWriteError
from web.support import actor, kernel

bp = Blueprint("case_fir", __name__, url_prefix="/cases")


class FirForm(FlaskForm):
    registered_on = DateField(lazy_gettext("FIR registered on"), validators=[Optional()])
    incident_on = DateField(lazy_gettext("Date of the incident"), validators=[Optional()])
    incident_time = TimeField(lazy_gettext("Time of the incident"), validators=[Optional()])
    place = StringField(
        lazy_gettext("Place of the incident"), validators=[Optional(), Length(max=MAX_PLACE)]
    )
    narrative = TextAreaField(
        lazy_gettext("Narrative (the complainant's account, as in the FIR)"),
        validators=[Optional(), Length(max=MAX_NARRATIVE)],
    )
    version = HiddenField()


def _load(case_id: str) -> Case:
    try:
        case = get_case(kernel(), actor(), case_id)
    except CaseNotFound:
        abort(404)
    if not can_edit_case(actor(), case):
        abort(403, description=_("You cannot change this case."))  # audited (web/errors.py)
    return case


def _fill(form: FirForm, case: Case) -> None:
    fir = case.fir
    form.registered_on.data = fir.registered_on.date() if fir.registered_on else None
    happened = fir.incident_at  # Pakistan time, as in the FIR
    form.incident_on.data = happened.date() if happened else None
    form.incident_time.data = happened.time() if happened else None
    form.place.data = fir.place or ""
    form.narrative.data = fir.narrative or ""
    form.version.data = str(case.version)


def _incident(form: FirForm) -> dt.datetime | None:
    if form.incident_on.data is None:
        if form.incident_time.data is not None:
            form.incident_on.errors = [_("Give the date of the incident as well as the time.")]
        return None
    return dt.datetime.combine(form.incident_on.data, form.incident_time.data or dt.time())


@bp.route("/<case_id>/fir", methods=["GET", "POST"])
@login_required
def edit(case_id: str) -> ResponseReturnValue:
    case = _load(case_id)
    form = FirForm()
    status = 200
    if not form.is_submitted():
        _fill(form, case)
    elif form.validate():
        incident = _incident(form)
        if not form.incident_on.errors:
            try:
                update_fir(
                    kernel(),
                    actor(),
                    case.id,
                    version=int(form.version.data or -1),
                    registered_on=form.registered_on.data,
                    incident_at=incident,
                    place=form.place.data or "",
                    narrative=form.narrative.data or "",
                )
            except StaleWriteError:
                case = _load(case_id)  # what is saved now; the form keeps what was typed
                form.version.data = str(case.version)
                form.form_errors.append(
                    _(
                        "Someone changed this case after you opened this page. Nothing was "
                        "saved: your entries are still below. Check the case, then save again."
                    )
                )
                status = 409
            except PermissionDenied:
                abort(403, description=_("You cannot change this case."))
            except CaseError as exc:
                form.form_errors.append(str(exc))
                status = 400
            else:
                flash(_("FIR details saved."), "success")
                return redirect(url_for("cases.show", case_id=case.id) + "#fir")
        else:
            status = 400
    else:
        status = 400
    return render_template("cases/fir.html", case=case, form=form), status
