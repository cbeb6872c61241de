"""Messages to the police and their answers: one thread per request, with its clock.

Mizan writes a message to the police station / investigating officer when a challan
is returned with objections, further investigation is sought, a witness or case
property must be produced, or a deadline of the investigation is about to lapse.
Each message gets the next number of one feed (``seq``), which police systems pull
from their cursor (``GET /api/v1/police/messages?after=``), and a signed webhook to
every police system of the district that has an address (``mizan.webhooks``).

Creating is idempotent by ``key`` (what the message is about), and every police
reply is idempotent by its own ``id``: the same reply again changes nothing, the
same id with other content is refused. The numbers are handed out inside the write
transaction, which the embedded store serialises, so a feed reader never sees a
number appear behind its cursor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import mongoengine as me

from casefiles.models import Case
from casefiles.policy import can_edit_case
from casefiles.service import CaseError, get_case
from mizan.accounts.integrations import police_integrations
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import SYSTEM, Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, Model
from mizan.webhooks import queue_delivery

KINDS = {
    "objections": _l("Challan returned with objections"),
    "further_investigation": _l("Further investigation sought"),
    "produce_witness": _l("Produce a witness"),
    "produce_property": _l("Produce case property"),
    "deadline": _l("Deadline about to lapse"),
}
#: What a prosecutor asks for from the case page (the rest Mizan writes itself).
REQUEST_KINDS = ("further_investigation", "produce_witness", "produce_property")
REPLY_TYPES = ("acknowledgement", "answer", "resubmission")
#: Messages the police answer by sending the challan again.
RESUBMITTED_KINDS = ("objections", "further_investigation")
#: Deadlines the police must meet (the investigation's), announced this many days ahead.
POLICE_TRIGGERS = ("fir_registered", "first_remand")
WEBHOOK_EVENT = "police.message"
_WRITERS = (Role.PROSECUTOR, Role.DISTRICT_PUBLIC_PROSECUTOR, Role.PROSECUTOR_GENERAL)


class PoliceMessageError(ValueError):
    """A reply cannot be applied; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int = 422, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.errors = errors or {}


class Objection(me.EmbeddedDocument):
    oid = me.StringField(required=True)  # "1", "2", … within the message
    text = me.StringField(required=True)
    answer = me.StringField()
    answered_at = me.DateTimeField()


class PoliceReply(me.EmbeddedDocument):
    """One message from the police side, as received (its id is theirs)."""

    reply_id = me.StringField(required=True)
    type = me.StringField(required=True, choices=REPLY_TYPES)
    objection_id = me.StringField()
    text = me.StringField()
    received_at = me.DateTimeField(required=True)
    by = me.StringField()  # the integration's name


class PoliceMessage(Model):
    label = "police message"
    key = me.StringField(required=True)  # what it is about: creating twice makes one
    seq = me.IntField(required=True)
    kind = me.StringField(required=True, choices=tuple(KINDS))
    case_id = me.StringField(required=True)
    district = me.StringField(required=True)
    police_station = me.StringField(required=True)
    io_name = me.StringField()
    text = me.StringField()
    objections = me.EmbeddedDocumentListField(Objection)
    due_on = me.DateTimeField()
    created_at = me.DateTimeField(required=True)
    created_by_name = me.StringField()
    acknowledged_at = me.DateTimeField()
    resubmitted_at = me.DateTimeField()
    replies = me.EmbeddedDocumentListField(PoliceReply)
    meta = {
        "collection": "police_messages",
        "indexes": [
            {"fields": ["key"], "unique": True},
            {"fields": ["seq"], "unique": True},
            ["district", "seq"],
            ["case_id", "seq"],
            "replies.reply_id",
        ],
    }

    @property
    def answered(self) -> bool:
        return all(o.answered_at for o in self.objections)

    @property
    def closed_at(self) -> dt.datetime | None:
        """When the police did what was asked: resubmitted, or answered every objection."""
        if self.kind in RESUBMITTED_KINDS:
            return self.resubmitted_at
        if self.objections:
            return max((o.answered_at for o in self.objections if o.answered_at), default=None)
        return next((r.received_at for r in self.replies if r.type == "answer"), None)


