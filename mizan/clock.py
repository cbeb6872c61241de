"""The one clock: what time it is, what that is in Pakistan, and which days are working days.

Every "now" in Mizan comes from :func:`now` (aware UTC), so tests can stop time in one
place (:func:`freeze`). The store keeps naive UTC, hence :func:`utc_naive_now` for
values about to be stored. People in Sindh read and type Pakistan Standard Time
(UTC+5; no daylight saving since 2009): :func:`to_pakistan`, :func:`pakistan_now`,
:func:`pakistan_today`; a deadline's "today" is a Pakistan day.

Working days: statutory clocks count either calendar days or *working* days (ATA
s.19), and a limitation period that ends while the court is closed runs on to the
next working day (Limitation Act s.4). :class:`WorkingCalendar` is that arithmetic,
pure: given the weekend days and the holiday dates. Which holidays apply is data an
administrator keeps (``casefiles.holidays``); the weekend differs by office (most
keep Saturday and Sunday off; some keep Friday).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from types import MappingProxyType

__all__ = [
    "PKT",
    "WEEKDAYS",
    "CalendarError",
    "FrozenClock",
    "WorkingCalendar",
    "freeze",
    "now",
    "pakistan_day_bounds",
    "pakistan_moment",
    "pakistan_now",
    "pakistan_today",
    "pakistan_wall_time",
    "to_pakistan",
    "utc_naive_now",
]

#: Pakistan Standard Time; Pakistan has kept no daylight saving since 2009.
PKT = dt.timezone(dt.timedelta(hours=5), "PKT")


class FrozenClock:
    """The instant :func:`now` reports while frozen; a test moves it with `advance` or `set`."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = _aware(at)

    def set(self, at: dt.datetime) -> None:
        self.at = _aware(at)

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta


_frozen: FrozenClock | None = None


def _aware(value: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive value is taken to be UTC, as the store keeps it."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def now() -> dt.datetime:
    """The current instant, aware, in UTC (the frozen one inside :func:`freeze`)."""
    if _frozen is not None:
        return _frozen.at
    return dt.datetime.now(dt.UTC)


def utc_naive_now() -> dt.datetime:
    """:func:`now` in the form the store keeps: naive UTC."""
    return now().replace(tzinfo=None)


def to_pakistan(value: dt.datetime) -> dt.datetime:
    """The same instant as an aware Pakistan time; a naive value is taken to be stored UTC."""
    return _aware(value).astimezone(PKT)


def pakistan_now() -> dt.datetime:
    """The current instant as an aware Pakistan time."""
    return to_pakistan(now())


def pakistan_today(at: dt.datetime | None = None) -> dt.date:
    """Today in Pakistan (or the Pakistan day of ``at``), where every deadline is counted."""
    return to_pakistan(at or now()).date()


def pakistan_wall_time(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) instant as the naive Pakistan wall-clock time people read."""
    return to_pakistan(value).replace(tzinfo=None)


def pakistan_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """What a person means by "3 March, 10:30" in Sindh, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=PKT)


def pakistan_day_bounds(day: dt.date, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    """Stored-form (naive UTC) start, inclusive, and end, exclusive, of ``days`` Pakistan days."""
    start = pakistan_moment(day, dt.time()).astimezone(dt.UTC).replace(tzinfo=None)
    return start, start + dt.timedelta(days=days)


@contextmanager
def freeze(at: dt.datetime) -> Iterator[FrozenClock]:
    """Stop the clock at ``at`` (naive means UTC) until the block ends; for tests.

    Process-wide, not per thread, so a worker thread in the test sees the same time.
    """
    global _frozen
    previous, clock = _frozen, FrozenClock(at)
    _frozen = clock
    try:
        yield clock
    finally:
        _frozen = previous


# -- working days -----------------------------------------------------------------

#: Day names as stored in configuration, indexed like `date.weekday()` (Monday = 0).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """A calendar record an administrator entered cannot be used; the message says why."""


def _weekday(value: object) -> int:
    if isinstance(value, bool):
        raise CalendarError(f"weekend day {value!r} is not a day of the week")
    if isinstance(value, int):
        if 0 <= value <= 6:
            return value
        raise CalendarError(
            f"weekend day {value} is not a day of the week (0 = Monday … 6 = Sunday)"
        )
    if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower())
    raise CalendarError(f"weekend day {value!r} is not a day of the week (e.g. 'friday')")


def _as_date(value: object, what: str) -> date:
    # datetime is a subclass of date; a holiday is a whole day, so drop the time.
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(f"{what} {value!r} is not a date (write it as YYYY-MM-DD)")


