"""The vector-index port: nearest passages to query vectors, grouped per document.

Services depend on this module only; the embedded adapter
(`search.vector_index.SqliteVectorIndex`) and the Elasticsearch adapter
(`search.elastic_index.ElasticVectorIndex`, `dense_vector` kNN under the same
filters) implement it.
Vectors come in and go out; embedding text is the caller's job
(`search.embeddings`), so an adapter never loads a model.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from search.embeddings import DIM
from search.port import Passage, check_page, check_passages

__all__ = [
    "DocumentMatch",
    "PassageMatch",
    "VectorIndex",
    "VectorResult",
    "check_vectors",
    "query_matrix",
    "rank_documents",
]


@dataclass(frozen=True)
class PassageMatch:
    passage: Passage
    score: float  # cosine similarity to the query (best over the query's parts)


@dataclass(frozen=True)
class DocumentMatch:
    """A document scored from its passages; `passages` are its best ones, best first."""

    doc_id: str
    score: float
    passages: tuple[PassageMatch, ...]


@dataclass(frozen=True)
class VectorResult:
    total: int  # visible documents that were ranked
    documents: tuple[DocumentMatch, ...]


@runtime_checkable
class VectorIndex(Protocol):
    """Passage vectors with the same permission and filter semantics as `SearchIndex`."""

    def upsert(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        """Replace all passages of every doc_id present (one row of `vectors` per passage)."""
        ...

    def delete_documents(self, doc_ids: Iterable[str]) -> None: ...

    def search(
        self,
        vectors: np.ndarray,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        offset: int = 0,
        passages_per_doc: int = 3,
    ) -> VectorResult:
        """Rank visible documents by similarity to the query vectors (rows of `vectors`).

        A long query is embedded as several parts; a document's score is the
        best cosine between any part and any of its passages: a description
        of facts raises several legal points, and a judgment or a section
        that decides one of them is relevant (see `search.hybrid`). `principals`
        None means unrestricted; otherwise only passages whose acl meets
        them are considered (and counted). `filters` match exactly on
        `search.port.FILTER_FIELDS`.
        """
        ...

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """The stored text of each document's indexed passages, joined (unknown ids omitted)."""
        ...

    def doc_ids(self) -> set[str]:
        """Every indexed document id (for consistency checks)."""
        ...

    def clear(self) -> None: ...

    def prepare(self) -> None:
        """Get ready to answer searches (load vectors, build or load caches); may take long,
        so it is called after a reindex and by the warm-up, not by the first search."""
        ...

    def count(self) -> int:
        """Number of indexed passages."""
        ...

    def ping(self) -> tuple[bool, str]: ...


def query_matrix(vectors: np.ndarray, limit: int, offset: int) -> np.ndarray:
    """Check a `VectorIndex.search` request (shared by every adapter): the parts as rows."""
    check_page(limit, offset)
    q = np.asarray(vectors, dtype=np.float32)
    if q.ndim == 1:
        q = q[None, :]
    if q.shape[1:] != (DIM,) or len(q) == 0:
        raise ValueError(f"query vectors must have shape (n, {DIM}), got {q.shape}")
    return q


def check_vectors(passages: Sequence[Passage], vectors: np.ndarray) -> None:
    """Refuse an upsert batch no adapter can store: one DIM-sized row per valid passage."""
    if vectors.ndim != 2 or vectors.shape != (len(passages), DIM):
        raise ValueError(f"expected vectors of shape ({len(passages)}, {DIM}), got {vectors.shape}")
    check_passages(passages)


def rank_documents(
    doc_names: Sequence[str], sims: np.ndarray
) -> tuple[list[tuple[str, float]], dict[str, list[int]]]:
    """Documents best first by their best match to any query part (see `VectorIndex.search`).

    Ties by id.
    """
    groups: dict[str, list[int]] = {}
    for i, doc_id in enumerate(doc_names):
        groups.setdefault(doc_id, []).append(i)
    names = list(groups)
    order = np.fromiter((i for n in names for i in groups[n]), dtype=np.int64, count=len(doc_names))
    starts = np.cumsum([0] + [len(groups[n]) for n in names[:-1]])
    best = np.maximum.reduceat(sims[order], starts, axis=0)  # (documents, query parts)
    scores = best.max(axis=1)
    ranked = sorted(zip(names, scores.tolist(), strict=True), key=lambda t: (-t[1], t[0]))
    return ranked, groups
