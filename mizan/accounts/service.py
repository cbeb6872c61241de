"""Account services: create users, sign in with lockout, change roles and passwords."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import NoReturn

from mizan.accounts import factor_policy
from mizan.accounts.models import District, SignInAddress, User
from mizan.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from mizan.accounts.roles import DISTRICT_ROLES, Capability, Role, capabilities_of
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.compare_and_set import compare_and_set
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, NotFoundError, StaleWriteError


class AccountError(ValueError):
    """Input that cannot be accepted; the message says what to fix."""


class PermissionDenied(PermissionError):
    pass


class LoginRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says which part was wrong)."""


def actor_for(user: User, address: str | None = None, channel: str = "web") -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=frozenset(user.roles),
        district=user.district,
        address=address,
        channel=channel,
    )


def require(actor: Actor, capability: Capability) -> None:
    if actor.has_role("system"):
        return
    if capability not in capabilities_of(actor.roles):
        raise PermissionDenied(_("You do not have permission to do this."))


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def _check_roles_and_district(kernel: Kernel, roles: list[str], district: str | None) -> None:
    if not roles:
        raise AccountError(_("Choose at least one role."))
    unknown = [r for r in roles if r not in Role._value2member_map_]
    if unknown:
        raise AccountError(_("Unknown role: %(role)s.", role=", ".join(unknown)))
    if any(Role(r) in DISTRICT_ROLES for r in roles) and not district:
        raise AccountError(_("Choose the district this user works in."))
    if district and kernel.store.find_one(District, {"code": district}) is None:
        raise AccountError(_("There is no district with the code %(code)s.", code=district))


def create_user(
    kernel: Kernel,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    roles: list[str],
    district: str | None = None,
    language: str = "en",
) -> User:
    require(actor, Capability.MANAGE_USERS)
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError(
            _(
                "The username must be 3 to 40 characters: lower-case letters, "
                "digits, dots, dashes or underscores."
            )
        )
    if not full_name.strip():
        raise AccountError(_("Enter the user's full name."))
    problem = password_problem(password)
    if problem:
        raise AccountError(_(problem))
    _check_roles_and_district(kernel, roles, district)
    user = User(
        username=username,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        roles=sorted(set(roles)),
        district=district or None,
        language=language,
        created_at=utc_naive_now(),
    )
    try:
        with kernel.store.transaction():
            kernel.store.insert(user)
            kernel.emit(
                DomainEvent(
                    "user.created",
                    actor,
                    "user",
                    user.id,
                    {"username": user.username, "roles": user.roles, "district": user.district},
                )
            )
    except DuplicateKeyError:
        raise AccountError(_("The username %(name)s is already taken.", name=username)) from None
    return user


def update_user(
    kernel: Kernel,
    actor: Actor,
    user_id: str,
    *,
    version: int,
    full_name: str,
    roles: list[str],
    district: str | None,
    active: bool,
) -> User:
    """Change a user's roles, district or status; refused if someone else changed them first."""
    require(actor, Capability.MANAGE_USERS)
    user = kernel.store.get(User, user_id)
    if not full_name.strip():
        raise AccountError(_("Enter the user's full name."))
    _check_roles_and_district(kernel, roles, district)
    if user.id == actor.user_id and (not active or Role.ADMIN not in roles):
        raise AccountError(_("You cannot remove your own administrator access."))
    before = {"roles": list(user.roles), "district": user.district, "active": user.active}
    user.version = version  # the version the admin's form was built from
    user.full_name, user.roles = full_name.strip(), sorted(set(roles))
    user.district, user.active = district or None, active
    if before["roles"] != user.roles or not active:
        user.session_epoch += 1
    with kernel.store.transaction():
        kernel.store.replace(user)
        kernel.emit(
            DomainEvent(
                "user.updated",
                actor,
                "user",
                user.id,
                {
                    "before": before,
                    "after": {
                        "roles": user.roles,
                        "district": user.district,
                        "active": user.active,
                    },
                },
            )
        )
    return user