class WorkingCalendar:
    """Which days count as working days for one office or court.

    Immutable: build a new calendar (e.g. with `with_holidays`) when the
    holiday list changes, so deadlines computed earlier stay reproducible.
    """

    __slots__ = ("_holidays", "_sorted_holidays", "_weekend")

    def __init__(
        self,
        weekend: Iterable[int | str] = ("saturday", "sunday"),
        holidays: Mapping[date, str] | Iterable[date] = (),
    ) -> None:
        days = frozenset(_weekday(day) for day in weekend)
        if len(days) == 7:
            raise CalendarError("every day of the week is a weekend day; no day would be working")
        self._weekend = days
        if isinstance(holidays, Mapping):
            named = {_as_date(d, "holiday"): str(name or "") for d, name in holidays.items()}
        else:
            named = {_as_date(d, "holiday"): "" for d in holidays}
        self._holidays = MappingProxyType(named)
        self._sorted_holidays = sorted(named)

    # -- plain data ---------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> WorkingCalendar:
        """Build from an admin-edited record.

        Shape: ``{"weekend": ["saturday", "sunday"], "holidays": [{"date":
        "2025-03-31", "name": "Eid ul-Fitr"}, "2025-04-01", ...]}``. Weekend days
        may be names or numbers (Monday = 0); a holiday may be a bare date string.
        Both keys are optional (default weekend: Saturday and Sunday).
        """
        if not isinstance(data, Mapping):
            raise CalendarError("a calendar record must be a mapping with 'weekend' and 'holidays'")
        unknown = set(data) - {"weekend", "holidays"}
        if unknown:
            raise CalendarError(
                f"unknown calendar field(s): {', '.join(sorted(map(str, unknown)))}"
            )
        weekend = data.get("weekend", ("saturday", "sunday"))
        if isinstance(weekend, str) or not isinstance(weekend, Iterable):
            raise CalendarError(
                "'weekend' must be a list of day names, e.g. ['saturday', 'sunday']"
            )
        raw_holidays = data.get("holidays", ())
        if isinstance(raw_holidays, str) or not isinstance(raw_holidays, Iterable):
            raise CalendarError("'holidays' must be a list of dates or {date, name} entries")
        holidays: dict[date, str] = {}
        for entry in raw_holidays:
            if isinstance(entry, Mapping):
                if "date" not in entry:
                    raise CalendarError(f"holiday entry {dict(entry)!r} has no 'date'")
                day = _as_date(entry["date"], "holiday")
                name = entry.get("name") or ""
                if not isinstance(name, str):
                    raise CalendarError(f"holiday name for {day.isoformat()} must be text")
            else:
                day, name = _as_date(entry, "holiday"), ""
            holidays[day] = name or holidays.get(day, "")
        return cls(weekend=weekend, holidays=holidays)

    def to_dict(self) -> dict[str, object]:
        """The record `from_dict` reads back: weekday names, holidays sorted by date."""
        return {
            "weekend": [WEEKDAYS[i] for i in sorted(self._weekend)],
            "holidays": [
                {"date": d.isoformat(), "name": self._holidays[d]} for d in self._sorted_holidays
            ],
        }

    def with_holidays(self, holidays: Mapping[date, str] | Iterable[date]) -> WorkingCalendar:
        """A copy with more holidays (e.g. the fixed national ones merged into the admin list)."""
        extra = holidays if isinstance(holidays, Mapping) else dict.fromkeys(holidays, "")
        merged = dict(self._holidays)
        for day, name in extra.items():
            day = _as_date(day, "holiday")
            merged[day] = merged.get(day) or str(name or "")  # a name already given wins
        return WorkingCalendar(weekend=self._weekend, holidays=merged)

    # -- queries ------------------------------------------------------------------

    @property
    def weekend(self) -> frozenset[int]:
        """Weekend days as `date.weekday()` numbers (Monday = 0)."""
        return self._weekend

    @property
    def holidays(self) -> frozenset[date]:
        return frozenset(self._holidays)

    @property
    def holiday_names(self) -> Mapping[date, str]:
        """Holiday → name ("" where the admin gave none); read-only."""
        return self._holidays

    def is_working_day(self, d: date) -> bool:
        return d.weekday() not in self._weekend and d not in self._holidays

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def add_calendar_days(self, d: date, n: int) -> date:
        """Plain date arithmetic; here so rules can treat both units alike. No rolling."""
        return d + timedelta(days=n)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (counting starts the day after `d`).

        ``n == 0`` gives `next_working_day(d)`, so the result is always a working
        day. Hence ``working_days_between(d, add_working_days(d, n)) == n`` for
        every n >= 1, and for n == 0 only when `d` is itself a working day.
        """
        if n < 0:
            raise ValueError("add_working_days counts forwards only (n must be >= 0)")
        if n == 0:
            return self.next_working_day(d)
        while n:
            d += _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative if `b` is before `a`.

        Counted arithmetically (whole weeks, then holidays by bisection) so that
        long spans, e.g. pendency ages, stay cheap.
        """
        if b < a:
            return -self.working_days_between(b, a)
        span = (b - a).days
        weeks, rest = divmod(span, 7)
        count = weeks * (7 - len(self._weekend))
        first_rest = a + timedelta(days=weeks * 7 + 1)
        count += sum(
            1
            for i in range(rest)
            if (first_rest + timedelta(days=i)).weekday() not in self._weekend
        )
        lo = bisect_right(self._sorted_holidays, a)
        hi = bisect_right(self._sorted_holidays, b)
        count -= sum(1 for h in self._sorted_holidays[lo:hi] if h.weekday() not in self._weekend)
        return count

    def holidays_in(self, a: date, b: date) -> dict[date, str]:
        """Holidays from `a` to `b` inclusive, e.g. to show why a deadline moved."""
        lo = bisect_left(self._sorted_holidays, a)
        hi = bisect_right(self._sorted_holidays, b)
        return {d: self._holidays[d] for d in self._sorted_holidays[lo:hi]}

    # -- value semantics ----------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self._weekend == other._weekend and dict(self._holidays) == dict(other._holidays)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        days = ", ".join(WEEKDAYS[i] for i in sorted(self._weekend)) or "none"
        return f"WorkingCalendar(weekend=[{days}], holidays={len(self._holidays)})"
