"""Queries through the ONNX export of the model: the torch vectors, else torch itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search.embeddings import Embedder
from search.query_encoder import onnx_model_path

QUERIES = ["bail after arrest u/s 497", "Qatl-e-amd of Muhammad Aslam", "recovery of charas"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the export (made once for the module: it takes seconds)."""
    directory = tmp_path_factory.mktemp("onnx")
    assert Embedder(onnx_dir=directory).query_encoder() is not None
    return directory


@pytest.mark.slow
def test_queries_through_onnx_give_the_torch_vectors(exported: Path) -> None:
    embedder = Embedder(onnx_dir=exported)
    path = onnx_model_path(exported)
    made = path.stat().st_mtime_ns
    fast = np.stack([embedder.embed_query(q) for q in QUERIES])
    assert not embedder.loaded or embedder._model is None  # torch never loaded for queries
    assert path.stat().st_mtime_ns == made  # the export is reused, not made again
    slow = Embedder()._encode(QUERIES)
    assert fast.dtype == np.float32 and fast.shape == slow.shape
    assert np.allclose(fast, slow, atol=1e-5)
    assert embedder.encoded == len(QUERIES)
    # Several texts in one call (padded to the longest) give each text's own vector.
    assert np.allclose(embedder.embed(QUERIES, remember=False), slow, atol=1e-5)


@pytest.mark.slow
def test_a_failed_export_leaves_queries_on_torch(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the export directory should be")
    embedder = Embedder(onnx_dir=blocked)
    vector = embedder.embed_query(QUERIES[0])
    assert embedder.query_encoder() is None and embedder._model is not None
    assert np.allclose(vector, embedder._encode([QUERIES[0]])[0], atol=1e-6)
    assert not list(tmp_path.glob("**/*.onnx"))
