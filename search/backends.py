"""Choose the search index adapter from settings."""

from __future__ import annotations

from mizan.settings import Settings, SettingsError
from search.port import SearchIndex


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
