"""Phone width: no main page scrolls sideways at 390x844, in English or in Urdu.

A prosecutor reads cases and hearings on a phone in court; a page wider than the
screen hides the end of each line (issue 15: the case page's people table was
553 px, a scan's OCR text with long runs of dots made its viewer 2,021 px).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page

from casefiles.models import Case, CaseDocument
from casefiles.parties import PartyInput, add_party, set_offences
from ingestion.intake_reading import read_intake
from ingestion.scan_intake import start_intake
from ingestion.service import upload_document
from ingestion.tasks import process_document
from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.models import Judgment
from library.seed import SAMPLE_DIR
from mizan import outbox
from mizan.accounts.models import User
from mizan.actor import SYSTEM, Actor
from tests.browser.test_browser_flows import sign_in
from tests.conftest import render_scan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}

# A typed FIR form as scanned: blanks are long runs of dots, which OCR keeps as one "word".
SCAN = (
    "FIRST INFORMATION REPORT\n"
    "FIR No. 189/2024 Police Station Artillery Maidan\n"
    "Name of informant ......................................................\n"
    "Place of occurrence ...................................................\n"
    "Offence u/s 302, 34 PPC\n"
)

PAGES = ["home", "case list", "case FIR 189/2024", "hearings", "search", "library", "section"]
PAGES += ["judgment", "document", "scan proposal"]


def _clerk(demo) -> Actor:
    clerk = demo.store.find_one(User, {"username": "clerk.south"})
    return Actor(clerk.id, clerk.username, frozenset(clerk.roles), clerk.district)


def _people(demo, case: Case) -> None:
    """The demo case's people, as the clerk records them (the demo seeds none): the table
    that was 553 px wide on a phone."""
    people = [
        PartyInput(
            "accused",
            "Muhammad Aslam alias Achoo alias Bhola",
            parentage="s/o Ghulam Hussain Khan",
            cnic="42101-1234567-1",
            custody="arrested",
        ),
        PartyInput("complainant", "Ghulam Rasool", parentage="s/o Ali Muhammad"),
        PartyInput("witness", "Protected Witness", protected=True, pseudonym="Witness A"),
    ]
    for person in people:
        version = demo.store.get(Case, case.id).version
        add_party(demo, _clerk(demo), case.id, version=version, data=person)
    version = demo.store.get(Case, case.id).version
    set_offences(demo, _clerk(demo), case.id, version=version, text="302/34 PPC; 7(1)(a) ATA")


def _document(demo, case: Case, tmp_path: Path) -> str:
    """A read scan on the demo case (the demo seeds none), as the clerk uploads it."""
    actor = _clerk(demo)
    scan = render_scan(SCAN, tmp_path / "fir.png").read_bytes()
    doc = upload_document(demo, actor, case.id, filename="fir.png", stream=io.BytesIO(scan))
    process_document(demo, demo.store.get(CaseDocument, doc.id).job_id)
    while outbox.drain(demo):
        pass
    return doc.id


def _scan_proposal(demo) -> str:
    """A scan read for a new case: the one form of FIR fields and people rows."""
    intake = start_intake(demo, _clerk(demo), filename="fir.txt", stream=io.BytesIO(SCAN.encode()))
    read_intake(demo, intake.job_id)
    return f"/scans/{intake.id}"


def _judgment(demo) -> str:
    return demo.store.find_one(Judgment, {"key": "pcrlj-2012-288"}).id


def _url(name: str, demo, tmp_path: Path) -> str:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan", "fir.number": 189})
    if name == "case FIR 189/2024":
        _people(demo, case)
    if name in {"section", "judgment"}:
        text = (SAMPLE_DIR / "ppc_sample.md").read_text()
        import_act_text(demo, SYSTEM, text, code="ppc", title="Pakistan Penal Code")
        import_judgments_jsonl(demo, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")
    return {
        "home": "/",
        "case list": "/cases/",
        "case FIR 189/2024": f"/cases/{case.id}",
        "hearings": "/hearings/",
        "search": "/search/?q=Aslam",
        "library": "/library/",
        "section": "/library/ppc/302",
        "judgment": f"/library/judgments/{_judgment(demo)}" if name == "judgment" else "",
        "document": f"/documents/{_document(demo, case, tmp_path)}" if name == "document" else "",
        "scan proposal": _scan_proposal(demo) if name == "scan proposal" else "",
    }[name]


@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen(page: Page, demo, tmp_path: Path, name: str, lang: str) -> None:
    url = _url(name, demo, tmp_path)
    page.set_viewport_size(PHONE)
    sign_in(page, "pp.rahim")
    page.goto(f"/?lang={lang}")
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{name} ({lang}): {url}"
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wide = page.evaluate(  # the widest culprits, for the failure message
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                      || e.getBoundingClientRect().left < -1)
            .reverse().slice(0, 6).map(e => e.tagName + '.' + e.className + ' '
                      + Math.round(e.getBoundingClientRect().width))"""
    )
    assert widths[0] <= widths[1], (
        f"the {name} page ({lang}) scrolls sideways at 390 px: {widths[0]} > {widths[1]}; {wide}"
    )
    if name == "case FIR 189/2024":  # stacked rows: the people table needs no scrolling either
        box = page.locator("#people .table-wrap")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), f"people table ({lang})"
        assert page.locator("#people td[data-label]").first.is_visible()
