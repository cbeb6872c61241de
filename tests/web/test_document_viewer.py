"""The document page over HTTP: viewer, audit, type correction, suggestions filling the case,
and who may see a document at all."""

from __future__ import annotations

import io

import pytest

from casefiles.models import Case, CaseDocument, DocumentPage
from ingestion.review import DocumentSuggestion, clerk_agreement
from ingestion.tasks import process_document
from ingestion.understanding import understand_document
from mizan import outbox
from mizan.audit import AuditEntry
from tests.conftest import render_scan
from tests.mizan.test_cli import run as run_cli

FIR = (
    "FIRST INFORMATION REPORT\n"
    "Under Section 154 Cr.P.C.\n"
    "FIR No. 45/2025 Police Station: Artillery Maidan District: Karachi South\n"
    "Date and time of report: 03.03.2025 at 1030 hours\n"
    "Offence u/s 324, 34 PPC\n"
    "Complainant Ghulam Rasool s/o Ali Muhammad\n"
    "Accused Akbar @ Kaka s/o Noor Muhammad\n"
)


def _case(kernel, station: str = "Artillery Maidan") -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})


def _add(b, kernel, case: Case, name: str, data: bytes) -> CaseDocument:
    b.client.post(
        f"/cases/{case.id}/documents",
        data={
            "file": (io.BytesIO(data), name),
            "title": "",
            "lang": "eng",
            "csrf_token": b.token(f"/cases/{case.id}"),
        },
        content_type="multipart/form-data",
    )
    doc = kernel.store.find_one(CaseDocument, {"case_id": case.id, "filename": name})
    assert process_document(kernel, doc.job_id) == "succeeded"
    while outbox.drain(kernel):  # index, classify, reindex
        pass
    return kernel.store.get(CaseDocument, doc.id)


def _suggestion(kernel, doc: CaseDocument, field: str) -> DocumentSuggestion:
    return kernel.store.find_one(DocumentSuggestion, {"document_id": doc.id, "field": field})


def _decide(b, s: DocumentSuggestion, **data):
    return b.post(
        f"/suggestions/{s.id}", data, form_url=f"/documents/{s.document_id}", follow_redirects=True
    )


def _actions(kernel, doc_id: str) -> list[str]:
    entries = kernel.store.find(AuditEntry, {"subject_id": doc_id}, sort=[("seq", 1)])
    return [e.action for e in entries]


