"""What search contributes to Mizan: index subscribers and handlers, commands, warm-up."""

from __future__ import annotations

from mizan.kernel import Kernel
from mizan.registry import Registry
from search import cli
from search.indexing import CASE_TOPIC, TOPIC, index_case, index_document, subscribe_indexing
from search.saved import SavedSearch
from search.warmup import start_warm_up


def _warm_pool_process(kernel: Kernel) -> None:
    """Each worker pool process embeds passages: load its model now, in the background."""
    start_warm_up(kernel, read_vectors=False)  # it writes vectors, never searches


def register(registry: Registry) -> None:
    registry.models.append(SavedSearch)
    registry.subscribers.append(subscribe_indexing)
    registry.outbox_handlers[TOPIC] = index_document
    registry.outbox_handlers[CASE_TOPIC] = index_case
    registry.commands += [cli.reindex, cli.eval_retrieval]
    registry.worker_process_start.append(_warm_pool_process)
