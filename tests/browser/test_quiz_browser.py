"""A prosecutor takes a quiz on a phone, by keyboard, in Urdu; the trainer's bank fits too."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from learning.models import Audience, Course, CourseStatus, Enrolment
from learning.quiz_models import Quiz
from learning.quizzes import OptionInput, QuestionInput, SettingsInput, add_question, save_settings
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from tests.browser.test_browser_flows import sign_in
from tests.conftest import user_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
TRAINER = Actor("trainer", "trainer", frozenset({"trainer"}))


def _course(demo) -> Course:
    course = demo.store.insert(
        Course(
            title_en="The Anti-Terrorism Act for ATC prosecutors",
            title_ur="اے ٹی سی پراسیکیوٹرز کے لیے انسداد دہشت گردی ایکٹ",
            status=CourseStatus.PUBLISHED,
            audience=Audience(districts=["KHI-S"]),
            created_by=user_id(demo, "trainer"),
            created_at=utc_naive_now(),
            release=1,
        )
    )
    demo.store.insert(
        Enrolment(
            course_id=course.id,
            user_id=user_id(demo, "pp.sana"),
            district="KHI-S",
            enrolled_at=utc_naive_now(),
        )
    )
    add_question(
        demo,
        TRAINER,
        course.id,
        QuestionInput(
            kind="single",
            text_en="Which section of the Anti-Terrorism Act, 1997 defines terrorism?",
            text_ur="انسداد دہشت گردی ایکٹ 1997 کی کون سی دفعہ دہشت گردی کی تعریف کرتی ہے؟",
            options=[
                OptionInput("Section 6", "دفعہ 6", correct=True),
                OptionInput("Section 7", "دفعہ 7"),
                OptionInput("Section 21-E (remand to custody for investigation)", "دفعہ 21-E"),
            ],
            feedback_en="Section 6 defines terrorism; section 7 punishes it.",
        ),
    )
    add_question(
        demo,
        TRAINER,
        course.id,
        QuestionInput(
            kind="true_false",
            text_en="An offence under section 7 of the ATA is bailable.",
            true_answer=False,
        ),
    )
    return course


def _fits(page: Page, what: str) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{what} scrolls sideways at 390 px: {widths}"
    shots = os.environ.get("MIZAN_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"quiz-{what}.png"), full_page=True)


def test_a_quiz_on_a_phone_by_keyboard_in_urdu(page: Page, demo) -> None:
    course = _course(demo)
    quiz = demo.store.find_one(Quiz, {"course_id": course.id})
    limit = SettingsInput(time_limit_minutes=10)
    save_settings(demo, TRAINER, course.id, version=quiz.version, data=limit)
    page.set_viewport_size(PHONE)
    sign_in(page, "pp.sana")
    page.goto(f"/learning/courses/{course.id}/quiz?lang=ur")
    _fits(page, "overview-ur")
    page.get_by_role("button", name="کوشش شروع کریں").press("Enter")
    expect(page.locator("fieldset.question").first).to_be_visible()
    expect(page.locator(".countdown")).to_contain_text(re.compile(r"باقی وقت: (10:00|9:\d\d)"))
    _fits(page, "take-ur")
    # The draw's order is random: find each question by its text.
    first = page.locator("fieldset.question", has_text="دہشت گردی کی تعریف")
    second = page.locator("fieldset.question", has_text="bailable")
    assert first.get_attribute("dir") == "rtl"  # Urdu text given
    assert second.get_attribute("dir") == "ltr"  # English only: shown left to right
    # Keyboard only: focus the first choice, arrow to "دفعہ 6", then the next group.
    first.locator("input").first.focus()
    for _n in range(4):
        if first.get_by_label("دفعہ 6", exact=True).is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(first.get_by_label("دفعہ 6", exact=True)).to_be_checked()
    second.get_by_label("False").focus()
    page.keyboard.press("Space")
    expect(second.get_by_label("False")).to_be_checked()
    page.get_by_role("button", name="جوابات جمع کرائیں").press("Enter")
    expect(page.locator(".score")).to_contain_text("100")
    _fits(page, "result-ur")
    enrolment = demo.store.find_one(Enrolment, {"course_id": course.id})
    assert enrolment.quiz_passed_at is not None


def test_the_trainers_pages_fit_a_phone(page: Page, demo) -> None:
    course = _course(demo)
    page.set_viewport_size(PHONE)
    sign_in(page, "trainer")
    for lang in ("en", "ur"):
        page.goto(f"/learning/courses/{course.id}/quiz/questions?lang={lang}")
        _fits(page, f"bank-{lang}")
        page.goto(f"/learning/courses/{course.id}/quiz/questions/new?kind=single")
        _fits(page, f"question-{lang}")
