"""Hearings over HTTP: my week and month, the printable cause list, scheduling and outcome
forms with their errors, the case panel, and the calendar feed behind its secret URL."""

from __future__ import annotations

import datetime as dt
import re

from flask import render_template

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import Hearing, NewHearing
from casefiles.models import Case
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import pakistan_moment, pakistan_today

ATC = "ATC-XII Karachi"
SESSIONS = "Sessions Court Karachi South"


def _case(kernel, station: str = "Artillery Maidan") -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})


def _day(days: int) -> dt.date:
    return pakistan_today() + dt.timedelta(days=days)


def _schedule(
    kernel, days: int, clock: str, court: str = ATC, station: str = "Artillery Maidan", **kw
):
    user = kernel.store.find_one(User, {"username": kw.pop("username", "pp.rahim")})
    when = pakistan_moment(_day(days), dt.time.fromisoformat(clock))
    return schedule_hearing(
        kernel,
        actor_for(user),
        _case(kernel, station).id,
        NewHearing(starts_at=when, court=court, purpose=kw.pop("purpose", "evidence"), **kw),
    )


def _form(day: dt.date, clock: str, court: str = ATC, **extra: str) -> dict[str, str]:
    return {
        "hearing-day": day.isoformat(),
        "hearing-time": clock,
        "hearing-court": court,
        "hearing-purpose": "evidence",
        "hearing-notes": "",
        **extra,
    }


def test_week_view_groups_by_pakistan_day_with_reminders_on_top(
    browser, demo, frozen_clock
) -> None:
    """At 10:00 in Pakistan (the frozen clock), 02:30 tomorrow is within 24 hours; with the
    real clock this failed between midnight and 02:30 Pakistan time."""
    hearing = _schedule(demo, 1, "02:30")  # 21:30 UTC the day before: shown on its Karachi day
    rahim = browser()
    rahim.login("pp.rahim")
    page = rahim.get(f"/hearings/?start={_day(1).isoformat()}").data.decode()
    assert "Your hearings in the next 24 hours" in page
    soon = page.split('id="soon-heading"')[1].split("</section>")[0]
    assert _case(demo).reference in soon  # 02:30 tomorrow is within 24 hours
    monday = _day(1) - dt.timedelta(days=_day(1).weekday())
    assert f"start={(monday - dt.timedelta(days=7)).isoformat()}" in page
    assert f"start={(monday + dt.timedelta(days=7)).isoformat()}" in page
    sections = re.findall(r'<section class="day[^"]*">(.*?)</section>', page, re.S)
    assert len(sections) == 7
    day_section = sections[_day(1).weekday()]
    assert (
        "02:30" in day_section and ATC in day_section and f"/hearings/{hearing.id}" in day_section
    )
    assert sum("No hearings." in s for s in sections) == 6
    other = browser()
    other.login("pp.sana")
    page = other.get(f"/hearings/?start={_day(1).isoformat()}").data.decode()
    assert _case(demo).reference not in page and hearing.id not in page
    assert "No hearings in the next 24 hours." in page


def test_month_view_is_a_grid(browser, demo) -> None:
    hearing = _schedule(demo, 10, "11:15")
    dpp = browser()
    dpp.login("dpp.south")
    month = _day(10).strftime("%Y-%m")
    response = dpp.get(f"/hearings/?view=month&month={month}")
    assert response.status_code == 200
    page = response.data.decode()
    assert 'class="table month"' in page and "11:15" in page and hearing.id in page
    assert page.count("<tr>") >= 5  # header + at least four weeks
    assert "Your hearings in the next 24 hours" not in page  # the DPP is not a prosecutor
    assert dpp.get("/hearings/?view=month&month=garbage").status_code == 200


