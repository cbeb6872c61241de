"""The outbox drain: a time budget hands the rest to the next drain instead of holding a
stopping worker (large library imports embed for minutes)."""

from __future__ import annotations

from mizan import outbox

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
