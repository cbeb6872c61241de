"""One Elasticsearch index as the adapters use it: created on first use, errors made readable.

**Visible when upsert returns**: writes use `refresh="wait_for"`. A document
is replaced by overwriting its passages by id, then deleting its passages not
in the batch; between the two steps a reader may see stale extra passages of
it (Elasticsearch has no multi-document transaction). **Server trouble is
`SearchUnavailableError`** with a message naming the URL. Documents are
counted exactly with one paged `composite` aggregation over `doc_id`
(O(matching documents), about one request per 1,000 documents);
`cardinality` would be approximate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

from search.elastic_schema import Json
from search.port import Passage, SearchUnavailableError

__all__ = ["COMPOSITE_PAGE", "ElasticClient"]

T = TypeVar("T")

#: doc_id buckets per composite-aggregation page when counting documents.
COMPOSITE_PAGE = 1000


class ElasticClient:
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
                partial(es.search, index=self.name, query=query, size=0, aggs={"docs": agg}),
            )
            page = res["aggregations"]["docs"]
            yield from page["buckets"]
            after = page.get("after_key")
            if not after or len(page["buckets"]) < COMPOSITE_PAGE:
                return
