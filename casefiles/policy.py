"""Who may see which case: by assignment and district, not by role alone.

The Prosecutor General's office sees every case; district roles (district
public prosecutor, clerk, supervisor) see their district; a prosecutor sees
the cases assigned to them. The same rule yields a store filter for lists and
the principals the search engine filters on, so pages, API and search agree.
"""

from __future__ import annotations

from casefiles.models import Case
from mizan.accounts.roles import Role
from mizan.actor import Actor
from mizan.storage import DocumentStore, Filter

PUBLIC = "public"
_ALL_CASES = (Role.PROSECUTOR_GENERAL,)
_DISTRICT_WIDE = (Role.DISTRICT_PUBLIC_PROSECUTOR, Role.CLERK, Role.SUPERVISOR)


def can_view_case(actor: Actor, case: Case) -> bool:
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
