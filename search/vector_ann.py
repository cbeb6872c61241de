"""Approximate nearest passages for the embedded vector index: an HNSW graph (faiss).

Why it looks the way it does:

* **faiss-cpu, not hnswlib.** faiss ships manylinux wheels on PyPI (hnswlib
  0.8 is a source package: a fresh server needs a C++ compiler to install
  it), and its HNSW search takes an id selector evaluated in C++, so the
  permission mask filters candidates during the graph walk (hnswlib's
  filter is a Python callback per visited node).
* **8-bit scalar-quantised storage** (`IndexHNSWSQ`): 384 bytes per
  passage instead of 1,536. The reader already holds the float32 matrix,
  so candidates are re-scored exactly there; the graph only has to find
  them, and needs no second float copy (at 1,000,000 passages: ~0.6 GB
  instead of ~1.8 GB).
* **Append-only labels.** faiss numbers vectors 0, 1, 2 … as they are
  added and an HNSW graph cannot delete; the caller keeps label -> slot
  and masks out labels whose passage is gone.
* **A cache beside the SQLite file, never the source of truth.** The
  graph is saved with the passage id and the store sequence number of
  every label; a process that opens it keeps the labels whose passage is
  unchanged since and adds the rest, instead of rebuilding for minutes.
  Any process may save (write a new file, then atomically replace the
  small JSON that names it), so a crash or a race leaves the old pair or
  a pair that fails its check and is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import faiss
import numpy as np

__all__ = ["Graph", "load_graph", "new_graph", "save_graph"]

#: Graph degree (faiss's M) and build beam: a common trade-off for 384-dim text embeddings.
M = 32
EF_CONSTRUCTION = 64
#: Vectors the quantiser's per-dimension ranges are learned from.
TRAIN_SAMPLE = 50_000


@dataclass
class Graph:
    """An HNSW graph and, per label, the passage id and store sequence it was added at."""

    index: faiss.IndexHNSWSQ
    pids: list[str]
    seqs: list[int]
    epoch: int

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def add(self, vectors: np.ndarray, pids: list[str], seqs: list[int]) -> None:
        if len(pids):
            self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))
            self.pids += pids
            self.seqs += seqs

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray, ef: int) -> np.ndarray:
        """Labels of the (about) `k` nearest allowed vectors per query row; -1 pads.

        `allowed` is a bool per label, applied inside the graph walk.
        """
        bitmap = np.packbits(allowed, bitorder="little")
        # faiss's stub lacks SearchParametersHNSW, which the library has.
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
        params.efSearch = max(ef, k)
        params.sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
        _, labels = self.index.search(np.ascontiguousarray(queries), k, params=params)
        return labels


def new_graph(dim: int, sample: np.ndarray, epoch: int) -> Graph:
    """An empty graph whose quantiser was trained on `sample` (unit vectors)."""
    # The cast is for faiss's stub, which types this argument as a ScalarQuantizer: the
    # constructor takes its quantizer type, an int such as QT_8bit.
    qtype = cast(faiss.ScalarQuantizer, faiss.ScalarQuantizer.QT_8bit)
    index = faiss.IndexHNSWSQ(dim, qtype, M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    index.train(np.ascontiguousarray(sample[:TRAIN_SAMPLE], dtype=np.float32))
    return Graph(index, [], [], epoch)


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def save_graph(graph: Graph, path: Path) -> None:
    """Write the graph beside the store: a new data file, then the JSON that names it."""
    token = uuid.uuid4().hex[:12]
    data = path.with_name(f"{path.name}.{token}")
    faiss.write_index(graph.index, str(data))
    meta = {
        "file": data.name,
        "bytes": data.stat().st_size,
        "epoch": graph.epoch,
        "pids": graph.pids,
        "seqs": graph.seqs,
    }
    tmp = path.with_name(f"{path.name}.json.{token}")
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, _meta_path(path))
    for old in path.parent.glob(f"{path.name}.*"):  # earlier graphs; best effort
        if old.name not in (data.name, _meta_path(path).name) and not old.name.startswith(
            f"{path.name}.json."
        ):
            with contextlib.suppress(OSError):
                old.unlink()


def load_graph(path: Path, epoch: int) -> Graph | None:
    """The saved graph if it is intact and of this store `epoch` (else None: rebuild).

    Tried twice: another process may replace the file between reading the
    JSON and the data it names.
    """
    for _ in range(2):
        try:
            meta = json.loads(_meta_path(path).read_text(encoding="utf-8"))
            data = path.with_name(meta["file"])
            if meta["epoch"] != epoch or data.stat().st_size != meta["bytes"]:
                return None
            index = faiss.read_index(str(data))
        except (OSError, ValueError, KeyError, RuntimeError):
            continue
        if not isinstance(index, faiss.IndexHNSWSQ) or index.ntotal != len(meta["pids"]):
            return None
        return Graph(index, list(meta["pids"]), list(meta["seqs"]), epoch)
    return None


def remove_graph(path: Path) -> None:
    """Delete the saved graph (after the store was cleared)."""
    for old in [_meta_path(path), *path.parent.glob(f"{path.name}.*")]:
        with contextlib.suppress(OSError):
            old.unlink()
