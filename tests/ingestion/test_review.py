"""Confirming the FIR's time, place, narrative and a person's CNIC fills the case through
the case-file services; bad values are refused with a message a clerk understands."""

from __future__ import annotations

import io

import pytest

from casefiles.models import Case
from ingestion.review import DocumentSuggestion, ReviewError, decide_suggestion
from ingestion.service import upload_document
from ingestion.tasks import process_document
from ingestion.understanding import understand_document
from mizan.accounts.models import User
from mizan.accounts.service import actor_for

FIR = (
    "FIRST INFORMATION REPORT\n"
    "FIR No. 45/2025 Police Station: Artillery Maidan District: Karachi South\n"
    "Date and time of report: 14.03.2024 at 1030 hours\n"
    "Date and time of occurrence: 13.03.2024 at 10.30 pm\n"
    "Place of occurrence: Outside Empress Market, Saddar\n"
    "Offence u/s 324, 34 PPC\n"
    "Complainant Ghulam Rasool s/o Ali Muhammad, CNIC 42101-1234567-1\n"
    "Accused Akbar @ Kaka s/o Noor Muhammad\n"
    "Brief facts: The complainant was closing his shop when the accused came on a\n"
    "motorcycle and fired at him; he was hit in the leg.\n"
    "Action taken: case registered.\n"
)


@pytest.fixture
def reviewed(demo):
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    doc = upload_document(demo, clerk, case.id, filename="fir.txt", stream=io.BytesIO(FIR.encode()))
    assert process_document(demo, doc.job_id) == "succeeded"
    understand_document(demo, {"document_id": doc.id})  # what the outbox entry runs

    def suggestion(field: str) -> DocumentSuggestion:
        return demo.store.find_one(DocumentSuggestion, {"document_id": doc.id, "field": field})

    return demo, clerk, case.id, suggestion


def test_time_place_narrative_and_cnic_fill_the_case(reviewed) -> None:
    kernel, clerk, case_id, suggestion = reviewed

    def confirm(field: str, value: str = "") -> None:
        decide_suggestion(kernel, clerk, suggestion(field).id, decision="confirm", value=value)

    confirm("occurred_on")
    confirm("occurred_at")
    confirm("place")
    confirm("narrative")
    confirm("complainant")
    confirm("registered_at")  # kept with the document: the case has no report time
    case = kernel.store.get(Case, case_id)
    assert case.fir.incident_at.isoformat(timespec="minutes") == "2024-03-13T22:30"
    assert case.fir.place == "Outside Empress Market, Saddar"
    assert case.fir.narrative == (
        "The complainant was closing his shop when the accused came on a\n"
        "motorcycle and fired at him; he was hit in the leg."
    )
    complainant = next(p for p in case.parties if p.role == "complainant")
    assert (complainant.name, complainant.cnic) == ("Ghulam Rasool", "42101-1234567-1")
    assert complainant.parent_name == "Ali Muhammad"


def test_a_time_needs_the_date_first_and_bad_values_are_refused(reviewed) -> None:
    kernel, clerk, case_id, suggestion = reviewed
    with pytest.raises(ReviewError, match="date of occurrence first"):
        decide_suggestion(kernel, clerk, suggestion("occurred_at").id, decision="confirm")
    with pytest.raises(ReviewError, match="hours:minutes"):
        decide_suggestion(
            kernel, clerk, suggestion("registered_at").id, decision="confirm", value="half past"
        )
    with pytest.raises(ReviewError, match="13 digits"):
        decide_suggestion(
            kernel,
            clerk,
            suggestion("complainant").id,
            decision="confirm",
            value="Ghulam Rasool s/o Ali Muhammad, CNIC 4210-12",
        )
    assert kernel.store.get(Case, case_id).fir.incident_at is None
    assert suggestion("occurred_at").status == "pending"
