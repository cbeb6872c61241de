"""Users and districts."""

from __future__ import annotations

import mongoengine as me

from mizan.storage import Model


class District(Model):
    label = "district"
    code = me.StringField(required=True, unique=True, regex=r"^[A-Z][A-Z0-9-]{1,15}$")
    name = me.StringField(required=True)
    name_ur = me.StringField()
    meta = {"collection": "districts"}


class User(Model):
    label = "user"
    username = me.StringField(required=True, unique=True, regex=r"^[a-z0-9][a-z0-9._-]{2,39}$")
    full_name = me.StringField(required=True, max_length=120)
    email = me.StringField()
    password_hash = me.StringField(required=True)
    roles = me.ListField(me.StringField())
    district = me.StringField()
    active = me.BooleanField(default=True)
    language = me.StringField(default="en", choices=("en", "ur"))
    failed_logins = me.IntField(default=0)
    locked_until = me.DateTimeField()
    last_login_at = me.DateTimeField()
    created_at = me.DateTimeField()
    #: Changes on password or role change so other sessions of this user end.
    session_epoch = me.IntField(default=0)
    #: Second factor (``mizan.accounts.two_factor``): the authenticator secret, sealed
    #: (``mizan.sealing``); one being set up; the last time step used (no code works twice);
    #: SHA-256 hashes of the unused recovery codes.
    totp_secret = me.StringField()
    totp_pending = me.StringField()
    totp_enabled_at = me.DateTimeField()
    totp_last_step = me.IntField(default=0)
    recovery_hashes = me.ListField(me.StringField())

    meta = {"collection": "users", "indexes": ["district", "roles"]}


class SignInAddress(Model):
    """Failed sign-ins from one client address in the current window, shared by every web
    process through the store, so spraying one password over many accounts is throttled."""

    label = "sign-in address"
    address = me.StringField(required=True, unique=True)
    #: Failed tries, plus tries whose password is still being compared.
    failures = me.IntField(default=0)
    window_started = me.DateTimeField(required=True)
    blocked_until = me.DateTimeField()

    meta = {"collection": "sign_in_addresses"}