def set_password(kernel: Kernel, actor: Actor, user_id: str, new_password: str) -> User:
    if actor.user_id != user_id:
        require(actor, Capability.MANAGE_USERS)
    problem = password_problem(new_password)
    if problem:
        raise AccountError(_(problem))
    user = kernel.store.get(User, user_id)
    user.password_hash = hash_password(new_password)
    user.session_epoch += 1
    user.failed_logins, user.locked_until = 0, None
    with kernel.store.transaction():
        kernel.store.replace(user)
        kernel.emit(DomainEvent("user.password_changed", actor, "user", user.id))
    return user


class SignInThrottled(LoginRefused):
    """Too many failed sign-ins from one address; the message says how long to wait."""


def authenticate(kernel: Kernel, username: str, password: str, address: str | None) -> User:
    """Check credentials; after repeated failures the account, or the address, waits a while.

    A try is reserved on the address and on the account (compare-and-set on their counters)
    before the password is compared, so parallel guesses cannot compare more than the limits
    allow. Unknown user, wrong password and locked account get the same answer, so the
    answer does not tell which accounts exist; the lock is in the audit trail
    (``auth.locked``) for an administrator.
    """
    try:
        return _authenticate(kernel, username, password, address)
    except (StaleWriteError, DuplicateKeyError):  # contended after every compare-and-set round
        raise LoginRefused(_("Too many sign-ins at the same moment; try again.")) from None


def _authenticate(kernel: Kernel, username: str, password: str, address: str | None) -> User:
    name = username.strip().lower()
    anonymous = Actor(user_id="anonymous", username=name[:40], address=address)
    window, address_blocks = _reserve_address_try(kernel, anonymous)
    failed: list[DomainEvent] = []
    if address_blocks and address:
        minutes = kernel.settings.login_address_window_minutes
        failed.append(
            DomainEvent("auth.address_blocked", anonymous, "address", address, {"minutes": minutes})
        )
    user = kernel.store.find_one(User, {"username": name})
    if user is None:
        verify_password(_DUMMY_HASH, password)  # same work either way: no user enumeration
        reason = {"reason": "unknown user"}
        failed.insert(0, DomainEvent("auth.login_failed", anonymous, "user", "unknown", reason))
        _refuse(kernel, failed)
    actor = actor_for(user, address)
    reserved = _reserve_try(kernel, user.id)
    if reserved is None:
        verify_password(_DUMMY_HASH, password)  # as long as a real check: timing says nothing
        failed.insert(
            0, DomainEvent("auth.login_refused", actor, "user", user.id, {"reason": "locked"})
        )
        _refuse(kernel, failed)
    user, tries, locks = reserved
    if not verify_password(user.password_hash, password):
        data: dict[str, object] = {"failures": tries}
        if locks:
            data["locked_until"] = locks.isoformat()
            failed.append(
                DomainEvent("auth.locked", actor, "user", user.id, {"until": locks.isoformat()})
            )
        failed.insert(0, DomainEvent("auth.login_failed", actor, "user", user.id, data))
        _refuse(kernel, failed)
    _release_address_try(kernel, address, window)
    if not user.active:
        kernel.emit(
            DomainEvent("auth.login_refused", actor, "user", user.id, {"reason": "inactive"})
        )
        raise LoginRefused(_("This account has been deactivated. Ask an administrator."))
    verified_hash = user.password_hash
    second_step = factor_policy.needed(kernel.settings, user)

    def signed_in(fresh: User) -> bool:
        if not second_step:
            fresh.failed_logins, fresh.locked_until = 0, None
            fresh.last_login_at = utc_naive_now()
        elif locks is not None and fresh.locked_until == locks:
            # The right password gives back the try it reserved, but earlier failures stay
            # counted until the code is right: wrong codes lock the account like wrong
            # passwords, and re-entering the password buys no fresh guesses.
            fresh.failed_logins, fresh.locked_until = tries - 1, None
        else:
            fresh.failed_logins = max(fresh.failed_logins - 1, 0)
        if fresh.password_hash == verified_hash and needs_rehash(fresh.password_hash):
            fresh.password_hash = hash_password(password)
        return True

    action = "auth.password_accepted" if second_step else "auth.login"
    return _save_user(kernel, user.id, signed_in, DomainEvent(action, actor, "user", user.id))


