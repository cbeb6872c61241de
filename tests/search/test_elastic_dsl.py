"""Our query AST compiled to Elasticsearch DSL: checked form by form, no server needed."""

from __future__ import annotations

import numpy as np
import pytest

from search.elastic_client import COMPOSITE_PAGE
from search.elastic_facets import count_facets
from search.elastic_query import compile_node, knn_body, restrictions, search_body
from search.elastic_schema import TEXT_MAPPING, VECTOR_MAPPING
from search.embeddings import DIM
from search.query_syntax import parse_query


def word(term: str) -> dict:
    return {
        "bool": {
            "should": [
                {"term": {"body": {"value": term, "boost": 1.0}}},
                {"term": {"title_terms": {"value": term, "boost": 2.0}}},
            ]
        }
    }


def dsl(query: str) -> dict:
    return compile_node(parse_query(query))


def test_single_word_searches_body_and_boosted_title() -> None:
    assert dsl("Murder") == word("murder")  # folded by our tokeniser, not the engine's


def test_phrase() -> None:
    assert dsl('"civil lines"') == {
        "bool": {
            "should": [
                {"match_phrase": {"body": {"query": "civil lines", "boost": 1.0}}},
                {"match_phrase": {"title_terms": {"query": "civil lines", "boost": 2.0}}},
            ]
        }
    }


def test_prefix_and_phrase_prefix() -> None:
    assert dsl("murd*") == {
        "bool": {
            "should": [
                {"prefix": {"body": {"value": "murd", "boost": 1.0}}},
                {"prefix": {"title_terms": {"value": "murd", "boost": 2.0}}},
            ]
        }
    }
    body = dsl("civil-lin*")["bool"]["should"][0]["match_phrase_prefix"]["body"]
    assert body["query"] == "civil lin" and body["max_expansions"] > 50


def test_or_needs_one_and_needs_all() -> None:
    assert dsl("bail OR remand") == {
        "bool": {"should": [word("bail"), word("remand")], "minimum_should_match": 1}
    }
    assert dsl("murder karachi") == dsl("murder OR karachi")
    assert dsl("murder AND karachi") == {"bool": {"must": [word("murder"), word("karachi")]}}


def test_and_binds_tighter_than_or() -> None:
    assert dsl("a AND b OR c") == {
        "bool": {
            "should": [{"bool": {"must": [word("a"), word("b")]}}, word("c")],
            "minimum_should_match": 1,
        }
    }


def test_not_excludes_and_never_adds_matches() -> None:
    assert dsl("NOT acquitted") == {
        "bool": {"must": [{"match_all": {}}], "must_not": [word("acquitted")]}
    }
    assert dsl("-acquitted") == dsl("NOT acquitted")
    assert dsl("murder NOT acquitted") == {
        "bool": {
            "should": [word("murder")],
            "minimum_should_match": 1,
            "must_not": [word("acquitted")],
        }
    }
    assert dsl("+murder bail") == {"bool": {"must": [word("murder")], "should": [word("bail")]}}


def test_grouping() -> None:
    assert dsl("(bail OR remand) AND karachi") == {
        "bool": {
            "must": [
                {"bool": {"should": [word("bail"), word("remand")], "minimum_should_match": 1}},
                word("karachi"),
            ]
        }
    }


