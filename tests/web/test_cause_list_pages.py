"""A clerk uploads a court's cause-list PDF, reviews the matches and accepts rows; bad files
are refused with a reason and other people cannot see or use the pages."""

from __future__ import annotations

import datetime as dt
import io
import re

from app.demo import seed_demo_details
from casefiles.cause_list_reviews import CauseListEntry, CauseListImport
from casefiles.hearings import Hearing
from casefiles.models import Case
from mizan.clock import pakistan_today
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


def test_upload_review_and_accept(app, demo, browser) -> None:
    seed_demo_details(demo)
    clerk = browser()
    clerk.login("clerk.south")
    # The existing cause-list page leads to the import.
    assert "/cause-lists/" in clerk.get("/hearings/court").get_data(as_text=True)
    answer = _upload(clerk.client, atc_list(COURT, DAY, LISTINGS))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    record = demo.store.find_one(CauseListImport, {})
    assert (record.court, record.day, record.method) == (COURT, DAY.isoformat(), "words")
    page = clerk.get(answer.headers["Location"]).get_data(as_text=True)
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


def test_bad_files_get_a_clear_message(app, demo, browser) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    letter = _upload(clerk.client, b"%PDF-1.4\nnot really", "letter.pdf")
    assert letter.status_code == 422
    assert "cannot be opened" in letter.get_data(as_text=True)
    text = _upload(clerk.client, b"S.No,Case No.\n1,Special Case No. 5 of 2024\n", "list.txt")
    assert text.status_code == 422
    assert "PDF file or a scanned page" in text.get_data(as_text=True)
    assert demo.store.count(CauseListImport) == 0


def test_only_importers_see_the_pages(app, demo, browser) -> None:
    prosecutor = browser()
    prosecutor.login("pp.rahim")
    assert prosecutor.get("/cause-lists/").status_code == 403
    assert "/cause-lists/" not in prosecutor.get("/hearings/court").get_data(as_text=True)
    clerk = browser()
    clerk.login("clerk.south")
    assert clerk.get("/cause-lists/nonexistent").status_code == 404
