"""Notifications that follow case events: a prosecutor hears at once when a case is theirs.

Subscribed to the event bus (``subscribe_notices``), so every way of assigning —
the case page, the API, a reassignment — notifies the same way, inside the same
transaction as the change (a refused change notifies nobody).
"""

from __future__ import annotations

from mizan.events import DomainEvent
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify

ASSIGNED_LEAD = _l("You are now the lead prosecutor of %(case)s.")
ASSIGNED_ASSISTING = _l("You are now assisting in %(case)s.")
UNASSIGNED = _l("You are no longer a prosecutor of %(case)s.")


def _on_assigned(kernel: Kernel, event: DomainEvent) -> None:
    from casefiles.models import Case

    data = event.data
    before = data.get("before") or {}
    old = {before.get("lead"), *(before.get("assisting") or [])} - {None}
    lead = data.get("lead")
    assisting = list(data.get("assisting") or [])
    case = kernel.store.find_one(Case, {"_id": event.subject_id})
    reference = case.reference if case else event.subject_id
    link = f"/cases/{event.subject_id}"
    actor_id = event.actor.user_id
    if lead and lead != before.get("lead") and lead != actor_id:
        notify(kernel.store, lead, ASSIGNED_LEAD, {"case": reference}, link=link, kind="assignment")
    for user_id in assisting:
        if user_id not in old and user_id != actor_id:
            notify(
                kernel.store,
                user_id,
                ASSIGNED_ASSISTING,
                {"case": reference},
                link=link,
                kind="assignment",
            )
    for user_id in old - {lead, *assisting}:
        if user_id != actor_id:
            notify(kernel.store, user_id, UNASSIGNED, {"case": reference}, kind="assignment")


def subscribe_notices(kernel: Kernel) -> None:
    kernel.events.subscribe(lambda event: _on_assigned(kernel, event), "case.assigned")
