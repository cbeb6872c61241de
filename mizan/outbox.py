"""The outbox: index updates queued in the same transaction as the write they follow.

If a process dies between committing a change and updating the search index,
the entry is still there and the next drain applies it, so store and index
never drift for long. Handlers must be idempotent (re-indexing is).

Writing an entry is what asks the worker for a drain (once per transaction, on
commit), so no caller has to remember to: a case saved on the web or through
the intake API is searchable as soon as the worker gets to it.

Entries of bulk topics (a library import's indexing) are drained apart, on the
bulk queue, so the index update after a clerk's edit never waits behind them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

import mongoengine as me

from mizan import worker
from mizan.clock import utc_naive_now
from mizan.storage import DocumentStore, Model, NotFoundError, StaleWriteError

if TYPE_CHECKING:
    from mizan.kernel import Kernel

log = logging.getLogger(__name__)


class OutboxEntry(Model):
    label = "outbox entry"
    topic = me.StringField(required=True)
    payload = me.DictField()
    created_at = me.DateTimeField()
    attempts = me.IntField(default=0)
    last_error = me.StringField()
    #: "bulk" for bulk topics; entries written before lanes existed have none (interactive).
    lane = me.StringField()
    meta = {"collection": "outbox", "indexes": ["topic"]}


#: Called with the kernel and the entry's payload.
Handler = Callable[["Kernel", dict[str, Any]], None]
_handlers: dict[str, Handler] = {}
_bulk_topics: set[str] = set()

BULK = "bulk"
INTERACTIVE = "interactive"


def register(topic: str, handler: Handler, *, bulk: bool = False) -> None:
    _handlers[topic] = handler
    if bulk:
        _bulk_topics.add(topic)
    else:
        _bulk_topics.discard(topic)


#: The worker task that drains the outbox (``mizan.tasks.drain_outbox``).
DRAIN_TASK = "mizan.drain_outbox"


def schedule_drain() -> None:
    """Ask the worker for a drain of interactive entries (one function, so a transaction's
    store asks once)."""
    worker.enqueue(DRAIN_TASK, INTERACTIVE, queue=worker.INTERACTIVE_QUEUE)


def schedule_bulk_drain() -> None:
    """Ask the bulk worker for a drain of bulk entries."""
    worker.enqueue(DRAIN_TASK, BULK, queue=worker.BULK_QUEUE)


def schedule(lane: str) -> None:
    (schedule_bulk_drain if lane == BULK else schedule_drain)()


def enqueue(store: DocumentStore, topic: str, payload: dict[str, Any]) -> OutboxEntry:
    """Record work to do; call inside the transaction of the change it follows.

    The drain is scheduled on commit (not at all on rollback), once per transaction and
    lane however many entries it writes.
    """
    bulk = topic in _bulk_topics
    entry = store.insert(
        OutboxEntry(
            topic=topic,
            payload=payload,
            created_at=utc_naive_now(),
            lane=BULK if bulk else None,
        )
    )
    store.on_commit(schedule_bulk_drain if bulk else schedule_drain)
    return entry


def _lane_filter(lane: str | None) -> dict[str, Any]:
    if lane is None:
        return {}
    return {"lane": BULK} if lane == BULK else {"lane": {"$ne": BULK}}


def drain(
    kernel: Kernel,
    limit: int = 1000,
    max_attempts: int = 5,
    budget: float | None = None,
    lane: str | None = None,
) -> int:
    """Apply pending entries oldest first (of one ``lane``, or all); returns how many were
    applied.

    With ``budget`` (seconds), stop starting new entries once it is spent (at
    least one is applied), so a worker asked to stop is not held for minutes of
    embedding; the rest wait for the next drain.
    """
    store = kernel.store
    applied = 0
    deadline = None if budget is None else time.monotonic() + budget
    flt = {"attempts": {"$lt": max_attempts}, **_lane_filter(lane)}
    for entry in store.find(OutboxEntry, flt, sort=[("_id", 1)], limit=limit):
        handler = _handlers.get(entry.topic)
        if handler is None:
            log.error("No outbox handler for topic %s", entry.topic)
            continue
        try:
            handler(kernel, entry.payload)
        except Exception as exc:  # one bad entry must not block the rest
            log.exception("Outbox entry %s (%s) failed", entry.id, entry.topic)
            entry.attempts += 1
            entry.last_error = str(exc)[:500]
            with suppress(StaleWriteError, NotFoundError):
                store.replace(entry)
            continue
        with suppress(StaleWriteError, NotFoundError):  # another drainer applied it too
            store.delete(entry)
        applied += 1
        if deadline is not None and time.monotonic() > deadline:
            break
    return applied


def pending(store: DocumentStore, lane: str | None = None) -> int:
    return store.count(OutboxEntry, _lane_filter(lane))
