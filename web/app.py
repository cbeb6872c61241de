"""The Flask application factory."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import Flask, request, session
from flask_babel import Babel, force_locale
from flask_babel import gettext as babel_gettext
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from casefiles.models import CASE_LABELS, CASE_STATES, CUSTODY, DOCUMENT_STATES, PARTY_ROLES
from ingestion.ocr import ocr_status
from mizan import i18n, worker
from mizan.accounts.models import User
from mizan.accounts.roles import ROLE_LABELS, capabilities_of
from mizan.accounts.service import AccountError, actor_for, get_user, set_language
from mizan.kernel import Kernel, set_process_kernel
from mizan.settings import Settings
from mizan.storage import StaleWriteError
from web import formatting
from web.domain_labels import act_label, court_label, district_name, topic_label
from web.translations import compile_translations

LANGUAGES = {"en": "English", "ur": "اردو"}
RTL = {"ur"}

csrf = CSRFProtect()
login_manager = LoginManager()


class SessionUser:
    """The signed-in user as Flask-Login sees it; the session ends if roles change."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.id = user.id
        self.is_authenticated = True
        self.is_active = user.active
        self.is_anonymous = False

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_epoch}"


def create_app(settings: Settings | None = None, *, kernel: Kernel) -> Flask:
    """The Flask app over ``kernel`` (built by the root, ``app.web``); ``settings`` default to
    the kernel's."""
    settings = settings or kernel.settings
    set_process_kernel(kernel)
    worker.configure(settings)

    app = Flask(__name__)
    if settings.trusted_proxies:
        # Behind nginx: take the client address and scheme from the proxy's headers,
        # so the audit trail records the real caller, not the proxy.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024 + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(compile_translations()),
    )
    app.extensions["mizan"] = kernel
    # Checked once at start: without Tesseract, scans cannot be read, and the upload
    # form says so instead of letting jobs fail one by one.
    app.extensions["ocr_status"] = ocr_status()

    Babel(app, locale_selector=_select_locale)
    i18n.install_translator(lambda text: babel_gettext(text) if _in_request() else text)
    i18n.install_language_switch(force_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.lazy_gettext("Please sign in to see this page.")
    login_manager.user_loader(_load_user)

    from web import (
        account,
        admin,
        api,
        approvals,
        assignment,
        auth,
        case_api,
        case_challans,
        case_fir,
        case_parties,
        case_scrutiny,
        cases,
        cause_lists,
        dashboard,
        deadlines,
        document_review,
        documents,
        errors,
        health,
        hearings,
        holidays,
        home,
        jobs,
        learning,
        learning_case_studies,
        learning_certificates,
        learning_paths,
        learning_progress,
        learning_quiz,
        letters,
        library,
        matters,
        notes,
        notifications,
        persons,
        police,
        police_api,
        precedents,
        reports,
        saved_filters,
        scan_intake,
        search,
    )

    for module in (
        auth,
        home,
        account,
        admin,
        api,
        cases,
        scan_intake,
        case_challans,
        case_fir,
        case_parties,
        case_scrutiny,
        dashboard,
        documents,
        document_review,
        hearings,
        cause_lists,
        jobs,
        search,
        precedents,
        health,
        matters,
        approvals,
        notes,
        case_api,
        police_api,
        police,
        notifications,
        deadlines,
        saved_filters,
        holidays,
        assignment,
        persons,
        library,
        learning_certificates,
        learning_paths,
        learning_quiz,
        learning_progress,
        letters,
        reports,
        learning_case_studies,
        learning,
    ):
        app.register_blueprint(module.bp)
    errors.register(app)

    app.before_request(_remember_language)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    # Macros imported without context (the pager) need it as a true global.
    app.jinja_env.globals["url_with"] = _url_with
    formatting.register(app)
    from search.warmup import start_warm_up

    # The embedding model loads in the background, not on the first user's search.
    app.extensions["mizan_warm_up"] = start_warm_up(kernel)
    return app


def _in_request() -> bool:
    from flask import has_request_context

    return has_request_context()


def _select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.user.language
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def _remember_language() -> None:
    """The top bar's language switch (``?lang=``) lasts: for the session, and for a signed-in
    user also as their stored preference (the account page's setting), so the next sign-in
    keeps it."""
    chosen = request.args.get("lang")
    if chosen not in LANGUAGES:
        return
    session["lang"] = chosen
    if not getattr(current_user, "is_authenticated", False) or current_user.user.language == chosen:
        return
    from web.support import actor, kernel

    # If saving fails, the session still holds the choice; the account page can save it again.
    with suppress(AccountError, StaleWriteError):
        set_language(kernel(), actor(), chosen)


def _load_user(session_id: str) -> SessionUser | None:
    from web.support import kernel

    user_id, _, epoch = session_id.partition(":")
    user = get_user(kernel(), user_id)
    if user is None or not user.active or str(user.session_epoch) != epoch:
        return None
    return SessionUser(user)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    if request.endpoint and not request.endpoint.startswith("static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _template_globals() -> dict:
    from flask_babel import get_locale

    locale = str(get_locale() or "en")
    user = current_user.user if getattr(current_user, "is_authenticated", False) else None
    actor = actor_for(user) if user else None
    return {
        "lang": locale,
        "text_dir": "rtl" if locale in RTL else "ltr",
        "languages": LANGUAGES,
        "me": user,
        "caps": capabilities_of(actor.roles) if actor else frozenset(),
        "role_labels": ROLE_LABELS,
        "url_with": _url_with,
        "state_label": lambda state: CASE_STATES.get(state, state),
        "case_labels": CASE_LABELS,
        "party_roles": PARTY_ROLES,
        "custody_labels": CUSTODY,
        "document_state_label": lambda state: DOCUMENT_STATES.get(state, state),
        "district_name": district_name,
        "topic_label": topic_label,
        "court_label": court_label,
        "act_label": act_label,
    }


def _url_with(**changes: object) -> str:
    """The current URL with some query arguments replaced (pagination keeps filters)."""
    from flask import url_for

    args: dict[str, Any] = request.args.to_dict()
    args.update({k: str(v) for k, v in changes.items()})
    return url_for(request.endpoint or "home.index", **(request.view_args or {}), **args)
