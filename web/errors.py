"""Error pages that tell people what happened in plain words."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def register(app: Flask) -> None:
    def page(status: int, title: str, message: str):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return {"error": title, "message": message}, status
        return render_template("error.html", title=title, message=message), status

    app.register_error_handler(
        403,
        lambda e: page(403, _("Not allowed"), _("You do not have permission to see this page.")),
    )
    app.register_error_handler(
        404,
        lambda e: page(
            404, _("Not found"), _("There is nothing here, or you do not have access to it.")
        ),
    )
    app.register_error_handler(
        413,
        lambda e: page(413, _("File too large"), _("The file is larger than the upload limit.")),
    )
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
