"""Domain events: services announce what happened; subscribers (audit, indexing) react.

Handlers run synchronously inside the emitting service's transaction, so an
audit entry commits or rolls back together with the change it records.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mizan.actor import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DomainEvent:
    """``action`` is a dotted verb such as ``case.created`` or ``document.viewed``."""

    action: str
    actor: Actor
    subject_type: str
    subject_id: str
    data: dict[str, Any] = field(default_factory=dict)
    #: Events that change state; views and downloads are not changes but are still audited.
    changes_state: bool = True


Handler = Callable[[DomainEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, handler: Handler, prefix: str = "") -> None:
        """Call ``handler`` for every event whose action starts with ``prefix`` ("" = all)."""
        self._handlers[prefix].append(handler)

    def emit(self, event: DomainEvent) -> None:
        for prefix, handlers in list(self._handlers.items()):
            if event.action.startswith(prefix):
                for handler in handlers:
                    handler(event)
