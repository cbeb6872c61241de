"""Ids sort in creation order, even when many are made in the same millisecond."""

from __future__ import annotations

from mizan.storage.model import new_id


def test_ids_made_in_a_burst_sort_in_the_order_they_were_made() -> None:
    ids = [new_id() for _ in range(5000)]  # thousands land in one millisecond
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)
    assert ids == sorted(ids)
