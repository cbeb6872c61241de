"""One search page; the query and page live in the URL so a search can be shared."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from mizan.accounts.roles import Capability
from search.port import QueryError
from search.service import PER_PAGE, search_documents
from web.support import Pagination, actor, kernel, page_arg, requires

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("/")
@requires(Capability.SEARCH)
def index():  # type: ignore[no-untyped-def]
    query = request.args.get("q", "").strip()
    page = page_arg()
    result, error = None, None
    if query:
        try:
            result = search_documents(kernel(), actor(), query, page=page)
        except QueryError as exc:
            error = str(exc)
    pagination = Pagination(page, PER_PAGE, result.total) if result else None
    return render_template(
        "search/index.html", query=query, result=result, error=error, pagination=pagination
    ), 400 if error else 200
