"""Error pages that tell people what happened in plain words."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden

from mizan.accounts.service import PermissionDenied
from search.port import SearchUnavailableError


def audit_denied(reason: str) -> None:
    """Every refusal the web answers with 403 is recorded here, once, for every route
    (404s for records one may not see are recorded by the service that hid them)."""
    from flask_login import current_user

    from mizan.accounts.service import record_access_denied
    from mizan.actor import Actor
    from web.support import actor, client_address, kernel

    if getattr(current_user, "is_authenticated", False):
        who = actor()
    else:
        who = Actor(user_id="anonymous", username="anonymous", address=client_address())
    record_access_denied(kernel(), who, request.path, request.method, reason)


def register(app: Flask) -> None:
    def page(status: int, title: str, message: str) -> ResponseReturnValue:
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return {"error": title, "message": message}, status
        return render_template("error.html", title=title, message=message), status

    def forbidden(exc: Exception) -> ResponseReturnValue:
        """A 403 from ``abort(403)`` or a service's PermissionDenied (its message is shown)."""
        given = str(exc) if isinstance(exc, PermissionDenied) else ""
        if isinstance(exc, Forbidden) and exc.description != Forbidden.description:
            given = str(exc.description)
        message = given or _("You do not have permission to see this page.")
        audit_denied(message)
        return page(403, _("Not allowed"), message)

    app.register_error_handler(403, forbidden)
    app.register_error_handler(PermissionDenied, forbidden)
    app.register_error_handler(
        404,
        lambda e: page(
            404, _("Not found"), _("There is nothing here, or you do not have access to it.")
        ),
    )

    def too_large(exc: Exception) -> ResponseReturnValue:
        """The whole request (one file or a batch of them) is over the limit, so Werkzeug
        refused it before any file was read; say what the limit is and what to do."""
        from web.support import kernel

        message = _(
            "What was sent at once is larger than the upload limit of %(mb)d MB; "
            "send fewer files at a time, or smaller ones.",
            mb=kernel().settings.max_upload_mb,
        )
        return page(413, _("File too large"), message)

    app.register_error_handler(413, too_large)
    app.register_error_handler(
        CSRFError,
        lambda e: page(
            400,
            _("Form expired"),
            _(
                "The form was open too long or came from another site. "
                "Reload the page and try again."
            ),
        ),
    )
    app.register_error_handler(
        500,
        lambda e: page(
            500,
            _("Something went wrong"),
            _("The error has been logged. Try again; if it happens again, tell an administrator."),
        ),
    )

    def search_unavailable(exc: SearchUnavailableError) -> ResponseReturnValue:
        """The search server is down or the index busy: a clear 503, the detail in the log."""
        app.logger.warning("search unavailable: %s", exc)
        return page(
            503,
            _("Search is unavailable"),
            _("Searching is not possible right now. Try again in a few minutes."),
        )

    app.register_error_handler(SearchUnavailableError, search_unavailable)
