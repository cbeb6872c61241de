"""Embedded vector index: passage vectors in SQLite, searched in memory, exact or HNSW.

This module keeps the durable copy and the search; a reader's in-memory copy
and its masks are `search.vector_rows`, the HNSW graph over it
`search.vector_graph`.

Why it looks the way it does:

* **Exact below a size, HNSW above.** Exact numpy search needs no recall
  tuning and is fast for a district's library (5-7 ms for 200,000 x 384),
  but it reads every vector: ~100 ms+ at a million. Once the store holds
  `ann_min` passages (MIZAN_VECTOR_ANN_MIN), a user who may see at least
  `ann_min` of them, or `ANN_MIN_SHARE` of the store, gets candidates from an
  HNSW graph (`search.vector_ann`, the permission mask applied inside the
  walk), re-scored exactly; a smaller permitted set is searched exactly (the
  walk would be long and its recall poor, and exact over few is cheap).
  Measured at 200,000 passages: a district user seeing 40% of them went from
  ~30 ms (exact over every vector) to a few ms through the graph.
* **SQLite is the durable copy** (WAL, busy timeout): the web process and
  worker processes open the same file; a writer takes SQLite's write lock
  (`BEGIN IMMEDIATE`), so concurrent writers queue instead of corrupting
  anything, and a crash mid-write rolls back. The HNSW graph is a cache
  saved beside it (`<name>.hnsw*`), rebuilt or caught up from it.
* **Readers keep the matrix in memory and catch up incrementally.** Every
  write bumps a sequence number and leaves tombstones for what it removed;
  before each search a reader fetches only rows and tombstones newer than
  what it has (one indexed query when nothing changed), so a worker's
  upsert is visible to the web process on its next search; new passages
  are added to the graph then.
* **Permissions and filters are exact**, as in the text index: a passage
  whose acl does not meet the user's principals is masked out before
  ranking (inside the HNSW walk too), so it is never returned or counted;
  `total` is always the exact number of visible documents.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from search.embeddings import DIM
from search.port import Passage, SearchUnavailableError
from search.stages import stage
from search.vector_ann import remove_graph
from search.vector_graph import ANN_MIN_SHARE, GraphCache
from search.vector_port import (
    DocumentMatch,
    PassageMatch,
    VectorIndex,
    VectorResult,
    check_vectors,
    query_matrix,
)
from search.vector_rows import Rows, meta_json

__all__ = ["DEFAULT_ANN_MIN", "SqliteVectorIndex"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (
    pid TEXT PRIMARY KEY, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    meta TEXT NOT NULL, text TEXT NOT NULL, vec BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE INDEX IF NOT EXISTS passages_seq ON passages(seq);
CREATE TABLE IF NOT EXISTS tombstones (pid TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tombstones_seq ON tombstones(seq);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO state VALUES ('seq', 0), ('epoch', 0);
"""

#: Stored passages from which search may be approximate (HNSW); below it, exact.
DEFAULT_ANN_MIN = 100_000


