"""Choose the search index adapter from settings."""

from __future__ import annotations

from mizan.settings import Settings, SettingsError
from search.port import SearchIndex


def open_index(settings: Settings) -> SearchIndex:
    if settings.search_kind == "embedded":
        from search.tantivy_index import TantivyIndex

        return TantivyIndex(settings.index_dir)
    raise SettingsError(
        "MIZAN_SEARCH points at Elasticsearch, but this version of Mizan has only the "
        "embedded search index; unset MIZAN_SEARCH to use it."
    )
