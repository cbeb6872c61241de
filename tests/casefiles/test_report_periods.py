"""Report periods: what a month, quarter, year or custom range covers, and the periods a
report compares it with."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.report_periods import Period, ReportError, make_period

TODAY = dt.date(2025, 6, 30)
D = dt.date


def test_month_defaults_to_the_current_one_and_any_day_picks_its_month() -> None:
    assert make_period("month", "", "", TODAY) == Period("month", D(2025, 6, 1), D(2025, 6, 30))
    assert make_period(None, "2024-02-14", None, TODAY) == Period(
        "month", D(2024, 2, 1), D(2024, 2, 29)
    )


def test_quarter_and_year() -> None:
    q = make_period("quarter", "2025-05-17", "", TODAY)
    assert (q.start, q.end, q.label) == (D(2025, 4, 1), D(2025, 6, 30), "Q2 2025")
    y = make_period("year", "2024-07-01", "", TODAY)
    assert (y.start, y.end, y.label) == (D(2024, 1, 1), D(2024, 12, 31), "2024")


def test_previous_and_last_year_of_fixed_periods() -> None:
    march = make_period("month", "2024-03-05", "", TODAY)
    # The month before March 2024 is February, a leap month of 29 days.
    assert march.previous() == Period("month", D(2024, 2, 1), D(2024, 2, 29))
    assert march.last_year() == Period("month", D(2023, 3, 1), D(2023, 3, 31))
    feb = make_period("month", "2024-02-01", "", TODAY)
    assert feb.last_year() == Period("month", D(2023, 2, 1), D(2023, 2, 28))
    q1 = make_period("quarter", "2025-01-01", "", TODAY)
    assert q1.previous() == Period("quarter", D(2024, 10, 1), D(2024, 12, 31))
    assert q1.last_year() == Period("quarter", D(2024, 1, 1), D(2024, 3, 31))
    year = make_period("year", "2025-01-01", "", TODAY)
    assert year.previous() == year.last_year() == Period("year", D(2024, 1, 1), D(2024, 12, 31))


def test_custom_range_compares_with_as_many_days_before_and_a_year_earlier() -> None:
    p = make_period("custom", "2025-01-10", "2025-01-19", TODAY)
    assert p.days == 10
    assert p.previous() == Period("custom", D(2024, 12, 31), D(2025, 1, 9))
    assert p.last_year() == Period("custom", D(2024, 1, 10), D(2024, 1, 19))
    leap = make_period("custom", "2024-02-29", "2024-03-01", TODAY)
    assert leap.last_year() == Period("custom", D(2023, 2, 28), D(2023, 3, 1))


def test_one_day_range_is_allowed() -> None:
    p = make_period("custom", "2025-06-30", "2025-06-30", TODAY)
    assert p.days == 1 and p.contains(D(2025, 6, 30)) and not p.contains(D(2025, 7, 1))
    assert not p.contains(None)


def test_trend_lengths_and_order() -> None:
    month = make_period("month", "2025-06-01", "", TODAY)
    trend = month.trend()
    assert len(trend) == 12 and trend[-1] == month
    assert trend[0] == Period("month", D(2024, 7, 1), D(2024, 7, 31))
    assert [p.start for p in trend] == sorted(p.start for p in trend)
    assert len(make_period("quarter", "", "", TODAY).trend()) == 8
    assert len(make_period("year", "", "", TODAY).trend()) == 5
    custom = make_period("custom", "2025-06-01", "2025-06-10", TODAY).trend()
    assert len(custom) == 6 and custom[-2].end == D(2025, 5, 31)


def test_ten_years_exactly_is_allowed_a_day_more_is_not() -> None:
    assert make_period("custom", "2015-01-01", "2025-01-01", TODAY).days == 3654
    with pytest.raises(ReportError, match="longer than 10 years"):
        make_period("custom", "2015-01-01", "2025-01-02", TODAY)


@pytest.mark.parametrize(
    ("kind", "start", "end", "message"),
    [
        ("custom", "2025-05-02", "2025-05-01", "end date is before the start date"),
        ("custom", "", "2025-05-01", "both a start date and an end date"),
        ("custom", "2025-05-01", "", "both a start date and an end date"),
        ("fortnight", "", "", "Choose the period"),
        ("month", "yesterday", "", "start date “yesterday” is not a date"),
        ("custom", "2025-01-01", "2025-13-01", "end date “2025-13-01” is not a date"),
    ],
)
def test_bad_periods_are_refused_in_plain_words(
    kind: str, start: str, end: str, message: str
) -> None:
    with pytest.raises(ReportError, match=message):
        make_period(kind, start, end, TODAY)
