"""The HNSW graph over a reader's slots (`search.vector_rows`): kept, caught up, walked.

When a user may see at least `ann_min` passages, candidates come from an
HNSW graph (`search.vector_ann`) and are re-scored exactly. The graph is a
cache saved beside the SQLite file (`<name>.hnsw*`): loaded if it is of the
same epoch and mostly still current, else rebuilt; passages added since are
added to it before a search walks it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from search.embeddings import DIM
from search.vector_ann import TRAIN_SAMPLE, Graph, load_graph, new_graph, save_graph
from search.vector_rows import Rows

__all__ = [
    "ANN_MAX_K",
    "ANN_MIN_EF",
    "ANN_MIN_SHARE",
    "ANN_OVERFETCH",
    "ANN_SAVE_MIN",
    "GraphCache",
]

#: Passages fetched from the graph per document wanted (a document has several near ones).
ANN_OVERFETCH = 4
#: Smallest HNSW search beam (efSearch).
ANN_MIN_EF = 128
#: Largest graph window (efSearch = k) before falling back to the exact search.
ANN_MAX_K = 8192
#: Share of the store a user must be able to see for the graph walk (or `ann_min` passages):
#: the walk passes over forbidden passages, so its beam widens as the share falls.
ANN_MIN_SHARE = 0.1
#: Save the graph once this many passages (or 5% of it) were added since the last save.
ANN_SAVE_MIN = 10_000


class GraphCache:
    """The graph over `rows` of store epoch `epoch`, saved at `path`; None until needed."""

    def __init__(self, rows: Rows, path: Path, epoch: int) -> None:
        self.rows = rows
        self.path = path
        self.epoch = epoch
        self.graph: Graph | None = None
        self.label_slot = np.zeros(0, dtype=np.int64)  # graph label -> slot, -1 if gone
        self.unsaved = 0  # graph labels added since it was last saved
        self.labels_are_slots = False  # label i is slot i: the mask needs no translation

    def ensure(self) -> Graph:
        """The graph, holding every live slot: loaded or built, then caught up."""
        rows = self.rows
        graph = self.graph
        if graph is None:
            graph = load_graph(self.path, self.epoch)
            if graph is not None:
                label_slot = np.full(graph.size, -1, dtype=np.int64)
                for label, (pid, seq) in enumerate(zip(graph.pids, graph.seqs, strict=True)):
                    slot = rows.slot.get(pid)
                    if slot is not None and rows.row_seq[slot] == seq:  # unchanged since
                        label_slot[label] = slot
                live = label_slot[label_slot >= 0]
                if 2 * len(live) < graph.size:  # mostly stale: cheaper to rebuild
                    graph = None
                else:
                    self.label_slot = label_slot
                    rows.covered[:] = False
                    rows.covered[live] = True
            if graph is None:
                live = np.flatnonzero(rows.valid[: rows.used])
                rng = np.random.default_rng(0)
                sample = rng.choice(live, size=min(len(live), TRAIN_SAMPLE), replace=False)
                graph = new_graph(DIM, rows.matrix[np.sort(sample)], self.epoch)
                self.label_slot = np.zeros(0, dtype=np.int64)
                rows.covered[:] = False
            self.graph = graph
            self.labels_are_slots = bool(
                np.array_equal(self.label_slot, np.arange(len(self.label_slot)))
            )
            self.unsaved = 0
        missing = np.flatnonzero(rows.valid[: rows.used] & ~rows.covered[: rows.used])
        if len(missing):
            for i in range(0, len(missing), 50_000):
                part = missing[i : i + 50_000]
                graph.add(rows.matrix[part], [rows.pids[s] for s in part],
                          rows.row_seq[part].tolist())  # fmt: skip
            self.label_slot = np.concatenate([self.label_slot, missing])
            rows.covered[missing] = True
            self.unsaved += len(missing)
            self.labels_are_slots = bool(
                np.array_equal(self.label_slot, np.arange(len(self.label_slot)))
            )
        if self.unsaved and self.unsaved >= max(ANN_SAVE_MIN, graph.size // 20):
            save_graph(graph, self.path)
            self.unsaved = 0
        return graph

    def candidates(self, q: np.ndarray, mask: np.ndarray, want: int) -> np.ndarray | None:
        """Slots of the nearest permitted passages covering `want` documents, or None.

        The permission mask is applied inside the graph walk, so every
        candidate is visible. The window grows once (x4) if the nearest
        passages crowd into too few documents; if it still falls short, None
        asks for the exact search over the permitted passages.
        """
        graph = self.ensure()
        rows = self.rows
        if self.labels_are_slots:
            allowed = mask[: graph.size]
        else:
            known = self.label_slot >= 0
            allowed = np.zeros(graph.size, dtype=bool)
            allowed[known] = mask[self.label_slot[known]]
        visible = int(np.count_nonzero(allowed))
        # The walk visits forbidden passages too: widen the beam as fewer are allowed.
        widen = 1 / max(visible / graph.size, ANN_MIN_SHARE)
        k = max(ANN_OVERFETCH * want, 40)
        for _ in range(2):
            k = min(k, visible, ANN_MAX_K)
            labels = graph.search(q, k, allowed, ef=int(max(k, ANN_MIN_EF) * widen))
            slots = np.unique(self.label_slot[labels[labels >= 0]])
            if len(np.unique(rows.docnum[slots])) >= want:
                return slots
            if k >= min(visible, ANN_MAX_K):
                break
            k *= 4
        return None

    def flush(self) -> None:
        """Save the graph if it has labels added since it was last saved."""
        if self.unsaved and self.graph is not None:
            save_graph(self.graph, self.path)
            self.unsaved = 0
