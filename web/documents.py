"""Documents of a case file: upload, read (page text beside the original), download."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from casefiles.models import DocumentPage
from casefiles.service import CaseNotFound
from ingestion.service import AlreadyUploaded, UploadError, document_for, upload_document
from ingestion.viewer import hit_spans
from mizan.accounts.roles import Capability
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from web.document_review import review_context
from web.support import actor, kernel, requires

bp = Blueprint("documents", __name__)

LANG_CHOICES = [
    ("eng", _l("English")),
    ("urd", _l("Urdu")),
    ("snd", _l("Sindhi")),
    ("eng+urd", _l("English and Urdu")),
]


class UploadForm(FlaskForm):
    file = FileField(_l("File (PDF, scan, Word or text)"), validators=[FileRequired()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    lang = SelectField(_l("Language of the text"), choices=LANG_CHOICES, default="eng")


@bp.route("/cases/<case_id>/documents", methods=["POST"])
@requires(Capability.UPLOAD_DOCUMENT)
def upload(case_id: str):  # type: ignore[no-untyped-def]
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("cases.show", case_id=case_id)), 303
    storage = form.file.data
    try:
        doc = upload_document(
            kernel(),
            actor(),
            case_id,
            filename=storage.filename or "",
            stream=storage.stream,
            title=form.title.data or "",
            lang=form.lang.data,
        )
    except CaseNotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    except AlreadyUploaded as exc:
        flash(str(exc), "info")
        return redirect(url_for("documents.show", document_id=exc.existing.id)), 303
    except UploadError as exc:
        flash(str(exc), "error")
        return redirect(url_for("cases.show", case_id=case_id)), 303
    flash(_("“%(title)s” was received and is being read.", title=doc.title), "success")
    return redirect(url_for("cases.show", case_id=case_id)), 303


def highlight(text: str, query: str) -> Markup:
    """Escape ``text`` and wrap the words the query matches (as search matches them) in
    <mark>."""
    parts: list[str] = []
    cursor = 0
    for start, end in hit_spans(text, query):
        parts += [str(escape(text[cursor:start])), f"<mark>{escape(text[start:end])}</mark>"]
        cursor = end
    parts.append(str(escape(text[cursor:])))
    return Markup("".join(parts))


@bp.route("/documents/<document_id>")
@login_required
def show(document_id: str):  # type: ignore[no-untyped-def]
    try:
        doc = document_for(kernel(), actor(), document_id, purpose="viewed")
    except LookupError:
        abort(404)
    pages = kernel().store.find(DocumentPage, {"document_id": doc.id}, sort=[("number", 1)])
    query = request.args.get("q", "")
    return render_template(
        "documents/show.html",
        doc=doc,
        pages=pages,
        query=query,
        highlight=highlight,
        **review_context(doc, pages, query),
    )


@bp.route("/documents/<document_id>/download")
@login_required
def download(document_id: str):  # type: ignore[no-untyped-def]
    try:
        doc = document_for(kernel(), actor(), document_id, purpose="downloaded")
    except LookupError:
        abort(404)
    return send_file(
        kernel().blobs.path(doc.sha256),
        mimetype=doc.media_type,
        as_attachment=True,
        download_name=doc.filename,
    )
