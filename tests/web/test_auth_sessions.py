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
