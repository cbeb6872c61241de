"""Ingestion's section of the start page's "your day" (``mizan.my_day``): documents of
the prosecutor's cases with readings (FIR number, sections, parties…) still to confirm."""

from __future__ import annotations

import datetime as dt

from casefiles.models import Case, CaseDocument
from ingestion.review import DocumentSuggestion
from mizan.accounts.roles import Role
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.my_day import SECTION_ITEMS, DayItem, DaySection


def documents_to_review(kernel: Kernel, actor: Actor, today: dt.date) -> DaySection | None:
    if not actor.has_role(Role.PROSECUTOR):
        return None
    store = kernel.store
    mine = {"$or": [{"lead_prosecutor": actor.user_id}, {"assisting": actor.user_id}]}
    # Only the reference is shown: reading whole cases here would cost every start page.
    cases = {c.id: c for c in store.find_fields(Case, ["reference"], mine)}
    pending = (
        store.group_count(
            DocumentSuggestion,
            "document_id",
            {"status": "pending", "case_id": {"$in": sorted(cases)}},
        )
        if cases
        else {}
    )
    documents = store.find(
        CaseDocument,
        {"_id": {"$in": sorted(pending)}},
        sort=[("uploaded_at", -1)],
        limit=SECTION_ITEMS,
    )
    items = [
        DayItem(
            title=doc.title,
            ref=("document", doc.id),
            detail=_(
                "%(case)s · %(n)d readings to confirm",
                case=cases[doc.case_id].reference if doc.case_id in cases else "",
                n=pending[doc.id],
            ),
            when=doc.uploaded_at,
        )
        for doc in documents
    ]
    return DaySection(
        key="documents",
        title=_l("Documents to review"),
        empty=_l("No document of your cases has readings waiting to be confirmed."),
        items=items,
        total=len(pending),
        order=30,
    )
