"""Who may upload, follow a job, see a page image or a suggestion, and review: checked at
the ingestion services that the document pages call."""

from __future__ import annotations

import io

import pytest

from casefiles.models import Case
from ingestion.review import review_state, visible_suggestion
from ingestion.service import (
    document_pages,
    require_uploader,
    upload_document,
    visible_job,
)
from ingestion.viewer import page_image_for
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.jobs import Job


def _actor(demo, username: str):
    return actor_for(demo.store.find_one(User, {"username": username}))


@pytest.fixture
def uploaded(demo):
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    clerk = _actor(demo, "clerk.south")
    doc = upload_document(
        demo, clerk, case.id, filename="note.txt", stream=io.BytesIO(b"The accused fled.")
    )
    return doc


def test_uploading_needs_the_upload_capability(demo) -> None:
    require_uploader(_actor(demo, "clerk.south"))
    for username in ("admin", "supervisor"):
        with pytest.raises(PermissionDenied):
            require_uploader(_actor(demo, username))


def test_a_job_is_visible_to_its_starter_and_to_those_who_see_its_case(demo, uploaded) -> None:
    job = demo.store.get(Job, uploaded.job_id)
    assert visible_job(demo, _actor(demo, "clerk.south"), job.id).id == job.id
    assert visible_job(demo, _actor(demo, "dpp.south"), job.id).id == job.id
    with pytest.raises(LookupError):
        visible_job(demo, _actor(demo, "pp.hyd"), job.id)
    with pytest.raises(LookupError):
        visible_job(demo, _actor(demo, "clerk.south"), "no-such-job")


def test_page_images_and_suggestions_are_hidden_outside_the_case(demo, uploaded) -> None:
    outsider = _actor(demo, "pp.hyd")
    with pytest.raises(LookupError):
        page_image_for(demo, outsider, uploaded.id, 1)
    with pytest.raises(LookupError):  # a text file's page has no image, and page 99 none
        page_image_for(demo, _actor(demo, "clerk.south"), uploaded.id, 99)
    with pytest.raises(LookupError):
        visible_suggestion(demo, outsider, "no-such-suggestion")


def test_review_state_says_who_may_review(demo, uploaded) -> None:
    state = review_state(demo, _actor(demo, "clerk.south"), uploaded)
    assert state.case.id == uploaded.case_id and state.can_review is True
    assert review_state(demo, _actor(demo, "supervisor"), uploaded).can_review is False
    assert document_pages(demo, uploaded) == sorted(
        document_pages(demo, uploaded), key=lambda p: p.number
    )
