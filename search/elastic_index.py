"""Elasticsearch adapters for the search and vector ports (`MIZAN_SEARCH=http(s)://...`).

Why they look the way they do:

* **Same tokenisation, same query language, same snippets as Tantivy.** Text
  is folded by `search.normalize.terms` in Python and indexed as terms joined
  by spaces in fields analysed by a `whitespace` tokenizer only, so Elasticsearch
  never re-tokenises Urdu differently. Queries are parsed by
  `search.tantivy_index.parse_query` and the AST compiled to query DSL here
  (`compile_node`); snippets come from the same Python highlighter, so both
  backends render alike.
* **Permissions and filters are `filter` clauses** (`restrictions`): they
  never change scores, and invisible passages are never matched or counted.
* **Documents, not passages.** Results collapse on `doc_id` (best passage per
  document, with `inner_hits` for the next-best passages' snippets). The
  document total and the facets are counted exactly with one paged
  `composite` aggregation over `doc_id` (O(matching documents), about one
  request per 1,000 documents); `cardinality` would be approximate.
* **Visible when upsert returns**: writes use `refresh="wait_for"`. A
  document is replaced by overwriting its passages by id, then deleting its
  passages not in the batch; between the two steps a reader may see stale
  extra passages of it (Elasticsearch has no multi-document transaction).
* **Server trouble is `SearchUnavailableError`** with a message naming the URL.

Never run against a real server on the machine it was written on: the
contract tests (`tests/search`) run it when `MIZAN_ELASTICSEARCH_URL` is set.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from search.embeddings import DIM
from search.normalize import terms
from search.port import (
    FACET_FIELDS,
    FACET_VALUES,
    SECTION_SCORE,
    TITLE_BOOST,
    FacetValue,
    Hit,
    Passage,
    Ranked,
    SearchIndex,
    SearchResult,
    SearchUnavailableError,
    check_page,
    check_passages,
    passage_year,
    sort_day,
    split_filters,
)
from search.query_syntax import MatchAll, Node, Section, Words, parse_query, positive_leaves
from search.snippets import make_snippets
from search.statute_keys import is_act_key
from search.vector_port import (
    DocumentMatch,
    PassageMatch,
    VectorIndex,
    VectorResult,
    check_vectors,
    query_matrix,
    rank_documents,
)

__all__ = ["ElasticIndex", "ElasticVectorIndex", "compile_node", "restrictions", "search_body"]

Json = dict[str, Any]
T = TypeVar("T")

#: Fields analysed by whitespace only: they hold our own folded terms.
_TERMS_ANALYZER = "mizan_terms"
_SEARCH_FIELDS = (("body", 1.0), ("title_terms", TITLE_BOOST))
#: Terms a prefix inside a phrase may expand to (Elasticsearch's default is 50).
PHRASE_PREFIX_EXPANSIONS = 200
#: doc_id buckets per composite-aggregation page when counting documents.
COMPOSITE_PAGE = 1000
#: Document-level fields whose facet values are the same on every passage of a document.
_DOC_FACETS = ("kind", "doc_type", "court", "district", "language", "year")
_KEYWORDS = (
    "passage_id", "doc_id", "kind", "case_id", "doc_type", "language", "court", "district",
    "acl", "sections",
)  # fmt: skip
_SOURCE = [
    "passage_id", "doc_id", "kind", "title", "text", "acl", "case_id", "doc_type", "page",
    "language", "date", "court", "district", "sections", "year",
]  # fmt: skip

# ---------------------------------------------------------------------------
# Query DSL (pure functions: unit-tested without a server)
# ---------------------------------------------------------------------------


def _leaf(field: str, w: Words, boost: float) -> Json:
    if len(w.terms) == 1:
        if w.prefix:
            return {"prefix": {field: {"value": w.terms[0], "boost": boost}}}
        return {"term": {field: {"value": w.terms[0], "boost": boost}}}
    text = " ".join(w.terms)
    if w.prefix:
        return {
            "match_phrase_prefix": {
                field: {"query": text, "boost": boost, "max_expansions": PHRASE_PREFIX_EXPANSIONS}
            }
        }
    return {"match_phrase": {field: {"query": text, "boost": boost}}}


def compile_node(node: Node) -> Json:
    """Our query AST as Elasticsearch query DSL, with the Tantivy adapter's semantics."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Section):
        # Scored like one rare word, so a passage about 302 PPC ranks with one quoting it.
        return {
            "constant_score": {"filter": {"term": {"sections": node.key}}, "boost": SECTION_SCORE}
        }
    if isinstance(node, Words):
        return {"bool": {"should": [_leaf(f, node, b) for f, b in _SEARCH_FIELDS]}}
    out: Json = {}
    must = [compile_node(c) for c in node.must]
    if not node.must and not node.should:  # only exclusions: from everything
        must.append({"match_all": {}})
    if must:
        out["must"] = must
    if node.should:
        # With a must clause the should clauses only add score (as in Lucene/Tantivy).
        out["should"] = [compile_node(c) for c in node.should]
        if not must:
            out["minimum_should_match"] = 1
    if node.must_not:
        out["must_not"] = [compile_node(c) for c in node.must_not]
    return {"bool": out}


