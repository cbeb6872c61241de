"""Due-soon and overdue deadlines: "My deadlines" for a prosecutor, a district's for the
district public prosecutor, supervisors and the Prosecutor General."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from casefiles.deadline_lists import SORTS, STATUSES, deadline_list
from casefiles.pages import filter_districts, postings_district
from casefiles.pages import prosecutors as staff
from casefiles.policy import deadline_scope
from mizan.accounts.service import PermissionDenied
from mizan.clock import pakistan_today
from web.saved_filters import saved_filter_context
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines")
PER_PAGE = 25


def _args() -> dict:
    status = request.args.get("status", "all")
    sort = request.args.get("sort", "due")
    return {
        "status": status if status in STATUSES else "all",
        "sort": sort if sort in SORTS else "due",
        "page": page_arg(),
    }


def _filters(args: dict) -> str:
    """The chosen filters as URL arguments, defaults and the page left out (to save them)."""
    defaults = {"status": "all", "sort": "due"}
    kept = {k: v for k, v in args.items() if v and k != "page" and v != defaults.get(k)}
    return urlencode(kept)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    """Prosecutors land on their own list; supervisors on their district's."""
    try:
        scope = deadline_scope(actor())
    except PermissionDenied:
        abort(403)
    return redirect(url_for(f"deadlines.{scope}"))


@bp.route("/mine")
@login_required
def mine() -> ResponseReturnValue:
    args = _args()
    try:
        result = deadline_list(
            kernel(), actor(), pakistan_today(), scope="mine", per_page=PER_PAGE, **args
        )
    except PermissionDenied:
        abort(403)
    return render_template(
        "deadlines/index.html",
        result=result,
        scope="mine",
        args=args,
        pagination=Pagination(args["page"], PER_PAGE, result.total),
        districts=[],
        prosecutors=[],
        **saved_filter_context("deadlines", _filters({**args, "district": None})),
    )


@bp.route("/district")
@login_required
def district() -> ResponseReturnValue:
    who = actor()
    args = _args()
    chosen = (request.args.get("district") or "").strip().upper() or None
    prosecutor = request.args.get("prosecutor") or None
    try:
        result = deadline_list(
            kernel(),
            who,
            pakistan_today(),
            scope="district",
            district=chosen,
            prosecutor=prosecutor,
            per_page=PER_PAGE,
            **args,
        )
    except PermissionDenied:
        abort(403)
    districts = filter_districts(kernel(), who)
    prosecutors = staff(kernel(), postings_district(who, chosen) or None)
    return render_template(
        "deadlines/index.html",
        result=result,
        scope="district",
        args=args,
        chosen=chosen,
        prosecutor=prosecutor,
        pagination=Pagination(args["page"], PER_PAGE, result.total),
        districts=districts,
        prosecutors=prosecutors,
        **saved_filter_context(
            "deadlines", _filters({**args, "district": chosen, "prosecutor": prosecutor})
        ),
    )
