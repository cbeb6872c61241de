"""Facet counts of an Elasticsearch search, in documents, exactly.

Each matching document is one composite bucket (see
`search.elastic_client.ElasticClient.documents`) carrying its values of every
facet field; counting the buckets gives documents per value, not passages.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.elastic_schema import Json
from search.port import FACET_FIELDS, FACET_VALUES, FacetValue
from search.statute_keys import is_act_key

__all__ = ["count_facets", "facet_sub"]

#: Document-level fields whose facet values are the same on every passage of a document.
_DOC_FACETS = ("kind", "doc_type", "court", "district", "language", "year")


def facet_sub() -> Json:
    """Per-document values of every facet field (a document has few of each)."""
    sub = {name: {"terms": {"field": name, "size": 10}} for name in _DOC_FACETS}
    sub["section"] = {"terms": {"field": "sections", "size": 200}}
    return sub


def count_facets(buckets: Iterable[Json]) -> tuple[int, dict[str, tuple[FacetValue, ...]]]:
    """Exact documents per facet value from per-document composite buckets, and the total."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
    total = 0
    for bucket in buckets:
        total += 1
        for name in FACET_FIELDS:
            for value in bucket[name]["buckets"]:
                key = str(value["key"])
                if name == "section" and not is_act_key(key):
                    continue
                counts[name][key] = counts[name].get(key, 0) + 1
    out: dict[str, tuple[FacetValue, ...]] = {}
    for name, found in counts.items():
        if name == "year":
            top = sorted(found.items(), key=lambda kv: -int(kv[0]))[:FACET_VALUES]
        else:
            top = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES]
        out[name] = tuple(FacetValue(v, n) for v, n in top)
    return total, out
