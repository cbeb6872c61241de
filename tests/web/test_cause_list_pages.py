"""A clerk uploads a court's cause-list PDF, the worker reads it, the clerk reviews the matches,
matches a row by hand and accepts rows; bad files are refused with a reason and other people
cannot see or use the pages."""

from __future__ import annotations

import datetime as dt
import io
import re

from app.demo import seed_demo_details
from casefiles.cause_list_reviews import CauseListEntry, CauseListImport
from casefiles.hearings import Hearing
from casefiles.models import Case
from ingestion.cause_list_jobs import CauseListRequest, read_queued
from mizan.clock import pakistan_today
from mizan.jobs import Job
from tests.data.make_cause_lists import Listing, atc_list

COURT = "ATC-XII Karachi"
DAY = pakistan_today() + dt.timedelta(days=4)
LISTINGS = [
    Listing("Special Case No. 5 of 2024", "The State v. Muhammad Aslam", 189, 2024,
            "Artillery Maidan", "Evidence"),
    Listing("Special Case No. 6 of 2025", "The State v. Shahid alias Shoda", 77, 2025,
            "Boat Basin", "Bail"),
    Listing("Special Case No. 7 of 2025", "The State v. Mohd. Aslam", None, None, "", "Charge"),
    Listing("Special Case No. 8 of 2024", "The State v. Ali Raza", 301, 2024, "Market", "Charge"),
    Listing("Special Case No. 9 of 2025", "The State v. Nobody Known", None, None, "", "Bail"),
]  # fmt: skip


def _upload(client, data: bytes, name: str = "list.pdf", **fields):
    page = client.get("/cause-lists/")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    return client.post(
        "/cause-lists/",
        data={"file": (io.BytesIO(data), name), "csrf_token": token.group(1), **fields},
        content_type="multipart/form-data",
    )


def _read_by_worker(client, demo, answer) -> str:
    """The upload's page while the list waits, then the worker's run: where the page leads."""
    assert answer.status_code == 302, answer.get_data(as_text=True)
    waiting = client.get(answer.headers["Location"])
    assert waiting.status_code == 200 and "data-reload" in waiting.get_data(as_text=True)
    queued = demo.store.find(CauseListRequest, {}, sort=[("created_at", -1)], limit=1)[0]
    read_queued(demo, queued.job_id)
    return client.get(answer.headers["Location"])


def test_upload_review_and_accept(app, demo, browser) -> None:
    seed_demo_details(demo)
    clerk = browser()
    clerk.login("clerk.south")
    # The existing cause-list page leads to the import.
    assert "/cause-lists/" in clerk.get("/hearings/court").get_data(as_text=True)
    answer = _upload(clerk.client, atc_list(COURT, DAY, LISTINGS))
    assert demo.store.count(CauseListImport) == 0  # read by the worker, not in the request
    done = _read_by_worker(clerk.client, demo, answer)
    assert done.status_code == 302
    record = demo.store.find_one(CauseListImport, {})
    assert (record.court, record.day, record.method) == (COURT, DAY.isoformat(), "words")
    assert done.headers["Location"].endswith(f"/cause-lists/{record.id}")
    page = clerk.get(done.headers["Location"]).get_data(as_text=True)
    for heading in ("Sure match", "Likely match", "Not matched", "Outside your district"):
        assert heading in page
    assert "Accept all 2 sure rows" in page
    entries = demo.store.find(CauseListEntry, {}, sort=[("n", 1)])
    assert [e.level for e in entries] == ["sure", "sure", "likely", "outside", "unmatched"]
    # One likely row by itself, then all the sure ones.
    likely = entries[2]
    url = f"/cause-lists/{record.id}"
    done = clerk.post(
        f"{url}/accept", {"entry_id": likely.id, "version": likely.version}, form_url=url
    )
    assert done.status_code == 302
    aslam = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    hearing = demo.store.find_one(Hearing, {"case_id": aslam.id})
    assert hearing.court == COURT and hearing.local_starts_at.date() == DAY
    assert hearing.purpose == "charge"
    clerk.post(f"{url}/accept-sure", {}, form_url=url)
    assert demo.store.count(Hearing) == 2  # Aslam's hearing updated, Shahid's created
    assert demo.store.get(Hearing, hearing.id).purpose == "evidence"
    # A stale page (an old version) cannot apply a row twice.
    again = clerk.post(
        f"{url}/accept", {"entry_id": likely.id, "version": likely.version}, form_url=url
    )
    assert "accepted meanwhile" in clerk.get(again.headers["Location"]).get_data(as_text=True)
    assert demo.store.count(Hearing) == 2
    # The rows nobody accepted are still there.
    left = demo.store.find(CauseListEntry, {"state": "pending"}, sort=[("n", 1)])
    assert [e.n for e in left] == [4, 5]


