"""The kernel's own contributions: its stored models, the audit subscriber, its tasks."""

from __future__ import annotations

from mizan import audit
from mizan.accounts.integrations import Integration
from mizan.accounts.models import District, SignInAddress, User
from mizan.audit import AuditEntry, AuditHead
from mizan.jobs import Job
from mizan.kernel import Kernel
from mizan.notifications import Notification
from mizan.outbox import OutboxEntry
from mizan.registry import Registry


def _subscribe_audit(kernel: Kernel) -> None:
    """Every domain event is audited, in the transaction of the change it records."""
    kernel.events.subscribe(lambda event: audit.record_event(kernel.store, event))


def register(registry: Registry) -> None:
    registry.models += [
        District,
        User,
        SignInAddress,
        Integration,
        AuditEntry,
        AuditHead,
        Job,
        OutboxEntry,
        Notification,
    ]
    registry.subscribers.append(_subscribe_audit)
    registry.task_modules.append("mizan.tasks")
