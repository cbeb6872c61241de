"""The audit trail: append-only and hash-chained.

Each entry carries the SHA-256 of its own content and of the entry before it,
so altering or removing any entry breaks the chain at that point. A separate
head record remembers the last sequence number, so removing entries from the
end is caught too. Entries are written by a subscriber to domain events
(:func:`record_event`), never by hand in services.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mongoengine as me

from mizan import clock
from mizan.actor import Actor
from mizan.events import DomainEvent
from mizan.storage import DocumentStore, DuplicateKeyError, Model
from mizan.storage.codec import date_text, to_bson_datetime

if TYPE_CHECKING:
    from mizan.kernel import Kernel

GENESIS = "0" * 64
#: The fields the administrator's audit page filters on.
SEARCHABLE = ("actor_name", "action", "subject_id")


class AuditEntry(Model):
    label = "audit entry"
    seq = me.IntField(required=True, min_value=1)
    at = me.DateTimeField(required=True)
    actor_id = me.StringField(required=True)
    actor_name = me.StringField(required=True)
    address = me.StringField()
    channel = me.StringField()
    action = me.StringField(required=True)
    subject_type = me.StringField(required=True)
    subject_id = me.StringField(required=True)
    data = me.DictField()
    prev_hash = me.StringField(required=True)
    hash = me.StringField(required=True)

    meta = {
        "collection": "audit_log",
        "indexes": [
            {"fields": ["seq"], "unique": True},
            ("subject_type", "subject_id"),
            "actor_id",
            "action",
        ],
    }


class AuditHead(Model):
    """The last sequence number and hash: catches entries removed from the end."""

    label = "audit head"
    seq = me.IntField(required=True)
    hash = me.StringField(required=True)
    meta = {"collection": "audit_head"}


HEAD_ID = "head"


def _canonical(value: Any) -> Any:
    """JSON-safe, order-independent form of event data (dates as text)."""
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def entry_hash(entry: AuditEntry) -> str:
    body = {
        "seq": entry.seq,
        "at": date_text(entry.at),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "address": entry.address,
        "channel": entry.channel,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "data": entry.data or {},
        "prev_hash": entry.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def append(
    store: DocumentStore,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain (serialised by the store's write transaction)."""
    for _attempt in range(20):
        try:
            with store.transaction():
                head = store.find_one(AuditHead, {"_id": HEAD_ID})
                seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
                entry = AuditEntry(
                    seq=seq + 1,
                    at=to_bson_datetime(clock.now()),
                    actor_id=actor.user_id,
                    actor_name=actor.username,
                    address=actor.address,
                    channel=actor.channel,
                    action=action,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    data=_canonical(data or {}),
                    prev_hash=prev,
                    hash="",
                )
                entry.hash = entry_hash(entry)
                store.insert(entry)
                if head is None:
                    store.insert(AuditHead(id=HEAD_ID, seq=entry.seq, hash=entry.hash))
                else:
                    head.seq, head.hash = entry.seq, entry.hash
                    store.replace(head)
                return entry
        except DuplicateKeyError:
            continue  # another process took this sequence number (MongoDB): retry
    raise RuntimeError("Could not append to the audit trail: too much contention.")


def record_event(store: DocumentStore, event: DomainEvent) -> None:
    append(store, event.actor, event.action, event.subject_type, event.subject_id, event.data)


def search_entries(
    kernel: Kernel, actor: Actor, filters: Mapping[str, str], *, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEntry], int]:
    """One page of the trail, newest first, for those who may read it; ``filters`` match
    ``actor_name``, ``action`` and ``subject_id`` exactly (other keys are ignored)."""
    from mizan.accounts.roles import Capability
    from mizan.accounts.service import require

    require(actor, Capability.VIEW_AUDIT)
    flt = {k: v for k, v in filters.items() if k in SEARCHABLE}
    store = kernel.store
    total = store.count(AuditEntry, flt)
    entries = store.find(
        AuditEntry, flt, sort=[("seq", -1)], skip=(max(page, 1) - 1) * per_page, limit=per_page
    )
    return entries, total


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problem: str | None = None
    bad_seq: int | None = None
    bad_id: str | None = None


def _entries(store: DocumentStore, batch: int = 1000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        page = store.find(AuditEntry, {"seq": {"$gt": last}}, sort=[("seq", 1)], limit=batch)
        yield from page
        if len(page) < batch:
            return
        last = page[-1].seq


def verify(store: DocumentStore) -> VerifyResult:
    """Walk the chain from the first entry; report the first entry that does not check out."""
    expected_seq, prev = 1, GENESIS
    checked = 0
    for entry in _entries(store):
        if entry.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                f"Audit entry #{expected_seq} is missing (removed): the chain jumps from "
                f"#{expected_seq - 1} to #{entry.seq}.",
                expected_seq,
                None,
            )
        if entry.prev_hash != prev:
            return VerifyResult(
                False,
                checked,
                f"Audit entry #{entry.seq} (id {entry.id}) does not follow entry "
                f"#{entry.seq - 1}: the entry before it was altered or replaced.",
                entry.seq,
                entry.id,
            )
        if entry_hash(entry) != entry.hash:
            return VerifyResult(
                False,
                checked,
                f"Audit entry #{entry.seq} (id {entry.id}) was altered: its content no longer "
                "matches its hash.",
                entry.seq,
                entry.id,
            )
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = store.find_one(AuditHead, {"_id": HEAD_ID})
    if head is None and checked:
        return VerifyResult(False, checked, "The audit trail's head record was removed.")
    if head is not None and (head.seq != checked or head.hash != prev):
        return VerifyResult(
            False,
            checked,
            f"The audit trail ends at entry #{checked} but entry #{head.seq} was written: "
            f"entries #{checked + 1} to #{head.seq} were removed.",
            checked + 1,
            None,
        )
    return VerifyResult(True, checked)
