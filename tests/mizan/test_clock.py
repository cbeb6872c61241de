"""The one clock: UTC now, the stored form, Pakistan time, and freezing for tests."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mizan import clock, outbox
from mizan.clock import FrozenClock
from mizan.kernel import Kernel
from mizan.outbox import OutboxEntry


def test_now_is_aware_utc_and_the_stored_form_is_naive_utc() -> None:
    before = dt.datetime.now(dt.UTC)
    aware, naive = clock.now(), clock.utc_naive_now()
    after = dt.datetime.now(dt.UTC)
    assert aware.tzinfo is not None and aware.utcoffset() == dt.timedelta(0)
    assert before <= aware <= after
    assert naive.tzinfo is None
    assert before.replace(tzinfo=None) <= naive <= after.replace(tzinfo=None)


def test_pakistan_is_five_hours_ahead_all_year() -> None:
    for month in (1, 7):  # no daylight saving: winter and summer alike
        utc = dt.datetime(2025, month, 1, 12, 0, tzinfo=dt.UTC)
        pk = clock.to_pakistan(utc)
        assert pk.utcoffset() == dt.timedelta(hours=5)
        assert (pk.hour, pk == utc) == (17, True)


def test_a_naive_value_is_taken_as_stored_utc() -> None:
    stored = dt.datetime(2025, 3, 3, 20, 30)  # naive UTC, as the store keeps it
    assert clock.to_pakistan(stored) == dt.datetime(2025, 3, 4, 1, 30, tzinfo=clock.PKT)


def test_the_fixture_freezes_every_reading(frozen_clock: FrozenClock) -> None:
    assert clock.now() == dt.datetime(2025, 3, 3, 5, 0, tzinfo=dt.UTC)
    assert clock.utc_naive_now() == dt.datetime(2025, 3, 3, 5, 0)
    assert clock.pakistan_now() == dt.datetime(2025, 3, 3, 10, 0, tzinfo=clock.PKT)
    assert clock.pakistan_today() == dt.date(2025, 3, 3)


def test_a_frozen_clock_moves_only_when_told(frozen_clock: FrozenClock) -> None:
    frozen_clock.advance(dt.timedelta(hours=14))  # 19:00 UTC is already tomorrow in Pakistan
    assert clock.utc_naive_now().date() == dt.date(2025, 3, 3)
    assert clock.pakistan_today() == dt.date(2025, 3, 4)
    frozen_clock.set(dt.datetime(2024, 12, 31, 23, 59))  # naive means UTC
    assert clock.now() == dt.datetime(2024, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert clock.pakistan_today() == dt.date(2025, 1, 1)


def test_freezing_is_seen_by_other_threads_and_undone_after() -> None:
    at = dt.datetime(2030, 1, 1, tzinfo=clock.PKT)
    seen: list[dt.datetime] = []
    with clock.freeze(at):
        worker = threading.Thread(target=lambda: seen.append(clock.now()))
        worker.start()
        worker.join()
        with clock.freeze(dt.datetime(2031, 1, 1)):
            assert clock.now().year == 2031
        assert clock.now() == at  # the inner freeze restores the outer one
    assert seen == [at]
    assert clock.now().year != 2030


def test_freeze_ends_even_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), clock.freeze(dt.datetime(2030, 1, 1)):
        raise RuntimeError("boom")
    assert clock.now().year != 2030


def test_stored_values_keep_their_form(kernel: Kernel, frozen_clock: FrozenClock) -> None:
    # The clock changes no stored value: documents keep naive UTC.
    entry = outbox.enqueue(kernel.store, "clock.test", {})
    stored = kernel.store.get(OutboxEntry, entry.id)
    assert stored.created_at == dt.datetime(2025, 3, 3, 5, 0)
    assert stored.created_at.tzinfo is None


@given(st.datetimes(max_value=dt.datetime(9998, 12, 31), timezones=st.just(dt.UTC)))
def test_pakistan_time_is_the_same_instant_five_hours_on(value: dt.datetime) -> None:
    pk = clock.to_pakistan(value)
    assert pk == value
    assert pk.replace(tzinfo=None) - value.replace(tzinfo=None) == dt.timedelta(hours=5)
