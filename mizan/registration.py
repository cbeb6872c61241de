"""The kernel's own contributions: its stored models, the audit subscriber, its tasks."""

from __future__ import annotations

from mizan import audit, webhooks
from mizan.accounts.integrations import Integration
from mizan.accounts.models import District, SignInAddress, User
from mizan.audit import AuditEntry, AuditHead
from mizan.jobs import Job
from mizan.kernel import Kernel
from mizan.notifications import Notification
from mizan.outbox import OutboxEntry
from mizan.registry import Registry
from mizan.webhooks import WebhookDelivery


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
        WebhookDelivery,
    ]
    registry.subscribers.append(_subscribe_audit)
    registry.task_modules.append("mizan.tasks")
    registry.outbox_handlers[webhooks.TOPIC] = webhooks.deliver_from_outbox
    # A police endpoint that times out (10 s an attempt) must not hold up a clerk's upload:
    # deliveries drain in the bulk lane.
    registry.bulk_topics.add(webhooks.TOPIC)
    # The reminder loop also sends deliveries whose back-off is over (if a retry task was lost).
    registry.reminders["webhook retries"] = webhooks.retry_due
