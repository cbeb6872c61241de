"""Keyword, semantic and hybrid ranking, fused in our own code so every backend ranks alike.

The method (the same for the search page, the precedent finder and the
evaluation harness):

* **Keyword**: BM25 over passages; a document scores as its best passage
  (the text index does that). A query longer than the query language
  allows (a pasted description of facts) is read as plain words: English
  function words are dropped and the rest is searched in parts of at most
  `FACTS_PART_WORDS` words, and fused with whole documents ranked by all of
  its words (`facts_ranking`, `search.whole_documents`).
* **Semantic**: the query is split into the same overlapping windows as
  documents, each window is embedded, and the vector index scores each
  document by its passages' cosine similarity to the windows.
* **A long description scores by its best-matching part**, in both modes:
  a document's score is the maximum over the parts of its best passage's
  score, not the sum or the mean. A statement of facts raises several
  points (a bribery trap *and* disparaging remarks by the appellate judge),
  and the statute or precedent that decides one of them is relevant however
  little it says about the rest; a sum or mean favours documents that echo
  the whole narrative's vocabulary. Measured on AILA 2019 (the ten training
  queries), max over parts beat sum/mean on both tasks and in both modes
  (keyword statutes 0.115 -> 0.150, precedents 0.004 -> 0.007; semantic
  statutes 0.099 -> 0.140). That choice between two aggregations was made
  by looking at those queries, for the reason above and because both tasks
  agreed; no number was fitted to them (docs/guide/search.md).
* **Hybrid** (the default): reciprocal-rank fusion of the two document
  rankings, k = 60 (Cormack et al., 2009: the constant from the paper, not
  tuned here). Rank fusion needs no score calibration between BM25 and
  cosine, which is why it ranks alike on Tantivy and on Elasticsearch.

What counts as a result (the search page's count, pages and facets): every
visible document has *some* cosine similarity to any query, so "the
documents that match" are the documents that contain the query's words,
plus those among the `SEMANTIC_DEPTH` nearest whose similarity reaches
`SIMILARITY_FLOOR`. Semantic mode shows only the latter. Documents below the
floor still inform the fused order of keyword matches; they are not listed.

No numeric parameter here was tuned on evaluation queries.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, replace

import numpy as np

from legaltext.search_terms import terms
from mizan.i18n import gettext as _
from search.embeddings import Embedder
from search.passages import windows
from search.port import (
    FACET_FIELDS,
    FACET_VALUES,
    FacetValue,
    Hit,
    QueryError,
    SearchIndex,
    SearchResult,
    check_page,
)
from search.query_syntax import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from search.ranking import Ranked, to_hit
from search.vector_port import DocumentMatch, VectorIndex
from search.whole_documents import description_terms

__all__ = [
    "DEFAULT_MODE",
    "MODES",
    "RRF_K",
    "SEMANTIC_DEPTH",
    "SIMILARITY_FLOOR",
    "HybridQuery",
    "ModeError",
    "fuse",
    "is_facts_query",
    "keyword_ranking",
    "matching_documents",
    "merge_facets",
    "ranked_documents",
    "search",
    "with_passages",
]

MODES = ("keyword", "semantic", "hybrid")
DEFAULT_MODE = "hybrid"
#: Reciprocal-rank-fusion constant from Cormack, Clarke & Buettcher (SIGIR 2009).
RRF_K = 60
#: Each engine ranks at least this many documents before fusion.
MIN_DEPTH = 100
#: The keyword engine's top documents fused with the semantic ones (deeper keyword matches
#: follow in keyword order). Fixed, like SEMANTIC_DEPTH, so pages never overlap.
FUSION_DEPTH = MIN_DEPTH
#: The semantic engine's nearest documents that may count as matches. Fixed, so the
#: count of a search does not change as the user pages through it.
SEMANTIC_DEPTH = MIN_DEPTH
#: Cosine similarity a document (its best passage, against any query window) must reach
#: to count as close in meaning. Chosen a priori, not on evaluation queries, from
#: bench/bench_similarity_floor.py: off-topic queries reach at most ~0.15 on legal text;
#: unrelated pairs in the same legal register (a PPC heading, a random High Court passage)
#: have median ~0.27; a short query and the passage it describes were 0.36-0.54. The
#: floor sits above the typical unrelated pair; `SEMANTIC_DEPTH` bounds the rest.
SIMILARITY_FLOOR = 0.3
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


@dataclass(frozen=True)
class HybridQuery:
    """One search as every function here reads it: what, how, for whom, and how much.

    One object instead of the same parameters threaded through each step, so a
    step cannot drop one (a filter, the principals) on its way down.
    `principals` has no default: None means every document (system use only),
    so a caller must say so. A ranking reads the top `depth` (= `offset` +
    `limit`) documents; `top(n)` is the same search for the first n.
    """

    text: str
    _: KW_ONLY
    principals: Collection[str] | None
    mode: str = DEFAULT_MODE
    filters: Mapping[str, str] | None = None
    limit: int = 20
    offset: int = 0
    #: Count facets (`search` only).
    facets: bool = False
    #: The keyword engine reads `text` as plain words whatever its length (a passage of
    #: a statute is text to match, not query syntax); see `keyword_ranking`.
    as_description: bool = False

    @property
    def depth(self) -> int:
        """Documents ranked to show this page: the first `offset + limit`."""
        return self.offset + self.limit

    def top(self, depth: int) -> HybridQuery:
        """The same search for its first `depth` documents."""
        return replace(self, offset=0, limit=depth)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ModeError(
            _("Unknown search mode %(mode)s: use keyword, semantic or hybrid.", mode=repr(mode))
        )
    return mode


def is_facts_query(query: str) -> bool:
    """True for text too long for the query language: it is read as a description."""
    return len(query) > MAX_QUERY_CHARS or len(query.split()) > MAX_QUERY_WORDS


def facts_words(text: str) -> list[str]:
    """The content words of a description, in order: function words and single letters out."""
    return [t for t in terms(text) if t not in STOP_WORDS and not (len(t) == 1 and t.isalpha())]


def facts_parts(text: str, part_words: int = FACTS_PART_WORDS) -> list[str]:
    """The content words of a description, in keyword sub-queries of `part_words` words."""
    return _parts(facts_words(text), part_words)


def _parts(words: Sequence[str], part_words: int = FACTS_PART_WORDS) -> list[str]:
    return [" ".join(words[i : i + part_words]) for i in range(0, len(words), part_words)]


def keyword_ranking(index: SearchIndex, q: HybridQuery) -> tuple[int, list[Ranked]]:
    """The top `q.depth` documents by BM25 (best passage); a long description (or
    `q.as_description`) is ranked by `facts_ranking`."""
    if not (q.as_description or is_facts_query(q.text)):
        return index.rank(q.text, principals=q.principals, filters=q.filters, depth=q.depth)
    ranked = facts_ranking(index, q)
    return len(ranked), ranked[: q.depth]


def facts_ranking(index: SearchIndex, q: HybridQuery) -> list[Ranked]:
    """A description's documents, two views fused by reciprocal rank (k = `RRF_K`):

    * whole documents by BM25 of all its content words, each weighted by how often
      the description uses it (the judgment that tells the same story as a whole);
    * the passages that best match one of its parts (`parts_ranking`: the one
      legal point a passage decides), read to `FUSION_DEPTH` documents.

    Measured (docs/guide/search.md): on the citation set of Pakistani judgments
    the fusion beat the passages alone, on AILA's statutes (one passage each) it
    lost to them but stayed above plain BM25; no number was fitted.
    """
    words = facts_words(q.text)
    if not words:
        raise QueryError("There are no words to search for: use letters or numbers.")
    by_parts = parts_ranking(index, q.top(min(q.depth, FUSION_DEPTH)), words)
    whole = index.rank_whole(
        description_terms(words), principals=q.principals, filters=q.filters, depth=q.depth
    )
    found = {r.doc_id: r for r in whole} | {r.doc_id: r for r in by_parts}  # passages: snippets
    fused = fuse([[r.doc_id for r in by_parts], [r.doc_id for r in whole]])
    return [replace(found[doc_id], score=score) for doc_id, score in fused]


def parts_ranking(index: SearchIndex, q: HybridQuery, words: Sequence[str]) -> list[Ranked]:
    """Every document in some part's top `q.depth`, by its best part's best passage (BM25)."""
    best: dict[str, Ranked] = {}
    for part in _parts(words):
        _, ranked = index.rank(part, principals=q.principals, filters=q.filters, depth=q.depth)
        for r in ranked:
            if r.doc_id not in best or r.score > best[r.doc_id].score:
                best[r.doc_id] = r  # its score, and the part highlighted
    return sorted(best.values(), key=lambda r: (-r.score, r.doc_id))


def passage_snippet(text: str, max_chars: int = SNIPPET_CHARS) -> str:
    """The matched passage as an HTML-safe snippet, cut between words."""
    flat = " ".join(text.split())
    if len(flat) > max_chars:
        cut = flat.rfind(" ", 0, max_chars)
        flat = flat[: cut if cut > 0 else max_chars] + " …"
    return html.escape(flat, quote=True)


def query_vectors(embedder: Embedder, query: str) -> np.ndarray:
    """One vector per query window (a short query is one window), in one model call.

    A window that is an indexed passage (a statute's matched passage, searched for
    judgments by `search.statute_bridge`) comes from the embedding cache; query
    text is not added to it.
    """
    parts = list(windows(query)) or [query]
    return embedder.embed(parts, remember=False)


def semantic_matches(
    vectors: VectorIndex, embedder: Embedder, q: HybridQuery
) -> tuple[int, tuple[DocumentMatch, ...]]:
    """The `q.depth` documents nearest in meaning, and how many are visible."""
    if not q.text.strip():
        return 0, ()
    result = vectors.search(
        query_vectors(embedder, q.text), principals=q.principals, filters=q.filters,
        limit=q.depth,
    )  # fmt: skip
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


def fuse(
    rankings: Sequence[Sequence[str]],
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: score(d) = sum over rankings of 1 / (k + rank of d), rank from 1.

    `weights` (one per ranking, default 1) multiply each ranking's terms. Ties are
    broken by document id so the order is deterministic.
    """
    scores: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[i]
        for rank_, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank_)
    return sorted(scores.items(), key=lambda t: (-t[1], t[0]))


