"""The dashboard page over HTTP: who may open it, and charts that carry their numbers."""

from __future__ import annotations

import re

import pytest

from casefiles.models import Case
from mizan.kernel import Kernel


def _html(response) -> str:
    return response.get_data(as_text=True)


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg role=\"img\".*?</svg>", html, flags=re.S)


@pytest.fixture
def labelled(demo: Kernel) -> Kernel:
    """Mark the demo's Darakhshan case (7 ATA) as ATA, as a clerk would."""
    case = demo.store.find_one(Case, {"fir.police_station": "Darakhshan"})
    case.labels = ["ATA"]
    demo.store.replace(case)
    return demo


def test_dpp_sees_charts_with_the_numbers(browser, labelled) -> None:
    b = browser()
    b.login("dpp.south")
    response = b.get("/dashboard/")
    assert response.status_code == 200
    html = _html(response)
    assert "Karachi South" in html
    charts = _svgs(html)
    assert len(charts) == 3  # stages, age, workload (no decided case yet: no outcome chart)
    stage = next(c for c in charts if 'id="chart-stage-t"' in c)
    # Three KHI-S demo cases, all still at "FIR registered": the bar says so in words.
    assert "<title" in stage and "<desc" in stage
    assert re.search(r">FIR registered</text>", stage)
    assert re.search(r"font-weight=\"bold\">3</text>", stage)
    assert "FIR registered: 3" in stage  # the description a screen reader reads
    age = next(c for c in charts if 'id="chart-age-t"' in c)
    assert age.count("<rect") == 5
    # The workload chart names the district's prosecutors, with their open cases.
    workload = next(c for c in charts if 'id="chart-workload-t"' in c)
    assert "Abdul Rahim Soomro" in workload and "Sana Memon" in workload
    assert "Imran Qureshi" not in html  # Hyderabad's prosecutor
    # The FIRs are from 2024 and 2025: the two ordinary ones are long overdue; the ATA one
    # too, under its own (longer) rule.
    assert re.search(r"Interim challan \(s\.173 report\) due.*?<strong>2</strong>", html, re.S)
    assert re.search(r"Interim challan due \(ATA case\).*?<strong>1</strong>", html, re.S)
    assert 'id="districts"' not in html


def test_page_obeys_the_content_security_policy(browser, demo) -> None:
    b = browser()
    b.login("pg.sindh")
    html = _html(b.get("/dashboard/"))
    assert "<script>" not in html and " on" + "click=" not in html
    assert " style=" not in html  # inline styles are blocked by style-src 'self'


def test_pg_sees_the_province_and_can_pick_a_district(browser, demo) -> None:
    b = browser()
    b.login("pg.sindh")
    html = _html(b.get("/dashboard/"))
    assert "Sindh (all districts)" in html
    assert 'id="chart-districts-t"' in html
    assert 'href="/dashboard/?district=HYD"' in html
    districts = html[html.index('id="districts"') :]
    assert re.search(r"Hyderabad</a></td><td>1</td>", districts)
    assert re.search(r"Karachi South</a></td><td>3</td>", districts)
    one = _html(b.get("/dashboard/?district=HYD"))
    assert "Dashboard · Hyderabad" in one
    assert "Imran Qureshi" in one and "Sana Memon" not in one


def test_supervisor_sees_own_district(browser, demo) -> None:
    b = browser()
    b.login("supervisor")
    response = b.get("/dashboard/")
    assert response.status_code == 200
    assert "Karachi South" in _html(response)


@pytest.mark.parametrize("username", ["pp.rahim", "clerk.south", "trainer", "admin"])
def test_other_roles_get_403_and_no_link(browser, demo, username: str) -> None:
    b = browser()
    b.login(username)
    assert b.get("/dashboard/").status_code == 403
    assert 'href="/dashboard/"' not in _html(b.get("/"))


def test_dpp_cannot_open_another_district(browser, demo) -> None:
    b = browser()
    b.login("dpp.south")
    assert 'href="/dashboard/"' in _html(b.get("/"))
    assert b.get("/dashboard/?district=HYD").status_code == 403


def test_an_unknown_district_gets_a_message(browser, demo) -> None:
    b = browser()
    b.login("pg.sindh")
    response = b.get("/dashboard/?district=nowhere")
    assert response.status_code == 400
    assert "no district with the code" in _html(response)
    assert "NOWHERE" in _html(response)


def test_signed_out_visitors_are_sent_to_sign_in(browser, demo) -> None:
    response = browser().get("/dashboard/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_urdu_charts_grow_from_the_right(browser, demo) -> None:
    b = browser()
    b.login("dpp.south")
    html = _html(b.get("/dashboard/?lang=ur"))
    stage = next(c for c in _svgs(html) if 'id="chart-stage-t"' in c)
    assert 'direction="rtl"' in stage
    bar = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', stage)
    assert bar is not None
    assert float(bar.group(1)) + float(bar.group(2)) == pytest.approx(520)
