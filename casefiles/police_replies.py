"""The police's replies to Mizan's messages: acknowledgements, answers to objections, and
the challan sent again (``POST /api/v1/police/replies``).

Every reply is idempotent by its own ``id``: the same reply again changes nothing, the
same id with other content is refused, and an answer to an objection that does not
exist is refused naming the real ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casefiles.intake import text_field
from casefiles.models import Case
from casefiles.police_messages import (
    REPLY_TYPES,
    RESUBMITTED_KINDS,
    PoliceMessage,
    PoliceMessageError,
    PoliceReply,
    feed_scope,
)
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel


@dataclass
class ReplyResult:
    message: PoliceMessage
    applied: bool  # False: this reply was already applied (a replay)
    case_state: str | None = None
    changed: list[str] = field(default_factory=list)


def _reply_fields(record: Mapping[str, Any]) -> tuple[str, str, str, str | None, str]:
    errors: dict[str, str] = {}

    def text(key: str, max_len: int, required: bool = True) -> str:
        return text_field(record, key, errors, required=required, max_len=max_len, keep_lines=True)

    reply_id = text("id", 100)
    message_id = text("message_id", 40)
    kind = text("type", 20)
    if kind and kind not in REPLY_TYPES:
        errors["type"] = f"must be one of: {', '.join(REPLY_TYPES)}"
    objection_id = text("objection_id", 10, required=False) or None
    answer = text("text", 4000, required=kind == "answer")
    if errors:
        raise PoliceMessageError("The reply was not accepted.", 422, errors)
    return reply_id, message_id, kind, objection_id, answer


def receive_reply(
    kernel: Kernel,
    actor: Actor,
    districts: list[str],
    record: Mapping[str, Any],
    stations: list[str] | None = None,
) -> ReplyResult:
    """Apply one reply from a police system: an acknowledgement, an answer to an objection,
    or the challan sent again. Replays change nothing; a reply to an objection that does
    not exist, or an id reused for other content, is refused."""
    from casefiles.intake import IntakeError, receive_challan

    if not isinstance(record, Mapping):
        raise PoliceMessageError(
            "The reply was not accepted.", 422, {"record": "must be an object"}
        )
    reply_id, message_id, kind, objection_id, answer = _reply_fields(record)
    store = kernel.store
    message = store.find_one(PoliceMessage, {"_id": message_id, **feed_scope(districts, stations)})
    if message is None:
        raise PoliceMessageError(
            f"There is no message {message_id} for this system's districts and stations.", 404
        )
    seen = store.find_one(PoliceMessage, {"replies.reply_id": reply_id})
    if seen is not None:
        before = next(r for r in seen.replies if r.reply_id == reply_id)
        same = (seen.id, before.type, before.objection_id, before.text or "") == (
            message_id,
            kind,
            objection_id,
            answer,
        )
        if not same:
            raise PoliceMessageError(
                f"Reply id {reply_id} was already used for a different reply; "
                "give each reply its own id.",
                409,
            )
        return ReplyResult(seen, applied=False)
    now = utc_naive_now()
    changed: list[str] = []
    if kind == "answer":
        if message.objections:
            target = next((o for o in message.objections if o.oid == objection_id), None)
            if target is None:
                known = ", ".join(o.oid for o in message.objections)
                raise PoliceMessageError(
                    f"Message {message_id} has no objection {objection_id!r}; "
                    f"its objections are {known}.",
                    422,
                    {"objection_id": f"must be one of {known}"},
                )
            target.answer, target.answered_at = answer, now
            changed.append(f"objection {target.oid}")
        elif objection_id:
            raise PoliceMessageError(
                f"Message {message_id} has no objections; answer it without objection_id.",
                422,
                {"objection_id": "must be left out for this message"},
            )
    challan: Mapping[str, Any] = {}
    if kind == "resubmission":
        if message.kind not in RESUBMITTED_KINDS:
            raise PoliceMessageError(
                "This message does not ask for the challan again; acknowledge or answer it.",
                409,
            )
        open_ones = [o.oid for o in message.objections if not o.answered_at]
        if open_ones:
            raise PoliceMessageError(
                f"Answer every objection before resubmitting; still open: {', '.join(open_ones)}.",
                409,
            )
        challan = record.get("challan") or {}
        if not isinstance(challan, Mapping):
            raise PoliceMessageError(
                "The reply was not accepted.", 422, {"challan": "must be an object"}
            )
    if message.acknowledged_at is None:  # an answer before the acknowledgement implies it
        message.acknowledged_at = now
        changed.append("acknowledged")
    message.replies.append(
        PoliceReply(
            reply_id=reply_id,
            type=kind,
            objection_id=objection_id,
            text=answer or None,
            received_at=now,
            by=actor.username,
        )
    )
    case = store.get(Case, message.case_id)
    with store.transaction():
        if kind == "resubmission":
            key = {
                "district": case.district,
                "police_station": case.fir.police_station,
                "fir_number": case.fir.number,
                "fir_year": case.fir.year,
            }
            try:
                result = receive_challan(
                    kernel, actor, districts, {"kind": "final", **challan, **key}
                )
            except IntakeError as exc:
                raise PoliceMessageError(
                    "The challan was not accepted.",
                    422,
                    {f"challan.{k}": v for k, v in exc.errors.items()},
                ) from None
            case = result.case
            message.resubmitted_at = now
            changed.append("resubmitted")
        store.replace(message)
        kernel.emit(
            DomainEvent(
                "police_message.reply",
                actor,
                "case",
                message.case_id,
                {"message_id": message.id, "reply_id": reply_id, "type": kind},
            )
        )
    return ReplyResult(message, applied=True, case_state=case.state, changed=changed)
