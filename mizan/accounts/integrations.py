"""Integrations: police and court systems that call the API with a token.

Each integration acts as itself in the audit trail, limited to its districts.
The token is shown once when created; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.parse
from functools import partial

import mongoengine as me

from mizan.accounts.models import District
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.compare_and_set import compare_and_set
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.sealing import Sealer
from mizan.storage import Model, NotFoundError

KINDS = ("police", "court")
#: The role an integration acts with; it grants intake, nothing else.
INTEGRATION_ROLE = "integration"


class Integration(Model):
    label = "integration"
    name = me.StringField(required=True, max_length=80)
    kind = me.StringField(required=True, choices=KINDS)
    districts = me.ListField(me.StringField())
    token_hash = me.StringField(required=True)
    active = me.BooleanField(default=True)
    created_by = me.StringField()
    created_at = me.DateTimeField()
    #: Optional signed webhooks (``mizan.webhooks``): where to POST, and the secret,
    #: sealed at rest (``mizan.sealing``) since Mizan needs it back to sign.
    #: Police stations it serves (a police system of one or a few stations); empty: every
    #: station of its districts. Limits the messages it reads, answers and is sent.
    stations = me.ListField(me.StringField(max_length=80))
    webhook_url = me.StringField(max_length=500)
    webhook_secret_sealed = me.StringField()
    meta = {"collection": "integrations", "indexes": [{"fields": ["token_hash"], "unique": True}]}


class IntegrationError(ValueError):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_integration(
    kernel: Kernel, actor: Actor, *, name: str, kind: str, districts: list[str]
) -> tuple[Integration, str]:
    """Create an integration; returns it and its token (shown once, never stored)."""
    from mizan.accounts.roles import Capability
    from mizan.accounts.service import require

    require(actor, Capability.MANAGE_USERS)
    if not name.strip():
        raise IntegrationError(_("Name the system that will call the API."))
    if kind not in KINDS:
        raise IntegrationError(_("Choose police or court."))
    if not districts:
        raise IntegrationError(_("Choose at least one district."))
    for code in districts:
        if kernel.store.find_one(District, {"code": code}) is None:
            raise IntegrationError(_("There is no district with the code %(code)s.", code=code))
    token = "mzn_" + secrets.token_urlsafe(32)
    integration = Integration(
        name=name.strip(),
        kind=kind,
        districts=sorted(set(districts)),
        token_hash=_hash(token),
        created_by=actor.user_id,
        created_at=utc_naive_now(),
    )
    with kernel.store.transaction():
        kernel.store.insert(integration)
        kernel.emit(
            DomainEvent(
                "integration.created",
                actor,
                "integration",
                integration.id,
                {"name": integration.name, "kind": kind, "districts": integration.districts},
            )
        )
    return integration, token


def list_integrations(kernel: Kernel, actor: Actor) -> list[Integration]:
    """Every integration by name, for the administrator."""
    from mizan.accounts.service import require_user_admin

    require_user_admin(actor)
    return kernel.store.find(Integration, sort=[("name", 1)])


def authenticate_token(kernel: Kernel, token: str) -> Integration | None:
    if not token or not token.startswith("mzn_"):
        return None
    found = kernel.store.find_one(Integration, {"token_hash": _hash(token), "active": True})
    return found


def authenticate_api(
    kernel: Kernel, token: str, address: str | None, path: str
) -> Integration | None:
    """The integration a bearer token belongs to; a refused token is recorded (the
    caller is anonymous, so the trail names the address and the path it tried)."""
    integration = authenticate_token(kernel, token)
    if integration is None:
        caller = Actor(user_id="anonymous", username="api", address=address, channel="api")
        kernel.emit(
            DomainEvent(
                "api.auth_failed",
                caller,
                "integration",
                "unknown",
                {"path": path},
                changes_state=False,
            )
        )
    return integration


def actor_for_integration(integration: Integration, address: str | None) -> Actor:
    return Actor(
        user_id=f"integration:{integration.id}",
        username=integration.name,
        roles=frozenset({INTEGRATION_ROLE, f"{INTEGRATION_ROLE}:{integration.kind}"}),
        district=None,
        address=address,
        channel="api",
    )


def set_webhook(
    kernel: Kernel, actor: Actor, integration_id: str, *, url: str, version: int
) -> tuple[Integration, str | None]:
    """Set (or with an empty ``url`` remove) where an integration's webhooks go.

    A new address gets a new secret, returned once (like the token) for the other
    system's operators; only its sealed form is stored. A stale ``version`` is refused.
    """
    from mizan.accounts.service import require_user_admin
    from mizan.storage import StaleWriteError

    require_user_admin(actor)
    try:
        integration = kernel.store.get(Integration, integration_id)
    except NotFoundError:
        raise IntegrationError(_("There is no such system.")) from None
    if integration.version != version:
        raise StaleWriteError(integration.label, integration.id, version, integration.version)
    url = url.strip()
    secret: str | None = None
    if url:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
            raise IntegrationError(
                _("Give the full web address, starting with https:// (or http:// on a LAN).")
            )
        secret = "whsec_" + secrets.token_urlsafe(32)
        integration.webhook_secret_sealed = Sealer.from_settings(kernel.settings).seal(secret)
    else:
        integration.webhook_secret_sealed = None
    integration.webhook_url = url or None
    with kernel.store.transaction():
        kernel.store.replace(integration)
        kernel.emit(
            DomainEvent(
                "integration.webhook_set",
                actor,
                "integration",
                integration.id,
                {"url": integration.webhook_url},
            )
        )
    return integration, secret


def webhook_endpoint(kernel: Kernel, integration_id: str) -> tuple[str, str] | None:
    """The address and secret webhooks go to, or None if the system has none (any more)."""
    integration = kernel.store.find_one(Integration, {"_id": integration_id, "active": True})
    if integration is None or not integration.webhook_url or not integration.webhook_secret_sealed:
        return None
    secret = Sealer.from_settings(kernel.settings).open(integration.webhook_secret_sealed)
    return integration.webhook_url, secret


def set_stations(
    kernel: Kernel, actor: Actor, integration_id: str, *, stations: list[str], version: int
) -> Integration:
    """Limit a police system to some police stations (none: all of its districts')."""
    from mizan.accounts.service import require_user_admin
    from mizan.storage import StaleWriteError

    require_user_admin(actor)
    try:
        integration = kernel.store.get(Integration, integration_id)
    except NotFoundError:
        raise IntegrationError(_("There is no such system.")) from None
    if integration.version != version:
        raise StaleWriteError(integration.label, integration.id, version, integration.version)
    names = sorted({" ".join(s.split()) for s in stations if s.strip()})
    if any(len(name) > 80 for name in names):
        raise IntegrationError(_("A police station name is too long (80 letters at most)."))
    integration.stations = names
    with kernel.store.transaction():
        kernel.store.replace(integration)
        kernel.emit(
            DomainEvent(
                "integration.stations_set",
                actor,
                "integration",
                integration.id,
                {"stations": names},
            )
        )
    return integration


def police_integrations(kernel: Kernel, district: str, station: str) -> list[Integration]:
    """The active police systems serving a district's police station (who hears of its
    messages)."""
    found = kernel.store.find(
        Integration, {"kind": "police", "active": True, "districts": district}, sort=[("_id", 1)]
    )
    return [i for i in found if not i.stations or station in i.stations]


def reseal_webhook_secrets(kernel: Kernel) -> int:
    """Seal every webhook secret with the newest key (``mizan reseal``); returns how many."""
    sealer = Sealer.from_settings(kernel.settings)

    def reseal(integration: Integration) -> bool:
        if not integration.webhook_secret_sealed:
            return False
        integration.webhook_secret_sealed = sealer.reseal(integration.webhook_secret_sealed)
        return True

    found = kernel.store.find(Integration, {"webhook_secret_sealed": {"$ne": None}})
    for integration in found:
        compare_and_set(kernel, partial(kernel.store.get, Integration, integration.id), reseal)
    return len(found)