def test_statute_reference_is_its_words_or_the_sections_field() -> None:
    assert dsl("302 PPC") == {
        "bool": {
            "should": [
                {"bool": {"must": [word("302"), word("ppc")]}},
                {"constant_score": {"filter": {"term": {"sections": "302 PPC"}}, "boost": 3.0}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_blank_query_matches_everything() -> None:
    assert dsl("   ") == {"match_all": {}}


def test_permissions_and_filters_are_filter_clauses() -> None:
    assert restrictions(["case:c1", "public", "public"], {"court": "High Court"}) == [
        {"terms": {"acl": ["case:c1", "public"]}},
        {"term": {"court": "High Court"}},
    ]
    assert restrictions(None, {"section": "302 PPC", "kind": "judgment"}) == [
        {"term": {"sections": "302 PPC"}},
        {"term": {"kind": "judgment"}},
    ]
    assert restrictions([], None) == [{"terms": {"acl": []}}]


def test_year_ranges() -> None:
    assert restrictions(None, {"year_from": "2010"}) == [{"range": {"year": {"gte": 2010}}}]
    assert restrictions(None, {"year_from": "2010", "year_to": "2012"}) == [
        {"range": {"year": {"gte": 2010, "lte": 2012}}}
    ]
    assert restrictions(None, {"year": "2011", "year_from": "2005"}) == [
        {"range": {"year": {"gte": 2011, "lte": 2011}}}
    ]
    assert restrictions(None, {"year": "2011", "year_from": "2015"}) == [{"match_none": {}}]


@pytest.mark.parametrize(
    ("filters", "error"),
    [({"colour": "red"}, ValueError), ({"year": "soon"}, ValueError), ({"kind": 3}, TypeError)],
)
def test_bad_filters(filters: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        restrictions(None, filters)


def test_search_body_collapses_documents_and_filters_without_scoring() -> None:
    body = search_body(
        parse_query("murder"), ["public"], {"kind": "judgment"}, limit=20, offset=40, inner=2
    )
    assert body["query"] == {
        "bool": {
            "must": [word("murder")],
            "filter": [{"terms": {"acl": ["public"]}}, {"term": {"kind": "judgment"}}],
        }
    }
    assert (body["from"], body["size"]) == (40, 20)
    assert body["collapse"]["field"] == "doc_id"
    assert body["collapse"]["inner_hits"]["size"] == 3  # the best passage and two more
    assert "sort" not in body
    dated = search_body(parse_query(""), None, None, limit=5, offset=0, sort="date")
    assert dated["sort"][0] == {"sort_day": {"order": "desc"}}
    assert dated["query"]["bool"]["filter"] == []


def test_knn_body_prefilters() -> None:
    body = knn_body(np.ones(DIM), [{"terms": {"acl": ["public"]}}], k=50, num_candidates=500)
    knn = body["knn"]
    assert knn["field"] == "vector" and len(knn["query_vector"]) == DIM
    assert (knn["k"], knn["num_candidates"]) == (50, 500)
    assert knn["filter"] == [{"terms": {"acl": ["public"]}}]


def test_mappings_use_whitespace_only_analysis_and_keywords() -> None:
    props = TEXT_MAPPING["mappings"]["properties"]
    analyzer = TEXT_MAPPING["settings"]["analysis"]["analyzer"][props["body"]["analyzer"]]
    # Short prefixes are indexed terms on both backends (murd* reads one posting list).
    assert props["body"]["index_prefixes"] == {"min_chars": 1, "max_chars": 5}
    assert props["title_terms"]["index_prefixes"] == props["body"]["index_prefixes"]
    assert analyzer == {"type": "custom", "tokenizer": "whitespace"}  # no lowercasing, no stems
    for name in ("acl", "kind", "case_id", "doc_type", "language", "court", "district"):
        assert props[name] == {"type": "keyword"}
    assert props["sections"] == {"type": "keyword"} and props["year"] == {"type": "integer"}
    vector = VECTOR_MAPPING["mappings"]["properties"]["vector"]
    assert vector["type"] == "dense_vector" and vector["dims"] == DIM
    assert vector["similarity"] == "cosine" and vector["index_options"] == {"type": "hnsw"}
    assert COMPOSITE_PAGE >= 100


def test_facets_count_documents_from_composite_buckets() -> None:
    """Labelled oracle: composite buckets shaped as Elasticsearch returns them."""

    def bucket(doc: str, **values: list) -> dict:
        fields = ("kind", "doc_type", "court", "district", "language", "year", "section")
        return {
            "key": {"d": doc},
            "doc_count": 2,
            **{f: {"buckets": [{"key": v} for v in values.get(f, [])]} for f in fields},
        }

    total, facets = count_facets(
        [
            bucket("a", kind=["judgment"], year=[2019], section=["302 PPC", "302(b)"]),
            bucket("b", kind=["judgment"], year=[2021], section=["302 PPC"]),
            bucket("c", kind=["document"], year=[2021]),
        ]
    )
    assert total == 3
    assert [(f.value, f.count) for f in facets["kind"]] == [("judgment", 2), ("document", 1)]
    assert [(f.value, f.count) for f in facets["year"]] == [("2021", 2), ("2019", 1)]
    assert [(f.value, f.count) for f in facets["section"]] == [("302 PPC", 2)]  # act keys only
