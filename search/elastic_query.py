"""Our query AST (`search.query_syntax`) as Elasticsearch query DSL, and the request bodies.

Pure functions, unit-tested without a server. The AST is compiled with the
Tantivy adapter's semantics (`search.tantivy_query`); **permissions and
filters are `filter` clauses** (`restrictions`): they never change scores,
and invisible passages are never matched or counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from search.elastic_schema import SOURCE, Json
from search.port import SECTION_SCORE, TITLE_BOOST, split_filters
from search.query_syntax import MatchAll, Node, Section, Words

__all__ = [
    "PHRASE_PREFIX_EXPANSIONS",
    "compile_node",
    "exact_body",
    "knn_body",
    "restrictions",
    "search_body",
    "whole_body",
]

_SEARCH_FIELDS = (("body", 1.0), ("title_terms", TITLE_BOOST))
#: Terms a prefix inside a phrase may expand to (Elasticsearch's default is 50).
PHRASE_PREFIX_EXPANSIONS = 200


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
        "_source": SOURCE,
        "collapse": {"field": "doc_id"},
    }
    if inner > 0:
        body["collapse"]["inner_hits"] = {"name": "more", "size": inner + 1, "_source": ["text"]}
    if sort == "date":
        body["sort"] = [{"sort_day": {"order": "desc"}}, {"doc_id": {"order": "asc"}}]
    return body


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
        "_source": SOURCE,
    }


def whole_body(
    weighted_terms: Mapping[str, float],
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    *,
    depth: int,
) -> Json:
    """The request body ranking whole documents by weighted terms (`SearchIndex.rank_whole`):
    each term in the text, and in the title boosted as passage search boosts it."""
    should = [
        {"term": {field: {"value": term, "boost": weight * boost}}}
        for term, weight in sorted(weighted_terms.items())
        for field, boost in (("body", 1.0), ("title_terms", TITLE_BOOST))
    ]
    return {
        "query": {
            "bool": {
                "should": should,
                "minimum_should_match": 1,
                "filter": restrictions(principals, filters),
            }
        },
        "size": depth,
        "track_total_hits": False,
        "_source": ["doc_id", "title", "kind", "case_id"],
    }
