"""Choose the search index adapters from settings: embedded, or Elasticsearch at a URL.

``search_index``, ``vector_index`` and ``embedder`` give a kernel's adapters; the
indexes are opened on first use and kept on the kernel (``Kernel.extension``), so
the kernel needs no knowledge of search.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mizan.settings import Settings, SettingsError
from search.port import SearchIndex
from search.vector_port import VectorIndex

if TYPE_CHECKING:
    from mizan.kernel import Kernel
    from search.embeddings import Embedder


def search_index(kernel: Kernel) -> SearchIndex:
    """The kernel's search index (embedded Tantivy, or Elasticsearch by URL), opened once."""
    return kernel.extension("search.index", lambda k: open_index(k.settings))


def vector_index(kernel: Kernel) -> VectorIndex:
    """The kernel's passage-vector index for semantic search, opened once."""
    return kernel.extension("search.vectors", lambda k: open_vector_index(k.settings))


def embedder(kernel: Kernel) -> Embedder:
    """The process-wide embedding model with this installation's cache (lazy)."""
    from search.embeddings import shared_embedder

    return shared_embedder(embedding_cache_path(kernel.settings))


def open_index(settings: Settings) -> SearchIndex:
    if settings.search_kind == "elasticsearch":
        from search.elastic_index import ElasticIndex

        return ElasticIndex(settings.search_url, prefix=settings.search_prefix)
    from search.tantivy_index import TantivyIndex

    return TantivyIndex(settings.index_dir)


def prepare_rebuild(settings: Settings) -> bool:
    """Before a full rebuild: discard an embedded text index of an older layout (it cannot
    be opened, and the store is the source of truth). True if one was discarded."""
    if settings.search_kind == "elasticsearch":
        return False
    from search.tantivy_index import discard_stale_layout

    return settings.index_dir.exists() and discard_stale_layout(settings.index_dir)


def open_vector_index(settings: Settings) -> VectorIndex:
    """The passage-vector index; embedded, it is kept inside the index directory so backups
    carry it."""
    if settings.search_kind == "elasticsearch":
        from search.elastic_index import ElasticVectorIndex

        return ElasticVectorIndex(settings.search_url, prefix=settings.search_prefix)
    from search.vector_index import SqliteVectorIndex

    return SqliteVectorIndex(
        settings.index_dir / "vectors" / "vectors.sqlite3", ann_min=settings.vector_ann_min
    )


def embedding_cache_path(settings: Settings) -> Path:
    """Embeddings by content hash: a full reindex re-embeds only changed passages."""
    return settings.index_dir / "vectors" / "embeddings.sqlite3"


def check_backend(settings: Settings) -> None:
    """Refuse at start-up a search backend this installation cannot open.

    The server itself is not contacted here: it may start after Mizan, and
    /healthz reports it; every request to it fails with a readable message.
    """
    if settings.search_kind == "elasticsearch":
        try:
            import elasticsearch  # noqa: F401
        except ImportError as exc:
            raise SettingsError(
                "MIZAN_SEARCH points at Elasticsearch, but the elasticsearch Python client is "
                "not installed: pip install 'elasticsearch>=9', or unset MIZAN_SEARCH."
            ) from exc
