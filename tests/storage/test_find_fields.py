"""``find_fields``: a projection that reads only some fields, on SQLite and on MongoDB
(mongomock stands in for the server here: the adapter's own code path is what is tested)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import mongomock
import pytest

from mizan.storage import DocumentStore, FilterError
from mizan.storage.mongo_store import MongoStore
from mizan.storage.sqlite_store import SQLiteStore

from .conftest import StoreInfo, StoreItem, StorePart

WHEN = dt.datetime(2024, 3, 1, 9, 30, 0, 123000)


@pytest.fixture(params=["sqlite", "mongomock"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DocumentStore]:
    store: DocumentStore
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "store.sqlite3")
    else:
        store = MongoStore(mongomock.MongoClient(), "mizan_find_fields")
    yield store
    store.close()


def _items(store: DocumentStore) -> list[StoreItem]:
    return [
        store.insert(
            StoreItem(
                name="[not json]",
                rank=1,
                when=WHEN,
                tags=["a", "b"],
                parts=[StorePart(name="p", qty=2, tags=["x"])],
                info=StoreInfo(kind="k", level=3),
            )
        ),
        store.insert(StoreItem(name="{b}", rank=2)),
        store.insert(StoreItem(name="c", rank=3, tags=["b"])),
    ]


def test_reads_only_the_named_fields_with_their_values(any_store: DocumentStore) -> None:
    first, second, _third = _items(any_store)
    found = any_store.find_fields(
        StoreItem, ["name", "when", "parts", "info"], {"rank": {"$lt": 3}}
    )
    assert [d.id for d in found] == sorted([first.id, second.id])
    got = {d.id: d for d in found}[first.id]
    # Text that looks like JSON stays text; dates, lists and sub-documents come back whole.
    assert got.name == "[not json]" and got.when == WHEN
    assert got.parts[0].name == "p" and got.parts[0].qty == 2 and got.parts[0].tags == ["x"]
    assert got.info.kind == "k" and got.info.level == 3
    assert got.version == 1
    # Fields not asked for are left at their defaults.
    assert got.rank is None and got.tags == []
    assert {d.id: d.name for d in found}[second.id] == "{b}"


def test_missing_fields_and_filters_on_lists(any_store: DocumentStore) -> None:
    first, _second, third = _items(any_store)
    found = any_store.find_fields(StoreItem, ["tags", "info"], {"tags": "b"})
    assert [d.id for d in found] == sorted([first.id, third.id])
    assert {d.id: d.info for d in found}[third.id] is None
    assert any_store.find_fields(StoreItem, [], {"rank": 2})[0].name is None


def test_unknown_field_is_refused(any_store: DocumentStore) -> None:
    _items(any_store)
    with pytest.raises(FilterError):
        any_store.find_fields(StoreItem, ["name", "nope"])


def test_find_values_gives_plain_values_of_the_named_fields(any_store: DocumentStore) -> None:
    first, second, _third = _items(any_store)
    found = any_store.find_values(StoreItem, ["name", "when", "parts"], {"rank": {"$lt": 3}})
    assert [d["_id"] for d in found] == sorted([first.id, second.id])
    got = {d["_id"]: d for d in found}
    # Plain dicts and datetimes, no model objects; unset fields are absent.
    assert got[first.id]["name"] == "[not json]" and got[first.id]["when"] == WHEN
    assert got[first.id]["parts"] == [{"name": "p", "qty": 2, "tags": ["x"]}]
    assert "rank" not in got[first.id] and "tags" not in got[first.id]
    assert "when" not in got[second.id] and got[second.id]["name"] == "{b}"
    with pytest.raises(FilterError):
        any_store.find_values(StoreItem, ["nope"])
