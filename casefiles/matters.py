"""Child matters of a case: bail applications, appeals, revisions, transfers and
confirmation references, each with its own court number, prosecutor, hearings and
limitation clock (domain notes: "bail, transfer, appeal and confirmation are linked
child cases").

A matter is seen wherever its parent case is seen, and by its own prosecutor.
Court numbers are read strictly with ``legaltext.case_numbers``: a number that
cannot be read is reported to the clerk, never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mongoengine as me

from casefiles.deadlines import Deadline, status
from casefiles.models import Case
from casefiles.policy import can_edit_matter, can_view_matter
from casefiles.schedule import CaseDeadline, default_rules
from casefiles.service import CaseError, check_prosecutors, get_case
from legaltext.case_numbers import CaseNumberError, parse_case_number
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import WorkingCalendar, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError

MATTER_KINDS = {
    "bail_pre_arrest": _l("Bail application, pre-arrest (s.498)"),
    "bail_post_arrest": _l("Bail application, post-arrest (s.497)"),
    "appeal_conviction": _l("Appeal against conviction"),
    "appeal_acquittal": _l("Appeal against acquittal"),
    "appeal_enhancement": _l("Appeal for enhancement of sentence"),
    "revision": _l("Revision"),
    "transfer": _l("Transfer application"),
    "confirmation_reference": _l("Confirmation reference (s.374)"),
}
FORUMS = {
    "magistrate": _l("Judicial Magistrate"),
    "sessions_court": _l("Sessions Court"),
    "special_court": _l("Special court (ATC, CNS, anti-corruption)"),
    "high_court": _l("High Court of Sindh"),
    "supreme_court": _l("Supreme Court of Pakistan"),
    "federal_shariat_court": _l("Federal Shariat Court"),
}
MATTER_STATES = {
    "to_file": _l("Approved, to be filed"),
    "pending": _l("Pending"),
    "decided": _l("Decided"),
    "withdrawn": _l("Withdrawn"),
}
MATTER_OUTCOMES = {
    "granted": _l("Granted"),
    "refused": _l("Refused"),
    "allowed": _l("Allowed"),
    "partly_allowed": _l("Partly allowed"),
    "dismissed": _l("Dismissed"),
    "confirmed": _l("Sentence confirmed"),
    "not_confirmed": _l("Sentence not confirmed"),
}
MATTER_STEPS = {
    "created": _l("Recorded"),
    "approved": _l("Approved for filing"),
    "filed": _l("Filed"),
    "decided": _l("Decided"),
    "withdrawn": _l("Withdrawn"),
    "assigned": _l("Prosecutor changed"),
}
#: Which outcomes make sense for which kind (a bail is granted, an appeal allowed).
_OUTCOMES_BY_KIND = {
    "bail": ("granted", "refused"),
    "appeal": ("allowed", "partly_allowed", "dismissed"),
    "revision": ("allowed", "partly_allowed", "dismissed"),
    "transfer": ("allowed", "dismissed"),
    "confirmation": ("confirmed", "not_confirmed"),
}
#: Stages at which the trial has ended, so an appeal or reference can exist.
_DECIDED_STAGES = {"DECIDED", "APPEAL_OR_REVISION", "CLOSED"}


def family(kind: str) -> str:
    """ "bail_pre_arrest" → "bail"; "confirmation_reference" → "confirmation"."""
    return kind.split("_", 1)[0]


def outcomes_for(kind: str) -> dict[str, object]:
    return {k: MATTER_OUTCOMES[k] for k in _OUTCOMES_BY_KIND.get(family(kind), ())}


class CourtNumber(me.EmbeddedDocument):
    """The normalised parts of a court number (see ``legaltext.case_numbers.CaseNumber``)."""

    raw = me.StringField(required=True, max_length=200)
    canonical = me.StringField(required=True)
    case_type = me.StringField(required=True)
    bench = me.StringField()
    number = me.IntField(required=True, min_value=1)
    prefix = me.StringField()
    registry = me.StringField()
    year = me.IntField(required=True)


class MatterStep(me.EmbeddedDocument):
    """Who did what to the matter, when, and why (shown on the matter page)."""

    at = me.DateTimeField(required=True)
    by = me.StringField(required=True)
    by_name = me.StringField()
    action = me.StringField(required=True)
    note = me.StringField(max_length=2000)


class Matter(Model):
    """One child matter of a case before a court."""

    label = "matter"
    case_id = me.StringField(required=True)
    #: Copied from the case so district lists need no join.
    district = me.StringField(required=True)
    kind = me.StringField(required=True, choices=list(MATTER_KINDS))
    forum = me.StringField(required=True, choices=list(FORUMS))
    court = me.StringField(max_length=120)
    number = me.EmbeddedDocumentField(CourtNumber)
    filed_on = me.DateTimeField()
    lead_prosecutor = me.StringField()
    state = me.StringField(required=True, default="pending", choices=list(MATTER_STATES))
    outcome = me.StringField(choices=list(MATTER_OUTCOMES))
    decided_on = me.DateTimeField()
    outcome_note = me.StringField(max_length=2000)
    #: The approval (appeal against acquittal) this matter was opened by, if any.
    approval_id = me.StringField()
    steps = me.EmbeddedDocumentListField(MatterStep)
    created_by = me.StringField()
    created_at = me.DateTimeField()
    updated_at = me.DateTimeField()

    meta = {
        "collection": "matters",
        "indexes": ["case_id", "lead_prosecutor", "number.canonical", ("district", "state")],
    }

    @property
    def title(self) -> str:
        if self.number:
            return self.number.canonical
        return str(MATTER_KINDS.get(self.kind, self.kind))


class MatterNotFound(LookupError):
    """No such matter, or one the user may not see (indistinguishable on purpose)."""


class MatterError(CaseError):
    """Input that cannot be accepted; the message says what to fix."""


@dataclass(frozen=True)
class MatterInput:
    kind: str
    forum: str
    court: str = ""
    number: str = ""
    filed_on: dt.date | None = None
    lead_prosecutor: str | None = None
    note: str = ""


# -- reading ---------------------------------------------------------------------------------


def get_matter(kernel: Kernel, actor: Actor, matter_id: str) -> tuple[Matter, Case]:
    """The matter and its case if ``actor`` may see the matter; a refusal is audited."""
    try:
        matter = kernel.store.get(Matter, matter_id)
        case = kernel.store.get(Case, matter.case_id)
    except NotFoundError:
        raise MatterNotFound(matter_id) from None
    if not can_view_matter(actor, case, matter.lead_prosecutor):
        kernel.emit(
            DomainEvent(
                "matter.access_denied",
                actor,
                "matter",
                matter.id,
                {"case_id": case.id},
                changes_state=False,
            )
        )
        raise MatterNotFound(matter_id)
    return matter, case


def matters_for_case(kernel: Kernel, case: Case) -> list[Matter]:
    """Every child matter of a case the caller has already been allowed to see."""
    return kernel.store.find(Matter, {"case_id": case.id}, sort=[("created_at", 1)])


# -- validation ------------------------------------------------------------------------------


def read_number(text: str) -> CourtNumber:
    """The court number as typed, checked strictly; MatterError says what is wrong."""
    try:
        parsed = parse_case_number(text, current_year=pakistan_today().year)
    except CaseNumberError as exc:
        raise MatterError(str(exc)) from None
    return CourtNumber(
        raw=parsed.raw,
        canonical=parsed.canonical(),
        case_type=parsed.case_type,
        bench=parsed.bench,
        number=parsed.number,
        prefix=parsed.prefix,
        registry=parsed.registry,
        year=parsed.year,
    )


def _day(value: dt.date | None, what: str) -> dt.datetime | None:
    if value is None:
        return None
    if value > utc_naive_now().date():
        raise MatterError(_("The %(what)s cannot be in the future.", what=what))
    if value.year < 1947:
        raise MatterError(_("Check the year of the %(what)s.", what=what))
    return dt.datetime.combine(value, dt.time())


def _clean_court(court: str) -> str | None:
    court = " ".join(court.split())
    if len(court) > 120:
        raise MatterError(_("The court name is too long (120 letters at most)."))
    return court or None


def _check_unique(kernel: Kernel, case: Case, number: CourtNumber, exclude: str = "") -> None:
    for other in kernel.store.find(Matter, {"case_id": case.id}):
        if other.id != exclude and other.number and other.number.canonical == number.canonical:
            raise MatterError(
                _(
                    "%(number)s is already recorded in this case.",
                    number=number.canonical,
                )
            )


def _filing(
    kernel: Kernel,
    case: Case,
    kind: str,
    number: str,
    filed_on: dt.date | None,
    exclude: str = "",
) -> tuple[CourtNumber, dt.datetime]:
    """The court number (strictly read, new in this case) and the filing date, both required."""
    if not number.strip():
        raise MatterError(
            _("Enter the court's number, e.g. “Crl. Bail Application No. S-24 of 2025”.")
        )
    parsed = read_number(number)
    if filed_on is None:
        raise MatterError(_("Enter the date the matter was filed."))
    filed = _day(filed_on, _("filing date"))
    assert filed is not None
    if case.fir and case.fir.registered_on and filed.date() < case.fir.registered_on.date():
        raise MatterError(_("A matter cannot be filed before the FIR was registered."))
    decided = [h.at.date() for h in case.history if h.to_state == "DECIDED"]
    if family(kind) in ("appeal", "confirmation") and decided and filed.date() < decided[-1]:
        raise MatterError(
            _(
                "An appeal or reference cannot be filed before the judgment of %(day)s.",
                day=decided[-1].strftime("%d.%m.%Y"),
            )
        )
    _check_unique(kernel, case, parsed, exclude=exclude)
    return parsed, filed


def _check_kind(case: Case, kind: str) -> None:
    if kind not in MATTER_KINDS:
        raise MatterError(_("Choose what kind of matter this is."))
    fam = family(kind)
    if fam in ("appeal", "confirmation") and case.state not in _DECIDED_STAGES:
        raise MatterError(
            _("An appeal or a confirmation reference needs a decided case; record the decision.")
        )
    if kind == "appeal_acquittal":
        raise MatterError(
            _(
                "A State appeal against acquittal is opened by the approval chain: "
                "propose it under “Appeal against acquittal” on the case page."
            )
        )
    if fam == "confirmation" and case.outcome not in ("convicted", "partly_convicted"):
        raise MatterError(_("A confirmation reference follows a conviction (death sentence)."))
    if fam == "bail" and case.state == "CLOSED":
        raise MatterError(_("The case is closed; a bail application cannot be added."))


def _step(actor: Actor, action: str, note: str = "") -> MatterStep:
    return MatterStep(
        at=utc_naive_now(),
        by=actor.user_id,
        by_name=actor.username,
        action=action,
        note=note or None,
    )


def _emit(kernel: Kernel, actor: Actor, action: str, matter: Matter, **data: object) -> None:
    kernel.emit(
        DomainEvent(
            action,
            actor,
            "matter",
            matter.id,
            {
                "case_id": matter.case_id,
                "kind": matter.kind,
                "number": matter.number.canonical if matter.number else None,
                **data,
            },
        )
    )


# -- changes ---------------------------------------------------------------------------------


def create_matter(kernel: Kernel, actor: Actor, case_id: str, data: MatterInput) -> Matter:
    """Record a child matter already filed in court (number and filing date required)."""
    case = get_case(kernel, actor, case_id)
    if not can_edit_matter(actor, case, None):
        raise PermissionDenied(_("You cannot change this case."))
    _check_kind(case, data.kind)
    if data.forum not in FORUMS:
        raise MatterError(_("Choose the court level the matter is before."))
    number, filed = _filing(kernel, case, data.kind, data.number, data.filed_on)
    lead = check_prosecutors(kernel, [data.lead_prosecutor])
    at = utc_naive_now()
    matter = Matter(
        case_id=case.id,
        district=case.district,
        kind=data.kind,
        forum=data.forum,
        court=_clean_court(data.court),
        number=number,
        filed_on=filed,
        lead_prosecutor=lead[0] if lead else None,
        state="pending",
        steps=[_step(actor, "created", data.note.strip())],
        created_by=actor.user_id,
        created_at=at,
        updated_at=at,
    )
    with kernel.store.transaction():
        kernel.store.insert(matter)
        _emit(kernel, actor, "matter.created", matter, lead=matter.lead_prosecutor)
    return matter


def open_approved_appeal(
    kernel: Kernel, actor: Actor, case: Case, *, forum: str, lead: str | None, approval_id: str
) -> Matter:
    """The appeal against acquittal an approval chain has authorised, still to be filed.

    Called by ``casefiles.approvals`` inside its own transaction.
    """
    at = utc_naive_now()
    matter = Matter(
        case_id=case.id,
        district=case.district,
        kind="appeal_acquittal",
        forum=forum,
        lead_prosecutor=lead,
        state="to_file",
        approval_id=approval_id,
        steps=[_step(actor, "approved")],
        created_by=actor.user_id,
        created_at=at,
        updated_at=at,
    )
    kernel.store.insert(matter)
    _emit(kernel, actor, "matter.created", matter, approval_id=approval_id, lead=lead)
    return matter


def _editable(kernel: Kernel, actor: Actor, matter_id: str, version: int) -> tuple[Matter, Case]:
    matter, case = get_matter(kernel, actor, matter_id)
    if not can_edit_matter(actor, case, matter.lead_prosecutor):
        raise PermissionDenied(_("You cannot change this matter."))
    matter.version = version
    return matter, case


def _save(kernel: Kernel, actor: Actor, matter: Matter, action: str, **data: object) -> Matter:
    matter.updated_at = utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(matter)
        _emit(kernel, actor, action, matter, **data)
    return matter


def file_matter(
    kernel: Kernel,
    actor: Actor,
    matter_id: str,
    *,
    version: int,
    number: str,
    filed_on: dt.date | None,
    court: str = "",
) -> Matter:
    """An approved appeal has been filed: it now has the court's number and date."""
    matter, case = _editable(kernel, actor, matter_id, version)
    if matter.state != "to_file":
        raise MatterError(_("This matter is already filed."))
    matter.number, matter.filed_on = _filing(
        kernel, case, matter.kind, number, filed_on, exclude=matter.id
    )
    matter.state = "pending"
    matter.court = _clean_court(court) or matter.court
    matter.steps.append(_step(actor, "filed"))
    return _save(kernel, actor, matter, "matter.filed")


