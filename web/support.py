"""Helpers shared by blueprints: the kernel, the acting user, pagination."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from mizan.accounts.service import actor_for
from mizan.actor import Actor
from mizan.kernel import Kernel


def kernel() -> Kernel:
    return current_app.extensions["mizan"]


def client_address() -> str | None:
    """The caller's address (behind a reverse proxy, configure ProxyFix so this is real)."""
    return request.remote_addr


def actor() -> Actor:
    return actor_for(current_user.user, client_address(), "web")


def page_arg() -> int:
    try:
        return max(int(request.args.get("page", "1")), 1)
    except ValueError:
        return 1


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def case_action(
    case_id: str, action: Callable[[], object], success: str, anchor: str = ""
) -> Response:
    """Run a change to a case from a form post: 404 if it cannot be seen, the service's
    refusal as an error message, ``success`` otherwise; then back to the case page."""
    from flask import flash, redirect, url_for

    from casefiles.service import CaseError, CaseNotFound
    from casefiles.workflow import TransitionRefused
    from mizan.accounts.service import PermissionDenied
    from mizan.storage import StaleWriteError

    try:
        action()
    except CaseNotFound:
        abort(404)
    except PermissionDenied as exc:
        abort(403, description=str(exc))  # audited by the 403 handler (web/errors.py)
    except (CaseError, TransitionRefused, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(success, "success")
    return redirect(url_for("cases.show", case_id=case_id) + anchor)


def flash_form_errors(form: FlaskForm) -> None:
    from flask import flash

    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")
