"""Hearings: scheduling rules, double booking, adjournments, who sees which calendar,
reminders, calendar-feed tokens and the iCalendar text itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casefiles.calendar_tokens import CalendarToken, issue_calendar_token, user_for_token
from casefiles.hearing_access import hearings_for_case
from casefiles.hearing_calendars import calendar, cause_list, courts_on, reminders
from casefiles.hearing_clashes import HearingClash
from casefiles.hearing_service import record_outcome, schedule_hearing
from casefiles.hearings import Hearing, HearingError, NewHearing
from casefiles.ical import escape_text, fold, hearings_calendar
from casefiles.models import Case
from casefiles.service import CaseNotFound, assign
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import SYSTEM, Actor
from mizan.audit import AuditEntry
from mizan.clock import pakistan_moment, pakistan_today, pakistan_wall_time
from mizan.kernel import Kernel
from mizan.storage import StaleWriteError

ATC = "ATC-XII Karachi"
SESSIONS = "Sessions Court Karachi South"


def who(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def case(kernel: Kernel, station: str = "Artillery Maidan") -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})


def at(days: int, clock: str = "10:00") -> dt.datetime:
    """A Pakistan-time moment ``days`` from today (aware)."""
    return pakistan_moment(pakistan_today() + dt.timedelta(days=days), dt.time.fromisoformat(clock))


def schedule(
    kernel: Kernel, username: str, station: str, when: dt.datetime, court: str = ATC, **kw
):
    override = kw.pop("override_clash", False)
    data = NewHearing(starts_at=when, court=court, purpose=kw.pop("purpose", "evidence"), **kw)
    return schedule_hearing(
        kernel, who(kernel, username), case(kernel, station).id, data, override_clash=override
    )


def give_case(kernel: Kernel, station: str, lead: str, assisting: tuple[str, ...] = ()) -> None:
    c = case(kernel, station)
    ids = {u: kernel.store.find_one(User, {"username": u}).id for u in (lead, *assisting)}
    assign(
        kernel,
        SYSTEM,
        c.id,
        version=c.version,
        lead=ids[lead],
        assisting=[ids[a] for a in assisting],
        reason="duty roster",
    )


def rahim_id(kernel: Kernel) -> str:
    return kernel.store.find_one(User, {"username": "pp.rahim"}).id


# -- scheduling --------------------------------------------------------------------------------


def test_schedule_stores_utc_defaults_to_the_case_prosecutors_and_is_audited(demo) -> None:
    when = at(3, "10:00")
    hearing = schedule(demo, "clerk.south", "Artillery Maidan", when, court="  ATC-XII   Karachi ")
    stored = demo.store.get(Hearing, hearing.id)
    assert stored.starts_at == when.astimezone(dt.UTC).replace(tzinfo=None)
    assert stored.starts_at.hour == 5 and stored.local_starts_at.hour == 10
    assert stored.court == ATC and stored.court_key == "atc-xii karachi"
    assert stored.prosecutor_ids == [rahim_id(demo)]
    assert stored.district == "KHI-S" and stored.version == 1
    entry = demo.store.find_one(AuditEntry, {"action": "hearing.scheduled"})
    assert entry.subject_id == hearing.id and entry.actor_name == "clerk.south"
    assert "override_clash" not in entry.data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"court": "   "}, "Enter the court"),
        ({"court": "x" * 121}, "too long"),
        ({"purpose": "picnic"}, "Choose what the hearing is for"),
        ({"starts_at": "past"}, "already passed"),
        ({"starts_at": "far"}, "two years ahead"),
        ({"prosecutor_ids": ("nobody",)}, "Unknown prosecutor"),
        ({"prosecutor_ids": ("clerk",)}, "is not an active prosecutor"),
        ({"prosecutor_ids": ("rahim", "rahim")}, "only be listed once"),
    ],
)
def test_schedule_validation(demo, changes, message) -> None:
    data = {"starts_at": at(2), "court": ATC, "purpose": "evidence", **changes}
    if data["starts_at"] == "past":
        data["starts_at"] = at(-1)
    elif data["starts_at"] == "far":
        data["starts_at"] = at(800)
    users = {
        "rahim": rahim_id(demo),
        "clerk": demo.store.find_one(User, {"username": "clerk.south"}).id,
        "nobody": "no-such-user",
    }
    if "prosecutor_ids" in data:
        data["prosecutor_ids"] = tuple(users[p] for p in data["prosecutor_ids"])
    with pytest.raises(HearingError, match=message):
        schedule_hearing(demo, who(demo, "clerk.south"), case(demo).id, NewHearing(**data))
    assert demo.store.count(Hearing) == 0


def test_past_hearing_is_accepted_when_recording_history(demo) -> None:
    hearing = schedule(demo, "pp.rahim", "Artillery Maidan", at(-20), history=True)
    assert hearing.recorded_as_history
    assert demo.store.count(Hearing) == 1


def test_only_editors_of_the_case_schedule(demo) -> None:
    with pytest.raises(CaseNotFound):
        schedule(demo, "pp.sana", "Artillery Maidan", at(2))  # not assigned: cannot even see it
    with pytest.raises(PermissionDenied):
        schedule(demo, "supervisor", "Artillery Maidan", at(2))  # sees, but does not edit
    assert demo.store.count(Hearing) == 0


# -- double booking ----------------------------------------------------------------------------


def test_clash_in_another_court_within_an_hour_is_refused_with_its_details(demo) -> None:
    give_case(demo, "Darakhshan", "pp.rahim")
    schedule(demo, "pp.rahim", "Artillery Maidan", at(4, "10:00"), court=ATC)
    with pytest.raises(HearingClash) as refused:
        schedule(demo, "pp.rahim", "Darakhshan", at(4, "10:45"), court=SESSIONS)
    message = str(refused.value)
    assert "Abdul Rahim Soomro" in message and ATC in message
    assert f"{pakistan_today() + dt.timedelta(days=4):%d.%m.%Y} 10:00" in message
    assert case(demo).reference in message
    assert len(refused.value.clashes) == 1
    assert demo.store.count(Hearing) == 1


@pytest.mark.parametrize(
    ("days", "clock", "court"),
    [
        (4, "10:30", "atc-xii  KARACHI"),  # same court (spelt differently): one cause list
        (4, "11:00", SESSIONS),  # an hour apart is not within the hour
        (4, "09:00", SESSIONS),
        (5, "10:00", SESSIONS),  # another day
    ],
)
def test_no_clash(demo, days, clock, court) -> None:
    give_case(demo, "Darakhshan", "pp.rahim")
    schedule(demo, "pp.rahim", "Artillery Maidan", at(4, "10:00"), court=ATC)
    schedule(demo, "pp.rahim", "Darakhshan", at(days, clock), court=court)
    assert demo.store.count(Hearing) == 2


def test_clash_override_is_saved_and_recorded_in_the_audit_trail(demo) -> None:
    give_case(demo, "Darakhshan", "pp.rahim")
    first = schedule(demo, "pp.rahim", "Artillery Maidan", at(4, "10:00"), court=ATC)
    second = schedule(
        demo, "dpp.south", "Darakhshan", at(4, "10:20"), court=SESSIONS, override_clash=True
    )
    entry = demo.store.find_one(
        AuditEntry, {"action": "hearing.scheduled", "subject_id": second.id}
    )
    assert entry.data["override_clash"] is True
    assert entry.data["clashes"] == [
        {"prosecutor_id": rahim_id(demo), "hearing_id": first.id, "court": ATC}
    ]


def test_clash_with_a_case_the_scheduler_cannot_see_does_not_name_it(demo) -> None:
    give_case(demo, "Market", "pp.hyd", ("pp.rahim",))  # Rahim assists in a Hyderabad case
    schedule(demo, "pp.hyd", "Market", at(6, "11:00"), court="ATC-I Hyderabad")
    with pytest.raises(HearingClash) as refused:
        schedule(demo, "clerk.south", "Artillery Maidan", at(6, "11:30"), court=ATC)
    message = str(refused.value)
    assert "another case" in message and "ATC-I Hyderabad" in message
    assert case(demo, "Market").reference not in message


def test_a_newly_assigned_prosecutor_inherits_the_case_hearings(demo) -> None:
    hearing = schedule(demo, "pp.rahim", "Artillery Maidan", at(3))
    give_case(demo, "Artillery Maidan", "pp.sana")
    sana, rahim = who(demo, "pp.sana"), who(demo, "pp.rahim")
    start = pakistan_today()
    assert [h.id for h in calendar(demo, sana, start=start, prosecutor_id=sana.user_id)] == [
        hearing.id
    ]
    assert calendar(demo, rahim, start=start, prosecutor_id=rahim.user_id) == []
    # ... and is now double-booked by it like by any other hearing of theirs
    with pytest.raises(HearingClash):
        schedule(demo, "pp.sana", "Boat Basin", at(3, "10:15"), court=SESSIONS)


# -- outcomes ------------------------------------------------------------------------------------


def _held_yesterday(demo) -> Hearing:
    give_case(demo, "Artillery Maidan", "pp.rahim", ("pp.sana",))
    return schedule(demo, "pp.rahim", "Artillery Maidan", at(-1, "09:30"), history=True)


def test_adjournment_needs_a_reason_and_a_next_date(demo) -> None:
    hearing = _held_yesterday(demo)
    rahim = who(demo, "pp.rahim")
    with pytest.raises(HearingError, match="why the hearing was adjourned"):
        record_outcome(demo, rahim, hearing.id, hearing.version, "adjourned", None, at(10))
    with pytest.raises(HearingError, match="next date"):
        record_outcome(demo, rahim, hearing.id, hearing.version, "adjourned", "witness_absent")
    with pytest.raises(HearingError, match="note"):
        record_outcome(demo, rahim, hearing.id, hearing.version, "adjourned", "other", at(10))
    with pytest.raises(HearingError, match="no adjournment reason"):
        record_outcome(demo, rahim, hearing.id, hearing.version, "held", "witness_absent")
    with pytest.raises(HearingError, match="must come after"):
        record_outcome(
            demo, rahim, hearing.id, hearing.version, "adjourned", "witness_absent", at(-3)
        )
    assert demo.store.get(Hearing, hearing.id).outcome is None
    assert demo.store.count(Hearing) == 1


def test_adjournment_lists_the_case_again_in_the_same_court_for_the_same_prosecutors(demo) -> None:
    hearing = _held_yesterday(demo)
    next_day = pakistan_today() + dt.timedelta(days=14)
    done = record_outcome(
        demo,
        who(demo, "clerk.south"),
        hearing.id,
        hearing.version,
        "adjourned",
        "witness_absent",
        next_day,  # a bare date keeps this hearing's time of day
        note="PW-2 (IO) on leave",
    )
    assert done.outcome == "adjourned" and done.adjournment_reason == "witness_absent"
    nxt = demo.store.get(Hearing, done.next_hearing_id)
    assert nxt.local_starts_at == dt.datetime.combine(next_day, dt.time(9, 30))
    assert done.next_date == nxt.starts_at
    assert (nxt.court, nxt.purpose, nxt.case_id) == (hearing.court, "evidence", hearing.case_id)
    assert nxt.prosecutor_ids == hearing.prosecutor_ids and len(nxt.prosecutor_ids) == 2
    assert nxt.previous_hearing_id == hearing.id and nxt.outcome is None
    actions = [e.action for e in demo.store.find(AuditEntry, sort=[("seq", 1)])][-2:]
    assert actions == ["hearing.outcome_recorded", "hearing.scheduled"]
    with pytest.raises(HearingError, match="already recorded"):
        record_outcome(demo, who(demo, "pp.rahim"), hearing.id, done.version, "held")


def test_outcome_of_a_future_hearing_is_refused(demo) -> None:
    hearing = schedule(demo, "pp.rahim", "Artillery Maidan", at(2))
    with pytest.raises(HearingError, match="not taken place"):
        record_outcome(demo, who(demo, "pp.rahim"), hearing.id, hearing.version, "held")


def test_stale_outcome_is_refused_not_merged(demo) -> None:
    hearing = _held_yesterday(demo)
    seen = hearing.version
    record_outcome(demo, who(demo, "pp.sana"), hearing.id, seen, "held", next_date=at(7))
    with pytest.raises(StaleWriteError, match="changed by someone else"):
        record_outcome(
            demo, who(demo, "pp.rahim"), hearing.id, seen, "adjourned", "judge_on_leave", at(9)
        )
    stored = demo.store.get(Hearing, hearing.id)
    assert stored.outcome == "held" and demo.store.count(Hearing) == 2


def test_adjournment_into_a_clash_needs_an_override(demo) -> None:
    hearing = _held_yesterday(demo)
    schedule(demo, "pp.sana", "Boat Basin", at(8, "09:30"), court=SESSIONS)
    rahim = who(demo, "pp.rahim")
    with pytest.raises(HearingClash, match="Sana Memon"):
        record_outcome(
            demo, rahim, hearing.id, hearing.version, "adjourned", "judge_on_leave", at(8)
        )
    done = record_outcome(
        demo,
        rahim,
        hearing.id,
        hearing.version,
        "adjourned",
        "judge_on_leave",
        at(8),
        override_clash=True,
    )
    entry = demo.store.find_one(
        AuditEntry, {"action": "hearing.scheduled", "subject_id": done.next_hearing_id}
    )
    assert entry.data["override_clash"] is True and entry.data["previous_hearing_id"] == hearing.id


# -- calendars and access ------------------------------------------------------------------------


def test_calendar_and_cause_list_show_only_cases_the_reader_may_see(demo) -> None:
    hearing = schedule(demo, "pp.rahim", "Artillery Maidan", at(3), court=ATC)
    day = pakistan_wall_time(hearing.starts_at).date()
    expected = {
        "pp.rahim": True,
        "dpp.south": True,
        "clerk.south": True,
        "supervisor": True,
        "pg.sindh": True,
        "pp.sana": False,
        "pp.hyd": False,
        "trainer": False,
        "admin": False,
    }
    for username, sees in expected.items():
        reader = who(demo, username)
        found = [h.id for h in calendar(demo, reader, start=pakistan_today(), days=7)]
        assert found == ([hearing.id] if sees else []), username
        listed = [h.id for h in cause_list(demo, reader, ATC, day)]
        assert listed == ([hearing.id] if sees else []), username
        mine = calendar(demo, reader, start=pakistan_today(), prosecutor_id=rahim_id(demo))
        assert bool(mine) == sees, username
        assert bool(courts_on(demo, reader, day)) == sees, username
    with pytest.raises(CaseNotFound):
        hearings_for_case(demo, who(demo, "pp.sana"), hearing.case_id)
    assert [h.id for h in hearings_for_case(demo, who(demo, "pp.rahim"), hearing.case_id)] == [
        hearing.id
    ]


def test_cause_list_is_in_calling_order_and_days_are_pakistan_days(demo) -> None:
    give_case(demo, "Darakhshan", "pp.rahim")
    late = schedule(demo, "pp.rahim", "Artillery Maidan", at(5, "12:00"))
    early = schedule(demo, "pp.rahim", "Darakhshan", at(5, "09:00"))
    # 02:00 in Karachi is 21:00 UTC the evening before: it belongs to the Pakistan day.
    small_hours = schedule(demo, "pp.sana", "Boat Basin", at(5, "02:00"))
    assert small_hours.starts_at.date() == (pakistan_today() + dt.timedelta(days=4))
    dpp = who(demo, "dpp.south")
    day = pakistan_today() + dt.timedelta(days=5)
    assert [h.id for h in cause_list(demo, dpp, "atc-xii karachi", day)] == [
        small_hours.id,
        early.id,
        late.id,
    ]
    assert cause_list(demo, dpp, ATC, day - dt.timedelta(days=1)) == []
    with pytest.raises(HearingError):
        cause_list(demo, dpp, " ", day)


def test_reminders_cover_the_next_24_hours_of_my_own_hearings(demo) -> None:
    mine = schedule(demo, "pp.rahim", "Artillery Maidan", at(3, "10:00"))
    schedule(demo, "pp.rahim", "Artillery Maidan", at(4, "15:00"), court=SESSIONS)  # 29 h later
    schedule(demo, "pp.sana", "Boat Basin", at(3, "11:00"), court=SESSIONS)  # not mine
    now = mine.starts_at - dt.timedelta(hours=2)
    assert [h.id for h in reminders(demo, who(demo, "pp.rahim"), now)] == [mine.id]
    assert reminders(demo, who(demo, "dpp.south"), now) == []  # not a prosecutor
    assert reminders(demo, who(demo, "pp.rahim"), mine.starts_at + dt.timedelta(minutes=1)) == []


def test_calendar_refuses_an_absurd_span(demo) -> None:
    with pytest.raises(HearingError):
        calendar(demo, who(demo, "pp.rahim"), start=pakistan_today(), days=0)


# -- calendar-feed tokens ------------------------------------------------------------------------


def test_feed_token_is_stored_hashed_and_a_new_one_replaces_the_old(demo) -> None:
    rahim = who(demo, "pp.rahim")
    first = issue_calendar_token(demo, rahim)
    assert user_for_token(demo, first).username == "pp.rahim"
    record = demo.store.find_one(CalendarToken, {"user_id": rahim.user_id})
    assert first not in record.token_hash and len(record.token_hash) == 64
    second = issue_calendar_token(demo, rahim)
    assert user_for_token(demo, first) is None
    assert user_for_token(demo, second).username == "pp.rahim"
    assert demo.store.count(CalendarToken) == 1
    assert user_for_token(demo, "") is None and user_for_token(demo, "x" * 500) is None
    user = demo.store.get(User, rahim.user_id)
    user.active = False
    demo.store.replace(user)
    assert user_for_token(demo, second) is None
    issued = demo.store.find(AuditEntry, {"action": "calendar.link_issued"}, sort=[("seq", 1)])
    assert [e.data["replaced"] for e in issued] == [False, True]


# -- iCalendar text ------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_text_escaping() -> None:
    raw = "Court of Sessions, Karachi; South\\East\r\nRoom 2\nback"
    escaped = escape_text(raw)
    assert escaped == "Court of Sessions\\, Karachi\\; South\\\\East\\nRoom 2\\nback"
    assert unescape(escaped) == raw.replace("\r\n", "\n")
    assert escape_text("bell\x07") == "bell"


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:" + "x" * 200,
        "LOCATION:" + "انسداد دہشت گردی عدالت نمبر ۱۲ کراچی، " * 6,
        "DESCRIPTION:" + "a" * 66 + "é" * 30,
        "SHORT:ok",
    ],
)
def test_folding_keeps_lines_within_75_octets_and_characters_whole(line) -> None:
    folded = fold(line)
    pieces = folded.split("\r\n")
    for n, piece in enumerate(pieces):
        assert len(piece.encode("utf-8")) <= 75
        if n:
            assert piece.startswith(" ")
    assert folded.replace("\r\n ", "") == line
    assert len(pieces) > 1 or len(line.encode()) <= 75


def test_calendar_parses_back(demo) -> None:
    court = "Court of Sessions, Karachi; South (انسداد دہشت گردی)"
    first = schedule(demo, "pp.rahim", "Artillery Maidan", at(3, "10:00"), court=court)
    second = schedule(demo, "pp.rahim", "Artillery Maidan", at(9, "11:30"), purpose="arguments")
    ref = case(demo).reference
    stamp = dt.datetime(2025, 1, 2, 3, 4, 5)
    text = hearings_calendar(
        [first, second], {first.case_id: ref}, name="Hearings of A, B", stamp=stamp
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert "X-WR-CALNAME:Hearings of A\\, B" in lines
    events: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and ":" in line and line != "END:VEVENT":
            name, _, value = line.partition(":")
            events[-1].setdefault(name, value)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    one, two = events
    assert one["UID"] == f"hearing-{first.id}@mizan" and one["UID"] != two["UID"]
    assert one["DTSTAMP"] == "20250102T030405Z"
    assert one["DTSTART"] == first.starts_at.strftime("%Y%m%dT%H%M%SZ")
    assert one["DTSTART"].endswith("T050000Z")  # 10:00 in Karachi
    assert one["DTEND"].endswith("T060000Z")
    assert unescape(one["LOCATION"]) == court
    assert unescape(one["SUMMARY"]) == f"{ref} – Prosecution evidence"
    assert unescape(two["SUMMARY"]) == f"{ref} – Arguments"
    assert "State v." not in text  # no names of the accused in an unauthenticated feed
