"""Quiz pages over HTTP with the demo accounts: the bank editor, taking a quiz without the
answers in the page, results, grading, and who may open what."""

from __future__ import annotations

import re

import pytest

from learning.models import Audience, Course, CourseStatus, Enrolment
from learning.quiz_models import Attempt, AttemptStatus, Question, Quiz
from learning.quizzes import OptionInput, QuestionInput, add_question
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from tests.conftest import user_id

TRAINER = Actor("trainer", "trainer", frozenset({"trainer"}))
RIGHT_FEEDBACK = "Yes: section 6 defines terrorism."
QUESTION_FEEDBACK = "Section 6 defines it; section 7 punishes it."


@pytest.fixture
def course(demo) -> Course:
    """A published ATA course for Karachi South, Sana enrolled, a one-question quiz."""
    course = demo.store.insert(
        Course(
            title_en="The Anti-Terrorism Act",
            title_ur="انسداد دہشت گردی ایکٹ",
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
            text_en="Which section of the ATA defines terrorism?",
            text_ur="انسداد دہشت گردی ایکٹ کی کون سی دفعہ دہشت گردی کی تعریف کرتی ہے؟",
            options=[
                OptionInput("Section 6", "دفعہ 6", correct=True, feedback_en=RIGHT_FEEDBACK),
                OptionInput("Section 7", "دفعہ 7"),
                OptionInput("Section 21-E", "دفعہ 21-E"),
            ],
            feedback_en=QUESTION_FEEDBACK,
        ),
    )
    return course


def _signed_in(browser, username: str):
    b = browser()
    b.login(username)
    return b


def _start(b, course: Course):
    quiz_url = f"/learning/courses/{course.id}/quiz"
    return b.post(f"{quiz_url}/attempts", {}, form_url=quiz_url)


def _attempt_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _keys(demo, course: Course) -> tuple[str, str, list[str]]:
    question = demo.store.find_one(Question, {"course_id": course.id})
    right = next(o.key for o in question.options if o.correct)
    return question.id, right, [o.key for o in question.options]


# -- taking --------------------------------------------------------------------------


def test_the_correct_answer_is_not_in_the_page_before_submission(browser, demo, course) -> None:
    b = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(b, course))
    html = b.get(url).get_data(as_text=True)
    question_id, right, keys = _keys(demo, course)
    assert "Which section of the ATA defines terrorism?" in html
    form = html.split("<form", 2)[2]  # the answer form (the first is sign-out)
    inputs = re.findall(r'<input type="radio" name="q-([^"]+)" value="([^"]+)">', form)
    assert sorted(value for _name, value in inputs) == sorted(keys)
    assert {name for name, _value in inputs} == {question_id}
    # Nothing tells the right option from the others: no flag, no feedback, no checked box.
    assert RIGHT_FEEDBACK not in html and QUESTION_FEEDBACK not in html
    assert "correct" not in form.lower() and "checked" not in form
    # A reload shows the same sheet.
    assert b.get(url).get_data(as_text=True).count('type="radio"') == len(keys)

    done = b.post(url, {f"q-{question_id}": right}, form_url=url, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "Passed" in page and RIGHT_FEEDBACK in page and QUESTION_FEEDBACK in page
    enrolment = demo.store.find_one(Enrolment, {"course_id": course.id})
    assert enrolment.best_score == 100.0 and enrolment.quiz_passed_at is not None


def test_a_second_submission_counts_once(browser, demo, course) -> None:
    b = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(b, course))
    question_id, right, keys = _keys(demo, course)
    token = b.token(url)
    first = b.client.post(url, data={f"q-{question_id}": right, "csrf_token": token})
    assert first.status_code == 302
    wrong = next(k for k in keys if k != right)
    second = b.client.post(url, data={f"q-{question_id}": wrong, "csrf_token": token})
    assert second.status_code == 400
    assert "already submitted" in second.get_data(as_text=True)
    attempts = demo.store.find(Attempt, {"course_id": course.id})
    assert len(attempts) == 1 and attempts[0].score == 100.0


def test_a_tampered_form_is_refused_with_a_message(browser, demo, course) -> None:
    b = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(b, course))
    question_id, _right, _all = _keys(demo, course)
    response = b.post(url, {f"q-{question_id}": "forged", "q-other": "x"})
    assert response.status_code == 400
    assert "do not match this attempt" in response.get_data(as_text=True)
    attempt = demo.store.find_one(Attempt, {"course_id": course.id})
    assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.submitted_at is None


