"""Cause-list rows matched at three levels (sure, likely, unmatched), reported when outside the
clerk's district, and applied only when accepted: once, with the next date, clashes told."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo import seed_demo_details
from casefiles.cause_list_matching import accused_names, name_words, station_key
from casefiles.cause_list_reviews import (
    CauseListEntry,
    ReviewError,
    accept_entry,
    accept_sure,
    candidate_cases,
    choose_case,
    entries_of,
    stage_cause_list,
)
from casefiles.cause_lists import CauseListError
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import Hearing, NewHearing
from casefiles.models import Case
from casefiles.parties import PartyInput, add_party
from casefiles.service import NewCase, create_case
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import SYSTEM, Actor
from mizan.clock import pakistan_moment, pakistan_today
from mizan.kernel import Kernel
from mizan.notifications import Notification

COURT = "ATC-XII Karachi"
DAY = pakistan_today() + dt.timedelta(days=5)


def who(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


@pytest.fixture
def cases(demo: Kernel) -> dict[str, Case]:
    seed_demo_details(demo)
    store = demo.store
    aslam = store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    aslam.court_case_keys = [f"{COURT.casefold()}|Special Case No. 69 of 2025"]
    store.replace(aslam)
    twin = create_case(demo, SYSTEM, NewCase("KHI-S", "Clifton", 40, 2025, "State v. Ghulam"))
    for case in (twin, create_case(demo, SYSTEM, NewCase("KHI-S", "Docks", 41, 2025, "x"))):
        add_party(demo, SYSTEM, case.id, version=case.version,
                  data=PartyInput("accused", "Ghulam Nabi"))  # fmt: skip
    return {
        "aslam": store.get(Case, aslam.id),
        "shahid": store.find_one(Case, {"fir.police_station": "Boat Basin"}),
        "hyd": store.find_one(Case, {"fir.police_station": "Market"}),
    }


def _rows() -> list[dict[str, str]]:
    return [
        {"case_number": "Special Case No. 69 of 2025", "purpose": "evidence"},
        {"fir_number": "77", "fir_year": "2025", "police_station": "PS Boat Basin"},
        {"parties": "The State v. Mohd. Aslam"},  # "Muhammad" spelt another way, no number
        {"parties": "The State v. Shahid Hussain", "case_number": "Special Case No. 9 of 2025"},
        {"fir_number": "301", "fir_year": "2024", "police_station": "Market"},
        {"parties": "The State v. Ghulam Nabi & others"},
        {"case_number": "F.I.R. 12 of 2024"},
    ]


def test_rows_get_sure_likely_unmatched_outside_and_error(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    record = stage_cause_list(demo, clerk, _rows(), court=COURT, day=DAY.isoformat())
    entries = entries_of(demo, clerk, record.id)
    assert [e.level for e in entries] == [
        "sure", "sure", "likely", "unmatched", "outside", "unmatched", "error",
    ]  # fmt: skip
    assert entries[0].case_id == entries[2].case_id == cases["aslam"].id
    assert entries[1].case_id == cases["shahid"].id
    assert entries[4].case_id is None and "HYD" in entries[4].reason
    assert "2 cases have an accused named Ghulam Nabi" in entries[5].reason
    assert "case_number" in entries[6].errors
    assert record.counts == {"sure": 2, "likely": 1, "unmatched": 2, "outside": 1, "error": 1}
    # Nothing is applied by reading.
    assert demo.store.count(Hearing) == 0


def test_accepting_applies_once_and_moves_the_next_date(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    aslam = cases["aslam"]
    earlier = schedule_hearing(
        demo,
        SYSTEM,
        aslam.id,
        NewHearing(pakistan_moment(DAY - dt.timedelta(days=2), dt.time(10)), COURT, "charge"),
    )
    record = stage_cause_list(demo, clerk, _rows(), court=COURT, day=DAY.isoformat())
    first, second, likely = entries_of(demo, clerk, record.id)[:3]
    done = accept_entry(demo, clerk, record.id, first.id, version=first.version)
    assert done.entry.outcome == "updated" and done.entry.state == "accepted"
    moved = demo.store.get(Hearing, earlier.id)
    assert moved.local_starts_at.date() == DAY and moved.purpose == "evidence"
    assert demo.store.count(Hearing, {"case_id": aslam.id}) == 1
    # The same row again, or with the version the page showed before, applies nothing.
    with pytest.raises(ReviewError, match="accepted meanwhile"):
        accept_entry(demo, clerk, record.id, first.id, version=first.version)
    # "All sure rows" takes the one left and leaves the likely one for a look.
    assert [a.entry.id for a in accept_sure(demo, clerk, record.id)] == [second.id]
    assert demo.store.get(CauseListEntry, likely.id).state == "pending"
    assert demo.store.count(Hearing, {"case_id": cases["shahid"].id}) == 1
    # The likely row, accepted on its own, finds the hearing already on that day.
    assert accept_entry(demo, clerk, record.id, likely.id, version=likely.version)


def test_unmatched_and_outside_rows_cannot_be_accepted(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    record = stage_cause_list(demo, clerk, _rows(), court=COURT, day=DAY.isoformat())
    outside = entries_of(demo, clerk, record.id)[4]
    with pytest.raises(ReviewError, match="not matched"):
        accept_entry(demo, clerk, record.id, outside.id, version=outside.version)
    # Another district's clerk does not see the list at all.
    other = who(demo, "pp.hyd")
    with pytest.raises(PermissionDenied):
        entries_of(demo, other, record.id)


def test_a_clash_made_by_the_list_is_told_to_the_prosecutor(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    aslam = cases["aslam"]
    schedule_hearing(
        demo,
        SYSTEM,
        cases["shahid"].id,
        NewHearing(pakistan_moment(DAY, dt.time(9, 30)), "Sessions Court Karachi South", "bail"),
    )
    shahid = demo.store.get(Case, cases["shahid"].id)
    shahid.lead_prosecutor = aslam.lead_prosecutor
    demo.store.replace(shahid)
    row = {"case_number": "Special Case No. 69 of 2025", "time": "09:00"}
    record = stage_cause_list(demo, clerk, [row], court=COURT, day=DAY.isoformat())
    entry = entries_of(demo, clerk, record.id)[0]
    done = accept_entry(demo, clerk, record.id, entry.id, version=entry.version)
    assert done.warnings and "already has a hearing" in done.warnings[0]
    notes = demo.store.find(Notification, {"user_id": aslam.lead_prosecutor, "kind": "hearing"})
    assert len(notes) == 1 and aslam.reference in notes[0].params["case"]


def test_bad_lists_are_refused_with_a_reason(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    with pytest.raises(CauseListError, match="which court"):
        stage_cause_list(demo, clerk, _rows(), court=" ", day=DAY.isoformat())
    with pytest.raises(CauseListError, match="date"):
        stage_cause_list(demo, clerk, _rows(), court=COURT, day="16/13/2026")
    with pytest.raises(CauseListError, match="no rows"):
        stage_cause_list(demo, clerk, [], court=COURT, day=DAY.isoformat())
    with pytest.raises(PermissionDenied):
        stage_cause_list(demo, who(demo, "pp.rahim"), _rows(), court=COURT, day=DAY.isoformat())


def test_names_and_stations_as_lists_write_them() -> None:
    assert accused_names("The State v. Muhammad Aslam & others") == ["Muhammad Aslam"]
    assert accused_names("Ali Raza and Shahid Hussain v. The State") == [
        "Ali Raza",
        "Shahid Hussain",
    ]
    assert accused_names("The State vs. Unknown") == []
    assert station_key("P.S. Boat Basin") == station_key("boat  basin") == "boat basin"
    # OCR's specks beside a name are not words of it; a name of short words stays whole.
    assert name_words("Muhammad Khan Baloch ee") == name_words("Muhammad Khan Baloch")
    assert name_words("Imran Ahmed j Memon") == name_words("Imran Ahmed Memon")
    assert name_words("Bo Li") == name_words("Bo  Li.") != []


def test_same_name_twice_is_decided_by_the_open_date_in_this_court(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    twins = demo.store.find(Case, {"accused_keys": "t:ghulam"}, sort=[("_id", 1)])
    for n, case in enumerate(twins):
        case.court_case_keys = [f"{COURT.casefold()}|Special Case No. {50 + n} of 2024"]
        demo.store.replace(case)
    row = {"parties": "The State v. Gulam Nabi"}
    record = stage_cause_list(demo, clerk, [row], court=COURT, day=DAY.isoformat())
    assert entries_of(demo, clerk, record.id)[0].level == "unmatched"
    open_date = pakistan_moment(DAY - dt.timedelta(days=9), dt.time(10))
    past = NewHearing(open_date, COURT, "charge", history=True)
    schedule_hearing(demo, SYSTEM, twins[1].id, past)
    record = stage_cause_list(demo, clerk, [row], court=COURT, day=DAY.isoformat())
    entry = entries_of(demo, clerk, record.id)[0]
    assert (entry.level, entry.case_id) == ("likely", twins[1].id)


def test_from_a_scan_a_sure_number_needs_the_names_to_agree(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    fir = {"fir_number": "77", "fir_year": "2025", "police_station": "Boat Basin"}
    rows = [
        {**fir, "parties": "The State v. Shahid alias Shoda"},
        {**fir, "parties": "The State v. Zarak Khan"},  # a digit misread: someone else's FIR
    ]
    record = stage_cause_list(demo, clerk, rows, court=COURT, day=DAY.isoformat(), method="ocr")
    sure, doubted = entries_of(demo, clerk, record.id)
    assert sure.level == "sure" and doubted.level == "likely"
    assert "read from a scan" in doubted.reason
    # Born-digital text is taken at its word.
    record = stage_cause_list(demo, clerk, rows[1:], court=COURT, day=DAY.isoformat())
    assert entries_of(demo, clerk, record.id)[0].level == "sure"


def test_a_garbled_court_number_does_not_lose_the_row(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    row = {"case_number": "Special Case No. 12-of", "parties": "The State v. Shahid @ Shoda",
           "fir_number": "77", "fir_year": "2025", "police_station": "Boat Basin"}  # fmt: skip
    record = stage_cause_list(demo, clerk, [row], court=COURT, day=DAY.isoformat(), method="ocr")
    entry = entries_of(demo, clerk, record.id)[0]
    assert (entry.level, entry.case_id) == ("sure", cases["shahid"].id)
    assert "could not be read" in entry.reason and "12-of" in entry.fields["notes"]


def test_a_row_is_matched_by_hand_within_the_clerks_cases(demo, cases) -> None:
    clerk = who(demo, "clerk.south")
    record = stage_cause_list(demo, clerk, _rows(), court=COURT, day=DAY.isoformat())
    entries = entries_of(demo, clerk, record.id)
    ghulam, outside, sure = entries[5], entries[4], entries[0]
    # Found by FIR number with or without the year, by court number, by accused's name.
    twin = demo.store.find_one(Case, {"fir.police_station": "Clifton", "fir.number": 40})
    assert [c.id for c in candidate_cases(demo, clerk, "40/2025")] == [twin.id]
    assert twin.id in {c.id for c in candidate_cases(demo, clerk, "FIR 40")}
    assert {c.id for c in candidate_cases(demo, clerk, "Ghulam")} >= {twin.id}
    # Another district's case is not offered, nor chosen when sent anyway.
    assert candidate_cases(demo, clerk, "301/2024") == []
    with pytest.raises(ReviewError, match="cannot change this case"):
        choose_case(demo, clerk, record.id, ghulam.id, cases["hyd"].id, version=ghulam.version)
    # Only rows not matched or likely; a sure or outside row stays as read.
    for row in (sure, outside):
        with pytest.raises(ReviewError, match="matched by hand"):
            choose_case(demo, clerk, record.id, row.id, twin.id, version=row.version)
    chosen = choose_case(demo, clerk, record.id, ghulam.id, twin.id, version=ghulam.version)
    assert (chosen.level, chosen.case_id, chosen.chosen_by) == ("likely", twin.id, clerk.user_id)
    # A second clerk's choice from the same page is refused, not written over the first.
    with pytest.raises(ReviewError, match="changed meanwhile"):
        choose_case(demo, clerk, record.id, ghulam.id, cases["aslam"].id, version=ghulam.version)
    done = accept_entry(demo, clerk, record.id, chosen.id, version=chosen.version)
    assert done.entry.outcome == "created"
    assert demo.store.get(Hearing, done.entry.hearing_id).case_id == twin.id
    with pytest.raises(ReviewError, match="already accepted"):
        choose_case(demo, clerk, record.id, ghulam.id, twin.id, version=done.entry.version)
