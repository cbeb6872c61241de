"""Published courses, lessons and case studies in the one search page, seen only by
their audience.

Only the newest **release** is indexed (drafts never): ``course:<id>`` for the
course's title and summary, ``lesson:<course id>:<lesson id>`` for each lesson
(English and Urdu passages). Publishing queues an outbox entry that re-indexes
the course and drops lessons the new release no longer has. A case study is
indexed as ``case_study:<id>`` (its redacted text only) while it is published, and
dropped when it is withdrawn.

Permission, and why it is built this way: an audience is an AND of conditions
(one of these roles AND one of these districts AND, maybe, an ATC posting), and
the engine's filter is an OR (a passage is visible if its ACL shares one
principal with the searcher). The AND is written out as the product of the
conditions: a course for prosecutors of KHI-S posted to an ATC carries the one
principal ``learn:prosecutor:KHI-S:atc``; "any" is ``*``. A learner holds every
principal they satisfy (``learn:<role or *>:<district or *>:<atc or *>``), so
the intersection is non-empty exactly when ``audience_admits`` says yes. The
searcher's learning principals are added through ``Registry.principal_providers``
(search calls the providers, so it imports nothing of learning). Trainers hold
``learn:author`` and see every published course. A course's audience changes only
at publish, so the passages never go stale between releases.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from learning.access import Learner, can_author, can_learn, learner_of
from learning.case_study_models import CaseStudy, StudyStatus
from learning.models import Audience, Course, CourseRelease, CourseStatus
from mizan import outbox
from mizan.actor import Actor
from mizan.events import DomainEvent
from mizan.kernel import Kernel
from mizan.storage import DocumentStore
from search.passages import windows
from search.port import Passage

TOPIC = "index.learning"
AUTHOR = "learn:author"
ANY = "*"


def course_doc_id(course_id: str) -> str:
    return f"course:{course_id}"


def lesson_doc_id(course_id: str, lesson_id: str) -> str:
    return f"lesson:{course_id}:{lesson_id}"


def case_study_doc_id(study_id: str) -> str:
    return f"case_study:{study_id}"


def entry_of(doc_id: str) -> tuple[str, str | None] | None:
    """(course id, lesson id or None) for a learning search id; None otherwise."""
    kind, _, rest = doc_id.partition(":")
    if kind == "course" and rest:
        return rest, None
    if kind == "lesson" and ":" in rest:
        course_id, _, lesson_id = rest.partition(":")
        return course_id, lesson_id
    return None


def _principal(role: str, district: str, atc: str) -> str:
    return f"learn:{role}:{district}:{atc}"


def audience_acl(audience: Audience | None) -> tuple[str, ...]:
    """The principals a passage of a course for ``audience`` carries (see the module doc)."""
    roles = list(audience.roles) if audience and audience.roles else [ANY]
    districts = list(audience.districts) if audience and audience.districts else [ANY]
    atc = "atc" if audience and audience.atc_only else ANY
    return (AUTHOR, *(_principal(r, d, atc) for r in roles for d in districts))


def learning_principals(kernel: Kernel, actor: Actor) -> set[str]:
    """What the actor holds for learning passages (a principal provider for search)."""
    principals: set[str] = set()
    if can_author(actor):
        principals.add(AUTHOR)
    if can_learn(actor):
        principals |= learner_principals(learner_of(kernel, actor))
    return principals


def learner_principals(learner: Learner) -> set[str]:
    """Every audience principal ``learner`` satisfies (their role, district, ATC, or any)."""
    roles = [*sorted(learner.roles), ANY]
    districts = [learner.district, ANY] if learner.district else [ANY]
    atcs = ["atc", ANY] if learner.atc else [ANY]
    return {_principal(r, d, a) for r in roles for d in districts for a in atcs}


def enqueue_course(store: DocumentStore, course_id: str) -> None:
    outbox.enqueue(store, TOPIC, {"course": course_id})


def _windows(
    doc_id: str, kind: str, title: str, texts: Iterable[tuple[str, str]], acl: tuple[str, ...]
) -> list[Passage]:
    passages: list[Passage] = []
    for language, text in texts:
        for n, chunk in enumerate(windows(text)):
            passages.append(
                Passage(
                    id=f"{doc_id}:{language}:{n}",
                    doc_id=doc_id,
                    kind=kind,
                    title=title,
                    text=chunk,
                    acl=acl,
                    language=language,
                )
            )
    return passages


def release_passages(release: CourseRelease, extra: dict[str, str] | None = None) -> list[Passage]:
    """Passages of a release: the course, then each lesson (``extra``: attachment text by
    lesson id, searchable with the lesson)."""
    acl = audience_acl(release.audience)
    passages = _windows(
        course_doc_id(release.course_id),
        "course",
        release.title_en,
        [
            ("en", f"{release.title_en}\n{release.summary_en or ''}"),
            ("ur", f"{release.title_ur or ''}\n{release.summary_ur or ''}".strip()),
        ],
        acl,
    )
    for lesson in release.lessons:
        title = f"{lesson.title_en} — {release.title_en}"
        passages += _windows(
            lesson_doc_id(release.course_id, lesson.lesson_id),
            "lesson",
            title,
            [
                ("en", f"{lesson.title_en}\n{lesson.body_en or ''}"),
                ("ur", f"{lesson.title_ur or ''}\n{lesson.body_ur or ''}".strip()),
                ("en", (extra or {}).get(lesson.lesson_id, "")),
            ],
            acl,
        )
    # Two English windows sets per lesson (text and attachments) must not share ids.
    seen: dict[str, int] = {}
    unique = []
    for p in passages:
        n = seen.get(p.id, 0)
        seen[p.id] = n + 1
        unique.append(p if n == 0 else _renamed(p, f"{p.id}:a{n}"))
    return unique


def _renamed(p: Passage, new_id: str) -> Passage:
    from dataclasses import replace

    return replace(p, id=new_id)


def _indexed_release(kernel: Kernel, course_id: str) -> CourseRelease | None:
    course = kernel.store.find_one(Course, {"_id": course_id})
    if course is None or course.status == CourseStatus.DRAFT or not course.release:
        return None
    return kernel.store.find_one(CourseRelease, {"course_id": course_id, "number": course.release})


def _attachment_text(kernel: Kernel, release: CourseRelease) -> dict[str, str]:
    from learning.attachments import attachment_text

    return {x.lesson_id: attachment_text(kernel, list(x.attachments)) for x in release.lessons}


def index_learning(kernel: Kernel, payload: dict[str, Any]) -> None:
    """Outbox handler: a course (its newest release) or a case study, indexed again."""
    if "case_study" in payload:
        index_case_study(kernel, payload["case_study"])
    else:
        index_course(kernel, payload)


def case_study_passages(study: CaseStudy) -> list[Passage]:
    """The published study's redacted text (never the source: publishing cleared it)."""
    return _windows(
        case_study_doc_id(study.id),
        "case_study",
        study.title,
        [("en", f"{study.title}\n{study.discussion or ''}\n{study.body or ''}")],
        audience_acl(study.audience),
    )


