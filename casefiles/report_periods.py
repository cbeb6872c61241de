"""Reporting periods: a month, quarter, year or custom range, and the periods compared with it.

A period is a closed range of Pakistan calendar days. Every report shows the
period, the one before it (same length, ending the day before it starts) and
the same period a year earlier, plus a trend of the periods leading up to it,
so an official can tell "better than last month" from "better than last March".
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from casefiles.deadlines import add_months
from mizan.i18n import gettext as _

PERIOD_KINDS = ("month", "quarter", "year", "custom")
#: A longer custom range is refused: reports compare like with like, and it is almost
#: always a typo in the year.
MAX_YEARS = 10
#: How many periods the trend chart shows, ending with the chosen one.
TREND_POINTS = {"month": 12, "quarter": 8, "year": 5, "custom": 6}


class ReportError(ValueError):
    """A report request that cannot be answered; the message says what to change."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    #: The last day, inclusive.
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%m/%Y")
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def previous(self) -> Period:
        """The period just before: the previous month/quarter/year, or a range as long."""
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
            start = add_months(self.start, -months)
            return Period(self.kind, start, self.start - dt.timedelta(days=1))
        end = self.start - dt.timedelta(days=1)
        return Period(self.kind, end - dt.timedelta(days=self.days - 1), end)

    def last_year(self) -> Period:
        """The same days one year earlier (29 February becomes the 28th)."""
        start = add_months(self.start, -12)
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
            return Period(self.kind, start, add_months(start, months) - dt.timedelta(days=1))
        return Period(self.kind, start, add_months(self.end, -12))

    def trend(self) -> list[Period]:
        """The periods the trend chart shows, oldest first, ending with this one."""
        points = [self]
        for _n in range(TREND_POINTS[self.kind] - 1):
            points.append(points[-1].previous())
        return points[::-1]


def _parse_day(text: str | None, start: bool) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        if start:
            message = _(
                "The start date “%(value)s” is not a date (write it as 2025-03-01).", value=text
            )
        else:
            message = _(
                "The end date “%(value)s” is not a date (write it as 2025-03-31).", value=text
            )
        raise ReportError(message) from None


def make_period(kind: str | None, start: str | None, end: str | None, today: dt.date) -> Period:
    """The period a request names; ``start`` picks the month/quarter/year (default: the
    current one). A custom range needs both dates, in order, at most ten years apart."""
    kind = (kind or "month").strip()
    if kind not in PERIOD_KINDS:
        raise ReportError(_("Choose the period: month, quarter, year or custom range."))
    first = _parse_day(start, True)
    last = _parse_day(end, False)
    if kind == "custom":
        if first is None or last is None:
            raise ReportError(_("A custom range needs both a start date and an end date."))
        if last < first:
            raise ReportError(_("The end date is before the start date."))
        if add_months(first, 12 * MAX_YEARS) < last:
            raise ReportError(
                _(
                    "The range is longer than %(years)d years; choose a shorter one.",
                    years=MAX_YEARS,
                )
            )
        return Period(kind, first, last)
    day = first or today
    if kind == "month":
        begin = day.replace(day=1)
        finish = day.replace(day=_calendar.monthrange(day.year, day.month)[1])
    elif kind == "quarter":
        begin = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        finish = add_months(begin, 3) - dt.timedelta(days=1)
    else:
        begin, finish = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return Period(kind, begin, finish)
