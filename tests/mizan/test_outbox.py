"""The outbox drain: writing an entry schedules one drain on commit (so a new case is
searchable without waiting for some other job), and a time budget hands the rest to the
next drain instead of holding a stopping worker (large library imports embed for minutes)."""

from __future__ import annotations

import pytest

from mizan import outbox, worker

TOPIC = "test.outbox.count"
APPLIED: list[int] = []


def _record(kernel, payload) -> None:
    APPLIED.append(payload["n"])


outbox.register(TOPIC, _record)


def test_a_spent_budget_stops_after_one_entry_and_keeps_the_rest(kernel) -> None:
    APPLIED.clear()
    with kernel.store.transaction():
        for n in range(3):
            outbox.enqueue(kernel.store, TOPIC, {"n": n})
    assert outbox.drain(kernel, budget=0) == 1
    assert len(APPLIED) == 1 and outbox.pending(kernel.store) == 2
    assert outbox.drain(kernel) == 2  # no budget: everything that is left
    # (ids made within one millisecond sort randomly, so only the set is certain)
    assert sorted(APPLIED) == [0, 1, 2] and outbox.pending(kernel.store) == 0


def test_library_imports_are_queued_in_small_entries(kernel) -> None:
    from library.indexing import ENTRY_JUDGMENTS, enqueue_judgments
    from library.indexing import TOPIC as LIBRARY
    from mizan.outbox import OutboxEntry

    ids = [f"j{n}" for n in range(ENTRY_JUDGMENTS * 2 + 1)]
    with kernel.store.transaction():
        enqueue_judgments(kernel.store, ids)
    entries = kernel.store.find(OutboxEntry, {"topic": LIBRARY})
    sizes = sorted(len(e.payload["judgments"]) for e in entries)
    assert sizes == [1, ENTRY_JUDGMENTS, ENTRY_JUDGMENTS]
    assert sorted(j for e in entries for j in e.payload["judgments"]) == sorted(ids)


class Boom(Exception):
    pass


@pytest.fixture
def sent(kernel, monkeypatch) -> list[str]:
    """The names of the tasks sent to the broker (instead of sending them)."""
    names: list[str] = []
    monkeypatch.setattr(worker.app, "send_task", lambda name, *a, **kw: names.append(name))
    return names


def test_writing_entries_schedules_one_drain_on_commit(kernel, sent) -> None:
    with kernel.store.transaction():
        for n in range(3):
            outbox.enqueue(kernel.store, TOPIC, {"n": n})
        with kernel.store.transaction():  # a nested writer joins the same transaction
            outbox.enqueue(kernel.store, TOPIC, {"n": 3})
        assert sent == []  # not before the commit: the worker would not see the entries
    assert sent == ["mizan.drain_outbox"]
    with kernel.store.transaction():  # the next transaction asks for its own drain
        outbox.enqueue(kernel.store, TOPIC, {"n": 4})
    assert sent == ["mizan.drain_outbox"] * 2
    outbox.enqueue(kernel.store, TOPIC, {"n": 5})  # outside a transaction: at once
    assert sent == ["mizan.drain_outbox"] * 3


def test_a_rolled_back_entry_schedules_no_drain(kernel, sent) -> None:
    with pytest.raises(Boom), kernel.store.transaction():
        outbox.enqueue(kernel.store, TOPIC, {"n": 0})
        raise Boom
    assert sent == [] and outbox.pending(kernel.store) == 0
