"""Sessions over HTTP: signing out ends the session, even for a copy of its cookie."""

from __future__ import annotations

import re


def test_cookie_saved_before_sign_out_no_longer_opens_cases(browser) -> None:
    b = browser()
    b.login("pp.rahim")
    listing = b.get("/cases/")
    assert listing.status_code == 200
    case_url = re.search(rb'href="(/cases/[0-9a-f]{8,})"', listing.data).group(1).decode()
    assert b.get(case_url).status_code == 200
    saved = b.client.get_cookie("session").value  # what a thief or a shared computer keeps

    assert b.post("/logout", {}, form_url="/").status_code == 302
    b.client.set_cookie("session", saved)  # replay the cookie from before signing out
    for url in (case_url, "/cases/"):
        response = b.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_locked_account_gets_the_wrong_password_message(browser) -> None:
    b = browser()
    for _ in range(5):
        assert b.login("pp.sana", "wrong-password").status_code == 401
    response = b.login("pp.sana")
    assert response.status_code == 401
    assert b"The username or password is not correct." in response.data
    assert b"locked" not in response.data


def test_one_computer_spraying_passwords_is_told_to_wait(app, browser) -> None:
    kernel = app.extensions["mizan"]
    limit = kernel.settings.login_address_max_failures
    b = browser()
    for n in range(limit):
        assert b.login(f"no.such.user{n}", "Spring-2025!").status_code == 401
    response = b.login("pp.sana")  # even the right password waits
    assert response.status_code == 429
    minutes = kernel.settings.login_address_window_minutes
    message = f"Too many failed sign-ins from this computer; try again in {minutes} minutes."
    assert message.encode() in response.data
