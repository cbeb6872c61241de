"""Case study pages: the list, drafting from a decided case, reviewing redactions, reading.

Every rule (who may draft from which case, who sees a draft, what may be undone, when a
study may be published) is in ``learning.case_studies``; these views parse the form, call
one service function and render or redirect with its message.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from learning import case_studies as cs
from learning.case_study_models import CaseStudy, ReviewState, StudyStatus
from learning.errors import LearningError
from mizan.storage import StaleWriteError
from web.support import actor, kernel

bp = Blueprint("learning_case_studies", __name__, url_prefix="/learning/case-studies")


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return 0  # a tampered form: no saved study has version 0, so it is refused as stale


def _act(study_id: str, action: Callable[[], object], success: str, anchor: str = "") -> Response:
    """Run one change to a study; the service's refusal becomes the page's message."""
    try:
        action()
    except cs.CaseStudyNotFound:
        abort(404)
    except StaleWriteError:
        flash(
            _(
                "Someone changed this case study after you opened it, so your change was not "
                "saved. Look at it again and repeat your change."
            ),
            "error",
        )
    except LearningError as exc:
        flash(str(exc), "error")
    else:
        flash(success, "success")
    return redirect(url_for("learning_case_studies.show", study_id=study_id) + anchor)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    lists = cs.list_case_studies(kernel(), actor())
    return render_template(
        "learning/case_studies/index.html", lists=lists, may_draft=cs.can_draft(actor())
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    if request.method == "POST":
        try:
            study = cs.draft_case_study(kernel(), actor(), request.form.get("case_id", ""))
        except LearningError as exc:
            flash(str(exc), "error")
            return redirect(url_for("learning_case_studies.new"))
        flash(
            _("Draft made. Review every redaction, then publish."),
            "success",
        )
        return redirect(url_for("learning_case_studies.show", study_id=study.id))
    fir = request.args.get("fir", "")
    error = None
    try:
        cases = cs.decided_cases(kernel(), actor(), fir=fir)
    except LearningError as exc:
        cases, error = [], str(exc)
    return render_template("learning/case_studies/new.html", cases=cases, fir=fir, error=error), (
        400 if error else 200
    )


def _load(study_id: str) -> CaseStudy:
    try:
        return cs.get_case_study(kernel(), actor(), study_id)
    except cs.CaseStudyNotFound:
        abort(404)


@bp.route("/<study_id>")
@login_required
def show(study_id: str) -> ResponseReturnValue:
    study = _load(study_id)
    if study.status == StudyStatus.DRAFT:
        return render_template(
            "learning/case_studies/review.html",
            study=study,
            segments=cs.review_segments(study),
            pending=cs.pending_count(study),
            labels=cs.pending_labels(study),
            states=ReviewState,
            mask=cs.MASK,
        )
    return render_template(
        "learning/case_studies/show.html",
        study=study,
        blocks=cs.text_blocks(study.body),
        discussion=cs.text_blocks(study.discussion),
        may_manage=cs.can_manage(actor(), study),
    )


@bp.route("/<study_id>/redactions/<key>", methods=["POST"])
@login_required
def review(study_id: str, key: str) -> ResponseReturnValue:
    accept = request.form.get("decision") == "accept"
    return _act(
        study_id,
        lambda: cs.review_redaction(
            kernel(), actor(), study_id, version=_version(), key=key, accept=accept
        ),
        _("Redaction kept.") if accept else _("Original words restored."),
        "#redactions",
    )


@bp.route("/<study_id>/redactions/accept-label", methods=["POST"])
@login_required
def accept_label(study_id: str) -> ResponseReturnValue:
    return _act(
        study_id,
        lambda: cs.accept_label(
            kernel(), actor(), study_id, version=_version(), label=request.form.get("label", "")
        ),
        _("Redactions kept."),
        "#redactions",
    )


@bp.route("/<study_id>/redactions", methods=["POST"])
@login_required
def add(study_id: str) -> ResponseReturnValue:
    return _act(
        study_id,
        lambda: cs.add_redaction(
            kernel(),
            actor(),
            study_id,
            version=_version(),
            phrase=request.form.get("phrase", ""),
            label=request.form.get("label", ""),
        ),
        _("Redaction added wherever the words occur."),
        "#redactions",
    )


@bp.route("/<study_id>/edit", methods=["POST"])
@login_required
def edit(study_id: str) -> ResponseReturnValue:
    districts = request.form.get("districts", "").replace(";", ",").split(",")
    return _act(
        study_id,
        lambda: cs.edit_case_study(
            kernel(),
            actor(),
            study_id,
            version=_version(),
            title=request.form.get("title", ""),
            discussion=request.form.get("discussion", ""),
            districts=districts,
            atc_only=request.form.get("atc_only") == "y",
        ),
        _("Case study saved."),
    )


@bp.route("/<study_id>/publish", methods=["POST"])
@login_required
def publish(study_id: str) -> ResponseReturnValue:
    return _act(
        study_id,
        lambda: cs.publish_case_study(kernel(), actor(), study_id, version=_version()),
        _("Case study published."),
    )


@bp.route("/<study_id>/withdraw", methods=["POST"])
@login_required
def withdraw(study_id: str) -> ResponseReturnValue:
    return _act(
        study_id,
        lambda: cs.withdraw_case_study(kernel(), actor(), study_id, version=_version()),
        _("Case study withdrawn: learners no longer see it."),
    )
