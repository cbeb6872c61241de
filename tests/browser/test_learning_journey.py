"""The whole learning journey in real Chromium (issue 13's "done when").

The trainer writes a course with a lesson citing s. 302 PPC, adds a quiz, publishes it and
assigns it to Karachi South; a prosecutor there gets the notification, reads the lesson
(the section's text is shown), fails then passes the quiz and downloads a certificate whose
code the public page verifies; a prosecutor of Hyderabad cannot open the course.
"""

from __future__ import annotations

import datetime as dt
import re

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan.actor import SYSTEM
from tests.browser.test_browser_flows import sign_in

pytestmark = pytest.mark.browser

TITLE = "Murder trials in the ATC"


def _trainer_builds_and_assigns(page: Page) -> str:
    sign_in(page, "trainer")
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Title (English)").fill(TITLE)
    page.get_by_label("For these districts (none chosen: all)").select_option("KHI-S")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Course saved.")
    course_url = page.url
    page.get_by_role("link", name="Add a lesson").click()
    page.get_by_label("Title (English)").fill("Punishment of qatl-i-amd")
    page.get_by_label("Text (English, Markdown)").fill("Read **section 302 PPC** first.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Lesson saved.")

    # The quiz: one true-or-false question, pass mark 100 %, three attempts.
    page.goto(course_url)
    page.get_by_role("link", name="Edit questions").click()
    page.get_by_role("link", name="True or false").click()
    page.get_by_label("Question (English)").fill("Qatl-i-amd is punishable under s. 302 PPC.")
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Save question").click()
    page.get_by_label("Passing score (percent)").fill("100")
    page.get_by_label("Attempts allowed").fill("3")
    page.get_by_role("button", name="Save settings").click()

    page.goto(course_url)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("Published.")

    page.get_by_role("link", name="Assign a course").click()
    page.get_by_label("Course", exact=True).select_option(label=TITLE)
    page.get_by_label("District", exact=True).select_option("KHI-S")
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    page.get_by_label("Due on").fill(due)
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".flash-success")).to_be_visible()
    return course_url


def _take_quiz(page: Page, course_url: str, answer: str) -> None:
    page.goto(course_url)
    page.locator("#quiz button.primary").click()
    page.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()


def test_trainer_to_certificate(page: Page, live_server: str, demo, tmp_path) -> None:
    import_act_text(
        demo, SYSTEM, (SAMPLE_DIR / "ppc_sample.md").read_text(), code="ppc", title="PPC"
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    course_url = _trainer_builds_and_assigns(page)

    page.context.clear_cookies()
    sign_in(page, "pp.rahim")
    expect(page.locator("a.bell .count")).to_have_text(re.compile(r"[1-9]"))
    page.locator("a.bell").click()
    expect(page.locator("main")).to_contain_text(TITLE)

    page.goto(course_url)
    page.get_by_role("link", name="Punishment of qatl-i-amd").click()
    expect(page.locator("#references")).to_contain_text("qatl-i-amd")  # the section's text
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".flash-success")).to_contain_text("Marked as read.")

    _take_quiz(page, course_url, "False")
    expect(page.locator(".score")).to_contain_text("Not passed")
    _take_quiz(page, course_url, "True")
    expect(page.locator(".score")).to_contain_text("Passed")

    page.goto(course_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download certificate").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = pdfium.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert "Abdul Rahim Soomro" in text and TITLE in text
    code = re.search(r"MZN-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)

    page.context.clear_cookies()  # the public page needs no sign-in
    page.goto(f"/verify/{code}")
    expect(page.locator("main")).to_contain_text("Abdul Rahim Soomro")
    expect(page.locator("main")).to_contain_text(TITLE)
    page.goto("/verify/MZN-AAAA-AAAA-AAAA")
    expect(page.locator("main")).not_to_contain_text("Abdul Rahim Soomro")

    sign_in(page, "pp.hyd")
    response = page.goto(course_url)
    assert response is not None and response.status == 404
    assert not errors, errors
