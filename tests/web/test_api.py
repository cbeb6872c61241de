"""The intake API: token auth, idempotent FIR and challan records, errors per field."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.models import Case
from mizan.accounts.integrations import create_integration
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry

FIR = {
    "district": "KHI-S",
    "police_station": "Preedy",
    "fir_number": 77,
    "fir_year": 2025,
    "registered_at": "2025-03-03T10:30:00+05:00",
    "sections": "324/34 PPC",
    "incident_at": "2025-03-02T23:15:00+05:00",
    "place": "Empress Market",
    "narrative": "The complainant reported firing at Empress Market.",
    "accused": [
        {
            "name": "Akbar @ Kaka",
            "parentage": "s/o Noor Muhammad",
            "cnic": "42101-7654321-3",
            "custody": "absconding",
        }
    ],
    "complainant": {"name": "Mst. Parveen", "parentage": "w/o Saleem"},
}


@pytest.fixture
def police(demo):
    _integration, token = create_integration(
        demo, SYSTEM, name="Sindh Police PSRMS", kind="police", districts=["KHI-S"]
    )
    return {"Authorization": f"Bearer {token}"}


def test_token_is_required(app) -> None:
    client = app.test_client()
    assert client.post("/api/v1/firs", json=FIR).status_code == 401
    bad = client.post("/api/v1/firs", json=FIR, headers={"Authorization": "Bearer mzn_nope"})
    assert bad.status_code == 401 and "token" in bad.get_json()["error"]


def test_fir_creates_a_case_once(app, demo, police) -> None:
    client = app.test_client()
    first = client.post("/api/v1/firs", json=FIR, headers=police)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    case = demo.store.get(Case, body["case_id"])
    assert case.reference == "FIR 77/2025 PS Preedy"
    assert [o.canonical for o in case.offences] == ["324 PPC", "34 PPC"]
    assert [(p.role, p.name) for p in case.parties] == [
        ("accused", "Akbar"),
        ("complainant", "Mst. Parveen"),
    ]
    # FIR times are kept in Pakistan time, as written in the FIR (casefiles.models.FirRef).
    assert case.fir.registered_on == dt.datetime(2025, 3, 3, 10, 30)
    assert case.fir.incident_at == dt.datetime(2025, 3, 2, 23, 15)
    assert case.fir.place == "Empress Market"
    again = client.post("/api/v1/firs", json=FIR, headers=police)
    assert again.status_code == 200
    assert again.get_json()["changed"] == [] and again.get_json()["version"] == case.version
    assert demo.store.count(Case, {"fir.police_station": "Preedy"}) == 1
    created = demo.store.find_one(AuditEntry, {"action": "case.created", "subject_id": case.id})
    assert created.actor_name == "Sindh Police PSRMS" and created.channel == "api"


def test_corrected_record_updates_the_case(app, demo, police) -> None:
    client = app.test_client()
    case_id = client.post("/api/v1/firs", json=FIR, headers=police).get_json()["case_id"]
    fixed = {**FIR, "sections": "324/34 PPC; 7(1)(a) ATA", "labels": ["ATA"]}
    response = client.post("/api/v1/firs", json=fixed, headers=police)
    assert response.status_code == 200
    assert response.get_json()["changed"] == ["sections", "labels"]
    assert demo.store.get(Case, case_id).labels == ["ATA"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fir_number": "seventy"}, "fir_number"),
        ({"fir_year": 1800}, "fir_year"),
        ({"district": "HYD"}, "district"),
        ({"police_station": ""}, "police_station"),
        ({"sections": "324 (b PPC"}, "sections"),
        ({"labels": ["SECRET"]}, "labels"),
        ({"registered_at": "yesterday"}, "registered_at"),
        ({"incident_at": "2025-03-04T09:00:00+05:00"}, "incident_at"),  # after registration
        ({"place": "x" * 201}, "place"),
        ({"accused": [{"name": "X", "cnic": "123"}]}, "accused[0]"),
        # Found by the contract test (test_api_contract.py): each was a 500 or was accepted.
        ({"accused": [{"name": 5}]}, "accused[0]"),
        ({"complainant": {"name": ["Parveen"]}}, "complainant"),
        ({"sections": [302, 34]}, "sections"),
        ({"sections": 302}, "sections"),
        ({"labels": [["ATA"]]}, "labels"),
        ({"registered_at": "0001-01-01T00:00:00+05:00"}, "registered_at"),
        ({"registered_at": 20250303}, "registered_at"),
    ],
)
def test_bad_records_get_an_error_per_field(app, police, changes, field) -> None:
    response = app.test_client().post("/api/v1/firs", json={**FIR, **changes}, headers=police)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_non_json_body_is_refused(app, police) -> None:
    response = app.test_client().post("/api/v1/firs", data="not json", headers=police)
    assert response.status_code == 422 and "JSON" in response.get_json()["errors"]["record"]


def test_challan_moves_the_case_to_scrutiny_once(app, demo, police) -> None:
    client = app.test_client()
    case_id = client.post("/api/v1/firs", json=FIR, headers=police).get_json()["case_id"]
    challan = {key: FIR[key] for key in ("district", "police_station", "fir_number", "fir_year")}
    challan |= {"kind": "interim", "submitted_on": "2025-03-19", "io_name": "SI Rashid"}
    first = client.post("/api/v1/challans", json=challan, headers=police)
    assert first.status_code == 200 and first.get_json()["state"] == "REPORT_UNDER_SCRUTINY"
    again = client.post("/api/v1/challans", json=challan, headers=police)
    assert again.get_json()["changed"] == []
    case = demo.store.get(Case, case_id)
    assert len(case.challans) == 1 and case.history[-1].to_state == "REPORT_UNDER_SCRUTINY"
    unknown = client.post("/api/v1/challans", json={**challan, "fir_number": 999}, headers=police)
    assert (
        unknown.status_code == 422
        and "send the FIR first" in unknown.get_json()["errors"]["fir_number"]
    )


def test_court_integration_cannot_send_challans(app, demo) -> None:
    _i, token = create_integration(demo, SYSTEM, name="CFMS", kind="court", districts=["KHI-S"])
    response = app.test_client().post(
        "/api/v1/challans", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


def test_openapi_document_describes_the_endpoints(app) -> None:
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/firs", "/api/v1/challans"} <= set(doc["paths"])


def test_admin_creates_an_integration_and_sees_the_token_once(browser, demo) -> None:
    admin = browser()
    admin.login("admin")
    page = admin.post(
        "/admin/integrations", {"name": "PSRMS Hyderabad", "kind": "police", "districts": ["HYD"]}
    ).data.decode()
    assert "mzn_" in page and "will not be shown again" in page
    assert "mzn_" not in admin.get("/admin/integrations").data.decode()


def test_an_early_morning_fir_keeps_its_day_for_the_deadlines(app, demo, police) -> None:
    from casefiles.schedule import case_deadlines

    # 02:00 on 15 March in Karachi is still 14 March in UTC; the challan clock starts
    # on the day the FIR says, so the case must keep 15 March.
    record = {**FIR, "fir_number": 78, "registered_at": "2025-03-15T02:00:00+05:00"}
    record.pop("incident_at")
    body = app.test_client().post("/api/v1/firs", json=record, headers=police).get_json()
    case = demo.store.get(Case, body["case_id"])
    assert case.fir.registered_on.date() == dt.date(2025, 3, 15)
    from_fir = [
        d.deadline
        for d in case_deadlines(case, dt.date(2025, 3, 16))
        if d.deadline.trigger == "fir_registered"
    ]
    assert from_fir and {d.trigger_date for d in from_fir} == {dt.date(2025, 3, 15)}
