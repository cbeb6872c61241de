"""Accounts: validation, argon2 hashes, lockout, role checks."""

from __future__ import annotations

import pytest

from mizan.accounts.models import User
from mizan.accounts.service import (
    AccountError,
    LoginRefused,
    PermissionDenied,
    actor_for,
    authenticate,
    create_user,
    update_user,
)
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.conftest import DEMO_PASSWORD


def test_passwords_are_argon2_hashes(demo) -> None:
    user = demo.store.find_one(User, {"username": "pp.rahim"})
    assert user.password_hash.startswith("$argon2id$")
    assert DEMO_PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "A!"}, "username"),
        ({"password": "short1"}, "at least 10"),
        ({"password": "onlyletterslong"}, "mix letters"),
        ({"roles": []}, "at least one role"),
        ({"roles": ["emperor"]}, "Unknown role"),
        ({"roles": ["clerk"], "district": None}, "district"),
        ({"district": "ZZZ"}, "no district"),
        ({"username": "pp.rahim"}, "already taken"),
    ],
)
def test_create_user_rejects_bad_input_clearly(demo, changes, message) -> None:
    data = {
        "username": "new.clerk",
        "full_name": "New Clerk",
        "password": "good-pass-123",
        "roles": ["clerk"],
        "district": "KHI-S",
        **changes,
    }
    with pytest.raises(AccountError, match=message):
        create_user(demo, SYSTEM, **data)


def test_only_admins_create_users(demo) -> None:
    dpp = actor_for(demo.store.find_one(User, {"username": "dpp.south"}))
    with pytest.raises(PermissionDenied):
        create_user(
            demo, dpp, username="x.y.z", full_name="X", password="good-pass-123", roles=["admin"]
        )


def test_lockout_after_repeated_failures(demo) -> None:
    limit = demo.settings.login_max_failures
    for _ in range(limit):
        with pytest.raises(LoginRefused, match="not correct"):
            authenticate(demo, "pp.sana", "wrong-password", "10.1.1.1")
    # The right password is refused with the same words as a wrong one (issue 16: the
    # lockout message used to tell which accounts exist).
    with pytest.raises(LoginRefused, match="not correct"):
        authenticate(demo, "pp.sana", DEMO_PASSWORD, "10.1.1.1")
    failures = demo.store.count(
        AuditEntry, {"action": "auth.login_failed", "actor_name": "pp.sana"}
    )
    assert failures == limit
    assert demo.store.count(AuditEntry, {"action": "auth.login_refused"}) == 1


def test_successful_login_resets_failures(demo) -> None:
    with pytest.raises(LoginRefused):
        authenticate(demo, "pp.sana", "wrong-password", None)
    user = authenticate(demo, "PP.Sana ", DEMO_PASSWORD, None)
    assert user.failed_logins == 0 and user.last_login_at is not None


def test_unknown_user_gets_the_same_message(demo) -> None:
    with pytest.raises(LoginRefused, match="username or password is not correct"):
        authenticate(demo, "nobody", "whatever-123", None)


def test_role_change_ends_sessions_and_stale_form_is_refused(demo) -> None:
    admin = actor_for(demo.store.find_one(User, {"username": "admin"}))
    user = demo.store.find_one(User, {"username": "pp.hyd"})
    epoch = user.session_epoch
    update_user(
        demo,
        admin,
        user.id,
        version=user.version,
        full_name=user.full_name,
        roles=["prosecutor", "district_public_prosecutor"],
        district="HYD",
        active=True,
    )
    fresh = demo.store.get(User, user.id)
    assert fresh.session_epoch == epoch + 1
    with pytest.raises(StaleWriteError, match="changed by someone else"):
        update_user(
            demo,
            admin,
            user.id,
            version=user.version,
            full_name="Overwrite",
            roles=["prosecutor"],
            district="HYD",
            active=True,
        )
    assert demo.store.get(User, user.id).full_name == user.full_name


def test_admin_cannot_lock_themselves_out(demo) -> None:
    admin_user = demo.store.find_one(User, {"username": "admin"})
    with pytest.raises(AccountError, match="own administrator"):
        update_user(
            demo,
            actor_for(admin_user),
            admin_user.id,
            version=admin_user.version,
            full_name="Admin",
            roles=["clerk"],
            district="KHI-S",
            active=True,
        )
