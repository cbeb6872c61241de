"""Sign in (password, then the authenticator code where it applies) and out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from mizan.accounts import factor_policy, two_factor
from mizan.accounts.models import User
from mizan.accounts.service import (
    AccountError,
    LoginRefused,
    SignInThrottled,
    authenticate,
    get_user,
    sign_out,
)
from mizan.i18n import lazy_gettext as _l
from web.app import SessionUser
from web.support import actor, client_address, kernel

bp = Blueprint("auth", __name__)


#: Minutes between an accepted password and its code before the sign-in starts over.
PENDING_MINUTES = 5


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Type the code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    """Only redirect within this site after sign-in."""
    if target and not urlsplit(target).netloc and target.startswith("/") and "//" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = authenticate(kernel(), form.username.data, form.password.data, client_address())
        except SignInThrottled as exc:
            error, status = str(exc), 429
            session.pop("pending", None)  # a half-finished sign-in does not outlive a refusal
        except LoginRefused as exc:
            error, status = str(exc), 401
            session.pop("pending", None)
        else:
            chosen = session.get("lang")
            session.clear()
            session["lang"] = chosen or user.language
            if factor_policy.needed(kernel().settings, user):
                session["pending"] = {
                    "user": user.id,
                    "epoch": user.session_epoch,
                    "at": time.time(),
                    "next": _safe_next(request.args.get("next")),
                }
                return redirect(url_for("auth.second_factor"))
            login_user(SessionUser(user))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), status


def _pending_user() -> User | None:
    """The user whose password was accepted moments ago in this browser, if still waiting."""
    pending = session.get("pending")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_MINUTES * 60:
        return None
    user = get_user(kernel(), str(pending.get("user")))
    if user is None or not user.active or user.session_epoch != pending.get("epoch"):
        return None
    return user


def _finish(user: User) -> ResponseReturnValue:
    target = session.pop("pending", {}).get("next") or url_for("home.index")
    login_user(SessionUser(user))
    return redirect(_safe_next(target))


def qr_svg(uri: str) -> str:
    """The set-up address as an inline SVG QR code (no script, no image request)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff"))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> ResponseReturnValue:
    """The second step: the authenticator's code, or setting the authenticator up first."""
    user = _pending_user()
    if user is None:
        session.pop("pending", None)
        flash(_("Sign in again: the sign-in was not finished in time."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    error, status = None, 200
    if not factor_policy.enrolled(user):
        setup = two_factor.start_setup(kernel(), user.id)
        if form.validate_on_submit():
            try:
                codes = two_factor.confirm_setup(
                    kernel(), user.id, form.code.data, client_address()
                )
            except AccountError as exc:
                error, status = str(exc), 400
            else:
                target = session.get("pending", {}).get("next") or url_for("home.index")
                fresh = two_factor.verified_after_setup(kernel(), user.id, client_address())
                session.pop("pending", None)
                login_user(SessionUser(fresh))
                return render_template(
                    "auth/recovery_codes.html", codes=codes, next=_safe_next(target)
                )
        return render_template(
            "auth/setup.html",
            form=form,
            setup=setup,
            qr=qr_svg(setup.uri),
            error=error,
            signing_in=True,
        ), status
    if form.validate_on_submit():
        try:
            verified = two_factor.verify(kernel(), user.id, form.code.data, client_address())
        except LoginRefused as exc:
            error, status = str(exc), 401
        else:
            return _finish(verified)
    return render_template("auth/code.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    sign_out(kernel(), actor())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
