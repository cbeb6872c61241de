"""Clashes: a prosecutor due in two courts less than ``CLASH_WINDOW`` apart on one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casefiles.hearing_access import all_of, attending_filter, case_map, people
from casefiles.hearings import CLASH_WINDOW, Hearing, HearingError, court_key
from casefiles.policy import can_view_case
from mizan.actor import Actor
from mizan.clock import pakistan_wall_time
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


@dataclass(frozen=True)
class Clash:
    prosecutor_id: str
    prosecutor_name: str
    hearing: Hearing
    #: None when the person scheduling may not see that case: its name is not revealed.
    case_reference: str | None

    def describe(self) -> str:
        when = self.hearing.local_starts_at.strftime("%d.%m.%Y %H:%M")
        if self.case_reference:
            return _(
                "%(name)s already has a hearing at %(when)s in %(court)s (%(case)s).",
                name=self.prosecutor_name,
                when=when,
                court=self.hearing.court,
                case=self.case_reference,
            )
        return _(
            "%(name)s already has a hearing at %(when)s in %(court)s (another case).",
            name=self.prosecutor_name,
            when=when,
            court=self.hearing.court,
        )


class HearingClash(HearingError):
    """A prosecutor would be due in two courts at once; ``override_clash`` accepts it."""

    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        super().__init__(
            " ".join(
                [
                    *(c.describe() for c in clashes),
                    _("Choose another time, or confirm that the hearing clashes."),
                ]
            )
        )


def find_clashes(
    kernel: Kernel,
    actor: Actor,
    prosecutor_ids: Sequence[str],
    starts_at: dt.datetime,
    court: str,
    *,
    exclude: Iterable[str] = (),
) -> list[Clash]:
    """Hearings of these prosecutors in another court within the clash window that day.

    Several cases in the same court at once are normal (one cause list), so only
    a different court counts.
    """
    if not prosecutor_ids:
        return []
    store = kernel.store
    day = pakistan_wall_time(starts_at).date()
    window = {"starts_at": {"$gt": starts_at - CLASH_WINDOW, "$lt": starts_at + CLASH_WINDOW}}
    others = {"court_key": {"$ne": court_key(court)}}
    excluded = set(exclude)
    found = [
        h
        for h in store.find(
            Hearing,
            all_of(window, others, attending_filter(store, prosecutor_ids)),
            sort=[("starts_at", 1)],
        )
        if h.id not in excluded and h.local_starts_at.date() == day
    ]
    if not found:
        return []
    cases = case_map(store, found)
    names = people(store, prosecutor_ids)
    clashes = []
    for hearing in found:
        case = cases.get(hearing.case_id)
        attending = set(hearing.prosecutor_ids) | set(case.prosecutors if case else [])
        for pid in prosecutor_ids:
            if pid in attending:
                visible = case is not None and can_view_case(actor, case)
                shown = case.reference if visible and case is not None else None
                clashes.append(Clash(pid, names.get(pid, pid), hearing, shown))
    return clashes


def clash_data(clashes: list[Clash]) -> list[dict]:
    return [
        {"prosecutor_id": c.prosecutor_id, "hearing_id": c.hearing.id, "court": c.hearing.court}
        for c in clashes
    ]
