"""Working days for deadline arithmetic: weekends plus gazetted holidays.

Statutory clocks count either calendar days or *working* days (ATA s.19), and a
limitation period that ends while the court is closed runs on to the next
working day (Limitation Act s.4). Both need to know which days an office or court
works, and that differs by office (most keep Saturday and Sunday off; some keep
Friday), so the calendar is plain data an administrator edits.

Holidays: only the fixed-date national holidays can be computed
(`fixed_national_holidays`). The Islamic holidays (Eid ul-Fitr, Eid ul-Adha,
Ashura, Eid Milad-un-Nabi) follow the lunar calendar and are notified each year
after moon sighting, and the Sindh Government adds provincial and local holidays
at short notice. Those cannot be derived: they must come from the admin-edited
holiday list (`WorkingCalendar.from_dict`), which is the authority for a year.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

__all__ = [
    "WEEKDAYS",
    "CalendarError",
    "WorkingCalendar",
    "fixed_national_holidays",
]

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
        return cls(weekend=weekend, holidays=holidays)  # type: ignore[arg-type]

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


#: Fixed-date national holidays: (month, day, name). A sample, not the gazette.
_FIXED_NATIONAL = (
    (2, 5, "Kashmir Solidarity Day"),
    (3, 23, "Pakistan Day"),
    (5, 1, "Labour Day"),
    (8, 14, "Independence Day"),
    (11, 9, "Iqbal Day"),
    (12, 25, "Quaid-e-Azam Day / Christmas"),
)


def fixed_national_holidays(year: int) -> dict[date, str]:
    """Pakistan's fixed-date national holidays for `year`, as a starting point.

    Only the dates that never move. The federal and Sindh governments change
    the list from year to year (Iqbal Day, for one, has been dropped and
    restored), and the Islamic holidays move with the lunar calendar, so the
    admin-edited holiday list remains the authority; merge this into it rather
    than relying on it alone.
    """
    return {date(year, m, d): name for m, d, name in _FIXED_NATIONAL}
