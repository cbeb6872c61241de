"""/healthz: anyone sees whether each part is up; an administrator also sees the details
(the vector index: reachable, how many vectors, whether the model is loaded)."""

from __future__ import annotations

import re

import pytest

from mizan.kernel import Kernel
from search.indexing import upsert_indexed
from search.port import Passage


@pytest.mark.slow  # loads the embedding model
def test_healthz_counts_vectors_and_sees_the_model(demo: Kernel, browser) -> None:
    upsert_indexed(
        demo,
        [
            Passage(id=f"j{i}:0", doc_id=f"j{i}", kind="judgment", title=f"J{i}",
                    text=f"Appeal {i} against conviction for murder.", acl=("public",))
            for i in range(3)
        ],
    )  # fmt: skip
    admin = browser()
    admin.login("admin")
    response = admin.get("/healthz?detail=1")  # counts are for administrators only
    vectors = response.get_json()["components"]["vectors"]
    assert response.status_code == 200
    assert vectors["up"] is True and vectors["vectors"] == 3
    assert vectors["model_loaded"] is True  # indexing embedded the passages in this process
    assert "3 passages" in vectors["detail"] and "model loaded" in vectors["detail"]


def test_anonymous_healthz_names_no_path_version_or_server(app) -> None:
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["components"]["store"] == {"up": True}
    assert all(set(facts) == {"up"} for facts in body["components"].values())
    text = response.get_data(as_text=True)
    assert "/" not in text
    assert "http" not in text.lower()
    assert not re.search(r"\d+\.\d+", text), text  # no version numbers
    assert not re.search(r"\d", text), text  # nor counts


def test_details_are_for_administrators_only(app, browser) -> None:
    assert app.test_client().get("/healthz?detail=1").status_code == 302  # sign in first
    assert app.test_client().get("/admin/health").status_code == 302
    prosecutor = browser()
    prosecutor.login("pp.rahim")
    assert prosecutor.get("/healthz?detail=1").status_code == 403
    assert prosecutor.get("/admin/health").status_code == 403
    assert "System health" not in prosecutor.get("/").get_data(as_text=True)

    admin = browser()
    admin.login("admin")
    body = admin.get("/healthz?detail=1").get_json()
    assert "SQLite" in body["components"]["store"]["detail"]
    assert "tantivy" in body["components"]["index"]["detail"]
    page = admin.get("/admin/health")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SQLite" in html and "Every essential part is working." in html
    assert "/admin/health" in admin.get("/").get_data(as_text=True)  # in the menu
