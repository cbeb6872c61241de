"""Elasticsearch adapters for the search and vector ports (`MIZAN_SEARCH=http(s)://...`).

Why they look the way they do:

* **Same tokenisation, same query language, same snippets as Tantivy.** Text
  is folded by `legaltext.search_terms.terms` in Python and indexed as terms joined
  by spaces (`search.elastic_schema`), so Elasticsearch never re-tokenises
  Urdu differently. Queries are parsed by `search.query_syntax.parse_query`
  and the AST compiled to query DSL in `search.elastic_query`; snippets come
  from the same Python highlighter, so both backends render alike.
* **Permissions and filters are `filter` clauses**: they never change
  scores, and invisible passages are never matched or counted.
* **Documents, not passages.** Results collapse on `doc_id` (best passage per
  document, with `inner_hits` for the next-best passages' snippets). The
  document total and the facets (`search.elastic_facets`) are counted exactly
  with one paged `composite` aggregation over `doc_id`
  (`search.elastic_client`).

Never run against a real server on the machine it was written on: the
contract tests (`tests/search`) run it when `MIZAN_ELASTICSEARCH_URL` is set.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from legaltext.search_terms import terms
from search.elastic_client import ElasticClient
from search.elastic_facets import count_facets, facet_sub
from search.elastic_query import exact_body, knn_body, restrictions, search_body, whole_body
from search.elastic_schema import (
    TEXT_MAPPING,
    VECTOR_MAPPING,
    WHOLE_MAPPING,
    Json,
    from_source,
    to_source,
)
from search.port import (
    FACET_FIELDS,
    Hit,
    Passage,
    Ranked,
    SearchIndex,
    SearchResult,
    check_page,
    check_passages,
)
from search.query_syntax import Section, Words, parse_query, positive_leaves
from search.snippets import make_snippets
from search.vector_port import (
    DocumentMatch,
    PassageMatch,
    VectorIndex,
    VectorResult,
    check_vectors,
    query_matrix,
    rank_documents,
)
from search.whole_documents import searched_title, whole_ranked, whole_records

__all__ = ["ElasticIndex", "ElasticVectorIndex"]


class _OnOneIndex:
    """Removal and counting, the same for passages and vectors."""

    _ix: ElasticClient

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        self._ix.delete_documents(doc_ids)

    def clear(self) -> None:
        self._ix.delete_where({"match_all": {}})

    def count(self) -> int:
        return self._ix.count()


class ElasticIndex(_OnOneIndex, SearchIndex):
    """Passages in the Elasticsearch index `<prefix>-passages`, and each document whole in
    `<prefix>-documents` (`search.whole_documents`)."""

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
        self._ix = ElasticClient(url, f"{prefix}-passages", TEXT_MAPPING, client=client)
        self._whole = ElasticClient(url, f"{prefix}-documents", WHOLE_MAPPING, client=client)
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
        records = whole_records(passages)
        wholes = []
        for r in records:
            src = to_source(r)
            src["body"] = " ".join(terms(r.text))
            src["title_terms"] = " ".join(terms(searched_title(r)))
            src["text"] = ""  # ranked only: snippets come from the passages
            wholes.append(src)
        self._whole.replace(records, wholes)

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        self._ix.delete_documents(ids)
        self._whole.delete_documents(ids)

    def clear(self) -> None:
        self._ix.delete_where({"match_all": {}})
        self._whole.delete_where({"match_all": {}})

    def rank_whole(
        self,
        weighted_terms: Mapping[str, float],
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None,
        depth: int,
    ) -> list[Ranked]:
        body = whole_body(weighted_terms, principals, filters, depth=depth)
        if (principals is not None and not principals) or not weighted_terms or depth <= 0:
            return []
        es = self._whole.ensure()
        res = self._whole.call("a search", lambda: es.search(index=self._whole.name, **body))
        out = []
        for h in res["hits"]["hits"]:
            src = h["_source"]
            out.append(whole_ranked(
                doc_id=src["doc_id"], score=float(h["_score"]), title=src["title"],
                kind=src["kind"], case_id=src.get("case_id"),
            ))  # fmt: skip
        return out

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
        buckets = self._ix.documents(body["query"], facet_sub() if facets else None)
        if facets:
            total, counted = count_facets(buckets)
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
        self._ix = ElasticClient(url, f"{prefix}-vectors", VECTOR_MAPPING, client=client)
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
                "a similarity search", partial(es.search, index=self._ix.name, **body)
            )
            candidates |= {h["_source"]["doc_id"] for h in res["hits"]["hits"]}
        total = sum(1 for _ in self._ix.documents({"bool": {"filter": where}}))
        if not candidates:
            return VectorResult(total=total, documents=())
        scored: dict[str, tuple[Json, list[float]]] = {}
        for j, part in enumerate(q):
            body = exact_body(part, where, sorted(candidates))
            res = self._ix.call(
                "a similarity search", partial(es.search, index=self._ix.name, **body)
            )
            for h in res["hits"]["hits"]:
                _src, row = scored.setdefault(h["_id"], (h["_source"], [0.0] * len(q)))
                row[j] = float(h["_score"]) - 1.0  # the script adds 1 (scores must be >= 0)
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
                        PassageMatch(from_source(scored[pids[i]][0]), float(best[i]))
                        for i in members
                    ),
                )
            )
        return VectorResult(total=total, documents=tuple(documents))


def _passage_order(pid: str) -> tuple[int, str]:
    """Passages of a document in their order: ids end in ':<n>' (see search.passages)."""
    tail = pid.rsplit(":", 1)[-1]
    return (int(tail), pid) if tail.isdigit() else (0, pid)
