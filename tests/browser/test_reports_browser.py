"""The Prosecutor General's monthly return in a real browser: open the province report,
drill from a district's conviction rate to its cases, download XLSX and PDF, and find
the page's numbers in both files."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.test_browser_flows import sign_in
from tests.casefiles import report_province
from tests.conftest import user_id

pytestmark = pytest.mark.browser


@pytest.fixture
def june(demo, frozen_clock):
    frozen_clock.set(dt.datetime(2025, 6, 30, 5, 0, tzinfo=dt.UTC))
    report_province.build(
        demo,
        {
            "p1": user_id(demo, "pp.rahim"),
            "p2": user_id(demo, "pp.sana"),
            "p3": user_id(demo, "pp.hyd"),
        },
    )


def _cell(page: Page, cell: str) -> str:
    return page.locator(f'#table-current td[data-cell="{cell}"]').inner_text().strip()


def test_pg_drills_down_and_exports_the_province_report(page: Page, june) -> None:
    sign_in(page, "pg.sindh")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_label("Report").select_option("outcomes")
    page.get_by_label("From (or any day of the month, quarter or year)").fill("2025-06-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#report h2")).to_contain_text("Conviction rate and outcomes")

    rate, decided = _cell(page, "HYD|conviction_rate"), _cell(page, "HYD|decided")
    total = {k: _cell(page, f"*|{k}") for k in ("decided", "convicted", "conviction_rate")}
    assert (rate, decided) == ("0.0%", "1")

    page.locator('#table-current td[data-cell="HYD|decided"] a').click()
    expect(page.locator("#drill-count")).to_have_text(decided)
    expect(page.locator("#drill-list tbody tr")).to_have_count(int(decided))
    page.get_by_role("link", name="Back to the report").click()

    with page.expect_download() as got:
        page.get_by_role("link", name="XLSX").click()
    sheet = load_workbook(io.BytesIO(got.value.path().read_bytes()))["Period"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Total"]
    assert rows and str(rows[0][1]) == total["decided"] and str(rows[0][2]) == total["convicted"]
    assert f"{rows[0][3] * 100:.1f}%" == total["conviction_rate"]

    with page.expect_download() as got:
        page.get_by_role("link", name="PDF").click()
    doc = pdfium.PdfDocument(got.value.path().read_bytes())
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    printed = text.split("Total", 1)[1].split()[:3]
    assert printed == [total["decided"], total["convicted"], total["conviction_rate"]]
    assert "Hyderabad" in text and "Prosecutor General Sindh" in text
