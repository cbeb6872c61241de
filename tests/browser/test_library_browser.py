"""The library's scripts in a real browser: find within a judgment, copy a citation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.models import Judgment
from library.seed import SAMPLE_DIR
from mizan.actor import SYSTEM
from tests.browser.test_browser_flows import sign_in

pytestmark = pytest.mark.browser


def test_find_in_judgment_and_copy_citation(page: Page, live_server: str, demo) -> None:
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    import_act_text(demo, SYSTEM, text, code="ppc", title="Pakistan Penal Code")
    import_judgments_jsonl(demo, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")
    judgment = demo.store.find_one(Judgment, {"key": "pcrlj-2012-288"})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "pp.rahim")
    page.goto(f"/library/judgments/{judgment.id}")

    finder = page.get_by_placeholder("Find in this judgment")
    finder.fill("court")
    finder.press("Enter")
    expect(page.locator("form.find output")).to_have_text(re.compile(r"^1 of \d+$"))
    expect(page.locator("mark.find.current")).to_have_count(1)
    finder.press("Enter")
    expect(page.locator("form.find output")).to_have_text(re.compile(r"^2 of \d+$"))
    finder.fill("no such words here")
    finder.press("Enter")
    expect(page.locator("form.find output")).to_have_text("Not found")
    expect(page.locator("mark.find")).to_have_count(0)

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy citation").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("2012 PCrLJ 288")
    assert errors == []
