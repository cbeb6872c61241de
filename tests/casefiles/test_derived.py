"""Derived index fields: kept by every save, and brought up to date for older records."""

from __future__ import annotations

from casefiles.derived import refresh_derived_fields
from casefiles.models import Case
from casefiles.service import apply_stage
from mizan.actor import SYSTEM


def test_saves_keep_stages_and_open_assisting(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    assert case.stages == ["FIR_REGISTERED"]
    case = apply_stage(demo, SYSTEM, case, version=case.version, target="UNDER_INVESTIGATION")
    assert demo.store.get(Case, case.id).stages == ["FIR_REGISTERED", "UNDER_INVESTIGATION"]


def test_older_records_are_refreshed_once(demo) -> None:
    conn = demo.store.connection()
    # As a case written before the fields existed would be stored:
    conn.execute(
        "UPDATE c_cases SET doc = json_remove(doc, '$.stages', '$.open_assisting', "
        "'$.accused_keys', '$.investigation_only', '$.stage_since', '$.facet_keys') "
        "WHERE json_extract(doc, '$.fir.police_station') = 'Boat Basin'"
    )
    assert demo.store.count(Case, {"investigation_only": {"$exists": False}}) == 1
    assert refresh_derived_fields(demo) == 1
    case = demo.store.find_one(Case, {"fir.police_station": "Boat Basin"})
    assert case.stages == ["FIR_REGISTERED"] and case.open_assisting == []
    assert case.investigation_only is True
    assert "p:Boat Basin" in case.facet_keys and case.stage_since is not None
    assert refresh_derived_fields(demo) == 0
