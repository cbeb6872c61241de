"""Differential test: the SQLite adapter against ``mongomock`` as a MongoDB ORACLE.

mongomock is a TEST ORACLE ONLY, never a runtime store. It stands in for
MongoDB's query semantics because no MongoDB server can be installed here.
Hypothesis generates documents of the test schema and filters from the
port's documented subset; the same documents go into a SQLiteStore and into
a mongomock collection (via ``to_mongo()``), and both must return the same
ids in the same order, the same counts and the same grouped counts.

Everything the oracle receives first goes through a BSON encode/decode round
trip, so it sees exactly what a real server would (datetimes truncated to
milliseconds, tuples as arrays). Where mongomock itself departs from real
MongoDB, the oracle's input is rewritten into an equivalent form, with the
reason next to the rewrite.

The run is derandomized (same examples every time, no example database) so CI
is stable. For an exploratory run with fresh random examples, set
``MIZAN_DIFFERENTIAL_EXAMPLES`` (e.g. ``=5000``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bson
import mongomock
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from mizan.storage import FilterError
from mizan.storage.sqlite_filters import FilterCompiler
from mizan.storage.sqlite_store import SQLiteStore

from .conftest import StoreInfo, StoreItem, StorePart

_EXPLORE = os.environ.get("MIZAN_DIFFERENTIAL_EXAMPLES")
SETTINGS = settings(
    max_examples=int(_EXPLORE) if _EXPLORE else 250,
    derandomize=not _EXPLORE,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- values: small domains, so equal values (and ties) are common ---------------------------------
TEXT = st.text(alphabet="abé\u0628", max_size=2)
INTS = st.one_of(st.integers(-3, 3), st.sampled_from([-(2**63), 2**63 - 1, 2**53 + 1, 10**12]))
FLOATS = st.one_of(
    st.sampled_from([-1.5, -0.0, 0.0, 0.5, 1.0, 2.0, 0.1 + 0.2, 2.0**53]),
    st.floats(allow_nan=False, allow_infinity=False),
)
BOOLS = st.booleans()
DATES = st.one_of(
    st.sampled_from(
        [
            dt.datetime(2024, 1, 1),
            dt.datetime(2024, 1, 1, 0, 0, 0, 999),  # same millisecond as the one above
            dt.datetime(2024, 1, 1, 0, 0, 0, 1000),
            dt.datetime(1999, 12, 31, 23, 59, 59, 999999),
            dt.datetime(999, 5, 5),  # years below 1000 must still sort as dates
        ]
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
)
SCALARS = st.one_of(TEXT, INTS, FLOATS, BOOLS, DATES)
#: Free-form values, the only place stored nulls and mixed types occur.
FREE = st.recursive(
    st.one_of(st.none(), TEXT, st.integers(-3, 3), st.sampled_from([0.5, -1.0]), BOOLS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["w", "v"]), inner, max_size=2)
    ),
    max_leaves=5,
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Absent (mongoengine drops None) or a value."""
    return st.one_of(st.none(), strategy)


PARTS = st.builds(StorePart, name=_maybe(TEXT), qty=_maybe(INTS), tags=st.lists(TEXT, max_size=2))
INFOS = st.builds(StoreInfo, kind=_maybe(TEXT), level=_maybe(INTS))


@st.composite
def items(draw: st.DrawFn) -> list[StoreItem]:
    count = draw(st.integers(2, 10))
    return [
        StoreItem(
            id=f"d{n:02d}",
            name=draw(_maybe(TEXT)),
            rank=draw(_maybe(INTS)),
            score=draw(_maybe(FLOATS)),
            active=draw(_maybe(BOOLS)),
            when=draw(_maybe(DATES)),
            tags=draw(st.lists(TEXT, max_size=3)),
            parts=draw(st.lists(PARTS, max_size=3)),
            info=draw(_maybe(INFOS)),
            extra=draw(st.dictionaries(st.sampled_from(["v", "w"]), FREE, max_size=2)),
        )
        for n in range(count)
    ]


# -- filters: paths by the type of value they hold ------------------------------------------
PATHS: dict[str, st.SearchStrategy[Any]] = {
    "name": TEXT,
    "info.kind": TEXT,
    "tags": TEXT,
    "parts.name": TEXT,
    "parts.tags": TEXT,
    "rank": INTS,
    "info.level": INTS,
    "parts.qty": INTS,
    "score": FLOATS,
    "active": BOOLS,
    "when": DATES,
    "extra.v": FREE.filter(lambda v: not isinstance(v, (list, dict))),
    "extra.w": SCALARS,
    "extra.v.w": SCALARS,
    "info": st.just(None),
    "extra": st.just(None),
    "_id": st.sampled_from(["d00", "d01", "d03", "d07", "d1", "e"]),
}
SORTABLE = ["name", "rank", "score", "active", "when", "info.kind", "info.level", "_id"]
RANGE_OPS = ["$gt", "$gte", "$lt", "$lte"]


