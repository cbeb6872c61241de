"""iCalendar (RFC 5545) feeds of hearings, written by hand: the format is small and a
dependency for it would be bigger than this module.

Every time is written in UTC ("Z" form), so no VTIMEZONE block is needed and
every calendar program shows the hearing at the right Pakistan time.

The feed is read without signing in (calendar programs cannot sign in), so it
says no more than a diary entry needs: the case reference, what the hearing is
for and the court. Names of the accused and witnesses are never put in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casefiles.hearings import OUTCOMES, PURPOSES, Hearing

PRODID = "-//Sindh Prosecution//Mizan hearings//EN"
#: RFC 5545 3.1: content lines are folded so none is longer than 75 octets.
LINE_LIMIT = 75
CRLF = "\r\n"
#: A hearing's length is not known; calendars show a nominal hour.
NOMINAL_LENGTH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Event:
    uid: str
    #: Naive UTC or aware.
    start: dt.datetime
    summary: str
    end: dt.datetime | None = None
    location: str = ""
    description: str = ""
    #: Bumped on every change so calendar programs replace their copy.
    sequence: int = 0
    last_modified: dt.datetime | None = None
    status: str = "CONFIRMED"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters other than tab are not allowed in TEXT at all.
    value = "".join(ch for ch in value if ch in "\t\n" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (UTF-8), never inside a
    character; each continuation starts with one space, which counts towards the 75."""
    pieces: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > LINE_LIMIT:
            pieces.append(current)
            current, size = " ", 1
        current += ch
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def utc_stamp(value: dt.datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20250303T053000Z."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y%m%dT%H%M%SZ")


def _lines(event: Event, stamp: str) -> list[str]:
    end = event.end or event.start + NOMINAL_LENGTH
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(end)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"STATUS:{event.status}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.last_modified:
        lines.append(f"LAST-MODIFIED:{utc_stamp(event.last_modified)}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: Iterable[Event], *, name: str, stamp: dt.datetime) -> str:
    """The whole VCALENDAR as text with CRLF line ends (encode it as UTF-8)."""
    stamp_text = utc_stamp(stamp)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # Hints for how often programs re-read the feed (not part of RFC 5545 itself).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += _lines(event, stamp_text)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def hearing_event(hearing: Hearing, reference: str, *, host: str = "mizan") -> Event:
    """One hearing as a calendar entry: SUMMARY is the case reference and purpose."""
    purpose = str(PURPOSES.get(hearing.purpose, hearing.purpose))
    details = [purpose, hearing.court]
    if hearing.outcome:
        details.append(str(OUTCOMES.get(hearing.outcome, hearing.outcome)))
    return Event(
        uid=f"hearing-{hearing.id}@{host}",
        start=hearing.starts_at,
        summary=f"{reference} – {purpose}",
        location=hearing.court,
        description="\n".join(details),
        sequence=max(hearing.version - 1, 0),
        last_modified=hearing.updated_at,
    )


def hearings_calendar(
    hearings: Iterable[Hearing],
    references: Mapping[str, str],
    *,
    name: str,
    stamp: dt.datetime,
    host: str = "mizan",
) -> str:
    """A feed of hearings; ``references`` maps case id → case reference."""
    return render_calendar(
        (hearing_event(h, references.get(h.case_id, h.case_id), host=host) for h in hearings),
        name=name,
        stamp=stamp,
    )
