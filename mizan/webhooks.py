"""Signed webhooks to integrations: queued with the change, delivered by the worker.

A delivery is a stored row (``WebhookDelivery``) written in the transaction of the
message it carries, with an outbox entry that asks the worker to send it. A failed
attempt (timeout, refused connection, any answer but 2xx) is not an error of the
outbox: the row records it and waits with exponential back-off, so an endpoint that
is down or answers 500 for a day leaves its messages queued and visible, and the
administrator sees each one. After ``MAX_ATTEMPTS`` (about a day and a half) the row
is a dead letter; an administrator can replay it. Retries are driven two ways, so a
lost task never loses a delivery: a retry task queued with the back-off as countdown,
and the reminder loop's sweep of due rows (``retry_due``).

The receiver checks ``X-Mizan-Signature: sha256=<hex>``, the HMAC-SHA256 with its
secret over ``<X-Mizan-Timestamp>.<raw body>`` (see ``signature``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import logging
import urllib.error
import urllib.request
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mongoengine as me

from mizan import outbox, worker
from mizan.accounts.integrations import Integration, webhook_endpoint
from mizan.accounts.service import require_user_admin
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.storage import DocumentStore, Model, NotFoundError, StaleWriteError

if TYPE_CHECKING:
    from mizan.kernel import Kernel

log = logging.getLogger(__name__)

#: The outbox topic whose handler sends one delivery.
TOPIC = "webhook.deliver"
#: The worker task that retries one delivery after its back-off.
RETRY_TASK = "mizan.retry_webhook"
#: Seconds before the first retry; doubled each time up to ``MAX_DELAY``.
FIRST_DELAY = 30
MAX_DELAY = 3600
#: Attempts before a delivery becomes a dead letter: 7 doublings (about an hour), then
#: hourly, so an endpoint down for a whole day still gets its messages when it returns.
MAX_ATTEMPTS = 40
#: Seconds the receiver has to answer one attempt.
TIMEOUT = 10.0

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
STATUSES = (PENDING, DELIVERED, DEAD)


class WebhookDelivery(Model):
    """One message for one integration's endpoint, with its attempts."""

    label = "webhook delivery"
    integration_id = me.StringField(required=True)
    #: The id of what is delivered (a police message); the receiver de-duplicates on it.
    event_id = me.StringField(required=True)
    event_type = me.StringField(required=True)
    body = me.StringField(required=True)  # the exact bytes signed and sent (JSON, UTF-8)
    status = me.StringField(required=True, choices=STATUSES, default=PENDING)
    attempts = me.IntField(default=0)
    next_attempt_at = me.DateTimeField()
    last_error = me.StringField()
    last_attempt_at = me.DateTimeField()
    delivered_at = me.DateTimeField()
    created_at = me.DateTimeField()
    meta = {
        "collection": "webhook_deliveries",
        "indexes": [
            {"fields": ["integration_id", "event_id"], "unique": True},
            ["status", "next_attempt_at"],
        ],
    }


