"""The search-index port: what services may ask of any full-text index.

Services depend on this module only; the embedded Tantivy adapter and the
Elasticsearch adapter implement it, so the code above them does not change
when a province moves to servers. Documents are indexed as passages (long
judgments are split), but results are grouped per document.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = [
    "FACET_FIELDS",
    "FACET_VALUES",
    "FILTER_FIELDS",
    "PUBLIC",
    "SECTION_SCORE",
    "SORTS",
    "TITLE_BOOST",
    "FacetValue",
    "Hit",
    "Passage",
    "QueryError",
    "Ranked",
    "SearchIndex",
    "SearchResult",
    "SearchUnavailableError",
    "check_page",
    "passage_year",
    "sort_day",
]

#: The principal every user holds; passages with it in their ACL are public.
PUBLIC = "public"

#: Fields `SearchIndex.search(filters=...)` can match exactly.
FILTER_FIELDS = frozenset(
    {"kind", "case_id", "doc_type", "language", "court", "district", "section", "year"}
    # year_from / year_to bound the year (inclusive); "section" takes a key such as
    # "302 PPC" or "302(b) PPC" (see search.statute_keys.section_keys).
    | {"year_from", "year_to"}
    # one document (saved-search alerts test a new document against a query)
    | {"doc_id"}
)

#: Facets `SearchIndex.search(facets=True)` counts, in documents, in display order.
FACET_FIELDS = ("kind", "doc_type", "court", "year", "district", "section", "language")

#: Result orders: best match first, or newest first (undated documents last).
SORTS = ("relevance", "date")

# Ranking and facet constants every adapter uses, so both backends rank and facet alike.
#: Weight of a title match against a body match.
TITLE_BOOST = 2.0
#: Score of a passage matched through its sections field (about one rare word's BM25).
SECTION_SCORE = 3.0
#: Values per facet returned (most documents first).
FACET_VALUES = 15


@dataclass(frozen=True)
class Passage:
    """One indexed unit of text: a whole short document or a slice of a long one."""

    id: str  # unique passage id, e.g. f"{doc_id}:{n}"
    doc_id: str  # the document the passage belongs to
    kind: str  # "document" | "judgment" | "statute" ...
    title: str
    text: str
    acl: tuple[str, ...]  # principals that may see it: "case:<id>", "district:<code>", "public"
    case_id: str | None = None
    doc_type: str | None = None
    page: int | None = None
    language: str = "en"
    date: datetime.date | None = None
    # Structured fields for filters and facets (added later, hence defaults).
    #: statute keys from search.statute_keys.section_keys: "302 PPC", "302(b) PPC", "302(b)"
    sections: tuple[str, ...] = ()
    court: str | None = None
    district: str | None = None
    year: int | None = None  # when only the year is known; otherwise date.year is used


@dataclass(frozen=True)
class Hit:
    """One matching document, represented by its best-scoring passage."""

    doc_id: str
    passage_id: str
    score: float
    title: str  # plain text: escape it when rendering
    kind: str
    case_id: str | None
    page: int | None
    # HTML-safe: matched words wrapped in <mark>...</mark>, all other text escaped.
    # May come from several passages of the document, best first.
    snippets: tuple[str, ...]


@dataclass(frozen=True)
class FacetValue:
    """How many visible matching documents have `value` in a facet field."""

    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    """A page of documents; `total` counts all visible matching documents."""

    total: int
    hits: tuple[Hit, ...]
    #: field -> values, most documents first (year: newest first); only when asked for.
    #: Counted in the engine under the same permission filter, query and filters as `total`.
    facets: Mapping[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    #: False when `total` is an estimate (a few % off): counting a very common word's
    #: matches exactly would cost more than the search (see TantivyIndex.exact_total_max).
    total_exact: bool = True


@dataclass(frozen=True)
class Ranked:
    """A document in a keyword ranking, with its best passage; snippets are made later
    (`search.ranking.to_hit`) only for the documents shown."""

    doc_id: str
    score: float
    passage_id: str
    title: str
    kind: str
    case_id: str | None
    page: int | None
    text: str  # best passage text, to highlight later
    query: str  # the (sub-)query that matched it, for highlighting


class QueryError(ValueError):
    """The query cannot be parsed; the message is meant to be shown to the user."""


class SearchUnavailableError(RuntimeError):
    """The index cannot be used right now (busy writer lock, server down); retry later."""


@runtime_checkable
class SearchIndex(Protocol):
    """A passage index with permission-aware, document-grouped search."""

    def upsert(self, passages: Sequence[Passage]) -> None:
        """Replace ALL passages of every doc_id present in `passages` (delete, then add).

        Committed and visible to searchers when it returns, so a document is
        never half old and half new.
        """
        ...

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove every passage of these documents (unknown ids are ignored)."""
        ...

    def search(
        self,
        query: str,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        facets: bool = False,
    ) -> SearchResult:
        """Search passages, group them per document and return one page of documents.

        `principals` None means unrestricted (system use only). Otherwise a
        passage is visible only if its acl intersects `principals`; the
        filter runs inside the engine query, so `total` never counts
        invisible documents. An empty collection sees nothing. `filters`
        match exactly on the fields in FILTER_FIELDS (year_from/year_to bound
        the year). `limit`/`offset` count documents. `sort` is one of SORTS.
        With `facets`, the result carries document counts per FACET_FIELDS
        value. Raises QueryError for an unparsable query.
        """
        ...

    def rank(
        self,
        query: str,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None,
        depth: int,
    ) -> tuple[int, list[Ranked]]:
        """The top `depth` documents (best passage each) and the total, without snippets.

        Same documents, order, scores and total as `search(..., limit=depth)`;
        for fusion, which reads hundreds of documents but shows twenty (making
        snippets was ~99% of a deep Tantivy search).
        """
        ...

    def rank_whole(
        self,
        weighted_terms: Mapping[str, float],
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None,
        depth: int,
    ) -> list[Ranked]:
        """The top `depth` documents by BM25 over whole documents, not passages (no
        passage in the result: `passage_id` and `text` are empty).

        `weighted_terms` are folded terms (`legaltext.search_terms.terms`), each
        term's score multiplied by its weight; any term may match. Permissions
        and filters as in `search` (see `search.whole_documents`).
        """
        ...

    def clear(self) -> None:
        """Remove everything (before a full reindex from the store)."""
        ...

    def count(self) -> int:
        """Number of indexed passages."""
        ...

    def ping(self) -> tuple[bool, str]:
        """Health check for the status page: (ok, human-readable detail)."""
        ...


