"""A reader's in-memory copy of the vector index: one slot per passage, and its masks.

The vectors sit in one float32 matrix (a slot per passage, holes where one was
removed until the copy is compacted), with each passage's metadata beside it
and, per acl principal and filter value, the set of slots that have it.
**Permissions and filters are exact**: a passage whose acl does not meet the
user's principals is masked out before ranking, so it is never returned or
counted. `search.vector_index` keeps this copy in step with SQLite;
`search.vector_graph` walks the HNSW graph over the same slots.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from search.embeddings import DIM
from search.port import FILTER_FIELDS, Passage

__all__ = ["VISIBLE_CACHE", "PassageMeta", "Rows", "meta_json"]

#: (principals, filters) whose visible slots are kept between searches (at a million
#: passages up to ~9 MB each).
VISIBLE_CACHE = 8


@dataclass(frozen=True)
class PassageMeta:
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
        if key in RANGE_FILTERS:
            return ()
        value = getattr(self, key)  # the other FILTER_FIELDS are attribute names
        return () if value is None else (value,)


RANGE_FILTERS = ("year_from", "year_to")


def meta_json(p: Passage) -> str:
    """The stored JSON of what a reader keeps per passage (see `PassageMeta`)."""
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


class Rows:
    """The slots: vectors, metadata, and the principal and filter indexes over them."""

    def __init__(self) -> None:
        self.matrix = np.zeros((0, DIM), dtype=np.float32)
        self.used = 0  # rows of matrix in use (valid or holes)
        self.valid = np.zeros(0, dtype=bool)
        self.row_seq = np.zeros(0, dtype=np.int64)  # store sequence each slot was written at
        self.docnum = np.zeros(0, dtype=np.int64)  # document number of each slot
        self.doc_number: dict[str, int] = {}
        self.doc_names: list[str] = []
        self.pids: list[str | None] = []
        self.metas: list[PassageMeta | None] = []
        self.slot: dict[str, int] = {}
        self.by_principal: dict[str, set[int]] = {}
        self.by_filter: dict[tuple[str, str], set[int]] = {}
        self.covered = np.zeros(0, dtype=bool)  # slots already in the HNSW graph
        self._changed()

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
            self._year_values = [(int(v), v) for k, v in self.by_filter if k == "year"]
        return self._year_values

    def _grow(self, extra: int) -> None:
        need = self.used + extra
        if need <= len(self.matrix):
            return
        cap = max(need, 2 * len(self.matrix), 1024)
        matrix = np.zeros((cap, DIM), dtype=np.float32)
        matrix[: self.used] = self.matrix[: self.used]
        self.matrix = matrix
        for name, dtype in (("valid", bool), ("row_seq", np.int64), ("docnum", np.int64),
                            ("covered", bool)):  # fmt: skip
            grown = np.zeros(cap, dtype=dtype)
            grown[: self.used] = getattr(self, name)[: self.used]
            setattr(self, name, grown)

    def drop(self, pid: str) -> None:
        """Forget passage `pid`: its slot becomes a hole."""
        slot = self.slot.pop(pid, None)
        if slot is None:
            return
        meta = self.metas[slot]
        assert meta is not None
        for principal in meta.acl:
            self.by_principal.get(principal, set()).discard(slot)
        for key in FILTER_FIELDS:
            for value in meta.filter_values(key):
                self.by_filter.get((key, value), set()).discard(slot)
        self.valid[slot] = False
        self.metas[slot] = None
        self.pids[slot] = None
        self._changed()

    def add(self, rows: list[tuple[str, str, str, bytes, int]]) -> None:
        """New slots for (pid, doc_id, meta JSON, vector bytes, sequence) rows, replacing any
        earlier slot of the same passage."""
        self._grow(len(rows))
        for pid, doc_id, stored, vec, seq in rows:
            self.drop(pid)
            m = json.loads(stored)
            meta = PassageMeta(
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
            slot = self.used
            self.used += 1
            self.matrix[slot] = np.frombuffer(vec, dtype=np.float32)
            self.valid[slot] = True
            self.row_seq[slot] = seq
            number = self.doc_number.get(doc_id)
            if number is None:
                number = self.doc_number[doc_id] = len(self.doc_names)
                self.doc_names.append(doc_id)
            self.docnum[slot] = number
            self.pids.append(pid)
            self.metas.append(meta)
            self.slot[pid] = slot
            for principal in meta.acl:
                self.by_principal.setdefault(principal, set()).add(slot)
            for key in FILTER_FIELDS:
                for value in meta.filter_values(key):
                    self.by_filter.setdefault((key, value), set()).add(slot)
        self._changed()

    def _slots_of(self, key: tuple[str, str]) -> np.ndarray:
        """Slots with an acl principal (key "acl") or a filter value, as an array (cached)."""
        found = self._arrays.get(key)
        if found is None:
            group = self.by_principal.get(key[1], set()) if key[0] == "acl" else (
                self.by_filter.get(key, set()))  # fmt: skip
            found = np.fromiter(group, dtype=np.int64, count=len(group))
            self._arrays[key] = found
        return found

    def mask(
        self, principals: Collection[str] | None, filters: Mapping[str, str] | None
    ) -> np.ndarray:
        """Which slots the principals may see and the filters keep (a bad filter raises)."""
        mask = self.valid[: self.used].copy()
        groups: list[list[tuple[str, str]]] = []
        if principals is not None:
            groups.append([("acl", p) for p in set(principals)])
        for key, value in (filters or {}).items():
            if key not in FILTER_FIELDS:
                raise ValueError(f"unknown search filter {key!r}; allowed: {sorted(FILTER_FIELDS)}")
            if not isinstance(value, str):
                raise TypeError(f"search filter {key!r} needs a str value, got {value!r}")
            if key in RANGE_FILTERS:
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
            for pair in group:
                keep[self._slots_of(pair)] = True
            mask &= keep
        return mask

    def visible(
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
            mask = self.mask(principals, filters)
            order = self._doc_order()
            rows = order[mask[order]].astype(np.int32)
            docs = self.docnum[rows]
            total = int(np.count_nonzero(docs[1:] != docs[:-1])) + 1 if len(rows) else 0
            found = (mask, rows, total)
            if len(self._visible_cache) >= VISIBLE_CACHE:
                self._visible_cache.pop(next(iter(self._visible_cache)))
            self._visible_cache[key] = found
        return found

    def _doc_order(self) -> np.ndarray:
        """All slots grouped by document (slot order within one), cached until a change."""
        if self._order is None:
            self._order = np.argsort(self.docnum[: self.used], kind="stable")
        return self._order

    def rank(
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
        if len(rows) > self.used // 4:  # one pass over the matrix beats gathering rows
            sims = (self.matrix[: self.used] @ q.T)[rows]
        else:
            sims = self.matrix[rows] @ q.T
        docs = self.docnum[rows]
        starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
        ends = np.r_[starts[1:], len(rows)]
        scores = np.maximum.reduceat(sims, starts, axis=0).max(axis=1)
        if want < len(starts):  # every document tied with the want-th, for the id tie-break
            kth = np.partition(scores, len(scores) - want)[len(scores) - want]
            top = np.flatnonzero(scores >= kth)
        else:
            top = np.arange(len(starts))
        names = self.doc_names
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

    def passage(self, slot: int, texts: Mapping[str, str]) -> Passage:
        """The passage in `slot`, with its text from `texts` (by passage id)."""
        meta, pid = self.metas[slot], self.pids[slot]
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