class WebhookError(ValueError):
    """A delivery cannot be replayed (not found, or not a dead letter)."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 keyed with the secret over ``timestamp.body``; the
    timestamp inside the signed text lets a receiver refuse old replays."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (documented in the guide; used by the tests' police stub)."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min … 1 h."""
    return dt.timedelta(seconds=min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def queue_delivery(
    store: DocumentStore, integration_id: str, event_id: str, event_type: str, body: str
) -> WebhookDelivery:
    """Queue a delivery; call inside the transaction that records the message."""
    now = utc_naive_now()
    delivery = store.insert(
        WebhookDelivery(
            integration_id=integration_id,
            event_id=event_id,
            event_type=event_type,
            body=body,
            next_attempt_at=now,
            created_at=now,
        )
    )
    outbox.enqueue(store, TOPIC, {"delivery_id": delivery.id})
    return delivery


def _post(url: str, secret: str, delivery: WebhookDelivery) -> None:
    """One attempt; raises with a readable reason unless the receiver answered 2xx."""
    body = delivery.body.encode("utf-8")
    timestamp = str(int(utc_naive_now().replace(tzinfo=dt.UTC).timestamp()))
    request = urllib.request.Request(  # noqa: S310 (http(s) only: checked by set_webhook)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Mizan-Webhooks/1",
            "X-Mizan-Event": delivery.event_type,
            "X-Mizan-Message-Id": delivery.event_id,
            "X-Mizan-Delivery": delivery.id,
            "X-Mizan-Timestamp": timestamp,
            "X-Mizan-Signature": signature(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise OSError(f"the endpoint answered {exc.code}") from None
    except urllib.error.URLError as exc:
        raise OSError(f"the endpoint could not be reached: {exc.reason}") from None
    except TimeoutError:
        raise OSError(f"the endpoint did not answer within {TIMEOUT:g} seconds") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise OSError(f"the endpoint's answer could not be read: {exc}") from None
    if not 200 <= status < 300:
        raise OSError(f"the endpoint answered {status}")


def attempt(kernel: Kernel, delivery_id: str) -> str:
    """Try one delivery if it is pending and due; returns its status afterwards.

    Safe to call twice at once: the claim is a versioned write, so only one caller sends.
    """
    store = kernel.store
    try:
        delivery = store.get(WebhookDelivery, delivery_id)
    except NotFoundError:
        return DEAD
    now = utc_naive_now()
    if delivery.status != PENDING or (delivery.next_attempt_at or now) > now:
        return delivery.status
    endpoint = webhook_endpoint(kernel, delivery.integration_id)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    # Claim: push the next attempt out first, so a concurrent caller finds it not due.
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    try:
        store.replace(delivery)
    except (StaleWriteError, NotFoundError):
        return PENDING
    try:
        if endpoint is None:
            raise OSError("the system has no webhook address any more")
        _post(endpoint[0], endpoint[1], delivery)
    except OSError as exc:
        delivery.last_error = str(exc)[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DEAD
        log.warning("Webhook delivery %s failed: %s", delivery.id, delivery.last_error)
    else:
        delivery.status, delivery.delivered_at, delivery.last_error = DELIVERED, now, None
    with suppress(StaleWriteError, NotFoundError):
        store.replace(delivery)
    if delivery.status == PENDING:
        delay = (delivery.next_attempt_at - utc_naive_now()).total_seconds()
        worker.enqueue(RETRY_TASK, delivery.id, countdown=max(delay, 0.0))
    return delivery.status


def deliver_from_outbox(kernel: Kernel, payload: dict[str, Any]) -> None:
    """The outbox handler: a failed attempt is recorded on the delivery, never raised."""
    attempt(kernel, str(payload["delivery_id"]))


def retry_due(kernel: Kernel) -> int:
    """Attempt every pending delivery whose back-off is over; returns how many arrived."""
    due = kernel.store.find(
        WebhookDelivery,
        {"status": PENDING, "next_attempt_at": {"$lte": utc_naive_now()}},
        sort=[("_id", 1)],
        limit=500,
    )
    return sum(attempt(kernel, d.id) == DELIVERED for d in due)


def deliveries(
    store: DocumentStore, status: str, integration_id: str | None = None, limit: int = 200
) -> list[WebhookDelivery]:
    """Deliveries of one status, newest first."""
    flt: dict[str, Any] = {"status": status}
    if integration_id:
        flt["integration_id"] = integration_id
    return store.find(WebhookDelivery, flt, sort=[("_id", -1)], limit=limit)


@dataclass(frozen=True)
class Overview:
    """What the administrator's page shows: what waits, what was given up, per system."""

    pending: list[WebhookDelivery]
    dead: list[WebhookDelivery]
    delivered: int
    names: dict[str, str]


def overview(kernel: Kernel, actor: Actor) -> Overview:
    require_user_admin(actor)
    store = kernel.store
    names = {i.id: i.name for i in store.find(Integration, {})}
    return Overview(
        pending=deliveries(store, PENDING),
        dead=deliveries(store, DEAD),
        delivered=store.count(WebhookDelivery, {"status": DELIVERED}),
        names=names,
    )


def replay(kernel: Kernel, actor: Actor, delivery_id: str) -> WebhookDelivery:
    """Send a dead letter again from the start (attempts reset); administrators only."""
    require_user_admin(actor)
    store = kernel.store
    try:
        delivery = store.get(WebhookDelivery, delivery_id)
    except NotFoundError:
        raise WebhookError(_("There is no such delivery.")) from None
    if delivery.status != DEAD:
        raise WebhookError(_("Only a delivery that was given up can be sent again."))
    delivery.status, delivery.attempts = PENDING, 0
    delivery.next_attempt_at = utc_naive_now()
    with store.transaction():
        store.replace(delivery)
        outbox.enqueue(store, TOPIC, {"delivery_id": delivery.id})
        kernel.emit(
            DomainEvent(
                "webhook.replayed",
                actor,
                "integration",
                delivery.integration_id,
                {"delivery_id": delivery.id, "event_id": delivery.event_id},
            )
        )
    return delivery
