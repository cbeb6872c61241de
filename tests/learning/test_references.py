"""Citations in lessons: found on save, hashed at publish, shown with the section's current
text, and flagged when a re-imported act changed a cited section."""

from __future__ import annotations

from learning.courses import CourseFields, create_course, publish_course
from learning.lessons import LessonFields, create_lesson
from learning.reading import read_lesson
from learning.references import references_for, text_hash
from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.models import Judgment, Section
from library.seed import SAMPLE_DIR
from mizan.actor import SYSTEM

PPC = (SAMPLE_DIR / "ppc_sample.md").read_text()


def _load(kernel, text: str = PPC) -> None:
    import_act_text(kernel, SYSTEM, text, code="ppc", title="Pakistan Penal Code")


def test_statute_and_judgment_citations_are_found_and_resolved(kernel) -> None:
    _load(kernel)
    import_judgments_jsonl(kernel, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")
    judgment = kernel.store.find_one(Judgment, {"key": "pcrlj-2012-288"})
    refs = references_for(
        kernel,
        f"Under section 302 PPC and s. 7 ATA; see {judgment.citations[0]}. Again s. 302 PPC.",
        "دفعہ",
    )
    by_kind = [(r.kind, r.target) for r in refs]
    assert ("section", "ppc:302") in by_kind and ("section", "ata:7") in by_kind
    assert ("judgment", judgment.id) in by_kind
    assert len([r for r in refs if r.target == "ppc:302"]) == 1  # cited twice, kept once
    s302 = next(r for r in refs if r.target == "ppc:302")
    assert s302.text_hash == text_hash(kernel.store.get(Section, "ppc:302").text)
    assert next(r for r in refs if r.target == "ata:7").text_hash is None  # not in the library


def test_reader_shows_current_text_and_says_when_a_section_changed(demo, people) -> None:
    _load(demo)
    t = people["trainer"]
    course = create_course(demo, t, CourseFields(title_en="Murder"))
    lesson = create_lesson(
        demo,
        t,
        course.id,
        course.modules[0].key,
        LessonFields(title_en="Punishment", body_en="See section 302 PPC and s. 34 PPC."),
    )
    publish_course(demo, t, course.id)
    shown = read_lesson(demo, people["pp.rahim"], course.id, lesson.id).references
    assert [(r.act_code, r.number, r.changed) for r in shown] == [
        ("ppc", "302", False),
        ("ppc", "34", False),
    ]
    assert "qatl-i-amd" in shown[0].text
    # The act is re-imported with a new text of s. 302 (s. 34 unchanged).
    _load(
        demo,
        PPC.replace(
            "shall, subject to the provisions", "shall, as amended, subject to the provisions"
        ),
    )
    shown = read_lesson(demo, people["pp.rahim"], course.id, lesson.id).references
    assert [(r.number, r.changed) for r in shown] == [("302", True), ("34", False)]
    assert "as amended" in shown[0].text  # the current text, not the one of the lesson
    # Publishing again takes the new text's hash: the warning goes.
    publish_course(demo, t, course.id)
    shown = read_lesson(demo, people["pp.rahim"], course.id, lesson.id).references
    assert not any(r.changed for r in shown)


def test_a_cited_section_missing_from_the_library_is_shown_as_such(demo, people) -> None:
    t = people["trainer"]
    course = create_course(demo, t, CourseFields(title_en="ATA"))
    lesson = create_lesson(
        demo, t, course.id, course.modules[0].key, LessonFields(title_en="L", body_en="s. 7 ATA")
    )
    publish_course(demo, t, course.id)
    (ref,) = read_lesson(demo, people["pp.rahim"], course.id, lesson.id).references
    assert not ref.found and not ref.changed and "7" in ref.cited_as
