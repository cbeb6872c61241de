"""Signed webhooks: the signature a receiver checks, the back-off, the endpoint setting."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet

from mizan import webhooks
from mizan.accounts.integrations import (
    Integration,
    IntegrationError,
    create_integration,
    reseal_webhook_secrets,
    set_webhook,
    webhook_endpoint,
)
from mizan.accounts.models import District
from mizan.actor import SYSTEM
from mizan.outbox import OutboxEntry
from mizan.sealing import derived_key
from mizan.storage import StaleWriteError


@pytest.fixture
def police(kernel) -> Integration:
    kernel.store.insert(District(code="KHI-S", name="Karachi South"))
    integration, _token = create_integration(
        kernel, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    return integration


def test_signature_is_hmac_sha256_over_timestamp_and_body() -> None:
    body = b'{"id":"m1"}'
    expected = hmac.new(b"whsec_x", b"1741000000." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature("whsec_x", "1741000000", body) == "sha256=" + expected
    header = webhooks.signature("whsec_x", "1741000000", body)
    assert webhooks.verify("whsec_x", "1741000000", body, header)
    assert not webhooks.verify("whsec_x", "1741000001", body, header)  # another time
    assert not webhooks.verify("whsec_x", "1741000000", body + b" ", header)  # another body
    assert not webhooks.verify("whsec_y", "1741000000", body, header)  # another secret


def test_back_off_doubles_to_an_hour_and_outlasts_a_day() -> None:
    waits = [webhooks.backoff(n).total_seconds() for n in range(1, webhooks.MAX_ATTEMPTS)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == webhooks.MAX_DELAY
    assert sum(waits) > dt.timedelta(days=1).total_seconds()


def test_the_address_is_checked_and_the_secret_sealed(kernel, police) -> None:
    with pytest.raises(IntegrationError, match="web address"):
        set_webhook(kernel, SYSTEM, police.id, url="ftp://station.example", version=1)
    with pytest.raises(StaleWriteError):
        set_webhook(kernel, SYSTEM, police.id, url="https://psrms.example/hook", version=0)
    integration, secret = set_webhook(
        kernel, SYSTEM, police.id, url="https://psrms.example/hook", version=1
    )
    assert secret and secret.startswith("whsec_")
    assert secret not in integration.webhook_secret_sealed  # only sealed at rest
    assert webhook_endpoint(kernel, police.id) == ("https://psrms.example/hook", secret)
    _off, none = set_webhook(kernel, SYSTEM, police.id, url="", version=integration.version)
    assert none is None and webhook_endpoint(kernel, police.id) is None


def test_reseal_moves_webhook_secrets_to_the_new_key(kernel, police) -> None:
    _integration, secret = set_webhook(
        kernel, SYSTEM, police.id, url="https://psrms.example/hook", version=1
    )
    old, new = derived_key(kernel.settings.secret_key), Fernet.generate_key().decode()
    # Settings are frozen; the operator's change of MIZAN_ENCRYPTION_KEYS, in place:
    object.__setattr__(kernel.settings, "encryption_keys", (new, old))
    assert reseal_webhook_secrets(kernel) == 1
    object.__setattr__(kernel.settings, "encryption_keys", (new,))
    assert webhook_endpoint(kernel, police.id) == ("https://psrms.example/hook", secret)


def test_a_delivery_without_an_address_waits_and_says_why(kernel, police, frozen_clock) -> None:
    with kernel.store.transaction():
        delivery = webhooks.queue_delivery(kernel.store, police.id, "m1", "police.message", "{}")
    assert kernel.store.count(OutboxEntry, {"topic": webhooks.TOPIC}) == 1
    assert webhooks.attempt(kernel, delivery.id) == webhooks.PENDING
    stored = kernel.store.get(webhooks.WebhookDelivery, delivery.id)
    assert stored.attempts == 1 and "no webhook address" in stored.last_error
    assert stored.next_attempt_at == frozen_clock.at.replace(tzinfo=None) + dt.timedelta(seconds=30)
    assert webhooks.attempt(kernel, delivery.id) == webhooks.PENDING  # not due: untouched
    assert kernel.store.get(webhooks.WebhookDelivery, delivery.id).attempts == 1
    with pytest.raises(webhooks.WebhookError, match="given up"):
        webhooks.replay(kernel, SYSTEM, delivery.id)
