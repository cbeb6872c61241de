"""Real browser flows through Chromium against the live test server.

Each test signs in through the login form like a person would and asserts what the
page then shows: the start page, live progress bars, the Urdu right-to-left layout,
user administration and form errors that keep what was typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DEMO_PASSWORD, render_scan

pytestmark = pytest.mark.browser


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def field(page: Page, name: str):
    """The .field wrapper around the input named ``name`` (label, input and its errors)."""
    return page.locator(".field", has=page.locator(f"[name='{name}']"))


def test_keyboard_only_login_lands_on_the_start_page(page: Page, live_server: str) -> None:
    page.goto("/login")
    # The username field has focus on arrival; no mouse needed from here on.
    expect(page.locator("input[name='username']")).to_be_focused()
    page.keyboard.type("clerk.south")
    page.keyboard.press("Tab")
    expect(page.locator("input[name='password']")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ghulam Mustafa (Clerk)")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Cases")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_shows_the_error_and_stays_on_login(page: Page, live_server: str) -> None:
    page.goto("/login")
    expect(page.locator("input[name='username']")).to_be_focused()
    page.keyboard.type("clerk.south")
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text("The username or password is not correct.")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Mizan")
    expect(page.get_by_label("Username")).to_have_value("clerk.south")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_clerk_opens_a_case_uploads_a_scan_and_watches_it_finish(
    page: Page, live_server: str, celery_worker: object, tmp_path: Path
) -> None:
    sign_in(page, "clerk.south")
    page.get_by_role("link", name="Open a new case").click()
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    expect(page.get_by_label("District")).to_have_value("KHI-S")
    page.get_by_label("Police station").fill("Saddar")
    page.get_by_label("FIR number").fill("45")
    page.get_by_label("FIR year").fill("2025")
    page.get_by_label("Short title").fill("State v. Rasheed")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/[^/]+$"))
    expect(page.get_by_role("status")).to_contain_text("opened")
    expect(page.get_by_role("heading", level=1)).to_contain_text("45/2025")
    case_url = page.url

    scan = render_scan(
        "Statement under section 161 CrPC\nThe accused Rasheed was seen near the godown",
        tmp_path / "scan.png",
    )
    page.locator("input[type='file'][name='file']").set_input_files(str(scan))
    page.get_by_label("Title").fill("Witness statement")
    page.get_by_role("button", name="Upload").click()

    expect(page).to_have_url(case_url)
    expect(page.get_by_role("status")).to_contain_text("is being read")
    row = page.locator("tr", has=page.get_by_role("link", name="Witness statement"))
    expect(row).to_have_count(1)
    job = row.locator(".job")
    # As served, the bar is still polling (the script's first poll is a second away).
    assert job.get_attribute("data-poll"), "the progress bar was not served as a live one"
    assert "Done" not in job.inner_text()

    page.evaluate("window.__notReloaded = true")
    expect(row.locator(".stage")).to_contain_text("Done", timeout=60_000)
    expect(row.locator(".stage")).to_contain_text("1 of 1 pages")
    expect(row.locator("progress")).to_have_attribute("value", "100")
    expect(job).not_to_have_attribute("data-poll", re.compile(".*"))
    assert page.evaluate("window.__notReloaded === true"), "the page reloaded instead of polling"
    assert page.url == case_url


def test_urdu_switch_turns_the_page_right_to_left(page: Page) -> None:
    sign_in(page, "pp.rahim")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")
    brand = page.locator(".brand")
    assert brand.bounding_box()["x"] < 640

    page.get_by_role("link", name="اردو").click()

    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ur")
    nav = page.locator("header nav")
    expect(nav).to_contain_text("مقدمات")  # Cases
    expect(nav).to_contain_text("تلاش")  # Search
    expect(nav).not_to_contain_text("Cases")
    expect(brand).to_contain_text("میزان")
    box = brand.bounding_box()
    assert box is not None and box["x"] > 640, f"the brand is not on the right: {box}"
    # The way back is offered in English, and the choice sticks across pages.
    expect(page.get_by_role("link", name="English")).to_be_visible()
    nav.locator("a").first.click()
    expect(html).to_have_attribute("dir", "rtl")


def test_admin_creates_a_user_who_can_then_sign_in(page: Page) -> None:
    sign_in(page, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Users")
    page.get_by_role("link", name="Add a user").click()

    page.get_by_label("Username").fill("pp.kamran")
    page.get_by_label("Full name").fill("Kamran Shaikh")
    page.get_by_label("Initial password").fill("a-long-enough-secret")
    page.get_by_role("checkbox", name="Prosecutor", exact=True).check()
    page.get_by_label("District", exact=True).select_option(label="Karachi South (KHI-S)")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("User pp.kamran created.")
    row = page.locator("tr", has=page.get_by_role("link", name="pp.kamran"))
    expect(row).to_contain_text("Kamran Shaikh")
    expect(row).to_contain_text("Prosecutor")
    expect(row).to_contain_text("KHI-S")
    expect(row).to_contain_text("Active")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("Username").fill("pp.kamran")
    page.get_by_label("Password").fill("a-long-enough-secret")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Kamran Shaikh")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Users")


def test_case_form_errors_sit_next_to_the_field_and_keep_what_was_typed(page: Page) -> None:
    sign_in(page, "clerk.south")
    page.goto("/cases/new")
    page.get_by_label("FIR number").fill("0")
    page.get_by_label("FIR year").fill("2025")
    page.get_by_label("Short title").fill("State v. Kept Values")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/new$"))
    station = field(page, "police_station")
    expect(station).to_have_class(re.compile(r"\bhas-error\b"))
    expect(station.locator(".error")).to_have_text(re.compile(r"police station", re.IGNORECASE))
    expect(page.get_by_label("Police station")).to_have_attribute("aria-invalid", "true")
    number = field(page, "fir_number")
    expect(number).to_have_class(re.compile(r"\bhas-error\b"))
    expect(number.locator(".error")).to_be_visible()
    expect(number.locator(".error")).to_contain_text("99999")
    # Everything else typed is still there; nothing was created.
    expect(page.get_by_label("FIR number")).to_have_value("0")
    expect(page.get_by_label("FIR year")).to_have_value("2025")
    expect(page.get_by_label("Short title")).to_have_value("State v. Kept Values")
    expect(page.get_by_label("District")).to_have_value("KHI-S")
    expect(field(page, "fir_year").locator(".error")).to_have_count(0)
    expect(field(page, "title").locator(".error")).to_have_count(0)
