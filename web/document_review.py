"""The document page's review parts: page images, the document type, and suggestions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.models import CaseDocument, DocumentPage
from casefiles.service import CaseNotFound
from ingestion.classify import DOCUMENT_TYPES
from ingestion.review import (
    FIELD_LABELS,
    FILLS_CASE,
    MAX_VALUE,
    ReviewError,
    decide_suggestion,
    review_state,
    set_document_type,
    visible_suggestion,
)
from ingestion.viewer import hit_boxes, page_image_for
from mizan.accounts.service import PermissionDenied
from mizan.storage import StaleWriteError
from web.support import actor, flash_form_errors, kernel

bp = Blueprint("document_review", __name__)
#: Page images shown without asking, from the first page.
IMAGES_SHOWN = 5
T = TypeVar("T")


class DocTypeForm(FlaskForm):
    doc_type = SelectField(
        lazy_gettext("Document type"),
        validators=[InputRequired(lazy_gettext("Choose the document type."))],
    )
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.doc_type.choices = [(k, str(v)) for k, v in DOCUMENT_TYPES.items()]


class SuggestionForm(FlaskForm):
    # The service holds each field to its own limit (a narrative is long, a name short).
    value = StringField(
        lazy_gettext("Value"), validators=[Optional(), Length(max=max(MAX_VALUE.values()))]
    )
    checked_image = BooleanField(lazy_gettext("I checked it against the page"))
    decision = SelectField(
        choices=[("confirm", "confirm"), ("reject", "reject")],
        validators=[InputRequired(lazy_gettext("Choose to confirm or to reject."))],
    )
    case_version = HiddenField()


def _version(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _attempt(action: Callable[[], T], stale_message: str) -> T | None:
    """Run a review service: 404 for what the user may not see, 403 for what they may not
    change, and a flashed message (None returned) for anything the clerk can fix."""
    try:
        return action()
    except (LookupError, CaseNotFound):
        abort(404)
    except PermissionDenied:
        abort(403)
    except StaleWriteError:
        flash(stale_message, "error")
    except ReviewError as exc:
        flash(str(exc), "error")
    return None


@bp.route("/documents/<document_id>/pages/<int:number>/image")
@login_required
def page_image_view(document_id: str, number: int) -> ResponseReturnValue:
    try:
        path = page_image_for(kernel(), actor(), document_id, number)
    except LookupError:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=0)
    # Every look at a page is audited, so the browser must ask again each time.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/documents/<document_id>/type", methods=["POST"])
@login_required
def set_type(document_id: str) -> ResponseReturnValue:
    form = DocTypeForm()
    back = redirect(url_for("documents.show", document_id=document_id) + "#review"), 303
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    version = _version(form.version.data)
    if version is None:
        flash(_("The form is out of date; reload the page and try again."), "error")
        return back
    doc = _attempt(
        lambda: set_document_type(
            kernel(), actor(), document_id, version=version, doc_type=form.doc_type.data
        ),
        _("Someone changed this document meanwhile; reload the page and try again."),
    )
    if doc is None:
        return back
    flash(_("Document type set to “%(type)s”.", type=DOCUMENT_TYPES[doc.doc_type]), "success")
    return back


@bp.route("/suggestions/<suggestion_id>", methods=["POST"])
@login_required
def decide(suggestion_id: str) -> ResponseReturnValue:
    try:
        suggestion = visible_suggestion(kernel(), actor(), suggestion_id)
    except LookupError:
        abort(404)
    back = (
        redirect(url_for("documents.show", document_id=suggestion.document_id) + "#review"),
        303,
    )
    form = SuggestionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    done = _attempt(
        lambda: decide_suggestion(
            kernel(),
            actor(),
            suggestion_id,
            decision=form.decision.data,
            value=form.value.data or "",
            checked_image=bool(form.checked_image.data),
            case_version=_version(form.case_version.data),
        ),
        _("Someone changed this case meanwhile; reload the page and try again."),
    )
    if done is None:
        return back
    if done.status == "confirmed":
        flash(_("Confirmed: %(value)s", value=done.final_value), "success")
    else:
        flash(_("Suggestion rejected."), "info")
    return back


def review_context(doc: CaseDocument, pages: list[DocumentPage], query: str) -> dict:
    """What the document page needs for the viewer and the review panel."""
    state = review_state(kernel(), actor(), doc)
    type_form = DocTypeForm(formdata=None, doc_type=doc.doc_type, version=doc.version)
    hits = {p.number: hit_boxes(p, query) for p in pages} if query else {}
    # Page images are fetched (and audited) one request each: a long file shows the first
    # few, the pages with hits and the one asked for; the others on request.
    asked = request.args.get("show", type=int)
    shown = {
        p.number
        for p in pages
        if p.number <= IMAGES_SHOWN or hits.get(p.number) or p.number == asked
    }
    return {
        "case": state.case,
        "can_review": state.can_review,
        "type_form": type_form,
        "doc_types": DOCUMENT_TYPES,
        "suggestions": state.suggestions,
        "in_case": state.in_case,
        "field_labels": FIELD_LABELS,
        "fills_case": FILLS_CASE,
        "suggestion_form": SuggestionForm,
        "hits": hits,
        "has_image": {p.number: p.method == "ocr" and bool(p.image_width) for p in pages},
        "show_image": shown,
    }