def restrictions(
    principals: Collection[str] | None, filters: Mapping[str, str] | None
) -> list[Json]:
    """Permission and filter clauses, for a `bool.filter` (no effect on scores)."""
    out: list[Json] = []
    if principals is not None:
        out.append({"terms": {"acl": sorted(set(principals))}})
    exact, years = split_filters(filters)
    for key, value in exact:
        out.append({"term": {"sections" if key == "section" else key: value}})
    if years is not None:
        lo, hi = years
        if lo is not None and hi is not None and lo > hi:
            out.append({"match_none": {}})
        else:
            bounds = {k: v for k, v in (("gte", lo), ("lte", hi)) if v is not None}
            out.append({"range": {"year": bounds}})
    return out


def search_body(
    node: Node,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    *,
    limit: int,
    offset: int,
    sort: str = "relevance",
    inner: int = 0,
) -> Json:
    """The request body for one page of documents (collapsed on doc_id)."""
    body: Json = {
        "query": {
            "bool": {"must": [compile_node(node)], "filter": restrictions(principals, filters)}
        },
        "from": offset,
        "size": limit,
        "track_total_hits": False,  # counts passages; documents are counted by doc_total
        "_source": _SOURCE,
        "collapse": {"field": "doc_id"},
    }
    if inner > 0:
        body["collapse"]["inner_hits"] = {"name": "more", "size": inner + 1, "_source": ["text"]}
    if sort == "date":
        body["sort"] = [{"sort_day": {"order": "desc"}}, {"doc_id": {"order": "asc"}}]
    return body


def _document_mapping(extra: Json) -> Json:
    props: Json = {name: {"type": "keyword"} for name in _KEYWORDS}
    props |= {
        "year": {"type": "integer"},
        "sort_day": {"type": "integer"},
        "page": {"type": "integer", "index": False},
        "date": {"type": "date", "format": "strict_date"},
        "title": {"type": "text", "index": False},
        "text": {"type": "text", "index": False},
    }
    return {
        "settings": {
            "analysis": {
                "analyzer": {_TERMS_ANALYZER: {"type": "custom", "tokenizer": "whitespace"}}
            }
        },
        "mappings": {"dynamic": "strict", "properties": props | extra},
    }


#: Short prefixes indexed as terms, as the embedded index does (see tantivy_index.PREFIX_CHARS):
#: a `prefix` query on the field then reads one posting list instead of expanding.
_PREFIXES = {"min_chars": 1, "max_chars": 5}
#: The passage index: search fields hold our folded terms, split on whitespace only.
TEXT_MAPPING = _document_mapping(
    {
        "body": {"type": "text", "analyzer": _TERMS_ANALYZER, "index_prefixes": _PREFIXES},
        "title_terms": {"type": "text", "analyzer": _TERMS_ANALYZER, "index_prefixes": _PREFIXES},
    }
)
#: The vector index: one normalised embedding per passage.
VECTOR_MAPPING = _document_mapping(
    {
        "vector": {
            "type": "dense_vector",
            "dims": DIM,
            "index": True,
            "similarity": "cosine",
            # Plain float HNSW on every server version (9.x would default to quantised BBQ
            # at 384 dims); the exact rescoring makes the final order independent of it.
            "index_options": {"type": "hnsw"},
        }
    }
)


