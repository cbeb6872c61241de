"""The person index: the accused across the cases a user may see."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from casefiles.persons import PersonSearchError, search_accused
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("persons", __name__, url_prefix="/persons")
PER_PAGE = 20


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    query = (request.args.get("q") or "").strip()
    page = page_arg()
    results, error = None, None
    if query:
        try:
            results = search_accused(kernel(), actor(), query, page=page, per_page=PER_PAGE)
        except PersonSearchError as exc:
            error = str(exc)
    status = 400 if error else 200
    return render_template(
        "persons/index.html",
        query=query,
        results=results,
        error=error,
        pagination=Pagination(page, PER_PAGE, results.total) if results else None,
    ), status