def decide_matter(
    kernel: Kernel,
    actor: Actor,
    matter_id: str,
    *,
    version: int,
    outcome: str,
    decided_on: dt.date | None,
    note: str = "",
) -> Matter:
    """Record the court's decision; its date starts any limitation clock."""
    matter, _case = _editable(kernel, actor, matter_id, version)
    if matter.state != "pending":
        raise MatterError(
            _(
                "Only a pending matter can be decided; this one is “%(state)s”.",
                state=str(MATTER_STATES[matter.state]),
            )
        )
    allowed = outcomes_for(matter.kind)
    if outcome not in allowed:
        raise MatterError(
            _(
                "Choose the outcome: %(allowed)s.",
                allowed=", ".join(str(v) for v in allowed.values()),
            )
        )
    if decided_on is None:
        raise MatterError(_("Enter the date of the decision."))
    decided = _day(decided_on, _("decision date"))
    if matter.filed_on and decided and decided < matter.filed_on:
        raise MatterError(_("The decision cannot come before the filing date."))
    note = note.strip()
    if len(note) > 2000:
        raise MatterError(_("The note is too long (2000 letters at most)."))
    matter.state, matter.outcome, matter.decided_on = "decided", outcome, decided
    matter.outcome_note = note or None
    matter.steps.append(_step(actor, "decided", note))
    return _save(kernel, actor, matter, "matter.decided", outcome=outcome)


