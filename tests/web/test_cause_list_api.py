"""Cause-list import over /api/v1: CSV and JSON, idempotent on court + case number + date,
an answer per row, the FIR link the first time, clashes as warnings."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.cause_lists import FIELDS
from casefiles.hearings import Hearing
from casefiles.models import Case
from mizan.accounts.integrations import create_integration
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.clock import pakistan_today, pakistan_wall_time

COURT = "Sessions Court Karachi South"
DAY = (pakistan_today() + dt.timedelta(days=3)).isoformat()
FIRST = {
    "court": COURT,
    "date": DAY,
    "time": "10:30",
    "case_number": "Sessions Case No. 338 of 2024",
    "purpose": "evidence",
    "district": "KHI-S",
    "police_station": "Artillery Maidan",
    "fir_number": 189,
    "fir_year": 2024,
}


@pytest.fixture
def court(demo):
    _i, token = create_integration(demo, SYSTEM, name="CFMS", kind="court", districts=["KHI-S"])
    return {"Authorization": f"Bearer {token}"}


def _post(app, headers, rows):
    return app.test_client().post("/api/v1/cause-lists", json={"rows": rows}, headers=headers)


def test_json_list_is_idempotent_and_remembers_the_court_number(app, demo, court) -> None:
    first = _post(app, court, [FIRST])
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["summary"] == {"created": 1, "updated": 0, "unchanged": 0, "error": 0}
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    hearing = demo.store.get(Hearing, body["rows"][0]["hearing_id"])
    assert (
        hearing.case_id == case.id
        and pakistan_wall_time(hearing.starts_at).strftime("%H:%M") == "10:30"
    )
    assert hearing.prosecutor_ids == case.prosecutors
    assert case.court_cases[0].number == "Sessions Case No. 338 of 2024"
    # The same list again changes nothing.
    again = _post(app, court, [FIRST]).get_json()
    assert again["summary"]["unchanged"] == 1 and demo.store.count(Hearing) == 1
    # Later lists name the case by its court number alone (spelt another way).
    later = {
        "court": " sessions court  karachi south",
        "date": DAY,
        "time": "11:00",
        "case_number": "Sessions Case No.338/2024",
    }
    moved = _post(app, court, [later]).get_json()["rows"][0]
    assert moved["status"] == "updated" and moved["changed"] == ["time"]
    # An abbreviation the whitelist does not know is refused, not guessed.
    guessed = _post(app, court, [{**later, "case_number": "S.C. No. 338/2024"}]).get_json()
    assert "Unknown case type" in guessed["rows"][0]["errors"]["case_number"]
    assert demo.store.count(Hearing) == 1
    assert demo.store.count(AuditEntry, {"action": "hearing.updated"}) == 1


def test_csv_with_row_level_errors(app, demo, court) -> None:
    csv_text = (
        "court,date,time,case_number,purpose,district,police_station,fir_number,fir_year\n"
        f"{COURT},{DAY},09:30,Sessions Case No. 12 of 2025,charge,KHI-S,Boat Basin,77,2025\n"
        f"{COURT},31.02.2025,09:30,Sessions Case No. 13 of 2025,,,,,\n"
        f"{COURT},{DAY},25:00,Bail Case 7,evidence,,,,\n"
        f"{COURT},{DAY},,Sessions Case No. 99 of 2025,,,,,\n"
        f"{COURT},{DAY},,,,HYD,Market,301,2024\n"
    )
    response = app.test_client().post(
        "/api/v1/cause-lists", data=csv_text, content_type="text/csv", headers=court
    )
    assert response.status_code == 200
    rows = response.get_json()["rows"]
    assert [r["status"] for r in rows] == ["created", "error", "error", "error", "error"]
    assert "date" in rows[1]["errors"]
    assert {"time", "case_number"} <= set(rows[2]["errors"])
    assert "send the FIR" in rows[3]["errors"]["case_number"]
    assert "district" in rows[4]["errors"]  # Hyderabad is not this integration's
    assert demo.store.count(Hearing) == 1


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("court,date,judge\nX,2025-01-01,Y\n", "text/csv", "Unknown column"),
        ("time\n10:00\n", "text/csv", "needs the column"),
        ('{"rows": []}', "application/json", "no rows"),
        ('{"rows": 5}', "application/json", "list of rows"),
        # Found by the contract test: csv.Error was a 500.
        ("court,date\n" + "x" * 140_000 + ",2025-01-01\n", "text/csv", "cannot be read at line"),
    ],
)
def test_unreadable_lists_are_refused_whole(app, court, body, content_type, message) -> None:
    response = app.test_client().post(
        "/api/v1/cause-lists", data=body, content_type=content_type, headers=court
    )
    assert response.status_code == 422 and message in response.get_json()["error"]


def test_only_court_integrations(app, demo) -> None:
    _i, token = create_integration(demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"])
    response = _post(app, {"Authorization": f"Bearer {token}"}, [FIRST])
    assert response.status_code == 403
    assert app.test_client().post("/api/v1/cause-lists", json=[FIRST]).status_code == 401


def test_clash_is_a_warning_not_a_refusal(app, demo, court) -> None:
    _post(app, court, [FIRST])
    other = {
        **FIRST,
        "court": "ATC-XII Karachi",
        "time": "11:00",
        "case_number": "Special Case No. 5 of 2025",
        "police_station": "Darakhshan",
        "fir_number": 12,
        "fir_year": 2025,
    }
    case = demo.store.find_one(Case, {"fir.police_station": "Darakhshan"})
    rahim = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"}).lead_prosecutor
    from casefiles.service import assign

    assign(demo, SYSTEM, case.id, version=case.version, lead=rahim, assisting=[])
    row = _post(app, court, [other]).get_json()["rows"][0]
    assert row["status"] == "created" and "already has a hearing" in row["warnings"][0]


def test_openapi_describes_cause_lists(app) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/cause-lists"]["post"]
    assert "text/csv" in post["requestBody"]["content"]
    row = post["requestBody"]["content"]["application/json"]["schema"]["oneOf"][0]["items"]
    assert set(row["properties"]) == set(FIELDS)
