"""A corpus of script payloads in every free-text field of a case, rendered in Chromium.

The payloads go in through the services (as a form or the API would put them), then the
pages that show them are opened in a real browser. The test fails if any payload ran
(``window.__xss`` set), if any became markup (an injected element in the DOM), or if the
Content Security Policy had to block anything (which means markup got through escaping:
the policy is the second wall, not the first).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page

from casefiles.fir_details import update_fir
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.models import Case
from casefiles.notes import add_note
from casefiles.parties import PartyInput, add_party
from casefiles.service import NewCase, create_case
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import PKT, pakistan_today
from tests.browser.test_browser_flows import sign_in

pytestmark = pytest.mark.browser

#: Each sets window.__xss if it runs; each would leave an element behind if not escaped.
PAYLOADS = (
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "'><svg onload=window.__xss=3>",
    '<a href="javascript:window.__xss=4">open</a>',
    '<iframe srcdoc="<script>parent.__xss=5</script>"></iframe>',
    "</textarea><details open ontoggle=window.__xss=6>",
)
WATCH = """
window.__xss = 0;
window.__blocked = [];
document.addEventListener('securitypolicyviolation',
  e => window.__blocked.push(e.violatedDirective + ' ' + (e.sample || '')));
"""
INJECTED = (
    "img[src='x'], svg[onload], iframe[srcdoc], a[href^='javascript:'], details[ontoggle],"
    " script:not([src])"
)


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


@pytest.fixture
def hostile_case(demo, frozen_clock) -> dict[str, str]:
    """A case of pp.rahim's with a payload in each of its free-text fields."""
    rahim, clerk = _actor(demo, "pp.rahim"), _actor(demo, "clerk.south")
    fresh = create_case(
        demo,
        clerk,
        NewCase(
            district="KHI-S",
            police_station="Artillery Maidan",
            fir_number=4242,
            fir_year=2025,
            title=PAYLOADS[0],
        ),
    )
    case = demo.store.find_one(Case, {"lead_prosecutor": rahim.user_id})
    case = update_fir(
        demo, rahim, case.id, version=case.version, place=PAYLOADS[1], narrative=PAYLOADS[2]
    )
    case = add_party(
        demo, rahim, case.id, version=case.version, data=PartyInput("witness", PAYLOADS[3][:120])
    )
    note = add_note(demo, rahim, case.id, text=" ".join(PAYLOADS), privileged=False)
    hearing = schedule_hearing(
        demo,
        rahim,
        case.id,
        NewHearing(
            starts_at=dt.datetime.combine(pakistan_today(), dt.time(11, 0), tzinfo=PKT),
            court="ATC-XII Karachi",
            purpose="evidence",
            notes=PAYLOADS[4] + PAYLOADS[5],
        ),
    )
    return {"case": case.id, "fresh": fresh.id, "note": note.id, "hearing": hearing.id}


def _assert_inert(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    ran = page.evaluate("window.__xss")
    blocked = page.evaluate("window.__blocked")
    injected = page.eval_on_selector_all(INJECTED, "els => els.map(e => e.outerHTML)")
    assert ran == 0, f"{url}: payload {ran} ran"
    assert blocked == [], f"{url}: markup got through escaping, CSP blocked {blocked}"
    assert injected == [], f"{url}: injected elements {injected}"


def test_payloads_in_every_free_text_field_stay_text(page: Page, hostile_case) -> None:
    page.context.add_init_script(WATCH)
    sign_in(page, "pp.rahim")
    for url in (
        "/",
        f"/cases/{hostile_case['case']}",
        f"/notes/{hostile_case['note']}",
        f"/hearings/{hostile_case['hearing']}",
        "/hearings/",
        "/cases/",
        "/cases/?q=script",
    ):
        _assert_inert(page, url)
    # The payloads are shown, as text: the reader sees what was written.
    page.goto(f"/cases/{hostile_case['case']}")
    assert PAYLOADS[2] in page.inner_text("main")
    # "</textarea>" in a note does not close the note's edit box early.
    page.goto(f"/notes/{hostile_case['note']}")
    assert page.input_value("main textarea") == " ".join(PAYLOADS)

    page.context.clear_cookies()
    sign_in(page, "dpp.south")
    for url in (f"/cases/{hostile_case['fresh']}", "/cases/", "/dashboard/"):
        _assert_inert(page, url)
