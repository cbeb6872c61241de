"""Backend fixtures: every contract test runs on the embedded adapters and on Elasticsearch.

The Elasticsearch run needs a server: set MIZAN_ELASTICSEARCH_URL (e.g.
http://localhost:9200). Each test gets its own index prefix, deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.port import SearchIndex
from search.vector_port import VectorIndex

ES_URL_VARIABLE = "MIZAN_ELASTICSEARCH_URL"
NO_SERVER = f"{ES_URL_VARIABLE} is not set: no Elasticsearch server on this machine"


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def index_backend(request: pytest.FixtureRequest) -> str:
    if request.param == "elasticsearch" and not os.environ.get(ES_URL_VARIABLE):
        pytest.skip(NO_SERVER)
    return str(request.param)


@pytest.fixture
def es_prefix(index_backend: str) -> Iterator[str]:
    """A fresh index-name prefix on the test server; its indexes are deleted afterwards."""
    prefix = f"mizan-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    if index_backend == "elasticsearch":
        from elasticsearch import Elasticsearch

        client = Elasticsearch(os.environ[ES_URL_VARIABLE])
        client.options(ignore_status=404).indices.delete(index=f"{prefix}-*")


@pytest.fixture
def text_index(index_backend: str, es_prefix: str, tmp_path: Path) -> SearchIndex:
    """An empty SearchIndex of the backend under test."""
    if index_backend == "elasticsearch":
        from search.elastic_index import ElasticIndex

        return ElasticIndex(os.environ[ES_URL_VARIABLE], prefix=es_prefix)
    from search.tantivy_index import TantivyIndex

    return TantivyIndex(tmp_path / "idx")


@pytest.fixture(params=["exact", "hnsw"])
def vector_store(
    request: pytest.FixtureRequest, index_backend: str, es_prefix: str, tmp_path: Path
) -> VectorIndex:
    """An empty VectorIndex of the backend under test; the embedded one both exact and with
    its HNSW graph from the first passage (a search needing every document stays exact)."""
    if index_backend == "elasticsearch":
        if request.param == "hnsw":
            pytest.skip("the HNSW threshold is the embedded adapter's")
        from search.elastic_index import ElasticVectorIndex

        return ElasticVectorIndex(os.environ[ES_URL_VARIABLE], prefix=es_prefix)
    from search.vector_index import SqliteVectorIndex

    return SqliteVectorIndex(tmp_path / "v.sqlite3", ann_min=1 if request.param == "hnsw" else None)