def to_source(p: Passage) -> Json:
    """The stored form of a passage (shared by both indexes)."""
    return {
        "passage_id": p.id,
        "doc_id": p.doc_id,
        "kind": p.kind,
        "title": p.title,
        "text": p.text,
        "acl": list(p.acl),
        "case_id": p.case_id,
        "doc_type": p.doc_type,
        "page": p.page,
        "language": p.language,
        "date": p.date.isoformat() if p.date else None,
        "court": p.court,
        "district": p.district,
        "sections": list(p.sections),
        "year": passage_year(p),
        "sort_day": sort_day(p),
    }


def _passage(src: Mapping[str, Any]) -> Passage:
    return Passage(
        id=src["passage_id"],
        doc_id=src["doc_id"],
        kind=src["kind"],
        title=src["title"],
        text=src.get("text") or "",
        acl=tuple(src.get("acl") or ()),
        case_id=src.get("case_id"),
        doc_type=src.get("doc_type"),
        page=src.get("page"),
        language=src.get("language") or "en",
        date=datetime.date.fromisoformat(src["date"]) if src.get("date") else None,
        sections=tuple(src.get("sections") or ()),
        court=src.get("court"),
        district=src.get("district"),
        year=src.get("year"),
    )


# ---------------------------------------------------------------------------
# Shared plumbing
# ---------------------------------------------------------------------------


class _Elastic:
    """One Elasticsearch index: created with `mapping` on first use; errors made readable."""

    def __init__(self, url: str, name: str, mapping: Json, *, client: Any = None) -> None:
        from elasticsearch import Elasticsearch

        self.url = url
        self.name = name
        self._mapping = mapping
        self._es = client or Elasticsearch(url, request_timeout=30, max_retries=1)
        self._ready = False

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run a request; a server that is down or refuses becomes SearchUnavailableError."""
        from elasticsearch import ApiError, TransportError

        try:
            return fn()
        except TransportError as exc:  # connection refused, timeout, TLS
            raise SearchUnavailableError(
                f"The search server at {self.url} cannot be reached ({what}): {exc}. "
                "Check that Elasticsearch is running and MIZAN_SEARCH is right."
            ) from exc
        except ApiError as exc:
            raise SearchUnavailableError(
                f"The search server at {self.url} refused {what} on index {self.name}: "
                f"{exc.message} ({exc.meta.status})"
            ) from exc

    def ensure(self) -> Any:
        """The client, after creating the index with its mapping if it does not exist."""
        if not self._ready:
            from elasticsearch import BadRequestError

            def create() -> None:
                if self._es.indices.exists(index=self.name):
                    return
                try:
                    self._es.indices.create(index=self.name, **self._mapping)
                except BadRequestError as exc:  # another process created it meanwhile
                    if exc.error != "resource_already_exists_exception":
                        raise

            self.call("creating the index", create)
            self._ready = True
        return self._es

    def replace(self, passages: Sequence[Passage], sources: list[Json]) -> None:
        """Write passages by id, then drop their documents' other passages; visible on return."""
        es = self.ensure()
        ops: list[Json] = []
        for p, src in zip(passages, sources, strict=True):
            ops += [{"index": {"_index": self.name, "_id": p.id}}, src]
        res = self.call("saving passages", lambda: es.bulk(operations=ops, refresh="wait_for"))
        if res.get("errors"):
            first = next(
                item[op]["error"] for item in res["items"] for op in item if "error" in item[op]
            )
            raise SearchUnavailableError(
                f"The search server at {self.url} refused passages: {first.get('reason', first)}"
            )
        doc_ids = sorted({p.doc_id for p in passages})
        stale = {
            "bool": {
                "filter": [{"terms": {"doc_id": doc_ids}}],
                "must_not": [{"ids": {"values": [p.id for p in passages]}}],
            }
        }
        self.delete_where(stale)

    def delete_where(self, query: Json) -> None:
        es = self.ensure()
        self.call(
            "deleting passages",
            lambda: es.delete_by_query(
                index=self.name, query=query, refresh=True, conflicts="proceed"
            ),
        )

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        ids = sorted(set(doc_ids))
        if ids:
            self.delete_where({"terms": {"doc_id": ids}})

    def count(self) -> int:
        es = self.ensure()
        return int(self.call("counting", lambda: es.count(index=self.name))["count"])

    def ping(self, label: str) -> tuple[bool, str]:
        try:
            es = self.ensure()
            version = self.call("a health check", lambda: es.info())["version"]["number"]
            n = self.count()
        except SearchUnavailableError as exc:
            return False, str(exc)
        return True, f"elasticsearch {version} at {self.url}: {n} passages in {label} {self.name}"

    def documents(self, query: Json, sub: Json | None = None) -> Iterator[Json]:
        """Every distinct doc_id matching `query` as a composite bucket (exact, paged)."""
        es = self.ensure()
        after: Json | None = None
        while True:
            composite: Json = {
                "size": COMPOSITE_PAGE,
                "sources": [{"d": {"terms": {"field": "doc_id"}}}],
            }
            if after is not None:
                composite["after"] = after
            agg: Json = {"composite": composite} | ({"aggs": sub} if sub else {})
            res = self.call(
                "counting documents",
                lambda a=agg: es.search(index=self.name, query=query, size=0, aggs={"docs": a}),
            )
            page = res["aggregations"]["docs"]
            yield from page["buckets"]
            after = page.get("after_key")
            if not after or len(page["buckets"]) < COMPOSITE_PAGE:
                return


