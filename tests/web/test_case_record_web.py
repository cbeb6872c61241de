"""Notes, child matters, the appeal approval chain and the timeline over HTTP."""

from __future__ import annotations

import datetime as dt
import html
import re

from casefiles.approvals import AppealApproval
from casefiles.matters import Matter
from casefiles.notes import CaseNote, add_note
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from tests.casefiles.case_steps import decide, demo_case

SECRET = "Privileged: the eyewitness may turn hostile."


def _text(response) -> str:
    return html.unescape(response.data.decode())


def _login(browser, username: str):
    b = browser()
    b.login(username)
    return b


def test_privileged_note_never_reaches_the_clerk(browser, demo) -> None:
    case = demo_case(demo)
    rahim = _login(browser, "pp.rahim")
    url = f"/cases/{case.id}"
    rahim.post(f"{url}/notes", {"note-text": SECRET, "note-privileged": "y"}, form_url=url)
    clerk = _login(browser, "clerk.south")
    clerk.post(f"{url}/notes", {"note-text": "Police file received in full."}, form_url=url)
    assert SECRET in _text(rahim.get(url))
    page = _text(clerk.get(url))
    assert "Police file received in full." in page and SECRET not in page
    assert SECRET not in _text(clerk.get(f"/api/v1/cases/{case.id}"))
    secret = demo.store.find_one(CaseNote, {"privileged": True})
    assert clerk.get(f"/notes/{secret.id}").status_code == 404
    # A clerk who forges the privileged flag is refused (403), not quietly saved.
    forged = clerk.post(f"{url}/notes", {"note-text": "x", "note-privileged": "y"}, form_url=url)
    assert forged.status_code == 403
    assert demo.store.count(CaseNote, {}) == 2


def test_empty_note_is_reported(browser, demo) -> None:
    case = demo_case(demo)
    clerk = _login(browser, "clerk.south")
    url = f"/cases/{case.id}"
    page = clerk.post(f"{url}/notes", {"note-text": ""}, form_url=url, follow_redirects=True)
    assert "Write the note." in _text(page)


def test_concurrent_note_edit_keeps_both_texts(browser, demo) -> None:
    case = demo_case(demo)
    rahim_user = demo.store.find_one(User, {"username": "pp.rahim"})
    note = add_note(demo, actor_for(rahim_user), case.id, text="Draft opinion", privileged=True)
    rahim, dpp = _login(browser, "pp.rahim"), _login(browser, "dpp.south")
    url = f"/notes/{note.id}"
    rahim_token, dpp_token = rahim.token(url), dpp.token(url)  # both open the note
    first = dpp.client.post(
        url,
        data={"text": "DPP: appeal is strong", "version": note.version, "csrf_token": dpp_token},
    )
    assert first.status_code == 302
    second = rahim.client.post(
        url,
        data={"text": "Rahim: appeal is weak", "version": note.version, "csrf_token": rahim_token},
    )
    assert second.status_code == 409
    page = _text(second)
    assert "Someone saved this note after you opened it" in page
    assert "Rahim: appeal is weak" in page and "DPP: appeal is strong" in page
    saved = demo.store.get(CaseNote, note.id)
    assert saved.text == "DPP: appeal is strong" and saved.revisions[0].text == "Draft opinion"
    # Saving again from the conflict page (it carries the new version) succeeds.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    again = rahim.client.post(
        url, data={"text": "Rahim: appeal is weak", "version": version, "csrf_token": rahim_token}
    )
    assert again.status_code == 302
    assert demo.store.get(CaseNote, note.id).text == "Rahim: appeal is weak"


def test_matter_form_reports_bad_numbers_and_records_good_ones(browser, demo) -> None:
    case = demo_case(demo)
    rahim = _login(browser, "pp.rahim")
    url = f"/cases/{case.id}"
    form = {
        "matter-kind": "bail_post_arrest",
        "matter-forum": "sessions_court",
        "matter-number": "Crl. Bail Application No. 24",
        "matter-filed_on": "2025-03-01",
        "matter-court": "Sessions Court Karachi South",
        "matter-lead": "",
        "matter-note": "",
    }
    bad = rahim.post(f"{url}/matters", form, form_url=url, follow_redirects=True)
    assert "The year is missing in 'Crl. Bail Application No. 24'" in _text(bad)
    no_date = rahim.post(
        f"{url}/matters", {**form, "matter-filed_on": "1.3.25"}, form_url=url, follow_redirects=True
    )
    assert "Not a valid date value." in _text(no_date)
    assert demo.store.count(Matter, {}) == 0
    good = rahim.post(
        f"{url}/matters",
        {**form, "matter-number": "Cr. B.A. No. 24 of 2025"},
        form_url=url,
        follow_redirects=True,
    )
    assert "Criminal Bail Application No. 24 of 2025" in _text(good)
    matter = demo.store.find_one(Matter, {})
    page = _text(rahim.get(f"/matters/{matter.id}"))
    assert "Cr. B.A. No. 24 of 2025" in page and "Record the decision" in page
    decided = rahim.post(
        f"/matters/{matter.id}/decide",
        {"outcome": "allowed", "decided_on": "2025-03-05", "note": "", "version": matter.version},
        form_url=f"/matters/{matter.id}",
        follow_redirects=True,
    )
    assert "Choose the outcome: Granted, Refused." in _text(decided)


