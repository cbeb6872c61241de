"""How pages show a time: the one ``local_time`` Jinja filter.

The store keeps naive UTC, but people in Sindh read Pakistan time; a page that prints a
stored value with ``strftime`` shows UTC (an 11:00 hearing read "06:00"). Every time a page
shows goes through this filter, built on :mod:`mizan.clock`, so all pages agree.

Two kinds of stored value are already what a person wrote and must not move: plain dates,
and the dates a record keeps as written in Pakistan time (an FIR's registration day and
incident time, a matter's filing and decision days, stored at midnight). For those pass
``as_written=True``; a ``date`` that is not a ``datetime`` is never converted either.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import ngettext

from mizan.clock import pakistan_wall_time

__all__ = ["DATE", "DATE_TIME", "duration", "local_time", "register"]

#: The formats pages use: day and time, or the day alone.
DATE_TIME = "%d.%m.%Y %H:%M"
DATE = "%d.%m.%Y"


def local_time(
    value: dt.datetime | dt.date | None,
    fmt: str = DATE_TIME,
    *,
    label: bool = False,
    as_written: bool = False,
) -> str:
    """``value`` (stored naive UTC, or aware) as Pakistan time in ``fmt``; "" for None.

    ``label`` adds "PKT" where a reader could take the time for another zone (the case
    timeline); ``as_written`` shows a value already in Pakistan time without converting it.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and not as_written:
        value = pakistan_wall_time(value)
    text = value.strftime(fmt)
    return f"{text} PKT" if label else text


def duration(value: dt.timedelta | None) -> str:
    """How long something took, in the two largest whole units ("2 days 6 hours")."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        ngettext("%(num)d day", "%(num)d days", days),
        ngettext("%(num)d hour", "%(num)d hours", hours),
        ngettext("%(num)d minute", "%(num)d minutes", minutes),
    ]
    counts = [days, hours, minutes]
    first = next((n for n, c in enumerate(counts) if c), 2)
    chosen = list(zip(counts, parts, strict=True))[first : first + 2]
    return " ".join(part for count, part in chosen if count) or parts[2]


def register(app: Flask) -> None:
    """Install the filters on ``app``'s templates."""
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["duration"] = duration
