"""Scrutiny of police reports: checklist, objections, and the prosecutor's decision.

Each scrutiny is a recorded decision in the case: the checklist as ticked, the
objections (defects the IO must cure), and the opinion. Returning a report to
the IO moves the case to RETURNED_TO_IO; a report fit for trial moves it to
FILED_IN_COURT; a resubmitted report goes back to REPORT_UNDER_SCRUTINY.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from casefiles.models import Case, ScrutinyRecord
from casefiles.service import CaseError, apply_stage, get_case
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

DECISIONS = {
    "fit_for_trial": "FILED_IN_COURT",
    "returned": "RETURNED_TO_IO",
}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str


@lru_cache(maxsize=1)
def checklist() -> tuple[ChecklistItem, ...]:
    data = tomllib.loads(resources.files("casefiles").joinpath("scrutiny.toml").read_text())
    return tuple(ChecklistItem(str(i["key"]), str(i["label"])) for i in data["item"])


def record_scrutiny(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    version: int,
    checked: list[str],
    objections: list[str],
    decision: str,
    opinion: str,
) -> Case:
    """Record the decision and move the case; returning needs at least one objection."""
    case = get_case(kernel, actor, case_id)
    if not actor.has_role(
        Role.PROSECUTOR, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR_GENERAL
    ):
        raise PermissionDenied(_("Only a prosecutor can scrutinise a police report."))
    if case.state != "REPORT_UNDER_SCRUTINY":
        raise CaseError(
            _("Only a report under scrutiny can be decided; this case is at another stage.")
        )
    keys = {item.key for item in checklist()}
    unknown = [c for c in checked if c not in keys]
    if unknown:
        raise CaseError(_("Unknown checklist item: %(item)s.", item=", ".join(unknown)))
    if decision not in DECISIONS:
        raise CaseError(_("Choose whether the report is fit for trial or returned to the IO."))
    objections = [o.strip() for o in objections if o.strip()]
    if decision == "returned" and not objections:
        raise CaseError(_("Write the defects the IO must cure before returning the report."))
    if decision == "fit_for_trial" and not opinion.strip():
        raise CaseError(_("Record your opinion on why the case is fit for trial."))
    case.scrutinies.append(
        ScrutinyRecord(
            at=utc_naive_now(),
            by=actor.user_id,
            by_name=actor.username,
            checked=sorted(set(checked)),
            missing=sorted(keys - set(checked)),
            objections=objections,
            decision=decision,
            opinion=opinion.strip() or None,
        )
    )
    reason = "; ".join(objections) if decision == "returned" else opinion.strip()
    return apply_stage(
        kernel,
        actor,
        case,
        version=version,
        target=DECISIONS[decision],
        reason=reason,
        event_data={
            "scrutiny": decision,
            "objections": objections,
            "missing": case.scrutinies[-1].missing,
        },
    )
