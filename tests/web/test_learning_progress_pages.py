"""Enrolment and progress pages over HTTP: enrol, assign, the record, progress, CSV, and the
course page's enrolment panel."""

from __future__ import annotations

import datetime as dt
import io

from flask import render_template
from flask_login import login_user
from openpyxl import load_workbook

from learning.enrolment import Group, assign_course
from learning.models import Audience, Enrolment
from mizan.accounts.models import User
from mizan.clock import pakistan_today
from mizan.notifications import Notification
from tests.conftest import user_id
from tests.learning.enrol_steps import lesson_ids, person, publish_course, read_lesson


def _text(response) -> str:
    return response.get_data(as_text=True)


def _assign_form(course_id: str, **fields: str) -> dict[str, str]:
    due = (pakistan_today() + dt.timedelta(days=10)).isoformat()
    return {"course": course_id, "kind": "district", "district": "KHI-S", "due_on": due, **fields}


def test_enrol_from_the_course_page_and_a_duplicate_says_so(browser, demo) -> None:
    course = publish_course(demo)
    b = browser()
    b.login("pp.rahim")
    page = f"/learning/enrolment/{course.id}"
    shown = _text(b.get(page))
    assert "Anti-Terrorism Act for ATC prosecutors" in shown and ">Enrol</button>" in shown
    first = b.post(f"/learning/courses/{course.id}/enrol", {"next": page}, form_url=page)
    assert first.status_code == 302 and first.headers["Location"].endswith(page)
    assert "You are enrolled" in _text(b.get(page))
    again = b.post(f"/learning/courses/{course.id}/enrol", {}, form_url=page, follow_redirects=True)
    assert "You are already enrolled in this course." in _text(again)
    assert demo.store.count(Enrolment, {"course_id": course.id}) == 1
    assert "0 of 2 lessons read" in _text(b.get(page))


def test_a_course_for_another_district_is_not_found(browser, demo) -> None:
    course = publish_course(demo, audience=Audience(districts=["HYD"]))
    b = browser()
    b.login("pp.rahim")
    assert b.get(f"/learning/enrolment/{course.id}").status_code == 404
    token = b.token("/learning/record")
    refused = b.client.post(f"/learning/courses/{course.id}/enrol", data={"csrf_token": token})
    assert refused.status_code == 404
    assert demo.store.count(Enrolment, {}) == 0


def test_dpp_assigns_in_their_district_but_not_in_another(browser, demo) -> None:
    course = publish_course(demo)
    b = browser()
    b.login("dpp.south")
    form = b.get("/learning/assign")
    assert form.status_code == 200 and "Karachi South" in _text(form)
    assert "Hyderabad" not in _text(form)  # only their own district is offered
    refused = b.post("/learning/assign", _assign_form(course.id, district="HYD"))
    assert refused.status_code == 403
    assert demo.store.count(Enrolment, {}) == 0
    done = b.post("/learning/assign", _assign_form(course.id), follow_redirects=True)
    assert (
        "Course assigned: 2 added, 0 already enrolled, 0 outside the course&#39;s audience"
        in _text(done)
    )
    assert demo.store.count(Enrolment, {"course_id": course.id, "district": "KHI-S"}) == 2


def test_bad_assignments_are_explained_and_change_nothing(browser, demo) -> None:
    course = publish_course(demo)
    b = browser()
    b.login("trainer")
    past = (pakistan_today() - dt.timedelta(days=1)).isoformat()
    bad = b.post("/learning/assign", _assign_form(course.id, due_on=past))
    assert bad.status_code == 400 and "is in the past" in _text(bad)
    none = b.post("/learning/assign", _assign_form("", due_on=past))
    assert none.status_code == 400 and "Choose a published course." in _text(none)
    nobody = b.post("/learning/assign", _assign_form(course.id, kind="users"))
    assert nobody.status_code == 400 and "Choose at least one person." in _text(nobody)
    assert demo.store.count(Enrolment, {}) == 0


def test_assigned_learner_gets_the_notification_in_urdu(browser, demo) -> None:
    course = publish_course(demo, title_ur="انسداد دہشت گردی ایکٹ")
    reader = demo.store.find_one(User, {"username": "pp.hyd"})
    reader.language = "ur"
    demo.store.replace(reader)
    b = browser()
    b.login("trainer")
    b.post("/learning/assign", _assign_form(course.id, district="HYD"))
    link = f"/learning/enrolment/{course.id}"
    note = demo.store.find_one(Notification, {"user_id": reader.id, "link": link})
    assert note.kind == "assignment"
    learner = browser()
    learner.login("pp.hyd")
    page = _text(learner.get("/notifications/"))
    assert 'dir="rtl"' in page
    assert "نے آپ کو کورس" in page and "انسداد دہشت گردی ایکٹ" in page
    assert "assigned you the course" not in page
    panel = _text(learner.get(note.link))
    assert "Dr. Nadia Jatoi (Trainer)" in panel


def test_prosecutor_cannot_see_others_progress_or_assign(browser, demo) -> None:
    publish_course(demo)
    b = browser()
    b.login("pp.rahim")
    assert b.get("/learning/progress").status_code == 403
    assert b.get("/learning/progress.csv").status_code == 403
    assert b.get("/learning/assign").status_code == 403
    assert b.get("/learning/record").status_code == 200


