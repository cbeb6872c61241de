"""Starting a case from a scan: read without a case, proposed in one form, confirmed all at
once through the case-file services, or filed into the case that already has the FIR."""

from __future__ import annotations

import dataclasses
import io

import pytest

from casefiles.models import Case, CaseDocument, DocumentPage
from casefiles.service import CaseError
from ingestion.intake_reading import read_intake
from ingestion.scan_intake import (
    IntakeError,
    IntakeState,
    PersonRow,
    ScanIntake,
    confirm_intake,
    existing_case,
    file_intake,
    intake_for,
    propose,
    start_intake,
)
from ingestion.tasks import process_document
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.jobs import Job
from mizan.storage import StaleWriteError

FIR = (
    "FIRST INFORMATION REPORT\n"
    "FIR No. 77/2024 Police Station: Preedy District: Karachi South\n"
    "Date and time of report: 14.03.2024 at 1030 hours\n"
    "Date and time of occurrence: 13.03.2024 at 10.30 pm\n"
    "Place of occurrence: Outside Empress Market, Saddar\n"
    "Offence u/s 324, 34 PPC\n"
    "Complainant Ghulam Rasool s/o Ali Muhammad, CNIC 42101-1234567-1\n"
    "Accused Akbar @ Kaka s/o Noor Muhammad, CNIC 4210176543219\n"
    "Brief facts: The complainant was closing his shop when the accused came on a\n"
    "motorcycle and fired at him; he was hit in the leg.\n"
    "Action taken: case registered.\n"
)


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


@pytest.fixture
def read_scan(demo):
    clerk = _actor(demo, "clerk.south")
    intake = start_intake(demo, clerk, filename="fir.txt", stream=io.BytesIO(FIR.encode()))
    assert intake.state == IntakeState.QUEUED
    assert read_intake(demo, intake.job_id) == "succeeded"
    return demo, clerk, demo.store.get(ScanIntake, intake.id)


def test_the_proposal_holds_every_field_read(read_scan) -> None:
    _kernel, _clerk, intake = read_scan
    p = propose(intake)
    assert (p.police_station, p.fir_number, p.fir_year) == ("Preedy", "77", "2024")
    assert (p.registered_on, p.registered_at) == ("2024-03-14", "10:30")
    assert (p.occurred_on, p.occurred_at) == ("2024-03-13", "22:30")
    assert p.place == "Outside Empress Market, Saddar"
    assert p.offences == "324 PPC; 34 PPC"
    assert p.complainant == PersonRow("Ghulam Rasool", "s/o Ali Muhammad", "42101-1234567-1")
    assert p.accused == [PersonRow("Akbar @ Kaka", "s/o Noor Muhammad", "42101-7654321-9")]
    assert p.narrative.startswith("The complainant was closing his shop")


def test_confirm_all_creates_the_case_and_files_the_scan(read_scan) -> None:
    kernel, clerk, intake = read_scan
    p = propose(intake)
    p.witnesses = [PersonRow("Abdul Ghani", "s/o Noor Ahmed", "")]
    p.place = "Empress Market gate, Saddar"  # an edited field is taken as edited
    case, document_id = confirm_intake(kernel, clerk, intake.id, p, version=intake.version)
    case = kernel.store.get(Case, case.id)
    assert case.reference == "FIR 77/2024 PS Preedy"
    assert case.district == clerk.district
    assert case.fir.registered_on.date().isoformat() == "2024-03-14"
    assert case.fir.incident_at.isoformat(timespec="minutes") == "2024-03-13T22:30"
    assert case.fir.place == "Empress Market gate, Saddar"
    assert case.fir.narrative.startswith("The complainant was closing his shop")
    assert [o.canonical for o in case.offences] == ["324 PPC", "34 PPC"]
    people = {(x.role, x.name, x.cnic) for x in case.parties}
    assert people == {
        ("complainant", "Ghulam Rasool", "42101-1234567-1"),
        ("accused", "Akbar", "42101-7654321-9"),
        ("witness", "Abdul Ghani", None),
    }
    doc = kernel.store.get(CaseDocument, document_id)
    assert (doc.case_id, doc.sha256) == (case.id, intake.sha256)
    assert kernel.store.get(ScanIntake, intake.id).state == IntakeState.FILED
    # The pages read for the proposal are the document's: its reading has nothing left to do.
    assert [p.text for p in kernel.store.find(DocumentPage, {"document_id": doc.id})] == [FIR]
    assert process_document(kernel, doc.job_id) == "succeeded"
    assert kernel.store.get(Job, doc.job_id).stage == "done"
    assert [p.text for p in kernel.store.find(DocumentPage, {"document_id": doc.id})] == [FIR]


