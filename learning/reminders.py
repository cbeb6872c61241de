"""Training reminders: assigned courses due within a few days, and overdue ones.

"Assigned" includes a learner who had enrolled themselves before the course was assigned
to their group: their enrolment gained the assignment's due date and its reminders.

Run by the same reminder loop as deadlines and hearings (``mizan remind``; the learning
package registers :func:`send_learning_reminders` in ``Registry.reminders``). Each
enrolment is reminded once per kind and due date (the notification's dedupe key names
them), so running twice, or on two machines, sends nothing twice; a new due date is a
new fact and is announced again.
"""

from __future__ import annotations

import datetime as dt

from learning.enrolment import course_link, course_title
from learning.models import Course, Enrolment
from mizan.accounts.models import User
from mizan.clock import pakistan_today, utc_naive_now
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify

#: "Due soon" means due today or within this many days.
DUE_WITHIN_DAYS = 3

DUE_SOON = _l("The course “%(course)s” assigned to you is due on %(date)s.")
OVERDUE = _l("The course “%(course)s” assigned to you was due on %(date)s and is not complete.")


def send_learning_reminders(kernel: Kernel, now: dt.datetime | None = None) -> int:
    """One run; returns how many notifications were sent (a repeat sends none)."""
    store = kernel.store
    today = pakistan_today(now or utc_naive_now())
    horizon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    due = store.find(
        Enrolment,
        {
            # Assigned, or self-enrolled and then given a due date by an assignment.
            "assigned_by": {"$ne": None},
            "withdrawn": False,
            "completed_at": None,
            "due_on": {"$ne": None, "$lte": horizon},
        },
    )
    if not due:
        return 0
    courses = {
        c.id: c for c in store.find(Course, {"_id": {"$in": sorted({e.course_id for e in due})}})
    }
    users = {u.id: u for u in store.find(User, {"_id": {"$in": sorted({e.user_id for e in due})}})}
    sent = 0
    for enrolment in due:
        course, user = courses.get(enrolment.course_id), users.get(enrolment.user_id)
        if course is None or user is None or not user.active or enrolment.due_on is None:
            continue
        kind = "overdue" if enrolment.due_on < today else "due_soon"
        note = notify(
            store,
            user.id,
            OVERDUE if kind == "overdue" else DUE_SOON,
            {
                "course": course_title(course, user.language or "en"),
                "date": enrolment.due_on.strftime("%d.%m.%Y"),
            },
            link=course_link(course.id),
            kind="deadline",
            dedupe=f"learning:{enrolment.id}:{kind}:{enrolment.due_on.isoformat()}",
        )
        sent += note is not None
    return sent