@dataclass(frozen=True)
class Candidate:
    """A ranked document with what each engine found in it (None: not in its ranking)."""

    doc_id: str
    score: float
    keyword: Ranked | None
    semantic: DocumentMatch | None

    def hit(self) -> Hit:
        """Keyword snippets (matched words marked) when there are any, else the nearest passage.

        Made on demand: only for the documents a page shows.
        """
        if self.keyword is not None and (self.keyword.passage_id or self.semantic is None):
            return to_hit(self.keyword, self.score)
        assert self.semantic is not None
        return semantic_hit(self.semantic, self.score)


def with_passages(
    index: SearchIndex, q: HybridQuery, candidates: Sequence[Candidate]
) -> list[Candidate]:
    """The candidates, each ranked whole only (`search.whole_documents`) given its passage
    that best matches a part of the description, for its snippets. Only for those shown:
    one small search per part and document."""
    out = []
    for c in candidates:
        if c.keyword is not None and not c.keyword.passage_id:
            only = {"doc_id": c.doc_id}  # chosen under q's filters already
            found = [
                r
                for part in facts_parts(q.text)
                for r in index.rank(part, principals=q.principals, filters=only, depth=1)[1]
            ]
            if found:
                best = max(found, key=lambda r: r.score)
                c = replace(c, keyword=replace(best, score=c.keyword.score))
        out.append(c)
    return out