class SqliteVectorIndex(VectorIndex):
    """Vectors of passages in `path` (a SQLite file), searched exactly in memory."""

    def __init__(
        self, path: Path, *, busy_timeout: float = 30.0, ann_min: int | None = DEFAULT_ANN_MIN
    ) -> None:
        """`ann_min`: stored (and visible, or `ANN_MIN_SHARE` of them) passages from which
        a search walks the HNSW graph instead of comparing with every one (None: always
        exact; see MIZAN_VECTOR_ANN_MIN)."""
        self.path = Path(path)
        self.ann_min = ann_min
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._lock = threading.RLock()
        with self._conn() as conn:
            conn.executescript(_SCHEMA)
        self._reset()

    # -- connection --------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _write(self, change: Callable[[sqlite3.Connection, int], None]) -> None:
        """Run `change(conn, seq)` in one write transaction at the next sequence number."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")  # the cross-process writer lock
        except sqlite3.OperationalError as exc:
            raise SearchUnavailableError(
                "The search index is busy: another process is writing to it. Try again shortly."
            ) from exc
        try:
            seq = conn.execute("SELECT value FROM state WHERE key='seq'").fetchone()[0] + 1
            change(conn, seq)
            conn.execute("UPDATE state SET value=? WHERE key='seq'", (seq,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- writing -----------------------------------------------------------

    def upsert(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        if not passages:
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        check_vectors(passages, vectors)
        doc_ids = list(dict.fromkeys(p.doc_id for p in passages))
        rows = [
            (p.id, p.doc_id, meta_json(p), p.text, v.tobytes())
            for p, v in zip(passages, vectors, strict=True)
        ]

        def change(conn: sqlite3.Connection, seq: int) -> None:
            self._remove(conn, seq, doc_ids, [p.id for p in passages])
            conn.executemany(
                "INSERT INTO passages (pid, doc_id, seq, meta, text, vec) VALUES (?,?,?,?,?,?)",
                [(pid, doc, seq, meta, text, vec) for pid, doc, meta, text, vec in rows],
            )

        self._write(change)

    @staticmethod
    def _remove(
        conn: sqlite3.Connection, seq: int, doc_ids: Sequence[str], pids: Sequence[str] = ()
    ) -> None:
        for doc_id in doc_ids:
            conn.execute(
                "INSERT INTO tombstones SELECT pid, ? FROM passages WHERE doc_id=?", (seq, doc_id)
            )
            conn.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
        for pid in pids:  # a passage id that moved to another document
            conn.execute(
                "INSERT INTO tombstones SELECT pid, ? FROM passages WHERE pid=?", (seq, pid)
            )
            conn.execute("DELETE FROM passages WHERE pid=?", (pid,))

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(doc_ids))
        if ids:
            self._write(lambda conn, seq: self._remove(conn, seq, ids))

    def clear(self) -> None:
        def change(conn: sqlite3.Connection, seq: int) -> None:
            conn.execute("DELETE FROM passages")
            conn.execute("DELETE FROM tombstones")
            conn.execute("UPDATE state SET value = value + 1 WHERE key='epoch'")

        self._write(change)
        remove_graph(self.graph_path)  # of the old epoch: no reader would load it anyway

    # -- the in-memory copy --------------------------------------------------

    def _reset(self, epoch: int = -1) -> None:
        """Start the in-memory copy (and its graph) afresh, for store epoch `epoch`."""
        self._seq = -1
        self._epoch = epoch
        self._rows = Rows()
        self._ann = GraphCache(self._rows, self.graph_path, epoch)

    def _refresh(self) -> None:
        """Catch up with commits made since the last search, by any process."""
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot for the state and the rows
        try:
            state = dict(conn.execute("SELECT key, value FROM state").fetchall())
            holes = self._rows.used - len(self._rows.slot)
            if state["epoch"] != self._epoch or holes > max(1000, len(self._rows.slot)):
                self._reset(state["epoch"])  # after a clear, or to compact away deleted rows
            if state["seq"] != self._seq:
                since = self._seq
                for (pid,) in conn.execute("SELECT pid FROM tombstones WHERE seq > ?", (since,)):
                    self._rows.drop(pid)
                rows = conn.execute(
                    "SELECT pid, doc_id, meta, vec, seq FROM passages WHERE seq > ? "
                    "ORDER BY seq, rowid",
                    (since,),
                ).fetchall()
                self._rows.add(rows)
                self._seq = state["seq"]
        finally:
            conn.execute("COMMIT")

    # -- the HNSW graph ------------------------------------------------------

    @property
    def graph_path(self) -> Path:
        """Where the HNSW graph is saved: beside the SQLite file (a cache of it)."""
        return self.path.with_suffix(".hnsw")

    def _uses_graph(self, visible: int) -> bool:
        stored = len(self._rows.slot)
        return (
            self.ann_min is not None
            and stored >= self.ann_min
            and visible >= min(self.ann_min, ANN_MIN_SHARE * stored)
        )

    def prepare(self) -> None:
        """Catch up with the store and, above the threshold, load or build the HNSW graph and
        save it (after `mizan reindex`, so the first search does not wait for the build)."""
        with self._lock:
            self._refresh()
            if self._uses_graph(len(self._rows.slot)):
                self._ann.ensure()
                self._ann.flush()

    # -- reading -----------------------------------------------------------

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM passages").fetchone()[0])

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        parts: dict[str, list[str]] = {}
        conn = self._conn()
        wanted = list(dict.fromkeys(doc_ids))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT doc_id, text FROM passages WHERE doc_id IN ({marks}) ORDER BY rowid"
            for doc_id, text in conn.execute(sql, chunk):
                parts.setdefault(doc_id, []).append(text)
        return {doc_id: "\n\n".join(texts) for doc_id, texts in parts.items()}

    def doc_ids(self) -> set[str]:
        return {r[0] for r in self._conn().execute("SELECT DISTINCT doc_id FROM passages")}

    def ping(self) -> tuple[bool, str]:
        try:
            n = self.count()
        except Exception as exc:
            return False, f"vector index at {self.path}: {exc}"
        how = "exact" if self.ann_min is None else f"exact below {self.ann_min:,}, HNSW above"
        return True, f"vectors ({how}; {DIM} dims): {n} passages at {self.path}"

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
        q = query_matrix(vectors, limit, offset)
        with self._lock:
            with stage("store catch-up"):
                self._refresh()
            with stage("permission filter"):
                mask, rows, total = self._rows.visible(principals, filters)
            visible = len(rows)
            if not visible:
                return VectorResult(total=0, documents=())
            want = min(offset + limit, total)
            if want and self._uses_graph(visible) and want < total:
                with stage("engine"):
                    found = self._ann.candidates(q, mask, want)
                if found is not None:  # else: exact over the visible passages
                    rows = found[np.argsort(self._rows.docnum[found], kind="stable")]
            with stage("exact scores"):
                ranked = self._rows.rank(rows, q, want)
            chosen = [
                (self._rows.doc_names[number], score, members[:passages_per_doc])
                for number, score, members in ranked[offset:]
            ]
            with stage("stored fields"):
                texts = self._texts(
                    [self._rows.pids[slot] for _, _, ps in chosen for slot, _ in ps]
                )
            documents = tuple(
                DocumentMatch(
                    doc_id=doc_id,
                    score=score,
                    passages=tuple(
                        PassageMatch(self._rows.passage(slot, texts), s) for slot, s in passages
                    ),
                )
                for doc_id, score, passages in chosen
            )
            return VectorResult(total=total, documents=documents)

    def _texts(self, pids: Sequence[str | None]) -> dict[str, str]:
        wanted = [p for p in pids if p is not None]
        out: dict[str, str] = {}
        conn = self._conn()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT pid, text FROM passages WHERE pid IN ({marks})"
            out.update(conn.execute(sql, chunk))
        return out
