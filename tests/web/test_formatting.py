"""The one filter pages show times with: stored naive UTC in, Pakistan time out."""

from __future__ import annotations

import datetime as dt

from web.formatting import duration, local_time


def test_naive_utc_is_shown_as_pakistan_time() -> None:
    assert local_time(dt.datetime(2025, 3, 3, 6, 0)) == "03.03.2025 11:00"
    assert local_time(dt.datetime(2025, 3, 3, 6, 0), "%H:%M", label=True) == "11:00 PKT"


def test_late_evening_utc_is_the_next_pakistan_day() -> None:
    assert local_time(dt.datetime(2025, 3, 3, 21, 30), "%d.%m.%Y") == "04.03.2025"


def test_aware_values_are_converted_too() -> None:
    aware = dt.datetime(2025, 3, 3, 6, 0, tzinfo=dt.UTC)
    assert local_time(aware, "%H:%M") == "11:00"


def test_nothing_shows_as_empty() -> None:
    assert local_time(None) == ""
    assert local_time(None, label=True) == ""


def test_dates_and_values_written_in_pakistan_time_do_not_move() -> None:
    assert local_time(dt.date(2025, 3, 3), "%d.%m.%Y") == "03.03.2025"
    midnight = dt.datetime(2025, 3, 3)  # an FIR's registration day as written
    assert local_time(midnight, as_written=True) == "03.03.2025 00:00"
    assert local_time(midnight, "%d.%m.%Y", as_written=True) == "03.03.2025"


def test_durations_show_their_two_largest_units(app) -> None:
    with app.test_request_context():
        assert duration(dt.timedelta(days=3, hours=5, minutes=12)) == "3 days 5 hours"
        assert duration(dt.timedelta(days=1, minutes=7)) == "1 day"
        assert duration(dt.timedelta(hours=1, minutes=1)) == "1 hour 1 minute"
        assert duration(dt.timedelta(seconds=20)) == "0 minutes"
        assert duration(None) == ""
