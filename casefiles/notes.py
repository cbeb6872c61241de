"""Notes on a case: plain notes anyone working on the case may read, and privileged
notes (the prosecution's opinions and strategy) that clerks, supervisors and
integrations never see — not on pages, in the timeline, in the API or in search
(notes are not put in the search index at all).

Editing a note is guarded by its version: a stale edit is refused and the
writer's text is handed back, so nothing is lost. The text of a note never
goes into the audit trail (administrators read the trail); only that it changed.
"""

from __future__ import annotations

import mongoengine as me

from casefiles.models import Case
from casefiles.policy import can_edit_case, can_read_privileged
from casefiles.service import CaseError, get_case
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import Filter, Model, NotFoundError

MAX_NOTE = 10000


class NoteRevision(me.EmbeddedDocument):
    """The text a note had before an edit (kept so an edit never destroys anything)."""

    text = me.StringField(required=True)
    by = me.StringField()
    by_name = me.StringField()
    at = me.DateTimeField()


class CaseNote(Model):
    label = "note"
    case_id = me.StringField(required=True)
    district = me.StringField(required=True)
    privileged = me.BooleanField(default=False)
    text = me.StringField(required=True, max_length=MAX_NOTE)
    created_by = me.StringField(required=True)
    created_by_name = me.StringField()
    created_at = me.DateTimeField(required=True)
    updated_by = me.StringField()
    updated_by_name = me.StringField()
    updated_at = me.DateTimeField()
    revisions = me.EmbeddedDocumentListField(NoteRevision)

    meta = {"collection": "case_notes", "indexes": [("case_id", "privileged", "created_at")]}


class NoteNotFound(LookupError):
    """No such note, or one the user may not read (indistinguishable on purpose)."""


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise CaseError(_("Write the note."))
    if len(text) > MAX_NOTE:
        raise CaseError(_("The note is too long (%(n)d characters at most).", n=MAX_NOTE))
    return text


def notes_filter(actor: Actor, case: Case) -> Filter:
    """The notes of ``case`` the actor may read (the case itself already checked)."""
    if can_read_privileged(actor, case):
        return {"case_id": case.id}
    return {"case_id": case.id, "privileged": False}


def notes_for_case(kernel: Kernel, actor: Actor, case: Case) -> list[CaseNote]:
    return kernel.store.find(CaseNote, notes_filter(actor, case), sort=[("created_at", -1)])


def get_note(kernel: Kernel, actor: Actor, note_id: str) -> tuple[CaseNote, Case]:
    """The note and its case if the actor may read it; a refusal is audited."""
    try:
        note = kernel.store.get(CaseNote, note_id)
    except NotFoundError:
        raise NoteNotFound(note_id) from None
    case = get_case(kernel, actor, note.case_id)
    if note.privileged and not can_read_privileged(actor, case):
        kernel.emit(
            DomainEvent(
                "note.access_denied",
                actor,
                "note",
                note.id,
                {"case_id": case.id, "privileged": True},
                changes_state=False,
            )
        )
        raise NoteNotFound(note_id)
    return note, case


def _may_write(actor: Actor, case: Case, privileged: bool) -> None:
    if not can_edit_case(actor, case):
        raise PermissionDenied(_("You cannot change this case."))
    if privileged and not can_read_privileged(actor, case):
        raise PermissionDenied(_("Only prosecutors can write privileged notes."))


def add_note(
    kernel: Kernel, actor: Actor, case_id: str, *, text: str, privileged: bool
) -> CaseNote:
    case = get_case(kernel, actor, case_id)
    _may_write(actor, case, privileged)
    at = utc_naive_now()
    note = CaseNote(
        case_id=case.id,
        district=case.district,
        privileged=privileged,
        text=_clean(text),
        created_by=actor.user_id,
        created_by_name=actor.username,
        created_at=at,
        updated_at=at,
    )
    with kernel.store.transaction():
        kernel.store.insert(note)
        kernel.emit(
            DomainEvent(
                "note.added",
                actor,
                "note",
                note.id,
                {"case_id": case.id, "privileged": privileged, "length": len(note.text)},
            )
        )
    return note


def edit_note(kernel: Kernel, actor: Actor, note_id: str, *, version: int, text: str) -> CaseNote:
    """Replace the note's text; refused (StaleWriteError) if it changed since ``version``."""
    note, case = get_note(kernel, actor, note_id)
    _may_write(actor, case, note.privileged)
    text = _clean(text)
    if text == note.text and version == note.version:
        return note
    note.revisions.append(
        NoteRevision(
            text=note.text,
            by=note.updated_by or note.created_by,
            by_name=note.updated_by_name or note.created_by_name,
            at=note.updated_at,
        )
    )
    note.version = version
    note.text, note.updated_at = text, utc_naive_now()
    note.updated_by, note.updated_by_name = actor.user_id, actor.username
    with kernel.store.transaction():
        kernel.store.replace(note)
        kernel.emit(
            DomainEvent(
                "note.edited",
                actor,
                "note",
                note.id,
                {"case_id": case.id, "privileged": note.privileged, "length": len(text)},
            )
        )
    return note
