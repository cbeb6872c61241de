"""A prosecutor drafts a bail opposition from a case in real Chromium and downloads the DOCX;
the file, read back with python-docx, names the FIR and the sections with their headings."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from app.demo import seed_demo_details
from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan.actor import SYSTEM
from tests.browser.test_browser_flows import sign_in
from tests.casefiles.case_steps import demo_case

pytestmark = pytest.mark.browser


def test_prosecutor_drafts_a_bail_opposition_and_downloads_the_docx(app, page: Page) -> None:
    kernel = app.extensions["mizan"]
    seed_demo_details(kernel)
    import_act_text(
        kernel,
        SYSTEM,
        (SAMPLE_DIR / "ppc_sample.md").read_text(encoding="utf-8"),
        code="ppc",
        title="Pakistan Penal Code",
    )
    case = demo_case(kernel)
    sign_in(page, "pp.rahim")
    page.goto(f"/cases/{case.id}")
    page.get_by_role("link", name="Write a letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a letter")
    page.locator("a[data-letter='bail_opposition-en']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bail opposition note")
    expect(page.locator(".letter-preview")).to_contain_text("FIR No. 189/2024")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Word (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename == "bail_opposition-FIR-189-2024.docx"
    data = Path(download.path()).read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "FIR No. 189/2024, Police Station Artillery Maidan" in text
    assert "302, 34 PPC" in text
    assert "302 PPC — Punishment of qatl-i-amd" in text