def test_cause_list_is_printable_and_in_calling_order(browser, demo, app) -> None:
    _schedule(demo, 2, "12:00", court=ATC)
    _schedule(
        demo, 2, "09:00", court="atc-xii  karachi", station="Darakhshan", username="dpp.south"
    )
    _schedule(demo, 2, "10:00", court=SESSIONS, station="Boat Basin", username="pp.sana")
    clerk = browser()
    clerk.login("clerk.south")
    day = _day(2).isoformat()
    overview = clerk.get(f"/hearings/court?day={day}").data.decode()
    assert ATC in overview and SESSIONS in overview
    page = clerk.get(f"/hearings/court?court={ATC}&day={day}").data.decode()
    assert "hearings/hearings.css" in page and "Cause list for" in page
    rows = re.findall(
        r"<tr>\s*<td>(\d+)</td>\s*<td><span class=\"time\" dir=\"ltr\">([\d:]+)", page
    )
    assert rows == [("1", "09:00"), ("2", "12:00")]
    assert "Boat Basin" not in page  # another court
    css = clerk.get("/hearings/hearings.css")
    assert css.mimetype == "text/css"
    assert "@media print" in css.data.decode() and ".no-print" in css.data.decode()
    sana = browser()
    sana.login("pp.sana")
    page = sana.get(f"/hearings/court?court={ATC}&day={day}").data.decode()
    assert "No hearings of your cases in this court on this day." in page
    assert "Artillery Maidan" not in page


