"""Letters from a case (pick a template, preview, download DOCX or PDF, upload back) and the
administrators' template editor.

A stale template edit (someone saved it after you opened it) comes back with your text in
the box and the saved text beside it, so nothing is lost.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from casefiles.letter_templates import (
    LANGUAGES,
    LETTER_KINDS,
    MAX_BODY,
    MAX_TITLE,
    PLACEHOLDERS,
    LetterError,
)
from casefiles.letters import (
    TemplateNotFound,
    draft_letter,
    edit_template,
    letters_page,
    may_edit_templates,
    may_write_letters,
    preview_letter,
    template_for_editing,
    templates_for_editing,
)
from casefiles.models import Case
from casefiles.service import CaseNotFound
from ingestion.letters import upload_letter
from ingestion.service import UploadError
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.support import actor, kernel

bp = Blueprint("letters", __name__)
T = TypeVar("T")


class UploadLetterForm(FlaskForm):
    kind = SelectField(_l("Which letter"), choices=[])
    language = SelectField(_l("Language"), choices=[])
    file = FileField(_l("The edited letter (Word .docx or PDF)"), validators=[FileRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(v)) for k, v in LETTER_KINDS.items()]
        self.language.choices = [(k, str(v)) for k, v in LANGUAGES.items()]


class TemplateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    body = TextAreaField(
        _l("Text of the letter"), validators=[DataRequired(), Length(max=MAX_BODY)]
    )
    version = HiddenField()


def _case_call(call: Callable[[], T]) -> T:
    """Run a letter service call for a case page: 404 if the case cannot be seen (or the
    template does not exist), 403 if the actor may not write the case's letters."""
    try:
        return call()
    except (CaseNotFound, TemplateNotFound):
        abort(404)
    except PermissionDenied as exc:
        abort(403, description=str(exc))


@bp.app_template_global()
def letters_offered(case: Case) -> bool:
    """For the case page's "Write a letter" link: whether this user writes its letters."""
    return may_write_letters(actor(), case)


@bp.app_template_global()
def edits_letter_templates() -> bool:
    return may_edit_templates(actor())


@bp.route("/cases/<case_id>/letters")
@login_required
def index(case_id: str) -> ResponseReturnValue:
    page = _case_call(lambda: letters_page(kernel(), actor(), case_id))
    return render_template(
        "letters/index.html",
        page=page,
        case=page.case,
        kinds=LETTER_KINDS,
        languages=LANGUAGES,
        upload_form=UploadLetterForm(),
    )


@bp.route("/cases/<case_id>/letters/<template_id>")
@login_required
def preview(case_id: str, template_id: str) -> ResponseReturnValue:
    letter = _case_call(lambda: preview_letter(kernel(), actor(), case_id, template_id))
    return render_template(
        "letters/preview.html", letter=letter, case=letter.case, kinds=LETTER_KINDS
    )


@bp.route("/cases/<case_id>/letters/<template_id>/download", methods=["POST"])
@login_required
def download(case_id: str, template_id: str) -> ResponseReturnValue:
    fmt = request.form.get("format", "")
    try:
        made = _case_call(lambda: draft_letter(kernel(), actor(), case_id, template_id, fmt))
    except LetterError as exc:
        flash(str(exc), "error")
        return redirect(url_for("letters.preview", case_id=case_id, template_id=template_id))
    return send_file(
        io.BytesIO(made.data),
        mimetype=made.media_type,
        as_attachment=True,
        download_name=made.filename,
    )


@bp.route("/cases/<case_id>/letters/upload", methods=["POST"])
@login_required
def upload(case_id: str) -> ResponseReturnValue:
    form = UploadLetterForm()
    back = redirect(url_for("letters.index", case_id=case_id), 303)
    if not form.validate_on_submit():
        flash(_("Choose the letter, its language and the file to upload."), "error")
        return back
    storage = form.file.data
    try:
        doc = _case_call(
            lambda: upload_letter(
                kernel(),
                actor(),
                case_id,
                kind=form.kind.data or "",
                language=form.language.data or "",
                filename=storage.filename or "",
                stream=storage.stream,
            )
        )
    except UploadError as exc:
        flash(str(exc), "error")
        return back
    if doc.version_no and doc.version_no > 1:
        message = _(
            "The letter was added to the case as version %(n)d of “%(title)s”.",
            n=doc.version_no,
            title=doc.title,
        )
    else:
        message = _("The letter was added to the case as “%(title)s”.", title=doc.title)
    flash(message, "success")
    return redirect(url_for("documents.show", document_id=doc.id), 303)


# -- templates (administrators) ----------------------------------------------------------------


@bp.route("/admin/letter-templates")
@login_required
def templates() -> ResponseReturnValue:
    try:
        found = templates_for_editing(kernel(), actor())
    except PermissionDenied as exc:
        abort(403, description=str(exc))
    return render_template(
        "letters/templates.html", templates=found, kinds=LETTER_KINDS, languages=LANGUAGES
    )


@bp.route("/admin/letter-templates/<template_id>", methods=["GET", "POST"])
@login_required
def edit(template_id: str) -> ResponseReturnValue:
    try:
        template = template_for_editing(kernel(), actor(), template_id)
    except PermissionDenied as exc:
        abort(403, description=str(exc))
    except TemplateNotFound:
        abort(404)
    form = TemplateForm(title=template.title, body=template.body, version=template.version)
    conflict = None
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                version = int(form.version.data or 0)
            except ValueError:
                version = -1
            try:
                edit_template(
                    kernel(),
                    actor(),
                    template.id,
                    version=version,
                    title=form.title.data or "",
                    body=form.body.data or "",
                )
            except StaleWriteError:
                template = template_for_editing(kernel(), actor(), template_id)
                conflict = _(
                    "Someone saved this template after you opened it. Your text was not saved: "
                    "it is still in the box below. Compare it with the saved text, then save "
                    "again."
                )
                form.version.data = str(template.version)
                status = 409
            except LetterError as exc:
                form.form_errors.append(str(exc))
                status = 400
            else:
                flash(_("Template saved."), "success")
                return redirect(url_for("letters.edit", template_id=template.id), 303)
    return render_template(
        "letters/edit.html",
        template=template,
        form=form,
        conflict=conflict,
        placeholders=PLACEHOLDERS,
        kinds=LETTER_KINDS,
        languages=LANGUAGES,
    ), status