def test_approval_chain_through_the_pages(browser, demo) -> None:
    case = decide(demo, demo_case(demo))
    url = f"/cases/{case.id}"
    rahim = _login(browser, "pp.rahim")
    short = rahim.post(
        f"{url}/appeal-approval",
        {"appeal-grounds": "weak", "appeal-forum": "high_court"},
        form_url=url,
        follow_redirects=True,
    )
    assert "Write the grounds of appeal (at least 20 characters)." in _text(short)
    rahim.post(
        f"{url}/appeal-approval",
        {
            "appeal-grounds": "The ocular account was discarded without reasons.",
            "appeal-forum": "high_court",
        },
        form_url=url,
    )
    approval = demo.store.find_one(AppealApproval, {})
    page_url = f"/approvals/{approval.id}"
    pg = _login(browser, "pg.sindh")
    page = _text(pg.get(page_url))
    assert "Limitation" in page and "Waiting for: District Public Prosecutor" in page
    early = pg.post(
        f"{page_url}/decide",
        {"action": "approve", "reason": "fine", "version": approval.version},
        form_url=page_url,
        follow_redirects=True,
    )
    assert "must recommend or decline it before the Prosecutor General" in _text(early)
    dpp = _login(browser, "dpp.south")
    dpp.post(
        f"{page_url}/decide",
        {"action": "recommend", "reason": "Recommended.", "version": approval.version},
        form_url=page_url,
    )
    approval = demo.store.get(AppealApproval, approval.id)
    pg.post(
        f"{page_url}/decide",
        {"action": "approve", "reason": "Approved.", "version": approval.version},
        form_url=page_url,
    )
    approval = demo.store.get(AppealApproval, approval.id)
    assert approval.state == "approved" and approval.matter_id
    matter_page = _text(rahim.get(f"/matters/{approval.matter_id}"))
    assert "Approved, to be filed" in matter_page and "Record the filing" in matter_page
    assert "Last day for the State's appeal against acquittal (s.417(1))" in matter_page
    matter_url = f"/matters/{approval.matter_id}"

    def file(number: str, day: str):
        version = demo.store.get(Matter, approval.matter_id).version
        data = {"number": number, "filed_on": day, "court": "", "version": version}
        return _text(
            rahim.post(f"{matter_url}/file", data, form_url=matter_url, follow_redirects=True)
        )

    assert "cannot be filed before the judgment of" in file(
        "Crl. Acquittal Appeal No. D-15 of 2025", "2025-01-10"
    )
    year = dt.date.today().year
    page = file(f"Crl. Acquittal Appeal No. D-15 of {year}", dt.date.today().isoformat())
    assert f"Criminal Acquittal Appeal No. D-15 of {year}" in page and "Met" in page
    case_page = _text(rahim.get(url))
    assert "Appeal against acquittal: Approved" in case_page  # on the timeline


def test_timeline_merges_everything_and_shows_more_on_request(browser, demo) -> None:
    case = demo_case(demo)
    rahim_user = demo.store.find_one(User, {"username": "pp.rahim"})
    for n in range(35):
        add_note(
            demo, actor_for(rahim_user), case.id, text=f"note number {n:02d}", privileged=False
        )
    rahim = _login(browser, "pp.rahim")
    page = _text(rahim.get(f"/cases/{case.id}"))
    timeline = page[page.index('id="timeline"') :]
    assert "Show more" in timeline and "note number 34" in timeline
    assert "Prosecutors assigned" not in timeline  # the oldest items wait behind "show more"
    more = _text(rahim.get(f"/cases/{case.id}?timeline=60"))
    timeline = more[more.index('id="timeline"') :]
    assert "Case opened" in timeline and "Prosecutors assigned" in timeline
    assert "Deadline: Interim challan (s.173 report) due" in timeline
    assert "Show more" not in timeline


def test_matter_prosecutor_sees_the_matter_not_the_case(browser, demo) -> None:
    from casefiles.matters import MatterInput, create_matter

    case = demo_case(demo)
    rahim = actor_for(demo.store.find_one(User, {"username": "pp.rahim"}))
    sana_id = demo.store.find_one(User, {"username": "pp.sana"}).id
    matter = create_matter(
        demo,
        rahim,
        case.id,
        MatterInput(
            kind="bail_pre_arrest",
            forum="sessions_court",
            number="Criminal Bail Application No. 12 of 2025",
            filed_on=dt.date(2025, 4, 2),
            lead_prosecutor=sana_id,
        ),
    )
    sana = _login(browser, "pp.sana")
    page = _text(sana.get(f"/matters/{matter.id}"))
    assert "Criminal Bail Application No. 12 of 2025" in page
    assert f'href="/cases/{case.id}"' not in page  # the trial file stays closed to her
    assert sana.get(f"/cases/{case.id}").status_code == 404
    assert sana.get(f"/api/v1/matters/{matter.id}").get_json()["number"].endswith("12 of 2025")


def test_json_api_needs_a_session_and_hides_unknown_ids(browser, demo) -> None:
    anonymous = browser()
    response = anonymous.get(f"/api/v1/cases/{demo_case(demo).id}")
    assert response.status_code == 401 and "Sign in" in response.get_json()["error"]
    rahim = _login(browser, "pp.rahim")
    for url in ("/api/v1/cases/nope", "/api/v1/cases/nope/notes", "/api/v1/matters/nope"):
        assert rahim.get(url).status_code == 404
