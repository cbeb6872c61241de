"""The MongoDB document store: the same port as SQLiteStore, on a real server.

Documents are stored exactly as mongoengine serialises them (``to_mongo()``),
so a database written here can also be read by plain mongoengine code. Filters
are checked with the SQLite filter compiler *as a validator only* and then
handed to the server unchanged: both adapters accept and reject the same
filters, and MongoDB itself defines what an accepted filter means (the SQLite
adapter is tested differentially against those semantics).

Transactions need a replica set or a sharded cluster. On a standalone server
``transaction()`` still nests, joins and runs ``on_commit`` callbacks only on
success, but the writes inside it are applied one by one and are **not**
rolled back when the block fails (check ``supports_transactions``). Each
single write is still atomic and version-checked, so no update is ever lost.

A transaction that the server aborts (a write conflict with another transaction,
a failover) surfaces as an exception from the ``with`` block; the block is not
re-run automatically, because it may have side effects. A write conflict on
``replace``/``delete`` is reported as StaleWriteError, like any other stale write.

Collections and their declared indexes are created on first use, outside any
transaction (MongoDB refuses to build an index on a non-empty collection inside
one). Call :meth:`MongoStore.ensure` for every model at start-up so that a
transaction never has to create a collection while it is running.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import pymongo
import pymongo.errors
from pymongo.client_session import ClientSession
from pymongo.collection import Collection

from mizan.storage.errors import DuplicateKeyError, NotFoundError, StaleWriteError
from mizan.storage.model import Model
from mizan.storage.port import Filter, Sort, iter_by_id, projected_names
from mizan.storage.sqlite_filters import FilterCompiler, resolve_path, sort_sql, tie_direction

M = TypeVar("M", bound=Model)

#: Server error code for a write that collided with another transaction's write.
_WRITE_CONFLICT = 112
#: Index options mongoengine keeps in ``index_specs`` that are not create_index arguments.
_NOT_INDEX_OPTIONS = frozenset({"fields", "cls", "args"})


def _bson_ready(value: Any) -> Any:
    """A filter value as BSON can encode it.

    The shared filter compiler accepts ``date`` and tuples/sets in ``$in``; BSON has
    neither, so they become a midnight datetime and a list (what SQLite does too).
    """
    if isinstance(value, Mapping):
        return {key: _bson_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_bson_ready(item) for item in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


class MongoStore:
    """Versioned documents in a MongoDB database (``kind = "mongodb"``).

    ``MongoStore("mongodb://host/dbname")`` owns its client (and re-creates it in a
    forked child, since a MongoClient must not cross a fork);
    ``MongoStore(client, "dbname")`` uses a client the caller owns.
    """

    kind = "mongodb"

    def __init__(
        self,
        target: str | pymongo.MongoClient,
        db_name: str | None = None,
        *,
        transactions: bool | None = None,
        **client_options: Any,
    ) -> None:
        """``transactions``: force transaction support on or off (default: ask the server)."""
        self._uri: str | None = None
        self._client_options = client_options
        if isinstance(target, str):
            self._uri = target
            self.client: Any = pymongo.MongoClient(target, tz_aware=False, **client_options)
            self._owns_client = True
            try:
                default = self.client.get_default_database().name
            except pymongo.errors.ConfigurationError:
                default = None
            db_name = db_name or default
            if not db_name:
                self.client.close()
                raise ValueError(
                    "The MongoDB URI names no database: add it as the path, "
                    "e.g. mongodb://host:27017/mizan"
                )
        else:
            if not db_name:
                raise ValueError("MongoStore(client, db_name) needs a database name.")
            self.client = target
            self._owns_client = False
        self.db_name = db_name
        self._pid = os.getpid()
        self._transactions = transactions
        self._local = threading.local()
        self._ensured: set[str] = set()
        self._ensure_lock = threading.Lock()

    # -- connection and transactions --------------------------------------------------------
    @property
    def db(self) -> Any:
        if self._pid != os.getpid() and self._owns_client and self._uri is not None:
            # A forked worker: the parent's sockets and monitor threads are not ours.
            self.client = pymongo.MongoClient(self._uri, tz_aware=False, **self._client_options)
            self._pid = os.getpid()
            self._local = threading.local()
        return self.client[self.db_name]

    def _state(self) -> threading.local:
        local = self._local
        if not hasattr(local, "depth"):
            local.depth, local.after, local.session = 0, {}, None
        return local

    def _session(self) -> ClientSession | None:
        return self._state().session

    @property
    def supports_transactions(self) -> bool:
        """True on a replica set or sharded cluster (asked once, then remembered)."""
        if self._transactions is None:
            try:
                try:
                    hello = self.db.command("hello")
                except pymongo.errors.OperationFailure:  # servers before 4.4.2
                    hello = self.db.command("isMaster")
            except NotImplementedError:  # a pymongo look-alike without server commands
                self._transactions = False
            else:
                self._transactions = bool(
                    "logicalSessionTimeoutMinutes" in hello
                    and (hello.get("setName") or hello.get("msg") == "isdbgrid")
                )
        return self._transactions

    @contextmanager
    def transaction(self) -> Iterator[None]:
        local = self._state()
        if local.depth:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        session: ClientSession | None = None
        if self.supports_transactions:
            session = self.client.start_session()
            session.start_transaction()
        local.depth, local.after, local.session = 1, {}, session
        try:
            yield
        except BaseException:
            local.depth, local.after, local.session = 0, {}, None
            if session is not None:
                try:
                    if session.in_transaction:
                        session.abort_transaction()
                finally:
                    session.end_session()
            raise
        callbacks, local.depth, local.after, local.session = local.after, 0, {}, None
        if session is not None:
            try:
                session.commit_transaction()
            finally:
                session.end_session()
        for callback in callbacks:
            callback()

    def on_commit(self, callback: Callable[[], None]) -> None:
        local = self._state()
        if local.depth:
            local.after[callback] = None  # once per transaction
        else:
            callback()

    # -- schema -----------------------------------------------------------------------------
    def collection(self, cls: type[Model]) -> Collection:
        return self.db[cls.collection_name()]

    def ensure(self, cls: type[Model]) -> Collection:
        """Create the declared indexes once per process (never inside a transaction)."""
        coll = self.collection(cls)
        name = cls.collection_name()
        if name in self._ensured:
            return coll
        with self._ensure_lock:
            if name not in self._ensured:
                for spec in cls._meta.get("index_specs", []):
                    keys = list(spec["fields"])
                    if [k for k, _ in keys] == ["_id"]:
                        continue  # MongoDB always has it
                    options = {k: v for k, v in spec.items() if k not in _NOT_INDEX_OPTIONS}
                    coll.create_index(keys, **options)
                self._ensured.add(name)
        return coll

    # -- writes -----------------------------------------------------------------------------
    @staticmethod
    def _duplicate(doc: Model, exc: pymongo.errors.DuplicateKeyError) -> DuplicateKeyError:
        pattern = (exc.details or {}).get("keyPattern") or {}
        if list(pattern) == ["_id"] or (not pattern and "_id_" in str(exc)):
            return DuplicateKeyError(f"A {doc.label} with id {doc.id} already exists.")
        return DuplicateKeyError(f"A {doc.label} with the same unique value already exists.")

    def insert(self, doc: M) -> M:
        coll = self.ensure(type(doc))
        doc.validate()
        doc.version = 1
        son = doc.to_mongo()
        try:
            coll.insert_one(son, session=self._session())
        except pymongo.errors.DuplicateKeyError as exc:
            doc.version = 0
            raise self._duplicate(doc, exc) from None
        except BaseException:
            doc.version = 0
            raise
        return doc

    def replace(self, doc: M) -> M:
        coll = self.ensure(type(doc))
        doc.validate()
        expected = doc.version
        doc.version = expected + 1
        son = doc.to_mongo()
        try:
            result = coll.replace_one(
                {"_id": doc.id, "version": expected}, son, session=self._session()
            )
            if result.matched_count != 1:
                raise self._stale(coll, doc, expected)
        except pymongo.errors.DuplicateKeyError as exc:
            doc.version = expected
            raise self._duplicate(doc, exc) from None
        except pymongo.errors.OperationFailure as exc:
            doc.version = expected
            if exc.code == _WRITE_CONFLICT:
                raise self._conflict(coll, doc, expected) from exc
            raise
        except BaseException:
            doc.version = expected
            raise
        return doc

    def delete(self, doc: Model) -> None:
        coll = self.ensure(type(doc))
        try:
            result = coll.delete_one(
                {"_id": doc.id, "version": doc.version}, session=self._session()
            )
        except pymongo.errors.OperationFailure as exc:
            if exc.code == _WRITE_CONFLICT:
                raise self._conflict(coll, doc, doc.version) from exc
            raise
        if result.deleted_count != 1:
            raise self._stale(coll, doc, doc.version)

    def _stale(self, coll: Collection, doc: Model, expected: int) -> Exception:
        """Same errors and messages as the SQLite adapter."""
        row = coll.find_one({"_id": doc.id}, {"version": 1}, session=self._session())
        if row is None:
            return NotFoundError(f"This {doc.label} no longer exists (id {doc.id}).")
        return StaleWriteError(doc.label, doc.id, expected, row.get("version"))

    @staticmethod
    def _conflict(coll: Collection, doc: Model, expected: int) -> StaleWriteError:
        """Another transaction is writing the same document right now.

        Our own transaction is doomed (the server aborts it), so report the newest
        *committed* version we can see; it may still equal ``expected``, in which
        case the other writer has not committed yet and the version is unknown.
        """
        row = coll.find_one({"_id": doc.id}, {"version": 1})
        current = row.get("version") if row else None
        return StaleWriteError(
            doc.label, doc.id, expected, current if current != expected else None
        )

    # -- reads ------------------------------------------------------------------------------
    @staticmethod
    def _checked(cls: type[Model], flt: Filter | None) -> dict[str, Any]:
        """Reject exactly what SQLite rejects, then pass the filter on as MongoDB reads it."""
        FilterCompiler(cls).compile(flt)
        return _bson_ready(dict(flt or {}))

    def get(self, cls: type[M], doc_id: str) -> M:
        son = self.ensure(cls).find_one({"_id": doc_id}, session=self._session())
        if son is None:
            raise NotFoundError(f"No {cls.label} with id {doc_id}.")
        return cls._from_son(son)

    def find_one(self, cls: type[M], flt: Filter | None = None) -> M | None:
        found = self.find(cls, flt, limit=1)
        return found[0] if found else None

    def find(
        self,
        cls: type[M],
        flt: Filter | None = None,
        sort: Sort | None = None,
        skip: int = 0,
        limit: int | None = None,
    ) -> list[M]:
        coll = self.ensure(cls)
        query = self._checked(cls, flt)
        terms = list(sort or [])
        sort_sql(cls, terms)  # validation only: unknown fields, list fields, bad directions
        if not any(key == "_id" for key, _ in terms):
            # Ties broken by id (as in SQLite), so pages never overlap.
            terms.append(("_id", -1 if tie_direction(terms) == "DESC" else 1))
        # Same paging as SQLite's LIMIT/OFFSET: limit 0 is no rows, a negative limit is none.
        if limit is not None and int(limit) == 0:
            return []
        cursor = coll.find(query, sort=terms, skip=max(int(skip), 0), session=self._session())
        if limit is not None and int(limit) > 0:
            cursor = cursor.limit(int(limit))
        return [cls._from_son(son) for son in cursor]

    def find_fields(
        self, cls: type[M], fields: Sequence[str], flt: Filter | None = None
    ) -> list[M]:
        return [cls._from_son(son) for son in self.find_values(cls, fields, flt)]

    def find_values(
        self, cls: type[M], fields: Sequence[str], flt: Filter | None = None
    ) -> list[dict[str, Any]]:
        coll = self.ensure(cls)
        projection = dict.fromkeys([*projected_names(cls, fields), "version"], 1)
        cursor = coll.find(
            self._checked(cls, flt), projection, sort=[("_id", 1)], session=self._session()
        )
        return [dict(son) for son in cursor]

    def iter_all(self, cls: type[M], flt: Filter | None = None, batch: int = 500) -> Iterator[M]:
        return iter_by_id(self, cls, flt, batch)

    def count(self, cls: type[M], flt: Filter | None = None) -> int:
        coll = self.ensure(cls)
        return coll.count_documents(self._checked(cls, flt), session=self._session())

    def group_count(self, cls: type[M], field: str, flt: Filter | None = None) -> dict[Any, int]:
        coll = self.ensure(cls)
        query = self._checked(cls, flt)
        steps = resolve_path(cls, field)
        if any(s.may_be_array for s in steps[:-1]):
            raise ValueError(f"Cannot group by {field!r}: it lies inside a list of records.")
        pipeline: list[dict[str, Any]] = [{"$match": query}] if query else []
        if steps[-1].may_be_array:
            # Each element once per document (like SQLite's COUNT(DISTINCT id)).
            pipeline += [
                {"$unwind": f"${field}"},
                {"$group": {"_id": {"v": f"${field}", "d": "$_id"}}},
                {"$group": {"_id": "$_id.v", "n": {"$sum": 1}}},
            ]
        else:
            pipeline.append({"$group": {"_id": f"${field}", "n": {"$sum": 1}}})
        result: dict[Any, int] = {}
        for row in coll.aggregate(pipeline, session=self._session()):
            result[row["_id"]] = result.get(row["_id"], 0) + row["n"]
        return result

    # -- operations -------------------------------------------------------------------------
    def ping(self) -> tuple[bool, str]:
        try:
            self.db.command("ping")
            version = self.client.server_info().get("version", "?")
        except Exception as exc:  # a health check reports, it never raises
            return False, f"MongoDB database {self.db_name}: {exc}"
        return True, f"MongoDB {version}, database {self.db_name}"

    def close(self) -> None:
        session = getattr(self._local, "session", None)
        if session is not None:
            session.end_session()
        self._local = threading.local()
        self._ensured.clear()
        if self._owns_client:
            self.client.close()
