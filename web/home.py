"""The start page after sign-in: the person's day, their cases and recent uploads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from casefiles.service import list_cases
from mizan.clock import pakistan_today
from mizan.jobs import recent_jobs
from mizan.my_day import day_sections
from web.support import actor, kernel

bp = Blueprint("home", __name__)

#: What a day item opens: its kind -> (endpoint, the endpoint's id argument).
ITEM_PAGES = {
    "case": ("cases.show", "case_id"),
    "hearing": ("hearings.show", "hearing_id"),
    "document": ("documents.show", "document_id"),
    "approval": ("approvals.show", "approval_id"),
    "course": ("learning.course", "course_id"),
}


def item_url(ref: tuple[str, str]) -> str:
    endpoint, argument = ITEM_PAGES[ref[0]]
    values: dict[str, Any] = {argument: ref[1]}
    return url_for(endpoint, **values)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    who = actor()
    cases, total = list_cases(kernel(), who, per_page=10)
    jobs = recent_jobs(kernel(), who, limit=5)
    return render_template(
        "home.html",
        cases=cases,
        total=total,
        jobs=jobs,
        day=day_sections(kernel(), who, pakistan_today()),
        item_url=item_url,
    )
