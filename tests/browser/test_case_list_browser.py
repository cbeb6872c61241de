"""The case list in Chromium: filter with the keyboard, save the filter, apply it again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_browser_flows import sign_in

pytestmark = pytest.mark.browser


def test_filter_the_case_list_and_save_the_filter(page: Page, live_server: str) -> None:
    sign_in(page, "dpp.south")
    page.goto("/cases/")
    rows = page.locator("table.case-list tbody tr")
    expect(rows).to_have_count(3)
    # Keyboard only: pick a police station (its count is shown) and submit with Enter.
    station = page.get_by_label("Police station")
    expect(station.locator("option", has_text="Boat Basin (1)")).to_have_count(1)
    station.select_option(label="Boat Basin (1)")
    page.get_by_label("Search").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"police_station=Boat\+Basin"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("FIR 77/2025 PS Boat Basin")

    page.get_by_label("Save these filters as").fill("Boat Basin cases")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Filter “Boat Basin cases” saved.")).to_be_visible()

    page.goto("/cases/")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Boat Basin cases").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Boat Basin")
