"""The demo province: cases in every stage with hearings, court postings, holidays;
repeatable without adding anything twice."""

from __future__ import annotations

import datetime as dt

from app.demo import seed_demo_details, seed_demo_matters, seed_province
from casefiles.assignment import Posting
from casefiles.hearings import Hearing
from casefiles.holidays import Holiday
from casefiles.matters import Matter
from casefiles.models import Case
from casefiles.scale_tables import COURT_STAGES
from mizan.clock import pakistan_today, pakistan_wall_time


def test_province_is_believable_and_idempotent(demo) -> None:
    result = seed_province(demo, cases=120)
    assert result is not None and result.cases == 120 and result.hearings > 0
    assert demo.store.count(Case) == 124  # the four hand-made demo cases are kept
    hearings = demo.store.find(Hearing)
    cases = {c.id: c for c in demo.store.find(Case)}
    today = pakistan_today()
    for h in hearings:
        case = cases[h.case_id]
        assert any(s.to_state == "FILED_IN_COURT" for s in case.history)
        if pakistan_wall_time(h.starts_at).date() >= today:
            assert h.outcome is None and case.state in COURT_STAGES
            assert set(h.prosecutor_ids) == set(case.prosecutors)
        else:
            assert h.outcome in ("held", "adjourned")
    listed = [c for c in cases.values() if c.court_cases]
    assert listed and all(len(c.court_case_keys) == 1 for c in listed)
    assert demo.store.count(Posting, {"atc": True}) == 6  # one ATC prosecutor per district
    assert demo.store.count(Holiday) >= 12
    bail = demo.store.find(Matter)
    assert len(bail) == 2 and {m.kind for m in bail} == {"bail_post_arrest"}
    assert all(m.lead_prosecutor == cases[m.case_id].lead_prosecutor for m in bail)
    assert seed_demo_matters(demo) == 0  # each demo case keeps its one application
    aslam = next(c for c in cases.values() if c.reference == "FIR 189/2024 PS Artillery Maidan")
    assert "Muhammad Aslam" in aslam.fir.narrative and aslam.fir.place
    assert [o.canonical for o in aslam.offences] == ["302 PPC", "34 PPC"]
    assert aslam.fir.incident_at < aslam.fir.registered_on + dt.timedelta(days=1)
    people = [(p.role, p.name, p.custody) for p in aslam.parties]
    assert people == [
        ("accused", "Muhammad Aslam", "arrested"),
        ("complainant", "Muhammad Iqbal", None),
        ("witness", "Abdul Ghaffar", None),
    ]
    assert seed_demo_details(demo) == 0  # narratives are never overwritten
    again = seed_province(demo, cases=120)
    assert again is None and demo.store.count(Case) == 124
    assert demo.store.count(Hearing) == len(hearings)
