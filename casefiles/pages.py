"""What the case-side pages show, read for one actor.

Views parse the request, call one of these and render what comes back: the store
is read here, and every "may this actor see or do this" comes from
``casefiles.policy``, so no view touches the store or checks a role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from casefiles.approvals import AppealApproval, approvals_for_case, can_propose, limitation
from casefiles.assignment import Suggestion, suggest
from casefiles.hearing_access import case_map, people
from casefiles.hearing_calendars import known_courts
from casefiles.hearings import Hearing
from casefiles.holidays import Holiday, holidays_of, working_calendar, years_entered
from casefiles.matter_lists import matter_clocks
from casefiles.matters import Matter, matters_for_case
from casefiles.models import Case, CaseDocument
from casefiles.notes import CaseNote, notes_for_case
from casefiles.parties import repeat_accused, sees_protected_identities
from casefiles.policy import (
    can_edit_case,
    can_read_privileged,
    may_assign_cases,
    may_break_glass,
    may_scrutinise,
    sees_province,
)
from casefiles.schedule import CaseDeadline, case_deadlines
from casefiles.timeline import TimelineItem, case_timeline
from mizan.accounts.models import District, User
from mizan.accounts.roles import Role
from mizan.actor import Actor
from mizan.clock import WorkingCalendar
from mizan.jobs import Job
from mizan.kernel import Kernel

# -- choices: districts and prosecutors ------------------------------------------------------


def filter_districts(kernel: Kernel, actor: Actor) -> list[District]:
    """Districts a list can be narrowed to: all for the province-wide office, none otherwise
    (everyone else sees their own district only)."""
    if not sees_province(actor):
        return []
    return kernel.store.find(District, {}, sort=[("name", 1)])


def new_case_districts(kernel: Kernel, actor: Actor) -> list[District]:
    """Districts a case may be opened in: any for the province-wide office, else one's own."""
    flt = {} if sees_province(actor) else {"code": actor.district or ""}
    return kernel.store.find(District, flt, sort=[("name", 1)])


def prosecutors(kernel: Kernel, district: str | None = None) -> list[User]:
    """Active prosecutors by name; of ``district`` unless it is None."""
    flt: dict[str, object] = {"roles": Role.PROSECUTOR.value, "active": True}
    if district is not None:
        flt["district"] = district
    return kernel.store.find(User, flt, sort=[("full_name", 1)])


def prosecutors_for(kernel: Kernel, actor: Actor) -> list[User]:
    """Prosecutors ``actor`` may pick in a calendar filter: the province's or their district's."""
    return prosecutors(kernel, None if sees_province(actor) else (actor.district or ""))


def postings_district(actor: Actor, asked: str | None) -> str | None:
    """The district whose postings are shown: the one asked for by the province-wide office,
    one's own for everyone else."""
    return asked if sees_province(actor) else actor.district


def names_of(kernel: Kernel, ids: list[str] | set[str]) -> dict[str, str]:
    """Full names by user id."""
    return people(kernel.store, ids)


# -- the case page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePage:
    """The core of the case page for one actor (notes, matters and hearings come separately)."""

    documents: list[CaseDocument]
    jobs: dict[str, Job]
    names: dict[str, str]
    assignment_names: dict[str, str]
    deadlines: list[CaseDeadline]
    can_edit: bool
    may_assign: bool
    suggestions: list[Suggestion] = field(default_factory=list)
    may_break_glass: bool = False
    may_scrutinise: bool = False
    shows_identities: bool = False
    repeat: dict[str, list[Case]] = field(default_factory=dict)


def case_page(kernel: Kernel, actor: Actor, case: Case, today: dt.date) -> CasePage:
    """Everything the case page shows about ``case`` (already fetched for ``actor``)."""
    store = kernel.store
    documents = store.find(CaseDocument, {"case_id": case.id}, sort=[("uploaded_at", -1)])
    jobs = {j.id: j for j in store.find(Job, {"case_id": case.id})}
    names = {u.id: u.full_name for u in store.find(User, {"_id": {"$in": case.prosecutors}})}
    may_assign = may_assign_cases(actor)
    ids = sorted(
        {i for a in case.assignments for i in (a.lead, a.lead_before) if i}
        | {i for a in case.assignments for i in a.assisting + a.assisting_before}
    )
    return CasePage(
        documents=documents,
        jobs=jobs,
        names=names,
        assignment_names={u.id: u.full_name for u in store.find(User, {"_id": {"$in": ids}})},
        deadlines=case_deadlines(case, today, calendar=working_calendar(store, today)),
        can_edit=can_edit_case(actor, case),
        may_assign=may_assign,
        suggestions=suggest(kernel, actor, case) if may_assign else [],
        may_break_glass=may_break_glass(actor),
        may_scrutinise=may_scrutinise(actor, case),
        shows_identities=sees_protected_identities(actor, case),
        repeat=repeat_accused(kernel, actor, case),
    )