def test_schedule_form_shows_errors_and_asks_before_a_double_booking(browser, demo) -> None:
    case = _case(demo)
    url = f"/hearings/case/{case.id}/new"
    rahim = browser()
    rahim.login("pp.rahim")
    missing = rahim.post(url, _form(_day(3), "10:00", court=""))
    assert missing.status_code == 400 and "Enter the court" in missing.data.decode()
    bad_time = rahim.post(url, _form(_day(3), "25:99"))
    assert bad_time.status_code == 400 and "Not a valid time value." in bad_time.data.decode()
    past = rahim.post(url, _form(_day(-2), "10:00"))
    assert past.status_code == 400 and "already passed" in past.data.decode()
    assert demo.store.count(Hearing) == 0
    history = rahim.post(url, _form(_day(-2), "10:00", **{"hearing-history": "y"}))
    assert history.status_code == 302
    assert history.headers["Location"].endswith(f"/hearings/case/{case.id}")

    demo_case = _case(demo, "Darakhshan")
    dpp = browser()
    dpp.login("dpp.south")
    dpp.post(
        f"/cases/{demo_case.id}/assign",
        {"lead": rahim_id(demo), "version": str(demo_case.version), "reason": ""},
        form_url=f"/cases/{demo_case.id}",
    )
    _schedule(demo, 3, "10:00", court=SESSIONS, station="Darakhshan")
    clash = rahim.post(url, _form(_day(3), "10:30"))
    text = clash.data.decode()
    assert clash.status_code == 400
    assert "already has a hearing at" in text and SESSIONS in text and "Double booking" in text
    assert 'name="hearing-override_clash"' in text
    assert f'value="{_day(3).isoformat()}"' in text  # what was typed comes back
    ok = rahim.post(
        url, _form(_day(3), "10:30", **{"hearing-override_clash": "y", "hearing-back": "case"})
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/cases/{case.id}#hearings")
    assert demo.store.count(Hearing) == 3


def rahim_id(kernel) -> str:
    return kernel.store.find_one(User, {"username": "pp.rahim"}).id


def test_scheduling_needs_edit_rights(browser, demo) -> None:
    case = _case(demo)
    url = f"/hearings/case/{case.id}/new"
    supervisor = browser()
    supervisor.login("supervisor")
    assert supervisor.get(url).status_code == 403
    page = supervisor.get(f"/hearings/case/{case.id}").data.decode()
    assert "No hearings recorded yet." in page and "Schedule a hearing" not in page
    sana = browser()
    sana.login("pp.sana")
    assert sana.get(url).status_code == 404
    assert sana.get(f"/hearings/case/{case.id}").status_code == 404


def test_outcome_form_adjourns_and_lists_the_next_date(browser, demo) -> None:
    hearing = _schedule(demo, -1, "09:30", history=True)
    url = f"/hearings/{hearing.id}"
    rahim = browser()
    rahim.login("pp.rahim")
    page = rahim.get(url).data.decode()
    assert "Record the outcome" in page and "Outcome not recorded" in page
    data = {
        "outcome": "adjourned",
        "adjournment_reason": "",
        "note": "",
        "next_day": _day(6).isoformat(),
        "next_time": "",
        "next_purpose": "",
        "version": str(hearing.version),
    }
    refused = rahim.post(f"{url}/outcome", data, form_url=url)
    assert refused.status_code == 400
    assert "Choose why the hearing was adjourned." in refused.data.decode()
    done = rahim.post(
        f"{url}/outcome",
        {**data, "adjournment_reason": "accused_not_produced"},
        form_url=url,
        follow_redirects=True,
    )
    page = done.data.decode()
    assert "Outcome recorded." in page and "Accused not produced" in page
    stored = demo.store.get(Hearing, hearing.id)
    following = demo.store.get(Hearing, stored.next_hearing_id)
    assert following.local_starts_at == dt.datetime.combine(_day(6), dt.time(9, 30))
    assert f"/hearings/{following.id}" in page
    stale = rahim.post(f"{url}/outcome", {**data, "outcome": "held"}, form_url=url)
    assert stale.status_code == 400 and "changed by someone else" in stale.data.decode()


def test_case_panel_renders_with_only_its_three_variables(app, demo) -> None:
    past = _schedule(demo, -1, "09:30", history=True)
    _schedule(demo, 4, "10:00")
    case = _case(demo)
    hearings = demo.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", 1)])
    from web.hearings import schedule_form

    with app.test_request_context("/"):
        html = render_template(
            "hearings/_case_panel.html",
            case=case,
            hearings=hearings,
            hearing_form=schedule_form(formdata=None, back="case"),
        )
        readonly = render_template(
            "hearings/_case_panel.html", case=case, hearings=hearings, hearing_form=None
        )
    assert 'id="hearings"' in html and "Schedule a hearing" in html
    assert f"/hearings/{past.id}/outcome" in html  # its day has come: outcome form inline
    assert html.count("Record the outcome</summary>") == 1
    assert 'name="hearing-back" type="hidden" value="case"' in html
    assert "Schedule a hearing" not in readonly and "/outcome" not in readonly
    assert readonly.count("<tr>") == 3


def test_calendar_feed_link_is_secret_regenerable_and_needs_no_login(browser, demo, app) -> None:
    _schedule(demo, 2, "10:00", court="Court of Sessions, Karachi; South")
    _schedule(demo, 5, "11:00", purpose="arguments")
    rahim = browser()
    rahim.login("pp.rahim")
    assert "You have no calendar link yet." in rahim.get("/hearings/ical").data.decode()
    made = rahim.post("/hearings/ical", {}).data.decode()
    first = re.search(r'id="feed-url" class="feed-url" value="([^"]+)"', made).group(1)
    assert re.fullmatch(r"http://localhost/hearings/ical/[A-Za-z0-9_-]{40,}\.ics", first)
    again = rahim.get("/hearings/ical").data.decode()
    assert first not in again and "You made a calendar link on" in again

    outsider = app.test_client()  # a calendar program: no session, no cookies
    feed = outsider.get(first.removeprefix("http://localhost"))
    assert feed.status_code == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    text = feed.data.decode()
    assert text.count("BEGIN:VEVENT") == 2 and "\r\n" in text
    assert "LOCATION:Court of Sessions\\, Karachi\\; South" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))

    remade = rahim.post("/hearings/ical", {}).data.decode()
    second = re.search(r'id="feed-url" class="feed-url" value="([^"]+)"', remade).group(1)
    assert second != first
    assert outsider.get(first.removeprefix("http://localhost")).status_code == 404
    assert outsider.get(second.removeprefix("http://localhost")).status_code == 200
    assert outsider.get("/hearings/ical/not-a-token.ics").status_code == 404
    sana_feed = browser()
    sana_feed.login("pp.sana")
    made = sana_feed.post("/hearings/ical", {}).data.decode()
    url = re.search(r'value="(http://localhost/hearings/ical/[^"]+)"', made).group(1)
    assert "BEGIN:VEVENT" not in outsider.get(url.removeprefix("http://localhost")).data.decode()


def test_hearing_page_follows_case_access(browser, demo) -> None:
    hearing = _schedule(demo, 3, "10:00")
    for username, status in {
        "pp.rahim": 200,
        "dpp.south": 200,
        "pp.sana": 404,
        "pp.hyd": 404,
    }.items():
        b = browser()
        b.login(username)
        assert b.get(f"/hearings/{hearing.id}").status_code == status, username
    anonymous = browser()
    assert anonymous.get("/hearings/").status_code == 302
