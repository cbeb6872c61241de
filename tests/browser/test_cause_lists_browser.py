"""A clerk imports a court's cause list in real Chromium: the worker reads it while the page
shows progress, the page turns into the review, the clerk accepts the sure rows, matches an
unmatched row by hand and accepts it; the case's coming hearing has moved to the list's date."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from app.demo import seed_demo_details
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import Hearing, NewHearing
from casefiles.models import Case
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import pakistan_moment, pakistan_today
from tests.browser.test_browser_flows import sign_in
from tests.data.make_cause_lists import Listing, atc_list

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real worker reads the list

COURT = "ATC-XII Karachi"
DAY = pakistan_today() + dt.timedelta(days=6)
LISTINGS = [
    Listing("Special Case No. 5 of 2024", "The State v. Muhammad Aslam", 189, 2024,
            "Artillery Maidan", "Evidence"),
    Listing("Special Case No. 6 of 2025", "The State v. Shahid alias Shoda", 77, 2025,
            "Boat Basin", "Bail"),
    Listing("Special Case No. 9 of 2025", "The State v. Nobody Known", None, None, "", "Bail"),
]  # fmt: skip


def test_clerk_imports_a_cause_list_and_accepts_its_matches(
    app, celery_worker, page: Page, tmp_path
) -> None:
    kernel = app.extensions["mizan"]
    seed_demo_details(kernel)
    clerk = actor_for(kernel.store.find_one(User, {"username": "clerk.south"}))
    aslam = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    darakhshan = kernel.store.find_one(Case, {"fir.police_station": "Darakhshan"})
    # The case was due in this court in two days; the court's list names another date.
    earlier = schedule_hearing(
        kernel,
        clerk,
        aslam.id,
        NewHearing(pakistan_moment(DAY - dt.timedelta(days=4), dt.time(10)), COURT, "charge"),
        override_clash=True,
    )
    listing = tmp_path / "atc-12.pdf"
    listing.write_bytes(atc_list(COURT, DAY, LISTINGS))

    sign_in(page, "clerk.south")
    page.goto("/cause-lists/")
    page.get_by_label("Cause list (PDF or scanned page)").set_input_files(str(listing))
    page.get_by_role("button", name="Read the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading the cause list")
    # The worker reads it; the page reloads itself into the review.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"Cause list: {COURT}", timeout=60_000)
    page.get_by_role("button", name="Accept all 2 sure rows").click()
    expect(page.locator(".flash-success")).to_contain_text("2 sure rows accepted")

    moved = kernel.store.get(Hearing, earlier.id)
    assert moved.local_starts_at.date() == DAY and moved.purpose == "evidence"

    # Row 3 names nobody Mizan knows: the clerk finds the case by its FIR and accepts it.
    row = page.locator("#unmatched tr[data-row='3']")
    row.get_by_role("link", name="Find the case").click()
    page.get_by_label("FIR number (189/2024), court case number").fill("12/2025")
    page.get_by_role("button", name="Search").click()
    page.locator(f"tr[data-case='{darakhshan.id}']").get_by_role(
        "button", name="This is the case"
    ).click()
    expect(page.locator(".flash-success")).to_contain_text("Row 3 is matched to")
    page.locator("#likely tr[data-row='3']").get_by_role("button", name="Accept").click()
    expect(page.locator(".flash-success")).to_contain_text("Row 3 accepted.")
    hearing = kernel.store.find_one(Hearing, {"case_id": darakhshan.id, "court": COURT})
    assert hearing is not None and hearing.local_starts_at.date() == DAY