# -- writing messages ----------------------------------------------------------------------


def _io_name(case: Case) -> str | None:
    return next((c.io_name for c in reversed(case.challans) if c.io_name), None)


def message_json(message: PoliceMessage, case: Case) -> dict[str, Any]:
    """The message as the feed and the webhook carry it (see the guide for each field)."""
    return {
        "id": message.id,
        "seq": message.seq,
        "kind": message.kind,
        "created_at": message.created_at.isoformat() + "Z",
        "case": {
            "reference": case.reference,
            "district": case.district,
            "police_station": case.fir.police_station,
            "fir_number": case.fir.number,
            "fir_year": case.fir.year,
        },
        "to": {"police_station": message.police_station, "io_name": message.io_name},
        "text": message.text or "",
        "objections": [{"id": o.oid, "text": o.text} for o in message.objections],
        "due_on": message.due_on.date().isoformat() if message.due_on else None,
        "from": message.created_by_name,
    }


def record_message(
    kernel: Kernel,
    actor: Actor,
    case: Case,
    *,
    key: str,
    kind: str,
    text: str = "",
    objections: list[str] | None = None,
    due_on: dt.date | None = None,
) -> tuple[PoliceMessage, bool]:
    """Record a message (once per ``key``) and queue its webhooks; returns it and whether
    it is new. Call inside the transaction of the change it announces, or alone."""
    store = kernel.store
    with store.transaction():
        existing = store.find_one(PoliceMessage, {"key": key})
        if existing is not None:
            return existing, False
        last = store.find(PoliceMessage, {}, sort=[("seq", -1)], limit=1)
        message = PoliceMessage(
            key=key,
            seq=(last[0].seq + 1) if last else 1,
            kind=kind,
            case_id=case.id,
            district=case.district,
            police_station=case.fir.police_station,
            io_name=_io_name(case),
            text=text.strip() or None,
            objections=[
                Objection(oid=str(n), text=t) for n, t in enumerate(objections or [], start=1)
            ],
            due_on=dt.datetime.combine(due_on, dt.time()) if due_on else None,
            created_at=utc_naive_now(),
            created_by_name=actor.username,
        )
        try:
            store.insert(message)
        except DuplicateKeyError:  # written at the same moment by another process
            found = store.find_one(PoliceMessage, {"key": key})
            if found is None:
                raise
            return found, False
        body = json.dumps(message_json(message, case), ensure_ascii=False, sort_keys=True)
        for integration in police_integrations(kernel, case.district, case.fir.police_station):
            if integration.webhook_url:
                queue_delivery(store, integration.id, message.id, WEBHOOK_EVENT, body)
        kernel.emit(
            DomainEvent(
                "police_message.sent",
                actor,
                "case",
                case.id,
                {"message_id": message.id, "kind": kind, "seq": message.seq},
            )
        )
    return message, True


def _on_stage_changed(kernel: Kernel, event: DomainEvent) -> None:
    """A report returned to the IO sends its objections to the police."""
    if event.data.get("scrutiny") != "returned":
        return
    case = kernel.store.get(Case, event.subject_id)
    record_message(
        kernel,
        event.actor,
        case,
        key=f"scrutiny:{case.id}:{len(case.scrutinies)}",
        kind="objections",
        objections=list(event.data.get("objections") or []),
    )


def subscribe_police_messages(kernel: Kernel) -> None:
    kernel.events.subscribe(lambda event: _on_stage_changed(kernel, event), "case.stage_changed")


def may_write_to_police(actor: Actor, case: Case) -> bool:
    """Asking the police is a prosecutor's act, on a case they may edit."""
    return actor.has_role(*_WRITERS) and can_edit_case(actor, case)


