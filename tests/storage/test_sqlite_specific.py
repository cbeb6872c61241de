"""Guarantees only the SQLite adapter has to give: one file shared by processes, on disk."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path
from typing import Any

from mizan.storage import StaleWriteError
from mizan.storage.sqlite_store import SQLiteStore

from .conftest import StoreItem

ROUNDS = 60
TABLE = f"c_{StoreItem.collection_name()}"


def _increment(path: str, rounds: int, barrier: Any, results: Any) -> None:
    """Read-modify-write the shared counter ``rounds`` times; report (applied, refused)."""
    store = SQLiteStore(Path(path))
    applied = refused = 0
    barrier.wait()  # start together, so the two processes really interleave
    for _ in range(rounds):
        item = store.get(StoreItem, "counter")
        item.rank += 1
        time.sleep(0.002)  # widen the window between read and write
        try:
            store.replace(item)
            applied += 1
        except StaleWriteError:
            refused += 1
    store.close()
    results.put((applied, refused))


def test_two_processes_never_lose_an_update(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    store = SQLiteStore(path)
    store.insert(StoreItem(id="counter", rank=0))
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters: nothing inherited
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_increment, args=(str(path), ROUNDS, barrier, results)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0  # no "database is locked": the busy timeout waits
    applied = sum(a for a, _ in outcomes)
    refused = sum(r for _, r in outcomes)
    assert applied + refused == 2 * ROUNDS
    final = store.get(StoreItem, "counter")
    # Every applied increment is in the counter: none was overwritten by a stale write.
    assert final.rank == applied
    assert final.version == applied + 1
    # The processes did collide (otherwise this test would prove nothing).
    assert refused > 0


def _plan(store: SQLiteStore, flt: dict[str, Any]) -> str:
    """EXPLAIN QUERY PLAN of the statement ``find`` really runs for ``flt``."""
    statements: list[str] = []
    conn = store.connection()
    conn.set_trace_callback(statements.append)
    try:
        store.find(StoreItem, flt)
    finally:
        conn.set_trace_callback(None)
    (select,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    rows = conn.execute(f"EXPLAIN QUERY PLAN {select}").fetchall()
    return " | ".join(row[-1] for row in rows)


def test_equality_on_an_indexed_field_uses_the_expression_index(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "plan.sqlite3")
    for n in range(50):
        store.insert(StoreItem(name=f"n{n % 7}", rank=n % 5, score=float(n), active=n % 2 == 0))
    assert f"USING INDEX ix_{TABLE}_name" in _plan(store, {"name": "n3"})
    # The compound index (rank, -score) serves its leading field.
    assert f"USING INDEX ix_{TABLE}_rank_score" in _plan(store, {"rank": 2})
    # An undeclared field has no expression index: a scan (shows the checks above can fail).
    plan = _plan(store, {"active": True})
    assert f"SCAN {TABLE}" in plan and f"ix_{TABLE}_" not in plan


def test_a_new_store_on_the_same_file_sees_the_data(tmp_path: Path) -> None:
    path = tmp_path / "reopen.sqlite3"
    first = SQLiteStore(path)
    item = first.insert(StoreItem(id="kept", name="alpha", tags=["a"]))
    item.name = "beta"
    first.replace(item)
    first.close()

    second = SQLiteStore(path)
    got = second.get(StoreItem, "kept")
    assert (got.name, got.version, got.tags) == ("beta", 2, ["a"])
    assert second.count(StoreItem, {"tags": "a"}) == 1
    got.name = "gamma"
    second.replace(got)  # the version carried over, so writes continue from it
    assert second.get(StoreItem, "kept").version == 3
    journal = second.connection().execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"
    second.close()


def test_backup_is_a_readable_consistent_copy(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "live.sqlite3")
    for n in range(5):
        store.insert(StoreItem(id=f"b{n}", rank=n))
    copy_path = tmp_path / "backup" / "copy.sqlite3"
    copy_path.parent.mkdir()
    store.backup_to(copy_path)
    store.insert(StoreItem(id="after"))  # not in the snapshot

    with sqlite3.connect(copy_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = SQLiteStore(copy_path)
    assert [d.id for d in copy.find(StoreItem, sort=[("rank", 1)])] == [f"b{n}" for n in range(5)]
    assert copy.get(StoreItem, "b3").rank == 3
    assert store.count(StoreItem) == 6
    copy.close()
    store.close()


def test_date_range_filter_uses_the_date_index(tmp_path: Path) -> None:
    """Dates are indexed on their ``$date`` member, the expression range filters compare."""
    import datetime as dt

    from casefiles.models import Case

    store = SQLiteStore(tmp_path / "dates.sqlite3")
    store.ensure(Case)
    conn = store.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        store.find(
            Case,
            {"district": "KHI-S", "created_at": {"$gte": dt.datetime(2024, 1, 1)}},
            sort=[("created_at", -1)],
        )
    finally:
        conn.set_trace_callback(None)
    (select,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    plan = " | ".join(r[-1] for r in conn.execute(f"EXPLAIN QUERY PLAN {select}"))
    assert "USING INDEX ix_c_cases_district_created_at_date (<expr>=? AND <expr>>?)" in plan


def test_long_in_lists_work(tmp_path: Path) -> None:
    """Thousands of values in $in/$nin (e.g. a district's case ids) are one SQL term."""
    store = SQLiteStore(tmp_path / "in.sqlite3")
    items = [store.insert(StoreItem(name=f"n{n}", rank=n, score=1.0)) for n in range(5)]
    ids = [item.id for item in items[:2]] + [f"missing-{n}" for n in range(3000)]
    assert {d.id for d in store.find(StoreItem, {"_id": {"$in": ids}})} == set(ids[:2])
    assert store.count(StoreItem, {"_id": {"$nin": ids}}) == 3
    names = ["n1", "n3"] + [f"x{n}" for n in range(3000)]
    assert {d.name for d in store.find(StoreItem, {"name": {"$in": names}})} == {"n1", "n3"}
    assert store.count(StoreItem, {"name": {"$nin": names}}) == 3


def test_indexed_list_membership_uses_the_side_table(tmp_path: Path) -> None:
    """An indexed list of text is answered from its side table, kept in step on every write."""
    store = SQLiteStore(tmp_path / "side.sqlite3")
    a = store.insert(StoreItem(name="a", tags=["x", "y"]))
    b = store.insert(StoreItem(name="b", tags=["y"]))
    store.insert(StoreItem(name="c"))
    assert f"{TABLE}__tags" in _plan(store, {"tags": "y"})
    assert {d.name for d in store.find(StoreItem, {"tags": "y"})} == {"a", "b"}
    a.tags = ["z"]
    store.replace(a)
    assert {d.name for d in store.find(StoreItem, {"tags": "y"})} == {"b"}
    assert {d.name for d in store.find(StoreItem, {"tags": {"$in": ["z", "q"]}})} == {"a"}
    assert {d.name for d in store.find(StoreItem, {"tags": {"$ne": "y"}})} == {"a", "c"}
    store.delete(store.get(StoreItem, b.id))
    assert store.find(StoreItem, {"tags": "y"}) == []
    # A side table created for rows that already exist is filled from them.
    conn = store.connection()
    conn.execute(f"DROP TABLE {TABLE}__tags")
    store.close()
    reopened = SQLiteStore(tmp_path / "side.sqlite3")
    assert [d.name for d in reopened.find(StoreItem, {"tags": "z"})] == ["a"]
