"""The case workflow: the state machine of the domain notes, with guarded transitions.

One FIR is one case. A transition the current stage does not allow is refused
with a reason a person can act on; some transitions need a written reason
(returning a report to the IO states its defects) or an outcome (a decision).
"""

from __future__ import annotations

from dataclasses import dataclass

from casefiles.models import CASE_STATES
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l

INITIAL = "FIR_REGISTERED"

#: How a case (or a stage of it) ended; required when it is decided.
OUTCOMES = {
    "convicted": _l("Convicted"),
    "acquitted": _l("Acquitted"),
    "partly_convicted": _l("Partly convicted"),
    "compromised": _l("Compromised (ss.310/345)"),
    "abated": _l("Abated"),
    "transferred": _l("Transferred"),
    "dormant": _l("Dormant (absconding accused)"),
}

#: Police recommendations to cancel a case (Sindh practice ⚠).
CANCELLATION_CLASSES = {
    "A": _l("A — true but untraced"),
    "B": _l("B — false"),
    "C": _l("C — mistake of fact or civil dispute"),
}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    needs_reason: bool = False
    needs_outcome: bool = False
    needs_cancellation_class: bool = False


def _t(source: str, *targets: str, **guards: bool) -> list[Transition]:
    return [Transition(source, target, **guards) for target in targets]


TRANSITIONS: tuple[Transition, ...] = tuple(
    _t("FIR_REGISTERED", "UNDER_INVESTIGATION", "REPORT_UNDER_SCRUTINY")
    + _t("FIR_REGISTERED", "CANCELLATION_PROPOSED", needs_cancellation_class=True)
    + _t("UNDER_INVESTIGATION", "REPORT_UNDER_SCRUTINY")
    + _t("UNDER_INVESTIGATION", "CANCELLATION_PROPOSED", needs_cancellation_class=True)
    + _t("REPORT_UNDER_SCRUTINY", "FILED_IN_COURT")
    + _t("REPORT_UNDER_SCRUTINY", "RETURNED_TO_IO", needs_reason=True)
    + _t("REPORT_UNDER_SCRUTINY", "CANCELLATION_PROPOSED", needs_cancellation_class=True)
    + _t("RETURNED_TO_IO", "REPORT_UNDER_SCRUTINY")
    + _t("CANCELLATION_PROPOSED", "UNDER_INVESTIGATION", "FILED_IN_COURT", needs_reason=True)
    + _t("CANCELLATION_PROPOSED", "CLOSED", needs_reason=True)
    + _t("FILED_IN_COURT", "COGNIZANCE_TAKEN")
    + _t("COGNIZANCE_TAKEN", "PRE_CHARGE")
    + _t("PRE_CHARGE", "CHARGE_FRAMED")
    + _t("CHARGE_FRAMED", "PROSECUTION_EVIDENCE")
    + _t("PROSECUTION_EVIDENCE", "S342_DEFENCE")
    + _t("S342_DEFENCE", "ARGUMENTS")
    + _t("ARGUMENTS", "RESERVED")
    + _t("RESERVED", "ARGUMENTS", needs_reason=True)
    + _t("RESERVED", "DECIDED", needs_outcome=True)
    # Early endings: acquittal under s.265-K / s.249-A, compromise, abatement, transfer
    # (e.g. s.23 ATA) or the dormant file for absconders, at any trial stage.
    + [
        Transition(stage, "DECIDED", needs_reason=True, needs_outcome=True)
        for stage in (
            "COGNIZANCE_TAKEN",
            "PRE_CHARGE",
            "CHARGE_FRAMED",
            "PROSECUTION_EVIDENCE",
            "S342_DEFENCE",
            "ARGUMENTS",
        )
    ]
    + _t("DECIDED", "APPEAL_OR_REVISION", "CLOSED")
    # The higher court decides; a retrial order sends the case back to trial.
    + _t("APPEAL_OR_REVISION", "CLOSED", needs_outcome=True)
    + _t("APPEAL_OR_REVISION", "PRE_CHARGE", needs_reason=True)
)

_BY_SOURCE: dict[str, list[Transition]] = {}
for _transition in TRANSITIONS:
    _BY_SOURCE.setdefault(_transition.source, []).append(_transition)


class TransitionRefused(ValueError):
    """The move is not allowed now; the message says why and what is allowed."""


def allowed_from(state: str) -> list[Transition]:
    return list(_BY_SOURCE.get(state, []))


def check_transition(
    state: str,
    target: str,
    *,
    reason: str = "",
    outcome: str | None = None,
    cancellation_class: str | None = None,
) -> Transition:
    """The transition from ``state`` to ``target`` if its guards hold; else TransitionRefused."""
    if target not in CASE_STATES:
        raise TransitionRefused(_("Unknown stage: %(stage)s.", stage=target))
    transition = next((t for t in allowed_from(state) if t.target == target), None)
    if transition is None:
        allowed = ", ".join(str(CASE_STATES[t.target]) for t in allowed_from(state))
        raise TransitionRefused(
            _(
                "A case at the stage “%(current)s” cannot move to “%(target)s”. "
                "Allowed next stages: %(allowed)s.",
                current=str(CASE_STATES.get(state, state)),
                target=str(CASE_STATES[target]),
                allowed=allowed or _("none (the case is closed)"),
            )
        )
    if transition.needs_reason and not reason.strip():
        raise TransitionRefused(_("Write the reason for this step."))
    if transition.needs_outcome and outcome not in OUTCOMES:
        raise TransitionRefused(_("Choose the outcome of the decision."))
    if not transition.needs_outcome and outcome:
        raise TransitionRefused(_("An outcome is only recorded when the case is decided."))
    if transition.needs_cancellation_class and cancellation_class not in CANCELLATION_CLASSES:
        raise TransitionRefused(_("Choose the class of the cancellation report (A, B or C)."))
    return transition
