"""Entering a paper challan from the case page."""

from __future__ import annotations

from casefiles.models import Case


def test_clerk_enters_a_paper_challan(browser, demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Boat Basin"})
    clerk = browser()
    clerk.login("clerk.south")
    page = clerk.get(f"/cases/{case.id}").data.decode()
    assert "Enter a challan received on paper" in page
    bad = clerk.post(
        f"/cases/{case.id}/challans",
        {"kind": "interim", "submitted_on": "", "version": str(case.version)},
        follow_redirects=True,
        form_url=f"/cases/{case.id}",
    )
    assert "Enter the date the police submitted it." in bad.data.decode()
    future = clerk.post(
        f"/cases/{case.id}/challans",
        {"kind": "final", "submitted_on": "2999-01-01", "version": str(case.version)},
        follow_redirects=True,
        form_url=f"/cases/{case.id}",
    )
    assert "cannot be in the future" in future.data.decode()
    assert demo.store.get(Case, case.id).challans == []
    done = clerk.post(
        f"/cases/{case.id}/challans",
        {
            "kind": "interim",
            "submitted_on": "2025-06-01",
            "io_name": "SI Akram",
            "version": str(case.version),
        },
        follow_redirects=True,
        form_url=f"/cases/{case.id}",
    )
    assert "The challan was recorded." in done.data.decode()
    stored = demo.store.get(Case, case.id)
    assert [c.io_name for c in stored.challans] == ["SI Akram"]
    assert stored.state == "REPORT_UNDER_SCRUTINY"
    supervisor = browser()
    supervisor.login("supervisor")
    assert (
        "Enter a challan received on paper" not in supervisor.get(f"/cases/{case.id}").data.decode()
    )
