"""Sign-in under attack: parallel guessing, locked-account probing, password spraying."""

from __future__ import annotations

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
