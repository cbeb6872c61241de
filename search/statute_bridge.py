"""Judgments found through the statutes a description concerns, as well as through its words.

A statement of facts tells a story (a bank officer, a housing society, dates,
sums); the precedent that decides it shares its *legal point* (breach of trust
by a public servant, the State's power to dismiss), usually with a different
story. Statutes state legal points in the words judgments reason in, and the
statute ranking works far better than the judgment ranking on the same
descriptions. So the judgments for a description are ranked twice:

* by the description itself (`search.hybrid.ranked_documents`), and
* through the statutes: the passage that matched of each of the top
  `BRIDGE_STATUTES` statutes is searched for judgments (as plain words, in the
  same mode), and those rankings are fused (reciprocal-rank fusion);

and the two rankings are fused with equal weight, k = 60 as everywhere
(`search.hybrid.fuse`). A judgment that both tells a similar story and
argues the statute's point rises; one reached by either path alone still
ranks.

Each statute's judgments count by the statute's own rank (its RRF term), so
the first statute leads. Measured on AILA 2019 (ten training queries,
docs/guide/search.md): precedents MAP hybrid 0.0057 -> 0.0291, semantic
0.0033 -> 0.0076, keyword 0.0054 -> 0.0043; by the mean log rank of every
relevant judgment, better in 5 queries and worse in 3 (hybrid). A small gain
from a near-random start. The statute ranking itself is unchanged. No number
was fitted to those queries: `BRIDGE_STATUTES` 3, 5 and 10 gave alike on a
side harness, and 5 was fixed before the product runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from search.embeddings import Embedder
from search.hybrid import RRF_K, Candidate, HybridQuery, fuse, ranked_documents, with_passages
from search.port import QueryError, SearchIndex
from search.vector_port import VectorIndex

__all__ = ["BRIDGE_STATUTES", "bridged_ranking", "matched_passage", "precedent_rankings"]

#: The top statutes whose matched passage is searched for judgments.
BRIDGE_STATUTES = 5


def matched_passage(statute: Candidate) -> str:
    """The statute's passage that matched the description: keyword match, else nearest."""
    if statute.keyword is not None and statute.keyword.text.strip():
        return statute.keyword.text
    if statute.semantic is not None and statute.semantic.passages:
        return statute.semantic.passages[0].passage.text
    return ""


def bridged_ranking(
    index: SearchIndex,
    vectors: VectorIndex,
    embedder: Embedder,
    q: HybridQuery,
    statutes: Sequence[Candidate],
) -> tuple[int, list[Candidate]]:
    """The top `q.depth` judgments for `q`, fused with those for its top `statutes`.

    `statutes` is the statute ranking for the same query, best first; `q.filters`
    select the judgments. Without statutes this is `ranked_documents`. A
    judgment found only through a statute carries that search's matched
    passages (the statute's words marked), so the page shows why it is there.
    """
    depth = q.depth
    total, direct = ranked_documents(index, vectors, embedder, q)
    top = with_passages(index, q, statutes[:BRIDGE_STATUTES])
    followed = [(rank, matched_passage(s)) for rank, s in enumerate(top, 1)]
    found: dict[str, Candidate] = {}
    via: list[list[str]] = []
    weights: list[float] = []
    for rank, passage in followed:
        try:
            by_passage = replace(q, text=passage, as_description=True)
            _, ranked = ranked_documents(index, vectors, embedder, by_passage)
        except QueryError:  # a passage with no word to search for (blank, function words)
            continue
        via.append([c.doc_id for c in ranked])
        # A statute's judgments count as much as the statute's own rank says (its RRF term).
        weights.append(1.0 / (RRF_K + rank))
        for c in ranked:
            found.setdefault(c.doc_id, c)  # the best statute's match is the one shown
    if not via:
        return total, direct
    through_statutes = [doc_id for doc_id, _ in fuse(via, weights=weights)]
    fused = fuse([[c.doc_id for c in direct], through_statutes])
    by_direct = {c.doc_id: c for c in direct}
    out = [
        _shown(doc_id, score, by_direct.get(doc_id), found.get(doc_id))
        for doc_id, score in fused[:depth]
    ]
    return max(total, len(fused)), out


def precedent_rankings(
    index: SearchIndex, vectors: VectorIndex, embedder: Embedder, q: HybridQuery
) -> tuple[list[Candidate], list[Candidate]]:
    """The precedent finder's ranking: the top `q.depth` statutes for `q`, and the top
    `q.depth` judgments, directly and through those statutes (`mizan eval-retrieval
    --statutes` measures this same function). Each kind is added to `q.filters`."""
    base = dict(q.filters or {})
    statute_query = replace(q, filters={**base, "kind": "statute"})
    _, statutes = ranked_documents(index, vectors, embedder, statute_query)
    judgment_query = replace(q, filters={**base, "kind": "judgment"})
    _, judgments = bridged_ranking(index, vectors, embedder, judgment_query, statutes)
    return statutes, judgments


def _shown(
    doc_id: str, score: float, direct: Candidate | None, bridged: Candidate | None
) -> Candidate:
    """The description's own matches first; what the statute matched where it has none.

    A judgment close in meaning to the description but without its words shows the
    statute's words marked in it: that is why it is listed.
    """
    keyword = direct.keyword if direct is not None else None
    semantic = direct.semantic if direct is not None else None
    if bridged is not None:
        keyword = keyword if keyword is not None else bridged.keyword
        semantic = semantic if semantic is not None else bridged.semantic
    return Candidate(doc_id, score, keyword, semantic)