def _refuse(kernel: Kernel, events: list[DomainEvent]) -> NoReturn:
    """Audit a failed sign-in and answer with the one message every failure gets."""
    with kernel.store.transaction():
        for event in events:
            kernel.emit(event)
    raise LoginRefused(_("The username or password is not correct."))


def _save_user(
    kernel: Kernel,
    user_id: str,
    change: Callable[[User], bool],
    event: DomainEvent | None = None,
) -> User:
    """``compare_and_set`` on one user (sign-in counters, session epoch)."""
    return compare_and_set(kernel, lambda: kernel.store.get(User, user_id), change, event)


def _reserve_try(kernel: Kernel, user_id: str) -> tuple[User, int, dt.datetime | None] | None:
    """Count one more try on the account before its password is compared; None if locked.

    The try that reaches the limit locks the account at once (a success unlocks it), so
    tries still in flight cannot let more guesses through; the lock expires on its own.
    Returns the user, the tries so far and the lock's end if this try set it.
    """
    settings = kernel.settings
    outcome: list[tuple[int, dt.datetime | None]] = []

    def reserve(user: User) -> bool:
        outcome.clear()
        now = utc_naive_now()
        if user.locked_until and user.locked_until > now:
            return False
        tries, locks = user.failed_logins + 1, None
        user.failed_logins = tries
        if tries >= settings.login_max_failures:
            locks = now + dt.timedelta(minutes=settings.login_lockout_minutes)
            user.failed_logins, user.locked_until = 0, locks
        outcome.append((tries, locks))
        return True

    user = _save_user(kernel, user_id, reserve)
    if not outcome:
        return None
    return user, *outcome[0]


def _address_record(kernel: Kernel, address: str) -> SignInAddress:
    """The address's record, or a new one (version 0) to insert."""
    found = kernel.store.find_one(SignInAddress, {"address": address})
    return found or SignInAddress(address=address, failures=0, window_started=_now_ms())


def _now_ms() -> dt.datetime:
    """Now to the millisecond: what both stores keep, so a re-read compares equal."""
    now = utc_naive_now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _reserve_address_try(kernel: Kernel, actor: Actor) -> tuple[dt.datetime | None, bool]:
    """Count a try from ``actor.address`` before anything is compared; SignInThrottled if that
    address failed too often in the window (over any accounts: password spraying).

    As on the account, the try that reaches the limit blocks the address at once and a
    success gives its try back. Returns the window the try counts in (None: no address)
    and whether this try set the block.
    """
    address = actor.address
    if not address:
        return None, False
    settings = kernel.settings
    window = dt.timedelta(minutes=settings.login_address_window_minutes)
    outcome: list[bool] = []

    def reserve(record: SignInAddress) -> bool:
        outcome.clear()
        now = _now_ms()
        if record.blocked_until and record.blocked_until > now:
            return False
        if record.window_started + window <= now:
            record.failures, record.window_started, record.blocked_until = 0, now, None
        record.failures += 1
        blocks = record.failures >= settings.login_address_max_failures
        if blocks:
            record.blocked_until = now + window
        outcome.append(blocks)
        return True

    record = compare_and_set(kernel, lambda: _address_record(kernel, address), reserve)
    if not outcome:
        assert record.blocked_until is not None
        wait = record.blocked_until - utc_naive_now()
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        kernel.emit(
            DomainEvent(
                "auth.login_refused", actor, "address", address, {"reason": "address blocked"}
            )
        )
        raise SignInThrottled(
            _(
                "Too many failed sign-ins from this computer; try again in %(minutes)d minutes.",
                minutes=minutes,
            )
        )
    return record.window_started, outcome[0]


def _release_address_try(kernel: Kernel, address: str | None, window: dt.datetime | None) -> None:
    """Give back the try a successful sign-in reserved, if its window is still the current
    one: people of one office behind one address do not use up its allowance."""
    if not address or window is None:
        return
    limit = kernel.settings.login_address_max_failures

    def release(record: SignInAddress) -> bool:
        if not record.version or record.window_started != window or record.failures <= 0:
            return False
        record.failures -= 1
        if record.failures < limit:
            record.blocked_until = None
        return True

    compare_and_set(kernel, lambda: _address_record(kernel, address), release)


