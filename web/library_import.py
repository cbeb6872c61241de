"""The administrator's import page: an act, one judgment file, or judgments in bulk
(a background job). Routes of the ``library`` blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from library.service import LibraryError, require_librarian
from library.uploads import Upload, import_upload
from mizan.i18n import lazy_gettext as _l
from web.library import bp
from web.support import actor, kernel


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=[
            ("act", _l("An act (Markdown, text, PDF or Word with section headings)")),
            ("judgments", _l("Judgments, one JSON object per line (.jsonl)")),
            ("judgment", _l("One judgment (PDF, Word or text)")),
        ],
    )
    file = FileField(_l("File"), validators=[FileRequired()])
    code = StringField(
        _l("Act code (for an act), e.g. ppc"), validators=[Optional(), Length(max=20)]
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    court = StringField(_l("Court (for one judgment)"), validators=[Optional(), Length(max=200)])
    citation = StringField(
        _l("Citation (for one judgment), e.g. 2019 MLD 836"),
        validators=[Optional(), Length(max=120)],
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page() -> ResponseReturnValue:
    require_librarian(actor())  # PermissionDenied: a 403 page (web/errors.py)
    form = ImportForm()
    job = None
    if request.method == "POST":
        if not form.validate_on_submit():
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "error")
        else:
            try:
                outcome = import_upload(kernel(), actor(), _upload(form))
            except (LibraryError, ValueError) as exc:
                flash(str(exc), "error")
            else:
                if isinstance(outcome, str):
                    flash(outcome, "success")
                    return redirect(url_for("library.import_page"))
                job = outcome
                flash(_("The file is being imported; progress is shown below."), "success")
    return render_template("library/import.html", form=form, job=job), 400 if (
        request.method == "POST" and job is None
    ) else 200


def _upload(form: ImportForm) -> Upload:
    storage = form.file.data
    return Upload(
        kind=form.kind.data,
        filename=storage.filename or "",
        stream=storage.stream,
        code=form.code.data or "",
        title=form.title.data or "",
        court=form.court.data or "",
        citation=form.citation.data or "",
    )
