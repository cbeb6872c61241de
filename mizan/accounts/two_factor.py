"""The second factor: an authenticator app's code (TOTP) after the password.

Required for the roles in ``MIZAN_TWO_FACTOR_ROLES`` (administrators, DPPs and
the Prosecutor General by default; "all" for everyone), and asked of anyone
who has set it up. A user who must use it and has not yet is led through
setting it up at their next sign-in, before any page opens.

While a second factor is pending, the password's success does not clear the
account's failure counter: wrong codes count towards the same lockout as wrong
passwords, so knowing the password does not buy unlimited guesses at the code.
Each code works once (the time step is remembered); each recovery code works
once. Every step is in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from mizan.accounts import totp
from mizan.accounts.models import User
from mizan.accounts.roles import Capability
from mizan.accounts.service import (
    AccountError,
    LoginRefused,
    _reserve_try,
    _save_user,
    actor_for,
    require,
)
from mizan.actor import Actor
from mizan.clock import now, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.sealing import Sealer


@dataclass(frozen=True)
class Setup:
    """What the set-up page shows: the secret (for typing in) and the address in the QR code."""

    secret: str
    uri: str


def start_setup(kernel: Kernel, user_id: str) -> Setup:
    """A secret to set up (the same one until confirmed, so a reload shows the same QR)."""
    sealer = Sealer.from_settings(kernel.settings)
    user = kernel.store.get(User, user_id)
    if user.totp_pending:
        secret = sealer.open(user.totp_pending)
    else:
        secret = totp.new_secret()
        sealed = sealer.seal(secret)

        def keep(fresh: User) -> bool:
            if fresh.totp_pending:
                return False
            fresh.totp_pending = sealed
            return True

        user = _save_user(kernel, user_id, keep)
        secret = sealer.open(user.totp_pending)
    return Setup(secret, totp.provisioning_uri(secret, user.username))


def confirm_setup(kernel: Kernel, user_id: str, code: str, address: str | None) -> list[str]:
    """Turn the second factor on once the app shows a right code; returns the recovery codes
    (shown once, stored only as hashes)."""
    sealer = Sealer.from_settings(kernel.settings)
    user = kernel.store.get(User, user_id)
    if not user.totp_pending:
        raise AccountError(_("Start setting up the authenticator again."))
    secret = sealer.open(user.totp_pending)
    step = totp.matching_step(secret, code, now().timestamp())
    actor = actor_for(user, address)
    if step is None:
        kernel.emit(DomainEvent("auth.2fa_setup_failed", actor, "user", user.id))
        raise AccountError(
            _("That code is not right. Check the phone's time and type the code shown now.")
        )
    codes = totp.new_recovery_codes()

    def turn_on(fresh: User) -> bool:
        fresh.totp_secret, fresh.totp_pending = sealer.seal(secret), None
        fresh.totp_enabled_at, fresh.totp_last_step = utc_naive_now(), step
        fresh.recovery_hashes = [totp.recovery_hash(c) for c in codes]
        return True

    _save_user(kernel, user_id, turn_on, DomainEvent("auth.2fa_enabled", actor, "user", user_id))
    return codes


def verified_after_setup(kernel: Kernel, user_id: str, address: str | None) -> User:
    """A sign-in finished by setting the authenticator up (its first code was right)."""

    def signed_in(fresh: User) -> bool:
        fresh.failed_logins, fresh.locked_until = 0, None
        fresh.last_login_at = utc_naive_now()
        return True

    user = kernel.store.get(User, user_id)
    event = DomainEvent("auth.login", actor_for(user, address), "user", user_id, {"with": "setup"})
    return _save_user(kernel, user_id, signed_in, event)


def verify(kernel: Kernel, user_id: str, code: str, address: str | None) -> User:
    """Check a code (or a recovery code) for a user whose password was accepted.

    A wrong code counts as a failed sign-in (LoginRefused; the account locks at the same
    limit); a right one clears the failures and is spent.
    """
    user = kernel.store.get(User, user_id)
    actor = actor_for(user, address)
    reserved = _reserve_try(kernel, user.id)
    if reserved is None or not user.totp_secret:
        kernel.emit(DomainEvent("auth.2fa_failed", actor, "user", user.id, {"reason": "locked"}))
        raise LoginRefused(_("The code is not correct, or the account is locked for a while."))
    secret = Sealer.from_settings(kernel.settings).open(user.totp_secret)
    step = totp.matching_step(secret, code, now().timestamp())
    recovery = totp.recovery_hash(code)
    used: list[str] = []

    def accept(fresh: User) -> bool:
        used.clear()
        if step is not None and step > fresh.totp_last_step:
            fresh.totp_last_step = step
            used.append("code")
        elif step is None and recovery in fresh.recovery_hashes:
            fresh.recovery_hashes = [h for h in fresh.recovery_hashes if h != recovery]
            used.append("recovery code")
        else:
            return False
        fresh.failed_logins, fresh.locked_until = 0, None
        fresh.last_login_at = utc_naive_now()
        return True

    user = _save_user(kernel, user.id, accept)
    if not used:
        kernel.emit(DomainEvent("auth.2fa_failed", actor, "user", user.id, {"reason": "wrong"}))
        raise LoginRefused(_("The code is not correct, or the account is locked for a while."))
    data = {"with": used[0], "recovery_codes_left": len(user.recovery_hashes)}
    kernel.emit(DomainEvent("auth.login", actor, "user", user.id, data))
    return user


def new_recovery_codes(kernel: Kernel, actor: Actor, code: str) -> list[str]:
    """Replace one's recovery codes (a current authenticator code is asked, not the old codes)."""
    user = kernel.store.get(User, actor.user_id)
    if not user.totp_secret:
        raise AccountError(_("Set up the authenticator first."))
    secret = Sealer.from_settings(kernel.settings).open(user.totp_secret)
    step = totp.matching_step(secret, code, now().timestamp())
    if step is None or step <= user.totp_last_step:
        raise AccountError(_("That code is not right; type the code the app shows now."))
    codes = totp.new_recovery_codes()

    def replace(fresh: User) -> bool:
        fresh.totp_last_step = step
        fresh.recovery_hashes = [totp.recovery_hash(c) for c in codes]
        return True

    event = DomainEvent("auth.recovery_codes_renewed", actor, "user", user.id)
    _save_user(kernel, user.id, replace, event)
    return codes


def reset(kernel: Kernel, actor: Actor, user_id: str) -> User:
    """An administrator turns off a user's second factor (a lost phone and lost codes); the
    user sets it up again at their next sign-in if their role requires it. Ends their
    sessions."""
    require(actor, Capability.MANAGE_USERS)

    def clear(fresh: User) -> bool:
        fresh.totp_secret = fresh.totp_pending = None
        fresh.totp_enabled_at, fresh.recovery_hashes = None, []
        fresh.session_epoch += 1
        return True

    return _save_user(kernel, user_id, clear, DomainEvent("auth.2fa_reset", actor, "user", user_id))


def reseal(kernel: Kernel) -> int:
    """Seal every authenticator secret with the newest key (``mizan reseal``); returns the
    number of users changed."""
    sealer = Sealer.from_settings(kernel.settings)
    changed = 0
    for user in kernel.store.find(User, {}):
        if not (user.totp_secret or user.totp_pending):
            continue

        def rotate(fresh: User) -> bool:
            if fresh.totp_secret:
                fresh.totp_secret = sealer.reseal(fresh.totp_secret)
            if fresh.totp_pending:
                fresh.totp_pending = sealer.reseal(fresh.totp_pending)
            return True

        _save_user(kernel, user.id, rotate)
        changed += 1
    return changed
