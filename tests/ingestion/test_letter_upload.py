"""An edited letter uploaded back: a case document of the letter's kind, then its versions."""

from __future__ import annotations

import io

import pytest

from app.demo import seed_demo_details
from casefiles.letters import draft_letter, list_templates
from casefiles.models import CaseDocument
from casefiles.service import CaseNotFound
from ingestion.letters import current_letter, upload_letter
from ingestion.service import UploadError
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from tests.casefiles.case_steps import demo_case


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _bail_docx(kernel, actor, case_id: str, language: str = "en") -> bytes:
    template = next(
        t for t in list_templates(kernel) if (t.key, t.language) == ("bail_opposition", language)
    )
    return draft_letter(kernel, actor, case_id, template.id, "docx").data


def test_upload_back_starts_a_document_then_adds_versions(demo) -> None:
    seed_demo_details(demo)
    case = demo_case(demo)
    rahim = _actor(demo, "pp.rahim")
    first = upload_letter(
        demo,
        rahim,
        case.id,
        kind="bail_opposition",
        language="en",
        filename="bail.docx",
        stream=io.BytesIO(_bail_docx(demo, rahim, case.id)),
    )
    assert (first.doc_type, first.doc_type_source, first.version_no) == (
        "bail_opposition",
        "clerk",  # a person chose the kind: the classifier will not overwrite it
        1,
    )
    assert first.title == "Bail opposition note"
    second = upload_letter(
        demo,
        rahim,
        case.id,
        kind="bail_opposition",
        language="ur",
        filename="bail-ur.docx",
        stream=io.BytesIO(_bail_docx(demo, rahim, case.id, "ur")),
    )
    assert second.version_no == 2 and second.series_id == first.id
    assert second.language == "urd" and second.title == first.title
    assert demo.store.get(CaseDocument, first.id).superseded_by == second.id
    assert current_letter(demo, case.id, "bail_opposition").id == second.id
    assert current_letter(demo, case.id, "adjournment") is None


def test_bad_uploads_are_refused_and_store_nothing(demo) -> None:
    case = demo_case(demo)
    rahim = _actor(demo, "pp.rahim")
    before = demo.store.count(CaseDocument, {})
    cases = (
        ({"kind": "love_letter", "language": "en", "filename": "a.docx"}, "Choose which letter"),
        ({"kind": "adjournment", "language": "fr", "filename": "a.docx"}, "English or Urdu"),
        ({"kind": "adjournment", "language": "en", "filename": "a.txt"}, "neither"),
        ({"kind": "adjournment", "language": "en", "filename": ""}, "Choose a file"),
    )
    for fields, message in cases:
        with pytest.raises(UploadError, match=message):
            upload_letter(demo, rahim, case.id, stream=io.BytesIO(b"text"), **fields)
    # A file named .docx that is not a Word document is refused by the upload's own check.
    with pytest.raises(UploadError):
        upload_letter(
            demo,
            rahim,
            case.id,
            kind="adjournment",
            language="en",
            filename="fake.docx",
            stream=io.BytesIO(b"just text"),
        )
    with pytest.raises(CaseNotFound):
        upload_letter(
            demo,
            _actor(demo, "pp.hyd"),
            case.id,
            kind="adjournment",
            language="en",
            filename="a.docx",
            stream=io.BytesIO(b"x"),
        )
    with pytest.raises(PermissionDenied):
        upload_letter(
            demo,
            _actor(demo, "clerk.south"),
            case.id,
            kind="adjournment",
            language="en",
            filename="a.docx",
            stream=io.BytesIO(b"x"),
        )
    assert demo.store.count(CaseDocument, {}) == before