def test_a_text_fir_is_classified_and_its_details_suggested(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    doc = _add(clerk, demo, _case(demo), "fir.txt", FIR.encode())
    assert doc.doc_type == "fir" and doc.doc_type_auto == "fir"
    assert "First Information Report" in doc.doc_type_cues
    page = clerk.get(f"/documents/{doc.id}").data.decode()
    assert "Suggestions to check" in page
    # The demo case already has this police station: the clerk is told so.
    station = _suggestion(demo, doc, "police_station")
    row = page[page.index(f'id="s-{station.id}"') :]
    assert "already in the case" in row[: row.index("</tr>")]
    assert "Ghulam Rasool s/o Ali Muhammad" in page and "324 PPC; 34 PPC" in page
    retyped = demo.store.find_one(AuditEntry, {"subject_id": doc.id, "action": "document.retyped"})
    assert retyped.data["by"] == "classifier" and retyped.data["to"] == "fir"


def test_confirmed_suggestions_fill_the_case_and_are_audited(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    doc = _add(clerk, demo, case, "fir.txt", FIR.encode())

    response = _decide(clerk, _suggestion(demo, doc, "offences"), decision="confirm", value="")
    assert response.status_code == 200
    case = demo.store.get(Case, case.id)
    assert {"324 PPC", "34 PPC"} <= {o.canonical for o in case.offences}

    # The clerk corrects a name before confirming; the edit is what the case gets.
    accused = _suggestion(demo, doc, "accused")
    _decide(clerk, accused, decision="confirm", value="Akbar @ Kaka s/o Noor Muhammad Khan")
    case = demo.store.get(Case, case.id)
    added = next(p for p in case.parties if p.role == "accused" and p.name == "Akbar")
    assert added.aliases == ["Kaka"] and added.parent_name == "Noor Muhammad Khan"
    assert demo.store.get(DocumentSuggestion, accused.id).status == "confirmed"

    _decide(clerk, _suggestion(demo, doc, "registered_on"), decision="confirm", value="")
    case = demo.store.get(Case, case.id)
    assert case.fir.registered_on.date().isoformat() == "2025-03-03"

    _decide(clerk, _suggestion(demo, doc, "complainant"), decision="reject")
    assert not any(p.role == "complainant" for p in demo.store.get(Case, case.id).parties)

    actions = _actions(demo, doc.id)
    assert actions.count("document.suggestion_confirmed") == 3
    assert "document.suggestion_rejected" in actions
    case_actions = {e.action for e in demo.store.find(AuditEntry, {"subject_id": case.id})}
    assert {"case.offences_changed", "case.party_added", "case.fir_updated"} <= case_actions

    # A decided suggestion cannot be decided again, and a re-run does not bring it back.
    again = _decide(clerk, accused, decision="confirm", value="")
    assert b"already been decided" in again.data
    understand_document(demo, {"document_id": doc.id})
    assert demo.store.count(DocumentSuggestion, {"document_id": doc.id, "field": "accused"}) == 1


def test_bad_values_are_refused_with_a_clear_message(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    doc = _add(clerk, demo, case, "fir.txt", FIR.encode())
    number = _suggestion(demo, doc, "fir_number")
    response = _decide(clerk, number, decision="confirm", value="forty-five")
    assert b"The FIR number must be between 1 and 99999." in response.data
    date = _suggestion(demo, doc, "registered_on")
    response = _decide(clerk, date, decision="confirm", value="31.02.2025")
    assert b"day.month.year" in response.data
    # The FIR number 189/2024 of this station exists: changing it to 77 of Boat Basin's
    # year is fine, but to another case's FIR in the district is refused by name.
    year = _suggestion(demo, doc, "fir_year")
    _decide(clerk, year, decision="confirm", value="2024")
    response = _decide(clerk, number, decision="confirm", value="189")
    assert response.status_code == 200
    assert demo.store.get(DocumentSuggestion, number.id).status == "confirmed"
    assert demo.store.get(Case, case.id).reference == "FIR 189/2024 PS Artillery Maidan"


def test_a_stale_case_version_is_refused(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    doc = _add(clerk, demo, case, "fir.txt", FIR.encode())
    s = _suggestion(demo, doc, "offences")
    response = _decide(clerk, s, decision="confirm", value="", case_version=str(case.version - 1))
    assert b"changed this case meanwhile" in response.data
    assert demo.store.get(DocumentSuggestion, s.id).status == "pending"


def test_low_confidence_values_need_the_page_checked(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    doc = _add(clerk, demo, _case(demo), "fir.txt", FIR.encode())
    s = _suggestion(demo, doc, "police_station")
    s.flagged, s.ocr_confidence = True, 42.0
    demo.store.replace(s)
    page = clerk.get(f"/documents/{doc.id}").data.decode()
    assert "OCR confidence 42%" in page
    response = _decide(clerk, s, decision="confirm", value="Artillery Maidan")
    assert b"low OCR confidence" in response.data
    assert demo.store.get(DocumentSuggestion, s.id).status == "pending"
    _decide(clerk, s, decision="confirm", value="Artillery Maidan", checked_image="y")
    assert demo.store.get(DocumentSuggestion, s.id).status == "confirmed"


def test_clerk_type_correction_is_kept_and_measures_the_classifier(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    doc = _add(clerk, demo, _case(demo), "fir.txt", FIR.encode())
    response = clerk.post(
        f"/documents/{doc.id}/type",
        {"doc_type": "challan", "version": str(doc.version)},
        form_url=f"/documents/{doc.id}",
        follow_redirects=True,
    )
    assert "Document type set to" in response.data.decode()
    understand_document(demo, {"document_id": doc.id})  # the classifier runs again
    doc = demo.store.get(CaseDocument, doc.id)
    assert (doc.doc_type, doc.doc_type_source, doc.doc_type_auto) == ("challan", "clerk", "fir")
    retyped = demo.store.find(
        AuditEntry, {"subject_id": doc.id, "action": "document.retyped"}, sort=[("seq", 1)]
    )
    assert [e.data["by"] for e in retyped] == ["classifier", "clerk"]
    assert retyped[-1].data["classifier"] == "fir"
    # The correction measures the classifier (also `mizan classifier-report`).
    measured = clerk_agreement(demo)
    assert (measured.total, measured.correct) == (1, 0)
    assert measured.confusion == {("fir", "challan"): 1}
    report = run_cli(demo.settings, "classifier-report")
    assert report.returncode == 0, report.stderr
    assert "agreed with clerks on 0 of 1" in report.stdout
    assert "classifier said fir, clerk chose challan: 1" in report.stdout
    bad = clerk.post(
        f"/documents/{doc.id}/type",
        {"doc_type": "poem", "version": str(doc.version)},
        form_url=f"/documents/{doc.id}",
        follow_redirects=True,
    )
    assert b"Not a valid choice" in bad.data


def test_read_only_users_see_suggestions_but_cannot_decide(browser, demo) -> None:
    clerk, supervisor = browser(), browser()
    clerk.login("clerk.south")
    supervisor.login("supervisor")
    doc = _add(clerk, demo, _case(demo), "fir.txt", FIR.encode())
    page = supervisor.get(f"/documents/{doc.id}").data.decode()
    assert "Ghulam Rasool" in page and 'value="confirm"' not in page
    s = _suggestion(demo, doc, "offences")
    response = supervisor.post(f"/suggestions/{s.id}", {"decision": "confirm"}, form_url="/")
    assert response.status_code == 403


@pytest.mark.slow
def test_scan_viewer_highlights_hits_on_the_image_and_audits_every_look(
    browser, demo, tmp_path
) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    scan = render_scan(FIR, tmp_path / "fir.png").read_bytes()
    doc = _add(clerk, demo, _case(demo), "fir.png", scan)
    page = demo.store.find_one(DocumentPage, {"document_id": doc.id})
    assert page.words and page.image_width and page.rotation == 0

    html = clerk.get(f"/documents/{doc.id}?q=Rasool").data.decode()
    assert "<mark>Rasool</mark>" in html
    assert html.count('<rect class="hit"') == 1
    assert f"/documents/{doc.id}/pages/1/image" in html
    assert f'viewBox="0 0 {page.image_width} {page.image_height}"' in html

    image = clerk.get(f"/documents/{doc.id}/pages/1/image")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["Cache-Control"] == "private, no-store"
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert clerk.get(f"/documents/{doc.id}/pages/1/image").data == image.data  # cached render
    assert clerk.get(f"/documents/{doc.id}/pages/2/image").status_code == 404
    download = clerk.get(f"/documents/{doc.id}/download")
    assert download.status_code == 200 and download.data == scan

    actions = _actions(demo, doc.id)
    assert actions.count("document.page_viewed") == 3  # the missing page 2 was asked for too
    assert "document.viewed" in actions and "document.downloaded" in actions


def test_unauthorised_users_get_404_everywhere_and_no_search_hits(browser, demo) -> None:
    dpp = browser()
    dpp.login("dpp.south")
    doc = _add(dpp, demo, _case(demo), "fir.txt", (FIR + "zarghunite\n").encode())
    s = _suggestion(demo, doc, "offences")
    for username in ("pp.sana", "pp.hyd"):
        b = browser()
        b.login(username)
        for url in (
            f"/documents/{doc.id}",
            f"/documents/{doc.id}?q=Rasool",
            f"/documents/{doc.id}/pages/1/image",
            f"/documents/{doc.id}/download",
        ):
            assert b.get(url).status_code == 404, (username, url)
        assert (
            b.post(f"/suggestions/{s.id}", {"decision": "confirm"}, form_url="/").status_code == 404
        )
        assert b.post(
            f"/documents/{doc.id}/type", {"doc_type": "order", "version": "1"}, form_url="/"
        ).status_code in (303, 404)
        # Neither the words nor the meaning of the document reach them.
        assert "0 results" in b.get("/search/?q=zarghunite&mode=keyword").data.decode()
        assert f"/documents/{doc.id}" not in b.get("/search/?q=zarghunite").data.decode()
        denied = demo.store.count(
            AuditEntry, {"action": "document.access_denied", "actor_name": username}
        )
        assert denied >= 3
    assert demo.store.get(DocumentSuggestion, s.id).status == "pending"
    assert demo.store.get(CaseDocument, doc.id).doc_type == "fir"
    rahim = browser()
    rahim.login("pp.rahim")
    assert f"/documents/{doc.id}" in rahim.get("/search/?q=zarghunite").data.decode()


def test_a_long_file_shows_the_first_images_the_hits_and_the_page_asked_for(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    doc = _add(clerk, demo, _case(demo), "bundle.txt", b"a bundle of pages")
    # Stored as the OCR step stores scanned pages (words with boxes, image size).
    demo.store.delete(demo.store.find_one(DocumentPage, {"document_id": doc.id}))
    for n in range(1, 9):
        word = "Rasool" if n == 7 else f"page{n}"
        demo.store.insert(
            DocumentPage(
                document_id=doc.id,
                number=n,
                text=f"Statement {word}",
                method="ocr",
                confidence=90.0,
                words=f"10 10 200 40 95\tStatement\n220 10 150 40 91\t{word}",
                image_width=1000,
                image_height=1400,
            )
        )
    html = clerk.get(f"/documents/{doc.id}").data.decode()
    assert [n for n in range(1, 9) if f"/pages/{n}/image" in html] == [1, 2, 3, 4, 5]
    assert "show=6" in html and "Show the page image" in html
    html = clerk.get(f"/documents/{doc.id}?q=Rasool&show=8").data.decode()
    assert [n for n in range(1, 9) if f"/pages/{n}/image" in html] == [1, 2, 3, 4, 5, 7, 8]
    assert html.count('<rect class="hit"') == 1
    assert 'x="216" y="6" width="158" height="48"' in html  # the word's box, with a margin


def test_a_value_already_in_the_case_is_confirmed_without_a_change(browser, demo) -> None:
    clerk = browser()
    clerk.login("clerk.south")
    case = _case(demo)
    doc = _add(clerk, demo, case, "fir.txt", FIR.encode())
    station = _suggestion(demo, doc, "police_station")
    _decide(clerk, station, decision="confirm", value="")
    assert demo.store.get(DocumentSuggestion, station.id).status == "confirmed"
    assert demo.store.get(Case, case.id).version == case.version  # untouched
    # Sections typed the way clerks write them are read strictly and merged, once each.
    offences = _suggestion(demo, doc, "offences")
    _decide(clerk, offences, decision="confirm", value="324/34 PPC r/w 302 PPC")
    canon = [o.canonical for o in demo.store.get(Case, case.id).offences]
    assert sorted(canon) == ["302 PPC", "324 PPC", "34 PPC"]


@pytest.mark.slow
def test_the_viewer_says_which_reading_of_a_scan_was_kept_and_why(browser, demo, tmp_path) -> None:
    from PIL import Image

    clerk = browser()
    clerk.login("clerk.south")
    upright = render_scan(FIR, tmp_path / "upright.png")
    sideways = tmp_path / "sideways.png"
    Image.open(upright).rotate(90, expand=True, fillcolor=255).save(sideways)
    clean = _add(clerk, demo, _case(demo), "upright.png", upright.read_bytes())
    turned = _add(clerk, demo, _case(demo), "sideways.png", sideways.read_bytes())

    page = demo.store.find_one(DocumentPage, {"document_id": clean.id})
    assert page.ocr_reading.startswith("plain: read cleanly")
    html = clerk.get(f"/documents/{clean.id}").data.decode()
    assert "reading kept: plain" in html and "Why this reading of the page was kept" in html

    page = demo.store.find_one(DocumentPage, {"document_id": turned.id})
    assert page.ocr_reading.startswith("turned 90°") and page.rotation == 90
    html = clerk.get(f"/documents/{turned.id}").data.decode()
    assert "reading kept: turned 90°" in html
    assert "the plain reading had" in html and "this reading scored" in html
