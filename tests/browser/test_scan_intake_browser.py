"""In Chromium with the real worker: a clerk starts a case from a scan of a typed FIR and
confirms every field in one step; the case has them."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.typed_firs import typed_firs
from casefiles.models import Case, CaseDocument, DocumentPage
from tests.browser.test_browser_flows import sign_in
from tests.conftest import render_scan

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wrapped(text: str, width: int = 64) -> str:
    """The FIR's lines wrapped as a typist would, so each fits the page's width."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width)) if line.strip() else line
        for line in text.splitlines()
    )


def test_clerk_starts_a_case_from_a_scan_and_confirms_all_fields(
    page: Page, demo, live_server: str, celery_worker: object, tmp_path: Path
) -> None:
    fir = typed_firs(1, "eng", seed=3)[0]
    gold = fir.gold
    scan = render_scan(_wrapped(fir.text), tmp_path / "fir.png")

    sign_in(page, "clerk.south")
    page.goto("/cases/")
    page.get_by_role("link", name="Start a case from a scan").click()
    page.locator("input[type='file'][name='file']").set_input_files(str(scan))
    page.get_by_role("button", name="Read the scan").click()
    expect(page).to_have_url(re.compile(r"/scans/[^/]+$"))
    # The worker reads it; the page polls and reloads into the proposal (never "nothing").
    proposal = page.get_by_role("heading", name="The case as read from the scan")
    expect(proposal).to_be_visible(timeout=90_000)

    expect(page.get_by_label("Police station")).to_have_value(gold["police_station"][0])
    expect(page.get_by_label("FIR number")).to_have_value(gold["fir_number"][0])
    expect(page.get_by_label("FIR year")).to_have_value(gold["fir_year"][0])
    expect(page.get_by_label("Date of occurrence")).to_have_value(gold["occurred_on"][0])
    expect(page.get_by_label("Time of occurrence")).to_have_value(gold["occurred_at"][0])
    expect(page.locator("#complainant-0-cnic")).to_have_value(gold["cnic"][0])
    page.get_by_role("button", name="Confirm all and open the case").click()

    expect(page).to_have_url(re.compile(r"/cases/[^/]+$"))
    expect(page.get_by_role("status").first).to_contain_text("opened from the scan")
    case = demo.store.find_one(Case, {"fir.number": int(gold["fir_number"][0])})
    assert case.fir.police_station == gold["police_station"][0]
    assert case.fir.year == int(gold["fir_year"][0])
    assert case.fir.registered_on.date().isoformat() == gold["registered_on"][0]
    assert case.fir.incident_at.isoformat(timespec="minutes") == (
        f"{gold['occurred_on'][0]}T{gold['occurred_at'][0]}"
    )
    assert case.fir.place == gold["place"][0]
    assert "; ".join(o.canonical for o in case.offences) == gold["offences"][0]
    assert " ".join(case.fir.narrative.split()) == gold["narrative"][0]
    people = {(p.role, p.cnic) for p in case.parties}
    assert ("complainant", gold["cnic"][0]) in people
    assert ("accused", gold["cnic"][1]) in people
    assert sum(p.role == "accused" for p in case.parties) == 2
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id, "filename": "fir.png"})
    # Filed with the page already read (OCR words and all), not queued for a second OCR.
    pages = demo.store.find(DocumentPage, {"document_id": doc.id})
    assert [(p.number, p.method, bool(p.words)) for p in pages] == [(1, "ocr", True)]