def test_urdu_reader_gets_the_urdu_question_right_to_left(browser, demo, course) -> None:
    b = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(b, course))
    html = b.get(url + "?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in html
    assert re.search(r'<fieldset class="question"[^>]*lang="ur" dir="rtl"', html)
    assert "دہشت گردی کی تعریف" in html and "دفعہ 6" in html


def test_the_course_partial_offers_the_quiz(app, demo, course) -> None:
    from flask import render_template_string
    from flask_login import login_user

    from mizan.accounts.models import User
    from web.app import SessionUser

    def render(username: str) -> str:
        user = demo.store.find_one(User, {"username": username})
        with app.test_request_context("/"):
            login_user(SessionUser(user))
            return render_template_string(
                '{% include "learning/_course_quiz.html" %}', course=course, release=None
            )

    quiz = demo.store.find_one(Quiz, {"course_id": course.id})
    quiz.attempt_limit = 3
    demo.store.replace(quiz)
    assert "Take the quiz (1 questions, pass at 70%, attempts left 3)" in render("pp.sana")
    assert "Edit questions" in render("trainer")
    assert "Enrol in the course first." in render("pp.rahim")
    assert render("pp.hyd").strip() == ""


# -- who may open what ---------------------------------------------------------------


def test_a_learner_of_another_district_cannot_open_the_quiz(browser, demo, course) -> None:
    sana = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(sana, course))
    hyd = _signed_in(browser, "pp.hyd")
    assert hyd.get(f"/learning/courses/{course.id}/quiz").status_code == 404
    assert hyd.get(url).status_code == 404
    token = hyd.token("/")
    start = hyd.client.post(
        f"/learning/courses/{course.id}/quiz/attempts", data={"csrf_token": token}
    )
    assert start.status_code == 404
    assert demo.store.count(Attempt, {"user_id": user_id(demo, "pp.hyd")}) == 0


def test_a_learner_of_another_course_cannot_take_it(browser, demo, course) -> None:
    other = demo.store.insert(
        Course(
            title_en="Bail in scheduled offences",
            status=CourseStatus.PUBLISHED,
            created_by=user_id(demo, "trainer"),
            created_at=utc_naive_now(),
        )
    )
    demo.store.insert(
        Enrolment(
            course_id=other.id,
            user_id=user_id(demo, "pp.rahim"),
            district="KHI-S",
            enrolled_at=utc_naive_now(),
        )
    )
    sana = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(sana, course))
    rahim = _signed_in(browser, "pp.rahim")
    overview = rahim.get(f"/learning/courses/{course.id}/quiz").get_data(as_text=True)
    assert "Enrol in the course first." in overview and "Start an attempt" not in overview
    refused = _start(rahim, course)
    assert refused.status_code == 302
    followed = rahim.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Enrol in the course first." in followed
    assert rahim.get(url).status_code == 404  # Sana's attempt
    # Nor through his own course's address: the attempt belongs to another course.
    attempt_id = url.rsplit("/", 1)[1]
    assert rahim.get(f"/learning/courses/{other.id}/quiz/attempts/{attempt_id}").status_code == 404
    assert demo.store.count(Attempt, {"user_id": user_id(demo, "pp.rahim")}) == 0


def test_learners_cannot_open_the_bank_or_the_grading_queue(browser, course) -> None:
    sana = _signed_in(browser, "pp.sana")
    assert sana.get(f"/learning/courses/{course.id}/quiz/questions").status_code == 403
    assert sana.get("/learning/quiz/grading").status_code == 403
    assert sana.get(f"/learning/courses/{course.id}/quiz/results.xlsx").status_code == 403


# -- authoring and grading -----------------------------------------------------------


def _question_form(**fields: str) -> dict[str, str]:
    return {"text_en": "", "text_ur": "", "points": "1", "feedback_en": "", **fields}