def request_from_police(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    *,
    kind: str,
    text: str,
    due_on: dt.date | None = None,
) -> PoliceMessage:
    """A prosecutor asks for further investigation, a witness or case property; the same
    request twice (same kind and words) is one message."""
    case = get_case(kernel, actor, case_id)
    if not may_write_to_police(actor, case):
        raise PermissionDenied(_("Only a prosecutor of this case can write to the police."))
    if kind not in REQUEST_KINDS:
        raise CaseError(_("Choose what you ask the police for."))
    text = " ".join(text.split())
    if not text:
        raise CaseError(_("Write what the police must do."))
    if len(text) > 4000:
        raise CaseError(_("Keep the request under 4,000 characters."))
    if due_on is not None and due_on < utc_naive_now().date():
        raise CaseError(_("The date to comply by is in the past."))
    digest = hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()[:16]
    message, _new = record_message(
        kernel, actor, case, key=f"request:{case.id}:{digest}", kind=kind, text=text, due_on=due_on
    )
    return message


def warn_of_lapsing_deadlines(kernel: Kernel) -> int:
    """The reminder run's share: tell the police of investigation deadlines due soon
    (the interim challan, the remand limit), once per deadline; returns how many."""
    from casefiles.deadline_lists import candidate_filter, live_deadlines
    from casefiles.holidays import working_calendar
    from casefiles.schedule import default_rules
    from mizan.clock import pakistan_today

    today = pakistan_today()
    calendar = working_calendar(kernel.store, today)
    rules = default_rules()
    cases = kernel.store.find(Case, candidate_filter(today, calendar, rules))
    sent = 0
    for item in live_deadlines(cases, today, calendar, rules, status="due_soon"):
        deadline = item.deadline.deadline
        if deadline.trigger not in POLICE_TRIGGERS:
            continue
        _message, new = record_message(
            kernel,
            SYSTEM,
            item.case,
            key=f"deadline:{item.case.id}:{deadline.rule_id}:{deadline.due.isoformat()}",
            kind="deadline",
            text=f"{deadline.label}: {deadline.due.strftime('%d.%m.%Y')}",
            due_on=deadline.due,
        )
        sent += new
    return sent


# -- the feed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedPage:
    messages: list[dict[str, Any]]
    cursor: int  # the last seq returned (or the one asked for): pass it as ``after``
    more: bool


def feed_scope(districts: list[str], stations: list[str] | None) -> dict[str, Any]:
    """Messages a police system may read: its districts, and its stations if it names any."""
    flt: dict[str, Any] = {"district": {"$in": districts}}
    if stations:
        flt["police_station"] = {"$in": stations}
    return flt


def feed(
    kernel: Kernel,
    districts: list[str],
    after: int,
    limit: int = 100,
    stations: list[str] | None = None,
) -> FeedPage:
    """Messages of ``districts`` (and ``stations``) numbered after ``after``, oldest first."""
    found = kernel.store.find(
        PoliceMessage,
        {**feed_scope(districts, stations), "seq": {"$gt": after}},
        sort=[("seq", 1)],
        limit=limit + 1,
    )
    page = found[:limit]
    cases = {c.id: c for c in kernel.store.find(Case, {"_id": {"$in": [m.case_id for m in page]}})}
    return FeedPage(
        messages=[message_json(m, cases[m.case_id]) for m in page if m.case_id in cases],
        cursor=page[-1].seq if page else after,
        more=len(found) > limit,
    )


# -- the thread on the case page -----------------------------------------------------------


@dataclass(frozen=True)
class ThreadEntry:
    message: PoliceMessage
    acknowledged_after: dt.timedelta | None
    closed_after: dt.timedelta | None
    open_for: dt.timedelta | None  # still waiting for the police: since when it was sent


def police_thread(kernel: Kernel, case: Case) -> list[ThreadEntry]:
    """The case's exchange with the police, oldest first, each with its clock."""
    now = utc_naive_now()
    entries = []
    for m in kernel.store.find(PoliceMessage, {"case_id": case.id}, sort=[("seq", 1)]):
        closed = m.closed_at
        entries.append(
            ThreadEntry(
                message=m,
                acknowledged_after=m.acknowledged_at - m.created_at if m.acknowledged_at else None,
                closed_after=closed - m.created_at if closed else None,
                open_for=None if closed else now - m.created_at,
            )
        )
    return entries
