"""The bell tells a learner when a trainer has graded their written answers.

A subscriber to ``learning.quiz.graded``, so the notice is written in the same
transaction as the grade (a refused grade notifies nobody). The message is stored as a
msgid, so the learner reads it in their own language.
"""

from __future__ import annotations

from mizan.events import DomainEvent
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify

GRADED = _l("Your quiz answers in %(course)s were graded: %(score)s%%.")


def _on_graded(kernel: Kernel, event: DomainEvent) -> None:
    from learning.models import Course

    data = event.data
    course = kernel.store.find_one(Course, {"_id": data["course_id"]})
    score = data.get("score")
    notify(
        kernel.store,
        data["user_id"],
        GRADED,
        {"course": course.title_en if course else data["course_id"], "score": f"{score:g}"},
        link=f"/learning/courses/{data['course_id']}/quiz/attempts/{data['attempt_id']}",
        dedupe=f"quiz-graded|{data['attempt_id']}",
    )


def subscribe_quiz_notices(kernel: Kernel) -> None:
    kernel.events.subscribe(lambda event: _on_graded(kernel, event), "learning.quiz.graded")
