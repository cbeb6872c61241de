"""The document-store contract: one suite, run against every adapter.

Expected results are written out by hand from MongoDB's documented query
semantics, so the same assertions hold for SQLite and for a real server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mizan.storage import (
    DocumentStore,
    DuplicateKeyError,
    FilterError,
    NotFoundError,
    StaleWriteError,
)

from .conftest import StoreInfo, StoreItem, StorePart

D = dt.datetime


def _ids(docs: list[StoreItem]) -> list[str]:
    return [d.id for d in docs]


def _requires_transactions(store: DocumentStore) -> None:
    if not getattr(store, "supports_transactions", True):
        pytest.skip("standalone MongoDB server: no multi-document transactions to roll back")


# -- basic writes and reads -----------------------------------------------------------------
def test_insert_then_get_returns_equal_document(store: DocumentStore) -> None:
    item = StoreItem(
        name="alpha",
        rank=3,
        score=1.5,
        active=True,
        tags=["a", "b"],
        parts=[StorePart(name="bolt", qty=2, tags=["steel"])],
        info=StoreInfo(kind="box", level=1),
        extra={"v": None, "w": [1, "x"]},
    )
    store.insert(item)
    got = store.get(StoreItem, item.id)
    assert got is not item
    assert got.to_mongo().to_dict() == item.to_mongo().to_dict()
    assert got.parts[0].tags == ["steel"]
    assert got.extra == {"v": None, "w": [1, "x"]}


def test_get_missing_raises_not_found(store: DocumentStore) -> None:
    with pytest.raises(NotFoundError, match="No item with id nope"):
        store.get(StoreItem, "nope")
    assert store.find_one(StoreItem, {"name": "nobody"}) is None


def test_version_starts_at_one_and_increments(store: DocumentStore) -> None:
    item = store.insert(StoreItem(name="a"))
    assert item.version == 1
    item.name = "b"
    store.replace(item)
    assert item.version == 2
    store.replace(item)
    got = store.get(StoreItem, item.id)
    assert (got.version, got.name) == (3, "b")


def test_second_writer_of_same_version_is_refused_and_first_change_kept(
    store: DocumentStore,
) -> None:
    store.insert(StoreItem(id="doc", name="original", rank=1))
    first = store.get(StoreItem, "doc")
    second = store.get(StoreItem, "doc")
    first.name = "first"
    store.replace(first)
    second.name = "second"
    with pytest.raises(StaleWriteError) as caught:
        store.replace(second)
    err = caught.value
    assert (err.doc_id, err.expected, err.current) == ("doc", 1, 2)
    assert "you had version 1, it is now version 2" in str(err)
    assert second.version == 1  # untouched, so the caller can reload and retry
    stored = store.get(StoreItem, "doc")
    assert (stored.name, stored.version) == ("first", 2)


def test_stale_delete_is_refused(store: DocumentStore) -> None:
    store.insert(StoreItem(id="doc", name="a"))
    stale = store.get(StoreItem, "doc")
    fresh = store.get(StoreItem, "doc")
    store.replace(fresh)
    with pytest.raises(StaleWriteError):
        store.delete(stale)
    assert store.get(StoreItem, "doc").version == 2
    store.delete(fresh)
    with pytest.raises(NotFoundError):
        store.get(StoreItem, "doc")


def test_write_to_deleted_document_raises_not_found(store: DocumentStore) -> None:
    item = store.insert(StoreItem(id="gone"))
    copy = store.get(StoreItem, "gone")
    store.delete(item)
    with pytest.raises(NotFoundError, match="no longer exists"):
        store.replace(copy)
    with pytest.raises(NotFoundError):
        store.delete(copy)


def test_duplicate_unique_value_is_refused(store: DocumentStore) -> None:
    store.insert(StoreItem(code="C-1", name="first"))
    dup = StoreItem(code="C-1", name="second")
    with pytest.raises(DuplicateKeyError, match="same unique value"):
        store.insert(dup)
    assert dup.version == 0
    assert store.count(StoreItem, {"code": "C-1"}) == 1
    # A replace that would create the duplicate is refused too, and leaves the version alone.
    other = store.insert(StoreItem(code="C-2"))
    other.code = "C-1"
    with pytest.raises(DuplicateKeyError):
        store.replace(other)
    assert other.version == 1
    assert store.get(StoreItem, other.id).code == "C-2"


def test_unique_field_may_be_missing_on_many_documents(store: DocumentStore) -> None:
    store.insert(StoreItem(name="no code 1"))
    store.insert(StoreItem(name="no code 2"))
    assert store.count(StoreItem) == 2


def test_duplicate_id_is_refused(store: DocumentStore) -> None:
    store.insert(StoreItem(id="same", name="first"))
    with pytest.raises(DuplicateKeyError, match="already exists"):
        store.insert(StoreItem(id="same", name="second"))
    assert store.get(StoreItem, "same").name == "first"


def test_datetime_round_trip_at_millisecond_precision(store: DocumentStore) -> None:
    naive = store.insert(StoreItem(id="n", when=D(2024, 5, 6, 7, 8, 9, 123456)))
    aware = store.insert(
        StoreItem(
            id="a", when=D(2024, 5, 6, 10, 8, 9, 999999, tzinfo=dt.timezone(dt.timedelta(hours=3)))
        )
    )
    assert store.get(StoreItem, naive.id).when == D(2024, 5, 6, 7, 8, 9, 123000)
    # Stored as UTC without a zone, as BSON does.
    assert store.get(StoreItem, aware.id).when == D(2024, 5, 6, 7, 8, 9, 999000)
    # Filter values are truncated the same way, so the original value still finds it.
    assert _ids(store.find(StoreItem, {"when": D(2024, 5, 6, 7, 8, 9, 123456)})) == ["n"]
    assert _ids(store.find(StoreItem, {"when": {"$gt": D(2024, 5, 6, 7, 8, 9, 123999)}})) == ["a"]


def test_dates_before_year_1000_compare_and_sort_as_dates(store: DocumentStore) -> None:
    store.insert(StoreItem(id="new", when=D(2024, 1, 1)))
    store.insert(StoreItem(id="old", when=D(999, 12, 31, 23, 59, 59, 999000)))
    store.insert(StoreItem(id="ancient", when=D(1, 1, 1)))
    assert _ids(store.find(StoreItem, sort=[("when", 1)])) == ["ancient", "old", "new"]
    assert _ids(store.find(StoreItem, {"when": {"$lt": D(1000, 1, 1)}})) == ["ancient", "old"]
    assert store.get(StoreItem, "old").when == D(999, 12, 31, 23, 59, 59, 999000)


# -- filters -----------------------------------------------------------------------------------
@pytest.fixture
def catalog(store: DocumentStore) -> DocumentStore:
    """Five items whose answers to every filter below were worked out by hand."""
    bolt = StorePart(name="bolt", qty=2, tags=["steel"])
    store.insert(
        StoreItem(
            id="i1",
            code="c1",
            name="alpha",
            rank=3,
            score=1.5,
            active=True,
            when=D(2024, 1, 1, 10),
            tags=["red", "blue"],
            parts=[bolt, StorePart(name="nut", qty=10)],
            info=StoreInfo(kind="box", level=1),
            extra={"v": 1},
        )
    )
    store.insert(
        StoreItem(
            id="i2",
            code="c2",
            name="beta",
            rank=-1,
            score=2.0,
            active=False,
            when=D(2024, 2, 1),
            tags=["blue"],
            parts=[StorePart(name="nut", qty=1)],
            info=StoreInfo(kind="bag", level=2),
            extra={"v": None},
        )
    )
    store.insert(
        StoreItem(
            id="i3",
            code="c3",
            name="alpha",
            rank=7,
            score=-0.5,
            active=True,
            when=D(2023, 12, 31, 23, 59, 59, 999000),
            extra={"v": "x"},
        )
    )
    store.insert(
        StoreItem(
            id="i4",
            name="gamma",
            rank=3,
            tags=["green"],
            parts=[StorePart(name="bolt", qty=5)],
            info=StoreInfo(kind="box"),
        )
    )
    store.insert(StoreItem(id="i5", code="c5", rank=0, score=0.0, active=False, tags=["red"]))
    return store


FILTER_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, ["i1", "i2", "i3", "i4", "i5"]),
    # equality and $eq
    ({"name": "alpha"}, ["i1", "i3"]),
    ({"name": {"$eq": "beta"}}, ["i2"]),
    ({"code": "c2"}, ["i2"]),
    ({"score": 2}, ["i2"]),  # an int matches an equal float
    ({"active": True}, ["i1", "i3"]),
    ({"active": False}, ["i2", "i5"]),  # false is not the same as missing
    ({"rank": 0}, ["i5"]),  # 0 is not false
    ({"when": D(2023, 12, 31, 23, 59, 59, 999000)}, ["i3"]),
    # $ne / $nin match documents that lack the field
    ({"name": {"$ne": "alpha"}}, ["i2", "i4", "i5"]),
    ({"active": {"$ne": True}}, ["i2", "i4", "i5"]),
    ({"when": {"$ne": D(2024, 2, 1)}}, ["i1", "i3", "i4", "i5"]),
    ({"name": {"$in": ["beta", "gamma"]}}, ["i2", "i4"]),
    ({"name": {"$in": []}}, []),
    ({"name": {"$nin": ["alpha", "beta"]}}, ["i4", "i5"]),
    ({"name": {"$nin": []}}, ["i1", "i2", "i3", "i4", "i5"]),
    # missing and null
    ({"name": None}, ["i5"]),
    ({"name": {"$ne": None}}, ["i1", "i2", "i3", "i4"]),
    ({"name": {"$in": [None, "beta"]}}, ["i2", "i5"]),
    ({"score": {"$exists": False}}, ["i4"]),
    ({"when": {"$exists": True}}, ["i1", "i2", "i3"]),
    ({"extra.v": {"$exists": True}}, ["i1", "i2", "i3"]),  # a stored null exists
    ({"extra.v": 1}, ["i1"]),
    # ranges (only values of the same type compare)
    ({"rank": {"$gt": 3}}, ["i3"]),
    ({"rank": {"$gte": 3}}, ["i1", "i3", "i4"]),
    ({"rank": {"$lt": 0}}, ["i2"]),
    ({"rank": {"$lte": 0}}, ["i2", "i5"]),
    ({"rank": {"$gt": 0, "$lt": 7}}, ["i1", "i4"]),
    ({"score": {"$gte": 1.5}}, ["i1", "i2"]),
    ({"score": {"$lt": 0}}, ["i3"]),
    ({"name": {"$gte": "b"}}, ["i2", "i4"]),
    ({"name": {"$gt": 0}}, []),  # a number never compares with text
    ({"active": {"$gt": False}}, ["i1", "i3"]),
    ({"when": {"$gte": D(2024, 1, 1)}}, ["i1", "i2"]),
    ({"when": {"$lt": D(2024, 1, 1)}}, ["i3"]),
    # array membership
    ({"tags": "blue"}, ["i1", "i2"]),
    ({"tags": {"$in": ["green", "red"]}}, ["i1", "i4", "i5"]),
    ({"tags": {"$nin": ["red"]}}, ["i2", "i3", "i4"]),
    ({"tags": {"$ne": "blue"}}, ["i3", "i4", "i5"]),
    ({"tags": {"$gt": "q"}}, ["i1", "i5"]),  # some element is greater
    ({"tags": {"$exists": True}}, ["i1", "i2", "i3", "i4", "i5"]),  # [] exists
    # dotted paths into lists of embedded documents
    ({"parts.name": "nut"}, ["i1", "i2"]),
    ({"parts.qty": {"$gte": 5}}, ["i1", "i4"]),
    # each condition may be met by a different element (no $elemMatch)
    ({"parts.qty": {"$gt": 2, "$lt": 10}}, ["i1", "i4"]),
    ({"parts.name": {"$ne": "bolt"}}, ["i2", "i3", "i5"]),
    ({"parts.name": {"$nin": ["nut"]}}, ["i3", "i4", "i5"]),
    ({"parts.name": {"$exists": False}}, ["i3", "i5"]),
    ({"parts.tags": "steel"}, ["i1"]),
    # dotted paths into a single embedded document
    ({"info.kind": "box"}, ["i1", "i4"]),
    ({"info.level": {"$exists": False}}, ["i3", "i4", "i5"]),
    ({"info.kind": None}, ["i3", "i5"]),
    # logic
    ({"$or": [{"name": "beta"}, {"rank": {"$gt": 5}}]}, ["i2", "i3"]),
    ({"$and": [{"tags": "red"}, {"active": True}]}, ["i1"]),
    ({"$or": [{"$and": [{"name": "alpha"}, {"rank": 3}]}, {"name": "gamma"}]}, ["i1", "i4"]),
    ({"name": "alpha", "$or": [{"rank": 7}, {"tags": "nothing"}]}, ["i3"]),
    # ids
    ({"_id": "i3"}, ["i3"]),
    ({"_id": {"$in": ["i2", "i4", "zz"]}}, ["i2", "i4"]),
    ({"_id": {"$gt": "i3"}}, ["i4", "i5"]),
    ({"_id": {"$ne": "i1"}, "rank": 3}, ["i4"]),
]


@pytest.mark.parametrize(("flt", "expected"), FILTER_CASES, ids=[repr(c[0]) for c in FILTER_CASES])
def test_filter_operator(catalog: DocumentStore, flt: dict[str, Any], expected: list[str]) -> None:
    assert _ids(catalog.find(StoreItem, flt)) == expected
    assert catalog.count(StoreItem, flt) == len(expected)
    first = catalog.find_one(StoreItem, flt)
    assert (first.id if first else None) == (expected[0] if expected else None)


REJECTED_FILTERS: list[dict[str, Any]] = [
    {"nope": 1},  # unknown field
    {"parts.nope": 1},  # unknown field inside a list of records
    {"name.sub": 1},  # a plain value has no fields
    {"name": {"$regex": "^a"}},  # unsupported operators
    {"name": {"$size": 1}},
    {"parts": {"$elemMatch": {"qty": 1}}},
    {"$nor": [{"name": "alpha"}]},
    {"$where": "true"},
    {"name": {"$in": "alpha"}},  # $in needs a list
    {"rank": {"$gt": None}},
    {"active": {"$exists": "yes"}},
    {"info": {"kind": "box"}},  # whole-record equality
    {"tags": ["red", "blue"]},  # whole-list equality
    {"parts.name": None},  # None through a list of records
    {"$or": []},
    {"rank": {"$gt": float("nan")}},
]


@pytest.mark.parametrize("flt", REJECTED_FILTERS, ids=[repr(f) for f in REJECTED_FILTERS])
def test_filter_outside_the_subset_raises_filter_error(
    catalog: DocumentStore, flt: dict[str, Any]
) -> None:
    with pytest.raises(FilterError):
        catalog.find(StoreItem, flt)
    with pytest.raises(FilterError):
        catalog.count(StoreItem, flt)


@pytest.mark.parametrize(
    "sort", [[("nope", 1)], [("tags", 1)], [("parts.qty", 1)], [("rank", 2)]], ids=repr
)
def test_bad_sort_raises_filter_error(catalog: DocumentStore, sort: list[tuple[str, int]]) -> None:
    with pytest.raises(FilterError):
        catalog.find(StoreItem, {}, sort=sort)


# -- sorting and paging ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ([("rank", 1)], ["i2", "i5", "i1", "i4", "i3"]),  # the tie in id order
        ([("rank", -1)], ["i3", "i4", "i1", "i5", "i2"]),  # tie newest id first, like the key
        ([("name", 1)], ["i5", "i1", "i3", "i2", "i4"]),  # missing sorts first
        ([("name", -1)], ["i4", "i2", "i3", "i1", "i5"]),
        ([("name", 1), ("rank", -1)], ["i5", "i3", "i1", "i2", "i4"]),
        ([("when", -1)], ["i2", "i1", "i3", "i5", "i4"]),
        ([("info.kind", 1)], ["i3", "i5", "i2", "i1", "i4"]),
        ([("_id", -1)], ["i5", "i4", "i3", "i2", "i1"]),
    ],
    ids=repr,
)
def test_sort_breaks_ties_by_id(
    catalog: DocumentStore, sort: list[tuple[str, int]], expected: list[str]
) -> None:
    assert _ids(catalog.find(StoreItem, {}, sort=sort)) == expected


def test_skip_limit_pages_cover_everything_once(store: DocumentStore) -> None:
    for n in range(23):
        store.insert(StoreItem(id=f"p{n:02d}", rank=n % 4))
    sort = [("rank", -1)]
    whole = _ids(store.find(StoreItem, {}, sort=sort))
    pages = [_ids(store.find(StoreItem, {}, sort=sort, skip=s, limit=5)) for s in range(0, 25, 5)]
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [i for page in pages for i in page] == whole
    assert len(set(whole)) == 23
    assert _ids(store.find(StoreItem, {"rank": 1}, sort=sort, skip=2, limit=2)) == ["p13", "p09"]
    assert store.find(StoreItem, {}, limit=0) == []


# -- counting ----------------------------------------------------------------------------------
def test_count(catalog: DocumentStore) -> None:
    assert catalog.count(StoreItem) == 5
    assert catalog.count(StoreItem, {"tags": "red"}) == 2
    assert catalog.count(StoreItem, {"name": "nobody"}) == 0


def test_group_count_scalar_field(catalog: DocumentStore) -> None:
    assert catalog.group_count(StoreItem, "name") == {"alpha": 2, "beta": 1, "gamma": 1, None: 1}
    assert catalog.group_count(StoreItem, "rank", {"rank": {"$gte": 0}}) == {3: 2, 7: 1, 0: 1}
    assert catalog.group_count(StoreItem, "active") == {True: 2, False: 2, None: 1}
    assert catalog.group_count(StoreItem, "info.kind") == {"box": 2, "bag": 1, None: 2}


def test_group_count_list_field_counts_documents_per_element(catalog: DocumentStore) -> None:
    catalog.insert(StoreItem(id="i6", tags=["red", "red", "blue"]))
    assert catalog.group_count(StoreItem, "tags") == {"red": 3, "blue": 3, "green": 1}
    assert catalog.group_count(StoreItem, "tags", {"name": "alpha"}) == {"red": 1, "blue": 1}


def test_group_count_list_field_with_an_id_filter(catalog: DocumentStore) -> None:
    flt = {"_id": {"$in": ["i1", "i2"]}}
    assert catalog.group_count(StoreItem, "tags", flt) == {"red": 1, "blue": 2}


def test_group_count_refuses_a_field_inside_a_list_of_records(catalog: DocumentStore) -> None:
    with pytest.raises(ValueError):
        catalog.group_count(StoreItem, "parts.name")


def test_iter_all_yields_every_match_in_id_order_across_batches(store: DocumentStore) -> None:
    for n in range(11):
        store.insert(StoreItem(id=f"d{n:02d}", rank=n))
    assert [d.id for d in store.iter_all(StoreItem, batch=3)] == [f"d{n:02d}" for n in range(11)]
    assert [d.id for d in store.iter_all(StoreItem, batch=4)] == [f"d{n:02d}" for n in range(11)]
    odd = [d.rank for d in store.iter_all(StoreItem, {"rank": {"$in": [1, 3, 5, 7, 9]}}, batch=2)]
    assert odd == [1, 3, 5, 7, 9]
    assert list(store.iter_all(StoreItem, {"rank": 99})) == []


# -- transactions ------------------------------------------------------------------------------
class Boom(Exception):
    pass


def test_transaction_commits_all_writes(store: DocumentStore) -> None:
    with store.transaction():
        store.insert(StoreItem(id="t1"))
        store.insert(StoreItem(id="t2"))
        # Reads inside the transaction see its own writes.
        assert store.count(StoreItem) == 2
    assert _ids(store.find(StoreItem)) == ["t1", "t2"]


def test_transaction_rolls_back_everything_on_exception(store: DocumentStore) -> None:
    _requires_transactions(store)
    kept = store.insert(StoreItem(id="kept", name="before"))
    with pytest.raises(Boom), store.transaction():
        store.insert(StoreItem(id="t1"))
        kept.name = "during"
        store.replace(kept)
        raise Boom
    assert _ids(store.find(StoreItem)) == ["kept"]
    stored = store.get(StoreItem, "kept")
    assert (stored.name, stored.version) == ("before", 1)


def test_collection_first_used_in_a_rolled_back_transaction_still_works(
    store: DocumentStore,
) -> None:
    _requires_transactions(store)
    with pytest.raises(Boom), store.transaction():
        store.insert(StoreItem(id="first"))  # the very first use of this collection
        raise Boom
    assert store.count(StoreItem) == 0
    store.insert(StoreItem(id="second"))
    assert _ids(store.find(StoreItem)) == ["second"]


def test_nested_transaction_joins_the_outer_one(store: DocumentStore) -> None:
    _requires_transactions(store)
    with pytest.raises(Boom), store.transaction():
        store.insert(StoreItem(id="outer"))
        with store.transaction():
            store.insert(StoreItem(id="inner"))
        # The inner block ended but committed nothing on its own.
        raise Boom
    assert store.count(StoreItem) == 0

    with store.transaction():
        with store.transaction():
            store.insert(StoreItem(id="inner"))
        store.insert(StoreItem(id="outer"))
    assert _ids(store.find(StoreItem)) == ["inner", "outer"]


def test_error_in_nested_transaction_rolls_back_the_outer_one(store: DocumentStore) -> None:
    _requires_transactions(store)
    with pytest.raises(Boom), store.transaction():
        store.insert(StoreItem(id="outer"))
        with store.transaction():
            store.insert(StoreItem(id="inner"))
            raise Boom
    assert store.count(StoreItem) == 0


def test_on_commit_runs_after_the_outermost_commit_only(store: DocumentStore) -> None:
    events: list[str] = []
    with store.transaction():
        store.insert(StoreItem(id="x"))
        store.on_commit(lambda: events.append(f"outer sees {store.count(StoreItem)}"))
        with store.transaction():
            store.on_commit(lambda: events.append("inner"))
        assert events == []  # not at the end of the nested block
    assert events == ["outer sees 1", "inner"]


def test_on_commit_does_not_run_after_rollback(store: DocumentStore) -> None:
    events: list[str] = []
    with pytest.raises(Boom), store.transaction():
        store.on_commit(lambda: events.append("committed"))
        raise Boom
    assert events == []
    # The dropped callback does not leak into the next transaction either.
    with store.transaction():
        pass
    assert events == []


def test_the_same_on_commit_callback_runs_once_per_transaction(store: DocumentStore) -> None:
    """Many writers asking for the same follow-up (an outbox drain) get one run, in order."""
    events: list[str] = []

    def follow_up() -> None:
        events.append("follow-up")

    with store.transaction():
        store.on_commit(follow_up)
        store.on_commit(lambda: events.append("other"))
        with store.transaction():
            store.on_commit(follow_up)
        store.on_commit(follow_up)
    assert events == ["follow-up", "other"]
    with store.transaction():  # the next transaction asks afresh
        store.on_commit(follow_up)
    assert events == ["follow-up", "other", "follow-up"]


def test_on_commit_outside_a_transaction_runs_now(store: DocumentStore) -> None:
    events: list[str] = []
    store.on_commit(lambda: events.append("now"))
    assert events == ["now"]


def test_failed_write_inside_a_transaction_rolls_back_the_others(store: DocumentStore) -> None:
    _requires_transactions(store)
    store.insert(StoreItem(id="dup", code="C"))
    with pytest.raises(DuplicateKeyError), store.transaction():
        store.insert(StoreItem(id="new"))
        store.insert(StoreItem(code="C"))
    assert _ids(store.find(StoreItem)) == ["dup"]


def test_ping(store: DocumentStore) -> None:
    ok, text = store.ping()
    assert ok is True
    assert text
