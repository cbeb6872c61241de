"""Administration: users, their roles and districts; the audit trail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mizan import audit
from mizan.accounts import two_factor
from mizan.accounts.integrations import IntegrationError, create_integration, list_integrations
from mizan.accounts.roles import ROLE_LABELS
from mizan.accounts.service import (
    AccountError,
    create_user,
    districts_for_admin,
    list_users,
    require_user_admin,
    set_password,
    update_user,
    user_for_admin,
)
from mizan.i18n import lazy_gettext as _l
from mizan.storage import NotFoundError, StaleWriteError
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("admin", __name__, url_prefix="/admin")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _district_choices() -> list[tuple[str, str]]:
    """The district choices; refused (PermissionDenied, a 403) to non-administrators."""
    districts = districts_for_admin(kernel(), actor())
    return [("", _("— none —"))] + [(d.code, f"{d.name} ({d.code})") for d in districts]


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(label)) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), validators=[DataRequired()])
    district = SelectField(_l("District"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    version = HiddenField()


class NewUserForm(UserForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=40)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=10)])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10)])


def _prepare(form: UserForm) -> UserForm:
    form.roles.choices = _role_choices()
    form.district.choices = _district_choices()
    return form


@bp.route("/users")
@login_required
def users() -> ResponseReturnValue:
    page, per_page = page_arg(), 50
    role = request.args.get("role") or None
    rows, total = list_users(kernel(), actor(), role=role, page=page, per_page=per_page)
    return render_template(
        "admin/users.html", users=rows, role=role, pagination=Pagination(page, per_page, total)
    )


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user() -> ResponseReturnValue:
    form = _prepare(NewUserForm())
    if form.validate_on_submit():
        try:
            user = create_user(
                kernel(),
                actor(),
                username=form.username.data,
                full_name=form.full_name.data,
                password=form.password.data,
                roles=form.roles.data,
                district=form.district.data or None,
            )
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), (
        400 if form.errors or form.form_errors else 200
    )


@bp.route("/users/<user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: str) -> ResponseReturnValue:
    try:
        user = user_for_admin(kernel(), actor(), user_id)
    except NotFoundError:
        abort(404)
    form = _prepare(UserForm(obj=user))
    if request.method == "GET":
        form.version.data = str(user.version)
        form.district.data = user.district or ""
    pw_form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            update_user(
                kernel(),
                actor(),
                user.id,
                version=int(form.version.data or 0),
                full_name=form.full_name.data,
                roles=form.roles.data,
                district=form.district.data or None,
                active=form.active.data,
            )
        except (AccountError, StaleWriteError) as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Changes to %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, pw_form=pw_form), (
        409 if form.form_errors else 200
    )


@bp.route("/users/<user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: str) -> ResponseReturnValue:
    require_user_admin(actor())  # before the form is read: a refusal is a 403, never a hint
    form = PasswordForm(prefix="pw")
    if not form.validate_on_submit():
        flash(_("The new password must be at least 10 characters long."), "error")
    else:
        try:
            set_password(kernel(), actor(), user_id, form.password.data)
        except AccountError as exc:
            flash(str(exc), "error")
        except NotFoundError:
            abort(404)
        else:
            flash(_("Password changed; the user's other sessions have ended."), "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/users/<user_id>/two-factor/reset", methods=["POST"])
@login_required
def reset_two_factor(user_id: str) -> ResponseReturnValue:
    """A lost phone: the user sets up the authenticator again at their next sign-in."""
    require_user_admin(actor())
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        user = two_factor.reset(kernel(), actor(), user_id)
    except NotFoundError:
        abort(404)
    flash(_("Two-step sign-in of %(name)s was reset; their sessions have ended.",
            name=user.username), "success")  # fmt: skip
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/audit")
@login_required
def audit_log() -> ResponseReturnValue:
    page, per_page = page_arg(), 50
    flt: dict = {}
    for key in audit.SEARCHABLE:
        if request.args.get(key):
            flt[key] = request.args[key].strip()
    entries, total = audit.search_entries(kernel(), actor(), flt, page=page, per_page=per_page)
    return render_template(
        "admin/audit.html",
        entries=entries,
        pagination=Pagination(page, per_page, total),
        filters=flt,
    )


class IntegrationForm(FlaskForm):
    name = StringField(_l("Name of the system"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(_l("Kind"), choices=[("police", _l("Police")), ("court", _l("Court"))])
    districts = MultiCheckboxField(_l("Districts"), validators=[DataRequired()])


@bp.route("/integrations", methods=["GET", "POST"])
@login_required
def integrations() -> ResponseReturnValue:
    form = IntegrationForm()
    form.districts.choices = [c for c in _district_choices() if c[0]]
    token = None
    if form.validate_on_submit():
        try:
            _created, token = create_integration(
                kernel(),
                actor(),
                name=form.name.data,
                kind=form.kind.data,
                districts=form.districts.data,
            )
        except IntegrationError as exc:
            form.form_errors.append(str(exc))
    rows = list_integrations(kernel(), actor())
    return render_template("admin/integrations.html", form=form, integrations=rows, token=token)
