"""Storage test fixtures: the test schema and a ``store`` fixture for every adapter.

The contract suite runs once per adapter. SQLite always runs (a real file in
``tmp_path``); MongoDB runs only when ``MIZAN_MONGODB_URI`` points at a server,
because none can be installed on the development machines.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import mongoengine as me
import pytest

from mizan.storage import DocumentStore, Model
from mizan.storage.sqlite_store import SQLiteStore

MONGODB_URI_ENV = "MIZAN_MONGODB_URI"
NO_MONGODB = "MIZAN_MONGODB_URI is not set: no MongoDB server on this machine"


class StorePart(me.EmbeddedDocument):
    """An element of an embedded-document list (dotted paths fan out over it)."""

    name = me.StringField()
    qty = me.IntField()
    tags = me.ListField(me.StringField())


class StoreInfo(me.EmbeddedDocument):
    """A single embedded document (dotted paths without a list)."""

    kind = me.StringField()
    level = me.IntField()


class StoreItem(Model):
    """One field of every kind the port must handle, plus a unique and indexed fields."""

    label = "item"
    meta = {"collection": "test_store_items", "indexes": ["name", ("rank", "-score"), "tags"]}

    # sparse: several items may lack a code on MongoDB too (SQLite's UNIQUE ignores NULLs).
    code = me.StringField(unique=True, sparse=True)
    name = me.StringField()
    rank = me.IntField()
    score = me.FloatField()
    active = me.BooleanField()
    when = me.DateTimeField()
    tags = me.ListField(me.StringField())
    parts = me.EmbeddedDocumentListField(StorePart)
    info = me.EmbeddedDocumentField(StoreInfo)
    #: Free-form values: the only place a stored null (rather than a missing field) occurs.
    extra = me.DictField()


def _sqlite(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "store.sqlite3")
    yield store
    store.close()


def _mongodb() -> Iterator[DocumentStore]:
    uri = os.environ.get(MONGODB_URI_ENV)
    if not uri:
        pytest.skip(NO_MONGODB)
    import pymongo

    from mizan.storage.mongo_store import MongoStore

    client: pymongo.MongoClient = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)
    db_name = f"mizan_test_{uuid.uuid4().hex[:12]}"  # throwaway, dropped below
    store = MongoStore(client, db_name)
    try:
        yield store
    finally:
        store.close()
        client.drop_database(db_name)
        client.close()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("mongodb", id="mongodb", marks=pytest.mark.mongodb),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DocumentStore]:
    """Every adapter behind the one port; the contract suite must pass on each."""
    if request.param == "sqlite":
        yield from _sqlite(tmp_path)
    else:
        yield from _mongodb()
