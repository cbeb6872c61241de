"""Who signs in with a second factor (the rule, apart from the sign-in code that applies it)."""

from __future__ import annotations

from mizan.accounts.models import User
from mizan.settings import Settings


def required(settings: Settings, user: User) -> bool:
    """Must this user sign in with an authenticator code (``MIZAN_TWO_FACTOR_ROLES``)?"""
    return bool(settings.two_factor_roles.intersection(user.roles))


def enrolled(user: User) -> bool:
    return bool(user.totp_secret)


def needed(settings: Settings, user: User) -> bool:
    """Does a sign-in of ``user`` need a second step (a code, or setting one up first)?"""
    return enrolled(user) or required(settings, user)
