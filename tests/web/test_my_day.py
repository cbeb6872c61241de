"""The start page's "your day": each person's work of today and this week, one click away."""

from __future__ import annotations

import datetime as dt

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.models import Case, CaseDocument
from casefiles.police_messages import PoliceMessage
from casefiles.police_replies import receive_reply
from ingestion.review import DocumentSuggestion
from mizan.accounts.integrations import actor_for_integration, create_integration
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM
from mizan.clock import PKT, pakistan_today
from mizan.my_day import day_sections
from tests.casefiles.police_steps import return_challan


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _rahims_case(kernel) -> Case:
    rahim = kernel.store.find_one(User, {"username": "pp.rahim"})
    return kernel.store.find_one(Case, {"lead_prosecutor": rahim.id})


def test_each_role_gets_the_sections_of_its_work(demo, frozen_clock) -> None:
    today = pakistan_today()
    keys = {
        name: [s.key for s in day_sections(demo, _actor(demo, name), today)]
        for name in ("pp.rahim", "dpp.south", "pg.sindh", "clerk.south")
    }
    assert keys["pp.rahim"][:3] == ["hearings", "deadlines", "documents"]
    assert "approvals" not in keys["pp.rahim"]
    assert "approvals" in keys["dpp.south"] and "hearings" not in keys["dpp.south"]
    assert "approvals" in keys["pg.sindh"]
    assert "hearings" not in keys["clerk.south"] and "approvals" not in keys["clerk.south"]


def test_a_hearing_today_and_a_document_to_review_lead_to_their_pages(
    demo, frozen_clock, browser
) -> None:
    case = _rahims_case(demo)
    rahim = _actor(demo, "pp.rahim")
    hearing = schedule_hearing(
        demo,
        rahim,
        case.id,
        NewHearing(
            starts_at=dt.datetime.combine(pakistan_today(), dt.time(11, 0), tzinfo=PKT),
            court="Sessions Court Karachi South",
            purpose="evidence",
        ),
    )
    doc = demo.store.find_one(CaseDocument, {"case_id": case.id})
    if doc is None:
        doc = demo.store.insert(
            CaseDocument(
                case_id=case.id,
                district=case.district,
                title="FIR copy",
                filename="fir.pdf",
                sha256="0" * 64,
                uploaded_at=dt.datetime(2025, 3, 1, 8, 0),
            )
        )
    for field, value in (("fir_number", "189"), ("offences", "302 PPC")):
        demo.store.insert(
            DocumentSuggestion(
                document_id=doc.id, case_id=case.id, field=field, value=value, status="pending"
            )
        )

    sections = {s.key: s for s in day_sections(demo, rahim, pakistan_today())}
    assert [i.ref for i in sections["hearings"].items] == [("hearing", hearing.id)]
    assert ("document", doc.id) in [i.ref for i in sections["documents"].items]
    assert "2 readings to confirm" in sections["documents"].items[0].detail

    person = browser()
    person.login("pp.rahim")
    html = person.get("/").get_data(as_text=True)
    assert "Hearings today" in html and "11:00" in html  # Pakistan time, as scheduled
    assert f"/hearings/{hearing.id}" in html
    assert f"/documents/{doc.id}" in html


def test_an_empty_day_says_so(demo, frozen_clock, browser) -> None:
    person = browser()
    person.login("pp.hyd")
    html = person.get("/").get_data(as_text=True)
    assert "No hearings today." in html


def test_the_start_page_opens_for_every_demo_role(demo, browser) -> None:
    for name in ("admin", "pg.sindh", "dpp.south", "pp.rahim", "clerk.south", "trainer"):
        person = browser()
        person.login(name)
        page = person.get("/")
        assert page.status_code == 200, name


def test_deadlines_still_to_meet_come_before_long_lapsed_ones() -> None:
    from casefiles.day_work import most_urgent
    from casefiles.deadline_lists import DeadlineItem
    from casefiles.deadlines import Deadline
    from casefiles.schedule import CaseDeadline

    def item(due: dt.date, state: str) -> DeadlineItem:
        rule = Deadline("r", "label", due, "hard", "t", due, False, "")
        return DeadlineItem(case=Case(), deadline=CaseDeadline(rule, state))

    lapsed_2021 = item(dt.date(2021, 4, 22), "overdue")
    lapsed_last_week = item(dt.date(2025, 2, 24), "overdue")
    tomorrow = item(dt.date(2025, 3, 4), "due_soon")
    today = item(dt.date(2025, 3, 3), "due_soon")
    ordered = most_urgent([lapsed_2021, tomorrow, lapsed_last_week, today])
    assert ordered == [today, tomorrow, lapsed_last_week, lapsed_2021]


def test_police_answers_awaited_until_the_challan_comes_back(demo, frozen_clock) -> None:
    case = return_challan(demo, ["Site plan missing", "Recovery memo unsigned"])
    rahim = _actor(demo, "pp.rahim")

    def awaited(who=rahim):
        return {s.key: s for s in day_sections(demo, who, pakistan_today())}.get("police")

    section = awaited()
    assert [i.ref for i in section.items] == [("case", case.id)]
    assert "Challan returned with objections" in section.items[0].detail
    assert awaited(_actor(demo, "clerk.south")) is None

    integration, _token = create_integration(
        demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    police = actor_for_integration(integration, "127.0.0.1")
    message_id = demo.store.find_one(PoliceMessage, {"case_id": case.id}).id
    replies = [
        {"id": "r-1", "type": "answer", "objection_id": "1", "text": "Site plan attached."},
        {"id": "r-2", "type": "answer", "objection_id": "2", "text": "Memo signed."},
        # Objections are closed by the challan sent again, not by the answers alone.
        {"id": "r-3", "type": "resubmission", "challan": {"submitted_on": "2025-03-03"}},
    ]
    for n, record in enumerate(replies, 1):
        receive_reply(demo, police, ["KHI-S"], {"message_id": message_id, **record})
        assert awaited().total == (0 if n == len(replies) else 1)
