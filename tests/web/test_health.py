"""/healthz reports the vector index: reachable, how many vectors, whether the model is loaded."""

from __future__ import annotations

import pytest

from mizan.kernel import Kernel
from search.indexing import upsert_indexed
from search.port import Passage


@pytest.mark.slow  # loads the embedding model
def test_healthz_counts_vectors_and_sees_the_model(demo: Kernel, app) -> None:
    upsert_indexed(
        demo,
        [
            Passage(id=f"j{i}:0", doc_id=f"j{i}", kind="judgment", title=f"J{i}",
                    text=f"Appeal {i} against conviction for murder.", acl=("public",))
            for i in range(3)
        ],
    )  # fmt: skip
    response = app.test_client().get("/healthz")
    vectors = response.get_json()["components"]["vectors"]
    assert response.status_code == 200
    assert vectors["up"] is True and vectors["vectors"] == 3
    assert vectors["model_loaded"] is True  # indexing embedded the passages in this process
    assert "3 passages" in vectors["detail"] and "model loaded" in vectors["detail"]