def ranked_documents(
    index: SearchIndex, vectors: VectorIndex, embedder: Embedder, q: HybridQuery
) -> tuple[int, list[Candidate]]:
    """The top `depth` (`q.depth`) documents for `q` in its mode, and how many were found.

    `q.as_description`: the keyword engine reads the text as plain words (see
    `keyword_ranking`), not as query syntax.

    A long description is searched in parts, so keyword ranks at most `depth`
    of their union; hybrid fuses both engines' top `depth` and keeps `depth`.

    Semantic: every visible document has a similarity, so the count is the
    nearest `depth`. Hybrid: the fused candidates plus keyword matches ranked
    below the depth either engine read.
    """
    check_mode(q.mode)
    q = replace(q, text=q.text.strip())
    depth = q.depth
    if q.mode == "keyword" or not q.text:
        total, ranked = keyword_ranking(index, q)
        return total, [Candidate(r.doc_id, r.score, r, None) for r in ranked]
    sem_total, matches = semantic_matches(vectors, embedder, q)
    if q.mode == "semantic":
        return min(sem_total, depth), [Candidate(m.doc_id, m.score, None, m) for m in matches]
    kw_total, ranked = keyword_ranking(index, q)
    fused = fuse([[r.doc_id for r in ranked], [m.doc_id for m in matches]])
    by_keyword = {r.doc_id: r for r in ranked}
    by_semantic = {m.doc_id: m for m in matches}
    candidates = [
        Candidate(doc_id, score, by_keyword.get(doc_id), by_semantic.get(doc_id))
        for doc_id, score in fused[:depth]
    ]
    return len(fused) + max(0, kw_total - len(ranked)), candidates


