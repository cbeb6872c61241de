"""The case list page (filters with counts, sort links, search, saved filters, bad input)
and assigning a prosecutor from a suggestion row."""

from __future__ import annotations

import re

from casefiles.saved_filters import SavedFilter


def test_filters_show_counts_and_narrow_the_list(browser) -> None:
    dpp = browser()
    dpp.login("dpp.south")
    page = dpp.get("/cases/").data.decode()
    # Karachi South's three demo cases, counted per police station; Hyderabad's is not there.
    assert "Artillery Maidan (1)" in page and "Market" not in page
    assert re.search(r"No prosecutor yet \(1\)", page)
    filtered = dpp.get("/cases/?police_station=Boat+Basin").data.decode()
    assert "FIR 77/2025 PS Boat Basin" in filtered
    assert "FIR 189/2024 PS Artillery Maidan" not in filtered
    assert "Save these filters as" in filtered
    found = dpp.get("/cases/?q=aslam").data.decode()
    assert "FIR 189/2024" in found and "FIR 77/2025" not in found
    # A prosecutor's counts are of their own cases only.
    pp = browser()
    pp.login("pp.rahim")
    page = pp.get("/cases/").data.decode()
    assert "Artillery Maidan (1)" in page
    assert "Boat Basin" not in page and "Darakhshan" not in page
    assert re.search(r"No prosecutor yet \(0\)", page)


def test_bad_filters_empty_results_and_sorting(browser) -> None:
    """Bad input is explained and the rest still applies; an empty list says what to do."""
    dpp = browser()
    dpp.login("dpp.south")
    response = dpp.get("/cases/?stage=NOPE&hearing_from=14.03.2026&police_station=Boat+Basin")
    assert response.status_code == 400
    page = response.data.decode()
    assert "Choose a stage from the list." in page
    assert "Enter the date as year-month-day" in page
    assert "FIR 77/2025 PS Boat Basin" in page and "FIR 189/2024" not in page
    page = dpp.get("/cases/?q=nobodyatall").data.decode()
    assert "No case matches these filters" in page
    assert "Clear all filters" in page
    page = dpp.get("/cases/?sort=reference").data.decode()
    refs = re.findall(r"<bdi>(FIR \d+/\d+ PS [^<]+)</bdi>", page)
    assert refs == sorted(refs)
    assert 'href="/cases/?sort=-reference' in page
    page = dpp.get("/cases/?sort=-reference").data.decode()
    assert re.findall(r"<bdi>(FIR \d+/\d+ PS [^<]+)</bdi>", page) == sorted(refs, reverse=True)


def test_save_apply_and_delete_a_filter(browser, demo) -> None:
    dpp = browser()
    dpp.login("dpp.south")
    url = "/cases/?police_station=Boat+Basin&sort=reference"
    response = dpp.post(
        "/filters/cases/save",
        {"name": "Boat Basin", "query": "police_station=Boat+Basin&sort=reference", "back": url},
        form_url=url,
        follow_redirects=True,
    )
    assert "Filter “Boat Basin” saved." in response.data.decode()
    saved = demo.store.find_one(SavedFilter, {"name": "Boat Basin"})
    assert saved.query == "police_station=Boat+Basin&sort=reference"
    listing = dpp.get("/cases/").data.decode()
    assert "/cases/?police_station=Boat+Basin&amp;sort=reference" in listing
    other = browser()
    other.login("clerk.south")
    assert "My saved filters" not in other.get("/cases/").data.decode()
    # A bad saved query is refused, not stored.
    response = dpp.post(
        "/filters/cases/save",
        {"name": "Broken", "query": "stage=NOPE"},
        form_url=url,
        follow_redirects=True,
    )
    assert "Choose a stage from the list." in response.data.decode()
    response = dpp.post(
        f"/filters/{saved.id}/delete",
        {"version": str(saved.version), "back": "https://evil.example/"},
        form_url="/cases/",
        follow_redirects=True,
    )
    assert "Filter “Boat Basin” deleted." in response.data.decode()
    assert response.request.path == "/cases/"  # never sent off-site
    assert demo.store.count(SavedFilter, {}) == 0


def test_assign_from_a_suggestion_row(browser, demo) -> None:
    from casefiles.models import Case
    from mizan.accounts.models import User

    case = demo.store.find_one(Case, {"fir.police_station": "Darakhshan"})  # no lead yet
    sana = demo.store.find_one(User, {"username": "pp.sana"})
    dpp = browser()
    dpp.login("dpp.south")
    page = dpp.get(f"/cases/{case.id}").data.decode()
    assert f'name="user_id" value="{sana.id}"' in page
    response = dpp.post(
        f"/cases/{case.id}/assign-suggested",
        {"user_id": sana.id, "version": str(case.version)},
        form_url=f"/cases/{case.id}",
        follow_redirects=True,
    )
    assert "Assignment saved." in response.data.decode()
    assert demo.store.get(Case, case.id).lead_prosecutor == sana.id
    # The same (now stale) page posted again is refused, not applied over the change.
    response = dpp.post(
        f"/cases/{case.id}/assign-suggested",
        {"user_id": sana.id, "version": str(case.version)},
        form_url=f"/cases/{case.id}",
        follow_redirects=True,
    )
    assert "Assignment saved." not in response.data.decode()
    clerk = browser()
    clerk.login("clerk.south")
    refused = clerk.post(
        f"/cases/{case.id}/assign-suggested",
        {"user_id": sana.id, "version": "99"},
        form_url=f"/cases/{case.id}",
    )
    assert refused.status_code == 403
