"""Starting a case from a scan over HTTP: upload with no case, a page that says it is still
reading (never "nothing found"), one form prefilled with what was read, confirm all; a
registered FIR offered for filing instead; only the district's staff see the scan."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from casefiles.models import Case, CaseDocument
from ingestion.intake_reading import read_intake
from ingestion.scan_intake import IntakeState, ScanIntake
from tests.ingestion.test_scan_intake import FIR


class _FormValues(HTMLParser):
    """The values a browser would send for the form posting to ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif self.inside and tag == "input" and a.get("name"):
            self.values[a["name"]] = a.get("value") or ""
        elif self.inside and tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_values(html: str, action: str) -> dict[str, str]:
    parser = _FormValues(action)
    parser.feed(html)
    return parser.values


def _upload(b, text: str = FIR) -> str:
    response = b.client.post(
        "/scans/new",
        data={
            "file": (io.BytesIO(text.encode()), "fir.txt"),
            "lang": "eng",
            "csrf_token": b.token("/scans/new"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.data
    return response.headers["Location"]


def test_a_clerk_confirms_the_case_read_from_a_scan_in_one_step(demo, browser) -> None:
    b = browser()
    b.login("clerk.south")
    url = _upload(b)
    intake = demo.store.find_one(ScanIntake, {"filename": "fir.txt"})
    waiting = b.get(url).get_data(as_text=True)
    assert "Still reading the scan" in waiting
    assert "The case as read from the scan" not in waiting
    assert read_intake(demo, intake.job_id) == "succeeded"
    assert "data-done" in b.get(f"{url}/progress").get_data(as_text=True)

    page = b.get(url).get_data(as_text=True)
    values = form_values(page, url)
    assert values["police_station"] == "Preedy"
    assert (values["fir_number"], values["fir_year"]) == ("77", "2024")
    assert values["occurred_at"] == "22:30"
    assert values["complainant-0-cnic"] == "42101-1234567-1"
    assert values["accused-0-name"] == "Akbar @ Kaka"
    assert "fired at him" in values["narrative"]
    values["witness-0-name"] = "Abdul Ghani"
    response = b.client.post(url, data=values)
    assert response.status_code == 303
    case = demo.store.find_one(Case, {"fir.police_station": "Preedy", "fir.number": 77})
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    assert case.fir.place == "Outside Empress Market, Saddar"
    assert {p.role for p in case.parties} == {"complainant", "accused", "witness"}
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 1
    assert b.get(url).headers["Location"].endswith(f"/cases/{case.id}")  # filed: to the case


def test_errors_are_shown_on_their_fields_and_nothing_is_saved(demo, browser) -> None:
    b = browser()
    b.login("clerk.south")
    url = _upload(b)
    read_intake(demo, demo.store.find_one(ScanIntake, {}).job_id)
    values = form_values(b.get(url).get_data(as_text=True), url)
    values |= {"fir_year": "20x4", "accused-0-cnic": "12345"}
    response = b.client.post(url, data=values)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "The FIR year must be between 1947" in text
    assert "13 digits" in text
    assert 'value="20x4"' in text  # what the clerk typed is kept for correcting
    assert demo.store.find_one(Case, {"fir.police_station": "Preedy"}) is None


def test_a_registered_fir_is_offered_for_filing_instead(demo, browser) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    fir = FIR.replace("77/2024", f"{case.fir.number}/{case.fir.year}").replace(
        "Preedy", "Artillery Maidan"
    )
    b = browser()
    b.login("clerk.south")
    url = _upload(b, fir)
    read_intake(demo, demo.store.find_one(ScanIntake, {}).job_id)
    page = b.get(url).get_data(as_text=True)
    assert "This FIR is already registered" in page
    refused = b.client.post(url, data=form_values(page, url))
    assert refused.status_code == 400
    assert "already registered" in refused.get_data(as_text=True)
    filed = b.client.post(f"{url}/file", data=form_values(page, f"{url}/file"))
    assert filed.status_code == 303
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id, "filename": "fir.txt"})
    assert filed.headers["Location"].endswith(f"/documents/{doc.id}")
    assert demo.store.find_one(ScanIntake, {}).state == IntakeState.FILED


def test_only_staff_of_the_district_may_start_or_see_a_scan(demo, browser) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    url = _upload(clerk)
    supervisor = browser()
    supervisor.login("supervisor")
    assert supervisor.get("/scans/new").status_code == 403
    other = browser()
    other.login("pp.hyd")
    assert other.get(url).status_code == 404
    assert other.get(f"{url}/progress").status_code == 404
    assert re.search(r"/scans/\w+$", url)
