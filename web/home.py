"""The start page after sign-in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from casefiles.service import list_cases
from mizan.jobs import recent_jobs
from web.support import actor, kernel

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    who = actor()
    cases, total = list_cases(kernel(), who, per_page=10)
    jobs = recent_jobs(kernel(), who, limit=5)
    return render_template("home.html", cases=cases, total=total, jobs=jobs)