_DUMMY_HASH = hash_password("not-a-real-password-0")


def sign_out(kernel: Kernel, actor: Actor) -> None:
    """End ``actor``'s sessions: the session epoch moves on, as on a password change, so a
    copy of the session cookie kept from before (a shared computer, a thief) opens nothing.

    Every session of the user ends, not only this browser's: the cookie is signed, not
    stored, so one session cannot be told from another.
    """

    def next_epoch(user: User) -> bool:
        user.session_epoch += 1
        return True

    try:
        _save_user(
            kernel,
            actor.user_id,
            next_epoch,
            DomainEvent("auth.logout", actor, "user", actor.user_id),
        )
    except NotFoundError:
        kernel.emit(DomainEvent("auth.logout", actor, "user", actor.user_id))


def record_access_denied(kernel: Kernel, actor: Actor, path: str, method: str, reason: str) -> None:
    """Record a refused request (the web's 403), once for every route."""
    kernel.emit(
        DomainEvent(
            "access.denied",
            actor,
            "path",
            path,
            {"method": method, "reason": reason},
            changes_state=False,
        )
    )


def require_user_admin(actor: Actor) -> None:
    """Users, districts and integrations are managed by those who may manage users."""
    require(actor, Capability.MANAGE_USERS)


def list_users(
    kernel: Kernel, actor: Actor, *, role: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[User], int]:
    """One page of users by username, only those holding ``role`` if it is a known role;
    and how many there are in all."""
    require_user_admin(actor)
    flt = {"roles": role} if role in Role._value2member_map_ else {}
    total = kernel.store.count(User, flt)
    rows = kernel.store.find(
        User, flt, sort=[("username", 1)], skip=(max(page, 1) - 1) * per_page, limit=per_page
    )
    return rows, total


def user_for_admin(kernel: Kernel, actor: Actor, user_id: str) -> User:
    """A user's record for the administrator's form (``NotFoundError`` if there is none)."""
    require_user_admin(actor)
    return kernel.store.get(User, user_id)


def list_districts(kernel: Kernel) -> list[District]:
    """Every district by name (their names label search facets for every user)."""
    return kernel.store.find(District, sort=[("name", 1)])


def districts_for_admin(kernel: Kernel, actor: Actor) -> list[District]:
    """The districts a user or an integration can be placed in, for the admin forms."""
    require_user_admin(actor)
    return list_districts(kernel)


def get_user(kernel: Kernel, user_id: str) -> User | None:
    try:
        return kernel.store.get(User, user_id)
    except NotFoundError:
        return None


def create_district(
    kernel: Kernel, actor: Actor, code: str, name: str, name_ur: str | None = None
) -> District:
    require(actor, Capability.MANAGE_USERS)
    district = District(code=code.strip().upper(), name=name.strip(), name_ur=name_ur)
    try:
        with kernel.store.transaction():
            kernel.store.insert(district)
            kernel.emit(
                DomainEvent(
                    "district.created",
                    actor,
                    "district",
                    district.id,
                    {"code": district.code, "name": district.name},
                )
            )
    except DuplicateKeyError:
        raise AccountError(
            _("A district with the code %(code)s already exists.", code=district.code)
        ) from None
    return district


def change_own_password(kernel: Kernel, actor: Actor, current: str, new_password: str) -> User:
    """A user changes their own password; the current one must be given."""
    user = kernel.store.get(User, actor.user_id)
    if not verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not correct."))
    if current == new_password:
        raise AccountError(_("Choose a password different from the current one."))
    return set_password(kernel, actor, user.id, new_password)


def set_language(kernel: Kernel, actor: Actor, language: str) -> User:
    """Save the actor's interface language, which each sign-in starts with."""
    if language not in ("en", "ur"):
        raise AccountError(_("Choose English or Urdu."))
    user = kernel.store.get(User, actor.user_id)
    user.language = language
    with kernel.store.transaction():
        kernel.store.replace(user)
        kernel.emit(
            DomainEvent("user.language_changed", actor, "user", user.id, {"language": language})
        )
    return user
