"""Child matters: strict court numbers, kinds that fit the case, decisions, clocks, hearings."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.holidays import NewHoliday, add_holiday, working_calendar
from casefiles.matters import (
    MatterError,
    MatterInput,
    MatterNotFound,
    assign_matter,
    create_matter,
    decide_matter,
    get_matter,
    matter_deadlines,
    matters_for_case,
)
from casefiles.service import CaseError
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import Actor
from mizan.audit import AuditEntry
from mizan.clock import pakistan_moment, pakistan_today
from mizan.storage import StaleWriteError
from tests.casefiles.case_steps import decide, demo_case

BAIL = "Crl. Bail Application No. S-24 of 2025"


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def calendar(kernel):
    """The administrator's working calendar, as the matter pages use it."""
    return working_calendar(kernel.store, dt.date(2025, 3, 1))


def _bail(kernel, username: str = "pp.rahim", **kw):
    data = {
        "kind": "bail_post_arrest",
        "forum": "high_court",
        "number": BAIL,
        "filed_on": dt.date(2025, 3, 1),
        "court": "High Court of Sindh, Sukkur Bench",
        **kw,
    }
    return create_matter(
        kernel, _actor(kernel, username), demo_case(kernel).id, MatterInput(**data)
    )


def test_bail_application_keeps_raw_and_normalised_number(demo) -> None:
    matter = _bail(demo, number="Cr. B.A. No. S-24/2025")
    assert matter.number.raw == "Cr. B.A. No. S-24/2025"
    assert matter.number.canonical == BAIL.replace("Crl.", "Criminal")
    assert (matter.number.bench, matter.number.number, matter.number.year) == ("S", 24, 2025)
    assert [m.id for m in matters_for_case(demo, demo_case(demo))] == [matter.id]
    entry = demo.store.find_one(AuditEntry, {"action": "matter.created"})
    assert entry.subject_id == matter.id and entry.data["case_id"] == matter.case_id


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Enter the court's number"),
        ("Bail No. 24 of 2025", "Unknown case type"),
        ("Crl. Bail Application No. 24", "The year is missing"),
        ("Crl. Bail Application No. 24 of 3025", "is in the future"),
        ("FIR No. 189/2024", "Unknown case type"),
    ],
)
def test_malformed_numbers_are_reported_not_guessed(demo, number, message) -> None:
    with pytest.raises(MatterError, match=message):
        _bail(demo, number=number)
    assert matters_for_case(demo, demo_case(demo)) == []


def test_kind_must_fit_the_case(demo) -> None:
    with pytest.raises(MatterError, match="needs a decided case"):
        _bail(demo, kind="appeal_conviction", number="Criminal Appeal No. 5 of 2025")
    with pytest.raises(MatterError, match="approval chain"):
        decide(demo, demo_case(demo))
        _bail(demo, kind="appeal_acquittal", number="Crl. Acquittal Appeal No. D-15 of 2025")
    with pytest.raises(MatterError, match="follows a conviction"):
        _bail(demo, kind="confirmation_reference", number="Murder Reference No. 1 of 2025")


def test_prosecutor_is_checked_and_duplicates_refused(demo) -> None:
    clerk_id = demo.store.find_one(User, {"username": "clerk.south"}).id
    with pytest.raises(CaseError, match="not an active prosecutor"):
        _bail(demo, lead_prosecutor=clerk_id)
    _bail(demo)
    with pytest.raises(MatterError, match="already recorded in this case"):
        _bail(demo, number="Criminal Bail Application No. S-24/2025")


def test_matter_prosecutor_sees_the_matter_but_outsiders_are_refused_and_audited(demo) -> None:
    hyd = demo.store.find_one(User, {"username": "pp.hyd"})
    # Sana is not on the trial but argues the bail application.
    sana = demo.store.find_one(User, {"username": "pp.sana"})
    matter = _bail(demo, lead_prosecutor=sana.id)
    assert get_matter(demo, actor_for(sana), matter.id)[0].id == matter.id
    with pytest.raises(MatterNotFound):
        get_matter(demo, actor_for(hyd), matter.id)
    assert demo.store.count(AuditEntry, {"action": "matter.access_denied"}) == 1
    with pytest.raises(PermissionDenied):
        _bail(demo, username="supervisor", number="Crl. Bail Application No. 9 of 2025")


