"""Keyword, semantic and hybrid ranking, fused in our own code so every backend ranks alike.

The method (the same for the search page, the precedent finder and the
evaluation harness):

* **Keyword**: BM25 over passages; a document scores as its best passage
  (the text index does that). A query longer than the query language
  allows (a pasted description of facts) is read as plain words: English
  function words are dropped and the rest is searched in parts of at most
  `FACTS_PART_WORDS` words; a document's score is the sum over the parts of
  its best passage's BM25. BM25 is a sum over query words, so this is the
  BM25 of the whole description, taken per part.
* **Semantic**: the query is split into the same overlapping windows as
  documents, each window is embedded, and a document scores as the mean over
  the windows of its best passage's cosine similarity (vector index).
* **Hybrid** (the default): reciprocal-rank fusion of the two document
  rankings, k = 60 (Cormack et al., 2009: the constant from the paper, not
  tuned here). Rank fusion needs no score calibration between BM25 and
  cosine, which is why it ranks alike on Tantivy and on Elasticsearch.

No parameter here was tuned on evaluation queries.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from search.embeddings import Embedder
from search.normalize import terms
from search.passages import windows
from search.port import Hit, QueryError, SearchIndex, SearchResult
from search.tantivy_index import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from search.vector_port import DocumentMatch, VectorIndex

__all__ = [
    "DEFAULT_MODE",
    "MODES",
    "RRF_K",
    "ModeError",
    "fuse",
    "is_facts_query",
    "keyword_ranking",
    "search",
    "semantic_ranking",
]

MODES = ("keyword", "semantic", "hybrid")
DEFAULT_MODE = "hybrid"
#: Reciprocal-rank-fusion constant from Cormack, Clarke & Buettcher (SIGIR 2009).
RRF_K = 60
#: Each engine ranks at least this many documents before fusion.
MIN_DEPTH = 100
#: Words per keyword sub-query of a long description (below the query-language limit).
FACTS_PART_WORDS = 50
#: Characters of a passage shown as the snippet of a semantic match.
SNIPPET_CHARS = 400

#: English function words: they carry no topic, and a long description is full of them.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also said upon shall may might must""".split()  # noqa: SIM905
)


class ModeError(ValueError):
    """An unknown search mode; the message names the valid ones."""


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ModeError(f"Unknown search mode {mode!r}: use one of {', '.join(MODES)}.")
    return mode


@dataclass(frozen=True)
class Ranking:
    """Documents best first, with the hit each engine would show for them."""

    total: int
    hits: tuple[Hit, ...]


def is_facts_query(query: str) -> bool:
    """True for text too long for the query language: it is read as a description."""
    return len(query) > MAX_QUERY_CHARS or len(query.split()) > MAX_QUERY_WORDS


def facts_parts(text: str, part_words: int = FACTS_PART_WORDS) -> list[str]:
    """The content words of a description, in keyword sub-queries of `part_words` words."""
    words = [t for t in terms(text) if t not in STOP_WORDS and not (len(t) == 1 and t.isalpha())]
    return [" ".join(words[i : i + part_words]) for i in range(0, len(words), part_words)]


def keyword_ranking(
    index: SearchIndex,
    query: str,
    *,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    depth: int,
) -> Ranking:
    """Documents by BM25 (best passage); a long description is searched part by part."""
    if not is_facts_query(query):
        result = index.search(query, principals=principals, filters=filters, limit=depth)
        return Ranking(result.total, result.hits)
    parts = facts_parts(query)
    if not parts:
        raise QueryError("There are no words to search for: use letters or numbers.")
    scores: dict[str, float] = {}
    shown: dict[str, Hit] = {}
    for part in parts:
        result = index.search(part, principals=principals, filters=filters, limit=depth)
        for hit in result.hits:
            scores[hit.doc_id] = scores.get(hit.doc_id, 0.0) + hit.score
            if hit.doc_id not in shown or hit.score > shown[hit.doc_id].score:
                shown[hit.doc_id] = hit
    ranked = sorted(scores.items(), key=lambda t: (-t[1], t[0]))
    hits = tuple(_rescored(shown[doc_id], score) for doc_id, score in ranked)
    return Ranking(len(hits), hits)


def _rescored(hit: Hit, score: float) -> Hit:
    return Hit(
        doc_id=hit.doc_id,
        passage_id=hit.passage_id,
        score=score,
        title=hit.title,
        kind=hit.kind,
        case_id=hit.case_id,
        page=hit.page,
        snippets=hit.snippets,
    )


def passage_snippet(text: str, max_chars: int = SNIPPET_CHARS) -> str:
    """The matched passage as an HTML-safe snippet, cut between words."""
    flat = " ".join(text.split())
    if len(flat) > max_chars:
        cut = flat.rfind(" ", 0, max_chars)
        flat = flat[: cut if cut > 0 else max_chars] + " …"
    return html.escape(flat, quote=True)


