"""The Elasticsearch adapters without a server: clear errors, checks before any request."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from search.elastic_index import ElasticIndex, ElasticVectorIndex
from search.embeddings import DIM
from search.port import SearchUnavailableError


@pytest.fixture
def dead_url() -> str:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_server_down_is_a_readable_unavailable_error(dead_url: str) -> None:
    index = ElasticIndex(dead_url, prefix="t")
    with pytest.raises(SearchUnavailableError, match="cannot be reached") as err:
        index.search("murder", principals=["public"])
    assert dead_url in str(err.value)
    ok, detail = index.ping()
    assert not ok and dead_url in detail
    vectors = ElasticVectorIndex(dead_url, prefix="t")
    with pytest.raises(SearchUnavailableError, match="cannot be reached"):
        vectors.search(np.ones((1, DIM), dtype=np.float32), principals=None)
    assert not vectors.ping()[0]


def test_bad_arguments_are_refused_before_any_request(dead_url: str) -> None:
    index = ElasticIndex(dead_url)
    with pytest.raises(ValueError, match="unknown search filter"):
        index.search("x", principals=None, filters={"colour": "red"})
    with pytest.raises(ValueError, match="unknown sort"):
        index.search("x", principals=None, sort="size")
    assert index.search("x", principals=[]).total == 0  # sees nothing, asks nothing
    with pytest.raises(ValueError, match="shape"):
        ElasticVectorIndex(dead_url).search(np.ones((1, 3)), principals=None)
