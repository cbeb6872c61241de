"""Cases: list, open, view, assign."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from casefiles.case_lists import SORT_LABELS, CaseQueryError, case_list, parse_query
from casefiles.intake import CHALLAN_KINDS
from casefiles.models import CASE_LABELS, CASE_STATES, Case
from casefiles.pages import case_page, new_case_districts
from casefiles.policy import may_assign_cases, may_create_cases
from casefiles.protected_identities import reveal_identities
from casefiles.scrutiny import checklist
from casefiles.service import (
    CaseError,
    CaseNotFound,
    NewCase,
    assign,
    change_stage,
    create_case,
    get_case,
)
from casefiles.workflow import CANCELLATION_CLASSES, OUTCOMES, allowed_from
from mizan.accounts.service import PermissionDenied
from mizan.clock import pakistan_today, utc_naive_now
from mizan.i18n import lazy_gettext as _l
from web.admin import MultiCheckboxField
from web.case_challans import ChallanForm
from web.documents import LANG_CHOICES, UploadForm
from web.police import police_context
from web.saved_filters import saved_filter_context
from web.support import (
    Pagination,
    actor,
    case_action,
    flash_form_errors,
    kernel,
)

bp = Blueprint("cases", __name__, url_prefix="/cases")


PER_PAGE = 25


class CaseForm(FlaskForm):
    district = SelectField(
        _l("District"), validators=[InputRequired(lazy_gettext("Choose the district."))]
    )
    police_station = StringField(
        _l("Police station"),
        validators=[
            InputRequired(lazy_gettext("Enter the police station.")),
            Length(
                max=80,
                message=lazy_gettext("The police station name is too long (80 letters at most)."),
            ),
        ],
    )
    fir_number = IntegerField(
        _l("FIR number"),
        validators=[
            InputRequired(lazy_gettext("Enter the FIR number.")),
            NumberRange(1, 99999, lazy_gettext("The FIR number must be between 1 and 99999.")),
        ],
    )
    fir_year = IntegerField(
        _l("FIR year"),
        validators=[
            InputRequired(lazy_gettext("Enter the FIR year, e.g. 2024.")),
            NumberRange(1947, 2100, lazy_gettext("The FIR year must be between 1947 and 2100.")),
        ],
    )
    registered_on = DateField(_l("Registered on"), validators=[Optional()])
    labels = MultiCheckboxField(_l("Labels"), validators=[Optional()])
    title = StringField(
        _l("Short title"),
        validators=[Optional(), Length(max=200, message=lazy_gettext("The title is too long."))],
    )


class AssignForm(FlaskForm):
    lead = SelectField(_l("Lead prosecutor"), validators=[Optional()])
    assisting = SelectMultipleField(_l("Assisting prosecutors"), validators=[Optional()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
    version = HiddenField()


class StageForm(FlaskForm):
    target = SelectField(
        lazy_gettext("Next stage"),
        validators=[InputRequired(lazy_gettext("Choose the next stage."))],
    )
    outcome = SelectField(lazy_gettext("Outcome"), validators=[Optional()])
    cancellation_class = SelectField(
        lazy_gettext("Class of cancellation report"), validators=[Optional()]
    )
    reason = TextAreaField(
        lazy_gettext("Reason or note"),
        validators=[Optional(), Length(max=2000, message=lazy_gettext("The note is too long."))],
    )
    version = HiddenField()


def _stage_form(case: Case) -> StageForm:
    form = StageForm()
    form.target.choices = [(t.target, str(CASE_STATES[t.target])) for t in allowed_from(case.state)]
    form.outcome.choices = [("", _("— not decided —"))] + [(k, str(v)) for k, v in OUTCOMES.items()]
    form.cancellation_class.choices = [("", "—")] + [
        (k, str(v)) for k, v in CANCELLATION_CLASSES.items()
    ]
    return form


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    who = actor()
    try:
        query, errors = parse_query(request.args), {}
    except CaseQueryError as exc:
        query, errors = exc.query, exc.errors
    result = case_list(kernel(), who, query, per_page=PER_PAGE, now=utc_naive_now())
    return render_template(
        "cases/index.html",
        result=result,
        query=query,
        errors=errors,
        sorts=SORT_LABELS,
        cases=result.cases,
        pagination=Pagination(query.page, PER_PAGE, result.total),
        **saved_filter_context("cases", query.query_string()),
    ), (400 if errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    who = actor()
    if not may_create_cases(who):
        abort(403)
    form = CaseForm()
    form.labels.choices = [(key, str(label)) for key, label in CASE_LABELS.items()]
    form.district.choices = [(d.code, d.name) for d in new_case_districts(kernel(), who)]
    if form.validate_on_submit():
        try:
            case = create_case(
                kernel(),
                who,
                NewCase(
                    district=form.district.data,
                    police_station=form.police_station.data,
                    fir_number=form.fir_number.data,
                    fir_year=form.fir_year.data,
                    title=form.title.data or "",
                    registered_on=form.registered_on.data,
                    labels=tuple(form.labels.data or ()),
                ),
            )
        except (CaseError, PermissionDenied) as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Case %(ref)s opened.", ref=case.reference), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("cases/new.html", form=form), status


def _assign_form(case: Case) -> AssignForm:
    from casefiles.assignment import candidates

    form = AssignForm()
    prosecutors = candidates(kernel(), case)
    choices = [(u.id, u.full_name) for u in prosecutors]
    form.lead.choices = [("", _("— none —")), *choices]
    form.assisting.choices = choices
    return form


@bp.route("/<case_id>")
@login_required
def show(case_id: str) -> ResponseReturnValue:
    return render_case(case_id)


def render_case(case_id: str, *, reveal: bool = False) -> ResponseReturnValue:
    """The case page; ``reveal`` shows protected identities after an audited break-glass."""
    from library.bookmarks import collections_for_case
    from web.case_parties import OffencesForm, PartyForm, prepare_party_form
    from web.case_record import case_record_context
    from web.hearings import case_panel_context

    who = actor()
    try:
        case = get_case(kernel(), who, case_id)
    except CaseNotFound:
        abort(404)
    page = case_page(kernel(), who, case, pakistan_today())
    assign_form = None
    if page.may_assign:
        assign_form = _assign_form(case)
        assign_form.lead.data = case.lead_prosecutor or ""
        assign_form.assisting.data = list(case.assisting)
        assign_form.version.data = str(case.version)
    stage_form = None
    if page.can_edit and allowed_from(case.state):
        stage_form = _stage_form(case)
        stage_form.version.data = str(case.version)
    show_identities = reveal or page.shows_identities
    identities = reveal_identities(kernel(), who, case, channel="page") if show_identities else {}
    challan_form = None
    if page.can_edit:
        challan_form = ChallanForm(version=str(case.version), formdata=None)
    upload_form = UploadForm()
    if request.method == "GET" and kernel().settings.default_ocr_lang in dict(LANG_CHOICES):
        upload_form.lang.data = kernel().settings.default_ocr_lang
    return render_template(
        "cases/show.html",
        case=case,
        documents=page.documents,
        jobs=page.jobs,
        names=page.names,
        upload_form=upload_form,
        stage_form=stage_form,
        challan_form=challan_form,
        challan_kinds=CHALLAN_KINDS,
        deadlines=page.deadlines,
        outcomes=OUTCOMES,
        ocr=current_app.extensions["ocr_status"],
        incident=case.fir.incident_at,  # Pakistan time, as written in the FIR
        can_edit=page.can_edit,
        assign_form=assign_form,
        suggestions=page.suggestions,
        assignment_names=page.assignment_names,
        offences_form=OffencesForm(
            text="; ".join(o.canonical for o in case.offences), version=str(case.version)
        ),
        party_form=prepare_party_form(PartyForm(version=str(case.version))),
        show_identities=show_identities,
        identities=identities,
        can_break_glass=page.may_break_glass,
        repeat=page.repeat,
        checklist=checklist(),
        **case_panel_context(case),
        **case_record_context(case, pakistan_today()),
        **police_context(case),
        can_scrutinise=page.may_scrutinise,
        library_collections=collections_for_case(kernel(), who, case),
    )


@bp.route("/<case_id>/assign", methods=["POST"])
@login_required
def assign_view(case_id: str) -> ResponseReturnValue:
    who = actor()
    if not may_assign_cases(who):
        abort(403)
    try:
        case = get_case(kernel(), who, case_id)
    except CaseNotFound:
        abort(404)
    form = _assign_form(case)
    if not form.validate_on_submit():
        flash(_("Choose prosecutors from the list."), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    return case_action(
        case.id,
        lambda: assign(
            kernel(),
            who,
            case.id,
            version=int(form.version.data or 0),
            lead=form.lead.data or None,
            assisting=form.assisting.data,
            reason=form.reason.data or "",
        ),
        _("Assignment saved."),
    )


class AssignSuggestedForm(FlaskForm):
    user_id = HiddenField(validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
    version = HiddenField()


@bp.route("/<case_id>/assign-suggested", methods=["POST"])
@login_required
def assign_suggested_view(case_id: str) -> ResponseReturnValue:
    """The "Assign" button of a suggestion row: that prosecutor becomes the lead."""
    from casefiles.assignment import assign_suggested

    form = AssignSuggestedForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case_id) + "#assign")
    return case_action(
        case_id,
        lambda: assign_suggested(
            kernel(),
            actor(),
            case_id,
            form.user_id.data or "",
            version=int(form.version.data or 0),
            reason=form.reason.data or "",
        ),
        _("Assignment saved."),
        "#assign",
    )


@bp.route("/<case_id>/stage", methods=["POST"])
@login_required
def stage(case_id: str) -> ResponseReturnValue:
    who = actor()
    try:
        case = get_case(kernel(), who, case_id)
    except CaseNotFound:
        abort(404)
    form = _stage_form(case)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case.id))
    return case_action(
        case.id,
        lambda: change_stage(
            kernel(),
            who,
            case.id,
            version=int(form.version.data or 0),
            target=form.target.data,
            reason=form.reason.data or "",
            outcome=form.outcome.data or None,
            cancellation_class=form.cancellation_class.data or None,
        ),
        _("The case moved to “%(stage)s”.", stage=str(CASE_STATES[form.target.data])),
    )
