"""What each package contributes to a running Mizan, collected by the composition root.

The kernel knows no domain package: each package (the kernel's own included) fills a
``Registry`` through one ``register(registry)`` function, and the root (``app``) builds
the kernel from what they registered. Listing it here, in the kernel, lets every
package name the type without importing the root.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from mizan.storage import Model

if TYPE_CHECKING:
    from mizan.actor import Actor
    from mizan.kernel import Kernel
    from mizan.my_day import DaySection


@dataclass(frozen=True)
class SectionText:
    """A section of law as a letter quotes it: which act, its number, heading and text."""

    key: str  # "ppc:302": the library's section id
    act_title: str
    number: str
    heading: str
    text: str


#: Looks up sections by the library's ids ("ppc:302"); unknown ids are left out.
SectionLookup = Callable[["Kernel", list[str]], dict[str, SectionText]]

#: Called with the new kernel, e.g. to subscribe to its events.
KernelHook = Callable[["Kernel"], None]
#: An outbox handler: the kernel and the entry's payload (see ``mizan.outbox``).
OutboxHandler = Callable[["Kernel", dict[str, Any]], None]


@dataclass
class Registry:
    """Lists the packages append to; order is kept (subscribers run in registration order)."""

    #: Stored models: ``mizan init`` creates their tables and indexes up front.
    models: list[type[Model]] = field(default_factory=list)
    #: Run once per kernel as it is built (event subscribers).
    subscribers: list[KernelHook] = field(default_factory=list)
    #: Outbox topic -> handler that applies its entries.
    outbox_handlers: dict[str, OutboxHandler] = field(default_factory=dict)
    #: Modules defining Celery tasks; a worker imports them all.
    task_modules: list[str] = field(default_factory=list)
    #: Job kind -> name of the task that processes it (jobs are resumable by id).
    job_tasks: dict[str, str] = field(default_factory=dict)
    #: Tasks that are bulk work (library imports, searchable PDFs): they go to the bulk
    #: queue, so a clerk's upload never waits behind them (``mizan.worker``).
    bulk_tasks: set[str] = field(default_factory=set)
    #: Outbox topics whose entries are bulk work, drained on the bulk queue.
    bulk_topics: set[str] = field(default_factory=set)
    #: Top-level ``mizan`` commands.
    commands: list[click.Command] = field(default_factory=list)
    #: Rebuild the search index's share of a package's records (``mizan reindex``); each
    #: returns how many documents it indexed. Search calls them, so it imports no package
    #: above it.
    reindexers: list[Callable[[Kernel], int]] = field(default_factory=list)
    #: Headings and texts of sections of law (the library fills it), for packages below the
    #: library that quote the law, e.g. letters written from a case (``casefiles.letters``).
    section_texts: list[SectionLookup] = field(default_factory=list)
    #: Extra search principals a package grants a searcher (learning: the audiences a
    #: learner belongs to); search adds them to ``casefiles.policy.search_principals``.
    principal_providers: list[Callable[[Kernel, Actor], set[str]]] = field(default_factory=list)
    #: Run in each worker pool process as it starts, with the process's kernel.
    worker_process_start: list[KernelHook] = field(default_factory=list)
    #: More reminders for the reminder run (``mizan remind``): what they are about ("courses")
    #: -> a function that sends them once and returns how many it sent. Lets a package above
    #: case files join the one reminder loop without case files importing it.
    reminders: dict[str, Callable[[Kernel], int]] = field(default_factory=dict)
    #: Courses a user completed between two days (both included), for the prosecutor
    #: scorecard in case files; filled by the learning platform, which sits above it.
    training_completed: list[Callable[[Kernel, str, dt.date, dt.date], int]] = field(
        default_factory=list
    )
    #: Sections of the start page's "your day" (``mizan.my_day``): fn(kernel, actor, today)
    #: -> the section, or None when that kind of work is not the actor's.
    day_sections: list[Callable[[Kernel, Actor, dt.date], DaySection | None]] = field(
        default_factory=list
    )
