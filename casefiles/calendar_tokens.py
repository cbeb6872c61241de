"""Calendar feed tokens: the secret URL a calendar program reads a user's hearings from.
Only a hash of each token is stored."""

from __future__ import annotations

import hashlib
import secrets

import mongoengine as me

from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError


class CalendarToken(Model):
    """The secret in a user's calendar-feed URL; only its SHA-256 is kept."""

    label = "calendar link"
    user_id = me.StringField(required=True, unique=True)
    token_hash = me.StringField(required=True, unique=True, regex=r"^[0-9a-f]{64}$")
    created_at = me.DateTimeField(required=True)

    meta = {"collection": "calendar_tokens"}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_calendar_token(kernel: Kernel, actor: Actor) -> str:
    """A new secret for the actor's feed URL; the old one stops working at once.

    Only the hash is stored, so the URL can be shown once, when it is made.
    """
    token = secrets.token_urlsafe(32)
    store = kernel.store
    with store.transaction():
        old = store.find_one(CalendarToken, {"user_id": actor.user_id})
        if old is not None:
            store.delete(old)
        store.insert(
            CalendarToken(
                user_id=actor.user_id, token_hash=_token_hash(token), created_at=utc_naive_now()
            )
        )
        kernel.emit(
            DomainEvent(
                "calendar.link_issued",
                actor,
                "user",
                actor.user_id,
                {"replaced": old is not None},
            )
        )
    return token


def calendar_token(kernel: Kernel, actor: Actor) -> CalendarToken | None:
    return kernel.store.find_one(CalendarToken, {"user_id": actor.user_id})


def user_for_token(kernel: Kernel, token: str) -> User | None:
    """The active user whose feed this token opens, or None (unknown, replaced, inactive)."""
    if not token or len(token) > 100:
        return None
    record = kernel.store.find_one(CalendarToken, {"token_hash": _token_hash(token)})
    if record is None:
        return None
    try:
        user = kernel.store.get(User, record.user_id)
    except NotFoundError:
        return None
    return user if user.active else None
