"""Every stored model in one list, so ``mizan init`` can create tables and indexes up front."""

from __future__ import annotations

from mizan.kernel import Kernel
from mizan.storage import Model


def all_models() -> list[type[Model]]:
    from casefiles.approvals import AppealApproval
    from casefiles.assignment import Posting
    from casefiles.calendar_tokens import CalendarToken
    from casefiles.hearings import Hearing
    from casefiles.holidays import Holiday
    from casefiles.matters import Matter
    from casefiles.models import Case, CaseDocument, DocumentPage
    from casefiles.notes import CaseNote
    from ingestion.review import DocumentSuggestion
    from library.models import Act, CitationEdge, Collection, Judgment, Section
    from mizan.accounts.integrations import Integration
    from mizan.accounts.models import District, User
    from mizan.audit import AuditEntry, AuditHead
    from mizan.jobs import Job
    from mizan.notifications import Notification
    from mizan.outbox import OutboxEntry
    from search.saved import SavedSearch

    return [
        District,
        User,
        Integration,
        AuditEntry,
        AuditHead,
        Job,
        OutboxEntry,
        Case,
        CaseDocument,
        DocumentPage,
        Hearing,
        CalendarToken,
        Matter,
        AppealApproval,
        CaseNote,
        Act,
        Section,
        Judgment,
        CitationEdge,
        Collection,
        DocumentSuggestion,
        Notification,
        Holiday,
        SavedSearch,
        Posting,
    ]


def ensure_schema(kernel: Kernel) -> None:
    """Create every collection and its declared indexes (both adapters have ``ensure``)."""
    for model in all_models():
        kernel.store.ensure(model)
