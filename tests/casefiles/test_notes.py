"""Notes: privileged ones never reach clerks or supervisors; stale edits are refused."""

from __future__ import annotations

import pytest

from casefiles.notes import NoteNotFound, add_note, edit_note, get_note, notes_for_case
from casefiles.service import CaseError
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.casefiles.case_steps import demo_case

SECRET = "Strategy: do not call PW-3, his statement conflicts with the memo."


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def test_privileged_notes_are_for_prosecutors_only(demo) -> None:
    case = demo_case(demo)
    secret = add_note(demo, _actor(demo, "pp.rahim"), case.id, text=SECRET, privileged=True)
    plain = add_note(
        demo, _actor(demo, "clerk.south"), case.id, text="File received.", privileged=False
    )
    for username in ("pp.rahim", "dpp.south", "pg.sindh"):
        assert {n.id for n in notes_for_case(demo, _actor(demo, username), case)} == {
            secret.id,
            plain.id,
        }
    for username in ("clerk.south", "supervisor"):
        assert [n.id for n in notes_for_case(demo, _actor(demo, username), case)] == [plain.id]
        with pytest.raises(NoteNotFound):
            get_note(demo, _actor(demo, username), secret.id)
    assert demo.store.count(AuditEntry, {"action": "note.access_denied"}) == 2
    with pytest.raises(PermissionDenied, match="Only prosecutors"):
        add_note(demo, _actor(demo, "clerk.south"), case.id, text="x", privileged=True)
    # The text never goes into the audit trail (administrators read it).
    assert not any(SECRET in str(e.data) for e in demo.store.find(AuditEntry, {}))


def test_stale_edit_is_refused_and_nothing_is_lost(demo) -> None:
    case = demo_case(demo)
    rahim, dpp = _actor(demo, "pp.rahim"), _actor(demo, "dpp.south")
    note = add_note(demo, rahim, case.id, text="First draft", privileged=True)
    opened = note.version
    edit_note(demo, dpp, note.id, version=opened, text="DPP's version")
    with pytest.raises(StaleWriteError, match="changed by someone else"):
        edit_note(demo, rahim, note.id, version=opened, text="Rahim's version")
    saved, _case = get_note(demo, rahim, note.id)
    assert saved.text == "DPP's version"
    assert [r.text for r in saved.revisions] == ["First draft"]
    with pytest.raises(CaseError, match="Write the note"):
        edit_note(demo, rahim, note.id, version=saved.version, text="   ")
