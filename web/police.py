"""Pages of the police exchange: the thread and a request on the case page, and the
administrator's webhook page (addresses, what waits, dead letters to replay)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from casefiles.models import Case
from casefiles.police_messages import (
    KINDS,
    REQUEST_KINDS,
    may_write_to_police,
    police_thread,
    request_from_police,
)
from mizan.accounts.integrations import (
    IntegrationError,
    list_integrations,
    set_stations,
    set_webhook,
)
from mizan.storage import StaleWriteError
from mizan.webhooks import WebhookError, overview, replay
from web.support import actor, case_action, flash_form_errors, kernel

bp = Blueprint("police", __name__)


class PoliceRequestForm(FlaskForm):
    kind = SelectField(_l("What the police must do"), choices=[])
    text = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=4000)])
    due_on = DateField(_l("Comply by (optional)"), validators=[Optional()])


class WebhookForm(FlaskForm):
    url = StringField(
        _l("Webhook address"),
        validators=[Optional(), URL(require_tld=False), Length(max=500)],
    )
    version = HiddenField()


class StationsForm(FlaskForm):
    stations = TextAreaField(
        _l("Police stations (one a line; empty: every station of its districts)"),
        validators=[Length(max=4000)],
    )
    version = HiddenField()


def _request_form() -> PoliceRequestForm:
    form = PoliceRequestForm(prefix="police")
    form.kind.choices = [(k, str(KINDS[k])) for k in REQUEST_KINDS]
    return form


def police_context(case: Case) -> dict[str, object]:
    """What ``cases/_police.html`` needs besides ``case`` (for the case page)."""
    who = actor()
    return {
        "police_thread": police_thread(kernel(), case),
        "police_kinds": KINDS,
        "police_form": _request_form() if may_write_to_police(who, case) else None,
    }


@bp.route("/cases/<case_id>/police", methods=["POST"])
@login_required
def ask(case_id: str) -> ResponseReturnValue:
    form = _request_form()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case_id) + "#police")
    return case_action(
        case_id,
        lambda: request_from_police(
            kernel(),
            actor(),
            case_id,
            kind=form.kind.data or "",
            text=form.text.data or "",
            due_on=form.due_on.data,
        ),
        _("The message was recorded; police systems receive it at once."),
        "#police",
    )


@bp.route("/admin/webhooks")
@login_required
def webhooks() -> ResponseReturnValue:
    view = overview(kernel(), actor())
    systems = [i for i in list_integrations(kernel(), actor()) if i.kind == "police"]
    forms = {
        i.id: WebhookForm(prefix=i.id, formdata=None, url=i.webhook_url, version=str(i.version))
        for i in systems
    }
    station_forms = {
        i.id: StationsForm(
            prefix=f"{i.id}-st",
            formdata=None,
            stations="\n".join(i.stations),
            version=str(i.version),
        )
        for i in systems
    }
    return render_template(
        "admin/webhooks.html",
        view=view,
        systems=systems,
        forms=forms,
        station_forms=station_forms,
    )


@bp.route("/admin/webhooks/<integration_id>/stations", methods=["POST"])
@login_required
def set_scope(integration_id: str) -> ResponseReturnValue:
    form = StationsForm(prefix=f"{integration_id}-st")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("police.webhooks"))
    try:
        integration = set_stations(
            kernel(),
            actor(),
            integration_id,
            stations=(form.stations.data or "").splitlines(),
            version=int(form.version.data or 0),
        )
    except (IntegrationError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("The police stations of %(name)s were saved.", name=integration.name), "success")
    return redirect(url_for("police.webhooks"))


@bp.route("/admin/webhooks/<integration_id>/address", methods=["POST"])
@login_required
def set_address(integration_id: str) -> ResponseReturnValue:
    form = WebhookForm(prefix=integration_id)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("police.webhooks"))
    try:
        integration, secret = set_webhook(
            kernel(),
            actor(),
            integration_id,
            url=form.url.data or "",
            version=int(form.version.data or 0),
        )
    except (IntegrationError, StaleWriteError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("police.webhooks"))
    if secret:
        flash(
            _(
                "Webhooks for %(name)s go to the new address. Give its operators this secret "
                "now; it will not be shown again: %(secret)s",
                name=integration.name,
                secret=secret,
            ),
            "success",
        )
    else:
        flash(_("Webhooks for %(name)s are turned off.", name=integration.name), "success")
    return redirect(url_for("police.webhooks"))


@bp.route("/admin/webhooks/deliveries/<delivery_id>/replay", methods=["POST"])
@login_required
def replay_delivery(delivery_id: str) -> ResponseReturnValue:
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        replay(kernel(), actor(), delivery_id)
    except WebhookError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The message is queued to be sent again."), "success")
    return redirect(url_for("police.webhooks"))