def _values_at(value: Any, keys: list[str]) -> Iterator[Any]:
    """The scalars a dotted path reaches in a stored document, through lists."""
    if isinstance(value, list):
        for item in value:
            yield from _values_at(item, keys)
    elif not keys:
        if not isinstance(value, dict):
            yield value
    elif isinstance(value, dict) and keys[0] in value:
        yield from _values_at(value[keys[0]], keys[1:])


def filters(pool: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Accepted filters whose values are often the ones stored at that path.

    Independently drawn floats or datetimes would almost never be equal to a stored
    one; drawing from ``pool`` makes equality and boundary cases common.
    """

    @st.composite
    def conditions(draw: st.DrawFn, path: str) -> Any:
        """A value or operator document for ``path``; mostly well-typed, sometimes not."""
        typed = PATHS[path]
        stored = st.sampled_from(pool[path]) if pool.get(path) else typed
        value = st.one_of(stored, stored, stored, typed, SCALARS, st.none())
        if draw(st.booleans()):
            return draw(value)
        ops: dict[str, Any] = {}
        names = ["$eq", "$ne", "$in", "$nin", "$exists", *RANGE_OPS]
        for op in draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)):
            if op in ("$in", "$nin"):
                ops[op] = draw(st.lists(value, max_size=3))
            elif op == "$exists":
                ops[op] = draw(BOOLS)
            elif op in RANGE_OPS:
                ops[op] = draw(value.filter(lambda v: v is not None))
            else:
                ops[op] = draw(value)
        return ops

    @st.composite
    def clauses(draw: st.DrawFn) -> dict[str, Any]:
        paths = draw(st.lists(st.sampled_from(sorted(PATHS)), min_size=1, max_size=2, unique=True))
        return {path: draw(conditions(path)) for path in paths}

    return st.recursive(
        st.one_of(clauses(), clauses(), clauses(), st.just({})),
        lambda inner: st.builds(
            lambda op, subs: {op: subs},
            st.sampled_from(["$and", "$or"]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        max_leaves=4,
    ).filter(_accepted)


def _accepted(flt: dict[str, Any]) -> bool:
    """The compiler deliberately rejects some filters (None through lists of records...)."""
    try:
        FilterCompiler(StoreItem).compile(flt)
    except FilterError:
        return False
    return True


def queries(pool: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "filter": filters(pool),
            "sort": st.lists(
                st.tuples(st.sampled_from(SORTABLE), st.sampled_from([1, -1])), max_size=2
            ),
            "skip": st.sampled_from([0, 0, 1, 3]),
            "limit": st.sampled_from([None, None, 1, 2, 5]),
        }
    )


# -- the oracle side ----------------------------------------------------------------------------
_FALSE, _TRUE = b"\x00", b"\x01"


def _tag_booleans(value: Any) -> Any:
    """Booleans as one-byte binary values, for the oracle only.

    mongomock matches with Python ``==``, where ``False == 0`` and ``True == 1.0``;
    MongoDB never equates a boolean with a number (distinct BSON types). Binary
    values compare only with each other, keep false < true, and sort in the same
    place as booleans relative to every type these tests store (after arrays,
    before dates: nothing else here falls between binary data and booleans).
    """
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, dict):  # ($exists takes a real boolean: it is not a value)
        return {k: v if k == "$exists" else _tag_booleans(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag_booleans(v) for v in value]
    return value


def _as_server_sees_it(value: Any) -> Any:
    """What a real MongoDB server would receive (one BSON round trip), booleans tagged."""
    return _tag_booleans(bson.decode(bson.encode({"v": value}))["v"])


def _split_operators(flt: Any) -> Any:
    """``{p: {$gt: a, $lt: b}}`` -> ``{$and: [{p: {$gt: a}}, {p: {$lt: b}}]}`` for the oracle.

    Real MongoDB evaluates each operator on its own, so through an array of embedded
    documents each may be met by a different element ("Query an Array of Embedded
    Documents: a combination of elements satisfies the criteria", MongoDB manual).
    mongomock instead requires a single element to meet all of them for dotted paths
    through embedded-document lists. The rewrite is equivalent on a real server, so
    the oracle is corrected without excluding any case.
    """
    if isinstance(flt, list):
        return [_split_operators(f) for f in flt]
    if not isinstance(flt, dict):
        return flt
    parts: list[dict[str, Any]] = []
    for key, cond in flt.items():
        if key in ("$and", "$or"):
            parts.append({key: _split_operators(cond)})
        elif isinstance(cond, dict) and cond and all(k.startswith("$") for k in cond):
            parts.extend(_single_operator(key, op, arg) for op, arg in cond.items())
        else:
            parts.append({key: cond})
    if len(parts) <= 1:
        return parts[0] if parts else {}
    return {"$and": parts}


def _single_operator(path: str, op: str, arg: Any) -> dict[str, Any]:
    """``$exists: false`` -> ``$nor: [{path: {$exists: true}}]`` for the oracle.

    MongoDB defines ``$exists: false`` as the negation of ``$exists: true``, so
    ``{"parts.qty": {"$exists": false}}`` does not match ``parts: [{}, {qty: 0}]``
    (one element has the field). mongomock matches it because *some* element lacks
    the field. ``$nor`` is the same query on a real server and mongomock gets it right.
    """
    if op == "$exists" and arg is False:
        return {"$nor": [{path: {"$exists": True}}]}
    return {path: {op: arg}}


def oracle_find(
    coll: Any, flt: dict[str, Any], sort: list[tuple[str, int]], skip: int, limit: int | None
) -> list[str]:
    query = _split_operators(_as_server_sees_it(flt))
    terms = list(sort)
    if not any(key == "_id" for key, _ in terms):  # ties go the first key's way
        terms.append(("_id", -1 if terms and terms[0][1] == -1 else 1))
    cursor = coll.find(query, sort=terms, skip=skip)
    if limit:
        cursor = cursor.limit(limit)
    return [doc["_id"] for doc in cursor]


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[SQLiteStore, Any]]:
    """A SQLite store and a mongomock collection, emptied before every example."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "diff.sqlite3")
        oracle = mongomock.MongoClient().mizan_oracle[StoreItem.collection_name()]
        yield store, oracle
        store.close()


def _load(pair: tuple[SQLiteStore, Any], docs: list[StoreItem]) -> dict[str, list[Any]]:
    """Put ``docs`` into both stores (emptied first); the stored values by path, for filters."""
    store, oracle = pair
    table = store.ensure(StoreItem)
    store.connection().execute(f"DELETE FROM {table}")
    oracle.delete_many({})
    note(f"documents: {[doc.to_mongo().to_dict() for doc in docs]!r}")
    for doc in docs:
        store.insert(doc)
        oracle.insert_one(_as_server_sees_it(doc.to_mongo().to_dict()))
    sons = [doc.to_mongo().to_dict() for doc in docs]
    pool = {}
    for path in PATHS:
        values = {repr(v): v for son in sons for v in _values_at(son, path.split("."))}
        pool[path] = sorted(values.values(), key=repr)  # a stable order: derandomized runs
    return pool


# -- the properties -------------------------------------------------------------------------------
@SETTINGS
@given(docs=items(), data=st.data())
def test_find_and_count_agree_with_the_oracle(
    pair: tuple[SQLiteStore, Any], docs: list[StoreItem], data: st.DataObject
) -> None:
    pool = _load(pair, docs)
    store, oracle = pair
    for q in data.draw(st.lists(queries(pool), min_size=1, max_size=4), label="queries"):
        flt, sort = q["filter"], q["sort"]
        expected = oracle_find(oracle, flt, sort, q["skip"], q["limit"])
        got = store.find(StoreItem, flt, sort=sort, skip=q["skip"], limit=q["limit"])
        assert [d.id for d in got] == expected, q
        matched = len(oracle_find(oracle, flt, [], 0, None))
        assert store.count(StoreItem, flt) == matched, q
        # Coverage of the generator (pytest --hypothesis-show-statistics).
        event("matches " + ("none" if not matched else "all" if matched == len(docs) else "some"))


GROUPABLE = ["name", "rank", "active", "when", "info.kind", "tags"]


@SETTINGS
@given(docs=items(), field=st.sampled_from(GROUPABLE), data=st.data())
def test_group_count_agrees_with_the_oracle(
    pair: tuple[SQLiteStore, Any], docs: list[StoreItem], field: str, data: st.DataObject
) -> None:
    pool = _load(pair, docs)
    store, oracle = pair
    flt = data.draw(st.one_of(st.just({}), filters(pool)), label="filter")
    pipeline: list[dict[str, Any]] = [{"$match": _split_operators(_as_server_sees_it(flt))}]
    if field == "tags":  # each distinct element once per document
        pipeline += [
            {"$unwind": "$tags"},
            {"$group": {"_id": {"v": "$tags", "d": "$_id"}}},
            {"$group": {"_id": "$_id.v", "n": {"$sum": 1}}},
        ]
    else:
        pipeline.append({"$group": {"_id": f"${field}", "n": {"$sum": 1}}})
    expected: dict[Any, int] = {}
    for row in oracle.aggregate(pipeline):
        key = {_FALSE: False, _TRUE: True}.get(row["_id"], row["_id"])
        expected[key] = expected.get(key, 0) + row["n"]
    assert store.group_count(StoreItem, field, flt) == expected


def test_oracle_rewrite_is_needed_and_harmless() -> None:
    """Guards the one oracle rewrite: drop it if mongomock is ever fixed."""
    coll = mongomock.MongoClient().db.guard
    coll.insert_many([{"_id": 1, "p": [{"q": 5}, {"q": 25}]}, {"_id": 2, "p": [{"q": 15}]}])
    flt = {"p.q": {"$gt": 10, "$lt": 20}}
    assert [d["_id"] for d in coll.find(flt)] == [2]  # mongomock: same-element semantics
    assert [d["_id"] for d in coll.find(_split_operators(flt))] == [1, 2]  # MongoDB semantics
