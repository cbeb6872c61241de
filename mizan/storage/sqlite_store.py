"""The embedded document store: one SQLite file, one table per collection.

Each row holds the document as JSON plus its id and version in columns. The
mongoengine index declarations become expression indexes on
``json_extract(doc, '$.field')``, which is exactly the form the filter
compiler emits for non-list fields. WAL and a busy timeout let the web
process and worker processes share the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from mizan.storage import codec
from mizan.storage.errors import DuplicateKeyError, NotFoundError, StaleWriteError
from mizan.storage.model import Model
from mizan.storage.port import Filter, Sort, iter_by_id, projected_names
from mizan.storage.sqlite_filters import (
    FilterCompiler,
    compile_filter,
    list_index_tables,
    resolve_path,
    sort_sql,
)

M = TypeVar("M", bound=Model)


def _table(cls: type[Model]) -> str:
    return f"c_{cls.collection_name()}"


class SQLiteStore:
    kind = "sqlite"

    def __init__(self, path: Path, busy_timeout_ms: int = 10_000) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._ensured: set[str] = set()

    # -- connection and transactions --------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """This thread's connection (re-opened after a fork: SQLite handles must not cross)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=self.busy_timeout_ms / 1000,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys=ON")
            local.conn, local.pid, local.depth, local.after = conn, os.getpid(), 0, {}
        return local.conn

    @contextmanager
    def transaction(self) -> Iterator[None]:
        conn = self.connection()
        local = self._local
        if local.depth:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        conn.execute("BEGIN IMMEDIATE")
        local.depth, local.after = 1, {}
        try:
            yield
        except BaseException:
            local.depth, local.after = 0, {}
            conn.execute("ROLLBACK")
            raise
        local.depth = 0
        conn.execute("COMMIT")
        callbacks, local.after = local.after, {}
        for callback in callbacks:
            callback()

    def on_commit(self, callback: Callable[[], None]) -> None:
        self.connection()
        if self._local.depth:
            self._local.after[callback] = None  # once per transaction
        else:
            callback()

    # -- schema -----------------------------------------------------------------------------
    def ensure(self, cls: type[Model]) -> str:
        """Create the collection's table and declared indexes once per process.

        DDL is transactional in SQLite: a table first created inside a transaction that
        then rolls back is gone again, so it only counts as ensured after the commit.
        SQLite's write lock serialises concurrent creators (no Python lock, which could
        deadlock against a thread that holds the write lock and waits for it).
        """
        table = _table(cls)
        if table in self._ensured:
            return table
        conn = self.connection()
        with self.transaction():  # joins an open transaction
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {table} ("
                "id TEXT PRIMARY KEY, version INTEGER NOT NULL, doc TEXT NOT NULL)"
            )
            for spec in cls._meta.get("index_specs", []):
                self._create_index(conn, cls, table, spec)
            for field, side in list_index_tables(cls).items():
                self._create_side_table(conn, table, field, side)
            self.on_commit(lambda: self._ensured.add(table))
        return table

    @staticmethod
    def _create_side_table(conn: sqlite3.Connection, table: str, field: str, side: str) -> None:
        """The values of an indexed list field, one row each (filled from existing rows)."""
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (side,)
        ).fetchone()
        if exists:
            return
        conn.execute(
            f"CREATE TABLE {side} (value NOT NULL, doc_id TEXT NOT NULL, "
            "PRIMARY KEY (value, doc_id)) WITHOUT ROWID"
        )
        conn.execute(f"CREATE INDEX ix_{side}_doc ON {side} (doc_id)")
        conn.execute(
            f"INSERT OR IGNORE INTO {side} (value, doc_id) SELECT j.value, t.id "
            f"FROM {table} t, json_each(t.doc, '$.{field}') j "
            "WHERE j.type IN ('text', 'integer')"
        )

    def _sync_side_tables(self, cls: type[Model], doc_id: str, son: dict | None) -> None:
        """Keep the side tables of indexed list fields equal to the stored document."""
        conn = self.connection()
        for field, side in list_index_tables(cls).items():
            conn.execute(f"DELETE FROM {side} WHERE doc_id = ?", (doc_id,))
            values = (son or {}).get(field) or []
            rows = {
                (v, doc_id) for v in values if isinstance(v, (str, int)) and not isinstance(v, bool)
            }
            conn.executemany(f"INSERT INTO {side} (value, doc_id) VALUES (?, ?)", sorted(rows))

    @staticmethod
    def _create_index(
        conn: sqlite3.Connection, cls: type[Model], table: str, spec: dict[str, Any]
    ) -> None:
        exprs, names = [], []
        for name, direction in spec["fields"]:
            if name == "_id" or not isinstance(direction, int):
                return  # the primary key, or a text/geo index the SQL side cannot serve
            steps = resolve_path(cls, name)
            if any(s.may_be_array for s in steps):
                return  # list fields are matched through json_each; no expression index
            order = "DESC" if direction == -1 else "ASC"
            exprs.append(f"json_extract(doc, {FilterCompiler.value_path(steps)}) {order}")
            names.append(name.replace(".", "_") + ("_date" if steps[-1].is_date else ""))
        unique = "UNIQUE " if spec.get("unique") else ""
        index = f"ix_{table}_{'_'.join(names)}"
        conn.execute(f"CREATE {unique}INDEX IF NOT EXISTS {index} ON {table} ({', '.join(exprs)})")

    # -- writes -----------------------------------------------------------------------------
    def insert(self, doc: M) -> M:
        table = self.ensure(type(doc))
        doc.validate()
        doc.version = 1
        son = doc.to_mongo().to_dict()
        try:
            with self.transaction():
                self.connection().execute(
                    f"INSERT INTO {table} (id, version, doc) VALUES (?, ?, ?)",
                    (doc.id, 1, codec.dumps(son)),
                )
                self._sync_side_tables(type(doc), doc.id, son)
        except sqlite3.IntegrityError as exc:
            doc.version = 0
            raise DuplicateKeyError(self._duplicate_message(doc, exc)) from None
        return doc

    @staticmethod
    def _duplicate_message(doc: Model, exc: sqlite3.IntegrityError) -> str:
        if ".id" in str(exc):
            return f"A {doc.label} with id {doc.id} already exists."
        return f"A {doc.label} with the same unique value already exists."

    def replace(self, doc: M) -> M:
        table = self.ensure(type(doc))
        doc.validate()
        expected = doc.version
        doc.version = expected + 1
        son = doc.to_mongo().to_dict()
        try:
            with self.transaction():
                cur = self.connection().execute(
                    f"UPDATE {table} SET version = ?, doc = ? WHERE id = ? AND version = ?",
                    (expected + 1, codec.dumps(son), doc.id, expected),
                )
                if cur.rowcount != 1:
                    raise self._stale(table, doc, expected)
                self._sync_side_tables(type(doc), doc.id, son)
        except sqlite3.IntegrityError as exc:
            doc.version = expected
            raise DuplicateKeyError(self._duplicate_message(doc, exc)) from None
        except BaseException:
            doc.version = expected
            raise
        return doc

    def _stale(self, table: str, doc: Model, expected: int) -> Exception:
        row = (
            self.connection()
            .execute(f"SELECT version FROM {table} WHERE id = ?", (doc.id,))
            .fetchone()
        )
        if row is None:
            return NotFoundError(f"This {doc.label} no longer exists (id {doc.id}).")
        return StaleWriteError(doc.label, doc.id, expected, row[0])

    def delete(self, doc: Model) -> None:
        table = self.ensure(type(doc))
        with self.transaction():
            cur = self.connection().execute(
                f"DELETE FROM {table} WHERE id = ? AND version = ?", (doc.id, doc.version)
            )
            if cur.rowcount != 1:
                raise self._stale(table, doc, doc.version)
            self._sync_side_tables(type(doc), doc.id, None)

    # -- reads ------------------------------------------------------------------------------
    @staticmethod
    def _load(cls: type[M], version: int, text: str) -> M:
        son = codec.loads(text)
        son["version"] = version
        return cls._from_son(son)

    def get(self, cls: type[M], doc_id: str) -> M:
        table = self.ensure(cls)
        row = (
            self.connection()
            .execute(f"SELECT version, doc FROM {table} WHERE id = ?", (doc_id,))
            .fetchone()
        )
        if row is None:
            raise NotFoundError(f"No {cls.label} with id {doc_id}.")
        return self._load(cls, *row)

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
        table = self.ensure(cls)
        where, params = compile_filter(cls, flt)
        order = sort_sql(cls, list(sort or []))
        sql = f"SELECT version, doc FROM {table} WHERE {where} ORDER BY {order}"
        if limit is not None or skip:
            sql += f" LIMIT {int(limit) if limit is not None else -1} OFFSET {max(int(skip), 0)}"
        rows = self.connection().execute(sql, params).fetchall()
        return [self._load(cls, *row) for row in rows]

    def find_fields(
        self, cls: type[M], fields: Sequence[str], flt: Filter | None = None
    ) -> list[M]:
        return [cls._from_son(son) for son in self.find_values(cls, fields, flt)]

    def find_values(
        self, cls: type[M], fields: Sequence[str], flt: Filter | None = None
    ) -> list[dict[str, Any]]:
        table = self.ensure(cls)
        names = projected_names(cls, fields)[1:]
        where, params = compile_filter(cls, flt)
        # One json_extract of several paths parses the document once and gives a JSON
        # array of the values (sub-documents stay JSON); one call per field parsed the
        # whole document (parties and all) once per field.
        paths = [f"'$.\"{name}\"'" for name in names]
        if len(paths) >= 2:
            values = f"json_extract(doc, {', '.join(paths)})"
        else:  # a single path would give the bare value, not an array
            values = f"json_array({', '.join(f'json_extract(doc, {p})' for p in paths)})"
        sql = f"SELECT id, version, {values} FROM {table} WHERE {where} ORDER BY id"
        found = []
        for doc_id, version, text in self.connection().execute(sql, params):
            son = {k: v for k, v in zip(names, codec.loads(text), strict=True) if v is not None}
            son["_id"], son["version"] = doc_id, version
            found.append(son)
        return found

    def iter_all(self, cls: type[M], flt: Filter | None = None, batch: int = 500) -> Iterator[M]:
        return iter_by_id(self, cls, flt, batch)

    def count(self, cls: type[M], flt: Filter | None = None) -> int:
        table = self.ensure(cls)
        where, params = compile_filter(cls, flt)
        return (
            self.connection()
            .execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)
            .fetchone()[0]
        )

    def group_count(self, cls: type[M], field: str, flt: Filter | None = None) -> dict[Any, int]:
        table = self.ensure(cls)
        where, params = compile_filter(cls, flt)
        steps = resolve_path(cls, field)
        path = FilterCompiler._literal_path(steps)
        if any(s.may_be_array for s in steps[:-1]):
            raise ValueError(f"Cannot group by {field!r}: it lies inside a list of records.")
        side = list_index_tables(cls).get(steps[0].key) if len(steps) == 1 else None
        if side is not None:
            # An indexed list: its side table holds each (value, document) once, so the
            # counts come from there and the filter's index without opening a document.
            sql = (
                f"SELECT value, COUNT(*) FROM {side} WHERE doc_id IN "
                f"(SELECT id FROM {table} WHERE {where}) GROUP BY value"
            )
            return dict(self.connection().execute(sql, params).fetchall())
        if steps[-1].may_be_array:
            # Filter in a subquery: json_each has its own ``id`` column, which would make
            # the filter's ``id`` (an ``_id`` condition) ambiguous in a plain join.
            sql = (
                f"SELECT j.value, j.type, COUNT(DISTINCT t.id) "
                f"FROM (SELECT id, doc FROM {table} WHERE {where}) t, "
                f"json_each(t.doc, {path}) j GROUP BY j.value, j.type"
            )
        elif steps[-1].kind in ("str", "int", "float", "bool", "date"):
            return self._group_count_typed(table, steps, where, params)
        else:
            sql = (
                f"SELECT json_extract(doc, {path}), json_type(doc, {path}), COUNT(*) "
                f"FROM {table} WHERE {where} GROUP BY 1, 2"
            )
        result: dict[Any, int] = {}
        for value, typ, count in self.connection().execute(sql, params):
            key = self._group_key(value, typ)
            result[key] = result.get(key, 0) + count
        return result

    def _group_count_typed(
        self, table: str, steps: list, where: str, params: list
    ) -> dict[Any, int]:
        """Declared scalar field: group on the indexed expression alone.

        Selecting ``json_type`` too would make SQLite read every document; the inner
        query (kept un-flattened by ``LIMIT -1``) lets it answer from the index.
        """
        expr = f"json_extract(doc, {FilterCompiler.value_path(steps)})"
        sql = (
            f"SELECT v, COUNT(*) FROM (SELECT {expr} AS v FROM {table} WHERE {where} "
            f"LIMIT -1) GROUP BY v"
        )
        kind = steps[-1].kind
        result: dict[Any, int] = {}
        for value, count in self.connection().execute(sql, params):
            if value is not None and kind == "bool":
                value = bool(value)
            elif value is not None and kind == "date":
                value = codec.loads(json.dumps({codec.DATE_KEY: value}))
            result[value] = result.get(value, 0) + count
        return result

    @staticmethod
    def _group_key(value: Any, typ: str | None) -> Any:
        if typ in ("true", "false"):
            return typ == "true"
        if typ == "object":
            return codec.loads(value)
        return value

    # -- operations -------------------------------------------------------------------------
    def ping(self) -> tuple[bool, str]:
        try:
            self.connection().execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            return False, f"SQLite {self.path}: {exc}"
        return True, f"SQLite {sqlite3.sqlite_version} at {self.path}"

    def backup_to(self, dest: Path) -> None:
        """A consistent snapshot through SQLite's online backup API (safe while in use)."""
        target = sqlite3.connect(dest)
        try:
            self.connection().backup(target)
        finally:
            target.close()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local = threading.local()
        self._ensured.clear()
