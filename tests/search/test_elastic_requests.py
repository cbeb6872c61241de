"""What the Elasticsearch adapter sends and how it reads the answers, without a server.

`RecordingClient` is a labelled TEST ORACLE, not Elasticsearch: it records
requests and answers with canned responses shaped like the documented
Elasticsearch REST API. The real behaviour (scores, kNN, refresh) is only
checked by the contract suite when MIZAN_ELASTICSEARCH_URL is set.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import search.elastic_client
from search.elastic_index import ElasticIndex, ElasticVectorIndex
from search.embeddings import DIM
from search.port import Passage, SearchUnavailableError


class RecordingClient:
    """Test oracle: records calls; `search` answers from a queue of canned responses."""

    def __init__(self, responses: list[dict[str, Any]] | None = None, bulk_error: str = "") -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.responses = list(responses or [])
        self.bulk_error = bulk_error
        self.created = False
        self.indices = SimpleNamespace(exists=self._exists, create=self._create)

    def _exists(self, index: str) -> bool:
        return self.created

    def _create(self, index: str, **body: Any) -> None:
        self.calls.append(("create", {"index": index, **body}))
        self.created = True

    def bulk(self, operations: list[dict[str, Any]], refresh: str) -> dict[str, Any]:
        self.calls.append(("bulk", {"operations": operations, "refresh": refresh}))
        if self.bulk_error:
            item = {"index": {"status": 400, "error": {"reason": self.bulk_error}}}
            return {"errors": True, "items": [item]}
        return {"errors": False, "items": []}

    def delete_by_query(self, **kw: Any) -> dict[str, Any]:
        self.calls.append(("delete_by_query", kw))
        return {"deleted": 0}

    def search(self, index: str, **body: Any) -> dict[str, Any]:
        self.calls.append(("search", body))
        return self.responses.pop(0)


def passage(doc_id: str, n: int, text: str) -> Passage:
    return Passage(f"{doc_id}:{n}", doc_id, "judgment", "Appeal", text, ("public",))


def test_upsert_writes_by_passage_id_then_drops_the_documents_other_passages() -> None:
    client = RecordingClient()
    index = ElasticIndex("http://es.test:9200", prefix="t", client=client)
    index.upsert([passage("j1", 0, "Qatl-e-Amd, Karachi"), passage("j1", 1, "Bail")])
    index.upsert([passage("j2", 0, "x")])
    kinds = [name for name, _ in client.calls]
    # each upsert: the passages, then the document whole (search.whole_documents)
    assert kinds == ["create", *["bulk", "delete_by_query"] * 4]
    create = client.calls[0][1]
    assert create["index"] == "t-passages" and "mappings" in create
    bulk = client.calls[1][1]
    assert bulk["refresh"] == "wait_for"  # visible when upsert returns
    head, source = bulk["operations"][0], bulk["operations"][1]
    assert head == {"index": {"_index": "t-passages", "_id": "j1:0"}}
    assert source["body"] == "qatl e amd karachi"  # our folded terms, split on spaces there
    assert source["text"] == "Qatl-e-Amd, Karachi" and source["acl"] == ["public"]
    stale = client.calls[2][1]
    assert stale["refresh"] is True
    assert stale["query"] == {
        "bool": {
            "filter": [{"terms": {"doc_id": ["j1"]}}],
            "must_not": [{"ids": {"values": ["j1:0", "j1:1"]}}],
        }
    }
    whole = client.calls[3][1]["operations"]
    assert whole[0] == {"index": {"_index": "t-documents", "_id": "j1"}}
    assert whole[1]["body"] == "qatl e amd karachi bail" and whole[1]["text"] == ""


def test_rank_whole_sends_weighted_terms_under_the_permission_filter() -> None:
    hit = {"_score": 2.5, "_source": {"doc_id": "j1", "title": "Appeal", "kind": "judgment"}}
    client = RecordingClient([{"hits": {"hits": [hit]}}])
    index = ElasticIndex("http://es.test:9200", prefix="t", client=client)
    ranked = index.rank_whole({"cheque": 2.0}, principals={"public"}, filters=None, depth=5)
    assert [(r.doc_id, r.score, r.passage_id) for r in ranked] == [("j1", 2.5, "")]
    name, request = client.calls[-1]
    assert name == "search" and request["size"] == 5
    should = request["query"]["bool"]["should"]
    assert {"term": {"body": {"value": "cheque", "boost": 2.0}}} in should
    assert request["query"]["bool"]["filter"] == [{"terms": {"acl": ["public"]}}]
    assert index.rank_whole({"cheque": 1.0}, principals=set(), filters=None, depth=5) == []


def test_a_refused_passage_is_a_readable_error() -> None:
    index = ElasticIndex("http://es.test:9200", client=RecordingClient(bulk_error="bad date"))
    with pytest.raises(SearchUnavailableError, match="bad date"):
        index.upsert([passage("j1", 0, "x")])


def _composite(docs: list[str], after: bool) -> dict[str, Any]:
    page: dict[str, Any] = {"buckets": [{"key": {"d": d}, "doc_count": 1} for d in docs]}
    if after:
        page["after_key"] = {"d": docs[-1]}
    return {"hits": {"hits": []}, "aggregations": {"docs": page}}


def test_search_reads_collapsed_hits_and_counts_documents_over_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search.elastic_client, "COMPOSITE_PAGE", 2)
    best = {
        "_id": "j1:1",
        "_score": 4.5,
        "_source": {"doc_id": "j1", "passage_id": "j1:1", "title": "Appeal <1>",
                    "kind": "judgment", "text": "The murder weapon & a knife.", "page": 3},
        "inner_hits": {"more": {"hits": {"hits": [
            {"_id": "j1:1", "_source": {"text": "The murder weapon & a knife."}},
            {"_id": "j1:0", "_source": {"text": "No murder was proved."}},
        ]}}},
    }  # fmt: skip
    client = RecordingClient(
        [
            {"hits": {"hits": [best]}},
            _composite(["j1", "j2"], after=True),
            _composite(["j3"], after=False),
        ]
    )
    client.created = True
    result = ElasticIndex("http://es.test", client=client).search("murder", principals=["public"])
    assert result.total == 3
    (hit,) = result.hits
    assert (hit.doc_id, hit.passage_id, hit.score, hit.page) == ("j1", "j1:1", 4.5, 3)
    assert hit.title == "Appeal <1>"  # plain text, escaped when rendered
    assert hit.snippets == (
        "The <mark>murder</mark> weapon &amp; a knife.",
        "No <mark>murder</mark> was proved.",
    )
    first, second = client.calls[1][1], client.calls[2][1]
    assert first["size"] == 0 and "after" not in first["aggs"]["docs"]["composite"]
    assert second["aggs"]["docs"]["composite"]["after"] == {"d": "j2"}
    assert first["query"] == client.calls[0][1]["query"]  # counted under the same filters


def _hit(pid: str, doc_id: str, score: float) -> dict[str, Any]:
    source = {
        "passage_id": pid,
        "doc_id": doc_id,
        "kind": "judgment",
        "title": "T",
        "text": f"text {pid}",
        "acl": ["public"],
        "date": "2020-01-02",
        "year": 2020,
    }
    return {"_id": pid, "_score": score, "_source": source}


def test_vector_search_ranks_knn_candidates_by_exact_cosine_of_the_best_part() -> None:
    """kNN finds candidates per query part; exact cosine (score - 1) ranks them, as embedded."""
    client = RecordingClient(
        [
            {"hits": {"hits": [_hit("a:0", "a", 1.9)]}},  # kNN, part 1
            {"hits": {"hits": [_hit("b:0", "b", 1.8)]}},  # kNN, part 2
            _composite(["a", "b", "c"], after=False),  # visible documents
            {"hits": {"hits": [_hit("a:0", "a", 1.9), _hit("a:1", "a", 1.1),
                               _hit("b:0", "b", 1.5)]}},  # exact, part 1
            {"hits": {"hits": [_hit("a:0", "a", 1.2), _hit("a:1", "a", 1.3),
                               _hit("b:0", "b", 1.8)]}},  # exact, part 2
        ]
    )  # fmt: skip
    client.created = True
    index = ElasticVectorIndex("http://es.test", client=client)
    parts = np.eye(2, DIM, dtype=np.float32)
    result = index.search(parts, principals=["public"], filters={"kind": "judgment"})
    assert result.total == 3
    assert [d.doc_id for d in result.documents] == ["a", "b"]  # a mean would put b first
    a, b = result.documents
    assert a.score == pytest.approx(0.9) and b.score == pytest.approx(0.8)
    assert [pm.passage.id for pm in a.passages] == ["a:0", "a:1"]
    assert a.passages[0].score == pytest.approx(0.9)
    assert a.passages[0].passage.date == datetime.date(2020, 1, 2)
    knn = client.calls[0][1]["knn"]
    expected_filter = [{"terms": {"acl": ["public"]}}, {"term": {"kind": "judgment"}}]
    assert knn["filter"] == expected_filter and knn["num_candidates"] >= knn["k"]
    exact = client.calls[3][1]["query"]["script_score"]["query"]["bool"]["filter"]
    assert exact == [*expected_filter, {"terms": {"doc_id": ["a", "b"]}}]