def index_case_study(kernel: Kernel, study_id: str) -> None:
    """Index a published study; drop one that is withdrawn or gone (idempotent)."""
    from search.indexing import delete_indexed, upsert_indexed

    study = kernel.store.find_one(CaseStudy, {"_id": study_id})
    if study is not None and study.status == StudyStatus.PUBLISHED:
        upsert_indexed(kernel, case_study_passages(study))
    else:
        delete_indexed(kernel, [case_study_doc_id(study_id)])


def subscribe_case_study_indexing(kernel: Kernel) -> None:
    """Publishing or withdrawing a study queues its index update in the same transaction."""

    def queue(event: DomainEvent) -> None:
        if event.action in ("learning.case_study.published", "learning.case_study.withdrawn"):
            outbox.enqueue(kernel.store, TOPIC, {"case_study": event.subject_id})

    kernel.events.subscribe(queue, "learning.case_study.")


def index_course(kernel: Kernel, payload: dict[str, Any]) -> None:
    """Index the newest release of the course (idempotent)."""
    from search.indexing import delete_indexed, upsert_indexed

    course_id = payload["course"]
    release = _indexed_release(kernel, course_id)
    older = kernel.store.find(CourseRelease, {"course_id": course_id})
    every = {lesson_doc_id(course_id, x.lesson_id) for r in older for x in r.lessons}
    every.add(course_doc_id(course_id))
    keep: set[str] = set()
    if release is not None:
        passages = release_passages(release, _attachment_text(kernel, release))
        keep = {p.doc_id for p in passages}
        upsert_indexed(kernel, passages)
    gone = sorted(every - keep)
    if gone:
        delete_indexed(kernel, gone)


def reindex_learning(kernel: Kernel) -> int:
    """Index the newest release of every published or archived course again."""
    from search.indexing import upsert_indexed

    count = 0
    for course in kernel.store.iter_all(Course, {"status": {"$ne": CourseStatus.DRAFT.value}}):
        release = _indexed_release(kernel, course.id)
        if release is not None:
            upsert_indexed(kernel, release_passages(release, _attachment_text(kernel, release)))
            count += 1 + len(release.lessons)
    for study in kernel.store.iter_all(CaseStudy, {"status": StudyStatus.PUBLISHED.value}):
        upsert_indexed(kernel, case_study_passages(study))
        count += 1
    return count
