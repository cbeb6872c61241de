"""The embedded vector index's HNSW mode: same answers as exact search (approximately),
exact permissions and totals, a graph saved beside the store and caught up incrementally."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search import vector_ann, vector_graph
from search.embeddings import DIM
from search.port import Passage
from search.vector_index import SqliteVectorIndex

DOCS, PER_DOC = 300, 4
PRINCIPALS = [f"case:{i}" for i in range(10)]


def corpus(seed: int = 1) -> tuple[list[Passage], np.ndarray]:
    """Clustered unit vectors; a third of the documents public, the rest in one of 10 cases."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, DIM))
    vecs = centres[rng.integers(0, 20, DOCS * PER_DOC)] + 0.5 * rng.standard_normal(
        (DOCS * PER_DOC, DIM)
    )
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    passages = []
    for d in range(DOCS):
        acl = ("public",) if d % 3 == 0 else (PRINCIPALS[d % len(PRINCIPALS)],)
        kind = "judgment" if d % 2 else "document"
        passages += [
            Passage(
                id=f"d{d}:{n}", doc_id=f"d{d}", kind=kind, title=f"D{d}", text=f"t{d}.{n}", acl=acl
            )
            for n in range(PER_DOC)
        ]
    return passages, vecs


def top(index: SqliteVectorIndex, q: np.ndarray, **kw: object) -> list[str]:
    return [d.doc_id for d in index.search(q, **kw).documents]


@pytest.fixture
def stores(tmp_path: Path) -> tuple[SqliteVectorIndex, SqliteVectorIndex, np.ndarray]:
    """The same file read exactly and through the graph, and the stored vectors."""
    passages, vecs = corpus()
    path = tmp_path / "v.sqlite3"
    exact = SqliteVectorIndex(path, ann_min=None)
    exact.upsert(passages, vecs)
    return exact, SqliteVectorIndex(path, ann_min=50), vecs


def queries(vecs: np.ndarray, n: int = 20) -> list[np.ndarray]:
    rng = np.random.default_rng(5)
    noisy = vecs[rng.integers(0, len(vecs), n)] + 0.02 * rng.standard_normal((n, DIM))
    return [(v / np.linalg.norm(v)).astype(np.float32) for v in noisy]


def test_hnsw_finds_what_exact_search_finds(stores) -> None:
    exact, ann, vecs = stores
    found = wanted = 0
    for q in queries(vecs):
        for principals in (None, {"public", "case:3"}):
            truth = exact.search(q, principals=principals, limit=10)
            got = ann.search(q, principals=principals, limit=10)
            assert got.total == truth.total  # totals stay exact
            truth_ids = [d.doc_id for d in truth.documents]
            got_ids = [d.doc_id for d in got.documents]
            found += len(set(truth_ids) & set(got_ids))
            wanted += len(truth_ids)
            assert got.documents[0].score == pytest.approx(truth.documents[0].score, abs=1e-5)
    assert ann._ann.graph is not None and ann._ann.graph.size == DOCS * PER_DOC
    assert found / wanted >= 0.9


def test_permissions_and_filters_stay_exact_in_the_graph(stores) -> None:
    exact, ann, vecs = stores
    for q in queries(vecs, 10):
        for principals, filters in [
            ({"public"}, None),
            ({"public", "case:1"}, {"kind": "judgment"}),
        ]:
            got = ann.search(q, principals=principals, filters=filters, limit=5)
            truth = exact.search(q, principals=principals, filters=filters, limit=5)
            assert got.total == truth.total
            for doc in got.documents:
                for pm in doc.passages:
                    assert set(pm.passage.acl) & principals
                    if filters:
                        assert pm.passage.kind == "judgment"


def test_a_small_permitted_set_is_searched_exactly(stores, monkeypatch) -> None:
    exact, _, vecs = stores
    ann = SqliteVectorIndex(exact.path, ann_min=100)
    q = queries(vecs, 1)[0]
    ann.search(q, principals=None, limit=3)  # 1,200 visible passages: builds the graph
    monkeypatch.setattr(vector_ann.Graph, "search", _refuse)
    one_case = {"case:4"}  # 20 documents, 80 passages: below ann_min
    got = ann.search(q, principals=one_case, limit=3)
    assert top(exact, q, principals=one_case, limit=3) == [d.doc_id for d in got.documents]
    assert got.total == 20


def _refuse(*args: object, **kw: object) -> None:
    raise AssertionError("the graph must not be searched here")


def test_falls_back_to_exact_when_the_window_is_short(stores, monkeypatch) -> None:
    exact, ann, vecs = stores
    monkeypatch.setattr(vector_graph, "ANN_MAX_K", 8)  # 8 passages cannot cover 10 documents
    for q in queries(vecs, 5):
        assert top(ann, q, principals=None, limit=10) == top(exact, q, principals=None, limit=10)


def test_graph_is_saved_and_reused_and_caught_up(tmp_path: Path, monkeypatch) -> None:
    passages, vecs = corpus()
    path = tmp_path / "v.sqlite3"
    first = SqliteVectorIndex(path, ann_min=50)
    first.upsert(passages, vecs)
    first.prepare()
    assert (tmp_path / "v.hnsw.json").exists()
    # A passage changes after the save: its old label must not stand for it.
    moved = np.zeros(DIM, dtype=np.float32)
    moved[0] = 1.0
    first.upsert([passages[-PER_DOC]], moved[None, :])  # d299 now has one passage, on axis 0
    first.upsert([Passage(id="new:0", doc_id="new", kind="document", title="N", text="n",
                          acl=("public",))], -moved[None, :])  # fmt: skip

    built: list[int] = []
    real_new = vector_ann.new_graph
    monkeypatch.setattr(vector_graph, "new_graph", lambda *a: built.append(1) or real_new(*a))
    second = SqliteVectorIndex(path, ann_min=50)
    assert top(second, moved, principals=None, limit=1) == ["d299"]
    assert top(second, -moved, principals=None, limit=1) == ["new"]
    assert not built  # loaded from the file, not rebuilt
    graph = second._ann.graph
    assert graph is not None and graph.size == DOCS * PER_DOC + 2  # the two new vectors added
    assert (second._ann.label_slot >= 0).sum() == (DOCS - 1) * PER_DOC + 2  # d299's old ones gone

    # Incremental: another handle's write reaches the graph on the next search.
    first.upsert([Passage(id="late:0", doc_id="late", kind="document", title="L", text="l",
                          acl=("public",))], moved[None, :])  # fmt: skip
    first.delete_documents(["d299"])
    assert top(second, moved, principals=None, limit=1) == ["late"]
    assert second._ann.graph is graph and graph.size == DOCS * PER_DOC + 3

    first.clear()
    assert not list(tmp_path.glob("v.hnsw*"))
    assert second.search(moved, principals=None).total == 0


def test_a_stale_or_broken_graph_file_is_rebuilt(tmp_path: Path) -> None:
    passages, vecs = corpus()
    path = tmp_path / "v.sqlite3"
    index = SqliteVectorIndex(path, ann_min=50)
    index.upsert(passages, vecs)
    index.prepare()
    meta = tmp_path / "v.hnsw.json"
    data = next(p for p in tmp_path.glob("v.hnsw.*") if p != meta)
    data.write_bytes(b"not a graph")
    again = SqliteVectorIndex(path, ann_min=50)
    q = queries(vecs, 1)[0]
    assert top(again, q, principals=None, limit=5)
    assert again._ann.graph is not None and again._ann.graph.size == len(passages)
