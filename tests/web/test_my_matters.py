""" "My matters" through HTTP: a prosecutor's own child matters, with limitation and hearing."""

from __future__ import annotations

import datetime as dt
import re

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.holidays import working_calendar
from casefiles.matters import MatterInput, create_matter, decide_matter, withdraw_matter
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import pakistan_moment, pakistan_today
from tests.casefiles.case_steps import demo_case


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def _matter(kernel, n: int, lead: str, **kw):
    data = {
        "kind": "bail_post_arrest",
        "forum": "high_court",
        "number": f"Cr. B.A. No. S-{n}/2025",
        "filed_on": pakistan_today() - dt.timedelta(days=40),
        "court": "High Court of Sindh, Sukkur Bench",
        "lead_prosecutor": lead,
        **kw,
    }
    return create_matter(
        kernel, _actor(kernel, "dpp.south"), demo_case(kernel).id, MatterInput(**data)
    )


def numbers(page: str) -> list[str]:
    """The matters listed, in order, by their court number."""
    return re.findall(r"Criminal Bail Application No\. S-(\d+) of 2025", page)


def test_a_prosecutor_without_matters_sees_an_empty_list(browser) -> None:
    b = browser()
    b.login("pp.sana")
    home = b.get("/").get_data(as_text=True)
    assert 'href="/matters/mine"' in home  # the nav link
    page = b.get("/matters/mine").get_data(as_text=True)
    assert "My matters" in page and "None of your matters is pending" in page
    page = b.get("/matters/mine?show=all").get_data(as_text=True)
    assert "has you as its prosecutor yet" in page


def test_only_prosecutors_have_the_page(browser) -> None:
    b = browser()
    b.login("clerk.south")
    assert b.get("/matters/mine").status_code == 403
    assert 'href="/matters/mine"' not in b.get("/").get_data(as_text=True)


def test_own_matters_with_limitation_and_next_hearing_sorted_and_filtered(demo, browser) -> None:
    rahim = demo.store.find_one(User, {"username": "pp.rahim"})
    sana = demo.store.find_one(User, {"username": "pp.sana"})
    heard = _matter(demo, 1, rahim.id)
    when = pakistan_moment(pakistan_today() + dt.timedelta(days=3), dt.time(10, 30))
    schedule_hearing(
        demo, _actor(demo, "dpp.south"), demo_case(demo).id,
        NewHearing(starts_at=when, court="SHC Sukkur", purpose="bail", matter_id=heard.id),
    )  # fmt: skip
    decided = _matter(demo, 2, rahim.id)
    decided_on = pakistan_today() - dt.timedelta(days=5)
    calendar = working_calendar(demo.store, pakistan_today())
    decide_matter(
        demo, _actor(demo, "dpp.south"), decided.id, version=decided.version,
        outcome="refused", decided_on=decided_on,
    )  # fmt: skip
    gone = _matter(demo, 3, rahim.id)
    withdraw_matter(
        demo, _actor(demo, "dpp.south"), gone.id, version=gone.version, reason="Accused died."
    )
    _matter(demo, 4, sana.id)  # someone else's
    b = browser()
    b.login("pp.rahim")
    page = b.get("/matters/mine").get_data(as_text=True)
    # soonest limitation first: the decision's 30-day leave petition; no clock runs last
    assert numbers(page) == ["2", "1"]
    leave = calendar.next_working_day(decided_on + dt.timedelta(days=30))
    assert f"<strong>{leave.strftime('%d.%m.%Y')}</strong>" in page
    assert "petition for leave to appeal to the Supreme Court" in page
    assert when.strftime("%d.%m.%Y 10:30") in page and "SHC Sukkur" in page
    page = b.get("/matters/mine?sort=hearing").get_data(as_text=True)
    assert numbers(page) == ["1", "2"]
    page = b.get("/matters/mine?show=all&sort=case").get_data(as_text=True)
    assert set(numbers(page)) == {"1", "2", "3"}  # the withdrawn one too; never Sana's
    assert b.get("/matters/mine?sort=nonsense&show=nonsense").status_code == 200


def test_the_list_is_paginated(demo, browser) -> None:
    rahim = demo.store.find_one(User, {"username": "pp.rahim"})
    for n in range(1, 28):
        _matter(demo, n, rahim.id)
    b = browser()
    b.login("pp.rahim")
    first = b.get("/matters/mine?sort=case").get_data(as_text=True)
    second = b.get("/matters/mine?sort=case&page=2").get_data(as_text=True)
    assert len(numbers(first)) == 25 and len(numbers(second)) == 2
    assert not set(numbers(first)) & set(numbers(second))
    assert "Page 1 of 2" in first and 'rel="next"' in first
