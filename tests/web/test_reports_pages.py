"""The reports pages: each number links to as many cases as it says, the exports hold the
page's numbers, and scope refusals and bad input get a plain message.

The demo province plus the hand-made cases of ``tests/casefiles/report_province``; the
clock stands on 30 June 2025 and the period is June 2025.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from casefiles.kpis import KPIS
from tests.casefiles import report_province
from tests.conftest import user_id

JUNE = "period=month&start=2025-06-01"
CELL = re.compile(r'<td data-cell="([^"]*)">(?:<a href="([^"]+)">)?([^<]*)')


@pytest.fixture
def reports(app, demo, frozen_clock):
    frozen_clock.set(dt.datetime(2025, 6, 30, 5, 0, tzinfo=dt.UTC))
    users = {
        "p1": user_id(demo, "pp.rahim"),
        "p2": user_id(demo, "pp.sana"),
        "p3": user_id(demo, "pp.hyd"),
    }
    report_province.build(demo, users)
    return app


def _signed_in(browser, username: str):
    b = browser()
    b.login(username)
    return b


def _cells(page: str, table: str = "current") -> dict[str, tuple[str | None, str]]:
    """``row|column`` → (drill-down link or None, the figure shown) of one table."""
    start = page.index(f'id="table-{table}"')
    end = page.index("</table>", start)
    return {
        cell: (html.unescape(link) if link else None, text.strip())
        for cell, link, text in CELL.findall(page[start:end])
    }


@pytest.mark.parametrize("kpi", ["caseflow", "outcomes", "adjournments", "data_quality"])
def test_every_linked_number_lists_as_many_cases(reports, browser, kpi: str) -> None:
    pg = _signed_in(browser, "pg.sindh")
    page = pg.get(f"/reports/?kpi={kpi}&{JUNE}").get_data(as_text=True)
    cells = _cells(page)
    linked = {cell: v for cell, v in cells.items() if v[0]}
    assert linked, "no linked figures"
    for cell, (link, shown) in linked.items():
        drill = pg.get(link)
        assert drill.status_code == 200, cell
        text = drill.get_data(as_text=True)
        count = re.search(r'id="drill-count">(\d+)<', text)
        assert count and count.group(1) == shown.replace(",", ""), cell
        listed = (
            text.split('id="drill-list"', 1)[1].split("</table>")[0] if "drill-list" in text else ""
        )
        assert listed.count("<tr><td><a href=") == int(shown.replace(",", "")), cell


def test_the_district_conviction_rate_drills_to_its_decided_cases(reports, browser) -> None:
    pg = _signed_in(browser, "pg.sindh")
    cells = _cells(pg.get(f"/reports/?kpi=outcomes&{JUNE}").get_data(as_text=True))
    # Hyderabad decided one case in June (C5, compromised) and convicted none.
    assert cells["HYD|conviction_rate"] == (None, "0.0%")
    link, shown = cells["HYD|decided"]
    assert shown == "1"
    text = pg.get(link).get_data(as_text=True)
    assert "(C5)" in text and "Decided" in text


def test_xlsx_csv_and_pdf_hold_the_page_numbers(reports, browser) -> None:
    pg = _signed_in(browser, "pg.sindh")
    query = f"kpi=outcomes&{JUNE}"
    page = pg.get(f"/reports/?{query}").get_data(as_text=True)
    cells = _cells(page)
    rows = sorted({c.split("|")[0] for c in cells if not c.startswith("*")})
    columns = [k.key for k in next(k for k in KPIS if k.id == "outcomes").columns]

    book = pg.get(f"/reports/export.xlsx?{query}")
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.data))["Period"]
    values = list(sheet.iter_rows(values_only=True))
    header_at = next(n for n, r in enumerate(values) if r[0] == "District")
    body = values[header_at + 1 :]
    assert len(body) == len(rows) + 1  # the rows and the total
    total = body[-1]
    for n, key in enumerate(columns, start=1):
        shown = cells[f"*|{key}"][1]
        if shown.endswith("%"):
            assert f"{total[n] * 100:.1f}%" == shown, key
        else:
            assert str(total[n]) == shown, key

    text = pg.get(f"/reports/export.csv?{query}").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "District" and lines[-1][0] == "Total"
    assert lines[-1][1:] == [cells[f"*|{k}"][1] for k in columns]

    pdf = pg.get(f"/reports/export.pdf?{query}")
    assert pdf.mimetype == "application/pdf"
    doc = pdfium.PdfDocument(pdf.data)
    pdf_text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Conviction rate and outcomes" in pdf_text
    assert "06/2025" in pdf_text and "Prosecutor General Sindh" in pdf_text
    assert "Cases decided in the period" in pdf_text  # the definition used
    # The first table's total row, cell by cell, as the page shows it.
    printed = pdf_text.split("Total", 1)[1].split()[: len(columns)]
    assert printed == [cells[f"*|{k}"][1] for k in columns]


def test_csv_of_the_previous_period_table(reports, browser) -> None:
    pg = _signed_in(browser, "pg.sindh")
    page = pg.get(f"/reports/?kpi=caseflow&{JUNE}").get_data(as_text=True)
    previous = _cells(page, "previous")
    text = pg.get(f"/reports/export.csv?kpi=caseflow&{JUNE}&table=previous").data
    last = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))[-1]
    assert last[1] == previous["*|instituted"][1]
    assert pg.get(f"/reports/export.doc?kpi=caseflow&{JUNE}").status_code == 400


def test_dpp_is_refused_another_district(reports, browser) -> None:
    dpp = _signed_in(browser, "dpp.south")
    refused = dpp.get(f"/reports/?kpi=outcomes&{JUNE}&district=HYD")
    assert refused.status_code == 403
    assert "own district" in refused.get_data(as_text=True)
    assert "0.0%" not in refused.get_data(as_text=True)
    for url in (
        f"/reports/export.xlsx?kpi=outcomes&{JUNE}&district=HYD",
        f"/reports/cases?kpi=outcomes&{JUNE}&district=HYD&cell=HYD|decided",
    ):
        assert dpp.get(url).status_code == 403, url
    own = dpp.get(f"/reports/?kpi=outcomes&{JUNE}").get_data(as_text=True)
    assert "KHI-S|decided" in own and "HYD|decided" not in own


def test_prosecutor_sees_own_figures_and_not_a_colleagues(reports, browser, demo) -> None:
    rahim = _signed_in(browser, "pp.rahim")
    page = rahim.get(f"/reports/?kpi=outcomes&slice=prosecutor&{JUNE}")
    assert page.status_code == 200
    cells = _cells(page.get_data(as_text=True))
    assert {c.split("|")[0] for c in cells} == {user_id(demo, "pp.rahim"), "*"}
    sana = user_id(demo, "pp.sana")
    refused = rahim.get(f"/reports/?kpi=outcomes&{JUNE}&prosecutor={sana}")
    assert refused.status_code == 403 and "your own figures" in refused.get_data(as_text=True)


def test_bad_input_is_a_message_beside_the_form(reports, browser) -> None:
    pg = _signed_in(browser, "pg.sindh")
    for url, message in (
        ("/reports/?period=custom&start=2025-06-01&end=2025-05-01", "before the start date"),
        ("/reports/?period=custom&start=2000-01-01&end=2025-05-01", "longer than 10 years"),
        ("/reports/?district=NOWHERE", "no district with the code"),
        ("/reports/?prosecutor=nobody", "no prosecutor with the id"),
        ("/reports/cases?kpi=outcomes&cell=nope", "not in the report"),
    ):
        response = pg.get(url)
        assert response.status_code == 400, url
        assert message in html.unescape(response.get_data(as_text=True)), url


def test_clerk_has_no_reports_and_no_menu_entry(reports, browser) -> None:
    clerk = _signed_in(browser, "clerk.south")
    assert clerk.get("/reports/").status_code == 403
    assert 'href="/reports/"' not in clerk.get("/").get_data(as_text=True)
    for username in ("pg.sindh", "dpp.south", "supervisor", "pp.rahim"):
        home = _signed_in(browser, username).get("/").get_data(as_text=True)
        assert 'href="/reports/"' in home, username


def test_definitions_page_in_english_and_urdu(reports, browser) -> None:
    pg = _signed_in(browser, "pg.sindh")
    page = pg.get("/reports/definitions").get_data(as_text=True)
    for kpi in KPIS:
        assert f'id="kpi-{kpi.id}"' in page
        assert html.escape(str(kpi.name), quote=False) in page
    table = page.split('id="definitions"', 1)[1].split("</table>")[0]
    urdu = re.findall(r'<td lang="ur" dir="rtl"><strong>([^<]+)</strong>', table)
    assert len(urdu) == len(KPIS)
    assert all(re.search("[\u0600-\u06ff]", name) for name in urdu), urdu
    assert "Withdrawals" in page and "Training completed" in page


def test_urdu_report_page_is_right_to_left_with_a_trend_chart(reports, browser) -> None:
    pg = _signed_in(browser, "pg.sindh")
    page = pg.get(f"/reports/?kpi=caseflow&{JUNE}&lang=ur").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert 'id="chart-trend-t"' in page


def test_scorecard_figures_drill_down_and_colleagues_are_refused(reports, browser, demo) -> None:
    sana = user_id(demo, "pp.sana")
    pg = _signed_in(browser, "pg.sindh")
    page = pg.get(f"/reports/prosecutors/{sana}?{JUNE}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Sana Memon" in text
    figures = re.findall(r'data-figure="([^"]+)" href="([^"]+)">(\d+)<', text)
    assert figures
    for name, link, shown in figures:
        drill = pg.get(html.unescape(link)).get_data(as_text=True)
        count = re.search(r'id="drill-count">(\d+)<', drill)
        assert count and count.group(1) == shown, name
    rahim = _signed_in(browser, "pp.rahim")
    refused = rahim.get(f"/reports/prosecutors/{sana}?{JUNE}")
    assert refused.status_code == 403 and "your own figures" in refused.get_data(as_text=True)
    assert rahim.get(f"/reports/prosecutors/{user_id(demo, 'pp.rahim')}?{JUNE}").status_code == 200
    dpp = _signed_in(browser, "dpp.south")
    assert dpp.get(f"/reports/prosecutors/{user_id(demo, 'pp.hyd')}").status_code == 403
    assert pg.get("/reports/prosecutors/nobody").status_code == 400


def test_monthly_reports_page_serves_the_filed_files(reports, browser, demo) -> None:
    from casefiles.monthly_reports import MonthlyReport, file_monthly_reports

    file_monthly_reports(demo, dt.date(2025, 5, 1))
    province = demo.store.find_one(MonthlyReport, {"scope": "province"})
    south = demo.store.find_one(MonthlyReport, {"scope": "KHI-S"})
    pg = _signed_in(browser, "pg.sindh")
    page = pg.get("/reports/monthly").get_data(as_text=True)
    assert province.id in page and south.id in page
    got = pg.get(f"/reports/monthly/{province.id}.pdf")
    assert got.status_code == 200 and got.data.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(pg.get(f"/reports/monthly/{province.id}.xlsx").data))
    assert "outcomes Period" in book.sheetnames
    dpp = _signed_in(browser, "dpp.south")
    assert province.id not in dpp.get("/reports/monthly").get_data(as_text=True)
    assert dpp.get(f"/reports/monthly/{province.id}.pdf").status_code == 404
    assert dpp.get(f"/reports/monthly/{south.id}.xlsx").status_code == 200
    assert _signed_in(browser, "pp.rahim").get("/reports/monthly").status_code == 403
