"""WorkingCalendar: weekends, gazetted holidays and working-day arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefiles.calendar import fixed_national_holidays
from mizan.clock import CalendarError, WorkingCalendar

SAT_SUN = WorkingCalendar()
FRIDAY = WorkingCalendar(weekend=["friday"])


def test_default_weekend_is_saturday_and_sunday() -> None:
    assert SAT_SUN.weekend == frozenset({5, 6})
    assert SAT_SUN.is_working_day(date(2025, 3, 7))  # Friday
    assert not SAT_SUN.is_working_day(date(2025, 3, 8))  # Saturday
    assert not SAT_SUN.is_working_day(date(2025, 3, 9))  # Sunday


def test_friday_weekend_office() -> None:
    assert not FRIDAY.is_working_day(date(2025, 3, 7))
    assert FRIDAY.is_working_day(date(2025, 3, 8))
    assert FRIDAY.is_working_day(date(2025, 3, 9))
    # Thursday + 1 working day skips Friday only.
    assert FRIDAY.add_working_days(date(2025, 3, 6), 1) == date(2025, 3, 8)
    assert SAT_SUN.add_working_days(date(2025, 3, 6), 1) == date(2025, 3, 7)


def test_holidays_are_not_working_days() -> None:
    cal = WorkingCalendar(holidays={date(2025, 3, 31): "Eid ul-Fitr"})
    assert not cal.is_working_day(date(2025, 3, 31))
    assert cal.holiday_names[date(2025, 3, 31)] == "Eid ul-Fitr"
    assert cal.holidays == frozenset({date(2025, 3, 31)})


def test_add_working_days_counts_from_the_next_day_and_skips_weekends_and_holidays() -> None:
    eid = {date(2025, 3, 31): "Eid ul-Fitr", date(2025, 4, 1): "Eid ul-Fitr", date(2025, 4, 2): ""}
    cal = WorkingCalendar(holidays=eid)
    # Thu 27 Mar: Fri 28 (1), weekend, Mon-Wed Eid, Thu 3 Apr (2), Fri 4 Apr (3).
    assert cal.add_working_days(date(2025, 3, 27), 1) == date(2025, 3, 28)
    assert cal.add_working_days(date(2025, 3, 27), 2) == date(2025, 4, 3)
    assert cal.add_working_days(date(2025, 3, 27), 3) == date(2025, 4, 4)


def test_add_working_days_zero_is_next_working_day() -> None:
    assert SAT_SUN.add_working_days(date(2025, 3, 5), 0) == date(2025, 3, 5)
    assert SAT_SUN.add_working_days(date(2025, 3, 8), 0) == date(2025, 3, 10)


def test_add_working_days_from_a_weekend_day() -> None:
    assert SAT_SUN.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        SAT_SUN.add_working_days(date(2025, 3, 5), -1)


def test_next_working_day() -> None:
    cal = WorkingCalendar(holidays=[date(2025, 3, 24)])
    assert cal.next_working_day(date(2025, 3, 21)) == date(2025, 3, 21)
    assert cal.next_working_day(date(2025, 3, 22)) == date(2025, 3, 25)  # Sat, Sun, holiday


def test_add_calendar_days_never_rolls() -> None:
    assert SAT_SUN.add_calendar_days(date(2025, 3, 6), 3) == date(2025, 3, 9)  # a Sunday
    assert SAT_SUN.add_calendar_days(date(2024, 12, 20), 17) == date(2025, 1, 6)


def test_working_days_between() -> None:
    cal = WorkingCalendar(holidays=[date(2025, 3, 5), date(2025, 3, 8)])  # Wed; a Saturday
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    # Tue 4 (1), Wed 5 holiday, Thu 6 (2), Fri 7 (3), Sat 8 is a weekend day anyway.
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 9)) == 3
    assert cal.working_days_between(date(2025, 3, 9), date(2025, 3, 3)) == -3
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 10)) == 4


def test_working_days_between_over_a_year() -> None:
    cal = WorkingCalendar(holidays=fixed_national_holidays(2025))
    # 2025: 261 weekdays; 23 Mar and 9 Nov fall on Sundays, so 4 holidays are weekdays.
    assert cal.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 257


def test_fixed_national_holidays() -> None:
    got = fixed_national_holidays(2024)
    assert sorted(got) == [
        date(2024, 2, 5),
        date(2024, 3, 23),
        date(2024, 5, 1),
        date(2024, 8, 14),
        date(2024, 11, 9),
        date(2024, 12, 25),
    ]
    assert got[date(2024, 8, 14)] == "Independence Day"


def test_from_dict_and_to_dict() -> None:
    record = {
        "weekend": ["Friday"],
        "holidays": [
            {"date": "2025-03-31", "name": "Eid ul-Fitr"},
            "2025-04-01",
            {"date": date(2025, 6, 7)},
        ],
    }
    cal = WorkingCalendar.from_dict(record)
    assert cal.weekend == frozenset({4})
    assert cal.holiday_names == {
        date(2025, 3, 31): "Eid ul-Fitr",
        date(2025, 4, 1): "",
        date(2025, 6, 7): "",
    }
    assert cal.to_dict() == {
        "weekend": ["friday"],
        "holidays": [
            {"date": "2025-03-31", "name": "Eid ul-Fitr"},
            {"date": "2025-04-01", "name": ""},
            {"date": "2025-06-07", "name": ""},
        ],
    }
    assert WorkingCalendar.from_dict(cal.to_dict()) == cal


def test_from_dict_defaults_and_numeric_weekdays() -> None:
    assert WorkingCalendar.from_dict({}) == SAT_SUN
    assert WorkingCalendar.from_dict({"weekend": [5, 6]}) == SAT_SUN
    assert WorkingCalendar.from_dict({"weekend": []}).is_working_day(date(2025, 3, 8))


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"weekend": ["funday"]}, "funday"),
        ({"weekend": [7]}, "7"),
        ({"weekend": "friday"}, "list of day names"),
        ({"weekend": list(range(7))}, "no day would be working"),
        ({"holidays": ["31-03-2025"]}, "YYYY-MM-DD"),
        ({"holidays": [{"name": "Eid"}]}, "no 'date'"),
        ({"holidays": [{"date": "2025-03-31", "name": 5}]}, "must be text"),
        ({"holidays": "2025-03-31"}, "list of dates"),
        ({"holiday": []}, "unknown calendar field"),
    ],
)
def test_from_dict_rejects_bad_records_in_plain_words(record: dict, words: str) -> None:
    with pytest.raises(CalendarError, match=words):
        WorkingCalendar.from_dict(record)


def test_with_holidays_merges_and_keeps_admin_names() -> None:
    admin = WorkingCalendar(weekend=["friday"], holidays={date(2025, 2, 5): "Kashmir Day (Sindh)"})
    merged = admin.with_holidays(fixed_national_holidays(2025))
    assert merged.weekend == frozenset({4})
    assert len(merged.holidays) == 6
    assert merged.holiday_names[date(2025, 2, 5)] == "Kashmir Day (Sindh)"
    assert merged.holiday_names[date(2025, 8, 14)] == "Independence Day"
    assert admin.holidays == frozenset({date(2025, 2, 5)})  # original untouched


def test_holidays_in() -> None:
    cal = WorkingCalendar(holidays=fixed_national_holidays(2025))
    assert cal.holidays_in(date(2025, 3, 1), date(2025, 5, 1)) == {
        date(2025, 3, 23): "Pakistan Day",
        date(2025, 5, 1): "Labour Day",
    }


# -- properties ----------------------------------------------------------------------------

START = date(2023, 1, 1)
days = st.integers(min_value=0, max_value=4 * 366).map(lambda i: START + timedelta(days=i))
weekends = st.frozensets(st.integers(min_value=0, max_value=6), max_size=6)
calendars = st.builds(
    lambda weekend, holidays: WorkingCalendar(weekend=weekend, holidays=holidays),
    weekends,
    st.frozensets(days, max_size=80),
)


def _naive_between(cal: WorkingCalendar, a: date, b: date) -> int:
    return sum(cal.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@settings(max_examples=300, deadline=None)
@given(calendars, days, st.integers(min_value=0, max_value=60))
def test_add_working_days_lands_on_a_working_day(cal: WorkingCalendar, d: date, n: int) -> None:
    result = cal.add_working_days(d, n)
    assert cal.is_working_day(result)
    assert result >= d
    if n >= 1:
        assert result > d


@settings(max_examples=300, deadline=None)
@given(calendars, days, st.integers(min_value=1, max_value=60))
def test_working_days_between_inverts_add_working_days(
    cal: WorkingCalendar, d: date, n: int
) -> None:
    assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@settings(max_examples=200, deadline=None)
@given(calendars, days)
def test_zero_working_days_from_a_working_day_is_the_same_day(
    cal: WorkingCalendar, d: date
) -> None:
    d = cal.next_working_day(d)
    assert cal.add_working_days(d, 0) == d
    assert cal.working_days_between(d, cal.add_working_days(d, 0)) == 0


@settings(max_examples=300, deadline=None)
@given(calendars, days, days)
def test_working_days_between_matches_day_by_day_count(
    cal: WorkingCalendar, a: date, b: date
) -> None:
    lo, hi = min(a, b), max(a, b)
    expected = _naive_between(cal, lo, hi)
    assert cal.working_days_between(lo, hi) == expected
    assert cal.working_days_between(hi, lo) == -expected


@settings(max_examples=100, deadline=None)
@given(calendars)
def test_dict_round_trip(cal: WorkingCalendar) -> None:
    assert WorkingCalendar.from_dict(cal.to_dict()) == cal
