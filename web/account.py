"""The signed-in user's own settings: interface language, password, two-step sign-in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.validators import InputRequired, Length

from mizan.accounts import two_factor
from mizan.accounts.service import AccountError, change_own_password, set_language
from mizan.storage import StaleWriteError
from web.app import SessionUser
from web.auth import CodeForm, qr_svg
from web.support import actor, client_address, kernel

bp = Blueprint("account", __name__, url_prefix="/account")


class LanguageForm(FlaskForm):
    language = SelectField(
        lazy_gettext("Language of the interface"), choices=[("en", "English"), ("ur", "اردو")]
    )


class OwnPasswordForm(FlaskForm):
    current = PasswordField(
        lazy_gettext("Current password"),
        validators=[InputRequired(lazy_gettext("Enter your current password."))],
    )
    new = PasswordField(
        lazy_gettext("New password"),
        validators=[
            InputRequired(lazy_gettext("Enter a new password.")),
            Length(
                min=10, message=lazy_gettext("The password must be at least 10 characters long.")
            ),
        ],
    )


def _page(
    lang_form: LanguageForm, pw_form: OwnPasswordForm, status: int = 200
) -> ResponseReturnValue:
    return render_template("account/settings.html", lang_form=lang_form, pw_form=pw_form), status


@bp.route("/")
@login_required
def settings() -> ResponseReturnValue:
    lang_form = LanguageForm(prefix="lang")
    lang_form.language.data = session.get("lang") or current_user.user.language
    return _page(lang_form, OwnPasswordForm(prefix="pw"))


@bp.route("/language", methods=["POST"])
@login_required
def language() -> ResponseReturnValue:
    form = LanguageForm(prefix="lang")
    if not form.validate_on_submit():
        return _page(form, OwnPasswordForm(prefix="pw"), 400)
    try:
        set_language(kernel(), actor(), form.language.data)
    except (AccountError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        session["lang"] = form.language.data
        flash(_("Language saved."), "success")
    return redirect(url_for("account.settings"))


@bp.route("/password", methods=["POST"])
@login_required
def password() -> ResponseReturnValue:
    form = OwnPasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            user = change_own_password(kernel(), actor(), form.current.data, form.new.data)
        except AccountError as exc:
            form.form_errors.append(str(exc))
        else:
            # The password change ended every session; keep this one signed in.
            login_user(SessionUser(user))
            flash(_("Your password was changed; other sessions have been signed out."), "success")
            return redirect(url_for("account.settings"))
    return _page(LanguageForm(prefix="lang"), form, 400)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup() -> ResponseReturnValue:
    """Set up the authenticator by choice (roles that must use it do so at sign-in)."""
    if current_user.user.totp_secret:
        return redirect(url_for("account.settings"))
    setup = two_factor.start_setup(kernel(), current_user.id)
    form, error, status = CodeForm(), None, 200
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(
                kernel(), current_user.id, form.code.data, client_address()
            )
        except AccountError as exc:
            error, status = str(exc), 400
        else:
            return render_template(
                "auth/recovery_codes.html", codes=codes, next=url_for("account.settings")
            )
    return render_template(
        "auth/setup.html", form=form, setup=setup, qr=qr_svg(setup.uri), error=error
    ), status


@bp.route("/recovery-codes", methods=["POST"])
@login_required
def recovery_codes() -> ResponseReturnValue:
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.new_recovery_codes(kernel(), actor(), form.code.data)
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            return render_template(
                "auth/recovery_codes.html", codes=codes, next=url_for("account.settings")
            )
    else:
        flash(_("Type the code the app shows now."), "error")
    return redirect(url_for("account.settings"))
