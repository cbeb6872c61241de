"""The document page tells the truth while work is pending: "still classifying", never the
empty answer ("Type found automatically: Other", "No case details were found")."""

from __future__ import annotations

import io

from casefiles.models import Case, CaseDocument
from ingestion.tasks import process_document
from mizan import outbox

TEXT = "A note with nothing of a case in it, long enough to be read as text.\n"


def test_pending_steps_say_still_and_never_nothing_found(demo, browser) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    b = browser()
    b.login("clerk.south")
    b.client.post(
        f"/cases/{case.id}/documents",
        data={
            "file": (io.BytesIO(TEXT.encode()), "note.txt"),
            "lang": "eng",
            "csrf_token": b.token(f"/cases/{case.id}"),
        },
        content_type="multipart/form-data",
    )
    doc = demo.store.find_one(CaseDocument, {"filename": "note.txt"})
    assert process_document(demo, doc.job_id) == "succeeded"  # read; not yet understood

    pending = b.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Still classifying…" in pending
    assert "Still looking for case details…" in pending
    assert "Type found automatically" not in pending
    assert "No case details were found" not in pending
    assert f'data-poll="/documents/{doc.id}/steps"' in pending
    assert "data-done" not in b.get(f"/documents/{doc.id}/steps").get_data(as_text=True)

    while outbox.drain(demo):
        pass
    done = b.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Type found automatically: Other" in done
    assert "No case details were found in this document." in done
    assert "data-poll" not in done.split('id="steps"')[1].split("</section>")[0]
    assert "data-done" in b.get(f"/documents/{doc.id}/steps").get_data(as_text=True)


def test_the_steps_of_a_case_one_may_not_see_are_not_found(demo, browser) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    b = browser()
    b.login("clerk.south")
    b.client.post(
        f"/cases/{case.id}/documents",
        data={
            "file": (io.BytesIO(TEXT.encode()), "note.txt"),
            "lang": "eng",
            "csrf_token": b.token(f"/cases/{case.id}"),
        },
        content_type="multipart/form-data",
    )
    doc = demo.store.find_one(CaseDocument, {"filename": "note.txt"})
    other = browser()
    other.login("pp.hyd")
    assert other.get(f"/documents/{doc.id}/steps").status_code == 404