@dataclass(frozen=True)
class CaseRecord:
    """Notes, child matters, the appeal approval chain and the timeline of one case."""

    editable: bool
    notes: list[CaseNote]
    may_write_privileged: bool
    matters: list[Matter]
    matter_people: dict[str, str]
    approvals: list[AppealApproval]
    may_propose: bool
    appeal_limitation: CaseDeadline | None
    timeline: list[TimelineItem]


def case_record(kernel: Kernel, actor: Actor, case: Case, today: dt.date) -> CaseRecord:
    """What the case page's record partials show; privileged notes only for their readers."""
    editable = can_edit_case(actor, case)
    matters = matters_for_case(kernel, case)
    return CaseRecord(
        editable=editable,
        notes=notes_for_case(kernel, actor, case),
        may_write_privileged=editable and can_read_privileged(actor, case),
        matters=matters,
        matter_people=people(
            kernel.store, {m.lead_prosecutor for m in matters if m.lead_prosecutor}
        ),
        approvals=approvals_for_case(kernel, case),
        may_propose=can_propose(actor, case),
        appeal_limitation=appeal_limitation(kernel, case, today),
        timeline=case_timeline(kernel, actor, case, today),
    )


def appeal_limitation(kernel: Kernel, case: Case, today: dt.date) -> CaseDeadline | None:
    """The limitation clock of an appeal against the case's judgment, on working days."""
    return limitation(case, today, working_calendar(kernel.store, today))


# -- hearings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseHearings:
    """A case's hearings, and whether (and with which court names) one may be scheduled."""

    hearings: list[Hearing]
    can_schedule: bool
    courts: list[str]


def case_hearings(kernel: Kernel, actor: Actor, case: Case) -> CaseHearings:
    """The hearings panel of a case (already fetched for ``actor``), oldest first."""
    hearings = kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", 1)])
    editable = can_edit_case(actor, case)
    return CaseHearings(hearings, editable, known_courts(kernel, actor) if editable else [])


def hearing_neighbours(kernel: Kernel, hearing: Hearing) -> tuple[Hearing | None, Hearing | None]:
    """The hearing this one was adjourned from, and the one it was adjourned to."""
    previous, following = (
        kernel.store.find_one(Hearing, {"_id": i}) if i else None
        for i in (hearing.previous_hearing_id, hearing.next_hearing_id)
    )
    return previous, following


def hearing_context(kernel: Kernel, hearings: list[Hearing]) -> dict[str, object]:
    """Cases (for references and links) and prosecutor names of some hearings."""
    return {
        "cases": case_map(kernel.store, hearings),
        "names": people(kernel.store, {pid for h in hearings for pid in h.prosecutor_ids}),
    }


def case_references(kernel: Kernel, hearings: list[Hearing]) -> dict[str, str]:
    """Case references by case id, for a feed of hearings."""
    return {cid: c.reference for cid, c in case_map(kernel.store, hearings).items()}


def matter_hearings(kernel: Kernel, matter: Matter) -> list[Hearing]:
    """The hearings of one child matter, oldest first."""
    return kernel.store.find(Hearing, {"matter_id": matter.id}, sort=[("starts_at", 1)])


def matter_deadlines(
    kernel: Kernel, matter: Matter, case: Case, siblings: list[Matter], today: dt.date
) -> list[CaseDeadline]:
    """A matter's statutory clocks, counted on the working calendar."""
    return matter_clocks(matter, case, siblings, today, working_calendar(kernel.store, today))


# -- holidays ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayYear:
    entries: list[Holiday]
    calendar: WorkingCalendar
    years: list[int]


def holiday_year(kernel: Kernel, year: int, today: dt.date) -> HolidayYear:
    """The holidays entered for ``year``, the working calendar, and the years one may open."""
    return HolidayYear(
        entries=holidays_of(kernel.store, year),
        calendar=working_calendar(kernel.store, today),
        years=sorted({*years_entered(kernel.store), today.year, today.year + 1}),
    )
