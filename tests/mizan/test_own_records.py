"""A user's own jobs and notifications, as the pages ask for them: never another's."""

from __future__ import annotations

import datetime as dt

import pytest

from mizan.actor import Actor
from mizan.jobs import Job, jobs_of, recent_jobs
from mizan.notifications import (
    NotificationError,
    inbox,
    mark_read_for,
    notify,
    open_notification,
    unread_of,
)

ALICE = Actor("u1", "alice", frozenset({"prosecutor"}))
BOB = Actor("u2", "bob", frozenset({"prosecutor"}))


def test_jobs_of_and_recent_jobs_list_only_ones_own(kernel) -> None:
    start = dt.datetime(2024, 1, 1)
    for i in range(7):
        who = ALICE if i % 2 == 0 else BOB
        at = start + dt.timedelta(minutes=i)
        kernel.store.insert(
            Job(kind="k", title=f"j{i}", created_by=who.user_id, created_at=at, updated_at=at)
        )
    rows, total = jobs_of(kernel, ALICE, page=1, per_page=3)
    assert total == 4 and [j.title for j in rows] == ["j6", "j4", "j2"]
    assert [j.title for j in jobs_of(kernel, ALICE, page=2, per_page=3)[0]] == ["j0"]
    assert [j.title for j in recent_jobs(kernel, BOB, limit=2)] == ["j5", "j3"]


def test_notifications_are_read_and_opened_only_by_their_user(kernel) -> None:
    sent = [notify(kernel.store, ALICE.user_id, text=f"n{i}") for i in range(3)]
    ids = [n.id for n in sent if n is not None]
    notify(kernel.store, BOB.user_id, text="bob's")
    assert unread_of(kernel, ALICE) == 3 and unread_of(kernel, BOB) == 1
    notes, total = inbox(kernel, ALICE, per_page=2)
    assert total == 3 and len(notes) == 2
    with pytest.raises(NotificationError):
        open_notification(kernel, BOB, ids[0])
    assert open_notification(kernel, ALICE, ids[0]).id == ids[0]
    assert unread_of(kernel, ALICE) == 2
    assert mark_read_for(kernel, BOB, ids[1:]) == 0  # someone else's: ignored
    assert mark_read_for(kernel, ALICE, ids[1:2]) == 1
    assert mark_read_for(kernel, ALICE, every=True) == 1
    assert unread_of(kernel, ALICE) == 0 and unread_of(kernel, BOB) == 1