def withdraw_matter(
    kernel: Kernel, actor: Actor, matter_id: str, *, version: int, reason: str
) -> Matter:
    matter, _case = _editable(kernel, actor, matter_id, version)
    if matter.state not in ("to_file", "pending"):
        raise MatterError(_("A decided or withdrawn matter cannot be withdrawn."))
    if not reason.strip():
        raise MatterError(_("Write why the matter is withdrawn."))
    matter.state = "withdrawn"
    matter.steps.append(_step(actor, "withdrawn", reason.strip()))
    return _save(kernel, actor, matter, "matter.withdrawn", reason=reason.strip())


def assign_matter(
    kernel: Kernel, actor: Actor, matter_id: str, *, version: int, lead: str | None
) -> Matter:
    """Give the matter its own prosecutor (who may differ from the trial prosecutor)."""
    matter, case = get_matter(kernel, actor, matter_id)
    if not can_edit_matter(actor, case, None):
        raise PermissionDenied(_("You cannot change this matter."))
    ids = check_prosecutors(kernel, [lead])
    before = matter.lead_prosecutor
    matter.version = version
    matter.lead_prosecutor = ids[0] if ids else None
    matter.steps.append(_step(actor, "assigned"))
    return _save(
        kernel, actor, matter, "matter.assigned", before=before, lead=matter.lead_prosecutor
    )


