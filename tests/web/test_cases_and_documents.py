"""Cases and documents over HTTP: validation, uploads, and who may see what."""

from __future__ import annotations

import io

import pytest

from casefiles.models import Case, CaseDocument
from ingestion.tasks import process_document
from mizan import outbox
from mizan.audit import AuditEntry
from mizan.jobs import Job
from tests.conftest import render_scan


def _case(kernel, station: str = "Artillery Maidan") -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})


def _upload(b, case_id: str, name: str, data: bytes):
    return b.client.post(
        f"/cases/{case_id}/documents",
        data={
            "file": (io.BytesIO(data), name),
            "title": "",
            "lang": "eng",
            "csrf_token": b.token(f"/cases/{case_id}"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"fir_number": "0"}, b"The FIR number must be between 1 and 99999."),
        ({"fir_number": "abc"}, b"Not a valid integer value."),
        ({"police_station": ""}, b"Enter the police station."),
        ({"fir_year": "1800"}, b"The FIR year must be between 1947 and 2100."),
        ({"district": "HYD"}, b"Not a valid choice"),
    ],
)
def test_new_case_form_reports_bad_input(browser, form, message) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    data = {
        "district": "KHI-S",
        "police_station": "Saddar",
        "fir_number": "10",
        "fir_year": "2025",
        **form,
    }
    response = clerk.post("/cases/new", data)
    assert response.status_code == 400
    assert message in response.data


