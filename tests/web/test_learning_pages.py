"""Learning pages end to end over HTTP: a trainer writes and publishes, learners read."""

from __future__ import annotations

import io
import re

from learning.models import Course, CourseRelease, Lesson, LessonProgress
from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry


def _trainer(browser):
    b = browser()
    b.login("trainer")
    return b


def _create_course(b, **extra) -> str:
    data = {"title_en": "Murder trials", "summary_en": "Qatl-i-amd in practice", **extra}
    r = b.post("/learning/courses/new", data, form_url="/learning/courses/new")
    assert r.status_code == 302, r.data
    return r.headers["Location"].rsplit("/", 1)[-1]


def _add_lesson(b, demo, course_id: str, body: str = "Read section 302 PPC first.") -> str:
    key = demo.store.get(Course, course_id).modules[0].key
    url = f"/learning/courses/{course_id}/modules/{key}/lessons/new"
    r = b.post(url, {"title_en": "Punishment", "body_en": body, "body_ur": "سزا"})
    assert r.status_code == 302, r.data
    return r.headers["Location"].split("/")[-2]


def _published(browser, demo, **extra) -> tuple[object, str, str]:
    import_act_text(
        demo, SYSTEM, (SAMPLE_DIR / "ppc_sample.md").read_text(), code="ppc", title="PPC"
    )
    b = _trainer(browser)
    course_id = _create_course(b, **extra)
    lesson_id = _add_lesson(b, demo, course_id)
    r = b.post(
        f"/learning/courses/{course_id}/publish", {}, form_url=f"/learning/courses/{course_id}"
    )
    assert r.status_code == 302
    return b, course_id, lesson_id


