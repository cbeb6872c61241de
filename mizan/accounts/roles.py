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
    """What a kind of user may do; the menu and the start page show only what these allow.

    ``cases.view``, ``deadlines.view``, ``matters.own`` and ``dashboard.view`` mirror the
    rules in ``casefiles`` (policy, deadline scope, own matters, dashboard scope) so pages
    that would be empty for a role are not offered; a test keeps the two in step.
    """

    MANAGE_USERS = "users.manage"
    VIEW_AUDIT = "audit.view"
    VIEW_CASES = "cases.view"
    VIEW_DEADLINES = "deadlines.view"
    OWN_MATTERS = "matters.own"
    VIEW_DASHBOARD = "dashboard.view"
    #: Performance reports: the province, a district, or (prosecutors) one's own figures.
    VIEW_REPORTS = "reports.view"
    CREATE_CASE = "cases.create"
    ASSIGN_CASE = "cases.assign"
    UPLOAD_DOCUMENT = "documents.upload"
    SEARCH = "search.use"
    VIEW_JOBS = "jobs.view"
    VIEW_HEALTH = "health.view"
    #: Take courses published for them (the learning platform).
    LEARN = "learning.take"
    #: Write, publish and archive courses, question banks and case studies (trainers).
    AUTHOR_COURSES = "learning.author"
    #: Assign courses to people or groups with a due date, within one's scope.
    ASSIGN_COURSES = "learning.assign"
    #: See the training progress of others, within one's scope.
    VIEW_TRAINING = "learning.progress"


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
        {
            Capability.VIEW_REPORTS,
            Capability.VIEW_AUDIT,
            Capability.VIEW_CASES,
            Capability.VIEW_DEADLINES,
            Capability.VIEW_DASHBOARD,
            Capability.ASSIGN_CASE,
            Capability.SEARCH,
            Capability.VIEW_JOBS,
            Capability.LEARN,
            Capability.ASSIGN_COURSES,
            Capability.VIEW_TRAINING,
        }
    ),
    Role.DISTRICT_PUBLIC_PROSECUTOR: frozenset(
        {
            Capability.VIEW_REPORTS,
            Capability.VIEW_CASES,
            Capability.VIEW_DEADLINES,
            Capability.VIEW_DASHBOARD,
            Capability.CREATE_CASE,
            Capability.ASSIGN_CASE,
            Capability.UPLOAD_DOCUMENT,
            Capability.SEARCH,
            Capability.VIEW_JOBS,
            Capability.LEARN,
            Capability.ASSIGN_COURSES,
            Capability.VIEW_TRAINING,
        }
    ),
    Role.PROSECUTOR: frozenset(
        {
            Capability.VIEW_REPORTS,
            Capability.VIEW_CASES,
            Capability.VIEW_DEADLINES,
            Capability.OWN_MATTERS,
            Capability.CREATE_CASE,
            Capability.UPLOAD_DOCUMENT,
            Capability.SEARCH,
            # Their uploads and searchable-PDF requests are jobs they follow.
            Capability.VIEW_JOBS,
            Capability.LEARN,
        }
    ),
    Role.CLERK: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.CREATE_CASE,
            Capability.UPLOAD_DOCUMENT,
            Capability.SEARCH,
            Capability.VIEW_JOBS,
            Capability.LEARN,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Capability.VIEW_REPORTS,
            Capability.VIEW_CASES,
            Capability.VIEW_DEADLINES,
            Capability.VIEW_DASHBOARD,
            Capability.SEARCH,
            # A supervisor may ask for a searchable PDF of a document they read: a job.
            Capability.VIEW_JOBS,
            Capability.LEARN,
            Capability.ASSIGN_COURSES,
            Capability.VIEW_TRAINING,
        }
    ),
    Role.TRAINER: frozenset(
        {
            Capability.SEARCH,
            Capability.AUTHOR_COURSES,
            Capability.ASSIGN_COURSES,
            Capability.VIEW_TRAINING,
        }
    ),
}


def capabilities_of(roles: frozenset[str] | set[str]) -> frozenset[Capability]:
    """Everything the given roles allow together (unknown role names allow nothing)."""
    caps: set[Capability] = set()
    for role in roles:
        if role in Role._value2member_map_:
            caps |= CAPABILITIES.get(Role(role), frozenset())
    return frozenset(caps)
