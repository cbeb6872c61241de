"""Background jobs with live progress bars."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from casefiles.service import CaseNotFound, get_case
from ingestion.service import RetryRefused, retry_job
from mizan.jobs import Job
from mizan.storage import NotFoundError
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
PER_PAGE = 30


def _visible_job(job_id: str) -> Job:
    try:
        job = kernel().store.get(Job, job_id)
    except NotFoundError:
        abort(404)
    who = actor()
    if job.created_by != who.user_id:
        try:
            get_case(kernel(), who, job.case_id or "")
        except CaseNotFound:
            abort(404)
    return job


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    who = actor()
    page = page_arg()
    flt = {"created_by": who.user_id}
    total = kernel().store.count(Job, flt)
    rows = kernel().store.find(
        Job, flt, sort=[("created_at", -1)], skip=(page - 1) * PER_PAGE, limit=PER_PAGE
    )
    return render_template(
        "jobs/index.html", jobs=rows, pagination=Pagination(page, PER_PAGE, total)
    )


@bp.route("/<job_id>/progress")
@login_required
def progress(job_id: str):  # type: ignore[no-untyped-def]
    """The progress bar alone; the page script swaps it in until the job has finished."""
    return render_template("jobs/_progress.html", job=_visible_job(job_id))


@bp.route("/<job_id>.json")
@login_required
def as_json(job_id: str):  # type: ignore[no-untyped-def]
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
def retry(job_id: str):  # type: ignore[no-untyped-def]
    job = _visible_job(job_id)
    try:
        retry_job(kernel(), actor(), job)
    except RetryRefused as exc:
        flash(str(exc), "error")
    else:
        flash(_("The job was queued again."), "success")
    return redirect(url_for("jobs.index")), 303
