"""Who may see which case: by assignment and district, not by role alone.

The Prosecutor General's office sees every case; district roles (district
public prosecutor, clerk, supervisor) see their district; a prosecutor sees
the cases assigned to them. The same rule yields a store filter for lists and
the principals the search engine filters on, so pages, API and search agree.
"""

from __future__ import annotations

from typing import Protocol

from casefiles.models import Case
from mizan.accounts.roles import Capability, Role, capabilities_of
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.storage import DocumentStore, Filter

PUBLIC = "public"
_ALL_CASES = (Role.PROSECUTOR_GENERAL,)
_DISTRICT_WIDE = (Role.DISTRICT_PUBLIC_PROSECUTOR, Role.CLERK, Role.SUPERVISOR)


class CaseOwners(Protocol):
    """What deciding visibility reads: a ``Case``, or the reports' ``ReportCase``."""

    @property
    def district(self) -> str: ...

    @property
    def prosecutors(self) -> list[str]: ...


def can_view_case(actor: Actor, case: CaseOwners) -> bool:
    if actor.has_role("system", *_ALL_CASES):
        return True
    if actor.has_role(*_DISTRICT_WIDE) and actor.district == case.district:
        return True
    return actor.has_role(Role.PROSECUTOR) and actor.user_id in case.prosecutors


def can_edit_case(actor: Actor, case: Case) -> bool:
    """Clerks enter data for their district; assigned prosecutors for their cases."""
    editors = (
        Role.PROSECUTOR_GENERAL,
        Role.DISTRICT_PUBLIC_PROSECUTOR,
        Role.CLERK,
        Role.PROSECUTOR,
    )
    return actor.has_role("system") or (actor.has_role(*editors) and can_view_case(actor, case))


def visible_cases_filter(actor: Actor) -> Filter | None:
    """A store filter selecting the cases ``actor`` may see; None means none at all."""
    if actor.has_role("system", *_ALL_CASES):
        return {}
    clauses: list[dict] = []
    if actor.has_role(*_DISTRICT_WIDE) and actor.district:
        clauses.append({"district": actor.district})
    if actor.has_role(Role.PROSECUTOR):
        clauses += [{"lead_prosecutor": actor.user_id}, {"assisting": actor.user_id}]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def search_principals(store: DocumentStore, actor: Actor) -> set[str] | None:
    """Principals for the engine's permission filter; None = unrestricted (all cases)."""
    if actor.has_role("system", *_ALL_CASES):
        return None
    principals = {PUBLIC}
    if actor.has_role(*_DISTRICT_WIDE) and actor.district:
        principals.add(f"district:{actor.district}")
    if actor.has_role(Role.PROSECUTOR):
        assigned = store.find(
            Case, {"$or": [{"lead_prosecutor": actor.user_id}, {"assisting": actor.user_id}]}
        )
        principals |= {f"case:{case.id}" for case in assigned}
    return principals


def document_acl(case: Case) -> tuple[str, ...]:
    """Principals that may see a document of ``case`` (what the index stores)."""
    return (f"case:{case.id}", f"district:{case.district}")


#: Roles whose members may read privileged (prosecution-internal) notes of a case they see.
_PRIVILEGED_READERS = (Role.PROSECUTOR_GENERAL, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR)


def can_read_privileged(actor: Actor, case: Case) -> bool:
    """Privileged notes are the prosecution's own opinions: never clerks, supervisors or
    integrations, even where they may see the case itself."""
    return actor.has_role("system", *_PRIVILEGED_READERS) and can_view_case(actor, case)


def can_view_matter(actor: Actor, case: Case, lead_prosecutor: str | None) -> bool:
    """A child matter (bail, appeal …) is seen with its case, and by its own prosecutor,
    who may argue a bail application in a case they are not otherwise assigned to."""
    if can_view_case(actor, case):
        return True
    return (
        bool(lead_prosecutor)
        and actor.has_role(Role.PROSECUTOR)
        and (actor.user_id == lead_prosecutor)
    )


def can_edit_matter(actor: Actor, case: Case, lead_prosecutor: str | None) -> bool:
    if can_edit_case(actor, case):
        return True
    return (
        bool(lead_prosecutor)
        and actor.has_role(Role.PROSECUTOR)
        and (actor.user_id == lead_prosecutor)
    )


# -- what a page offers an actor (decided here so views only render) -------------------------


def sees_province(actor: Actor) -> bool:
    """The province-wide office picks any district in filters and choices; others see their own."""
    return actor.has_role("system", *_ALL_CASES)


def may_create_cases(actor: Actor) -> bool:
    """Opening a case at all (which district is then checked by the service)."""
    return Capability.CREATE_CASE in capabilities_of(actor.roles)


def may_import_cause_lists(actor: Actor) -> bool:
    """Reading a court's cause list into the district's hearings is clerical, district-wide
    work; each row is still applied only to a case the person may change."""
    return actor.has_role(
        "system", Role.CLERK, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR_GENERAL
    )


def may_assign_cases(actor: Actor) -> bool:
    """Assigning prosecutors and keeping their court postings."""
    return Capability.ASSIGN_CASE in capabilities_of(actor.roles)


def may_manage_holidays(actor: Actor) -> bool:
    """The working calendar is kept by those who manage users (administrators)."""
    return Capability.MANAGE_USERS in capabilities_of(actor.roles)


def may_break_glass(actor: Actor) -> bool:
    """Who may reveal protected identities after stating a reason (the act is audited)."""
    return actor.has_role(Role.PROSECUTOR_GENERAL, Role.DISTRICT_PUBLIC_PROSECUTOR)


def may_scrutinise(actor: Actor, case: Case) -> bool:
    """Scrutiny of a police report is a prosecutor's act, on a case they may edit."""
    return (
        case.state == "REPORT_UNDER_SCRUTINY"
        and actor.has_role(
            Role.PROSECUTOR, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR_GENERAL
        )
        and can_edit_case(actor, case)
    )


def may_act_on_step(actor: Actor, role: str | None) -> bool:
    """Whether ``actor`` holds the role the next step of an approval chain waits for."""
    return role is not None and actor.has_role(role)


def own_prosecutor_id(actor: Actor) -> str | None:
    """A prosecutor's calendars default to their own hearings; others see everyone's."""
    return actor.user_id if actor.has_role(Role.PROSECUTOR) else None


def deadline_scope(actor: Actor) -> str:
    """Which deadline list an actor lands on: "district" for supervisors, "mine" for a
    prosecutor; anyone else has none (PermissionDenied)."""
    if actor.has_role(Role.PROSECUTOR_GENERAL, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.SUPERVISOR):
        return "district"
    if actor.has_role(Role.PROSECUTOR):
        return "mine"
    raise PermissionDenied(_("You do not have permission to do this."))