def _facet_sub() -> Json:
    """Per-document values of every facet field (a document has few of each)."""
    sub = {name: {"terms": {"field": name, "size": 10}} for name in _DOC_FACETS}
    sub["section"] = {"terms": {"field": "sections", "size": 200}}
    return sub


def _count_facets(buckets: Iterable[Json]) -> tuple[int, dict[str, tuple[FacetValue, ...]]]:
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


# ---------------------------------------------------------------------------
# The adapters
# ---------------------------------------------------------------------------


class _OnOneIndex:
    """Removal and counting, the same for passages and vectors."""

    _ix: _Elastic

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        self._ix.delete_documents(doc_ids)

    def clear(self) -> None:
        self._ix.delete_where({"match_all": {}})

    def count(self) -> int:
        return self._ix.count()


class ElasticIndex(_OnOneIndex, SearchIndex):
    """Passages in the Elasticsearch index `<prefix>-passages`."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "mizan",
        client: Any = None,
        snippets_per_doc: int = 3,
        snippet_chars: int = 200,
        passages_per_doc: int = 3,
    ) -> None:
        self._ix = _Elastic(url, f"{prefix}-passages", TEXT_MAPPING, client=client)
        self.snippets_per_doc = snippets_per_doc
        self.snippet_chars = snippet_chars
        self.passages_per_doc = passages_per_doc

    def upsert(self, passages: Sequence[Passage]) -> None:
        if not passages:
            return
        check_passages(passages)
        sources = []
        for p in passages:
            src = to_source(p)
            src["body"] = " ".join(terms(p.text))
            src["title_terms"] = " ".join(terms(p.title))
            sources.append(src)
        self._ix.replace(passages, sources)

    def ping(self) -> tuple[bool, str]:
        return self._ix.ping("index")

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
        check_page(limit, offset, sort)
        node = parse_query(query)
        body = search_body(
            node, principals, filters, limit=limit, offset=offset, sort=sort,
            inner=self.passages_per_doc - 1,
        )  # fmt: skip
        if principals is not None and not principals:
            empty = {name: () for name in FACET_FIELDS} if facets else {}
            return SearchResult(total=0, hits=(), facets=empty)
        es = self._ix.ensure()
        res = self._ix.call("a search", lambda: es.search(index=self._ix.name, **body))
        leaves = list(positive_leaves(node))
        hits = tuple(
            self._hit(h, 0.0 if sort == "date" else h["_score"], leaves)
            for h in res["hits"]["hits"]
        )
        buckets = self._ix.documents(body["query"], _facet_sub() if facets else None)
        if facets:
            total, counted = _count_facets(buckets)
        else:
            total, counted = sum(1 for _ in buckets), {}
        return SearchResult(total=total, hits=hits, facets=counted)

    def rank(
        self,
        query: str,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None,
        depth: int,
    ) -> tuple[int, list[Ranked]]:
        node = parse_query(query)
        body = search_body(node, principals, filters, limit=depth, offset=0)
        if principals is not None and not principals:
            return 0, []
        es = self._ix.ensure()
        res = self._ix.call("a search", lambda: es.search(index=self._ix.name, **body))
        total = sum(1 for _ in self._ix.documents(body["query"]))
        ranked = []
        for h in res["hits"]["hits"]:
            src = h["_source"]
            ranked.append(
                Ranked(
                    doc_id=src["doc_id"],
                    score=float(h["_score"]),
                    passage_id=src["passage_id"],
                    title=src["title"],
                    kind=src["kind"],
                    case_id=src.get("case_id"),
                    page=src.get("page"),
                    text=src.get("text") or "",
                    query=query,
                )
            )
        return total, ranked

    def _hit(self, h: Json, score: float | None, leaves: Sequence[Words | Section]) -> Hit:
        src = h["_source"]
        texts = [src.get("text") or ""]
        more = h.get("inner_hits", {}).get("more", {}).get("hits", {}).get("hits", [])
        texts += [m["_source"].get("text") or "" for m in more if m["_id"] != h["_id"]][
            : self.passages_per_doc - 1
        ]
        return Hit(
            doc_id=src["doc_id"],
            passage_id=src["passage_id"],
            score=float(score or 0.0),
            title=src["title"],
            kind=src["kind"],
            case_id=src.get("case_id"),
            page=src.get("page"),
            snippets=make_snippets(texts, leaves, self.snippets_per_doc, self.snippet_chars),
        )


class ElasticVectorIndex(_OnOneIndex, VectorIndex):
    """Passage vectors in `<prefix>-vectors`: kNN finds candidates, exact cosine ranks them.

    Each query part runs an approximate kNN search (HNSW, `dense_vector`,
    cosine) under the permission/filter clauses, with `k` candidate passages
    and `num_candidates` per shard (more is better recall, slower). The
    candidate documents' passages are then scored exactly (`script_score`
    with cosineSimilarity) against every part, and ranked with the same
    function as the embedded index. A document the kNN step missed for every
    part is not ranked; `total` counts every visible matching document.
    """

    def __init__(
        self, url: str, *, prefix: str = "mizan", client: Any = None, num_candidates: int = 500
    ) -> None:
        self._ix = _Elastic(url, f"{prefix}-vectors", VECTOR_MAPPING, client=client)
        self.num_candidates = num_candidates

    def upsert(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        if not passages:
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        check_vectors(passages, vectors)
        sources = [
            to_source(p) | {"vector": v.tolist()} for p, v in zip(passages, vectors, strict=True)
        ]
        self._ix.replace(passages, sources)

    def prepare(self) -> None:
        """Nothing to load: the server holds the vectors and their graph."""

    def ping(self) -> tuple[bool, str]:
        return self._ix.ping("vector index")

    def doc_ids(self) -> set[str]:
        return {b["key"]["d"] for b in self._ix.documents({"match_all": {}})}

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(doc_ids))
        if not wanted:
            return {}
        parts: dict[str, list[tuple[str, str]]] = {}
        for src in self._scan({"terms": {"doc_id": wanted}}, ["doc_id", "passage_id", "text"]):
            parts.setdefault(src["doc_id"], []).append((src["passage_id"], src["text"]))
        return {
            d: "\n\n".join(t for _, t in sorted(ps, key=lambda x: _passage_order(x[0])))
            for d, ps in parts.items()
        }

    def _scan(self, query: Json, fields: list[str]) -> Iterator[Json]:
        from elasticsearch import helpers

        es = self._ix.ensure()
        hits = self._ix.call(
            "reading passages",
            lambda: list(
                helpers.scan(es, index=self._ix.name, query={"query": query}, _source=fields)
            ),
        )
        for h in hits:
            yield h["_source"]

    def search(
        self,
        vectors: np.ndarray,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        offset: int = 0,
        passages_per_doc: int = 3,
    ) -> VectorResult:
        q = query_matrix(vectors, limit, offset)
        where = restrictions(principals, filters)
        if principals is not None and not principals:
            return VectorResult(total=0, documents=())
        es = self._ix.ensure()
        k = min(max((offset + limit) * passages_per_doc * 2, 50), 10_000)
        candidates: set[str] = set()
        for part in q:
            body = knn_body(part, where, k=k, num_candidates=max(self.num_candidates, k))
            res = self._ix.call(
                "a similarity search", lambda b=body: es.search(index=self._ix.name, **b)
            )
            candidates |= {h["_source"]["doc_id"] for h in res["hits"]["hits"]}
        total = sum(1 for _ in self._ix.documents({"bool": {"filter": where}}))
        if not candidates:
            return VectorResult(total=total, documents=())
        scored: dict[str, tuple[Json, list[float]]] = {}
        for j, part in enumerate(q):
            body = exact_body(part, where, sorted(candidates))
            res = self._ix.call(
                "a similarity search", lambda b=body: es.search(index=self._ix.name, **b)
            )
            for h in res["hits"]["hits"]:
                _src, sims = scored.setdefault(h["_id"], (h["_source"], [0.0] * len(q)))
                sims[j] = float(h["_score"]) - 1.0  # the script adds 1 (scores must be >= 0)
        pids = list(scored)
        sims = np.array([scored[p][1] for p in pids], dtype=np.float32).reshape(len(pids), len(q))
        ranked, groups = rank_documents([scored[p][0]["doc_id"] for p in pids], sims)
        best = sims.max(axis=1)
        documents = []
        for doc_id, score in ranked[offset : offset + limit]:
            members = sorted(groups[doc_id], key=lambda i: -best[i])[:passages_per_doc]
            documents.append(
                DocumentMatch(
                    doc_id,
                    score,
                    tuple(
                        PassageMatch(_passage(scored[pids[i]][0]), float(best[i])) for i in members
                    ),
                )
            )
        return VectorResult(total=total, documents=tuple(documents))


def knn_body(vector: np.ndarray, where: list[Json], *, k: int, num_candidates: int) -> Json:
    """Approximate nearest passages under the permission/filter clauses (pre-filtered kNN)."""
    return {
        "knn": {
            "field": "vector",
            "query_vector": [float(x) for x in vector],
            "k": k,
            "num_candidates": num_candidates,
            "filter": where,
        },
        "size": k,
        "_source": ["doc_id"],
    }


def exact_body(vector: np.ndarray, where: list[Json], doc_ids: list[str]) -> Json:
    """Exact cosine of every visible passage of the candidate documents."""
    return {
        "query": {
            "script_score": {
                "query": {"bool": {"filter": [*where, {"terms": {"doc_id": doc_ids}}]}},
                "script": {
                    "source": "cosineSimilarity(params.q, 'vector') + 1.0",
                    "params": {"q": [float(x) for x in vector]},
                },
            }
        },
        "size": 10_000,
        "_source": _SOURCE,
    }


def _passage_order(pid: str) -> tuple[int, str]:
    """Passages of a document in their order: ids end in ':<n>' (see search.passages)."""
    tail = pid.rsplit(":", 1)[-1]
    return (int(tail), pid) if tail.isdigit() else (0, pid)
