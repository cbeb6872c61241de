"""FIR details over HTTP: incident, place and narrative, with nothing typed ever lost."""

from __future__ import annotations

import datetime as dt
import html

from casefiles.models import Case
from mizan.audit import AuditEntry
from tests.casefiles.case_steps import demo_case

NARRATIVE = (
    "The complainant states that the accused fired at his brother near the bus stop "
    "with a pistol; the injured died on the way to hospital."
)


def _text(response) -> str:
    return html.unescape(response.data.decode())


def _form(case: Case, **over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "registered_on": "2024-03-14",
        "incident_on": "2024-03-12",
        "incident_time": "21:30",
        "place": "  Near   Empress Market ",
        "narrative": NARRATIVE,
        "version": case.version,
    }
    data.update(over)
    return data


def test_clerk_records_the_fir_details_and_the_case_page_shows_them(browser, demo) -> None:
    case = demo_case(demo)
    clerk = browser()
    clerk.login("clerk.south")
    url = f"/cases/{case.id}/fir"
    saved = clerk.post(url, _form(case), form_url=url)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#fir")
    stored = demo.store.get(Case, case.id)
    assert stored.fir.narrative == NARRATIVE and stored.fir.place == "Near Empress Market"
    # Kept as written in the FIR: Pakistan time (see casefiles.models.FirRef).
    assert stored.fir.incident_at == dt.datetime(2024, 3, 12, 21, 30)
    page = _text(clerk.get(f"/cases/{case.id}"))
    assert NARRATIVE in page and "12.03.2024 21:30" in page and "Near Empress Market" in page
    again = _text(clerk.get(url))
    assert 'value="21:30"' in again and NARRATIVE in again  # the form opens filled in
    audit = demo.store.find_one(AuditEntry, {"action": "case.fir_updated", "subject_id": case.id})
    changed = audit.data["changed"]
    assert changed["narrative"] == {"from": None, "to": f"{len(NARRATIVE)} characters"}
    assert changed["place"]["to"] == "Near Empress Market"


def test_impossible_dates_are_explained_and_the_typing_is_kept(browser, demo) -> None:
    case = demo_case(demo)
    clerk = browser()
    clerk.login("clerk.south")
    url = f"/cases/{case.id}/fir"
    later = clerk.post(url, _form(case, incident_on="2024-03-20"), form_url=url)
    assert later.status_code == 400
    page = _text(later)
    assert "cannot be after the FIR was registered (14.03.2024)" in page and NARRATIVE in page
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    ahead = clerk.post(url, _form(case, incident_on=future, registered_on=""), form_url=url)
    assert ahead.status_code == 400 and "cannot be in the future" in _text(ahead)
    no_day = clerk.post(url, _form(case, incident_on="", incident_time="10:00"), form_url=url)
    assert no_day.status_code == 400 and "date of the incident as well" in _text(no_day)
    assert demo.store.get(Case, case.id).fir.narrative is None  # nothing half-saved


def test_a_stale_save_is_refused_with_the_text_kept(browser, demo) -> None:
    case = demo_case(demo)
    rahim, clerk = browser(), browser()
    rahim.login("pp.rahim")
    clerk.login("clerk.south")
    url = f"/cases/{case.id}/fir"
    rahim_token, clerk_token = rahim.token(url), clerk.token(url)  # both open the page
    first = clerk.client.post(url, data={**_form(case), "csrf_token": clerk_token})
    assert first.status_code == 302
    mine = "Rahim's fuller account of the incident."
    second = rahim.client.post(url, data={**_form(case, narrative=mine), "csrf_token": rahim_token})
    assert second.status_code == 409
    page = _text(second)
    assert "Someone changed this case after you opened this page" in page and mine in page
    assert demo.store.get(Case, case.id).fir.narrative == NARRATIVE


def test_only_editors_reach_the_form(browser, demo) -> None:
    case = demo_case(demo)
    supervisor = browser()
    supervisor.login("supervisor")
    assert supervisor.get(f"/cases/{case.id}/fir").status_code == 403
    outsider = browser()
    outsider.login("pp.hyd")  # another district: the case does not exist for him
    assert outsider.get(f"/cases/{case.id}/fir").status_code == 404
