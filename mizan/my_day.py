"""The start page's "your day": what needs this person today and this week.

Each package that owns a kind of work contributes one section through
``Registry.day_sections`` (case files: today's hearings, deadlines of the next seven
days, police answers awaited, appeal approvals awaiting a decision; ingestion:
documents with readings to confirm; learning: training due), so the kernel lists the
day without knowing any of them, and a package above case files joins without case
files importing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mizan.actor import Actor
from mizan.i18n import LazyString
from mizan.kernel import Kernel

#: How many items a section shows before "see all".
SECTION_ITEMS = 6


@dataclass(frozen=True)
class DayItem:
    """One piece of work. ``ref`` says what it opens: ("case" | "hearing" | "document" |
    "approval" | "course", id); the web layer turns it into a link."""

    title: str
    ref: tuple[str, str]
    detail: str = ""
    when: dt.datetime | dt.date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class DaySection:
    key: str
    title: str | LazyString
    empty: str | LazyString
    items: list[DayItem] = field(default_factory=list)
    #: All of them (the section shows at most SECTION_ITEMS).
    total: int = 0
    #: The page listing all of them, as a web endpoint name ("hearings.index"), if any.
    more: str | None = None
    #: Place on the page, smallest first: what is fixed to the hour (hearings) before
    #: what is fixed to the day (deadlines) before what can wait (training).
    order: int = 50


def day_sections(kernel: Kernel, actor: Actor, today: dt.date) -> list[DaySection]:
    """The sections that apply to ``actor`` (a provider returns None when its kind of
    work is not theirs), in their ``order``."""
    sections = []
    for provider in kernel.registry.day_sections:
        section = provider(kernel, actor, today)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda section: section.order)