def check_page(limit: int, offset: int, sort: str = "relevance") -> None:
    """Refuse a search page no adapter can serve (shared by every adapter and the fusion)."""
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must be >= 0")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; allowed: {SORTS}")


def check_passages(passages: Sequence[Passage]) -> None:
    """Refuse a batch an index cannot store faithfully (shared by every adapter)."""
    seen: set[str] = set()
    for p in passages:
        if not isinstance(p, Passage):
            raise TypeError(f"expected Passage, got {type(p).__name__}")
        if not p.id or not p.doc_id:
            raise ValueError(f"passage needs a non-empty id and doc_id: {p.id!r}/{p.doc_id!r}")
        if isinstance(p.acl, str):
            raise TypeError(f"passage {p.id}: acl must be a tuple of principals, not a str")
        if p.id in seen:
            raise ValueError(f"duplicate passage id in batch: {p.id}")
        seen.add(p.id)


_NO_DAY = -(10**6)
_EPOCH = datetime.date(1970, 1, 1)


def passage_year(p: Passage) -> int | None:
    """The year a passage is filed under: its own, else its date's (the year filter and facet)."""
    return p.year if p.year is not None else (p.date.year if p.date is not None else None)


def sort_day(p: Passage) -> int:
    """Days since 1970 of the date (or 1 January of the year), very low when unknown:
    "newest first" puts undated documents last."""
    if p.date is not None:
        return (p.date - _EPOCH).days
    year = passage_year(p)
    return (datetime.date(year, 1, 1) - _EPOCH).days if year is not None else _NO_DAY


def split_filters(
    filters: Mapping[str, str] | None,
) -> tuple[list[tuple[str, str]], tuple[int | None, int | None] | None]:
    """Validate `filters` once for every adapter: (exact (key, value) pairs, year bounds).

    The year bounds are inclusive (lo, hi), either may be None; an exact year
    narrows any range given with it, so lo > hi means nothing can match.
    None when no year filter is given. Raises ValueError/TypeError on bad input.
    """
    exact: list[tuple[str, str]] = []
    years: dict[str, int] = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_FIELDS:
            raise ValueError(f"unknown search filter {key!r}; allowed: {sorted(FILTER_FIELDS)}")
        if not isinstance(value, str):
            raise TypeError(f"search filter {key!r} needs a str value, got {value!r}")
        if key in ("year", "year_from", "year_to"):
            if not value.strip().isdigit():
                raise ValueError(f"search filter {key!r} needs a year, got {value!r}")
            years[key] = int(value)
            continue
        exact.append((key, value))
    if not years:
        return exact, None
    lo = years.get("year", years.get("year_from"))
    hi = years.get("year", years.get("year_to"))
    if "year" in years:
        lo = max(years["year"], years.get("year_from", years["year"]))
        hi = min(years["year"], years.get("year_to", years["year"]))
    return exact, (lo, hi)
