"""Notes on a case: add from the case page; read and edit on the note's page.

A stale edit (someone saved the note after you opened it) comes back with your
text still in the box and the saved text beside it, so nothing is lost.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField

from casefiles.models import Case
from casefiles.notes import CaseNote, NoteNotFound, add_note, edit_note, get_note
from casefiles.policy import can_edit_case
from casefiles.service import CaseError, CaseNotFound
from mizan.storage import StaleWriteError
from web.case_record import NoteForm
from web.support import actor, case_action, flash_form_errors, kernel

bp = Blueprint("notes", __name__)


class EditNoteForm(FlaskForm):
    text = NoteForm.text  # the same field and checks as when the note was written
    version = HiddenField()


@bp.route("/cases/<case_id>/notes", methods=["POST"])
@login_required
def add(case_id: str) -> ResponseReturnValue:
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("cases.show", case_id=case_id) + "#notes")
    return case_action(
        case_id,
        lambda: add_note(
            kernel(), actor(), case_id, text=form.text.data, privileged=form.privileged.data
        ),
        _("Note saved."),
        "#notes",
    )


def _load(note_id: str) -> tuple[CaseNote, Case]:
    try:
        return get_note(kernel(), actor(), note_id)
    except (NoteNotFound, CaseNotFound):
        abort(404)


@bp.route("/notes/<note_id>", methods=["GET", "POST"])
@login_required
def show(note_id: str) -> ResponseReturnValue:
    note, case = _load(note_id)
    editable = can_edit_case(actor(), case)
    form = EditNoteForm(text=note.text, version=note.version) if editable else None
    conflict = None
    status = 200
    if form is not None and form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                version = int(form.version.data or 0)
            except ValueError:
                version = -1
            try:
                edit_note(kernel(), actor(), note.id, version=version, text=form.text.data)
            except StaleWriteError:
                # Keep what the writer typed; show what is saved now and the new version.
                note, _case = _load(note_id)
                conflict = _(
                    "Someone saved this note after you opened it. Your text was not saved: "
                    "it is still in the box below. Compare it with the saved note, then save again."
                )
                form.version.data = str(note.version)
                status = 409
            except CaseError as exc:
                form.form_errors.append(str(exc))
                status = 400
            else:
                flash(_("Note saved."), "success")
                return redirect(url_for("notes.show", note_id=note.id))
    return render_template(
        "notes/show.html", note=note, case=case, form=form, conflict=conflict
    ), status
