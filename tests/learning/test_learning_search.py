"""Published courses and lessons in the one search page, only for their audience."""

from __future__ import annotations

import itertools

from learning.access import Learner, audience_admits
from learning.courses import CourseFields, create_course, publish_course
from learning.indexing import audience_acl, entry_of, learner_principals, reindex_learning
from learning.lessons import LessonFields, create_lesson
from learning.models import Audience
from mizan import outbox
from search.backends import search_index
from search.service import search_documents


def _course(kernel, trainer, title: str, body: str, **audience) -> str:
    course = create_course(kernel, trainer, CourseFields(title_en=title, **audience))
    create_lesson(
        kernel,
        trainer,
        course.id,
        course.modules[0].key,
        LessonFields(title_en=title, body_en=body),
    )
    return course.id


def _found(kernel, actor, query: str) -> set[str]:
    return {h.doc_id for h in search_documents(kernel, actor, query).hits}


def test_a_course_for_one_district_is_found_only_there(demo, people) -> None:
    t = people["trainer"]
    khi = _course(demo, t, "Remand practice", "zarbulmasal remand", districts=["KHI-S"])
    draft = _course(demo, t, "Secret draft", "zarbulmasal draft")
    publish_course(demo, t, khi)
    outbox.drain(demo)
    lesson_doc = next(
        d for d in _found(demo, people["pp.rahim"], "zarbulmasal") if d.startswith("lesson:")
    )
    assert entry_of(lesson_doc)[0] == khi
    assert f"course:{khi}" in _found(demo, people["pp.rahim"], "remand practice")
    assert _found(demo, people["pp.hyd"], "zarbulmasal") == set()
    assert not any(draft in d for d in _found(demo, t, "zarbulmasal"))  # drafts never
    assert any(khi in d for d in _found(demo, t, "zarbulmasal"))  # trainers see published ones


def test_atc_only_course_needs_an_atc_posting(demo, people) -> None:
    t = people["trainer"]
    course_id = _course(
        demo, t, "ATC court craft", "qwertyatc", roles=["prosecutor"], atc_only=True
    )
    publish_course(demo, t, course_id)
    outbox.drain(demo)
    assert _found(demo, people["pp.rahim"], "qwertyatc") == set()


def test_reindex_restores_learning_passages(demo, people) -> None:
    t = people["trainer"]
    course_id = _course(demo, t, "Bail law", "bailbond")
    publish_course(demo, t, course_id)
    outbox.drain(demo)
    search_index(demo).clear()
    assert reindex_learning(demo) == 2  # the course and its lesson
    assert any(course_id in d for d in _found(demo, people["pp.hyd"], "bailbond"))


def test_acl_product_agrees_with_audience_admits() -> None:
    """The principal encoding admits exactly whom ``audience_admits`` admits."""
    audiences = [
        Audience(roles=r, districts=d, atc_only=a)
        for r, d, a in itertools.product(
            [[], ["prosecutor"], ["prosecutor", "clerk"]],
            [[], ["KHI-S"], ["KHI-S", "HYD"]],
            [False, True],
        )
    ]
    learners = [
        Learner("u", frozenset(r), d, a)
        for r, d, a in itertools.product(
            [{"prosecutor"}, {"clerk"}, {"supervisor"}], ["KHI-S", "HYD", None], [False, True]
        )
    ]
    for audience, learner in itertools.product(audiences, learners):
        visible = bool(set(audience_acl(audience)) & learner_principals(learner))
        assert visible == audience_admits(audience, learner), (audience.to_mongo(), learner)


def test_a_published_case_study_is_found_by_its_audience_until_withdrawn(demo, people) -> None:
    import learning.case_studies as cs
    from tests.learning.case_study_steps import drafted
    from tests.learning.test_case_studies import _publish

    study, case = drafted(demo)
    t = people["trainer"]
    study = cs.edit_case_study(
        demo, t, study.id, version=study.version, title="Zarbulstudy murder", districts=["KHI-S"]
    )
    outbox.drain(demo)
    assert _found(demo, t, "zarbulstudy") == set()  # a draft is never indexed
    study = _publish(demo, study)
    outbox.drain(demo)
    doc = f"case_study:{study.id}"
    assert _found(demo, people["pp.rahim"], "zarbulstudy") == {doc}
    assert _found(demo, people["pp.hyd"], "zarbulstudy") == set()  # not its audience
    hits = search_documents(demo, people["pp.rahim"], "zarbulstudy").hits
    assert case.reference not in " ".join(s for h in hits for s in h.snippets)
    cs.withdraw_case_study(demo, t, study.id, version=study.version)
    outbox.drain(demo)
    assert _found(demo, people["pp.rahim"], "zarbulstudy") == set()
