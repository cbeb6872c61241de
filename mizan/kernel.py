"""The kernel: settings plus the adapters they select, built once per process.

Everything above the adapters (services, web, tasks, CLI) receives a Kernel and
never asks which database, index or broker is behind it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mizan import audit, worker
from mizan.events import DomainEvent, EventBus
from mizan.settings import Settings, load_settings
from mizan.storage import DocumentStore
from mizan.storage.blobs import BlobStore

if TYPE_CHECKING:
    from search.embeddings import Embedder
    from search.port import SearchIndex
    from search.vector_port import VectorIndex


def open_store(settings: Settings) -> DocumentStore:
    if settings.store_kind == "mongodb":
        from mizan.storage.mongo_store import MongoStore

        return MongoStore(settings.store_url)
    from mizan.storage.sqlite_store import SQLiteStore

    return SQLiteStore(settings.sqlite_path)


@dataclass
class Kernel:
    settings: Settings
    store: DocumentStore
    blobs: BlobStore
    events: EventBus = field(default_factory=EventBus)

    @cached_property
    def index(self) -> SearchIndex:
        """The search index (embedded Tantivy, or Elasticsearch by URL), opened on first use."""
        from search.backends import open_index

        return open_index(self.settings)

    @cached_property
    def vectors(self) -> VectorIndex:
        """The passage-vector index for semantic search, opened on first use."""
        from search.backends import open_vector_index

        return open_vector_index(self.settings)

    @property
    def embedder(self) -> Embedder:
        """The process-wide embedding model with this installation's cache (lazy)."""
        from search.backends import embedding_cache_path
        from search.embeddings import shared_embedder

        return shared_embedder(embedding_cache_path(self.settings))

    def emit(self, event: DomainEvent) -> None:
        self.events.emit(event)

    def close(self) -> None:
        self.store.close()


def build_kernel(settings: Settings | None = None) -> Kernel:
    settings = settings or load_settings()
    from search.backends import check_backend

    check_backend(settings)
    kernel = Kernel(
        settings=settings, store=open_store(settings), blobs=BlobStore(settings.blob_dir)
    )
    worker.configure(settings)
    kernel.events.subscribe(lambda event: audit.record_event(kernel.store, event))
    from search.indexing import subscribe_indexing

    subscribe_indexing(kernel)
    from ingestion.understanding import subscribe_understanding

    subscribe_understanding(kernel)
    from casefiles.notices import subscribe_notices

    subscribe_notices(kernel)
    from mizan.schema import ensure_schema

    # Tables and indexes exist before any transaction touches them (MongoDB cannot
    # create a collection inside a multi-document transaction on older servers).
    ensure_schema(kernel)
    return kernel


_process_kernel: Kernel | None = None
_process_lock = threading.Lock()


def process_kernel() -> Kernel:
    """The kernel of this process (worker tasks and CLI use it), built from the environment."""
    global _process_kernel
    with _process_lock:
        if _process_kernel is None:
            _process_kernel = build_kernel()
        return _process_kernel


def set_process_kernel(kernel: Kernel | None) -> None:
    """Tests and the web app point tasks at the kernel they built."""
    global _process_kernel
    with _process_lock:
        _process_kernel = kernel
