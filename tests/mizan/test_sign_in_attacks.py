"""Sign-in under attack: parallel guessing, locked-account probing, password spraying."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from mizan.accounts import service
from mizan.accounts.models import User
from mizan.accounts.service import LoginRefused, authenticate
from mizan.audit import AuditEntry
from tests.conftest import DEMO_PASSWORD


def test_parallel_wrong_passwords_check_at_most_the_limit(demo, monkeypatch) -> None:
    """20 guesses at once on a real SQLite store: no StaleWriteError, no more than LIMIT
    passwords compared with the account's hash, the account locked afterwards."""
    limit = demo.settings.login_max_failures
    user_hash = demo.store.find_one(User, {"username": "pp.sana"}).password_hash
    real_verify = service.verify_password
    checks: list[bool] = []
    lock = threading.Lock()

    def counting_verify(stored: str, password: str) -> bool:
        result = real_verify(stored, password)
        if stored == user_hash:
            with lock:
                checks.append(result)
        return result

    monkeypatch.setattr(service, "verify_password", counting_verify)
    start = threading.Barrier(20)
    outcomes: list[BaseException | None] = []

    def guess() -> None:
        start.wait()
        try:
            authenticate(demo, "pp.sana", "wrong-password", None)
        except BaseException as exc:  # everything must be a LoginRefused, counted below
            outcomes.append(exc)
        else:
            outcomes.append(None)

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 20
    assert all(isinstance(o, LoginRefused) for o in outcomes), outcomes
    assert 0 < len(checks) <= limit and not any(checks)
    failed = demo.store.count(AuditEntry, {"action": "auth.login_failed", "actor_name": "pp.sana"})
    assert failed == len(checks)
    checks.clear()
    with pytest.raises(LoginRefused):
        authenticate(demo, "pp.sana", DEMO_PASSWORD, None)
    assert checks == []  # locked: the right password is not even compared


def _lock(demo, username: str) -> None:
    for _ in range(demo.settings.login_max_failures):
        with pytest.raises(LoginRefused):
            authenticate(demo, username, "wrong-password", None)


def test_a_locked_account_answers_like_a_wrong_password(demo) -> None:
    """Nobody learns from the answer that an account exists; the lock is in the audit trail."""
    with pytest.raises(LoginRefused) as unknown:
        authenticate(demo, "nobody.here", "whatever-123", None)
    _lock(demo, "pp.sana")
    with pytest.raises(LoginRefused) as locked:
        authenticate(demo, "pp.sana", DEMO_PASSWORD, None)
    assert str(locked.value) == str(unknown.value) == "The username or password is not correct."
    locks = demo.store.find(AuditEntry, {"action": "auth.locked"})
    assert [entry.actor_name for entry in locks] == ["pp.sana"]


@pytest.fixture
def strict(demo):
    """The demo with a throttle of 3 failed sign-ins per address in 10 minutes."""
    from dataclasses import replace

    demo.settings = replace(
        demo.settings, login_address_max_failures=3, login_address_window_minutes=10
    )
    return demo


def test_one_address_spraying_many_accounts_is_throttled(strict, frozen_clock, monkeypatch):
    checks: list[str] = []
    real_verify = service.verify_password

    def counting_verify(stored: str, password: str) -> bool:
        checks.append(stored)
        return real_verify(stored, password)

    monkeypatch.setattr(service, "verify_password", counting_verify)
    for username in ("pp.sana", "pp.rahim", "nobody.at.all"):
        with pytest.raises(LoginRefused, match="not correct"):
            authenticate(strict, username, "Spring-2025!", "10.9.9.9")
    checks.clear()
    with pytest.raises(LoginRefused) as throttled:
        authenticate(strict, "clerk.south", DEMO_PASSWORD, "10.9.9.9")
    assert str(throttled.value) == (
        "Too many failed sign-ins from this computer; try again in 10 minutes."
    )
    assert checks == []  # refused before any password is compared
    assert strict.store.count(AuditEntry, {"action": "auth.address_blocked"}) == 1
    # Another computer is not affected, and the accounts were not locked by the spray.
    assert authenticate(strict, "pp.sana", DEMO_PASSWORD, "10.9.9.10").username == "pp.sana"
    frozen_clock.advance(dt.timedelta(minutes=4))
    with pytest.raises(LoginRefused, match="try again in 6 minutes"):
        authenticate(strict, "clerk.south", DEMO_PASSWORD, "10.9.9.9")
    frozen_clock.advance(dt.timedelta(minutes=7))
    assert authenticate(strict, "clerk.south", DEMO_PASSWORD, "10.9.9.9").username


def test_successful_sign_ins_do_not_count_against_the_address(strict) -> None:
    """An office behind one address: its people signing in do not use up the allowance."""
    for _ in range(5):
        authenticate(strict, "pp.sana", DEMO_PASSWORD, "10.9.9.9")
    for _ in range(2):
        with pytest.raises(LoginRefused, match="not correct"):
            authenticate(strict, "pp.rahim", "wrong-password", "10.9.9.9")
    assert authenticate(strict, "pp.rahim", DEMO_PASSWORD, "10.9.9.9").username == "pp.rahim"
