"""Deadline lists and the holiday calendar over HTTP."""

from __future__ import annotations

from casefiles.holidays import Holiday
from mizan.audit import AuditEntry


def test_prosecutor_sees_own_overdue_challan(browser, demo) -> None:
    b = browser()
    b.login("pp.rahim")
    assert b.get("/deadlines/").headers["Location"].endswith("/deadlines/mine")
    page = b.get("/deadlines/mine").get_data(as_text=True)
    assert "FIR 189/2024 PS Artillery Maidan" in page  # FIR of March 2024, no challan yet
    assert "FIR 77/2025" not in page  # Sana's case
    assert b.get("/deadlines/district").status_code == 403
    assert b.get("/deadlines/mine?status=bogus&sort=nonsense").status_code == 200


def test_district_list_for_the_dpp(browser, demo) -> None:
    b = browser()
    b.login("dpp.south")
    page = b.get("/deadlines/district?status=overdue").get_data(as_text=True)
    assert "FIR 189/2024" in page and "FIR 77/2025" in page
    assert "FIR 301/2024" not in page  # Hyderabad
    assert b.get("/deadlines/district?district=HYD").status_code == 403
    # The chosen filters can be saved and opened again from the same page.
    url = "/deadlines/district?status=overdue"
    saved = b.post(
        "/filters/deadlines/save",
        {"name": "Overdue", "query": "status=overdue&page=2", "back": url},
        form_url=url,
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Filter “Overdue” saved." in saved
    assert 'href="/deadlines/district?status=overdue"' in b.get("/deadlines/district").get_data(
        as_text=True
    )


def test_admin_keeps_the_holiday_calendar(browser, demo) -> None:
    b = browser()
    b.login("admin")
    page = b.get("/admin/holidays/?year=2026")
    assert page.status_code == 200
    form = "/admin/holidays/?year=2026"
    added = b.post(
        "/admin/holidays/add",
        {"holiday-day": "2026-03-20", "holiday-name": "Eid ul-Fitr", "holiday-kind": "islamic"},
        form_url=form,
    )
    assert added.status_code == 302
    holiday = demo.store.find_one(Holiday, {"name": "Eid ul-Fitr"})
    assert holiday is not None and holiday.year == 2026
    again = b.post(
        "/admin/holidays/add",
        {"holiday-day": "2026-03-20", "holiday-name": "Twice", "holiday-kind": "islamic"},
        form_url=form,
        follow_redirects=True,
    )
    assert "already a holiday" in again.get_data(as_text=True)
    empty = b.post(
        "/admin/holidays/add",
        {"holiday-day": "2026-03-21", "holiday-name": "", "holiday-kind": "islamic"},
        form_url=form,
        follow_redirects=True,
    )
    assert "Enter the name of the holiday." in empty.get_data(as_text=True)
    b.post("/admin/holidays/national", {"national-year": "2026"}, form_url=form)
    assert demo.store.count(Holiday, {"year": 2026}) == 7
    removed = b.post(
        f"/admin/holidays/{holiday.id}/remove?year=2026",
        {"version": str(holiday.version)},
        form_url=form,
    )
    assert removed.status_code == 302
    assert demo.store.count(Holiday, {"year": 2026}) == 6
    assert demo.store.count(AuditEntry, {"action": "calendar.holiday_removed"}) == 1
    clerk = browser()
    clerk.login("clerk.south")
    assert clerk.get("/admin/holidays/").status_code == 403


def test_case_page_ranks_prosecutors_and_keeps_assignment_history(browser, demo) -> None:
    from casefiles.models import Case
    from tests.conftest import user_id

    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    b = browser()
    b.login("dpp.south")
    page = b.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Suggested prosecutors, best first" in page
    assert "open cases as lead" in page and "Works in this district." in page
    url = f"/cases/{case.id}/assign"
    refused = b.post(
        url,
        {"lead": user_id(demo, "pp.sana"), "version": str(case.version), "reason": ""},
        form_url=f"/cases/{case.id}",
        follow_redirects=True,
    )
    assert "Give the reason for the reassignment" in refused.get_data(as_text=True)
    b.post(
        url,
        {"lead": user_id(demo, "pp.sana"), "version": str(case.version), "reason": "On leave"},
        form_url=f"/cases/{case.id}",
    )
    page = b.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Assignment history" in page and "On leave" in page
    postings = b.get("/postings/")
    assert postings.status_code == 200 and "Abdul Rahim Soomro" in postings.get_data(as_text=True)


def test_person_index_page(browser, demo) -> None:
    from casefiles.models import Case
    from casefiles.parties import PartyInput, add_party
    from mizan.actor import SYSTEM

    for station in ("Artillery Maidan", "Boat Basin"):
        case = demo.store.find_one(Case, {"fir.police_station": station})
        add_party(
            demo,
            SYSTEM,
            case.id,
            version=case.version,
            data=PartyInput(role="accused", name="Mohd. Aslam", parentage="s/o Noor Muhammad"),
        )
    b = browser()
    b.login("dpp.south")
    page = b.get("/persons/?q=Muhammad+Aslam").get_data(as_text=True)
    assert "Repeat accused" in page and "FIR 77/2025" in page and "FIR 189/2024" in page
    rahim = browser()
    rahim.login("pp.rahim")
    own = rahim.get("/persons/?q=Muhammad+Aslam").get_data(as_text=True)
    assert "FIR 189/2024" in own and "FIR 77/2025" not in own and "Repeat accused" not in own
    assert rahim.get("/persons/?q=%40").status_code == 400
