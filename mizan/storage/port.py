"""The document-store port every service uses.

Filters are MongoDB filter documents restricted to a documented subset:
equality, ``$in``, ``$nin``, ``$ne``, ``$gt``/``$gte``/``$lt``/``$lte``,
``$exists``, ``$and``, ``$or``, array membership and dotted paths. Field names
are database names (``_id`` for the id). Anything else raises FilterError, so
both adapters answer every accepted filter the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from mizan.storage.errors import FilterError
from mizan.storage.model import Model

M = TypeVar("M", bound=Model)
Filter = Mapping[str, Any]
#: ``[("field", 1), ("other", -1)]``
Sort = Sequence[tuple[str, int]]


class DocumentStore(Protocol):
    """Versioned document storage. Every write either succeeds whole or raises."""

    kind: str

    def ensure(self, cls: type[Model]) -> object:
        """Create the collection and its declared indexes if they are missing."""

    def insert(self, doc: M) -> M:
        """Validate and store a new document; sets ``version`` to 1."""

    def get(self, cls: type[M], doc_id: str) -> M:
        """The document, or NotFoundError."""

    def find_one(self, cls: type[M], flt: Filter | None = None) -> M | None: ...

    def replace(self, doc: M) -> M:
        """Store ``doc`` if nobody saved it since it was read, else StaleWriteError.

        On success ``doc.version`` is incremented in place.
        """

    def delete(self, doc: M) -> None:
        """Delete ``doc`` if it is still at the version that was read, else StaleWriteError."""

    def find(
        self,
        cls: type[M],
        flt: Filter | None = None,
        sort: Sort | None = None,
        skip: int = 0,
        limit: int | None = None,
    ) -> list[M]: ...

    def find_fields(
        self, cls: type[M], fields: Sequence[str], flt: Filter | None = None
    ) -> list[M]:
        """Matching documents with only the top-level ``fields`` (database names) read.

        For read-only work over many documents (reports): decoding only what is used is
        several times cheaper. The others are left at their defaults, so the result must
        never be written back. Unknown names raise FilterError. Order is by id.
        """

    def find_values(
        self, cls: type[M], fields: Sequence[str], flt: Filter | None = None
    ) -> list[dict[str, Any]]:
        """Like ``find_fields``, but plain values instead of model objects: one dict per
        document with ``_id`` and the named fields that are set (sub-documents as dicts,
        dates as naive UTC datetimes). Building model objects cost more than reading the
        rows at a province's size; a scan that only reads (reports) skips it. Order is by id.
        """

    def iter_all(self, cls: type[M], flt: Filter | None = None, batch: int = 500) -> Iterator[M]:
        """Every matching document in id order, fetched in batches (for reindex and export)."""

    def count(self, cls: type[M], flt: Filter | None = None) -> int: ...

    def group_count(self, cls: type[M], field: str, flt: Filter | None = None) -> dict[Any, int]:
        """Number of matching documents per value of ``field`` (list fields count each element)."""

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all. Nesting joins the outer one."""

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after the current transaction commits (now, if there is none).

        The same (hashable) callback registered again in one transaction runs once, so a
        writer of many records can ask for one follow-up (e.g. one outbox drain) per commit.
        """

    def ping(self) -> tuple[bool, str]: ...

    def close(self) -> None: ...


def projected_names(cls: type[Model], fields: Sequence[str]) -> list[str]:
    """The checked database names of a projection, ``_id`` first and each once."""
    known = {f.db_field for f in cls._fields.values()}
    names = ["_id"]
    for name in fields:
        if name not in known:
            raise FilterError(f"{cls.__name__} has no field {name!r}.")
        if name not in names:
            names.append(name)
    return names


def iter_by_id(store: DocumentStore, cls: type[M], flt: Filter | None, batch: int) -> Iterator[M]:
    """Keyset pages ordered by id: no long-lived cursor, no skipped or repeated rows."""
    last: str | None = None
    while True:
        page_filter: Filter = dict(flt or {})
        if last is not None:
            after = {"_id": {"$gt": last}}
            page_filter = {"$and": [page_filter, after]} if flt else after
        docs = store.find(cls, page_filter, sort=[("_id", 1)], limit=batch)
        yield from docs
        if len(docs) < batch:
            return
        last = docs[-1].id
