"""Compile MongoDB filter documents (the port's subset) to SQLite JSON SQL.

The compiler reads the mongoengine schema: it rejects unknown fields, knows
which path steps are lists (so array fan-out is only emitted where an array
can be, keeping the plain ``json_extract(doc, '$.f') = ?`` form that the
expression indexes serve), and knows which fields hold datetimes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import mongoengine as me
from mongoengine.base import BaseDocument

from mizan.storage.codec import DATE_KEY, date_text
from mizan.storage.errors import FilterError

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RANGE = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
_INT64 = 2**63

#: Pred(location) -> SQL; a location is a SQL expression giving a JSON path into ``doc``.
#: Every predicate must be two-valued (0/1, never NULL): ``$ne``/``$nin``/``$exists: false``
#: are emitted as ``NOT (...)``, and ``NOT NULL`` is NULL, which would silently drop
#: documents where the field is missing (MongoDB matches those). Hence ``IS`` rather than
#: ``=`` on ``json_type`` (NULL for a missing path) and a type test before each comparison.
Pred = Callable[[str], str]


@dataclass(frozen=True)
class Step:
    key: str
    may_be_array: bool
    #: A datetime field: stored as {"$date": "..."}; compared, sorted and indexed on the member.
    is_date: bool = False
    #: The declared scalar type ("str", "int", "float", "bool", "date") or None if free-form.
    kind: str | None = None


def _lit(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _join(loc: str, key: str) -> str:
    """Extend a path location; literal paths stay literal so indexes match."""
    if loc.startswith("'") and loc.endswith("'") and loc.count("'") == 2:
        return _lit(f"{loc[1:-1]}.{key}")
    return f"({loc} || '.{key}')"


def _kind(field: Any) -> str | None:
    for kind, types in (
        ("bool", me.BooleanField),
        ("date", (me.DateTimeField, me.DateField)),
        ("int", me.IntField),
        ("float", me.FloatField),
        ("str", me.StringField),
    ):
        if isinstance(field, types):
            return kind
    return None


def _value_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (dt.datetime, dt.date)):
        return "date"
    return None


def list_index_tables(cls: type[BaseDocument]) -> dict[str, str]:
    """Top-level lists of text or numbers with a declared index -> their side table.

    SQLite cannot index inside a JSON array, so the embedded store keeps such a
    list's values in a side table ``(value, doc_id)``; membership filters use it
    instead of scanning every document with ``json_each``.
    """
    tables: dict[str, str] = {}
    collection = cls._meta.get("collection") or cls.__name__.lower()
    for spec in cls._meta.get("index_specs", []):
        fields = spec.get("fields", [])
        if len(fields) != 1 or "." in fields[0][0] or fields[0][0] == "_id":
            continue
        steps = resolve_path(cls, fields[0][0])
        if steps[0].may_be_array and steps[0].kind in ("str", "int"):
            tables[steps[0].key] = f"c_{collection}__{steps[0].key}"
    return tables


def resolve_path(cls: type[BaseDocument], dotted: str) -> list[Step]:
    """Schema steps for a dotted database path; FilterError for unknown names."""
    steps: list[Step] = []
    owner: type[BaseDocument] | None = cls
    for key in dotted.split("."):
        if not _KEY.match(key):
            raise FilterError(f"{dotted!r} is not a valid field path.")
        if owner is _Leaf:
            raise FilterError(f"{dotted!r}: {steps[-1].key!r} holds a plain value, not a record.")
        if owner is None:  # inside a free-form (dict/dynamic) value: anything may be a list
            steps.append(Step(key, True))
            continue
        field = next((f for f in owner._fields.values() if f.db_field == key), None)
        if field is None:
            raise FilterError(f"{owner.__name__} has no field {key!r} (in {dotted!r}).")
        is_list = isinstance(field, me.ListField)
        inner = field.field if is_list else field
        steps.append(
            Step(
                key,
                is_list or isinstance(inner, (me.DictField, me.DynamicField)),
                isinstance(inner, (me.DateTimeField, me.DateField)),
                _kind(inner),
            )
        )
        if isinstance(inner, me.EmbeddedDocumentField):
            owner = inner.document_type
        elif isinstance(inner, (me.DictField, me.DynamicField, me.GenericEmbeddedDocumentField)):
            owner = None
        else:
            owner = _Leaf
    return steps


class _Leaf(BaseDocument):
    """Marker owner after a scalar field: any further step is an error."""

    _fields: dict[str, Any] = {}


class FilterCompiler:
    """Turns one filter document into ``(sql, params)`` over a table with a ``doc`` column."""

    def __init__(self, cls: type[BaseDocument]) -> None:
        self.cls = cls
        self.side_tables = list_index_tables(cls)
        self.params: list[Any] = []
        self._alias = 0

    # -- public -----------------------------------------------------------------------------
    def compile(self, flt: Mapping[str, Any] | None) -> str:
        if not flt:
            return "1"
        if not isinstance(flt, Mapping):
            raise FilterError("A filter must be a mapping of field names to conditions.")
        parts = [self._clause(key, value) for key, value in flt.items()]
        return " AND ".join(f"({p})" for p in parts) if parts else "1"

    # -- clauses ----------------------------------------------------------------------------
    def _clause(self, key: str, value: Any) -> str:
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise FilterError(f"{key} needs a non-empty list of filters.")
            joiner = " AND " if key == "$and" else " OR "
            return joiner.join(f"({self.compile(sub)})" for sub in value)
        if key.startswith("$"):
            raise FilterError(f"The operator {key} is not supported.")
        if key == "_id":
            return self._id_clause(value)
        steps = resolve_path(self.cls, key)
        if isinstance(value, Mapping) and value and all(k.startswith("$") for k in value):
            return " AND ".join(f"({self._op(steps, op, arg)})" for op, arg in value.items())
        return self._eq(steps, value)

    def _id_clause(self, value: Any) -> str:
        """The id lives in its own column (the primary key)."""
        if isinstance(value, Mapping) and value and all(k.startswith("$") for k in value):
            parts = []
            for op, arg in value.items():
                if op in ("$eq", "$ne"):
                    mark = self._param(self._id_value(arg))
                    parts.append(f"id = {mark}" if op == "$eq" else f"id != {mark}")
                elif op in ("$in", "$nin"):
                    # One JSON array parameter: no limit on how many ids (SQLite caps the
                    # number of terms in an expression) and one prepared statement shape.
                    ids = [self._id_value(v) for v in self._list(op, arg)]
                    mark = self._param(json.dumps(ids))
                    sql = f"id IN (SELECT value FROM json_each({mark}))"
                    parts.append(sql if op == "$in" else f"NOT ({sql})")
                elif op in _RANGE:
                    parts.append(f"id {_RANGE[op]} {self._param(self._id_value(arg))}")
                elif op == "$exists":
                    parts.append("1" if arg else "0")
                else:
                    raise FilterError(f"The operator {op} is not supported on _id.")
            return " AND ".join(parts)
        return f"id = {self._param(self._id_value(value))}"

    def _param(self, value: Any) -> str:
        self.params.append(value)
        return f"?{len(self.params)}"

    @staticmethod
    def _id_value(value: Any) -> str:
        if not isinstance(value, str):
            raise FilterError("Ids are strings.")
        return value

    @staticmethod
    def _list(op: str, arg: Any) -> list[Any]:
        if not isinstance(arg, (list, tuple, set, frozenset)):
            raise FilterError(f"{op} needs a list of values.")
        return list(arg)

    def _op(self, steps: list[Step], op: str, arg: Any) -> str:
        if op == "$eq":
            return self._eq(steps, arg)
        if op == "$ne":
            return f"NOT IFNULL(({self._eq(steps, arg)}), 0)"
        if op in ("$in", "$nin"):
            values = self._list(op, arg)
            sql = (
                self._side_member(steps, values)
                or self._in_typed(steps, values)
                or self._in_texts(steps, values)
            )
            if sql is None:
                sql = " OR ".join(f"({self._eq(steps, v)})" for v in values) if values else "0"
            return sql if op == "$in" else f"NOT IFNULL(({sql}), 0)"
        if op in _RANGE:
            if arg is None or isinstance(arg, (list, tuple, dict)):
                raise FilterError(f"{op} needs a number, text, true/false or a date.")
            fast = self._typed_compare(steps, _RANGE[op], arg)
            if fast is not None:
                return fast
            return self._any(steps, self._compare_pred(_RANGE[op], arg), leaf_elements=True)
        if op == "$exists":
            if not isinstance(arg, bool):
                raise FilterError("$exists needs true or false.")
            sql = self._any(
                steps, lambda loc: f"json_type(doc, {loc}) IS NOT NULL", leaf_elements=False
            )
            return sql if arg else f"NOT ({sql})"
        raise FilterError(f"The operator {op} is not supported.")

    # -- declared scalar fields: plain, index-friendly SQL ---------------------------------
    @staticmethod
    def _typed(steps: list[Step], value: Any) -> bool:
        """The path is a declared scalar field outside any list, and ``value`` has its type.

        Validation guarantees the stored type then, so no ``json_type`` check is needed
        and the comparison is exactly the indexed expression. Missing fields compare as
        NULL; negations wrap with IFNULL so they still match them, as MongoDB does.
        """
        if any(s.may_be_array for s in steps):
            return False
        kind, given = steps[-1].kind, _value_kind(value)
        if kind is None or given is None:
            return False
        return kind == given or {kind, given} == {"int", "float"}

    def _typed_compare(self, steps: list[Step], sql_op: str, value: Any) -> str | None:
        if not self._typed(steps, value):
            return None
        if isinstance(value, bool):
            value = 1 if value else 0
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                raise FilterError("Numbers in filters must be finite.")
            if isinstance(value, int) and not -_INT64 <= value < _INT64:
                raise FilterError("Whole numbers in filters must fit in 64 bits.")
        elif isinstance(value, (dt.datetime, dt.date)):
            if not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            value = date_text(value)
        return f"json_extract(doc, {self.value_path(steps)}) {sql_op} {self._param(value)}"

    def _in_typed(self, steps: list[Step], values: list[Any]) -> str | None:
        if not values or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) and self._typed(steps, v)
            for v in values
        ):
            return None
        mark = self._param(json.dumps(values))
        return (
            f"json_extract(doc, {self.value_path(steps)}) IN (SELECT value FROM json_each({mark}))"
        )

    def _in_texts(self, steps: list[Step], values: list[Any]) -> str | None:
        """Many strings on a plain (non-list) path: one ``IN (json_each(?))`` term.

        Long ``$in`` lists would otherwise become an OR chain SQLite refuses past
        about a thousand terms. Other value mixes keep the general form.
        """
        if len(values) < 2 or any(s.may_be_array for s in steps):
            return None
        if not all(isinstance(v, str) for v in values):
            return None
        loc = self._literal_path(steps)
        mark = self._param(json.dumps(values))
        return (
            f"json_type(doc, {loc}) IS 'text' AND json_extract(doc, {loc}) IN "
            f"(SELECT value FROM json_each({mark}))"
        )

    def _side_member(self, steps: list[Step], values: list[Any]) -> str | None:
        """Membership in an indexed top-level list, answered from its side table."""
        side = self.side_tables.get(steps[0].key) if len(steps) == 1 else None
        if side is None or not values:
            return None
        if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            return None
        if len(values) == 1:
            return f"id IN (SELECT doc_id FROM {side} WHERE value = {self._param(values[0])})"
        mark = self._param(json.dumps(values))
        return (
            f"id IN (SELECT doc_id FROM {side} WHERE value IN "
            f"(SELECT value FROM json_each({mark})))"
        )

    def _eq(self, steps: list[Step], value: Any) -> str:
        member = self._side_member(steps, [value])
        if member is not None:
            return member
        if value is None and steps[-1].kind and not any(s.may_be_array for s in steps):
            return f"json_extract(doc, {self.value_path(steps)}) IS NULL"
        fast = self._typed_compare(steps, "=", value)
        if fast is not None:
            return fast
        if value is None:
            if any(s.may_be_array for s in steps[:-1]):
                raise FilterError(
                    "Matching a missing value inside a list of records is not supported."
                )
            missing = f"json_type(doc, {self._literal_path(steps)}) IS NULL"
            null = self._any(
                steps, lambda loc: f"json_type(doc, {loc}) IS 'null'", leaf_elements=True
            )
            return f"{missing} OR {null}"
        if isinstance(value, (Mapping, list, tuple)):
            raise FilterError("Equality with a whole record or list is not supported.")
        return self._any(steps, self._compare_pred("=", value), leaf_elements=True)

    # -- locations --------------------------------------------------------------------------
    @staticmethod
    def _literal_path(steps: list[Step]) -> str:
        return _lit("$." + ".".join(s.key for s in steps))

    @staticmethod
    def value_path(steps: list[Step]) -> str:
        """The path whose value orders like the field: dates by their ``$date`` text.

        Sorting and expression indexes use it, and date comparisons emit the same
        expression, so a date range filter is served by the date field's index.
        """
        path = FilterCompiler._literal_path(steps)
        if steps[-1].is_date and not steps[-1].may_be_array:
            return _join(path, f'"{DATE_KEY}"')
        return path

    def _any(self, steps: list[Step], pred: Pred, *, leaf_elements: bool) -> str:
        """True if ``pred`` holds at any location the path resolves to (array fan-out)."""

        def walk(loc: str, rest: list[Step]) -> str:
            step, tail = rest[0], rest[1:]
            here = _join(loc, step.key)
            fan = step.may_be_array and (bool(tail) or leaf_elements)
            direct = walk(here, tail) if tail else pred(here)
            if not fan:
                return direct
            self._alias += 1
            alias = f"j{self._alias}"
            elem = f"{alias}.fullkey"
            via = walk(elem, tail) if tail else pred(elem)
            return (
                f"{direct} OR (json_type(doc, {here}) IS 'array' AND EXISTS "
                f"(SELECT 1 FROM json_each(doc, {here}) AS {alias} WHERE {via}))"
            )

        return walk("'$'", steps)

    def _compare_pred(self, sql_op: str, value: Any) -> Pred:
        if isinstance(value, bool):
            mark = self._param(1 if value else 0)
            return lambda loc: (
                f"IFNULL(json_type(doc, {loc}), '') IN ('true','false') "
                f"AND json_extract(doc, {loc}) "
                f"{sql_op} {mark}"
            )
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                raise FilterError("Numbers in filters must be finite.")
            if isinstance(value, int) and not -_INT64 <= value < _INT64:
                raise FilterError("Whole numbers in filters must fit in 64 bits.")
            mark = self._param(value)
            return lambda loc: (
                f"IFNULL(json_type(doc, {loc}), '') IN ('integer','real') "
                f"AND json_extract(doc, {loc}) "
                f"{sql_op} {mark}"
            )
        if isinstance(value, str):
            mark = self._param(value)
            return lambda loc: (
                f"json_type(doc, {loc}) IS 'text' AND json_extract(doc, {loc}) {sql_op} {mark}"
            )
        if isinstance(value, (dt.datetime, dt.date)):
            if not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            mark = self._param(date_text(value))

            def date_pred(loc: str) -> str:
                member = _join(loc, f'"{DATE_KEY}"')
                return (
                    f"json_type(doc, {member}) IS 'text' "
                    f"AND json_extract(doc, {member}) {sql_op} {mark}"
                )

            return date_pred
        raise FilterError(f"Values of type {type(value).__name__} cannot be used in a filter.")


def compile_filter(cls: type[BaseDocument], flt: Mapping[str, Any] | None) -> tuple[str, list]:
    compiler = FilterCompiler(cls)
    sql = compiler.compile(flt)
    return sql, compiler.params


def tie_direction(sort: list[tuple[str, int]] | None) -> str:
    """ASC or DESC: the direction of the first sort key (ASC without one)."""
    return "DESC" if sort and sort[0][1] == -1 else "ASC"


def sort_sql(cls: type[BaseDocument], sort: list[tuple[str, int]] | None) -> str:
    """ORDER BY for a sort spec; the id breaks ties so pages never overlap.

    Ties go the way of the first key: ids sort by creation, so a "newest first"
    list keeps records made in the same millisecond newest first too.
    """
    terms: list[str] = []
    for key, direction in sort or []:
        if direction not in (1, -1):
            raise FilterError(f"Sort direction for {key!r} must be 1 or -1.")
        order = "ASC" if direction == 1 else "DESC"
        if key == "_id":
            terms.append(f"id {order}")
            continue
        steps = resolve_path(cls, key)
        if any(s.may_be_array for s in steps):
            raise FilterError(f"Cannot sort by {key!r}: it holds a list.")
        terms.append(f"json_extract(doc, {FilterCompiler.value_path(steps)}) {order}")
    if not any(t.startswith("id ") for t in terms):
        terms.append(f"id {tie_direction(sort)}")
    return ", ".join(terms)
