"""Documents of a case file: upload, read (page text beside the original), download."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from markupsafe import Markup, escape
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from casefiles.service import CaseNotFound
from ingestion.batch import add_files, add_one
from ingestion.document_steps import document_steps, steps_for
from ingestion.searchable import request_searchable_pdf, searchable_status
from ingestion.service import (
    UploadError,
    document_for,
    document_pages,
    document_versions,
    require_uploader,
    upload_document,
)
from ingestion.viewer import hit_spans
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from web.document_review import review_context
from web.support import actor, kernel

bp = Blueprint("documents", __name__)

LANG_CHOICES = [
    ("eng", _l("English")),
    ("urd", _l("Urdu")),
    ("snd", _l("Sindhi")),
    ("eng+urd", _l("English and Urdu")),
]


class UploadForm(FlaskForm):
    file = MultipleFileField(
        _l("Files (PDF, scans, Word, text, or a ZIP with an optional manifest.csv)"),
        render_kw={"multiple": True},
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    lang = SelectField(_l("Language of the text"), choices=LANG_CHOICES, default="eng")


class VersionForm(FlaskForm):
    file = FileField(_l("New version of this document"), validators=[FileRequired()])
    lang = SelectField(_l("Language of the text"), choices=LANG_CHOICES, default="eng")


@bp.route("/cases/<case_id>/documents", methods=["POST"])
@login_required
def upload(case_id: str) -> ResponseReturnValue:
    require_uploader(actor())  # PermissionDenied (a 403) before the form is read
    form = UploadForm()
    files = [f for f in (form.file.data or []) if f and f.filename]
    if not form.validate_on_submit() or not files:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("cases.show", case_id=case_id)), 303
    if len(files) > 1 or files[0].filename.lower().endswith(".zip"):
        return _upload_many(case_id, files, form.lang.data)
    storage = files[0]
    try:
        outcome = add_one(
            kernel(),
            actor(),
            case_id,
            storage.filename or "",
            storage.stream,
            title=form.title.data or "",
            lang=form.lang.data,
        )
    except CaseNotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    if outcome.status == "already" and outcome.document is not None:
        flash(outcome.message, "info")
        return redirect(url_for("documents.show", document_id=outcome.document.id)), 303
    if outcome.status == "refused" or outcome.document is None:
        flash(outcome.message, "error")  # also a failed job on the jobs page
        return redirect(url_for("cases.show", case_id=case_id)), 303
    title = outcome.document.title
    flash(_("“%(title)s” was received and is being read.", title=title), "success")
    return redirect(url_for("cases.show", case_id=case_id)), 303


def _upload_many(case_id: str, files: list, lang: str) -> ResponseReturnValue:
    """Several files or a ZIP: each file has its own outcome, shown one line each."""
    try:
        result = add_files(
            kernel(), actor(), case_id, [(f.filename or "", f.stream) for f in files], lang=lang
        )
    except CaseNotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    flash(
        _(
            "%(added)d files received and being read, %(already)d already in the case, "
            "%(refused)d refused.",
            added=result.count("added"),
            already=result.count("already"),
            refused=result.count("refused"),
        ),
        "success" if not result.count("refused") else "info",
    )
    for outcome in result.outcomes:
        if outcome.status == "refused":
            flash(f"{outcome.name}: {outcome.message}", "error")
        elif outcome.status == "already":
            flash(f"{outcome.name}: {outcome.message}", "info")
    return redirect(url_for("cases.show", case_id=case_id)), 303


@bp.route("/documents/<document_id>/versions", methods=["POST"])
@login_required
def add_version(document_id: str) -> ResponseReturnValue:
    """A new version of a document; the older ones stay, each downloadable."""
    require_uploader(actor())  # PermissionDenied (a 403) before the form is read
    try:
        current = document_for(kernel(), actor(), document_id, purpose="viewed")
    except LookupError:
        abort(404)
    form = VersionForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("documents.show", document_id=document_id)), 303
    try:
        doc = upload_document(
            kernel(),
            actor(),
            current.case_id,
            filename=form.file.data.filename or "",
            stream=form.file.data.stream,
            lang=form.lang.data,
            replaces=current.id,
        )
    except CaseNotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    except UploadError as exc:
        flash(str(exc), "error")
        return redirect(url_for("documents.show", document_id=document_id)), 303
    flash(
        _(
            "Version %(n)d of “%(title)s” was received and is being read.",
            n=doc.version_no,
            title=doc.title,
        ),
        "success",
    )
    return redirect(url_for("documents.show", document_id=doc.id)), 303


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
def show(document_id: str) -> ResponseReturnValue:
    try:
        doc = document_for(kernel(), actor(), document_id, purpose="viewed")
    except LookupError:
        abort(404)
    pages = document_pages(kernel(), doc)
    query = request.args.get("q", "")
    version_form = VersionForm()
    version_form.lang.data = doc.language
    return render_template(
        "documents/show.html",
        doc=doc,
        pages=pages,
        query=query,
        highlight=highlight,
        versions=document_versions(kernel(), doc),
        version_form=version_form,
        searchable=searchable_status(kernel(), doc, pages),
        steps=document_steps(kernel(), doc),
        **review_context(doc, pages, query),
    )


@bp.route("/documents/<document_id>/steps")
@login_required
def steps_panel(document_id: str) -> ResponseReturnValue:
    """The document's step states alone; the page polls it while a step is unfinished."""
    try:
        steps = steps_for(kernel(), actor(), document_id)
    except LookupError:
        abort(404)
    return render_template("documents/_steps.html", steps=steps)


@bp.route("/documents/<document_id>/download")
@login_required
def download(document_id: str) -> ResponseReturnValue:
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


@bp.route("/documents/<document_id>/searchable", methods=["POST"])
@login_required
def request_searchable(document_id: str) -> ResponseReturnValue:
    """Queue a searchable PDF (page images with an invisible text layer) of a scan."""
    try:
        doc = document_for(kernel(), actor(), document_id, purpose="viewed")
    except LookupError:
        abort(404)
    try:
        request_searchable_pdf(kernel(), actor(), doc)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The searchable PDF is being made; it appears here when it is ready."), "success")
    return redirect(url_for("documents.show", document_id=doc.id)), 303


@bp.route("/documents/<document_id>/searchable.pdf")
@login_required
def download_searchable(document_id: str) -> ResponseReturnValue:
    try:
        doc = document_for(kernel(), actor(), document_id, purpose="downloaded_searchable")
    except LookupError:
        abort(404)
    if not doc.searchable_sha256 or not kernel().blobs.exists(doc.searchable_sha256):
        abort(404)
    stem = doc.filename.rsplit(".", 1)[0] or "document"
    return send_file(
        kernel().blobs.path(doc.searchable_sha256),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{stem}-searchable.pdf",
    )
