"""Letter pages: a prosecutor downloads a filled DOCX, others get 404 or 403, administrators
edit templates (checked on save, stale edits refused), a letter is uploaded back."""

from __future__ import annotations

import io
import re

import docx

from casefiles.letter_templates import LetterTemplate
from casefiles.letters import LetterDraft, list_templates
from casefiles.models import CaseDocument
from tests.casefiles.case_steps import demo_case


def _ids(app, key: str = "bail_opposition", language: str = "en") -> tuple[str, str]:
    kernel = app.extensions["mizan"]
    template = next(t for t in list_templates(kernel) if (t.key, t.language) == (key, language))
    return demo_case(kernel).id, template.id


def _signed_in(browser, username: str):
    b = browser()
    b.login(username)
    return b


def test_prosecutor_picks_previews_and_downloads_a_docx(app, browser) -> None:
    case_id, template_id = _ids(app)
    b = _signed_in(browser, "pp.rahim")
    case_page = b.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/cases/{case_id}/letters"' in case_page and "Write a letter" in case_page
    index = b.get(f"/cases/{case_id}/letters").get_data(as_text=True)
    assert f"/cases/{case_id}/letters/{template_id}" in index
    preview = b.get(f"/cases/{case_id}/letters/{template_id}")
    assert preview.status_code == 200
    assert "FIR No. 189/2024, Police Station Artillery Maidan" in preview.get_data(as_text=True)
    response = b.post(
        f"/cases/{case_id}/letters/{template_id}/download",
        {"format": "docx"},
        form_url=f"/cases/{case_id}/letters/{template_id}",
    )
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "bail_opposition-FIR-189-2024.docx" in response.headers["Content-Disposition"]
    assert b.get(f"/cases/{case_id}/letters/no-such-template").status_code == 404
    odd = b.post(
        f"/cases/{case_id}/letters/{template_id}/download",
        {"format": "rtf"},
        form_url=f"/cases/{case_id}/letters/{template_id}",
        follow_redirects=True,
    )
    assert "Choose Word (DOCX) or PDF." in odd.get_data(as_text=True)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    assert "189/2024" in text and "Artillery Maidan" in text
    assert app.extensions["mizan"].store.count(LetterDraft, {"format": "docx"}) == 1


def test_urdu_preview_is_right_to_left_and_in_urdu_from_an_english_page(app, browser) -> None:
    from app.demo import seed_demo_details

    seed_demo_details(app.extensions["mizan"])
    case_id, template_id = _ids(app, language="ur")
    page = _signed_in(browser, "pp.rahim").get(f"/cases/{case_id}/letters/{template_id}")
    html = page.get_data(as_text=True)
    assert re.search(r'class="card letter-preview" lang="ur" dir="rtl"', html)
    assert '<html lang="en" dir="ltr">' in html  # the reader's page stays English
    assert "Muhammad Aslam s/o Muhammad Akram (زیرِ حراست)" in html  # the letter's: Urdu
    english = _ids(app, language="en")[1]
    page = _signed_in(browser, "pp.rahim").get(f"/cases/{case_id}/letters/{english}")
    assert "Muhammad Aslam s/o Muhammad Akram (In custody)" in page.get_data(as_text=True)


def test_case_you_may_not_see_is_not_found(app, browser) -> None:
    case_id, template_id = _ids(app)
    b = _signed_in(browser, "pp.hyd")  # Hyderabad: not this case
    assert b.get(f"/cases/{case_id}/letters").status_code == 404
    assert b.get(f"/cases/{case_id}/letters/{template_id}").status_code == 404
    token = b.token("/")
    response = b.client.post(
        f"/cases/{case_id}/letters/{template_id}/download",
        data={"format": "docx", "csrf_token": token},
    )
    assert response.status_code == 404
    assert app.extensions["mizan"].store.count(LetterDraft, {}) == 0


def test_clerk_sees_the_case_but_writes_no_letters_and_edits_no_templates(app, browser) -> None:
    case_id, template_id = _ids(app)
    b = _signed_in(browser, "clerk.south")
    assert "Write a letter" not in b.get(f"/cases/{case_id}").get_data(as_text=True)
    assert b.get(f"/cases/{case_id}/letters/{template_id}").status_code == 403
    assert b.get("/admin/letter-templates").status_code == 403
    assert b.get(f"/admin/letter-templates/{template_id}").status_code == 403
    token = b.token("/")
    response = b.client.post(
        f"/admin/letter-templates/{template_id}",
        data={"title": "Mine", "body": "Hello", "version": "0", "csrf_token": token},
    )
    assert response.status_code == 403
    stored = app.extensions["mizan"].store.get(LetterTemplate, template_id)
    assert stored.title == "Bail opposition note"


def test_admin_edits_a_template_unknown_placeholder_named_stale_edit_kept(app, browser) -> None:
    _case_id, template_id = _ids(app, "adjournment")
    kernel = app.extensions["mizan"]
    b = _signed_in(browser, "admin")
    assert "Letter templates" in b.get("/").get_data(as_text=True)  # in the menu
    listing = b.get("/admin/letter-templates").get_data(as_text=True)
    assert f"/admin/letter-templates/{template_id}" in listing
    url = f"/admin/letter-templates/{template_id}"
    version = str(kernel.store.get(LetterTemplate, template_id).version)
    bad = b.post(url, {"title": "Adjournment", "body": "FIR {{fir_no}}", "version": version})
    assert bad.status_code == 400
    assert "Unknown placeholder {{fir_no}}" in bad.get_data(as_text=True)
    assert kernel.store.get(LetterTemplate, template_id).title == "Application for adjournment"
    good = b.post(url, {"title": "Adjournment", "body": "FIR {{fir_number}}", "version": version})
    assert good.status_code == 303
    assert kernel.store.get(LetterTemplate, template_id).body == "FIR {{fir_number}}"
    stale = b.post(url, {"title": "Late", "body": "My late text {{today}}", "version": version})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "My late text" in page and "Someone saved this template" in page
    assert kernel.store.get(LetterTemplate, template_id).title == "Adjournment"


def test_edited_letter_uploaded_back_becomes_a_case_document(app, browser) -> None:
    case_id, template_id = _ids(app)
    b = _signed_in(browser, "pp.rahim")
    letter = b.post(
        f"/cases/{case_id}/letters/{template_id}/download",
        {"format": "docx"},
        form_url=f"/cases/{case_id}/letters/{template_id}",
    ).data
    url = f"/cases/{case_id}/letters/upload"
    response = b.client.post(
        url,
        data={
            "kind": "bail_opposition",
            "language": "en",
            "file": (io.BytesIO(letter), "bail-signed.docx"),
            "csrf_token": b.token(f"/cases/{case_id}/letters"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    doc = app.extensions["mizan"].store.find_one(CaseDocument, {"doc_type": "bail_opposition"})
    assert doc is not None and doc.case_id == case_id
    assert response.headers["Location"].endswith(f"/documents/{doc.id}")
    listed = b.get(f"/cases/{case_id}/letters").get_data(as_text=True)
    assert "Letters in the case file" in listed and f"/documents/{doc.id}" in listed
    refused = b.client.post(
        url,
        data={
            "kind": "bail_opposition",
            "language": "en",
            "file": (io.BytesIO(b"notes"), "notes.txt"),
            "csrf_token": b.token(f"/cases/{case_id}/letters"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Upload the letter as a Word document" in refused.get_data(as_text=True)