def test_decision_starts_the_supreme_court_clock_and_a_stale_write_is_refused(demo) -> None:
    rahim = _actor(demo, "pp.rahim")
    matter = _bail(demo)
    with pytest.raises(MatterError, match="Choose the outcome: Granted, Refused"):
        decide_matter(
            demo,
            rahim,
            matter.id,
            version=matter.version,
            outcome="allowed",
            decided_on=dt.date(2025, 3, 10),
        )
    decided = decide_matter(
        demo,
        rahim,
        matter.id,
        version=matter.version,
        outcome="refused",
        decided_on=dt.date(2025, 3, 10),
    )
    with pytest.raises(StaleWriteError):
        assign_matter(demo, _actor(demo, "dpp.south"), matter.id, version=matter.version, lead=None)
    deadlines = matter_deadlines(
        decided, demo_case(demo), [decided], dt.date(2025, 3, 11), calendar=calendar(demo)
    )
    assert [(d.deadline.rule_id, d.deadline.due, d.state) for d in deadlines] == [
        ("sc_leave_petition", dt.date(2025, 4, 9), "pending")
    ]


def test_matter_limitation_follows_the_administrators_holidays(demo) -> None:
    """The 30-day leave petition that ends on a holiday the admin entered runs to the next
    working day, as case deadlines do (the fixed national holidays alone would miss it)."""
    rahim = _actor(demo, "pp.rahim")
    matter = _bail(demo, forum="high_court", filed_on=dt.date(2025, 2, 1))
    decided = decide_matter(
        demo, rahim, matter.id, version=matter.version, outcome="refused",
        decided_on=dt.date(2025, 3, 10),
    )  # fmt: skip
    admin = Actor("a1", "admin", frozenset({"admin"}))
    add_holiday(demo, admin, NewHoliday(dt.date(2025, 4, 9), "Provincial holiday", "provincial"))
    [leave] = matter_deadlines(
        decided, demo_case(demo), [decided], dt.date(2025, 3, 11), calendar=calendar(demo)
    )
    assert (leave.deadline.rule_id, leave.deadline.due) == (
        "sc_leave_petition",
        dt.date(2025, 4, 10),
    )


def test_a_sessions_bail_order_prompts_revision(demo) -> None:
    rahim = _actor(demo, "pp.rahim")
    matter = _bail(
        demo,
        forum="sessions_court",
        number="Criminal Bail Application 2020/2024",
        filed_on=dt.date(2024, 12, 20),
    )
    decided = decide_matter(
        demo,
        rahim,
        matter.id,
        version=matter.version,
        outcome="granted",
        decided_on=dt.date(2025, 1, 6),
    )
    [reminder] = matter_deadlines(
        decided, demo_case(demo), [decided], dt.date(2025, 1, 7), calendar=calendar(demo)
    )
    assert reminder.deadline.rule_id == "revision_reminder" and reminder.deadline.kind == "practice"
    revision = _bail(
        demo,
        kind="revision",
        forum="high_court",
        number="Crl. Revision Application No. 3 of 2025",
        filed_on=dt.date(2025, 2, 1),
    )
    [met] = matter_deadlines(
        decided, demo_case(demo), [decided, revision], dt.date(2025, 3, 7), calendar=calendar(demo)
    )
    assert met.state == "met"


def test_hearings_link_to_the_matter_and_default_to_its_prosecutor(demo) -> None:
    sana = demo.store.find_one(User, {"username": "pp.sana"})
    matter = _bail(demo, lead_prosecutor=sana.id)
    when = pakistan_moment(pakistan_today() + dt.timedelta(days=3), dt.time(10))
    hearing = schedule_hearing(
        demo,
        _actor(demo, "pp.rahim"),
        demo_case(demo).id,
        NewHearing(starts_at=when, court="SHC Sukkur", purpose="bail", matter_id=matter.id),
    )
    assert hearing.matter_id == matter.id and hearing.prosecutor_ids == [sana.id]
    other = demo_case(demo, "Boat Basin")
    from casefiles.hearings import HearingError

    with pytest.raises(HearingError, match="does not belong to this case"):
        schedule_hearing(
            demo,
            _actor(demo, "dpp.south"),
            other.id,
            NewHearing(starts_at=when, court="SHC", purpose="bail", matter_id=matter.id),
        )
