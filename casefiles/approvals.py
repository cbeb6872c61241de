"""The approval chain for a State appeal against acquittal.

After an acquittal the trial prosecutor proposes an appeal with written
grounds; the District Public Prosecutor of the case's district recommends or
declines it; the Prosecutor General approves or rejects a recommended
proposal. Each step keeps who, when, in which role and why. Approval opens the
appeal as a child matter "to be filed". The State's limitation period
(s.417(1), or ATA s.25) runs throughout and is shown at every step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mongoengine as me

from casefiles.holidays import working_calendar
from casefiles.matters import open_approved_appeal
from casefiles.models import Case
from casefiles.schedule import CaseDeadline, case_deadlines
from casefiles.service import CaseError, check_prosecutors, get_case
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import WorkingCalendar, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError, StaleWriteError

APPROVAL_STATES = {
    "proposed": _l("Proposed, awaiting the District Public Prosecutor"),
    "recommended": _l("Recommended, awaiting the Prosecutor General"),
    "declined": _l("Declined by the District Public Prosecutor"),
    "approved": _l("Approved by the Prosecutor General"),
    "rejected": _l("Rejected by the Prosecutor General"),
}
OPEN_STATES = ("proposed", "recommended")
#: The forums an appeal against acquittal lies to.
APPEAL_FORUMS = ("high_court", "sessions_court")
#: Limitation rules for the State's appeal against acquittal (deadline_rules.toml).
LIMITATION_RULES = ("state_appeal_acquittal", "ata_state_appeal_acquittal")
MIN_GROUNDS = 20


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    role: Role


#: action → the state it starts from, the state it leads to, and the role that takes it.
STEPS = {
    "recommend": Step("proposed", "recommended", Role.DISTRICT_PUBLIC_PROSECUTOR),
    "decline": Step("proposed", "declined", Role.DISTRICT_PUBLIC_PROSECUTOR),
    "approve": Step("recommended", "approved", Role.PROSECUTOR_GENERAL),
    "reject": Step("recommended", "rejected", Role.PROSECUTOR_GENERAL),
}
ACTION_LABELS = {
    "propose": _l("Proposed"),
    "recommend": _l("Recommended"),
    "decline": _l("Declined"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
}


class ApprovalStep(me.EmbeddedDocument):
    action = me.StringField(required=True, choices=list(ACTION_LABELS))
    at = me.DateTimeField(required=True)
    by = me.StringField(required=True)
    by_name = me.StringField()
    role = me.StringField()
    reason = me.StringField(required=True, max_length=5000)


class AppealApproval(Model):
    """One proposal to appeal an acquittal and the decisions on it."""

    label = "appeal approval"
    case_id = me.StringField(required=True)
    district = me.StringField(required=True)
    state = me.StringField(required=True, default="proposed", choices=list(APPROVAL_STATES))
    forum = me.StringField(required=True, choices=list(APPEAL_FORUMS))
    grounds = me.StringField(required=True, max_length=5000)
    proposed_by = me.StringField(required=True)
    steps = me.EmbeddedDocumentListField(ApprovalStep)
    matter_id = me.StringField()
    created_at = me.DateTimeField()
    updated_at = me.DateTimeField()

    meta = {"collection": "appeal_approvals", "indexes": ["case_id", ("district", "state")]}

    @property
    def next_role(self) -> Role | None:
        """Who must act next, or None when the chain has ended."""
        return {
            "proposed": Role.DISTRICT_PUBLIC_PROSECUTOR,
            "recommended": Role.PROSECUTOR_GENERAL,
        }.get(self.state)


class ApprovalNotFound(LookupError):
    """No such approval, or one of a case the user may not see."""


class ApprovalRefused(CaseError):
    """The step cannot be taken now; the message says why and who acts next."""


def limitation(case: Case, today: dt.date, calendar: WorkingCalendar) -> CaseDeadline | None:
    """The State's last day to appeal this acquittal (None if the case is not acquitted).

    `calendar` is the administrator's (`casefiles.holidays.working_calendar`), as for
    every other deadline: a limitation day that falls on a holiday runs on past it.
    """
    for item in case_deadlines(case, today, calendar=calendar):
        if item.deadline.rule_id in LIMITATION_RULES:
            return item
    return None


def get_approval(kernel: Kernel, actor: Actor, approval_id: str) -> tuple[AppealApproval, Case]:
    """The approval and its case if the actor may see the case (refusals are audited)."""
    try:
        approval = kernel.store.get(AppealApproval, approval_id)
    except NotFoundError:
        raise ApprovalNotFound(approval_id) from None
    case = get_case(kernel, actor, approval.case_id)
    return approval, case


def approvals_for_case(kernel: Kernel, case: Case) -> list[AppealApproval]:
    return kernel.store.find(AppealApproval, {"case_id": case.id}, sort=[("created_at", 1)])


def _step(actor: Actor, action: str, role: str, reason: str) -> ApprovalStep:
    return ApprovalStep(
        action=action,
        at=utc_naive_now(),
        by=actor.user_id,
        by_name=actor.username,
        role=role,
        reason=reason,
    )


def can_propose(actor: Actor, case: Case) -> bool:
    """Only a prosecutor assigned to the trial proposes (the one who knows the record)."""
    return actor.has_role(Role.PROSECUTOR) and actor.user_id in case.prosecutors


def propose_appeal(
    kernel: Kernel, actor: Actor, case_id: str, *, grounds: str, forum: str = "high_court"
) -> AppealApproval:
    case = get_case(kernel, actor, case_id)
    if not can_propose(actor, case):
        raise PermissionDenied(
            _("Only a prosecutor assigned to the trial can propose an appeal against acquittal.")
        )
    if case.outcome not in ("acquitted", "partly_convicted") or case.state not in (
        "DECIDED",
        "APPEAL_OR_REVISION",
    ):
        raise ApprovalRefused(
            _(
                "An appeal against acquittal can only be proposed once the case is decided "
                "as an acquittal."
            )
        )
    existing = approvals_for_case(kernel, case)
    if any(a.state in OPEN_STATES for a in existing):
        raise ApprovalRefused(
            _("A proposal to appeal is already awaiting a decision in this case.")
        )
    if any(a.state == "approved" for a in existing):
        raise ApprovalRefused(_("An appeal against this acquittal is already approved."))
    if forum not in APPEAL_FORUMS:
        raise ApprovalRefused(_("Choose the court the appeal lies to."))
    grounds = grounds.strip()
    if len(grounds) < MIN_GROUNDS:
        raise ApprovalRefused(
            _(
                "Write the grounds of appeal (at least %(n)d characters).",
                n=MIN_GROUNDS,
            )
        )
    if len(grounds) > 5000:
        raise ApprovalRefused(_("The grounds are too long (5000 letters at most)."))
    at = utc_naive_now()
    approval = AppealApproval(
        case_id=case.id,
        district=case.district,
        state="proposed",
        forum=forum,
        grounds=grounds,
        proposed_by=actor.user_id,
        steps=[_step(actor, "propose", Role.PROSECUTOR, grounds)],
        created_at=at,
        updated_at=at,
    )
    due = limitation(case, at.date(), working_calendar(kernel.store, at.date()))
    with kernel.store.transaction():
        kernel.store.insert(approval)
        kernel.emit(
            DomainEvent(
                "approval.proposed",
                actor,
                "approval",
                approval.id,
                {
                    "case_id": case.id,
                    "forum": forum,
                    "limitation": due.deadline.due.isoformat() if due else None,
                },
            )
        )
    return approval


def decide(
    kernel: Kernel, actor: Actor, approval_id: str, *, version: int, action: str, reason: str
) -> AppealApproval:
    """Take the next step of the chain; a step out of turn is refused with the reason."""
    approval, case = get_approval(kernel, actor, approval_id)
    if version != approval.version:
        # Someone decided while this person read the page: say so, not "out of turn".
        raise StaleWriteError(approval.label, approval.id, version, approval.version)
    step = STEPS.get(action)
    if step is None:
        raise ApprovalRefused(_("Choose recommend, decline, approve or reject."))
    if approval.state != step.source:
        raise ApprovalRefused(_explain(approval, action))
    if not actor.has_role(step.role):
        if step.role == Role.PROSECUTOR_GENERAL:
            message = _("Only the Prosecutor General can approve or reject an appeal.")
        else:
            message = _(
                "Only the District Public Prosecutor of the case's district can recommend "
                "or decline a proposal."
            )
        raise PermissionDenied(message)
    reason = reason.strip()
    if not reason:
        raise ApprovalRefused(_("Write the reason for your decision."))
    if len(reason) > 5000:
        raise ApprovalRefused(_("The reason is too long (5000 letters at most)."))
    approval.version = version
    approval.state = step.target
    approval.steps.append(_step(actor, action, step.role, reason))
    approval.updated_at = utc_naive_now()
    with kernel.store.transaction():
        if action == "approve":
            lead = _still_prosecutor(kernel, approval.proposed_by)
            matter = open_approved_appeal(
                kernel, actor, case, forum=approval.forum, lead=lead, approval_id=approval.id
            )
            approval.matter_id = matter.id
        kernel.store.replace(approval)
        kernel.emit(
            DomainEvent(
                f"approval.{step.target}",
                actor,
                "approval",
                approval.id,
                {"case_id": case.id, "reason": reason, "matter_id": approval.matter_id},
            )
        )
    return approval


def _still_prosecutor(kernel: Kernel, user_id: str) -> str | None:
    try:
        return check_prosecutors(kernel, [user_id])[0]
    except CaseError:
        return None


def _explain(approval: AppealApproval, action: str) -> str:
    """Why ``action`` is out of turn, in words that say what happens next."""
    state = str(APPROVAL_STATES[approval.state])
    if approval.state == "proposed":
        return _(
            "This proposal is “%(state)s”: the District Public Prosecutor must recommend or "
            "decline it before the Prosecutor General can decide.",
            state=state,
        )
    if approval.state == "recommended":
        return _(
            "This proposal is “%(state)s”: only the Prosecutor General's approval or "
            "rejection is outstanding.",
            state=state,
        )
    return _(
        "This proposal is “%(state)s”; the chain has ended and nothing more can be decided. "
        "Propose a new appeal if there are new grounds.",
        state=state,
    )
