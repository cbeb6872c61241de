"""One way to change a stored record that others may change at the same time.

Read it fresh, apply the change, save it if nobody saved it meanwhile; otherwise read
again and re-apply. No lost update, and no StaleWriteError while rounds remain. Used by
sign-in counters (many tries at once on one account) and by key rotation (`mizan reseal`
rewriting records while Mizan runs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, Model, StaleWriteError

M = TypeVar("M", bound=Model)

#: Rounds before giving up on a record written by many at once (sign-ins to one account).
ROUNDS = 50


def compare_and_set(
    kernel: Kernel,
    load: Callable[[], M],
    change: Callable[[M], bool],
    event: DomainEvent | None = None,
) -> M:
    """Apply ``change`` to a fresh ``load()`` and save it (insert if new), with ``event``
    in the same transaction. ``change`` returns False when there is nothing to save."""
    for attempt in range(ROUNDS):
        doc = load()
        if not change(doc):
            return doc
        try:
            with kernel.store.transaction():
                if doc.version:
                    kernel.store.replace(doc)
                else:
                    kernel.store.insert(doc)
                if event is not None:
                    kernel.emit(event)
        except (StaleWriteError, DuplicateKeyError):
            if attempt == ROUNDS - 1:
                raise
            time.sleep(0.001 * attempt)  # let the writer that won finish
            continue
        return doc
    raise AssertionError("unreachable")
