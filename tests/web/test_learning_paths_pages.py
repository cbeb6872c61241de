"""Learning path pages: a trainer writes a path through the form; learners see it with their
status; bad input is refused with a message and saves nothing."""

from __future__ import annotations

import re

import pytest

from learning.models import Audience, LearningPath
from tests.conftest import Browser
from tests.learning.cert_steps import enrol, publish_course


@pytest.fixture
def courses(app, demo):
    return (
        publish_course(demo, "Evidence basics"),
        publish_course(demo, "Hyderabad court practice", audience=Audience(districts=["HYD"])),
    )


def _form(title: str, *course_ids: str) -> dict:
    return {
        "title_en": title,
        "title_ur": "",
        "summary_en": "For new prosecutors",
        "course": list(course_ids),
    }


def test_trainer_writes_a_path_and_a_learner_follows_it(app, demo, courses, frozen_clock) -> None:
    evidence, hyderabad = courses
    trainer = Browser(app)
    trainer.login("trainer")
    form = trainer.get("/learning/paths/new")
    assert form.status_code == 200
    assert "Evidence basics" in form.get_data(as_text=True)
    response = trainer.post(
        "/learning/paths/new", _form("New prosecutor", evidence.id, hyderabad.id)
    )
    assert response.status_code == 302
    path = demo.store.find_one(LearningPath, {"title_en": "New prosecutor"})
    assert path.course_ids == [evidence.id, hyderabad.id]

    enrol(demo, evidence, "pp.sana", completed=True)
    sana = Browser(app)
    sana.login("pp.sana")
    catalogue = sana.get("/learning/paths").get_data(as_text=True)
    assert "New prosecutor" in catalogue and "1 of 1 courses completed" in catalogue
    page = sana.get(f"/learning/paths/{path.id}").get_data(as_text=True)
    assert "Evidence basics" in page and "Completed" in page
    assert "Hyderabad court practice" not in page  # not for Karachi South
    imran = Browser(app)
    imran.login("pp.hyd")
    page = imran.get(f"/learning/paths/{path.id}").get_data(as_text=True)
    assert "Hyderabad court practice" in page and "Not started" in page


def test_duplicate_and_unknown_courses_are_refused(app, demo, courses) -> None:
    evidence, _hyderabad = courses
    trainer = Browser(app)
    trainer.login("trainer")
    twice = trainer.post("/learning/paths/new", _form("Twice", evidence.id, evidence.id))
    assert twice.status_code == 400
    assert "is in the path twice" in twice.get_data(as_text=True)
    forged = trainer.post("/learning/paths/new", _form("Forged", "no-such-course"))
    assert forged.status_code == 400
    assert "does not exist or is not published" in forged.get_data(as_text=True)
    untitled = trainer.post("/learning/paths/new", _form("", evidence.id))
    assert "Give the path a title" in untitled.get_data(as_text=True)
    assert demo.store.count(LearningPath) == 0


def test_a_stale_edit_keeps_the_trainers_choice(app, demo, courses) -> None:
    evidence, hyderabad = courses
    trainer = Browser(app)
    trainer.login("trainer")
    trainer.post("/learning/paths/new", _form("Path", evidence.id))
    path = demo.store.find_one(LearningPath, {})
    url = f"/learning/paths/{path.id}/edit"
    old_version = path.version
    ok = trainer.post(url, {**_form("Renamed", hyderabad.id), "version": old_version})
    assert ok.status_code == 302
    stale = trainer.post(url, {**_form("Mine", evidence.id), "version": old_version})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Someone saved this path after you opened it" in html
    assert 'value="Mine"' in html
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    assert version and int(version.group(1)) == old_version + 1
    assert demo.store.get(LearningPath, path.id).title_en == "Renamed"


def test_learners_cannot_write_paths(app, courses) -> None:
    sana = Browser(app)
    sana.login("pp.sana")
    assert sana.get("/learning/paths/new").status_code == 403
    assert "New learning path" not in sana.get("/learning/paths").get_data(as_text=True)


def test_paths_read_right_to_left_in_urdu(app, demo, courses) -> None:
    from learning.paths import PathFields, create_path
    from tests.learning.cert_steps import TRAINER

    evidence, _hyderabad = courses
    path = create_path(
        demo, TRAINER, PathFields("New prosecutor", "نئے پراسیکیوٹر", course_ids=(evidence.id,))
    )
    sana = Browser(app)
    sana.login("pp.sana")
    html = sana.get(f"/learning/paths/{path.id}?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in html
    assert "نئے پراسیکیوٹر" in html and "شروع نہیں کیا" in html
    assert sana.get("/learning/paths/no-such-path").status_code == 404
