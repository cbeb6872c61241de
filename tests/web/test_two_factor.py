"""Two-step sign-in over HTTP: set-up at first sign-in, codes, recovery codes, lockout."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from mizan import clock
from mizan.accounts import totp
from mizan.accounts.models import User
from mizan.sealing import Sealer
from tests.conftest import csrf_token, make_settings


@pytest.fixture
def settings(tmp_path: Path):
    """The product's default: administrators, DPPs and the PG use an authenticator."""
    return make_settings(
        tmp_path / "data",
        MIZAN_TWO_FACTOR_ROLES="admin,district_public_prosecutor,prosecutor_general",
    )


def _post_code(b, code: str):
    page = b.get("/login/code")
    return b.client.post("/login/code", data={"code": code, "csrf_token": csrf_token(page.data)})


def _now_code(secret: str, steps_ahead: int = 0) -> str:
    """The code of the server's clock (``mizan.clock``, which a test may stop)."""
    return totp.code_for_step(secret, totp.step_at(clock.now().timestamp()) + steps_ahead)


def _set_up(b, username: str) -> tuple[str, list[str]]:
    """Sign in the first time: read the key from the set-up page, answer with its code."""
    assert b.login(username).headers["Location"].endswith("/login/code")
    page = b.get("/login/code").data.decode()
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'class="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    done = _post_code(b, _now_code(secret))
    assert done.status_code == 200, done.data
    codes = re.findall(r"<li><code>([a-z2-9-]{14})</code></li>", done.data.decode())
    return secret, codes


def test_a_pg_sets_up_the_authenticator_then_needs_a_code(app, browser, frozen_clock) -> None:
    # The clock is stopped: "the code just used" must not become the next step's code
    # because 30 seconds happened to pass between two lines.
    b = browser()
    response = b.login("pg.sindh")
    assert response.status_code == 302 and "/login/code" in response.headers["Location"]
    assert b.get("/cases/").status_code == 302  # nothing opens before the second step

    b = browser()
    secret, codes = _set_up(b, "pg.sindh")
    assert len(codes) == 10
    assert b.get("/cases/").status_code == 200  # signed in after setting it up
    kernel = app.extensions["mizan"]
    stored = kernel.store.find_one(User, {"username": "pg.sindh"})
    assert secret not in (stored.totp_secret or "")  # sealed at rest
    assert Sealer.from_settings(kernel.settings).open(stored.totp_secret) == secret
    assert not any(c in str(stored.recovery_hashes) for c in codes)

    # Next time: password, then a fresh code; the code just used does not work again.
    again = browser()
    again.login("pg.sindh")
    assert _post_code(again, _now_code(secret)).status_code == 401
    assert _post_code(again, _now_code(secret, 1)).status_code == 302
    assert again.get("/cases/").status_code == 200

    # A recovery code works once.
    other = browser()
    other.login("pg.sindh")
    assert _post_code(other, codes[0].upper()).status_code == 302
    last = browser()
    last.login("pg.sindh")
    assert _post_code(last, codes[0]).status_code == 401


def test_wrong_codes_lock_the_account_and_the_password_buys_no_new_guesses(app, browser) -> None:
    b = browser()
    _set_up(b, "dpp.south")
    guesser = browser()
    limit = app.extensions["mizan"].settings.login_max_failures
    for attempt in range(limit):
        # The right password each time, then a wrong code: without the rule, each right
        # password would clear the count and the guessing would never stop.
        assert guesser.login("dpp.south").status_code == 302, attempt
        assert _post_code(guesser, "000000").status_code == 401, attempt
    # Locked like after wrong passwords: even the right password (and code) waits now.
    kernel = app.extensions["mizan"]
    assert kernel.store.find_one(User, {"username": "dpp.south"}).locked_until is not None
    assert guesser.login("dpp.south").status_code == 401
    assert guesser.get("/login/code").headers["Location"].endswith("/login")


def test_roles_outside_the_setting_sign_in_with_a_password(browser) -> None:
    b = browser()
    response = b.login("pp.rahim")
    assert response.status_code == 302 and "/login/code" not in response.headers["Location"]
    assert b.get("/cases/").status_code == 200


def test_a_stale_or_forged_second_step_starts_over(browser) -> None:
    b = browser()
    response = b.get("/login/code")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    b.login("admin")
    with b.client.session_transaction() as session:
        session["pending"] = {**session["pending"], "at": time.time() - 600}  # 10 min ago
    response = b.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_admin_resets_a_lost_authenticator(app, browser) -> None:
    b = browser()
    _set_up(b, "dpp.south")
    admin = browser()
    _set_up(admin, "admin")
    kernel = app.extensions["mizan"]
    dpp = kernel.store.find_one(User, {"username": "dpp.south"})
    page = admin.get(f"/admin/users/{dpp.id}")
    assert b"Reset two-step sign-in" in page.data
    response = admin.client.post(
        f"/admin/users/{dpp.id}/two-factor/reset", data={"csrf_token": csrf_token(page.data)}
    )
    assert response.status_code == 302
    assert kernel.store.get(User, dpp.id).totp_secret is None
    assert b.get("/cases/").status_code == 302  # the DPP's session ended
    fresh = browser()
    assert fresh.login("dpp.south").headers["Location"].endswith("/login/code")
    assert b"Set up two-step sign-in" in fresh.get("/login/code").data


def test_anyone_may_turn_it_on_from_their_settings(app, browser) -> None:
    b = browser()
    b.login("pp.rahim")
    page = b.get("/account/two-factor").data.decode()
    secret = re.search(r'class="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    wrong = b.client.post("/account/two-factor", data={"code": "123456",
                          "csrf_token": csrf_token(page)})  # fmt: skip
    assert wrong.status_code == 400 and b"That code is not right" in wrong.data
    done = b.client.post("/account/two-factor", data={"code": _now_code(secret),
                         "csrf_token": csrf_token(page)})  # fmt: skip
    assert done.status_code == 200 and b"Keep these recovery codes" in done.data
    assert b"Recovery codes left: 10." in b.get("/account/").data
    later = browser()
    assert later.login("pp.rahim").headers["Location"].endswith("/login/code")
