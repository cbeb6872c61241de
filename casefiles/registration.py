"""What case files contribute to Mizan: their stored models, notices and commands."""

from __future__ import annotations

from casefiles import cli
from casefiles.approvals import AppealApproval
from casefiles.assignment import Posting
from casefiles.calendar_tokens import CalendarToken
from casefiles.hearings import Hearing
from casefiles.holidays import Holiday
from casefiles.letter_templates import LetterTemplate
from casefiles.letters import LetterDraft
from casefiles.matters import Matter
from casefiles.models import Case, CaseDocument, DocumentPage
from casefiles.notes import CaseNote
from casefiles.notices import subscribe_notices
from casefiles.saved_filters import SavedFilter
from mizan.registry import Registry


def register(registry: Registry) -> None:
    registry.models += [
        Case,
        CaseDocument,
        DocumentPage,
        Hearing,
        CalendarToken,
        Matter,
        AppealApproval,
        CaseNote,
        Holiday,
        Posting,
        LetterTemplate,
        LetterDraft,
        SavedFilter,
    ]
    registry.subscribers.append(subscribe_notices)
    registry.commands += [cli.seed_scale_cmd, cli.remind]
