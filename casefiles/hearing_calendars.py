"""Calendars, cause lists, known courts and reminders: the hearings an actor may see,
read by day, court or prosecutor."""

from __future__ import annotations

import datetime as dt

from casefiles.hearing_access import all_of, attending_filter, visible_hearings_filter
from casefiles.hearings import MAX_DAYS, Hearing, HearingError, court_key, to_utc
from mizan.accounts.roles import Role
from mizan.actor import Actor
from mizan.clock import pakistan_day_bounds, utc_naive_now
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


def calendar(
    kernel: Kernel,
    actor: Actor,
    *,
    start: dt.date,
    days: int = 7,
    prosecutor_id: str | None = None,
    court: str | None = None,
) -> list[Hearing]:
    """Hearings of ``days`` Pakistan days from ``start``, by time; for one prosecutor, one
    court, or (neither) every hearing the actor may see."""
    if not 1 <= days <= MAX_DAYS:
        raise HearingError(_("A calendar shows 1 to %(n)d days.", n=MAX_DAYS))
    store = kernel.store
    visible = visible_hearings_filter(store, actor)
    if visible is None:
        return []
    lo, hi = pakistan_day_bounds(start, days)
    flt = all_of(
        visible,
        {"starts_at": {"$gte": lo, "$lt": hi}},
        attending_filter(store, [prosecutor_id]) if prosecutor_id else None,
        {"court_key": court_key(court)} if court and court.strip() else None,
    )
    return store.find(Hearing, flt, sort=[("starts_at", 1), ("court_key", 1), ("created_at", 1)])


def cause_list(kernel: Kernel, actor: Actor, court: str, day: dt.date) -> list[Hearing]:
    """The day's hearings in one court, in the order they are called (by time)."""
    if not court.strip():
        raise HearingError(_("Choose the court."))
    return calendar(kernel, actor, start=day, days=1, court=court)


def courts_on(kernel: Kernel, actor: Actor, day: dt.date) -> list[tuple[str, int]]:
    """Courts with hearings on ``day`` that the actor can see, with how many each."""
    counts: dict[str, tuple[str, int]] = {}
    for hearing in calendar(kernel, actor, start=day, days=1):
        name, n = counts.get(hearing.court_key, (hearing.court, 0))
        counts[hearing.court_key] = (name, n + 1)
    return sorted(counts.values(), key=lambda item: item[0].casefold())


def known_courts(kernel: Kernel, actor: Actor, limit: int = 300) -> list[str]:
    """Court names already used in visible hearings (offered while typing a court)."""
    visible = visible_hearings_filter(kernel.store, actor)
    if visible is None:
        return []
    counts = kernel.store.group_count(Hearing, "court", visible)
    by_key: dict[str, tuple[int, str]] = {}
    for name, n in counts.items():
        key = court_key(str(name))
        if n > by_key.get(key, (0, ""))[0]:
            by_key[key] = (n, str(name))
    return sorted((name for _n, name in by_key.values()), key=str.casefold)[:limit]


def reminders(kernel: Kernel, actor: Actor, now: dt.datetime | None = None) -> list[Hearing]:
    """The actor's own hearings in the next 24 hours that have no outcome yet."""
    if not actor.has_role(Role.PROSECUTOR):
        return []
    at = to_utc(now or utc_naive_now())
    store = kernel.store
    visible = visible_hearings_filter(store, actor)
    if visible is None:
        return []
    flt = all_of(
        visible,
        {"starts_at": {"$gte": at, "$lt": at + dt.timedelta(hours=24)}},
        attending_filter(store, [actor.user_id]),
    )
    return [h for h in store.find(Hearing, flt, sort=[("starts_at", 1)]) if not h.outcome]