def keyword_matches(index: SearchIndex, q: HybridQuery, doc_id: str) -> bool:
    """True if document `doc_id` is among the keyword engine's matches for `q`."""
    only = {**(q.filters or {}), "doc_id": doc_id}
    return index.search(q.text, principals=q.principals, filters=only, limit=0).total > 0


def document_facets(
    index: SearchIndex, q: HybridQuery, doc_ids: Sequence[str]
) -> dict[str, tuple[FacetValue, ...]]:
    """The facet counts of these documents among `q`'s visible and filtered ones, as the
    text engine counts them (one each)."""
    counted: dict[str, tuple[FacetValue, ...]] = {name: () for name in FACET_FIELDS}
    for doc_id in doc_ids:
        only = {**(q.filters or {}), "doc_id": doc_id}
        one = index.search("", principals=q.principals, filters=only, limit=0, facets=True)
        counted = merge_facets(counted, one.facets)
    return counted


def merge_facets(
    a: Mapping[str, Sequence[FacetValue]], b: Mapping[str, Sequence[FacetValue]]
) -> dict[str, tuple[FacetValue, ...]]:
    """Facet counts of two disjoint sets of documents, in the engines' order (year: newest)."""
    out: dict[str, tuple[FacetValue, ...]] = {}
    for name in FACET_FIELDS:
        counts: dict[str, int] = {}
        for fv in (*a.get(name, ()), *b.get(name, ())):
            counts[fv.value] = counts.get(fv.value, 0) + fv.count
        if name == "year":
            order = sorted(counts.items(), key=lambda t: -int(t[0]) if t[0].isdigit() else 0)
        else:
            order = sorted(counts.items(), key=lambda t: (-t[1], t[0]))
        out[name] = tuple(FacetValue(v, n) for v, n in order[:FACET_VALUES])
    return out


@dataclass(frozen=True)
class Matches:
    """The documents a meaning-based search counts, best first, and how they were found."""

    total: int
    candidates: list[Candidate]  # at least the first `depth` of them
    #: Close in meaning but without the query's words: the text engine's facets miss them.
    semantic_only: tuple[str, ...]


