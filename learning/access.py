"""Who may see, take, write, assign and follow courses.

Role capabilities (``mizan.accounts.roles``) answer "may this kind of user do
this at all"; whether a learner may see one course is decided by its
audience (roles, districts, ATC posting). Authors (trainers) see every
course, drafts included. Assigning and following others' progress is
province-wide for trainers and the Prosecutor General, and limited to their own
district for District Public Prosecutors and supervisors.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefiles.assignment import Posting
from learning.models import Audience
from mizan.accounts.roles import Capability, Role, capabilities_of
from mizan.actor import Actor
from mizan.kernel import Kernel

#: Roles whose assigning and progress views cover the whole province.
_PROVINCE_WIDE = (Role.TRAINER, Role.PROSECUTOR_GENERAL)


@dataclass(frozen=True)
class Learner:
    """What an audience is matched against."""

    user_id: str
    roles: frozenset[str]
    district: str | None
    atc: bool  # holds a posting to an Anti-Terrorism Court


def _has(actor: Actor, capability: Capability) -> bool:
    return actor.has_role("system") or capability in capabilities_of(actor.roles)


def can_author(actor: Actor) -> bool:
    return _has(actor, Capability.AUTHOR_COURSES)


def can_learn(actor: Actor) -> bool:
    return _has(actor, Capability.LEARN)


def can_assign(actor: Actor) -> bool:
    return _has(actor, Capability.ASSIGN_COURSES)


def can_follow_progress(actor: Actor) -> bool:
    return _has(actor, Capability.VIEW_TRAINING)


def group_scope(actor: Actor) -> str | None:
    """The district an assigner/progress viewer is limited to; None = the whole province.

    Call only after ``can_assign``/``can_follow_progress``; a district-bound role without a
    district gets the impossible scope ``""`` (nothing), never the province.
    """
    if actor.has_role("system", *_PROVINCE_WIDE):
        return None
    return actor.district or ""


def learner_of(kernel: Kernel, actor: Actor) -> Learner:
    """The actor as an audience sees them, with their ATC posting looked up."""
    atc = actor.has_role(Role.PROSECUTOR) and bool(
        kernel.store.count(Posting, {"user_id": actor.user_id, "atc": True})
    )
    return Learner(actor.user_id, frozenset(actor.roles), actor.district, atc)


def audience_admits(audience: Audience | None, learner: Learner) -> bool:
    """Does a course published for ``audience`` reach ``learner``? Empty lists mean any."""
    if audience is None:
        return True
    if audience.roles and not learner.roles.intersection(audience.roles):
        return False
    if audience.districts and learner.district not in audience.districts:
        return False
    return not (audience.atc_only and not learner.atc)
