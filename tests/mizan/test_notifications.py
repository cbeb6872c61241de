"""Notifications: stored as a message key with parameters, rendered per reader, deduplicated."""

from __future__ import annotations

import datetime as dt

import pytest

from mizan import i18n
from mizan.actor import Actor
from mizan.audit import AuditEntry
from mizan.i18n import lazy_gettext as _l
from mizan.notifications import (
    Notification,
    NotificationError,
    list_notifications,
    mark_all_read,
    mark_read,
    notify,
    open_notification,
    render,
    translated,
    unread_count,
)


def test_stores_key_and_params_not_the_sentence(kernel) -> None:
    note = notify(kernel.store, "u1", _l("Case %(ref)s opened."), {"ref": "FIR 1/2025"}, link="/x")
    stored = kernel.store.get(Notification, note.id)
    assert stored.key == "Case %(ref)s opened."
    assert stored.params == {"ref": "FIR 1/2025"}
    assert stored.text is None
    assert render(stored) == "Case FIR 1/2025 opened."


def test_renders_in_the_readers_language(kernel) -> None:
    note = notify(
        kernel.store,
        "u1",
        "%(what)s: %(ref)s",
        {"what": translated(_l("Hearings")), "ref": "FIR 1/2025"},
    )
    i18n.install_translator(lambda text: {"Hearings": "سماعتیں"}.get(text, text))
    try:
        assert render(note) == "سماعتیں: FIR 1/2025"
    finally:
        i18n.install_translator(lambda text: text)
    assert render(note) == "Hearings: FIR 1/2025"


def test_dedupe_key_announces_a_fact_once_per_user(kernel) -> None:
    first = notify(kernel.store, "u1", text="Hello", dedupe="deadline:c1:rule:2025-01-01")
    again = notify(kernel.store, "u1", text="Hello", dedupe="deadline:c1:rule:2025-01-01")
    other = notify(kernel.store, "u2", text="Hello", dedupe="deadline:c1:rule:2025-01-01")
    assert first is not None and again is None and other is not None
    assert unread_count(kernel.store, "u1") == 1


def test_unread_count_mark_read_and_pages(kernel) -> None:
    start = dt.datetime(2026, 1, 1, 9)
    ids = [
        notify(kernel.store, "u1", text=f"n{i}", at=start + dt.timedelta(minutes=i)).id
        for i in range(30)
    ]
    notify(kernel.store, "u2", text="not yours")
    assert unread_count(kernel.store, "u1") == 30
    assert mark_read(kernel.store, "u1", ids[:5]) == 5
    assert mark_read(kernel.store, "u1", ids[:5]) == 0  # already read
    assert mark_read(kernel.store, "u2", ids[5:10]) == 0  # someone else's
    assert unread_count(kernel.store, "u1") == 25
    page2, total = list_notifications(kernel.store, "u1", page=2, per_page=25)
    assert total == 30 and len(page2) == 5
    newest, _ = list_notifications(kernel.store, "u1", per_page=1)
    assert newest[0].id == ids[-1]
    unread, n = list_notifications(kernel.store, "u1", unread_only=True)
    assert n == 25 and all(u.read_at is None for u in unread)
    assert mark_all_read(kernel.store, "u1") == 25
    assert unread_count(kernel.store, "u1") == 0
    assert unread_count(kernel.store, "u2") == 1


def test_opening_someone_elses_notification_is_refused_and_audited(kernel) -> None:
    theirs = notify(kernel.store, "u1", text="Hearing tomorrow in ATC-XII")
    other = Actor(user_id="u2", username="pp.other")
    for note_id in (theirs.id, "0123456789abcdef01234567"):
        with pytest.raises(NotificationError, match="does not exist"):
            open_notification(kernel, other, note_id)
    refused = kernel.store.find(AuditEntry, {"action": "notification.access_denied"})
    assert [(e.actor_name, e.subject_id) for e in refused] == [("pp.other", theirs.id)]
    assert kernel.store.get(Notification, theirs.id).read_at is None
    assert open_notification(kernel, Actor(user_id="u1", username="u1"), theirs.id).id == theirs.id


@pytest.mark.parametrize(
    "kwargs",
    [
        {"text": "x", "link": "https://evil.example/"},
        {"text": "x", "link": "//evil.example/"},
        {"text": "x", "kind": "gossip"},
        {},
        {"key": "Case %(ref)s opened.", "params": {}},
    ],
)
def test_refuses_bad_notifications(kernel, kwargs) -> None:
    with pytest.raises(NotificationError):
        notify(kernel.store, "u1", **kwargs)
