"""Embedded vector index: passage vectors in SQLite, exact search with numpy.

Why it looks the way it does:

* **Exact search.** design.md measured exact numpy search at 5-7 ms for
  200,000 x 384 float32 on two cores; that is fast enough for a district's
  library, and exact results need no recall tuning. (Beyond that, an HNSW
  index would replace `_scores`; the port does not change.)
* **SQLite is the durable copy** (WAL, busy timeout): the web process and
  worker processes open the same file; a writer takes SQLite's write lock
  (`BEGIN IMMEDIATE`), so concurrent writers queue instead of corrupting
  anything, and a crash mid-write rolls back.
* **Readers keep the matrix in memory and catch up incrementally.** Every
  write bumps a sequence number and leaves tombstones for what it removed;
  before each search a reader fetches only rows and tombstones newer than
  what it has (one indexed query when nothing changed), so a worker's
  upsert is visible to the web process on its next search.
* **Permissions and filters before ranking**: a passage whose acl does not
  meet the user's principals is masked out before scores are ranked, so it
  is never returned or counted, as in the text index.
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
from search.vector_port import (
    DocumentMatch,
    PassageMatch,
    VectorIndex,
    VectorResult,
    check_vectors,
    query_matrix,
    rank_documents,
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


class SqliteVectorIndex(VectorIndex):
    """Vectors of passages in `path` (a SQLite file), searched exactly in memory."""

    def __init__(self, path: Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
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

    # -- the in-memory copy --------------------------------------------------

    def _reset(self) -> None:
        self._seq = -1
        self._epoch = -1
        self._matrix = np.zeros((0, DIM), dtype=np.float32)
        self._used = 0  # rows of _matrix in use (valid or holes)
        self._valid = np.zeros(0, dtype=bool)
        self._pids: list[str | None] = []
        self._metas: list[_Meta | None] = []
        self._slot: dict[str, int] = {}
        self._by_principal: dict[str, set[int]] = {}
        self._by_filter: dict[tuple[str, str], set[int]] = {}

    def _grow(self, extra: int) -> None:
        need = self._used + extra
        if need <= len(self._matrix):
            return
        cap = max(need, 2 * len(self._matrix), 1024)
        matrix = np.zeros((cap, DIM), dtype=np.float32)
        matrix[: self._used] = self._matrix[: self._used]
        valid = np.zeros(cap, dtype=bool)
        valid[: self._used] = self._valid[: self._used]
        self._matrix, self._valid = matrix, valid

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

    def _add(self, rows: list[tuple[str, str, str, bytes]]) -> None:
        self._grow(len(rows))
        for pid, doc_id, meta_json, vec in rows:
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
            self._pids.append(pid)
            self._metas.append(meta)
            self._slot[pid] = slot
            for principal in meta.acl:
                self._by_principal.setdefault(principal, set()).add(slot)
            for key in FILTER_FIELDS:
                for value in meta.filter_values(key):
                    self._by_filter.setdefault((key, value), set()).add(slot)

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
                    "SELECT pid, doc_id, meta, vec FROM passages WHERE seq > ? ORDER BY seq",
                    (since,),
                ).fetchall()
                self._add(rows)
                self._seq = state["seq"]
        finally:
            conn.execute("COMMIT")

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
        return True, f"vectors (exact, {DIM} dims): {n} passages at {self.path}"

    def _mask(
        self, principals: Collection[str] | None, filters: Mapping[str, str] | None
    ) -> np.ndarray:
        mask = self._valid[: self._used].copy()
        groups: list[set[int]] = []
        if principals is not None:
            allowed = set().union(*(self._by_principal.get(p, set()) for p in set(principals)))
            groups.append(allowed)
        for key, value in (filters or {}).items():
            if key not in FILTER_FIELDS:
                raise ValueError(f"unknown search filter {key!r}; allowed: {sorted(FILTER_FIELDS)}")
            if not isinstance(value, str):
                raise TypeError(f"search filter {key!r} needs a str value, got {value!r}")
            if key in _RANGE_FILTERS:
                if not value.strip().isdigit():
                    raise ValueError(f"search filter {key!r} needs a year, got {value!r}")
                bound = int(value)
                years = [
                    slots
                    for (k, v), slots in self._by_filter.items()
                    if k == "year" and (int(v) >= bound if key == "year_from" else int(v) <= bound)
                ]
                groups.append(set().union(*years))
                continue
            groups.append(self._by_filter.get((key, value), set()))
        for group in groups:
            keep = np.zeros_like(mask)
            if group:
                keep[np.fromiter(group, dtype=np.int64, count=len(group))] = True
            mask &= keep
        return mask

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
            mask = self._mask(principals, filters)
            rows = np.flatnonzero(mask)
            if not len(rows):
                return VectorResult(total=0, documents=())
            sims = (self._matrix[: self._used] @ q.T)[rows]  # (passages, query parts)
            doc_names = [self._metas[r].doc_id for r in rows]  # type: ignore[union-attr]
            ranked, groups = rank_documents(doc_names, sims)
            page = ranked[offset : offset + limit]
            passage_score = sims.max(axis=1)
            chosen: list[tuple[str, float, list[tuple[int, float]]]] = []
            for doc_id, score in page:
                members = groups[doc_id]
                best = sorted(members, key=lambda i: -passage_score[i])[:passages_per_doc]
                chosen.append(
                    (doc_id, score, [(int(rows[i]), float(passage_score[i])) for i in best])
                )
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
            return VectorResult(total=len(ranked), documents=documents)

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