def test_a_stale_or_second_confirmation_is_refused(read_scan) -> None:
    kernel, clerk, intake = read_scan
    with pytest.raises(StaleWriteError):  # the form was older than the scan's record
        confirm_intake(kernel, clerk, intake.id, propose(intake), version=intake.version - 1)
    confirm_intake(kernel, clerk, intake.id, propose(intake), version=intake.version)
    with pytest.raises(CaseError, match="already been filed"):
        confirm_intake(kernel, clerk, intake.id, propose(intake), version=intake.version)
    assert kernel.store.count(Case, {"fir.police_station": "Preedy"}) == 1


def test_bad_values_are_refused_per_field_and_nothing_is_written(read_scan) -> None:
    kernel, clerk, intake = read_scan
    before = kernel.store.count(Case, {})
    p = dataclasses.replace(
        propose(intake),
        fir_number="0",
        occurred_at="25:99",
        offences="302 XYZ",
        accused=[PersonRow("Akbar", "", "123")],
    )
    with pytest.raises(IntakeError) as refused:
        confirm_intake(kernel, clerk, intake.id, p, version=intake.version)
    assert set(refused.value.errors) == {"fir_number", "occurred_at", "offences", "accused-0"}
    assert "13 digits" in refused.value.errors["accused-0"]
    assert kernel.store.count(Case, {}) == before
    assert kernel.store.get(ScanIntake, intake.id).state == IntakeState.READY


def test_a_scan_of_a_registered_fir_goes_into_that_case(read_scan) -> None:
    kernel, clerk, intake = read_scan
    first = confirm_intake(kernel, clerk, intake.id, propose(intake), version=intake.version)[0]
    again = start_intake(kernel, clerk, filename="fir copy.txt", stream=io.BytesIO(FIR.encode()))
    read_intake(kernel, again.job_id)
    again = kernel.store.get(ScanIntake, again.id)
    proposal = propose(again)
    assert existing_case(kernel, clerk, again.district, proposal).id == first.id
    with pytest.raises(IntakeError) as refused:
        confirm_intake(kernel, clerk, again.id, proposal, version=again.version)
    assert "already registered" in refused.value.errors["fir_number"]
    case, document_id = file_intake(kernel, clerk, again.id, first.id, version=again.version)
    assert case.id == first.id
    assert kernel.store.get(CaseDocument, document_id).case_id == first.id


def test_only_staff_of_the_scans_district_may_see_it(read_scan) -> None:
    kernel, _clerk, intake = read_scan
    with pytest.raises(LookupError):
        intake_for(kernel, _actor(kernel, "pp.hyd"), intake.id)
    with pytest.raises(PermissionDenied):
        intake_for(kernel, _actor(kernel, "supervisor"), intake.id)


def test_a_file_that_cannot_be_read_fails_its_job_with_the_reason(demo) -> None:
    clerk = _actor(demo, "clerk.south")
    intake = start_intake(demo, clerk, filename="fir.pdf", stream=io.BytesIO(b"%PDF-1.4 broken"))
    assert read_intake(demo, intake.job_id) == "failed"
    assert demo.store.get(ScanIntake, intake.id).state == IntakeState.FAILED
    assert demo.store.get(Job, intake.job_id).error
