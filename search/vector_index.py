"""Embedded vector index: passage vectors in SQLite, searched in memory, exact or HNSW.

Why it looks the way it does:

* **Exact below a size, HNSW above.** Exact numpy search needs no recall
  tuning and is fast for a district's library (5-7 ms for 200,000 x 384),
  but it reads every vector: ~100 ms+ at a million. When a user may see at
  least `ann_min` passages (MIZAN_VECTOR_ANN_MIN), candidates come from an
  HNSW graph (`search.vector_ann`) and are re-scored exactly; below it the
  search is exact over just the permitted passages (a small permitted set
  would make the graph walk long and its recall poor).
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

import datetime
import json
import sqlite3
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.embeddings import DIM
from search.port import FILTER_FIELDS, Passage, SearchUnavailableError
from search.vector_ann import TRAIN_SAMPLE, Graph, load_graph, new_graph, remove_graph, save_graph
from search.vector_port import (
    DocumentMatch,
    PassageMatch,
    VectorIndex,
    VectorResult,
    check_vectors,
    query_matrix,
)

__all__ = ["SqliteVectorIndex"]

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


@dataclass(frozen=True)
class _Meta:
    """What a reader keeps in memory per passage (the text stays on disk)."""

    doc_id: str
    kind: str
    title: str
    acl: tuple[str, ...]
    case_id: str | None
    doc_type: str | None
    page: int | None
    language: str
    date: str | None
    # Structured fields (rows written before they existed have none).
    court: str | None = None
    district: str | None = None
    sections: tuple[str, ...] = ()
    year: int | None = None

    def filter_values(self, key: str) -> tuple[str, ...]:
        """The values an exact filter `key` matches; year_from/year_to use "year"."""
        if key == "section":
            return self.sections
        if key == "year":
            return () if self.year is None else (str(self.year),)
        if key in _RANGE_FILTERS:
            return ()
        value = getattr(self, key)  # the other FILTER_FIELDS are attribute names
        return () if value is None else (value,)


_RANGE_FILTERS = ("year_from", "year_to")


def _meta_json(p: Passage) -> str:
    return json.dumps(
        {
            "kind": p.kind,
            "title": p.title,
            "acl": list(p.acl),
            "case_id": p.case_id,
            "doc_type": p.doc_type,
            "page": p.page,
            "language": p.language,
            "date": p.date.isoformat() if p.date else None,
            "court": p.court,
            "district": p.district,
            "sections": list(p.sections),
            "year": p.year if p.year is not None else (p.date.year if p.date else None),
        },
        ensure_ascii=False,
    )


#: Visible passages from which search is approximate (HNSW); below it, exact.
DEFAULT_ANN_MIN = 100_000
#: Passages fetched from the graph per document wanted (a document has several near ones).
ANN_OVERFETCH = 4
#: Smallest HNSW search beam (efSearch).
ANN_MIN_EF = 128
#: Largest graph window (efSearch = k) before falling back to the exact search.
ANN_MAX_K = 8192
#: (principals, filters) whose visible slots are kept between searches (at a million
#: passages up to ~9 MB each).
VISIBLE_CACHE = 8
#: Save the graph once this many passages (or 5% of it) were added since the last save.
ANN_SAVE_MIN = 10_000


class SqliteVectorIndex(VectorIndex):
    """Vectors of passages in `path` (a SQLite file), searched exactly in memory."""

    def __init__(
        self, path: Path, *, busy_timeout: float = 30.0, ann_min: int | None = DEFAULT_ANN_MIN
    ) -> None:
        """`ann_min`: visible passages from which a search walks the HNSW graph instead of
        comparing with every one (None: always exact; see MIZAN_VECTOR_ANN_MIN)."""
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

    def _write(self, change) -> None:  # type: ignore[no-untyped-def]
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
            (p.id, p.doc_id, _meta_json(p), p.text, v.tobytes())
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

    def _reset(self) -> None:
        self._seq = -1
        self._epoch = -1
        self._matrix = np.zeros((0, DIM), dtype=np.float32)
        self._used = 0  # rows of _matrix in use (valid or holes)
        self._valid = np.zeros(0, dtype=bool)
        self._row_seq = np.zeros(0, dtype=np.int64)  # store sequence each slot was written at
        self._docnum = np.zeros(0, dtype=np.int64)  # document number of each slot
        self._doc_number: dict[str, int] = {}
        self._doc_names: list[str] = []
        self._pids: list[str | None] = []
        self._metas: list[_Meta | None] = []
        self._slot: dict[str, int] = {}
        self._by_principal: dict[str, set[int]] = {}
        self._by_filter: dict[tuple[str, str], set[int]] = {}
        self._changed()
        # HNSW graph over the slots (see search.vector_ann); None until a search needs it.
        self._graph: Graph | None = None
        self._label_slot = np.zeros(0, dtype=np.int64)  # graph label -> slot, -1 if gone
        self._covered = np.zeros(0, dtype=bool)  # slots already in the graph
        self._unsaved = 0  # graph labels added since it was last saved
        self._labels_are_slots = False  # label i is slot i: the mask needs no translation

    def _changed(self) -> None:
        """Forget what is derived from the slots (rebuilt by the next search that needs it)."""
        self._arrays: dict[tuple[str, str], np.ndarray] = {}
        self._order: np.ndarray | None = None
        self._year_values: list[tuple[int, str]] | None = None
        self._visible_cache: dict[object, tuple[np.ndarray, np.ndarray, int]] = {}

    def _years(self) -> list[tuple[int, str]]:
        """The years passages have, as (year, filter value) (cached: the filter keys include
        every doc_id, too many to scan per search)."""
        if self._year_values is None:
            self._year_values = [(int(v), v) for k, v in self._by_filter if k == "year"]
        return self._year_values

    def _grow(self, extra: int) -> None:
        need = self._used + extra
        if need <= len(self._matrix):
            return
        cap = max(need, 2 * len(self._matrix), 1024)
        matrix = np.zeros((cap, DIM), dtype=np.float32)
        matrix[: self._used] = self._matrix[: self._used]
        self._matrix = matrix
        for name, dtype in (("_valid", bool), ("_row_seq", np.int64), ("_docnum", np.int64),
                            ("_covered", bool)):  # fmt: skip
            grown = np.zeros(cap, dtype=dtype)
            grown[: self._used] = getattr(self, name)[: self._used]
            setattr(self, name, grown)

    def _drop(self, pid: str) -> None:
        slot = self._slot.pop(pid, None)
        if slot is None:
            return
        meta = self._metas[slot]
        assert meta is not None
        for principal in meta.acl:
            self._by_principal.get(principal, set()).discard(slot)
        for key in FILTER_FIELDS:
            for value in meta.filter_values(key):
                self._by_filter.get((key, value), set()).discard(slot)
        self._valid[slot] = False
        self._metas[slot] = None
        self._pids[slot] = None
        self._changed()

    def _add(self, rows: list[tuple[str, str, str, bytes, int]]) -> None:
        self._grow(len(rows))
        for pid, doc_id, meta_json, vec, seq in rows:
            self._drop(pid)
            m = json.loads(meta_json)
            meta = _Meta(
                doc_id=doc_id,
                kind=m["kind"],
                title=m["title"],
                acl=tuple(m["acl"]),
                case_id=m["case_id"],
                doc_type=m["doc_type"],
                page=m["page"],
                language=m["language"],
                date=m["date"],
                court=m.get("court"),
                district=m.get("district"),
                sections=tuple(m.get("sections") or ()),
                year=m.get("year"),
            )
            slot = self._used
            self._used += 1
            self._matrix[slot] = np.frombuffer(vec, dtype=np.float32)
            self._valid[slot] = True
            self._row_seq[slot] = seq
            number = self._doc_number.get(doc_id)
            if number is None:
                number = self._doc_number[doc_id] = len(self._doc_names)
                self._doc_names.append(doc_id)
            self._docnum[slot] = number
            self._pids.append(pid)
            self._metas.append(meta)
            self._slot[pid] = slot
            for principal in meta.acl:
                self._by_principal.setdefault(principal, set()).add(slot)
            for key in FILTER_FIELDS:
                for value in meta.filter_values(key):
                    self._by_filter.setdefault((key, value), set()).add(slot)
        self._changed()

    def _refresh(self) -> None:
        """Catch up with commits made since the last search, by any process."""
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot for the state and the rows
        try:
            state = dict(conn.execute("SELECT key, value FROM state").fetchall())
            holes = self._used - len(self._slot)
            if state["epoch"] != self._epoch or holes > max(1000, len(self._slot)):
                self._reset()  # after a clear, or to compact away deleted rows
                self._epoch = state["epoch"]
            if state["seq"] != self._seq:
                since = self._seq
                for (pid,) in conn.execute("SELECT pid FROM tombstones WHERE seq > ?", (since,)):
                    self._drop(pid)
                rows = conn.execute(
                    "SELECT pid, doc_id, meta, vec, seq FROM passages WHERE seq > ? "
                    "ORDER BY seq, rowid",
                    (since,),
                ).fetchall()
                self._add(rows)
                self._seq = state["seq"]
        finally:
            conn.execute("COMMIT")

    # -- the HNSW graph ------------------------------------------------------

    @property
    def graph_path(self) -> Path:
        """Where the HNSW graph is saved: beside the SQLite file (a cache of it)."""
        return self.path.with_suffix(".hnsw")

    def _uses_graph(self, visible: int) -> bool:
        return self.ann_min is not None and min(visible, len(self._slot)) >= self.ann_min

    def _ensure_graph(self) -> Graph:
        """The graph, holding every live slot: loaded or built, then caught up."""
        graph = self._graph
        if graph is None:
            graph = load_graph(self.graph_path, self._epoch)
            if graph is not None:
                label_slot = np.full(graph.size, -1, dtype=np.int64)
                for label, (pid, seq) in enumerate(zip(graph.pids, graph.seqs, strict=True)):
                    slot = self._slot.get(pid)
                    if slot is not None and self._row_seq[slot] == seq:  # unchanged since
                        label_slot[label] = slot
                live = label_slot[label_slot >= 0]
                if 2 * len(live) < graph.size:  # mostly stale: cheaper to rebuild
                    graph = None
                else:
                    self._label_slot = label_slot
                    self._covered[:] = False
                    self._covered[live] = True
            if graph is None:
                live = np.flatnonzero(self._valid[: self._used])
                rng = np.random.default_rng(0)
                sample = rng.choice(live, size=min(len(live), TRAIN_SAMPLE), replace=False)
                graph = new_graph(DIM, self._matrix[np.sort(sample)], self._epoch)
                self._label_slot = np.zeros(0, dtype=np.int64)
                self._covered[:] = False
            self._graph = graph
            self._labels_are_slots = bool(
                np.array_equal(self._label_slot, np.arange(len(self._label_slot)))
            )
            self._unsaved = 0
        missing = np.flatnonzero(self._valid[: self._used] & ~self._covered[: self._used])
        if len(missing):
            for i in range(0, len(missing), 50_000):
                part = missing[i : i + 50_000]
                graph.add(self._matrix[part], [self._pids[s] for s in part],  # type: ignore[misc]
                          self._row_seq[part].tolist())  # fmt: skip
            self._label_slot = np.concatenate([self._label_slot, missing])
            self._covered[missing] = True
            self._unsaved += len(missing)
            self._labels_are_slots = bool(
                np.array_equal(self._label_slot, np.arange(len(self._label_slot)))
            )
        if self._unsaved and self._unsaved >= max(ANN_SAVE_MIN, graph.size // 20):
            save_graph(graph, self.graph_path)
            self._unsaved = 0
        return graph

    def prepare(self) -> None:
        """Catch up with the store and, above the threshold, load or build the HNSW graph and
        save it (after `mizan reindex`, so the first search does not wait for the build)."""
        with self._lock:
            self._refresh()
            if self._uses_graph(len(self._slot)):
                self._ensure_graph()
                if self._unsaved:
                    save_graph(self._graph, self.graph_path)  # type: ignore[arg-type]
                    self._unsaved = 0

    def _graph_candidates(self, q: np.ndarray, mask: np.ndarray, want: int) -> np.ndarray | None:
        """Slots of the nearest permitted passages covering `want` documents, or None.

        The permission mask is applied inside the graph walk, so every
        candidate is visible. The window grows once (x4) if the nearest
        passages crowd into too few documents; if it still falls short, None
        asks for the exact search over the permitted passages.
        """
        graph = self._ensure_graph()
        if self._labels_are_slots:
            allowed = mask[: graph.size]
        else:
            known = self._label_slot >= 0
            allowed = np.zeros(graph.size, dtype=bool)
            allowed[known] = mask[self._label_slot[known]]
        visible = int(np.count_nonzero(allowed))
        # The walk visits forbidden passages too: widen the beam as fewer are allowed.
        widen = 1 / max(visible / graph.size, 0.25)
        k = max(ANN_OVERFETCH * want, 40)
        for _ in range(2):
            k = min(k, visible, ANN_MAX_K)
            labels = graph.search(q, k, allowed, ef=int(max(k, ANN_MIN_EF) * widen))
            slots = np.unique(self._label_slot[labels[labels >= 0]])
            if len(np.unique(self._docnum[slots])) >= want:
                return slots
            if k >= min(visible, ANN_MAX_K):
                break
            k *= 4
        return None

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
        how = (
            "exact" if self.ann_min is None else f"exact below {self.ann_min:,} visible, HNSW above"
        )
        return True, f"vectors ({how}; {DIM} dims): {n} passages at {self.path}"

    def _slots_of(self, key: tuple[str, str]) -> np.ndarray:
        """Slots with an acl principal (key "acl") or a filter value, as an array (cached)."""
        found = self._arrays.get(key)
        if found is None:
            group = self._by_principal.get(key[1], set()) if key[0] == "acl" else (
                self._by_filter.get(key, set()))  # fmt: skip
            found = np.fromiter(group, dtype=np.int64, count=len(group))
            self._arrays[key] = found
        return found

    def _mask(
        self, principals: Collection[str] | None, filters: Mapping[str, str] | None
    ) -> np.ndarray:
        mask = self._valid[: self._used].copy()
        groups: list[list[tuple[str, str]]] = []
        if principals is not None:
            groups.append([("acl", p) for p in set(principals)])
        for key, value in (filters or {}).items():
            if key not in FILTER_FIELDS:
                raise ValueError(f"unknown search filter {key!r}; allowed: {sorted(FILTER_FIELDS)}")
            if not isinstance(value, str):
                raise TypeError(f"search filter {key!r} needs a str value, got {value!r}")
            if key in _RANGE_FILTERS:
                if not value.strip().isdigit():
                    raise ValueError(f"search filter {key!r} needs a year, got {value!r}")
                bound = int(value)
                groups.append(
                    [
                        ("year", v)
                        for year, v in self._years()
                        if (year >= bound if key == "year_from" else year <= bound)
                    ]
                )
                continue
            groups.append([(key, value)])
        for group in groups:
            keep = np.zeros_like(mask)
            for key in group:
                keep[self._slots_of(key)] = True
            mask &= keep
        return mask

    def _visible(
        self, principals: Collection[str] | None, filters: Mapping[str, str] | None
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """The mask of visible slots, those slots grouped by document, and how many documents.

        Cached per (principals, filters) until the next change: the same user
        searching again skips these passes over every slot (~10 ms at a million).
        """
        key = (
            None if principals is None else frozenset(principals),
            tuple(sorted((filters or {}).items())),
        )
        found = self._visible_cache.get(key)
        if found is None:
            mask = self._mask(principals, filters)
            order = self._doc_order()
            rows = order[mask[order]].astype(np.int32)
            docs = self._docnum[rows]
            total = int(np.count_nonzero(docs[1:] != docs[:-1])) + 1 if len(rows) else 0
            found = (mask, rows, total)
            if len(self._visible_cache) >= VISIBLE_CACHE:
                self._visible_cache.pop(next(iter(self._visible_cache)))
            self._visible_cache[key] = found
        return found

    def _doc_order(self) -> np.ndarray:
        """All slots grouped by document (slot order within one), cached until a change."""
        if self._order is None:
            self._order = np.argsort(self._docnum[: self._used], kind="stable")
        return self._order

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
            self._refresh()
            mask, rows, total = self._visible(principals, filters)
            visible = len(rows)
            if not visible:
                return VectorResult(total=0, documents=())
            want = min(offset + limit, total)
            if want and self._uses_graph(visible) and want < total:
                found = self._graph_candidates(q, mask, want)
                if found is not None:  # else: exact over the visible passages
                    rows = found[np.argsort(self._docnum[found], kind="stable")]
            ranked = self._rank(rows, q, want)
            chosen = [
                (self._doc_names[number], score, members[:passages_per_doc])
                for number, score, members in ranked[offset:]
            ]
            texts = self._texts([self._pids[slot] for _, _, ps in chosen for slot, _ in ps])
            documents = tuple(
                DocumentMatch(
                    doc_id=doc_id,
                    score=score,
                    passages=tuple(
                        PassageMatch(self._passage(slot, texts), s) for slot, s in passages
                    ),
                )
                for doc_id, score, passages in chosen
            )
            return VectorResult(total=total, documents=documents)

    def _rank(
        self, rows: np.ndarray, q: np.ndarray, want: int
    ) -> list[tuple[int, float, list[tuple[int, float]]]]:
        """The best `want` documents among `rows` (slots grouped by document), best first.

        A document scores its best passage's cosine to any query part (see
        `VectorIndex.search`); ties by document id. Each comes with its passages, best first.
        Vectorised: at a million passages a Python loop over the visible
        passages cost more than the matrix product.
        """
        if not want or not len(rows):
            return []
        if len(rows) > self._used // 4:  # one pass over the matrix beats gathering rows
            sims = (self._matrix[: self._used] @ q.T)[rows]
        else:
            sims = self._matrix[rows] @ q.T
        docs = self._docnum[rows]
        starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
        ends = np.r_[starts[1:], len(rows)]
        scores = np.maximum.reduceat(sims, starts, axis=0).max(axis=1)
        if want < len(starts):  # every document tied with the want-th, for the id tie-break
            kth = np.partition(scores, len(scores) - want)[len(scores) - want]
            top = np.flatnonzero(scores >= kth)
        else:
            top = np.arange(len(starts))
        names = self._doc_names
        top_list = sorted(
            top.tolist(), key=lambda d: (-float(scores[d]), names[int(docs[starts[d]])])
        )[:want]
        passage_score = sims.max(axis=1)
        out = []
        for d in top_list:
            span = range(int(starts[d]), int(ends[d]))
            best = sorted(span, key=lambda i: -passage_score[i])
            out.append(
                (
                    int(docs[starts[d]]),
                    float(scores[d]),
                    [(int(rows[i]), float(passage_score[i])) for i in best],
                )
            )
        return out

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

    def _passage(self, slot: int, texts: Mapping[str, str]) -> Passage:
        meta, pid = self._metas[slot], self._pids[slot]
        assert meta is not None and pid is not None
        return Passage(
            id=pid,
            doc_id=meta.doc_id,
            kind=meta.kind,
            title=meta.title,
            text=texts.get(pid, ""),
            acl=meta.acl,
            case_id=meta.case_id,
            doc_type=meta.doc_type,
            page=meta.page,
            language=meta.language,
            date=datetime.date.fromisoformat(meta.date) if meta.date else None,
        )
