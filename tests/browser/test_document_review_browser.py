"""The document page in Chromium: page image with hit boxes under the CSP, and a
suggestion confirmed by clicking."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from casefiles.models import Case, CaseDocument
from ingestion.service import upload_document
from ingestion.tasks import process_document
from mizan import outbox
from mizan.accounts.models import User
from mizan.actor import Actor
from tests.browser.test_browser_flows import sign_in
from tests.conftest import render_scan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIR = (
    "FIRST INFORMATION REPORT\n"
    "Under Section 154 Cr.P.C.\n"
    "FIR No. 189/2024 Police Station: Artillery Maidan\n"
    "Offence u/s 324, 34 PPC\n"
    "Complainant Ghulam Rasool s/o Ali Muhammad\n"
)


def test_clerk_sees_hits_on_the_page_image_and_confirms_a_suggestion(
    page: Page, demo, tmp_path: Path
) -> None:
    clerk = demo.store.find_one(User, {"username": "clerk.south"})
    actor = Actor(clerk.id, clerk.username, frozenset(clerk.roles), clerk.district)
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    scan = render_scan(FIR, tmp_path / "fir.png").read_bytes()
    doc = upload_document(demo, actor, case.id, filename="fir.png", stream=io.BytesIO(scan))
    process_document(demo, demo.store.get(CaseDocument, doc.id).job_id)
    while outbox.drain(demo):
        pass

    blocked: list[str] = []  # anything the Content-Security-Policy refused
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    images: list[int] = []
    page.on("response", lambda r: images.append(r.status) if "/pages/1/image" in r.url else None)
    sign_in(page, "clerk.south")
    page.goto(f"/documents/{doc.id}?q=Rasool")
    expect(page.locator("mark", has_text="Rasool")).to_have_count(1)
    expect(page.locator("rect.hit")).to_have_count(1)
    expect(page.locator("rect.hit")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert images == [200]
    assert not blocked, blocked

    row = page.locator("tr", has_text="Sections of law")
    expect(row.locator("input[name='value']")).to_have_value("324 PPC; 34 PPC")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status").first).to_contain_text("Confirmed: 324 PPC; 34 PPC")
    offences = {o.canonical for o in demo.store.get(Case, case.id).offences}
    assert {"324 PPC", "34 PPC"} <= offences
