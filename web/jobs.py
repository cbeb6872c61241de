"""Background jobs with live progress bars."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from ingestion.service import RetryRefused, retry_job, visible_job
from mizan.jobs import Job, jobs_of
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
PER_PAGE = 30


def _visible_job(job_id: str) -> Job:
    try:
        return visible_job(kernel(), actor(), job_id)
    except LookupError:
        abort(404)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    page = page_arg()
    rows, total = jobs_of(kernel(), actor(), page=page, per_page=PER_PAGE)
    return render_template(
        "jobs/index.html", jobs=rows, pagination=Pagination(page, PER_PAGE, total)
    )


@bp.route("/<job_id>/progress")
@login_required
def progress(job_id: str) -> ResponseReturnValue:
    """The progress bar alone; the page script swaps it in until the job has finished."""
    return render_template("jobs/_progress.html", job=_visible_job(job_id))


@bp.route("/<job_id>.json")
@login_required
def as_json(job_id: str) -> ResponseReturnValue:
    job = _visible_job(job_id)
    return {
        "id": job.id,
        "state": job.state,
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "error": job.error,
        "attempts": job.attempts,
        "failed_pages": job.failed_pages,
    }


@bp.route("/<job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: str) -> ResponseReturnValue:
    job = _visible_job(job_id)
    try:
        retry_job(kernel(), actor(), job)
    except RetryRefused as exc:
        flash(str(exc), "error")
    else:
        flash(_("The job was queued again."), "success")
    return redirect(url_for("jobs.index")), 303
