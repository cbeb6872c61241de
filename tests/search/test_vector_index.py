"""The VectorIndex contract on every backend (`vector_store`: SQLite, Elasticsearch);
the SQLite-only behaviour (restarts, several processes) is tested with files directly."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from search.embeddings import DIM
from search.port import Passage
from search.vector_index import SqliteVectorIndex
from search.vector_port import VectorIndex


def unit(*axes: float) -> np.ndarray:
    """A normalised vector with the given weights on the first axes."""
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(axes)] = axes
    return v / np.linalg.norm(v)


def passage(doc_id: str, n: int, **kw: object) -> Passage:
    fields: dict[str, object] = {"kind": "judgment", "title": f"Title {doc_id}", "acl": ("public",)}
    fields.update(kw)
    return Passage(id=f"{doc_id}:{n}", doc_id=doc_id, text=f"text of {doc_id} #{n}", **fields)


@pytest.fixture
def index(vector_store: VectorIndex) -> VectorIndex:
    """The passages in the backend under test (`vector_store`: SQLite, Elasticsearch)."""
    idx = vector_store
    idx.upsert(
        [
            passage("j1", 0),
            passage("j1", 1),
            passage("j2", 0),
            passage("fir", 0, kind="document", case_id="c1", acl=("case:c1",), doc_type="fir"),
        ],
        np.stack([unit(1, 0), unit(0, 1), unit(1, 1), unit(1, 0.1)]),
    )
    return idx


def ids(result) -> list[str]:
    return [d.doc_id for d in result.documents]


def test_is_a_vector_index(index: VectorIndex) -> None:
    assert isinstance(index, VectorIndex)
    assert index.count() == 4
    assert index.ping()[0]
    assert index.doc_ids() == {"j1", "j2", "fir"}


def test_documents_are_scored_from_their_best_passage(index: VectorIndex) -> None:
    result = index.search(unit(0, 1), principals=None)
    assert ids(result) == ["j1", "j2", "fir"]  # j1's second passage points straight at the query
    top = result.documents[0]
    assert top.score == pytest.approx(1.0)
    assert [pm.passage.id for pm in top.passages] == ["j1:1", "j1:0"]
    assert top.passages[0].passage.text == "text of j1 #1"
    assert result.total == 3


def test_a_long_query_scores_the_best_part(index: VectorIndex) -> None:
    # Two query parts: j1 matches both perfectly, the FIR one part almost perfectly and
    # the other hardly at all, j2 both moderately. Matching one part well beats matching
    # every part moderately (a mean over the parts would put j2 before the FIR).
    result = index.search(np.stack([unit(1, 0), unit(0, 1)]), principals=None)
    assert ids(result) == ["j1", "fir", "j2"]
    assert result.documents[0].score == pytest.approx(1.0)
    assert result.documents[1].score == pytest.approx(float(unit(1, 0.1)[0]))
    assert result.documents[2].score == pytest.approx(np.sqrt(0.5))


def test_permissions_hide_and_do_not_count(index: VectorIndex) -> None:
    public = index.search(unit(1, 0), principals={"public"})
    assert "fir" not in ids(public) and public.total == 2
    own = index.search(unit(1, 0), principals={"case:c1"})
    assert ids(own) == ["fir"] and own.total == 1
    assert index.search(unit(1, 0), principals=set()).total == 0


def test_filters_match_exactly(index: VectorIndex) -> None:
    assert ids(index.search(unit(1, 0), principals=None, filters={"kind": "document"})) == ["fir"]
    assert index.search(unit(1, 0), principals=None, filters={"case_id": "zz"}).total == 0
    with pytest.raises(ValueError, match="unknown search filter"):
        index.search(unit(1, 0), principals=None, filters={"colour": "red"})


def test_paging(index: VectorIndex) -> None:
    everything = ids(index.search(unit(1, 0), principals=None))
    page = index.search(unit(1, 0), principals=None, limit=1, offset=1)
    assert ids(page) == everything[1:2] and page.total == 3


def test_upsert_replaces_a_whole_document_and_delete_removes_it(
    index: VectorIndex,
) -> None:
    index.upsert([passage("j1", 5)], unit(0, 0, 1)[None, :])
    result = index.search(unit(0, 0, 1), principals=None)
    assert ids(result)[0] == "j1"
    assert [pm.passage.id for pm in result.documents[0].passages] == ["j1:5"]
    assert index.count() == 3
    index.delete_documents(["j1", "unknown"])
    assert "j1" not in ids(index.search(unit(0, 0, 1), principals=None))
    index.clear()
    assert index.count() == 0 and index.search(unit(1), principals=None).total == 0


def test_survives_a_restart_and_sees_other_handles_writes(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite3"
    writer, reader = SqliteVectorIndex(path), SqliteVectorIndex(path)
    assert reader.search(unit(1), principals=None).total == 0
    writer.upsert([passage("a", 0)], unit(1)[None, :])
    assert ids(reader.search(unit(1), principals=None)) == ["a"]  # incremental catch-up
    writer.delete_documents(["a"])
    writer.upsert([passage("b", 0)], unit(1)[None, :])
    assert ids(reader.search(unit(1), principals=None)) == ["b"]
    del writer, reader
    assert ids(SqliteVectorIndex(path).search(unit(1), principals=None)) == ["b"]


def test_rejects_bad_input(index: VectorIndex) -> None:
    with pytest.raises(ValueError, match="shape"):
        index.upsert([passage("x", 0)], np.zeros((2, DIM), dtype=np.float32))
    with pytest.raises(ValueError, match="duplicate"):
        index.upsert([passage("x", 0), passage("x", 0)], np.zeros((2, DIM), dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        index.search(np.zeros(3, dtype=np.float32), principals=None)


def _write_many(path: str, prefix: str) -> None:
    idx = SqliteVectorIndex(Path(path))
    for i in range(20):
        idx.upsert([passage(f"{prefix}{i}", 0)], unit(1, i)[None, :])


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite3"
    SqliteVectorIndex(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), p)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    result = SqliteVectorIndex(path).search(unit(1), principals=None, limit=100)
    assert result.total == 40
