"""The outbox: index updates queued in the same transaction as the write they follow.

If a process dies between committing a change and updating the search index,
the entry is still there and the next drain applies it, so store and index
never drift for long. Handlers must be idempotent (re-indexing is).

Writing an entry is what asks the worker for a drain (once per transaction, on
commit), so no caller has to remember to: a case saved on the web or through
the intake API is searchable as soon as the worker gets to it.
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
    meta = {"collection": "outbox", "indexes": ["topic"]}


#: Called with the kernel and the entry's payload.
Handler = Callable[["Kernel", dict[str, Any]], None]
_handlers: dict[str, Handler] = {}


def register(topic: str, handler: Handler) -> None:
    _handlers[topic] = handler


#: The worker task that drains the outbox (``mizan.tasks.drain_outbox``).
DRAIN_TASK = "mizan.drain_outbox"


def schedule_drain() -> None:
    """Ask the worker for a drain; one function, so a transaction's store asks once."""
    worker.enqueue(DRAIN_TASK)


def enqueue(store: DocumentStore, topic: str, payload: dict[str, Any]) -> OutboxEntry:
    """Record work to do; call inside the transaction of the change it follows.

    The drain is scheduled on commit (not at all on rollback), once per transaction
    however many entries it writes.
    """
    entry = store.insert(OutboxEntry(topic=topic, payload=payload, created_at=utc_naive_now()))
    store.on_commit(schedule_drain)
    return entry


def drain(
    kernel: Kernel, limit: int = 1000, max_attempts: int = 5, budget: float | None = None
) -> int:
    """Apply pending entries oldest first; returns how many were applied.

    With ``budget`` (seconds), stop starting new entries once it is spent (at
    least one is applied), so a worker asked to stop is not held for minutes of
    embedding; the rest wait for the next drain.
    """
    store = kernel.store
    applied = 0
    deadline = None if budget is None else time.monotonic() + budget
    for entry in store.find(
        OutboxEntry, {"attempts": {"$lt": max_attempts}}, sort=[("_id", 1)], limit=limit
    ):
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


def pending(store: DocumentStore) -> int:
    return store.count(OutboxEntry)