# -- limitation ------------------------------------------------------------------------------


def matter_deadlines(
    matter: Matter,
    case: Case,
    siblings: list[Matter],
    today: dt.date,
    *,
    calendar: WorkingCalendar,
) -> list[CaseDeadline]:
    """Clocks a decided matter starts, from the configured rules and `calendar`
    (the administrator's holidays: `casefiles.holidays.working_calendar`).

    A High Court decision opens the 30-day petition for leave to the Supreme
    Court; a lower court's order on bail, transfer or a sessions appeal can be
    taken up in revision. A clock is met once a later appeal or revision of the
    same case was filed after the decision.
    """
    if matter.state != "decided" or not matter.decided_on:
        return []
    rules = default_rules()
    on = matter.decided_on.date()
    facts: dict[str, object] = {"labels": list(case.labels)}
    if matter.forum == "high_court":
        trigger, facts["forum"] = "judgment", "supreme_court"
    elif matter.forum in ("magistrate", "sessions_court", "special_court"):
        trigger = "revisable_order"
    else:
        return []
    found: list[Deadline] = [
        d
        for d in rules.deadlines_for(trigger, on, facts, calendar)
        if trigger == "revisable_order" or d.rule_id == "sc_leave_petition"
    ]
    challenged = any(
        s.id != matter.id
        and family(s.kind) in ("appeal", "revision")
        and s.filed_on is not None
        and s.filed_on.date() >= on
        for s in siblings
    )
    return [CaseDeadline(d, "met" if challenged else status(d, today)) for d in found]
