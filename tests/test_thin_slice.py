"""The foundation's thin slice, end to end through HTTP with a real worker.

A clerk opens a case and uploads a scanned page; a Celery worker OCRs it and
indexes it in Tantivy; the assigned prosecutor finds it with a highlighted
snippet; a prosecutor not assigned gets no hit and a 404; every step is audited.
"""

from __future__ import annotations

import re
import time

import pytest

from casefiles.models import Case, CaseDocument
from mizan.audit import AuditEntry, verify
from mizan.jobs import Job
from search.backends import search_index
from tests.conftest import render_scan, user_id

pytestmark = pytest.mark.slow


def wait_for(predicate, timeout: float = 120.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting for the worker")


def test_scanned_page_flows_from_clerk_to_assigned_prosecutor_only(
    app, demo, browser, celery_worker, tmp_path
):
    clerk = browser()
    assert clerk.login("clerk.south").status_code == 302

    # 1. The clerk opens a case from an FIR.
    response = clerk.post(
        "/cases/new",
        {
            "district": "KHI-S",
            "police_station": "Saddar",
            "fir_number": "45",
            "fir_year": "2025",
            "title": "State v. Rasheed",
        },
    )
    assert response.status_code == 302, response.data
    case = demo.store.find_one(Case, {"fir.police_station": "Saddar", "fir.number": 45})
    assert case is not None and response.headers["Location"].endswith(f"/cases/{case.id}")

    # 2. ...and uploads a scanned page to it.
    scan = render_scan(
        "Statement under section 161 CrPC\n"
        "The accused Rasheed was seen near the godown with a pistol",
        tmp_path / "scan.png",
    )
    with scan.open("rb") as fh:
        response = clerk.client.post(
            f"/cases/{case.id}/documents",
            data={
                "file": (fh, "scan.png"),
                "title": "Witness statement",
                "lang": "eng",
                "csrf_token": clerk.token(f"/cases/{case.id}"),
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 303
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    assert doc is not None and doc.media_type == "image/png"

    # 3. The worker OCRs and indexes it; the clerk's progress endpoint reports success.
    def finished():
        state = clerk.get(f"/jobs/{doc.job_id}.json").get_json()
        return state if state["state"] in ("succeeded", "failed") else None

    state = wait_for(finished)
    assert state["state"] == "succeeded", state
    assert state["percent"] == 100 and state["total"] == 1
    only_documents = {"kind": "document"}  # the case record "State v. Rasheed" matches too
    wait_for(
        lambda: search_index(demo).search("Rasheed", principals=None, filters=only_documents).total
    )

    # 4. The district public prosecutor assigns Abdul Rahim; Sana is not assigned.
    dpp = browser()
    dpp.login("dpp.south")
    fresh = demo.store.get(Case, case.id)
    response = dpp.post(
        f"/cases/{case.id}/assign",
        {"lead": user_id(demo, "pp.rahim"), "version": str(fresh.version), "reason": "duty roster"},
        form_url=f"/cases/{case.id}",
    )
    assert response.status_code == 302
    assert demo.store.get(Case, case.id).lead_prosecutor == user_id(demo, "pp.rahim")

    # 5. The assigned prosecutor finds the page by a word in it, highlighted.
    rahim = browser()
    rahim.login("pp.rahim")
    page = rahim.get("/search/?q=rasheed&mode=keyword").data.decode()
    assert "2 results" in page  # the page and the case record itself
    assert re.search(r"<mark>Rasheed</mark>", page)
    assert f"/documents/{doc.id}" in page and f"/cases/{case.id}" in page
    assert rahim.get(f"/documents/{doc.id}?q=pistol").status_code == 200
    assert rahim.get(f"/documents/{doc.id}/download").data == scan.read_bytes()

    # 6. A prosecutor not assigned to the case gets no hit and a 404 on the document.
    sana = browser()
    sana.login("pp.sana")
    page = sana.get("/search/?q=rasheed&mode=keyword").data.decode()
    assert "<mark>" not in page and "0 results" in page
    assert sana.get(f"/documents/{doc.id}").status_code == 404
    assert sana.get(f"/documents/{doc.id}/download").status_code == 404
    assert sana.get(f"/cases/{case.id}").status_code == 404

    # 7. Every step is in the audit trail, and the chain verifies.
    actions = [(e.actor_name, e.action) for e in demo.store.find(AuditEntry, sort=[("seq", 1)])]
    for expected in [
        ("clerk.south", "auth.login"),
        ("clerk.south", "case.created"),
        ("clerk.south", "document.uploaded"),
        ("worker", "document.extracted"),
        ("dpp.south", "case.assigned"),
        ("pp.rahim", "document.viewed"),
        ("pp.rahim", "document.downloaded"),
        ("pp.sana", "document.access_denied"),
        ("pp.sana", "case.access_denied"),
    ]:
        assert expected in actions, f"{expected} missing from the audit trail"
    viewed = demo.store.find_one(AuditEntry, {"action": "document.viewed"})
    assert viewed.address == "127.0.0.1" and viewed.subject_id == doc.id
    assert verify(demo.store).ok
    assert demo.store.get(Job, doc.job_id).attempts == 1
