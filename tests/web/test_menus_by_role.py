"""Each role's menu offers what the role can use: every link shown answers 200 for it, and
nothing is shown that would be empty by construction (a trainer has no cases)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Browser

CASES, HEARINGS, PEOPLE = "/cases/", "/hearings/", "/persons/"
DEADLINES, MATTERS, DASHBOARD = "/deadlines/", "/matters/mine", "/dashboard/"
SEARCH, LIBRARY, PRECEDENTS, JOBS = "/search/", "/library/", "/precedents/", "/jobs/"
USERS, INTEGRATIONS, HOLIDAYS = "/admin/users", "/admin/integrations", "/admin/holidays/"
AUDIT, HEALTH = "/admin/audit", "/admin/health"
WEBHOOKS = "/admin/webhooks"
LETTER_TEMPLATES = "/admin/letter-templates"
REPORTS = "/reports/"
LEARNING = "/learning/"

CASE_WORK = {CASES, HEARINGS, PEOPLE, SEARCH, LIBRARY, PRECEDENTS, JOBS, LEARNING}
MENUS = {
    # role → (demo username, the menu's links); the learning pages have their own menu
    "admin": (
        "admin",
        {LIBRARY, JOBS, USERS, INTEGRATIONS, WEBHOOKS, HOLIDAYS, LETTER_TEMPLATES, AUDIT, HEALTH},
    ),
    "prosecutor_general": ("pg.sindh", CASE_WORK | {DEADLINES, DASHBOARD, REPORTS, AUDIT}),
    "district_public_prosecutor": ("dpp.south", CASE_WORK | {DEADLINES, DASHBOARD, REPORTS}),
    "prosecutor": ("pp.rahim", CASE_WORK | {DEADLINES, MATTERS, REPORTS}),
    "clerk": ("clerk.south", CASE_WORK),
    "trainer": ("trainer", {SEARCH, LIBRARY, PRECEDENTS, LEARNING}),
    "supervisor": ("supervisor", CASE_WORK | {DEADLINES, DASHBOARD, REPORTS}),
}


def menu_links(html: str) -> set[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav, "no main menu"
    return set(re.findall(r'href="([^"]+)"', nav.group(1)))


@pytest.mark.parametrize("role", sorted(MENUS))
def test_menu_shows_what_the_role_can_use(app, role: str) -> None:
    username, expected = MENUS[role]
    b = Browser(app)
    b.login(username)
    links = menu_links(b.get("/").get_data(as_text=True))
    assert links == expected
    for link in sorted(links):
        response = b.get(link, follow_redirects=True)
        assert response.status_code == 200, f"{role}: {link} answers {response.status_code}"


@pytest.mark.parametrize("username", ["trainer", "admin"])
def test_home_without_cases_shows_what_the_role_can_do(app, username: str) -> None:
    b = Browser(app)
    b.login(username)
    html = b.get("/").get_data(as_text=True)
    assert "Your cases" not in html
    main = html.split('<main id="main">', 1)[1]
    assert 'href="/library/"' in main
    if username == "trainer":
        assert 'action="/search/"' in main
    else:
        assert 'href="/admin/users"' in main
        assert 'href="/admin/audit"' in main


def test_home_with_cases_still_lists_them(app) -> None:
    b = Browser(app)
    b.login("clerk.south")
    assert "Your cases" in b.get("/").get_data(as_text=True)


def test_learning_pages_have_their_own_menu_by_role(app) -> None:
    def learning_menu(username: str) -> set[str]:
        b = Browser(app)
        b.login(username)
        html = b.get("/learning/").get_data(as_text=True)
        nav = re.search(r'<nav class="subnav" aria-label="Learning">(.*?)</nav>', html, re.S)
        assert nav, f"no learning menu for {username}"
        return set(re.findall(r'href="([^"]+)"', nav.group(1)))

    shared = {"/learning/", "/learning/paths", "/learning/case-studies/"}
    mine = {"/learning/record", "/learning/certificates"}
    assert learning_menu("pp.rahim") == shared | mine
    assert learning_menu("trainer") == shared | {
        "/learning/assign",
        "/learning/progress",
        "/learning/quiz/grading",
    }
    assert learning_menu("dpp.south") == shared | mine | {"/learning/assign", "/learning/progress"}
    assert "subnav" not in Browser(app).get("/login").get_data(as_text=True)
