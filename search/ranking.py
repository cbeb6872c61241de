"""Document rankings without snippets, for fusion; snippets only for the page shown.

Fusion reads 100 (search page) to 1,000 (evaluation) documents per engine,
but shows 20. `TantivyIndex.search` builds highlighted snippets for every
document it returns, which is ~99% of the time of a deep search (measured:
80 ms per hit on a loaded 2-core machine). So for Tantivy this module ranks
with the adapter's own query compiler, permission restrictions and
passage-to-document grouping, and makes snippets later, with the adapter's
highlighter, for the documents actually displayed. Any other `SearchIndex`
(e.g. Elasticsearch) is ranked through its `search`, snippets included.

TODO(merge): this reaches into TantivyIndex internals; the clean home is a
`rank()` method on the `SearchIndex` port, implemented by each adapter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import tantivy

from search.port import Hit, SearchIndex
from search.tantivy_index import TantivyIndex, _positive_leaves, _snippets, parse_query

__all__ = ["Ranked", "rank", "to_hit"]


@dataclass(frozen=True)
class Ranked:
    """A document in a keyword ranking, with its best passage (snippets made on demand)."""

    doc_id: str
    score: float
    passage_id: str
    title: str
    kind: str
    case_id: str | None
    page: int | None
    text: str | None  # best passage text, to highlight later
    query: str  # the (sub-)query that matched it, for highlighting
    snippets: tuple[str, ...] | None = None  # already made by a non-Tantivy adapter


def rank(
    index: SearchIndex,
    query: str,
    *,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    depth: int,
) -> tuple[int, list[Ranked]]:
    """The top `depth` documents for `query` (best passage per document) and the total."""
    if not isinstance(index, TantivyIndex):
        result = index.search(query, principals=principals, filters=filters, limit=depth)
        return result.total, [
            Ranked(
                h.doc_id,
                h.score,
                h.passage_id,
                h.title,
                h.kind,
                h.case_id,
                h.page,
                None,
                query,
                h.snippets,
            )
            for h in result.hits
        ]
    node = parse_query(query)
    restrictions = index._restrictions(principals, filters)
    if principals is not None and not principals:
        return 0, []
    q = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, index._compile(node))]
        + [(tantivy.Occur.Must, tantivy.Query.const_score_query(r, 0.0)) for r in restrictions]
    )
    searcher = index._searcher()
    ranked, total, _ = index._rank_documents(searcher, q, depth)
    out = []
    for score, addr, _key in ranked:
        doc = searcher.doc(addr)
        out.append(
            Ranked(
                doc_id=doc.get_first("doc_id"),
                score=float(score),
                passage_id=doc.get_first("passage_id"),
                title=doc.get_first("title").decode(),
                kind=doc.get_first("kind"),
                case_id=doc.get_first("case_id"),
                page=doc.get_first("page"),
                text=doc.get_first("text").decode(),
                query=query,
            )
        )
    return total, out


def to_hit(r: Ranked, score: float | None = None) -> Hit:
    """A displayable hit: the matched words of the best passage marked."""
    if r.snippets is not None:
        snippets = r.snippets
    else:
        leaves = list(_positive_leaves(parse_query(r.query)))
        snippets = _snippets([r.text or ""], leaves, 3, 200)
    return Hit(
        doc_id=r.doc_id,
        passage_id=r.passage_id,
        score=r.score if score is None else score,
        title=r.title,
        kind=r.kind,
        case_id=r.case_id,
        page=r.page,
        snippets=snippets,
    )
