"""Learning's section of the start page's "your day" (``mizan.my_day``): courses assigned
to this person and not yet complete, the soonest due first."""

from __future__ import annotations

import datetime as dt

from learning.access import can_learn
from learning.enrolment import course_title
from learning.models import Course, Enrolment
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.my_day import SECTION_ITEMS, DayItem, DaySection


def training_due(kernel: Kernel, actor: Actor, today: dt.date) -> DaySection | None:
    if not can_learn(actor):
        return None
    store = kernel.store
    open_ = store.find(
        Enrolment,
        {
            "user_id": actor.user_id,
            "assigned_by": {"$ne": None},
            "withdrawn": False,
            "completed_at": None,
        },
        sort=[("due_on", 1), ("enrolled_at", 1)],
    )
    shown = open_[:SECTION_ITEMS]
    courses = {
        c.id: c for c in store.find(Course, {"_id": {"$in": sorted({e.course_id for e in shown})}})
    }
    user = store.find_one(User, {"_id": actor.user_id})
    language = (user.language if user else None) or "en"
    items = [
        DayItem(
            title=course_title(courses[e.course_id], language),
            ref=("course", e.course_id),
            detail=_("Due on %(date)s", date=e.due_on.strftime("%d.%m.%Y"))
            if e.due_on
            else _("No due date"),
            when=e.due_on,
            urgent=bool(e.due_on and e.due_on < today),
        )
        for e in shown
        if e.course_id in courses
    ]
    return DaySection(
        key="training",
        title=_l("Training assigned to you"),
        empty=_l("No training is assigned to you."),
        items=items,
        total=len(open_),
        more="learning.index",
        order=60,
    )
