"""Choose the search index adapter from settings."""

from __future__ import annotations

from pathlib import Path

from mizan.settings import Settings, SettingsError
from search.port import SearchIndex
from search.vector_port import VectorIndex


def check_backend(settings: Settings) -> None:
    """Refuse at start-up a search backend this version cannot open."""
    if settings.search_kind != "embedded":
        raise SettingsError(
            "MIZAN_SEARCH points at Elasticsearch, but this version of Mizan has only the "
            "embedded search index; unset MIZAN_SEARCH to use it."
        )


def open_index(settings: Settings) -> SearchIndex:
    check_backend(settings)
    from search.tantivy_index import TantivyIndex

    return TantivyIndex(settings.index_dir)


def open_vector_index(settings: Settings) -> VectorIndex:
    """The passage-vector index; kept inside the index directory so backups carry it."""
    check_backend(settings)
    from search.vector_index import SqliteVectorIndex

    return SqliteVectorIndex(settings.index_dir / "vectors" / "vectors.sqlite3")


def embedding_cache_path(settings: Settings) -> Path:
    """Embeddings by content hash: a full reindex re-embeds only changed passages."""
    return settings.index_dir / "vectors" / "embeddings.sqlite3"