def test_a_row_is_matched_by_hand_then_accepted(app, demo, browser) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    _read_by_worker(clerk.client, demo, _upload(clerk.client, atc_list(COURT, DAY, LISTINGS)))
    record = demo.store.find_one(CauseListImport, {})
    nobody = demo.store.find_one(CauseListEntry, {"n": 5})
    assert nobody.level == "unmatched"
    review = clerk.get(f"/cause-lists/{record.id}").get_data(as_text=True)
    url = f"/cause-lists/{record.id}/rows/{nobody.id}/match"
    assert url in review
    # The clerk searches by FIR number; another district's case with that number is not offered.
    darakhshan = demo.store.find_one(Case, {"fir.police_station": "Darakhshan"})
    hyderabad = demo.store.find_one(Case, {"district": "HYD"})
    found = clerk.get(f"{url}?q=12/2025").get_data(as_text=True)
    assert darakhshan.reference in found
    assert hyderabad.reference not in clerk.get(f"{url}?q=301/2024").get_data(as_text=True)
    # Another district's case sent by hand is refused; the row stays unmatched.
    refused = clerk.post(
        url, {"case_id": hyderabad.id, "version": nobody.version}, form_url=f"{url}?q=12/2025"
    )
    refusal = clerk.get(refused.headers["Location"]).get_data(as_text=True)
    assert "cannot change this case" in refusal
    assert demo.store.get(CauseListEntry, nobody.id).level == "unmatched"
    chosen = clerk.post(
        url, {"case_id": darakhshan.id, "version": nobody.version}, form_url=f"{url}?q=12/2025"
    )
    assert chosen.status_code == 302
    entry = demo.store.get(CauseListEntry, nobody.id)
    assert (entry.level, entry.case_id) == ("likely", darakhshan.id)
    assert "chosen by hand by clerk.south" in entry.reason
    # A second pick from the same (now stale) page changes nothing.
    stale = clerk.post(
        url, {"case_id": hyderabad.id, "version": nobody.version}, form_url=f"{url}?q=12/2025"
    )
    assert "changed meanwhile" in clerk.get(stale.headers["Location"]).get_data(as_text=True)
    review_url = f"/cause-lists/{record.id}"
    clerk.post(
        f"{review_url}/accept",
        {"entry_id": entry.id, "version": entry.version},
        form_url=review_url,
    )
    hearing = demo.store.find_one(Hearing, {"case_id": darakhshan.id, "court": COURT})
    assert hearing is not None and hearing.local_starts_at.date() == DAY


def test_bad_files_get_a_clear_message(app, demo, browser) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    letter = _upload(clerk.client, b"%PDF-1.4\nnot really", "letter.pdf")
    page = _read_by_worker(clerk.client, demo, letter).get_data(as_text=True)
    assert "could not be read" in page and "cannot be opened" in page
    job = demo.store.find_one(Job, {"kind": "cause_list.read"})
    assert job.state == "failed" and "cannot be opened" in job.error
    # The failed list is shown on the import page and among the jobs, with its reason.
    assert "cannot be opened" in clerk.get("/cause-lists/").get_data(as_text=True)
    jobs = clerk.get("/jobs/").get_data(as_text=True)
    assert "Cause list letter.pdf" in jobs and f"/cause-lists/reading/{job.subject_id}" in jobs
    text = _upload(clerk.client, b"S.No,Case No.\n1,Special Case No. 5 of 2024\n", "list.txt")
    assert text.status_code == 422
    assert "PDF file or a scanned page" in text.get_data(as_text=True)
    neither = _upload(clerk.client, b"", "")
    assert neither.status_code == 422 and "one of them" in neither.get_data(as_text=True)
    private = clerk.post("/cause-lists/", {"url": "http://127.0.0.1:9/list.pdf"})
    assert private.status_code == 422 and "inside this network" in private.get_data(as_text=True)
    assert demo.store.count(CauseListImport) == 0


def test_only_importers_see_the_pages(app, demo, browser) -> None:
    prosecutor = browser()
    prosecutor.login("pp.rahim")
    assert prosecutor.get("/cause-lists/").status_code == 403
    assert "/cause-lists/" not in prosecutor.get("/hearings/court").get_data(as_text=True)
    clerk = browser()
    clerk.login("clerk.south")
    assert clerk.get("/cause-lists/nonexistent").status_code == 404
