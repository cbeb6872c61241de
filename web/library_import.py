"""The administrator's import page: an act, one judgment file, or judgments in bulk
(a background job). Routes of the ``library`` blueprint."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from library.service import LibraryError, require_librarian
from mizan.accounts.service import PermissionDenied
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


def _require_admin() -> None:
    try:
        require_librarian(actor())
    except PermissionDenied:
        abort(403)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page():  # type: ignore[no-untyped-def]
    _require_admin()
    form = ImportForm()
    job = None
    if request.method == "POST":
        if not form.validate_on_submit():
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "error")
        else:
            try:
                outcome = _run_import(form)
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


def _run_import(form: ImportForm):  # type: ignore[no-untyped-def]
    from library import importers
    from mizan.storage.blobs import BlobTooLarge

    storage = form.file.data
    filename = Path(storage.filename or "").name
    if not filename:
        raise LibraryError(_("Choose a file to upload."))
    k = kernel()
    try:
        sha, _size = k.blobs.put_stream(storage.stream, k.settings.max_upload_mb * 1024 * 1024)
    except BlobTooLarge as exc:
        raise LibraryError(
            _("The file is larger than the upload limit of %(mb)d MB.", mb=exc.limit // 1048576)
        ) from None
    path = k.blobs.path(sha)
    kind = form.kind.data
    if kind == "act":
        from library.act_import import import_act_text

        if not (form.code.data or "").strip() or not (form.title.data or "").strip():
            raise LibraryError(_("Enter the act's code and title."))
        act = import_act_text(
            k,
            actor(),
            importers.read_act_text(path, filename),
            code=form.code.data,
            title=form.title.data,
            source=filename,
        )
        return _("Imported %(title)s: %(n)d sections.", title=act.title, n=act.section_count)
    if kind == "judgment":
        if not (form.court.data or "").strip():
            raise LibraryError(_("Enter the court that decided the judgment."))
        report = importers.import_judgment_file(
            k,
            actor(),
            path,
            filename=filename,
            court=form.court.data,
            title=form.title.data or "",
            citation=form.citation.data or "",
        )
        return _(
            "Imported the judgment with %(edges)d citations (%(resolved)d found in the library).",
            edges=report.edges,
            resolved=report.resolved,
        )
    if not filename.lower().endswith((".jsonl", ".json", ".ndjson")):
        raise LibraryError(_("Judgments in bulk must be a .jsonl file (one JSON object a line)."))
    first = importers.read_jsonl(path, limit=1)
    problem = next((i for i in first if isinstance(i, importers.LineError)), None)
    if problem is not None:
        raise LibraryError(
            _("This does not look like a judgments file: %(problem)s", problem=str(problem))
        )
    return _queue_jsonl(sha, filename)


def _queue_jsonl(sha: str, filename: str):  # type: ignore[no-untyped-def]
    from library.tasks import JOB_KIND, TASK
    from mizan.clock import utc_naive_now
    from mizan.jobs import Job
    from mizan.worker import enqueue

    k = kernel()
    job = Job(
        kind=JOB_KIND,
        subject_type="blob",
        subject_id=sha,
        title=filename,
        created_by=actor().user_id,
        created_at=utc_naive_now(),
        updated_at=utc_naive_now(),
    )
    k.store.insert(job)
    enqueue(TASK, job.id)
    return job
