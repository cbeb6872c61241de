"""The audit trail is hash-chained: altering, removing or truncating is detected."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from mizan import audit
from mizan.actor import Actor

ALICE = Actor(user_id="u1", username="alice", address="10.0.0.5")


def _append(kernel, n: int) -> list[audit.AuditEntry]:
    return [
        audit.append(kernel.store, ALICE, "case.viewed", "case", f"c{i}", {"i": i})
        for i in range(n)
    ]


def _sql(kernel, statement: str, *params: object) -> None:
    conn = kernel.store.connection()
    conn.execute(statement, params)


def test_entries_chain_by_hash(kernel) -> None:
    entries = _append(kernel, 3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert audit.verify(kernel.store) == audit.VerifyResult(ok=True, checked=3)


def test_altered_entry_is_named(kernel) -> None:
    entries = _append(kernel, 5)
    victim = entries[2]
    doc = json.loads(
        kernel.store.connection()
        .execute("SELECT doc FROM c_audit_log WHERE id = ?", (victim.id,))
        .fetchone()[0]
    )
    doc["actor_name"] = "mallory"
    _sql(kernel, "UPDATE c_audit_log SET doc = ? WHERE id = ?", json.dumps(doc), victim.id)
    result = audit.verify(kernel.store)
    assert not result.ok
    assert result.bad_seq == 3 and result.bad_id == victim.id
    assert "#3" in result.problem and "altered" in result.problem


def test_removed_entry_is_detected(kernel) -> None:
    entries = _append(kernel, 4)
    _sql(kernel, "DELETE FROM c_audit_log WHERE id = ?", entries[1].id)
    result = audit.verify(kernel.store)
    assert not result.ok and result.bad_seq == 2 and "missing" in result.problem


def test_rewritten_chain_after_an_entry_is_detected(kernel) -> None:
    """Recomputing an altered entry's own hash still breaks the link to the next one."""
    entries = _append(kernel, 3)
    victim = entries[1]
    victim.data = {"i": 99}
    victim.hash = audit.entry_hash(victim)
    doc = victim.to_mongo().to_dict()
    doc["at"] = {"$date": doc["at"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]}
    _sql(kernel, "UPDATE c_audit_log SET doc = ? WHERE id = ?", json.dumps(doc), victim.id)
    result = audit.verify(kernel.store)
    assert not result.ok and result.bad_seq == 3


def test_truncated_tail_is_detected(kernel) -> None:
    entries = _append(kernel, 4)
    _sql(kernel, "DELETE FROM c_audit_log WHERE id = ?", entries[-1].id)
    result = audit.verify(kernel.store)
    assert not result.ok and "#4" in result.problem


def test_domain_events_are_audited_with_actor_and_address(kernel) -> None:
    from mizan.events import DomainEvent

    kernel.emit(DomainEvent("document.viewed", ALICE, "document", "d1", {"case_id": "c1"}))
    entry = kernel.store.find_one(audit.AuditEntry, {"action": "document.viewed"})
    assert (entry.actor_name, entry.address, entry.subject_id) == ("alice", "10.0.0.5", "d1")
    assert entry.data == {"case_id": "c1"}


def test_failed_change_leaves_no_audit_entry(kernel) -> None:
    """The audit entry is written in the change's transaction: no change, no entry."""
    from mizan.events import DomainEvent

    try:
        with kernel.store.transaction():
            kernel.emit(DomainEvent("case.created", ALICE, "case", "c9"))
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert kernel.store.count(audit.AuditEntry) == 0


def test_cli_audit_verify_exits_nonzero_naming_the_entry(kernel, settings) -> None:
    entries = _append(kernel, 3)
    env = {
        **os.environ,
        "MIZAN_DATA_DIR": str(settings.data_dir),
        "MIZAN_BROKER": settings.broker_url,
    }
    cmd = [sys.executable, "-m", "app.cli", "audit-verify"]
    ok = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "3 entries" in ok.stdout
    doc = json.loads(
        kernel.store.connection()
        .execute("SELECT doc FROM c_audit_log WHERE id = ?", (entries[1].id,))
        .fetchone()[0]
    )
    doc["action"] = "case.nothing_to_see"
    _sql(kernel, "UPDATE c_audit_log SET doc = ? WHERE id = ?", json.dumps(doc), entries[1].id)
    bad = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert f"#2 (id {entries[1].id})" in bad.stderr