def test_trainer_publishes_and_a_learner_of_the_district_reads(browser, demo) -> None:
    _b, course_id, lesson_id = _published(browser, demo, districts="KHI-S")
    assert demo.store.count(CourseRelease, {"course_id": course_id}) == 1
    learner = browser()
    learner.login("pp.rahim")
    catalogue = learner.get("/learning/").get_data(as_text=True)
    assert "Murder trials" in catalogue
    page = learner.get(f"/learning/courses/{course_id}/lessons/{lesson_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Punishment of qatl-i-amd" in html  # the cited section's current text is shown
    assert "/library/ppc/302" in html
    assert 'dir="rtl"' in html and "سزا" in html
    url = f"/learning/courses/{course_id}/lessons/{lesson_id}/read"
    r = learner.post(url, {}, form_url=f"/learning/courses/{course_id}/lessons/{lesson_id}")
    assert r.status_code == 302
    progress = demo.store.find_one(LessonProgress, {"lesson_id": lesson_id})
    assert progress is not None and progress.read_at is not None
    assert demo.store.count(AuditEntry, {"action": "learning.lesson.read"}) == 1
    assert "✓" in learner.get(f"/learning/courses/{course_id}").get_data(as_text=True)


def test_learner_of_another_district_gets_404_everywhere(browser, demo) -> None:
    _b, course_id, lesson_id = _published(browser, demo, districts="KHI-S")
    other = browser()
    other.login("pp.hyd")
    assert "Murder trials" not in other.get("/learning/").get_data(as_text=True)
    assert other.get(f"/learning/courses/{course_id}").status_code == 404
    assert other.get(f"/learning/courses/{course_id}/lessons/{lesson_id}").status_code == 404
    assert other.get(f"/learning/courses/{course_id}/preview").status_code == 404
    assert other.get(f"/learning/lessons/{lesson_id}/edit").status_code == 404


def test_drafts_are_404_for_learners_and_empty_catalogue_says_so(browser, demo) -> None:
    b = _trainer(browser)
    course_id = _create_course(b)
    learner = browser()
    learner.login("pp.rahim")
    assert learner.get(f"/learning/courses/{course_id}").status_code == 404
    assert "No courses are open to you yet." in learner.get("/learning/").get_data(as_text=True)
    assert learner.get("/learning/courses/new").status_code == 403


def test_stale_lesson_edit_is_refused_and_shows_both_texts(browser, demo) -> None:
    b = _trainer(browser)
    course_id = _create_course(b)
    lesson_id = _add_lesson(b, demo, course_id, body="First text")
    url = f"/learning/lessons/{lesson_id}/edit"
    token = b.token(url)
    old_version = demo.store.get(Lesson, lesson_id).version
    first = b.post(
        url, {"title_en": "Punishment", "body_en": "Saved by a colleague", "version": old_version}
    )
    assert first.status_code == 302
    stale = b.client.post(
        url,
        data={
            "csrf_token": token,
            "title_en": "Punishment",
            "body_en": "My own words",
            "version": old_version,
        },
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Someone saved this lesson after you opened it" in html
    assert "Saved by a colleague" in html and "My own words" in html
    assert demo.store.get(Lesson, lesson_id).body_en == "Saved by a colleague"


def test_markdown_cannot_inject_script(browser, demo) -> None:
    b = _trainer(browser)
    course_id = _create_course(b)
    lesson_id = _add_lesson(
        b, demo, course_id, body="<script>alert(1)</script> [x](javascript:alert(2)) **bold**"
    )
    html = b.get(f"/learning/courses/{course_id}/preview/{lesson_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html
    assert 'href="javascript:' not in html


def test_bad_course_input_is_refused_with_a_message(browser, demo) -> None:
    b = _trainer(browser)
    r = b.post("/learning/courses/new", {"title_en": "A", "estimated_minutes": "-3"})
    assert r.status_code == 400
    r = b.post("/learning/courses/new", {"title_en": "  "})
    assert r.status_code == 400
    assert demo.store.count(Course) == 0


def test_publishing_an_empty_course_is_refused(browser, demo) -> None:
    b = _trainer(browser)
    course_id = _create_course(b)
    r = b.post(
        f"/learning/courses/{course_id}/publish",
        {},
        form_url=f"/learning/courses/{course_id}",
        follow_redirects=True,
    )
    assert "Add at least one lesson before publishing." in r.get_data(as_text=True)
    assert demo.store.count(CourseRelease) == 0


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_import_docx_as_lesson_text_and_refuse_a_broken_file(browser, demo) -> None:
    b = _trainer(browser)
    course_id = _create_course(b)
    lesson_id = _add_lesson(b, demo, course_id, body="old")
    url = f"/learning/lessons/{lesson_id}/import"
    version = demo.store.get(Lesson, lesson_id).version
    r = b.post(
        url,
        {
            "file": (io.BytesIO(_docx("Terrorism under s. 6 ATA\nSecond paragraph")), "notes.docx"),
            "language": "en",
            "version": version,
        },
        form_url=f"/learning/lessons/{lesson_id}/edit",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "now the lesson" in r.get_data(as_text=True)
    lesson = demo.store.get(Lesson, lesson_id)
    assert "Terrorism under s. 6 ATA" in lesson.body_en and "Second paragraph" in lesson.body_en
    r = b.post(
        url,
        {
            "file": (io.BytesIO(b"not a real docx"), "broken.docx"),
            "language": "en",
            "version": lesson.version,
        },
        form_url=f"/learning/lessons/{lesson_id}/edit",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "could not be read" in r.get_data(as_text=True)
    assert demo.store.get(Lesson, lesson_id).body_en == lesson.body_en


def test_menu_shows_learning_to_learners_and_trainers(browser, demo) -> None:
    for username in ("trainer", "pp.rahim"):
        b = browser()
        b.login(username)
        assert re.search(r'href="/learning/"', b.get("/").get_data(as_text=True))


def test_reading_time_heartbeat_and_search_entry_links(browser, demo) -> None:
    _b, course_id, lesson_id = _published(browser, demo)
    learner = browser()
    learner.login("pp.rahim")
    reader = f"/learning/courses/{course_id}/lessons/{lesson_id}"
    page = learner.get(reader).get_data(as_text=True)
    assert "data-heartbeat" in page
    url = f"{reader}/time"
    assert learner.post(url, {"seconds": "45"}, form_url=reader).status_code == 204
    assert learner.post(url, {"seconds": "lots"}, form_url=reader).status_code == 400
    assert demo.store.find_one(LessonProgress, {"lesson_id": lesson_id}).seconds == 45
    r = learner.get(f"/learning/entry/lesson:{course_id}:{lesson_id}")
    assert r.status_code == 302 and r.headers["Location"].endswith(reader)
    assert learner.get("/learning/entry/nonsense").status_code == 404


def test_reader_warns_when_a_cited_section_changed_after_reimport(browser, demo) -> None:
    _b, course_id, lesson_id = _published(browser, demo)
    learner = browser()
    learner.login("pp.sana")
    url = f"/learning/courses/{course_id}/lessons/{lesson_id}"
    assert "has changed since" not in learner.get(url).get_data(as_text=True)
    text = (SAMPLE_DIR / "ppc_sample.md").read_text().replace("qisas;", "qisas, as amended;")
    import_act_text(demo, SYSTEM, text, code="ppc", title="PPC")
    html = learner.get(url).get_data(as_text=True)
    assert "This section has changed since the lesson was written." in html
    assert "as amended" in html


def test_course_edit_modules_and_lesson_order_through_the_pages(browser, demo) -> None:
    b = _trainer(browser)
    course_id = _create_course(b)
    edit = f"/learning/courses/{course_id}/edit"
    assert 'value="Murder trials"' in b.get(edit).get_data(as_text=True)
    version = demo.store.get(Course, course_id).version
    r = b.post(edit, {"title_en": "Murder trials II", "districts": "KHI-S", "version": version})
    assert r.status_code == 302
    stale = b.post(edit, {"title_en": "Lost edit", "version": version})
    assert stale.status_code == 409 and "Someone saved this course" in stale.get_data(as_text=True)
    stored = demo.store.get(Course, course_id)
    assert stored.title_en == "Murder trials II" and stored.audience.districts == ["KHI-S"]
    page = f"/learning/courses/{course_id}"
    b.post(f"{page}/modules", {"title_en": "Evidence"}, form_url=page)
    assert [m.title_en for m in demo.store.get(Course, course_id).modules] == [
        "Lessons",
        "Evidence",
    ]
    r = b.post(f"{page}/modules", {"title_en": " "}, form_url=page, follow_redirects=True)
    assert "Write the module title." in r.get_data(as_text=True)
    first = _add_lesson(b, demo, course_id)
    second = _add_lesson(b, demo, course_id)
    b.post(f"/learning/lessons/{second}/move", {"direction": "up"}, form_url=page)
    assert demo.store.get(Course, course_id).modules[0].lesson_ids == [second, first]


def test_attach_a_file_and_learners_download_it_after_publishing(browser, demo) -> None:
    from learning.attachments import LessonFile, read_attachment

    b = _trainer(browser)
    course_id = _create_course(b)
    lesson_id = _add_lesson(b, demo, course_id)
    editor = f"/learning/lessons/{lesson_id}/edit"
    r = b.post(
        f"/learning/lessons/{lesson_id}/attachments",
        {"file": (io.BytesIO(_docx("Handout")), "handout.docx")},
        form_url=editor,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "being read" in r.get_data(as_text=True)
    r = b.post(
        f"/learning/lessons/{lesson_id}/attachments",
        {"file": (io.BytesIO(b"MZ"), "tool.exe")},
        form_url=editor,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Attach a PDF" in r.get_data(as_text=True)
    file = demo.store.find_one(LessonFile, {"lesson_id": lesson_id})
    read_attachment(demo, file.job_id)
    assert "text read" in b.get(editor).get_data(as_text=True)
    b.post(f"/learning/courses/{course_id}/publish", {}, form_url=f"/learning/courses/{course_id}")
    learner = browser()
    learner.login("pp.hyd")
    reader = f"/learning/courses/{course_id}/lessons/{lesson_id}"
    assert "handout.docx" in learner.get(reader).get_data(as_text=True)
    download = learner.get(f"/learning/courses/{course_id}/lessons/{lesson_id}/files/{file.id}")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert (
        learner.get(f"/learning/courses/{course_id}/lessons/{lesson_id}/files/x").status_code == 404
    )
