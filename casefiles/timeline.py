"""One chronological account of a case: stages, documents, hearings, assignments,
deadlines, scrutiny decisions, notes, child matters and the appeal approval chain.

Built from the records themselves each time (nothing is copied), and only from
what the reader may see: privileged notes appear only for those who may read
them, matters and approvals only with the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from casefiles.approvals import ACTION_LABELS, approvals_for_case
from casefiles.hearings import OUTCOMES as HEARING_OUTCOMES
from casefiles.hearings import PURPOSES, Hearing
from casefiles.holidays import working_calendar
from casefiles.matters import MATTER_KINDS, MATTER_OUTCOMES, Matter, matters_for_case
from casefiles.models import CASE_STATES, Case, CaseDocument
from casefiles.notes import notes_for_case
from casefiles.schedule import case_deadlines
from casefiles.workflow import OUTCOMES
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.audit import AuditEntry
from mizan.i18n import gettext as _
from mizan.kernel import Kernel


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    #: "stage", "document", "hearing", "assignment", "deadline", "scrutiny", "note",
    #: "matter", "approval" or "created"
    kind: str
    title: str
    detail: str = ""
    by: str = ""
    #: What the item links to: ("document" | "hearing" | "matter" | "note" | "approval", id).
    ref: tuple[str, str] | None = None
    privileged: bool = False
    #: A day, not an instant (a deadline, a filing or decision date): stored as written,
    #: at midnight, so pages show the date alone and do not convert it to Pakistan time.
    all_day: bool = False


def _day(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time())


def case_timeline(kernel: Kernel, actor: Actor, case: Case, today: dt.date) -> list[TimelineItem]:
    """Everything that happened (or falls due) in ``case``, newest first.

    The caller has already checked that ``actor`` may see the case.
    """
    store = kernel.store
    items: list[TimelineItem] = []
    if case.created_at:
        items.append(TimelineItem(case.created_at, "created", _("Case opened"), case.reference))
    for change in case.history:
        title = _(
            "Stage: %(from)s → %(to)s",
            **{
                "from": str(CASE_STATES.get(change.from_state, change.from_state)),
                "to": str(CASE_STATES.get(change.to_state, change.to_state)),
            },
        )
        notes = [str(OUTCOMES[change.outcome])] if change.outcome in OUTCOMES else []
        if change.cancellation_class:
            notes.append(_("class %(c)s", c=change.cancellation_class))
        notes += [change.reason] if change.reason else []
        items.append(
            TimelineItem(change.at, "stage", title, " · ".join(notes), change.by_name or "")
        )
    for record in case.scrutinies:
        decision = (
            _("Scrutiny: fit for trial")
            if record.decision == "fit_for_trial"
            else _("Scrutiny: returned to the IO")
        )
        detail = "; ".join(record.objections) or (record.opinion or "")
        items.append(TimelineItem(record.at, "scrutiny", decision, detail, record.by_name or ""))
    for doc in store.find(CaseDocument, {"case_id": case.id}):
        if doc.uploaded_at:
            items.append(
                TimelineItem(
                    doc.uploaded_at,
                    "document",
                    _("Document added: %(title)s", title=doc.title),
                    ref=("document", doc.id),
                )
            )
    matters = matters_for_case(kernel, case)
    matter_titles = {m.id: m.title for m in matters}
    for hearing in store.find(Hearing, {"case_id": case.id}):
        title = _(
            "Hearing in %(court)s: %(purpose)s",
            court=hearing.court,
            purpose=str(PURPOSES.get(hearing.purpose, hearing.purpose)),
        )
        detail = str(HEARING_OUTCOMES[hearing.outcome]) if hearing.outcome else ""
        matter_id = getattr(hearing, "matter_id", None)
        if matter_id in matter_titles:
            detail = f"{matter_titles[matter_id]} {detail}".strip()
        items.append(
            TimelineItem(hearing.starts_at, "hearing", title, detail, ref=("hearing", hearing.id))
        )
    items += _assignments(kernel, case)
    for item in case_deadlines(case, today, calendar=working_calendar(kernel.store, today)):
        items.append(
            TimelineItem(
                _day(item.deadline.due),
                "deadline",
                _("Deadline: %(label)s", label=_(item.deadline.label)),
                {"met": _("Met"), "overdue": _("Overdue"), "due_soon": _("Due soon")}.get(
                    item.state, _("Pending")
                ),
                all_day=True,
            )
        )
    for note in notes_for_case(kernel, actor, case):
        items.append(
            TimelineItem(
                note.created_at,
                "note",
                _("Privileged note") if note.privileged else _("Note"),
                note.text if len(note.text) <= 300 else note.text[:300] + "…",
                note.created_by_name or "",
                ref=("note", note.id),
                privileged=note.privileged,
            )
        )
    items += _matter_items(matters)
    for approval in approvals_for_case(kernel, case):
        for step in approval.steps:
            items.append(
                TimelineItem(
                    step.at,
                    "approval",
                    _(
                        "Appeal against acquittal: %(step)s",
                        step=str(ACTION_LABELS.get(step.action, step.action)),
                    ),
                    step.reason,
                    step.by_name or "",
                    ref=("approval", approval.id),
                )
            )
    return sorted(items, key=lambda i: i.at, reverse=True)


def _matter_items(matters: list[Matter]) -> list[TimelineItem]:
    items = []
    for matter in matters:
        kind = str(MATTER_KINDS.get(matter.kind, matter.kind))
        ref = ("matter", matter.id)
        if matter.filed_on:
            items.append(
                TimelineItem(
                    matter.filed_on,
                    "matter",
                    _("Filed: %(kind)s", kind=kind),
                    matter.title,
                    ref=ref,
                    all_day=True,
                )
            )
        elif matter.created_at:
            items.append(
                TimelineItem(
                    matter.created_at,
                    "matter",
                    _("To be filed: %(kind)s", kind=kind),
                    matter.title,
                    ref=ref,
                )
            )
        if matter.decided_on and matter.outcome:
            items.append(
                TimelineItem(
                    matter.decided_on,
                    "matter",
                    _(
                        "Decided: %(kind)s — %(outcome)s",
                        kind=kind,
                        outcome=str(MATTER_OUTCOMES[matter.outcome]),
                    ),
                    matter.title,
                    ref=ref,
                    all_day=True,
                )
            )
    return items


def _assignments(kernel: Kernel, case: Case) -> list[TimelineItem]:
    """Assignments live in the audit trail (the case keeps only the current prosecutors)."""
    entries = kernel.store.find(
        AuditEntry, {"subject_type": "case", "subject_id": case.id, "action": "case.assigned"}
    )
    ids = {e.data.get("lead") for e in entries} | {
        p for e in entries for p in e.data.get("assisting") or []
    }
    ids.discard(None)
    names = (
        {u.id: u.full_name for u in kernel.store.find(User, {"_id": {"$in": sorted(ids)}})}
        if ids
        else {}
    )
    items = []
    for entry in entries:
        lead = entry.data.get("lead")
        assisting = [names.get(p, p) for p in entry.data.get("assisting") or []]
        detail = _("Lead: %(lead)s", lead=names.get(lead, lead) if lead else _("none"))
        if assisting:
            detail += " · " + _("Assisting: %(names)s", names=", ".join(assisting))
        if entry.data.get("reason"):
            detail += " · " + str(entry.data["reason"])
        items.append(
            TimelineItem(
                entry.at, "assignment", _("Prosecutors assigned"), detail, entry.actor_name
            )
        )
    return items