def test_the_trainer_keeps_the_bank_through_the_pages(browser, demo, course) -> None:
    b = _signed_in(browser, "trainer")
    bank = f"/learning/courses/{course.id}/quiz/questions"
    new = f"{bank}/new?kind=single"
    data = _question_form(
        text_en="Who may record a confession under s. 21-H?",
        **{"option-0-text_en": "A DSP or above", "option-1-text_en": "Any constable"},
    )
    refused = b.post(new, data, form_url=new)
    assert refused.status_code == 400
    assert "Mark the correct answer." in refused.get_data(as_text=True)
    assert demo.store.count(Question, {"course_id": course.id}) == 1
    data["option-0-correct"] = "1"
    assert b.post(new, data, form_url=new).status_code == 302
    page = b.get(bank).get_data(as_text=True)
    assert "Who may record a confession under s. 21-H?" in page

    settings = f"/learning/courses/{course.id}/quiz/settings"
    quiz = demo.store.find_one(Quiz, {"course_id": course.id})
    over = {"pass_percent": "150", "draw_count": "", "version": str(quiz.version)}
    followed = b.post(settings, over, form_url=bank, follow_redirects=True)
    assert "The passing score is above the total" in followed.get_data(as_text=True)
    assert demo.store.get(Quiz, quiz.id).pass_percent == 70
    ok = {
        "pass_percent": "80",
        "draw_count": "2",
        "attempt_limit": "3",
        "version": str(quiz.version),
    }
    b.post(settings, ok, form_url=bank)
    saved = demo.store.get(Quiz, quiz.id)
    assert (saved.pass_percent, saved.draw_count, saved.attempt_limit) == (80, 2, 3)
    stale = b.post(settings, {**ok, "pass_percent": "60"}, form_url=bank, follow_redirects=True)
    assert "changed by someone else" in stale.get_data(as_text=True)
    assert demo.store.get(Quiz, quiz.id).pass_percent == 80
    download = b.get(f"/learning/courses/{course.id}/quiz/results.xlsx")
    assert download.status_code == 200 and download.data.startswith(b"PK")
    assert "attachment" in download.headers["Content-Disposition"]


def test_a_stale_question_edit_keeps_the_writers_text(browser, demo, course) -> None:
    b = _signed_in(browser, "trainer")
    question = demo.store.find_one(Question, {"course_id": course.id})
    url = f"/learning/courses/{course.id}/quiz/questions/{question.id}"
    token = b.token(url)
    rows = {
        f"option-{i}-{f}": getattr(o, f) or ""
        for i, o in enumerate(question.options)
        for f in ("key", "text_en")
    }
    rows["option-0-correct"] = "1"
    mine = {**_question_form(text_en="My wording?"), **rows, "version": str(question.version)}
    theirs = {**mine, "text_en": "Their wording?"}
    assert b.client.post(url, data={**theirs, "csrf_token": token}).status_code == 302
    response = b.client.post(url, data={**mine, "csrf_token": token})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone saved this question after you opened it" in html and "My wording?" in html
    assert demo.store.get(Question, question.id).text_en == "Their wording?"


def test_short_answers_are_graded_from_the_queue(browser, demo, course) -> None:
    short = add_question(
        demo,
        TRAINER,
        course.id,
        QuestionInput(
            kind="short",
            text_en="When is a confession to police admissible under the ATA?",
            rubric_en="Recorded by a DSP or above, in the prescribed manner.",
            points=4,
        ),
    )
    sana = _signed_in(browser, "pp.sana")
    url = _attempt_url(_start(sana, course))
    question_id, right, _all = _keys(demo, course)
    sana.post(url, {f"q-{question_id}": right, f"q-{short.id}": "Before a DSP."})
    waiting = sana.get(url).get_data(as_text=True)
    assert "waiting for a trainer" in waiting and RIGHT_FEEDBACK not in waiting

    trainer = _signed_in(browser, "trainer")
    queue = trainer.get("/learning/quiz/grading").get_data(as_text=True)
    assert "Sana Memon" in queue
    attempt = demo.store.find_one(Attempt, {"course_id": course.id})
    grade = f"/learning/courses/{course.id}/quiz/attempts/{attempt.id}/grade"
    page = trainer.get(grade).get_data(as_text=True)
    assert "Before a DSP." in page and "Recorded by a DSP or above" in page
    bad = trainer.post(grade, {f"points-{short.id}": "lots", "version": str(attempt.version)})
    assert bad.status_code == 400 and "as a number" in bad.get_data(as_text=True)
    over = trainer.post(grade, {f"points-{short.id}": "9", "version": str(attempt.version)})
    assert over.status_code == 400 and "from 0 to 4" in over.get_data(as_text=True)
    done = trainer.post(
        grade,
        {
            f"points-{short.id}": "3",
            f"comment-{short.id}": "Say which rank.",
            "version": str(attempt.version),
        },
    )
    assert done.status_code == 302
    graded = demo.store.get(Attempt, attempt.id)
    assert graded.status == AttemptStatus.GRADED and graded.score == 80.0
    result = sana.get(url).get_data(as_text=True)
    assert "Say which rank." in result and "Passed" in result
    bank = trainer.get(f"/learning/courses/{course.id}/quiz/questions").get_data(as_text=True)
    assert "answered right in 1 of 1 graded attempts (100%)" in bank
    assert "answered right in 0 of 1 graded attempts (0%)" in bank  # 3 of 4 is not right