def test_duplicate_fir_is_refused(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    response = clerk.post(
        "/cases/new",
        {
            "district": "KHI-S",
            "police_station": "Artillery Maidan",
            "fir_number": "189",
            "fir_year": "2024",
        },
    )
    assert response.status_code == 400
    assert b"already registered" in response.data
    assert demo.store.count(Case, {"fir.number": 189}) == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", b"empty"),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 100, b"cannot be added"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"PNG"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(browser, demo, name, data, message) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    response = _upload(clerk, case.id, name, data)
    assert message in response.data
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 0


def test_same_file_twice_is_linked_not_duplicated(browser, demo, tmp_path) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    data = b"FIR 189/2024 complainant statement, typed copy.\n"
    _upload(clerk, case.id, "statement.txt", data)
    response = _upload(clerk, case.id, "copy-of-statement.txt", data)
    assert b"already in this case" in response.data
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 1


def test_identical_file_in_another_case_reuses_extracted_pages(browser, demo) -> None:
    dpp = browser()
    dpp.login("dpp.south")
    first, second = _case(demo), _case(demo, "Boat Basin")
    data = b"Medical report of the injured witness."
    for case in (first, second):
        _upload(dpp, case.id, "report.txt", data)
        doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
        assert process_document(demo, doc.job_id) == "succeeded"
    second_doc = demo.store.find_one(CaseDocument, {"case_id": second.id})
    assert demo.store.get(Job, second_doc.job_id).stage == "done"
    assert demo.blobs.exists(second_doc.sha256)
    assert len(list(demo.blobs.iter_digests())) == 1


def test_corrupt_pdf_fails_its_own_job_with_a_reason(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    _upload(clerk, case.id, "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated")
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    assert process_document(demo, doc.job_id) == "failed"
    job = demo.store.get(Job, doc.job_id)
    assert job.state == "failed" and job.error
    assert demo.store.get(CaseDocument, doc.id).state == "failed"
    page = clerk.get("/jobs/").data.decode()
    assert "Retry" in page and job.error.split(":")[0] in page


# -- who may see what ------------------------------------------------------------------------

CASE_ACCESS = {
    # username: (sees the Karachi South case assigned to pp.rahim, sees the Hyderabad case)
    "pg.sindh": (True, True),
    "dpp.south": (True, False),
    "clerk.south": (True, False),
    "supervisor": (True, False),
    "pp.rahim": (True, False),
    "pp.sana": (False, False),
    "pp.hyd": (False, True),
    "trainer": (False, False),
    "admin": (False, False),
}


@pytest.mark.parametrize("username", sorted(CASE_ACCESS))
def test_case_page_access_by_assignment_and_district(browser, demo, username) -> None:
    south, hyd = _case(demo), _case(demo, "Market")
    b = browser()
    b.login(username)
    expected = CASE_ACCESS[username]
    for case, allowed in zip((south, hyd), expected, strict=True):
        status = b.get(f"/cases/{case.id}").status_code
        assert status == (200 if allowed else 404), (username, case.reference, status)
        listed = case.reference.encode() in b.get("/cases/").data
        assert listed == allowed, (username, case.reference)
    if not all(expected):
        denied = demo.store.count(
            AuditEntry, {"action": "case.access_denied", "actor_name": username}
        )
        assert denied >= 1


def test_search_respects_case_access(browser, demo) -> None:
    dpp = browser()
    dpp.login("dpp.south")
    case = _case(demo)
    _upload(dpp, case.id, "note.txt", b"The recovered motorcycle was a Honda CD70.")
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    process_document(demo, doc.job_id)
    outbox.drain(demo)
    expectations = {
        "pp.rahim": 1,
        "dpp.south": 1,
        "pg.sindh": 1,
        "pp.sana": 0,
        "pp.hyd": 0,
        "clerk.south": 1,
    }
    for username, hits in expectations.items():
        b = browser()
        b.login(username)
        page = b.get("/search/?q=motorcycle&mode=keyword").data.decode()
        found = "1 result" if hits == 1 else f"{hits} results"
        assert found in page, username


def test_bad_query_shows_a_message(browser) -> None:
    b = browser()
    b.login("pp.rahim")
    response = b.get("/search/?q=(murder AND bail")
    assert response.status_code == 400
    assert b"flash-error" in response.data and b"is not closed" in response.data


def test_scan_upload_text_is_shown_beside_the_page(browser, demo, tmp_path) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    scan = render_scan("Recovery memo of the pistol", tmp_path / "memo.png")
    _upload(clerk, case.id, "memo.png", scan.read_bytes())
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    assert process_document(demo, doc.job_id) == "succeeded"
    page = clerk.get(f"/documents/{doc.id}?q=pistol").data.decode()
    assert "<mark>pistol</mark>" in page and "read by OCR" in page


def test_upload_form_says_when_ocr_is_unavailable(app, browser, demo) -> None:
    case = _case(demo)
    clerk = browser()
    clerk.login("clerk.south")
    assert b"not available on this server" not in clerk.get(f"/cases/{case.id}").data
    app.extensions["ocr_status"] = (False, "Tesseract is not installed")
    page = clerk.get(f"/cases/{case.id}").data
    assert b"Text recognition (OCR) is not available on this server" in page
    assert b"Tesseract is not installed" in page


def test_stage_change_through_the_case_page(browser, demo) -> None:
    case = _case(demo)
    rahim = browser()
    rahim.login("pp.rahim")
    url = f"/cases/{case.id}"

    def step(target: str, reason: str = ""):
        version = demo.store.get(Case, case.id).version
        return rahim.post(
            f"{url}/stage",
            {
                "target": target,
                "reason": reason,
                "outcome": "",
                "cancellation_class": "",
                "version": str(version),
            },
            form_url=url,
            follow_redirects=True,
        )

    assert step("UNDER_INVESTIGATION").status_code == 200
    step("REPORT_UNDER_SCRUTINY")
    refused = step("RETURNED_TO_IO").data.decode()
    assert "Write the reason for this step." in refused
    assert demo.store.get(Case, case.id).state == "REPORT_UNDER_SCRUTINY"
    page = step("RETURNED_TO_IO", "Site plan missing").data.decode()
    assert "Returned to the IO" in page and "Site plan missing" in page and "pp.rahim" in page
    assert demo.store.get(Case, case.id).state == "RETURNED_TO_IO"


def test_case_page_shows_deadlines_with_status(browser, demo) -> None:
    case = _case(demo)  # FIR registered 14.03.2024: the interim challan is long overdue
    rahim = browser()
    rahim.login("pp.rahim")
    page = rahim.get(f"/cases/{case.id}").data.decode()
    assert "Interim challan (s.173 report) due" in page
    assert "31.03.2024" in page and "status-overdue" in page


def test_ata_label_on_a_new_case_switches_the_challan_clock(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    response = clerk.post(
        "/cases/new",
        {
            "district": "KHI-S",
            "police_station": "CTD",
            "fir_number": "9",
            "fir_year": "2025",
            "registered_on": "2025-03-03",
            "labels": ["ATA"],
        },
    )
    assert response.status_code == 302
    case = demo.store.find_one(Case, {"fir.police_station": "CTD"})
    assert case.labels == ["ATA"]
    page = clerk.get(f"/cases/{case.id}").data.decode()
    assert "Anti-terrorism (ATA)" in page and "17.04.2025" in page
    bad = clerk.post(
        "/cases/new",
        {
            "district": "KHI-S",
            "police_station": "CTD",
            "fir_number": "10",
            "fir_year": "2025",
            "labels": ["SECRET"],
        },
    )
    assert bad.status_code == 400 and b"is not a valid choice" in bad.data


def test_people_and_offences_on_the_case_page(browser, demo) -> None:
    case = _case(demo)
    url = f"/cases/{case.id}"
    clerk = browser()
    clerk.login("clerk.south")

    def version() -> str:
        return str(demo.store.get(Case, case.id).version)

    bad = clerk.post(
        f"{url}/offences",
        {"text": "302 (b PPC", "version": version()},
        form_url=url,
        follow_redirects=True,
    )
    assert "never closed" in bad.data.decode()
    clerk.post(f"{url}/offences", {"text": "302/34 PPC", "version": version()}, form_url=url)
    clerk.post(
        f"{url}/parties",
        {
            "role": "accused",
            "name": "Muhammad Aslam @ Achu",
            "parentage": "s/o Akram",
            "cnic": "",
            "gender": "male",
            "custody": "arrested",
            "pseudonym": "",
            "version": version(),
        },
        form_url=url,
    )
    clerk.post(
        f"{url}/parties",
        {
            "role": "witness",
            "name": "Secret Person",
            "parentage": "",
            "cnic": "",
            "gender": "",
            "custody": "",
            "protected": "y",
            "pseudonym": "PW-7",
            "version": version(),
        },
        form_url=url,
    )
    page = clerk.get(url).data.decode()
    assert "302 PPC" in page and "34 PPC" in page
    assert "Muhammad Aslam" in page and "Achu" in page and "In custody" in page
    assert "PW-7" in page and "Secret Person" not in page  # the clerk is not assigned
    rahim = browser()
    rahim.login("pp.rahim")  # the assigned prosecutor sees who the witness is
    assert "Secret Person" in rahim.get(url).data.decode()
    dpp = browser()
    dpp.login("dpp.south")
    assert "Secret Person" not in dpp.get(url).data.decode()
    revealed = dpp.post(
        f"{url}/break-glass", {"reason": "Court ordered disclosure today"}, form_url=url
    )
    assert "Secret Person" in revealed.data.decode()
    assert "Secret Person" not in dpp.get(url).data.decode()  # only for that one view


def test_scrutiny_from_the_case_page(browser, demo) -> None:
    from casefiles.service import change_stage
    from mizan.accounts.models import User
    from mizan.accounts.service import actor_for

    case = _case(demo)
    rahim_actor = actor_for(demo.store.find_one(User, {"username": "pp.rahim"}))
    change_stage(demo, rahim_actor, case.id, version=case.version, target="REPORT_UNDER_SCRUTINY")
    url = f"/cases/{case.id}"
    clerk = browser()
    clerk.login("clerk.south")
    assert "Record decision" not in clerk.get(url).data.decode()  # clerks do not scrutinise
    rahim = browser()
    rahim.login("pp.rahim")
    assert "Record decision" in rahim.get(url).data.decode()
    version = str(demo.store.get(Case, case.id).version)
    page = rahim.post(
        f"{url}/scrutiny",
        {
            "version": version,
            "checked": ["fir_copy"],
            "objections": "Site plan missing\nNo 161 statements",
            "decision": "returned",
            "opinion": "",
        },
        form_url=url,
        follow_redirects=True,
    ).data.decode()
    assert "Returned to the IO" in page and "Site plan missing" in page
    assert demo.store.get(Case, case.id).state == "RETURNED_TO_IO"
