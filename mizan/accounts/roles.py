"""Roles of the Sindh Prosecution Department and what each may do.

Role capabilities answer "may this kind of user do this kind of thing at all".
Whether a user may see a particular case is decided per case by assignment
and district (see ``casefiles.policy``), never by role alone.
"""

from __future__ import annotations

from enum import StrEnum

from mizan.i18n import lazy_gettext as _l


class Role(StrEnum):
    PROSECUTOR_GENERAL = "prosecutor_general"
    DISTRICT_PUBLIC_PROSECUTOR = "district_public_prosecutor"
    PROSECUTOR = "prosecutor"
    CLERK = "clerk"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.PROSECUTOR_GENERAL: _l("Prosecutor General"),
    Role.DISTRICT_PUBLIC_PROSECUTOR: _l("District Public Prosecutor"),
    Role.PROSECUTOR: _l("Prosecutor"),
    Role.CLERK: _l("Clerk"),
    Role.TRAINER: _l("Trainer"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.ADMIN: _l("Administrator"),
}

#: Roles whose holders belong to one district and act within it.
DISTRICT_ROLES = frozenset(
    {Role.DISTRICT_PUBLIC_PROSECUTOR, Role.CLERK, Role.SUPERVISOR, Role.PROSECUTOR}
)


class Capability(StrEnum):
    MANAGE_USERS = "users.manage"
    VIEW_AUDIT = "audit.view"
    CREATE_CASE = "cases.create"
    ASSIGN_CASE = "cases.assign"
    UPLOAD_DOCUMENT = "documents.upload"
    SEARCH = "search.use"
    VIEW_JOBS = "jobs.view"
    VIEW_HEALTH = "health.view"


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(
        {
            Capability.MANAGE_USERS,
            Capability.VIEW_AUDIT,
            Capability.VIEW_JOBS,
            Capability.VIEW_HEALTH,
        }
    ),
    Role.PROSECUTOR_GENERAL: frozenset(
        {Capability.VIEW_AUDIT, Capability.ASSIGN_CASE, Capability.SEARCH, Capability.VIEW_JOBS}
    ),
    Role.DISTRICT_PUBLIC_PROSECUTOR: frozenset(
        {
            Capability.CREATE_CASE,
            Capability.ASSIGN_CASE,
            Capability.UPLOAD_DOCUMENT,
            Capability.SEARCH,
            Capability.VIEW_JOBS,
        }
    ),
    Role.PROSECUTOR: frozenset(
        {Capability.CREATE_CASE, Capability.UPLOAD_DOCUMENT, Capability.SEARCH}
    ),
    Role.CLERK: frozenset(
        {
            Capability.CREATE_CASE,
            Capability.UPLOAD_DOCUMENT,
            Capability.SEARCH,
            Capability.VIEW_JOBS,
        }
    ),
    Role.SUPERVISOR: frozenset({Capability.SEARCH}),
    Role.TRAINER: frozenset({Capability.SEARCH}),
}


def capabilities_of(roles: frozenset[str] | set[str]) -> frozenset[Capability]:
    """Everything the given roles allow together (unknown role names allow nothing)."""
    caps: set[Capability] = set()
    for role in roles:
        if role in Role._value2member_map_:
            caps |= CAPABILITIES.get(Role(role), frozenset())
    return frozenset(caps)