def test_record_progress_chart_and_csv(browser, demo) -> None:
    course = publish_course(demo)
    trainer = person(demo, "trainer")
    due = pakistan_today() + dt.timedelta(days=5)
    assign_course(demo, trainer, course.id, Group("district", "KHI-S"), due)
    assign_course(demo, trainer, course.id, Group("district", "HYD"), due)
    rahim = person(demo, "pp.rahim")
    for lesson in lesson_ids(demo, course):
        read_lesson(demo, rahim, course, lesson, seconds=600)
    b = browser()
    b.login("pp.rahim")
    record = _text(b.get("/learning/record"))
    assert "Completed" in record and "2 of 2" in record and "20 min" in record
    dpp = browser()
    dpp.login("dpp.south")
    assert dpp.get("/learning/progress?district=HYD").status_code == 403
    board = _text(dpp.get(f"/learning/progress?course={course.id}"))
    assert "Imran Qureshi" not in board  # Hyderabad is outside a Karachi DPP's scope
    assert "Abdul Rahim Soomro" in board and "Sana Memon" in board
    pg = browser()
    pg.login("pg.sindh")
    board = _text(pg.get(f"/learning/progress?course={course.id}&sort=-progress"))
    assert '<svg role="img"' in board and "Completion by district" in board
    assert "Karachi South — Completed: 1" in board and "Hyderabad — Not completed: 1" in board
    assert "<td>50%</td>" in board and "<td>0%</td>" in board
    assert board.index("Abdul Rahim Soomro") < board.index("Sana Memon")
    download = pg.get(f"/learning/progress.csv?course={course.id}")
    assert download.mimetype == "text/csv"
    assert len(_text(download).strip().splitlines()) == 4
    workbook = pg.get(f"/learning/progress.xlsx?course={course.id}")
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    assert [c.value for c in sheet[1]][:2] == ["Learner", "District"] and sheet.max_row == 4
    assert dpp.get("/learning/progress.xlsx?district=HYD").status_code == 403
    assert pg.get("/learning/progress?course=nope").status_code == 404
    unknown = pg.get("/learning/progress?district=MARS", follow_redirects=True)
    assert "There is no district with the code MARS." in _text(unknown)
    urdu = _text(pg.get(f"/learning/progress?course={course.id}&lang=ur"))
    assert 'dir="rtl"' in urdu and 'direction="rtl"' in urdu and "کراچی جنوبی" in urdu


def test_withdraw_a_self_enrolment_from_the_page(browser, demo) -> None:
    course = publish_course(demo)
    b = browser()
    b.login("pp.sana")
    page = f"/learning/enrolment/{course.id}"
    b.post(f"/learning/courses/{course.id}/enrol", {}, form_url=page)
    enrolment = demo.store.find_one(Enrolment, {"course_id": course.id})
    stale = b.post(
        f"/learning/enrolments/{enrolment.id}/withdraw",
        {"version": str(enrolment.version - 1)},
        form_url=page,
        follow_redirects=True,
    )
    assert "changed by someone else" in _text(stale)
    assert not demo.store.get(Enrolment, enrolment.id).withdrawn
    b.post(
        f"/learning/enrolments/{enrolment.id}/withdraw",
        {"version": str(enrolment.version)},
        form_url=page,
    )
    assert demo.store.get(Enrolment, enrolment.id).withdrawn


def test_the_course_page_partial_shows_the_panel(app, demo) -> None:
    course = publish_course(demo)
    assign_course(
        demo,
        person(demo, "dpp.south"),
        course.id,
        Group("district", "KHI-S"),
        pakistan_today() + dt.timedelta(days=3),
    )
    due = (pakistan_today() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    from web.app import SessionUser

    with app.test_request_context(f"/learning/courses/{course.id}"):
        login_user(SessionUser(demo.store.get(User, user_id(demo, "pp.rahim"))))
        html = render_template("learning/_course_enrol.html", course=course, release=None)
    assert "Assigned by Ayesha Siddiqui (DPP Karachi South)" in html and due in html
    assert "0 of 2 lessons read" in html and "<progress" in html
    with app.test_request_context(f"/learning/courses/{course.id}"):
        login_user(SessionUser(demo.store.get(User, user_id(demo, "trainer"))))
        assert "Your enrolment" not in render_template(
            "learning/_course_enrol.html", course=course, release=None
        )


def test_an_assigner_withdraws_a_learner_from_the_progress_page(browser, demo) -> None:
    course = publish_course(demo)
    due = pakistan_today() + dt.timedelta(days=5)
    assign_course(demo, person(demo, "trainer"), course.id, Group("district", "KHI-S"), due)
    sana = demo.store.find_one(Enrolment, {"user_id": user_id(demo, "pp.sana")})
    b = browser()
    b.login("supervisor")
    board = f"/learning/progress?course={course.id}"
    assert ">Withdraw</button>" in _text(b.get(board))
    back = b.post(
        f"/learning/enrolments/{sana.id}/withdraw",
        {"version": str(sana.version), "next": board},
        form_url=board,
    )
    assert back.status_code == 302 and back.headers["Location"].endswith(board)
    assert demo.store.get(Enrolment, sana.id).withdrawn
    assert "Sana Memon" not in _text(b.get(board))
    learner = browser()
    learner.login("pp.rahim")  # a learner has no withdraw buttons for others
    rahim = demo.store.find_one(Enrolment, {"user_id": user_id(demo, "pp.rahim")})
    refused = learner.post(
        f"/learning/enrolments/{rahim.id}/withdraw",
        {"version": str(rahim.version)},
        form_url="/learning/record",
    )
    assert refused.status_code == 403
    assert not demo.store.get(Enrolment, rahim.id).withdrawn
