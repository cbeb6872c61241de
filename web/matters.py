"""Child matters (bail, appeals, revisions, transfers, references): record one from the
case page, and each matter's own page with its number, prosecutor, hearings and clocks."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from casefiles.hearing_calendars import known_courts
from casefiles.matter_lists import SHOWS, SORTS, my_matters
from casefiles.matters import (
    FORUMS,
    MATTER_KINDS,
    MATTER_OUTCOMES,
    MATTER_STATES,
    MATTER_STEPS,
    Matter,
    MatterInput,
    MatterNotFound,
    assign_matter,
    create_matter,
    decide_matter,
    file_matter,
    get_matter,
    matters_for_case,
    outcomes_for,
    withdraw_matter,
)
from casefiles.models import Case
from casefiles.pages import matter_deadlines, matter_hearings, names_of
from casefiles.policy import can_edit_case, can_edit_matter, can_view_case
from casefiles.schedule import CaseDeadline
from casefiles.service import CaseError, CaseNotFound, get_case
from mizan.accounts.service import PermissionDenied
from mizan.clock import pakistan_today
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.case_record import matter_form, prosecutor_choices
from web.hearings import schedule_form
from web.support import Pagination, actor, case_action, flash_form_errors, kernel, page_arg

bp = Blueprint("matters", __name__)


class FileForm(FlaskForm):
    number = StringField(_l("Court number"), validators=[Optional(), Length(max=200)])
    filed_on = DateField(_l("Filed on"), validators=[Optional()])
    court = StringField(_l("Court"), validators=[Optional(), Length(max=120)])
    version = HiddenField()


class DecideForm(FlaskForm):
    # The service names the outcomes that fit this kind of matter.
    outcome = SelectField(_l("Outcome"), validators=[Optional()], validate_choice=False)
    decided_on = DateField(_l("Date of the decision"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class WithdrawForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class AssignMatterForm(FlaskForm):
    lead = SelectField(_l("Prosecutor"), validators=[Optional()])
    version = HiddenField()


def _decide_form(kind: str, **kwargs: object) -> DecideForm:
    form = DecideForm(**kwargs)
    form.outcome.choices = [("", "—")] + [(k, str(v)) for k, v in outcomes_for(kind).items()]
    return form


@bp.route("/cases/<case_id>/matters", methods=["POST"])
@login_required
def create(case_id: str) -> ResponseReturnValue:
    try:
        case = get_case(kernel(), actor(), case_id)
    except CaseNotFound:
        abort(404)
    form = matter_form(case)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case.id) + "#matters")
    data = MatterInput(
        kind=form.kind.data,
        forum=form.forum.data,
        court=form.court.data or "",
        number=form.number.data or "",
        filed_on=form.filed_on.data,
        lead_prosecutor=form.lead.data or None,
        note=form.note.data or "",
    )
    return case_action(
        case.id,
        lambda: create_matter(kernel(), actor(), case.id, data),
        _("The matter was recorded."),
        "#matters",
    )


def _load(matter_id: str) -> tuple[Matter, Case]:
    try:
        return get_matter(kernel(), actor(), matter_id)
    except MatterNotFound:
        abort(404)


MINE_PER_PAGE = 25


@bp.route("/matters/mine")
@login_required
def mine() -> ResponseReturnValue:
    """The matters whose prosecutor is the signed-in prosecutor, soonest limitation first."""
    show = request.args.get("show", "live")
    sort = request.args.get("sort", "limitation")
    show = show if show in SHOWS else "live"
    sort = sort if sort in SORTS else "limitation"
    page = page_arg()
    args = {"show": show, "sort": sort, "page": page}
    try:
        result = my_matters(
            kernel(),
            actor(),
            pakistan_today(),
            per_page=MINE_PER_PAGE,
            show=show,
            sort=sort,
            page=page,
        )
    except PermissionDenied:
        abort(403)
    return render_template(
        "matters/mine.html",
        result=result,
        args=args,
        pagination=Pagination(page, MINE_PER_PAGE, result.total),
        matter_kinds=MATTER_KINDS,
        matter_states=MATTER_STATES,
        forums=FORUMS,
    )


@bp.route("/matters/<matter_id>")
@login_required
def show(matter_id: str) -> ResponseReturnValue:
    matter, case = _load(matter_id)
    who = actor()
    editable = can_edit_matter(who, case, matter.lead_prosecutor)
    hearings = matter_hearings(kernel(), matter)
    hearing_form = None
    if editable and can_edit_case(who, case) and matter.state == "pending":
        hearing_form = schedule_form(formdata=None, back=f"matter:{matter.id}")
        hearing_form.matter_id.data = matter.id
    names = names_of(kernel(), [matter.lead_prosecutor] if matter.lead_prosecutor else [])
    siblings = matters_for_case(kernel(), case)
    assign_form = None
    if can_edit_case(who, case):
        assign_form = AssignMatterForm(lead=matter.lead_prosecutor or "", version=matter.version)
        assign_form.lead.choices = prosecutor_choices(case.district)
    return render_template(
        "matters/show.html",
        matter=matter,
        case=case,
        case_visible=can_view_case(who, case),
        editable=editable,
        hearings=hearings,
        hearing_form=hearing_form,
        hearing_courts=known_courts(kernel(), who) if hearing_form else [],
        names=names,
        deadlines=_deadlines(matter, case, siblings),
        matter_kinds=MATTER_KINDS,
        matter_states=MATTER_STATES,
        matter_outcomes=MATTER_OUTCOMES,
        step_labels=MATTER_STEPS,
        forums=FORUMS,
        file_form=FileForm(version=matter.version) if editable else None,
        decide_form=_decide_form(matter.kind, version=matter.version) if editable else None,
        withdraw_form=WithdrawForm(version=matter.version) if editable else None,
        assign_form=assign_form,
    )


def _deadlines(matter: Matter, case: Case, siblings: list[Matter]) -> list[CaseDeadline]:
    return matter_deadlines(kernel(), matter, case, siblings, pakistan_today())


def _matter_action(matter_id: str, action: Callable[[], object], success: str) -> Response:
    """Run a change to a matter from a form post and go back to the matter page."""
    _load(matter_id)
    try:
        action()
    except (CaseError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(success, "success")
    return redirect(url_for("matters.show", matter_id=matter_id))


def _version(form: FlaskForm) -> int:
    try:
        return int(form.version.data or 0)
    except ValueError:
        return 0


@bp.route("/matters/<matter_id>/file", methods=["POST"])
@login_required
def file(matter_id: str) -> ResponseReturnValue:
    form = FileForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("matters.show", matter_id=matter_id))
    return _matter_action(
        matter_id,
        lambda: file_matter(
            kernel(),
            actor(),
            matter_id,
            version=_version(form),
            number=form.number.data or "",
            filed_on=form.filed_on.data,
            court=form.court.data or "",
        ),
        _("The filing was recorded."),
    )


@bp.route("/matters/<matter_id>/decide", methods=["POST"])
@login_required
def decide(matter_id: str) -> ResponseReturnValue:
    matter, _case = _load(matter_id)
    form = _decide_form(matter.kind)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("matters.show", matter_id=matter_id))
    return _matter_action(
        matter_id,
        lambda: decide_matter(
            kernel(),
            actor(),
            matter_id,
            version=_version(form),
            outcome=form.outcome.data or "",
            decided_on=form.decided_on.data,
            note=form.note.data or "",
        ),
        _("The decision was recorded."),
    )


@bp.route("/matters/<matter_id>/withdraw", methods=["POST"])
@login_required
def withdraw(matter_id: str) -> ResponseReturnValue:
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("matters.show", matter_id=matter_id))
    return _matter_action(
        matter_id,
        lambda: withdraw_matter(
            kernel(), actor(), matter_id, version=_version(form), reason=form.reason.data or ""
        ),
        _("The matter was marked withdrawn."),
    )


@bp.route("/matters/<matter_id>/assign", methods=["POST"])
@login_required
def assign(matter_id: str) -> ResponseReturnValue:
    _matter, case = _load(matter_id)
    form = AssignMatterForm()
    form.lead.choices = prosecutor_choices(case.district)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("matters.show", matter_id=matter_id))
    return _matter_action(
        matter_id,
        lambda: assign_matter(
            kernel(), actor(), matter_id, version=_version(form), lead=form.lead.data or None
        ),
        _("The matter's prosecutor was saved."),
    )
