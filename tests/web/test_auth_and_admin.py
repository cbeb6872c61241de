"""Sign-in, CSRF, session cookies, security headers and the admin pages, over HTTP."""

from __future__ import annotations

import re

from mizan.accounts.models import User
from mizan.audit import AuditEntry
from tests.conftest import csrf_token


def test_pages_need_sign_in(app) -> None:
    client = app.test_client()
    for url in ("/", "/cases/", "/search/?q=x", "/jobs/", "/admin/users"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_page_names_an_icon_that_is_served(app) -> None:
    """Without one, each browser's first visit asks for /favicon.ico and logs a 404."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', html)
    assert icon, "the sign-in page names no icon"
    served = client.get(icon.group(1))
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"


def test_login_form_requires_csrf_token(app) -> None:
    client = app.test_client()
    response = client.post("/login", data={"username": "admin", "password": "mizan-demo-2026"})
    assert response.status_code == 400
    assert b"Form expired" in response.data


def test_login_sets_hardened_session_cookie_and_headers(app) -> None:
    client = app.test_client()
    page = client.get("/login")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    response = client.post(
        "/login",
        data={
            "username": "admin",
            "password": "mizan-demo-2026",
            "csrf_token": csrf_token(page.data),
        },
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_is_refused_with_a_message(browser) -> None:
    response = browser().login("admin", "not-the-password")
    assert response.status_code == 401
    assert b"The username or password is not correct." in response.data


def test_logout_needs_post_and_ends_the_session(browser) -> None:
    b = browser()
    b.login("admin")
    assert b.get("/logout").status_code == 405
    assert b.post("/logout", {}, form_url="/").status_code == 302
    assert b.get("/").status_code == 302


def test_only_admins_reach_user_management(browser) -> None:
    for username in ("pg.sindh", "dpp.south", "pp.rahim", "clerk.south", "trainer"):
        b = browser()
        b.login(username)
        assert b.get("/admin/users").status_code == 403, username
    b = browser()
    b.login("admin")
    assert b.get("/admin/users").status_code == 200


def test_admin_creates_user_who_can_then_sign_in(app, browser) -> None:
    admin = browser()
    admin.login("admin")
    response = admin.post(
        "/admin/users/new",
        {
            "username": "clerk.east",
            "full_name": "Zainab Shah",
            "password": "clerk-pass-2026",
            "roles": ["clerk"],
            "district": "KHI-E",
        },
    )
    assert response.status_code == 302
    kernel = app.extensions["mizan"]
    created = kernel.store.find_one(User, {"username": "clerk.east"})
    assert created.roles == ["clerk"] and created.district == "KHI-E"
    assert (
        kernel.store.find_one(
            AuditEntry, {"action": "user.created", "subject_id": created.id}
        ).actor_name
        == "admin"
    )
    assert browser().login("clerk.east", "clerk-pass-2026").status_code == 302


def test_admin_form_errors_are_shown_not_lost(browser) -> None:
    admin = browser()
    admin.login("admin")
    response = admin.post(
        "/admin/users/new",
        {
            "username": "pp.rahim",
            "full_name": "Someone Else",
            "password": "another-pass-1",
            "roles": ["prosecutor"],
            "district": "KHI-S",
        },
    )
    assert response.status_code == 400
    assert b"already taken" in response.data and b"Someone Else" in response.data


def test_stale_user_edit_is_refused_with_a_message(app, browser) -> None:
    kernel = app.extensions["mizan"]
    user = kernel.store.find_one(User, {"username": "pp.hyd"})
    admin = browser()
    admin.login("admin")
    form = {
        "full_name": "Imran Qureshi",
        "roles": ["prosecutor"],
        "district": "HYD",
        "active": "y",
        "version": str(user.version),
    }
    url = f"/admin/users/{user.id}"
    assert admin.post(url, {**form, "full_name": "First Edit"}).status_code == 302
    response = admin.post(url, {**form, "full_name": "Second Edit"})
    assert response.status_code == 409
    assert b"changed by someone else" in response.data
    assert kernel.store.get(User, user.id).full_name == "First Edit"


def test_role_change_signs_the_user_out(app, browser) -> None:
    kernel = app.extensions["mizan"]
    victim = browser()
    victim.login("pp.hyd")
    assert victim.get("/cases/").status_code == 200
    user = kernel.store.find_one(User, {"username": "pp.hyd"})
    admin = browser()
    admin.login("admin")
    admin.post(
        f"/admin/users/{user.id}",
        {
            "full_name": user.full_name,
            "roles": ["trainer"],
            "district": "",
            "active": "y",
            "version": str(user.version),
        },
    )
    assert victim.get("/cases/").status_code == 302


def test_audit_page_for_admin_and_prosecutor_general_only(browser) -> None:
    pg = browser()
    pg.login("pg.sindh")
    page = pg.get("/admin/audit?action=auth.login")
    assert page.status_code == 200 and b"auth.login" in page.data
    clerk = browser()
    clerk.login("clerk.south")
    assert clerk.get("/admin/audit").status_code == 403


def test_healthz_reports_each_component(app, browser) -> None:
    public = app.test_client().get("/healthz").get_json()
    assert set(public["components"]) == {"store", "index", "vectors", "broker", "ocr"}
    admin = browser()
    admin.login("admin")
    body = admin.get("/healthz?detail=1").get_json()  # the figures are for administrators
    assert set(body["components"]) == {"store", "index", "vectors", "broker", "ocr"}
    assert body["components"]["store"]["up"] is True
    assert body["components"]["index"]["up"] is True
    vectors = body["components"]["vectors"]
    assert vectors["up"] is True and vectors["vectors"] == 0  # a fresh installation
    assert isinstance(vectors["model_loaded"], bool)  # one model per process: order-dependent
    assert body["components"]["broker"]["up"] is True
    assert body["status"] == "ok"


def test_client_address_from_trusted_proxy_is_audited(demo) -> None:
    from dataclasses import replace

    from web import create_app

    settings = replace(demo.settings, trusted_proxies=1)
    client = create_app(settings, kernel=demo).test_client()
    page = client.get("/login")
    client.post(
        "/login",
        data={
            "username": "admin",
            "password": "mizan-demo-2026",
            "csrf_token": csrf_token(page.data),
        },
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    entry = demo.store.find_one(AuditEntry, {"action": "auth.login", "actor_name": "admin"})
    assert entry.address == "203.0.113.7"


def test_user_sets_language_and_changes_password(app, browser) -> None:
    b = browser()
    b.login("pp.sana")
    assert (
        b.post("/account/language", {"lang-language": "ur"}, form_url="/account/").status_code
        == 302
    )
    page = b.get("/").data.decode()
    assert 'dir="rtl"' in page
    wrong = b.post(
        "/account/password",
        {"pw-current": "wrong-one-123", "pw-new": "new-pass-2026"},
        form_url="/account/",
    )
    assert wrong.status_code == 400
    good = b.post(
        "/account/password",
        {"pw-current": "mizan-demo-2026", "pw-new": "new-pass-2026"},
        form_url="/account/",
    )
    assert good.status_code == 302
    assert b.get("/").status_code == 200  # this session stays signed in
    fresh = browser()
    assert fresh.login("pp.sana", "new-pass-2026").status_code == 302
    assert 'dir="rtl"' in fresh.get("/").data.decode()  # the preference follows the user
