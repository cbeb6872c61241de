"""A course in a real browser: the trainer writes and publishes a lesson citing s. 302 PPC;
a prosecutor of the district reads it (the section's text below it) and marks it read; a
prosecutor of another district cannot open it. Screenshots go to the pytest tmp dir."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan.actor import SYSTEM
from tests.browser.test_browser_flows import sign_in

pytestmark = pytest.mark.browser


def test_trainer_publishes_and_prosecutor_reads(
    page: Page, live_server: str, demo, tmp_path
) -> None:
    import_act_text(
        demo, SYSTEM, (SAMPLE_DIR / "ppc_sample.md").read_text(), code="ppc", title="PPC"
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "trainer")
    page.get_by_role("link", name="Learning").click()
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Title (English)").fill("Murder trials")
    page.get_by_label("Title (Urdu)").fill("قتل کے مقدمات")
    page.get_by_label("For these districts (none chosen: all)").select_option("KHI-S")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Course saved.")
    page.get_by_role("link", name="Add a lesson").click()
    page.get_by_label("Title (English)").fill("Punishment")
    page.get_by_label("Text (English, Markdown)").fill("**Read** section 302 PPC first.")
    page.get_by_label("Text (Urdu, Markdown)").fill("دفعہ 302 پڑھیں۔")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Lesson saved.")
    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)
    page.get_by_role("link", name="Murder trials").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("Published.")
    course_url = page.url
    page.screenshot(path=str(tmp_path / "author.png"), full_page=True)

    page.context.clear_cookies()
    sign_in(page, "pp.rahim")
    page.goto(course_url)
    page.get_by_role("link", name="Punishment").click()
    expect(page.locator("#references")).to_contain_text("qatl-i-amd")
    expect(page.locator("div.reading[dir=rtl]")).to_contain_text("دفعہ 302")
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".flash-success")).to_contain_text("Marked as read.")
    page.screenshot(path=str(tmp_path / "reader.png"), full_page=True)
    page.goto(course_url + "?lang=ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("قتل کے مقدمات")
    page.screenshot(path=str(tmp_path / "course_ur.png"), full_page=True)
    page.goto(course_url + "?lang=en")

    page.context.clear_cookies()
    sign_in(page, "pp.hyd")
    assert page.goto(course_url).status == 404
    assert errors == []
    print("screenshots in", tmp_path)  # docs/screenshots/learning-*.png come from here
