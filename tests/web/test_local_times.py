"""Every page shows stored times in Pakistan time: the case timeline, audit trail, notes."""

from __future__ import annotations

import datetime as dt
import html
import re

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.notes import add_note
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.audit import AuditEntry
from mizan.clock import pakistan_moment, pakistan_today, pakistan_wall_time
from tests.casefiles.case_steps import demo_case


def _text(response) -> str:
    return html.unescape(response.data.decode())


def _rahim(demo):
    return actor_for(demo.store.find_one(User, {"username": "pp.rahim"}))


def test_a_hearing_at_eleven_shows_eleven_on_the_timeline(browser, demo) -> None:
    case = demo_case(demo)
    day = pakistan_today() + dt.timedelta(days=3)
    schedule_hearing(
        demo,
        _rahim(demo),
        case.id,
        NewHearing(
            starts_at=pakistan_moment(day, dt.time(11, 0)),
            court="ATC-XII Karachi",
            purpose="evidence",
        ),
    )
    rahim = browser()
    rahim.login("pp.rahim")
    page = _text(rahim.get(f"/cases/{case.id}?timeline=60"))
    timeline = page[page.index('id="timeline"') :]
    line = next(li for li in timeline.split("<li") if "Hearing in ATC-XII Karachi" in li)
    assert f"{day:%d.%m.%Y} 11:00 PKT" in line
    assert "06:00" not in line
    # A deadline is a day, not an instant: its date alone, not moved to 05:00.
    deadline = next(li for li in timeline.split("<li") if "Deadline:" in li)
    assert re.search(r"<time>\d\d\.\d\d\.\d{4}</time>", deadline)


def test_the_audit_trail_shows_pakistan_time(browser, demo) -> None:
    pg = browser()
    pg.login("pg.sindh")
    entry = demo.store.find_one(AuditEntry, {"action": "auth.login", "actor_name": "pg.sindh"})
    page = _text(pg.get("/admin/audit?action=auth.login&actor_name=pg.sindh"))
    assert "When (Pakistan time)" in page and "UTC" not in page
    assert pakistan_wall_time(entry.at).strftime("%d.%m.%Y %H:%M:%S") in page
    assert entry.at.strftime("%d.%m.%Y %H:%M:%S") not in page


def test_a_note_shows_when_it_was_written_in_pakistan_time(browser, demo, frozen_clock) -> None:
    case = demo_case(demo)
    note = add_note(demo, _rahim(demo), case.id, text="Witness list checked.", privileged=False)
    rahim = browser()
    rahim.login("pp.rahim")
    # The clock stands at 05:00 UTC, 10:00 in Pakistan.
    for url in (f"/notes/{note.id}", f"/cases/{case.id}"):
        page = _text(rahim.get(url))
        assert "03.03.2025 10:00" in page, url
        assert "03.03.2025 05:00" not in page, url
