"""The appeal-against-acquittal approval chain: propose from the case page, then each
decision on the approval's own page (who must act next, the limitation date, every step)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.approvals import (
    ACTION_LABELS,
    APPROVAL_STATES,
    STEPS,
    AppealApproval,
    ApprovalNotFound,
    decide,
    get_approval,
    propose_appeal,
)
from casefiles.matters import FORUMS
from casefiles.models import Case
from casefiles.pages import appeal_limitation
from casefiles.policy import may_act_on_step
from casefiles.service import CaseError, CaseNotFound
from mizan.clock import pakistan_today
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.case_record import propose_form
from web.support import actor, case_action, flash_form_errors, kernel

bp = Blueprint("approvals", __name__)


class DecisionForm(FlaskForm):
    action = SelectField(_l("Decision"), validators=[InputRequired(_l("Choose your decision."))])
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=5000, message=_l("The reason is too long."))],
    )
    version = HiddenField()


def decision_form(state: str, **kwargs: object) -> DecisionForm:
    form = DecisionForm(**kwargs)
    form.action.choices = [
        (action, str(ACTION_LABELS[action]))
        for action, step in STEPS.items()
        if step.source == state
    ]
    return form


@bp.route("/cases/<case_id>/appeal-approval", methods=["POST"])
@login_required
def propose(case_id: str) -> ResponseReturnValue:
    form = propose_form()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case_id) + "#appeal")
    return case_action(
        case_id,
        lambda: propose_appeal(
            kernel(), actor(), case_id, grounds=form.grounds.data, forum=form.forum.data
        ),
        _("The proposal to appeal was sent to the District Public Prosecutor."),
        "#appeal",
    )


def _load(approval_id: str) -> tuple[AppealApproval, Case]:
    try:
        return get_approval(kernel(), actor(), approval_id)
    except (ApprovalNotFound, CaseNotFound):
        abort(404)


@bp.route("/approvals/<approval_id>")
@login_required
def show(approval_id: str) -> ResponseReturnValue:
    approval, case = _load(approval_id)
    who = actor()
    form = None
    if may_act_on_step(who, approval.next_role):
        form = decision_form(approval.state, version=approval.version)
    return render_template(
        "approvals/show.html",
        approval=approval,
        case=case,
        form=form,
        states=APPROVAL_STATES,
        action_labels=ACTION_LABELS,
        forums=FORUMS,
        due=appeal_limitation(kernel(), case, pakistan_today()),
    )


@bp.route("/approvals/<approval_id>/decide", methods=["POST"])
@login_required
def decide_view(approval_id: str) -> ResponseReturnValue:
    approval, _case = _load(approval_id)
    form = DecisionForm()
    form.action.choices = [(a, str(ACTION_LABELS[a])) for a in STEPS]
    back = redirect(url_for("approvals.show", approval_id=approval.id))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    try:
        version = int(form.version.data or 0)
    except ValueError:
        version = 0
    try:
        decide(
            kernel(),
            actor(),
            approval.id,
            version=version,
            action=form.action.data,
            reason=form.reason.data or "",
        )
    except (CaseError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("Your decision was recorded."), "success")
    return back