def query_vectors(embedder: Embedder, query: str) -> np.ndarray:
    """One vector per query window (a short query is one window)."""
    parts = list(windows(query)) or [query]
    return np.stack([embedder.embed_query(p) for p in parts])


def semantic_matches(
    vectors: VectorIndex,
    embedder: Embedder,
    query: str,
    *,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    depth: int,
) -> tuple[int, tuple[DocumentMatch, ...]]:
    if not query.strip():
        return 0, ()
    result = vectors.search(
        query_vectors(embedder, query), principals=principals, filters=filters, limit=depth
    )
    return result.total, result.documents


def semantic_hit(match: DocumentMatch, score: float | None = None) -> Hit:
    best = match.passages[0].passage
    return Hit(
        doc_id=match.doc_id,
        passage_id=best.id,
        score=match.score if score is None else score,
        title=best.title,
        kind=best.kind,
        case_id=best.case_id,
        page=best.page,
        snippets=tuple(passage_snippet(pm.passage.text) for pm in match.passages[:1]),
    )


def semantic_ranking(
    vectors: VectorIndex,
    embedder: Embedder,
    query: str,
    *,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    depth: int,
) -> Ranking:
    total, matches = semantic_matches(
        vectors, embedder, query, principals=principals, filters=filters, depth=depth
    )
    return Ranking(total, tuple(semantic_hit(m) for m in matches))


def fuse(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: score(d) = sum over rankings of 1 / (k + rank of d), rank from 1.

    Ties are broken by document id so the order is deterministic.
    """
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda t: (-t[1], t[0]))


def search(
    index: SearchIndex,
    vectors: VectorIndex,
    embedder: Embedder,
    query: str,
    *,
    mode: str = DEFAULT_MODE,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """One page of documents for `query` in `mode`; permissions apply inside both engines.

    A blank query has no meaning to compare by, so every mode lists it by
    keyword (all visible documents, with the filters). Every visible
    document has some similarity to any query, so semantic ranking reads
    the nearest `max(offset + limit, MIN_DEPTH)` documents and counts those.
    """
    check_mode(mode)
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must be >= 0")
    query = query.strip()
    if mode == "keyword" or not query:
        if is_facts_query(query):
            ranking = keyword_ranking(
                index, query, principals=principals, filters=filters, depth=offset + limit
            )
            return SearchResult(ranking.total, ranking.hits[offset : offset + limit])
        return index.search(
            query, principals=principals, filters=filters, limit=limit, offset=offset
        )
    depth = max(offset + limit, MIN_DEPTH)
    if mode == "semantic":  # every visible document has a similarity: list the nearest
        semantic = semantic_ranking(
            vectors, embedder, query, principals=principals, filters=filters, depth=depth
        )
        return SearchResult(min(semantic.total, depth), semantic.hits[offset : offset + limit])
    total, candidates = hybrid_candidates(
        index, vectors, embedder, query, principals=principals, filters=filters, depth=depth
    )
    hits = tuple(c.hit() for c in candidates[offset : offset + limit])
    return SearchResult(total, hits)


@dataclass(frozen=True)
class Candidate:
    """A fused document with what each engine found in it (None: not in its ranking)."""

    doc_id: str
    score: float
    keyword: Hit | None
    semantic: DocumentMatch | None

    def hit(self) -> Hit:
        """Keyword snippets (with the matched words marked) when there are any."""
        if self.keyword is not None:
            return _rescored(self.keyword, self.score)
        assert self.semantic is not None
        return semantic_hit(self.semantic, self.score)


def hybrid_candidates(
    index: SearchIndex,
    vectors: VectorIndex,
    embedder: Embedder,
    query: str,
    *,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    depth: int,
) -> tuple[int, list[Candidate]]:
    """Both engines' top `depth` documents fused by RRF; and how many documents that makes.

    The count is the fused candidates plus keyword matches ranked below the
    depth either engine read.
    """
    _, matches = semantic_matches(
        vectors, embedder, query, principals=principals, filters=filters, depth=depth
    )
    keyword = keyword_ranking(index, query, principals=principals, filters=filters, depth=depth)
    fused = fuse([[h.doc_id for h in keyword.hits], [m.doc_id for m in matches]])
    by_keyword = {h.doc_id: h for h in keyword.hits}
    by_semantic = {m.doc_id: m for m in matches}
    candidates = [
        Candidate(doc_id, score, by_keyword.get(doc_id), by_semantic.get(doc_id))
        for doc_id, score in fused
    ]
    return len(fused) + max(0, keyword.total - len(keyword.hits)), candidates