def matching_documents(
    index: SearchIndex, vectors: VectorIndex, embedder: Embedder, q: HybridQuery
) -> Matches:
    """Semantic or hybrid matches (see the module's rule), best first, at least `q.depth`.

    Hybrid: the fused order of the keyword top `FUSION_DEPTH` and the semantic
    top `SEMANTIC_DEPTH`, keeping keyword matches and semantic matches above the
    floor; then the keyword matches ranked below, in keyword order, as far as
    `depth` needs. Both parts are fixed whatever page is asked for, so pages
    never overlap and the count never changes. A semantic match outside the
    keyword top is asked of the text engine (is it a deeper keyword match?), so
    no document is counted twice. A pasted description is searched in parts
    down to `FUSION_DEPTH` each; their union is its keyword matches.
    """
    depth, query = q.depth, q.text
    _, matches = semantic_matches(vectors, embedder, q.top(SEMANTIC_DEPTH))
    close = [m for m in matches if m.score >= SIMILARITY_FLOOR]
    if q.mode == "semantic":
        candidates = [Candidate(m.doc_id, m.score, None, m) for m in close]
        return Matches(len(close), candidates, tuple(m.doc_id for m in close))
    facts = is_facts_query(query)
    if facts:  # every keyword match is known: no need to ask
        head = facts_ranking(index, q.top(FUSION_DEPTH))
        kw_total = len(head)
    else:
        kw_total, head = index.rank(
            query, principals=q.principals, filters=q.filters, depth=FUSION_DEPTH
        )
    by_keyword = {r.doc_id: r for r in head}
    by_semantic = {m.doc_id: m for m in matches}
    deeper = kw_total > len(head)  # keyword matches exist beyond those read
    in_keyword = set(by_keyword)
    semantic_only = []
    for m in close:
        if m.doc_id in in_keyword:
            continue
        if deeper and keyword_matches(index, q, m.doc_id):
            in_keyword.add(m.doc_id)
        else:
            semantic_only.append(m.doc_id)
    listed = in_keyword | set(semantic_only)
    fused = fuse([[r.doc_id for r in head], [m.doc_id for m in matches]])
    candidates = [
        Candidate(doc_id, score, by_keyword.get(doc_id), by_semantic.get(doc_id))
        for doc_id, score in fused
        if doc_id in listed
    ]
    if deeper and depth > len(candidates):  # the keyword matches below the fused part
        probed = len(in_keyword) - len(head)
        _, ranked = index.rank(
            query, principals=q.principals, filters=q.filters, depth=depth + probed
        )
        shown = {c.doc_id for c in candidates}
        candidates += [
            Candidate(r.doc_id, 1.0 / (RRF_K + n), r, None)
            for n, r in enumerate(ranked, start=1)
            if r.doc_id not in shown
        ]
    return Matches(kw_total + len(semantic_only), candidates, tuple(semantic_only))


def search(
    index: SearchIndex, vectors: VectorIndex, embedder: Embedder, q: HybridQuery
) -> SearchResult:
    """One page of documents for `q` in its mode; permissions apply inside both engines.

    A blank query has no meaning to compare by, so every mode lists it by
    keyword (all visible documents, with the filters). `total` and the facets
    count the same documents the pages list (see the module's rule); a
    pasted description gets no keyword facets, so hybrid mode gives it none.
    """
    check_mode(q.mode)
    check_page(q.limit, q.offset)
    q = replace(q, text=q.text.strip())
    query, mode, principals, filters = q.text, q.mode, q.principals, q.filters
    limit, offset, facets = q.limit, q.offset, q.facets
    facts = is_facts_query(query)
    if (mode == "keyword" or not query) and not facts:
        return index.search(  # the keyword engine pages, counts and highlights by itself
            query, principals=principals, filters=filters, limit=limit, offset=offset,
            facets=facets,
        )  # fmt: skip
    if mode == "keyword":  # a pasted description, read as words
        total, candidates = ranked_documents(index, vectors, embedder, q)
        shown = with_passages(index, q, candidates[offset : offset + limit])
        return SearchResult(total, tuple(c.hit() for c in shown))
    found = matching_documents(index, vectors, embedder, q)
    shown = with_passages(index, q, found.candidates[offset : offset + limit])
    page = tuple(c.hit() for c in shown)
    counted: dict[str, tuple[FacetValue, ...]] = {}
    total, exact = found.total, True
    if facets and (mode == "semantic" or not facts):
        keyword_facets: Mapping[str, tuple[FacetValue, ...]] = {}
        if mode == "hybrid":
            keyword = index.search(
                query, principals=principals, filters=filters, limit=0, facets=True
            )
            keyword_facets = keyword.facets
            # Facets count every keyword match up to `exact_facets_max` matching passages,
            # so this total is exact where the ranking's may be an estimate; above it both
            # are estimates ("about").
            total, exact = keyword.total + len(found.semantic_only), keyword.total_exact
        counted = merge_facets(keyword_facets, document_facets(index, q, found.semantic_only))
    return SearchResult(total, page, counted, total_exact=exact)
